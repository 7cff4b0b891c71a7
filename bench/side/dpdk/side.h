/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef BENCH_SIDE_H
#define BENCH_SIDE_H

/*
 * The DPDK side of the benchmark (the peer program, built against
 * Debian's DPDK 22.11 by bench/compare.sh): the same operation names as
 * bench/side/dpkit/side.h, mapped to DPDK's API.
 */

#include <stdbool.h>

#include <rte_ethdev.h>
#include <rte_mbuf.h>
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

/* ---- mempool ----------------------------------------------------------- */

#define SIDE_MEMPOOL struct rte_mempool

void side_mempool_free(SIDE_MEMPOOL *mp);

/* ---- mbuf ---------------------------------------------------------------- */

#define SIDE_MBUF struct rte_mbuf

SIDE_MEMPOOL *side_pktmbuf_pool_create(const char *name, unsigned int n,
	unsigned int cache_size);

#define side_pktmbuf_alloc_bulk(mp, t, n) rte_pktmbuf_alloc_bulk(mp, t, n)
#define side_pktmbuf_free_bulk(t, n) rte_pktmbuf_free_bulk(t, n)

/* ---- ports (group afpacket) ----------------------------------------------- */

#define side_mbuf_data(m) rte_pktmbuf_mtod(m, void *)
#define side_mbuf_set_len(m, len) ((m)->data_len = (len), (m)->pkt_len = (len))
#define side_eth_rx_burst(p, q, m, n) rte_eth_rx_burst((uint16_t)(p), q, m, n)
#define side_eth_tx_burst(p, q, m, n) rte_eth_tx_burst((uint16_t)(p), q, m, n)

int side_eth_port_open(const char *name, SIDE_MEMPOOL *mp);
void side_eth_port_close(int port);
uint64_t side_eth_imissed(int port);

#endif /* BENCH_SIDE_H */
