/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef BENCH_SIDE_H
#define BENCH_SIDE_H

/*
 * The dpkit side of the benchmark: the operations the groups call, mapped
 * to dpkit. bench/side/dpdk/side.h maps the same names to DPDK; a group
 * uses nothing else, so both programs run the same code.
 */

#include <stdbool.h>

#include <dp_ring.h>

/* ---- ring ---------------------------------------------------------------- */

#define SIDE_RING struct dp_ring

/* A pointer ring of @count slots; NULL on failure (reason printed). */
SIDE_RING *side_ring_create(const char *name, unsigned int count, bool sp,
	bool sc);
void side_ring_free(SIDE_RING *r);

#define side_ring_sp_enqueue_bulk(r, t, n) dp_ring_sp_enqueue_bulk(r, t, n, NULL)
#define side_ring_mp_enqueue_bulk(r, t, n) dp_ring_mp_enqueue_bulk(r, t, n, NULL)
#define side_ring_sc_dequeue_bulk(r, t, n) dp_ring_sc_dequeue_bulk(r, t, n, NULL)
#define side_ring_mc_dequeue_bulk(r, t, n) dp_ring_mc_dequeue_bulk(r, t, n, NULL)
#define side_ring_reset(r) dp_ring_reset(r)

#endif /* BENCH_SIDE_H */
