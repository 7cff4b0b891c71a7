/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Group "afpacket": 64-byte frames over a veth pair through each library's
 * af_packet PMD, one core (the main lcore), in Mpps.
 *
 * The ports are net_af_packet0 and net_af_packet1, given on the command
 * line (bench/compare.sh creates the veth pair and passes the same
 * --vdev=net_af_packet0,iface=...,blocksz=...,framesz=...,framecnt=...,
 * qdisc_bypass=... to both programs). Without them the group says so and
 * measures nothing.
 *
 * One iteration: allocate 32 mbufs, write a 64-byte frame into each, send
 * them on port 0 (one sendto kick; the kernel carries them through veth to
 * the other end's ring on this same CPU), then receive from port 1 until a
 * burst comes back short, and free what came. The figure is frames
 * received per second: the median of --reps repetitions of 10 x --rep-ms
 * each (51 x 20 ms by default), after ten untimed ones; a comment gives
 * the quartiles and, summed over the repetitions, what was sent, refused
 * by TX, received and counted as missed by the receiving port. The
 * kernel's veth path dominates (see
 * shared/reference/peer-dpdk-22.11-numbers.md): both sides run exactly this
 * code around their own PMD.
 */

#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "side.h"
#include "groups.h"

#define AFP_BURST 32
#define AFP_FRAME_LEN 64
#define AFP_POOL_SIZE 8191

/* A frame nobody's stack wants: unicast to no one, experimental type. */
static const uint8_t afp_frame[AFP_FRAME_LEN] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,	/* destination */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,	/* source */
	0x88, 0xb5,				/* local experimental */
	'd', 'p', 'k', 'i', 't', '-', 'b', 'e', 'n', 'c', 'h',
};

struct afp_run {
	uint64_t sent;		/* accepted by TX */
	uint64_t refused;	/* not accepted by TX (ring full), freed */
	uint64_t received;
	uint64_t nomem;		/* allocation failures */
};

static void
afp_loop(SIDE_MEMPOOL *mp, uint16_t tx_port, uint16_t rx_port, uint64_t deadline,
	struct afp_run *r, uint64_t *t0, uint64_t *t1)
{
	SIDE_MBUF *pkts[AFP_BURST], *rx[AFP_BURST];
	uint16_t sent, nb, i;
	unsigned int k = 0;

	*t0 = bench_tsc();
	for (;;) {
		if (side_pktmbuf_alloc_bulk(mp, pkts, AFP_BURST) != 0) {
			r->nomem++;
		} else {
			for (i = 0; i < AFP_BURST; i++) {
				memcpy(side_mbuf_data(pkts[i]), afp_frame,
					AFP_FRAME_LEN);
				side_mbuf_set_len(pkts[i], AFP_FRAME_LEN);
			}
			sent = side_eth_tx_burst(tx_port, 0, pkts, AFP_BURST);
			r->sent += sent;
			if (sent < AFP_BURST) {
				r->refused += AFP_BURST - sent;
				side_pktmbuf_free_bulk(pkts + sent,
					AFP_BURST - sent);
			}
		}
		do {
			nb = side_eth_rx_burst(rx_port, 0, rx, AFP_BURST);
			side_pktmbuf_free_bulk(rx, nb);
			r->received += nb;
		} while (nb == AFP_BURST);
		if ((++k & 15) == 0 && bench_tsc() >= deadline)
			break;
	}
	*t1 = bench_tsc();
}

#define AFP_MAX_REPS 1001

int
bench_group_afpacket(void)
{
	const char *name = "afpacket_veth_1core_rx_64B";
	static double rate[AFP_MAX_REPS];
	struct afp_run total = { 0 };
	uint64_t rep_tsc, t0, t1, missed;
	unsigned int i, reps = bench_opts.reps;
	SIDE_MEMPOOL *mp;
	int p0, p1, rc = 0;

	if (!bench_figure_selected(name))
		return 0;
	if (reps > AFP_MAX_REPS)
		reps = AFP_MAX_REPS;
	mp = side_pktmbuf_pool_create("bench_afp", AFP_POOL_SIZE, 256);
	if (mp == NULL)
		return -1;
	p0 = side_port_find("net_af_packet0");
	p1 = side_port_find("net_af_packet1");
	if (p0 < 0 || p1 < 0) {
		bench_comment("%s: skipped: needs --vdev=net_af_packet0,iface=A "
			"--vdev=net_af_packet1,iface=B on the two ends of a veth "
			"pair (bench/compare.sh sets them up as root)", name);
		side_mempool_free(mp);
		return 0;
	}
	if (side_port_start((uint16_t)p0, mp) < 0 ||
	    side_port_start((uint16_t)p1, mp) < 0) {
		side_port_close("net_af_packet0");
		side_port_close("net_af_packet1");
		side_mempool_free(mp);
		return -1;
	}
	rep_tsc = (uint64_t)(bench_tsc_hz() * bench_opts.rep_ms * 10 / 1000.0);
	/* Warm-up: rings mapped in, caches and the kernel path hot. */
	for (i = 0; i < 10; i++) {
		struct afp_run w = { 0 };

		afp_loop(mp, (uint16_t)p0, (uint16_t)p1, bench_tsc() + rep_tsc,
			&w, &t0, &t1);
	}
	missed = side_eth_imissed((uint16_t)p1);
	for (i = 0; i < reps; i++) {
		struct afp_run r = { 0 };

		afp_loop(mp, (uint16_t)p0, (uint16_t)p1, bench_tsc() + rep_tsc,
			&r, &t0, &t1);
		rate[i] = (double)r.received * bench_tsc_hz() /
			(double)(t1 - t0) / 1e6;
		total.sent += r.sent;
		total.refused += r.refused;
		total.received += r.received;
		total.nomem += r.nomem;
	}
	missed = side_eth_imissed((uint16_t)p1) - missed;
	if (total.received == 0)
		rc = -1;
	bench_print(name, bench_median(rate, reps), "Mpps");	/* sorts */
	bench_comment("%s: n=%u min=%.3f p25=%.3f p75=%.3f max=%.3f, %u ms "
		"each; sent=%llu refused=%llu received=%llu missed=%llu "
		"nomem=%llu", name, reps, rate[0], rate[reps / 4],
		rate[reps * 3 / 4], rate[reps - 1], bench_opts.rep_ms * 10,
		(unsigned long long)total.sent,
		(unsigned long long)total.refused,
		(unsigned long long)total.received, (unsigned long long)missed,
		(unsigned long long)total.nomem);
	side_port_close("net_af_packet0");
	side_port_close("net_af_packet1");
	side_mempool_free(mp);
	return rc;
}
