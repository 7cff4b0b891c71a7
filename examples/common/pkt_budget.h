/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef EXAMPLE_PKT_BUDGET_H
#define EXAMPLE_PKT_BUDGET_H

/*
 * Stop-after-N-packets budget shared by the forwarding lcores of an
 * example (testpmd --nb-pkts, l2fwd --max-pkts). An lcore claims a share
 * from `left`, polls for no more than it holds, and gives back what it
 * did not use, so the total received never exceeds `limit`; the run is
 * over once `done` (what was used) reaches it.
 */

#include <stdbool.h>
#include <stdint.h>

#include <dp_common.h>

struct pkt_budget {
	uint64_t left;
	uint64_t done;
	uint64_t limit;
} __dp_cache_aligned;

static inline void
pkt_budget_init(struct pkt_budget *b, uint64_t limit)
{
	b->left = b->limit = limit;
	b->done = 0;
}

/* Take up to @p want packets from the budget (0: nothing left now). */
static __dp_always_inline uint32_t
pkt_budget_claim(struct pkt_budget *b, uint32_t want)
{
	uint64_t cur = __atomic_load_n(&b->left, __ATOMIC_RELAXED);
	uint64_t take;

	do {
		if (cur == 0)
			return 0;
		take = cur < want ? cur : want;
	} while (!__atomic_compare_exchange_n(&b->left, &cur, cur - take,
		true, __ATOMIC_RELAXED, __ATOMIC_RELAXED));
	return (uint32_t)take;
}

/* Give back @p unused claimed packets; record @p used ones. */
static __dp_always_inline void
pkt_budget_settle(struct pkt_budget *b, uint32_t unused, uint32_t used)
{
	if (unused != 0)
		__atomic_add_fetch(&b->left, unused, __ATOMIC_RELAXED);
	if (used != 0)
		__atomic_add_fetch(&b->done, used, __ATOMIC_RELAXED);
}

static __dp_always_inline bool
pkt_budget_spent(const struct pkt_budget *b)
{
	return __atomic_load_n(&b->done, __ATOMIC_RELAXED) >= b->limit;
}

#endif /* EXAMPLE_PKT_BUDGET_H */
