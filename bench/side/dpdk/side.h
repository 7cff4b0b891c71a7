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
#include <rte_mempool.h>
#include <rte_mbuf.h>
#include <rte_ethdev.h>

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

SIDE_MEMPOOL *side_mempool_create(const char *name, unsigned int n,
	unsigned int elt_size, unsigned int cache_size);
void side_mempool_free(SIDE_MEMPOOL *mp);
unsigned int side_mempool_obj_stride(SIDE_MEMPOOL *mp);

#define side_mempool_get_bulk(mp, t, n) rte_mempool_get_bulk(mp, t, n)
#define side_mempool_put_bulk(mp, t, n) rte_mempool_put_bulk(mp, t, n)

/* ---- mbuf ---------------------------------------------------------------- */

#define SIDE_MBUF struct rte_mbuf

SIDE_MEMPOOL *side_pktmbuf_pool_create(const char *name, unsigned int n,
	unsigned int cache_size);

#define side_pktmbuf_alloc(mp) rte_pktmbuf_alloc(mp)
#define side_pktmbuf_free(m) rte_pktmbuf_free(m)
#define side_pktmbuf_alloc_bulk(mp, t, n) rte_pktmbuf_alloc_bulk(mp, t, n)
#define side_pktmbuf_free_bulk(t, n) rte_pktmbuf_free_bulk(t, n)

/* ---- ports --------------------------------------------------------------- */

int side_port_create(const char *vdev, const char *args);
int side_port_start(uint16_t port, SIDE_MEMPOOL *mp);
void side_port_close(const char *vdev);
/* DPDK 22.11's net_ring counts packets only, always. */
#define SIDE_RING_PMD_PKTS_ONLY ""

#define side_eth_rx_burst(p, q, t, n) rte_eth_rx_burst(p, q, t, n)
#define side_eth_tx_burst(p, q, t, n) rte_eth_tx_burst(p, q, t, n)

/* ---- group afpacket ----------------------------------------------------- */

#define side_mbuf_data(m) rte_pktmbuf_mtod(m, void *)
#define side_mbuf_set_len(m, len) ((m)->data_len = (len), (m)->pkt_len = (len))

int side_port_find(const char *vdev);
uint64_t side_eth_imissed(uint16_t port);

#endif /* BENCH_SIDE_H */
