/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Group "mbuf": a packet pool of 8191 mbufs with the default buffer
 * (2 KB + 128 bytes of headroom), default backend, per-lcore cache of 256.
 *
 * Single core, TSC cycles per mbuf (alloc + free): a loop of
 *  - one alloc then one free (mbuf_alloc1_free1);
 *  - a bulk alloc of 32 then a bulk free of the 32 (allocbulk32_freebulk32);
 *  - a bulk alloc of 32 then 32 single frees (allocbulk32_freeloop32);
 *  - the bulk pair with 32 as a run-time value (allocbulkvar32_freebulkvar32),
 *    as in a PMD whose burst size comes from its caller.
 * Every alloc resets the mbufs as the API promises; every free goes
 * through the reference count check. The object stride is printed: it
 * decides how the 32 mbufs of a burst spread over the L1 sets (see
 * shared/reference/peer-dpdk-22.11-numbers.md, observation 3).
 */

#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "side.h"
#include "groups.h"

#define MBUF_POOL 8191
#define MBUF_CACHE 256
#define MBUF_BURST 32

struct mbuf_ctx {
	SIDE_MEMPOOL *mp;
	uint64_t fails;
};

static void
k_alloc1_free1(void *arg, uint64_t iters)
{
	struct mbuf_ctx *c = arg;
	SIDE_MEMPOOL *mp = c->mp;
	uint64_t i, fails = 0;

	for (i = 0; i < iters; i++) {
		SIDE_MBUF *m = side_pktmbuf_alloc(mp);

		if (__builtin_expect(m == NULL, 0)) {
			fails++;
			continue;
		}
		side_pktmbuf_free(m);
	}
	c->fails += fails;
}

/* The burst as a value the compiler cannot see through. */
static volatile unsigned int mbuf_var_burst = MBUF_BURST;

/* Bulk alloc then bulk free of COUNT (a literal stays a constant). */
#define MBUF_BULK_KERNEL(fn, COUNT) \
static void \
fn(void *arg, uint64_t iters) \
{ \
	struct mbuf_ctx *c = arg; \
	SIDE_MEMPOOL *mp = c->mp; \
	SIDE_MBUF *ms[MBUF_BURST] __attribute__((aligned(64))); \
	const unsigned int n = (COUNT); \
	uint64_t i, fails = 0; \
 \
	for (i = 0; i < iters; i++) { \
		if (__builtin_expect(side_pktmbuf_alloc_bulk(mp, ms, n) != 0, \
		    0)) { \
			fails++; \
			continue; \
		} \
		side_pktmbuf_free_bulk(ms, n); \
	} \
	c->fails += fails; \
}

MBUF_BULK_KERNEL(k_bulk_freebulk, MBUF_BURST)
MBUF_BULK_KERNEL(k_bulkvar_freebulkvar, mbuf_var_burst)

static void
k_bulk_freeloop(void *arg, uint64_t iters)
{
	struct mbuf_ctx *c = arg;
	SIDE_MEMPOOL *mp = c->mp;
	SIDE_MBUF *ms[MBUF_BURST] __attribute__((aligned(64)));
	uint64_t i, fails = 0;
	unsigned int k;

	for (i = 0; i < iters; i++) {
		if (__builtin_expect(side_pktmbuf_alloc_bulk(mp, ms,
		    MBUF_BURST) != 0, 0)) {
			fails++;
			continue;
		}
		for (k = 0; k < MBUF_BURST; k++)
			side_pktmbuf_free(ms[k]);
	}
	c->fails += fails;
}

int
bench_group_mbuf(void)
{
	static struct mbuf_ctx ctx;
	int rc = 0;

	ctx.mp = side_pktmbuf_pool_create("bench_mbuf", MBUF_POOL, MBUF_CACHE);
	if (ctx.mp == NULL) {
		bench_comment("mbuf: cannot create the pool");
		return -1;
	}
	bench_comment("mbuf: pool of %u mbufs, cache %u, obj_stride=%u",
		MBUF_POOL, MBUF_CACHE, side_mempool_obj_stride(ctx.mp));
	bench_cycles_per_elem("mbuf_alloc1_free1", "cyc/mbuf", k_alloc1_free1,
		&ctx, 1);
	bench_cycles_per_elem("mbuf_allocbulk32_freebulk32", "cyc/mbuf",
		k_bulk_freebulk, &ctx, MBUF_BURST);
	bench_cycles_per_elem("mbuf_allocbulk32_freeloop32", "cyc/mbuf",
		k_bulk_freeloop, &ctx, MBUF_BURST);
	bench_cycles_per_elem("mbuf_allocbulkvar32_freebulkvar32", "cyc/mbuf",
		k_bulkvar_freebulkvar, &ctx, MBUF_BURST);
	if (ctx.fails) {
		bench_comment("mbuf: %llu allocations failed: figures are wrong",
			(unsigned long long)ctx.fails);
		rc = -1;
	}
	side_mempool_free(ctx.mp);
	return rc;
}
