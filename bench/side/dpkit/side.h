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
#include <dp_mempool.h>
#include <dp_mbuf.h>
#include <dp_ethdev.h>

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

/* ---- mempool ----------------------------------------------------------- */

#define SIDE_MEMPOOL struct dp_mempool

/* A pool of @n objects of @elt_size bytes; NULL on failure (printed). */
SIDE_MEMPOOL *side_mempool_create(const char *name, unsigned int n,
	unsigned int elt_size, unsigned int cache_size);
void side_mempool_free(SIDE_MEMPOOL *mp);
/* Bytes between consecutive objects (printed as a comment). */
unsigned int side_mempool_obj_stride(SIDE_MEMPOOL *mp);

#define side_mempool_get_bulk(mp, t, n) dp_mempool_get_bulk(mp, t, n)
#define side_mempool_put_bulk(mp, t, n) dp_mempool_put_bulk(mp, t, n)

/* ---- mbuf ---------------------------------------------------------------- */

#define SIDE_MBUF struct dp_mbuf

/* A packet pool of @n mbufs with the default 2 KB + headroom buffers. */
SIDE_MEMPOOL *side_pktmbuf_pool_create(const char *name, unsigned int n,
	unsigned int cache_size);

#define side_pktmbuf_alloc(mp) dp_pktmbuf_alloc(mp)
#define side_pktmbuf_free(m) dp_pktmbuf_free(m)
#define side_pktmbuf_alloc_bulk(mp, t, n) dp_pktmbuf_alloc_bulk(mp, t, n)
#define side_pktmbuf_free_bulk(t, n) dp_pktmbuf_free_bulk(t, n)

/* ---- ports --------------------------------------------------------------- */

/* Create a virtual device at run time; its port id, or -1 (printed). */
int side_port_create(const char *vdev, const char *args);
/* One RX and one TX queue (buffers from @mp), started; 0 or -1 (printed). */
int side_port_start(uint16_t port, SIDE_MEMPOOL *mp);
/* Stop and remove a device made by side_port_create(). */
void side_port_close(const char *vdev);
/* net_ring arguments that make it count packets only, as DPDK 22.11's
 * net_ring does (dpkit's counts bytes too by default). */
#define SIDE_RING_PMD_PKTS_ONLY "stats_bytes=0"

#define side_eth_rx_burst(p, q, t, n) dp_eth_rx_burst(p, q, t, n)
#define side_eth_tx_burst(p, q, t, n) dp_eth_tx_burst(p, q, t, n)

/* ---- group afpacket ----------------------------------------------------- */

#define side_mbuf_data(m) dp_pktmbuf_mtod(m, void *)
#define side_mbuf_set_len(m, len) ((m)->data_len = (len), (m)->pkt_len = (len))

/* The port of a device given with --vdev; its id, or -1. */
int side_port_find(const char *vdev);
/* The port's imissed counter (frames the device dropped). */
uint64_t side_eth_imissed(uint16_t port);

#endif /* BENCH_SIDE_H */
