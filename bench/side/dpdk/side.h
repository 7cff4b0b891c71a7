/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef BENCH_SIDE_H
#define BENCH_SIDE_H

/*
 * The DPDK side of the benchmark (the peer program, built against
 * Debian's DPDK 22.11 by bench/compare.sh): the same operation names as
 * bench/side/dpkit/side.h, mapped to DPDK's API.
 */

#include <stdbool.h>

#include <rte_ring.h>

/* ---- ring ---------------------------------------------------------------- */

#define SIDE_RING struct rte_ring

SIDE_RING *side_ring_create(const char *name, unsigned int count, bool sp,
	bool sc);
void side_ring_free(SIDE_RING *r);

#define side_ring_sp_enqueue_bulk(r, t, n) rte_ring_sp_enqueue_bulk(r, t, n, NULL)
#define side_ring_mp_enqueue_bulk(r, t, n) rte_ring_mp_enqueue_bulk(r, t, n, NULL)
#define side_ring_sc_dequeue_bulk(r, t, n) rte_ring_sc_dequeue_bulk(r, t, n, NULL)
#define side_ring_mc_dequeue_bulk(r, t, n) rte_ring_mc_dequeue_bulk(r, t, n, NULL)
#define side_ring_reset(r) rte_ring_reset(r)

#endif /* BENCH_SIDE_H */
