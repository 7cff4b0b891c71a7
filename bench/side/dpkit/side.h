/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef BENCH_SIDE_H
#define BENCH_SIDE_H

/*
 * The dpkit side of the benchmark: the operations the groups call, mapped
 * to dpkit. bench/side/dpdk/side.h maps the same names to DPDK; a group
 * uses nothing else, so both programs run the same code.
 */

#include <stdbool.h>

#include <dp_ethdev.h>
#include <dp_mbuf.h>
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

/* ---- mempool ----------------------------------------------------------- */

#define SIDE_MEMPOOL struct dp_mempool

void side_mempool_free(SIDE_MEMPOOL *mp);

/* ---- mbuf ---------------------------------------------------------------- */

#define SIDE_MBUF struct dp_mbuf

/* A packet pool of @n mbufs with the default 2 KB + headroom buffers. */
SIDE_MEMPOOL *side_pktmbuf_pool_create(const char *name, unsigned int n,
	unsigned int cache_size);

#define side_pktmbuf_alloc_bulk(mp, t, n) dp_pktmbuf_alloc_bulk(mp, t, n)
#define side_pktmbuf_free_bulk(t, n) dp_pktmbuf_free_bulk(t, n)

/* ---- ports (group afpacket) ----------------------------------------------- */

#define side_mbuf_data(m) dp_pktmbuf_mtod(m, void *)
#define side_mbuf_set_len(m, len) ((m)->data_len = (len), (m)->pkt_len = (len))
#define side_eth_rx_burst(p, q, m, n) dp_eth_rx_burst((uint16_t)(p), q, m, n)
#define side_eth_tx_burst(p, q, m, n) dp_eth_tx_burst((uint16_t)(p), q, m, n)

/* The port called @name, configured with one RX and one TX queue of 1024
 * descriptors on @mp, started; its id, or -1 (reason printed). */
int side_eth_port_open(const char *name, SIDE_MEMPOOL *mp);
void side_eth_port_close(int port);
/* The port's imissed counter. */
uint64_t side_eth_imissed(int port);

#endif /* BENCH_SIDE_H */
