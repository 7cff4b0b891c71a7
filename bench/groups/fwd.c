/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Group "fwd": io forwarding through the port API on one core, burst 32,
 * in Mpps, on ports the group creates at run time:
 *  - fwd_null_iofwd_burst32: net_null0 RX -> net_null1 TX. Every packet
 *    is an mbuf allocated by the null RX and freed by the null TX, so this
 *    is the port API plus mbuf alloc/free (the figure DPDK's testpmd gives
 *    for io forwarding on null ports).
 *  - fwd_ring_iofwd_burst32: two looped-back net_ring ports primed with
 *    packets; RX from each and TX to the other, both directions. No mbuf
 *    is touched: this is the port API plus ring enqueue/dequeue. dpkit's
 *    ports are made with stats_bytes=0 so that both sides do the same
 *    work (DPDK 22.11's net_ring has no byte counters).
 * Packets a TX does not take are freed (and counted: a figure with
 * drops is flagged).
 */

#include <stdio.h>

#include "bench.h"
#include "side.h"
#include "groups.h"

#define FWD_BURST 32
#define FWD_POOL 8191
#define FWD_CACHE 256
#define FWD_RING_PRIME 256	/* packets placed in each ring port */

struct fwd_ctx {
	uint16_t a, b;
	uint64_t short_bursts;	/* RX returned fewer than a burst */
	uint64_t unsent;	/* TX refused */
};

static void
k_null_fwd(void *arg, uint64_t iters)
{
	struct fwd_ctx *c = arg;
	SIDE_MBUF *pkts[FWD_BURST];
	uint64_t i;
	uint16_t n, sent;

	for (i = 0; i < iters; i++) {
		n = side_eth_rx_burst(c->a, 0, pkts, FWD_BURST);
		sent = side_eth_tx_burst(c->b, 0, pkts, n);
		if (__builtin_expect(sent != n, 0)) {
			side_pktmbuf_free_bulk(pkts + sent, n - sent);
			c->unsent += n - sent;
		}
		if (__builtin_expect(n != FWD_BURST, 0))
			c->short_bursts++;
	}
}

static inline void
fwd_one_way(struct fwd_ctx *c, uint16_t from, uint16_t to)
{
	SIDE_MBUF *pkts[FWD_BURST];
	uint16_t n, sent;

	n = side_eth_rx_burst(from, 0, pkts, FWD_BURST);
	sent = side_eth_tx_burst(to, 0, pkts, n);
	if (__builtin_expect(sent != n, 0)) {
		side_pktmbuf_free_bulk(pkts + sent, n - sent);
		c->unsent += n - sent;
	}
	if (__builtin_expect(n != FWD_BURST, 0))
		c->short_bursts++;
}

static void
k_ring_fwd(void *arg, uint64_t iters)
{
	struct fwd_ctx *c = arg;
	uint64_t i;

	for (i = 0; i < iters; i++) {
		fwd_one_way(c, c->a, c->b);
		fwd_one_way(c, c->b, c->a);
	}
}

static int
check(const char *figure, struct fwd_ctx *c)
{
	if (c->short_bursts == 0 && c->unsent == 0)
		return 0;
	bench_comment("%s: %llu short RX bursts, %llu packets refused by TX: "
		"the figure is not a full-burst rate", figure,
		(unsigned long long)c->short_bursts,
		(unsigned long long)c->unsent);
	return -1;
}

static int
run_null(SIDE_MEMPOOL *mp)
{
	struct fwd_ctx c = { 0 };
	int pa, pb, rc = -1;

	pa = side_port_create("net_null0", "");
	pb = side_port_create("net_null1", "");
	if (pa < 0 || pb < 0)
		goto out;
	c.a = (uint16_t)pa;
	c.b = (uint16_t)pb;
	if (side_port_start(c.a, mp) < 0 || side_port_start(c.b, mp) < 0)
		goto out;
	bench_mpps("fwd_null_iofwd_burst32", k_null_fwd, &c, FWD_BURST);
	rc = check("fwd_null_iofwd_burst32", &c);
out:
	if (pa >= 0)
		side_port_close("net_null0");
	if (pb >= 0)
		side_port_close("net_null1");
	return rc;
}

/* Put @n packets into a looped ring port (its TX feeds its RX). */
static int
prime(uint16_t port, SIDE_MEMPOOL *mp, unsigned int n)
{
	SIDE_MBUF *pkts[FWD_BURST];
	unsigned int done = 0;

	while (done < n) {
		if (side_pktmbuf_alloc_bulk(mp, pkts, FWD_BURST) != 0)
			return -1;
		if (side_eth_tx_burst(port, 0, pkts, FWD_BURST) != FWD_BURST) {
			side_pktmbuf_free_bulk(pkts, FWD_BURST);
			return -1;
		}
		done += FWD_BURST;
	}
	return 0;
}

static int
run_ring(SIDE_MEMPOOL *mp)
{
	struct fwd_ctx c = { 0 };
	int pa, pb, rc = -1;

	pa = side_port_create("net_ring0", SIDE_RING_PMD_PKTS_ONLY);
	pb = side_port_create("net_ring1", SIDE_RING_PMD_PKTS_ONLY);
	if (pa < 0 || pb < 0)
		goto out;
	c.a = (uint16_t)pa;
	c.b = (uint16_t)pb;
	if (side_port_start(c.a, mp) < 0 || side_port_start(c.b, mp) < 0 ||
	    prime(c.a, mp, FWD_RING_PRIME) < 0 ||
	    prime(c.b, mp, FWD_RING_PRIME) < 0) {
		bench_comment("fwd: cannot start or prime the ring ports");
		goto out;
	}
	bench_mpps("fwd_ring_iofwd_burst32", k_ring_fwd, &c, 2 * FWD_BURST);
	rc = check("fwd_ring_iofwd_burst32", &c);
out:
	/* Closing the ports frees the packets still in their rings. */
	if (pa >= 0)
		side_port_close("net_ring0");
	if (pb >= 0)
		side_port_close("net_ring1");
	return rc;
}

int
bench_group_fwd(void)
{
	SIDE_MEMPOOL *mp;
	int rc;

	mp = side_pktmbuf_pool_create("bench_fwd", FWD_POOL, FWD_CACHE);
	if (mp == NULL) {
		bench_comment("fwd: cannot create the pool");
		return -1;
	}
	bench_comment("fwd: pool of %u mbufs, cache %u, obj_stride=%u",
		FWD_POOL, FWD_CACHE, side_mempool_obj_stride(mp));
	rc = run_null(mp);
	if (run_ring(mp) < 0)
		rc = -1;
	side_mempool_free(mp);
	return rc;
}
