/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Statistics output in the layout testpmd users know: "NIC statistics for
 * port N" (port counters and the throughput since the last look), the
 * extended statistics, and at stop the forward statistics per stream, per
 * port and accumulated over all ports.
 */

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <dp_cycles.h>

#include "testpmd.h"

void
tp_port_stats_show(uint16_t port)
{
	struct tp_port *tp = &tp_ports[port];
	struct dp_eth_stats st;
	uint64_t now = dp_rdtsc(), rx_pps = 0, tx_pps = 0, rx_bps = 0, tx_bps = 0;

	if (dp_eth_stats_get(port, &st) < 0)
		return;
	if (tp->shown_tsc != 0 && now > tp->shown_tsc) {
		double secs = (double)(now - tp->shown_tsc) /
			(double)dp_get_tsc_hz();

		/* A reset in between makes the counters go back: show 0. */
		if (st.ipackets >= tp->shown.ipackets)
			rx_pps = (uint64_t)((double)(st.ipackets -
				tp->shown.ipackets) / secs);
		if (st.opackets >= tp->shown.opackets)
			tx_pps = (uint64_t)((double)(st.opackets -
				tp->shown.opackets) / secs);
		if (st.ibytes >= tp->shown.ibytes)
			rx_bps = (uint64_t)((double)(st.ibytes -
				tp->shown.ibytes) * 8 / secs);
		if (st.obytes >= tp->shown.obytes)
			tx_bps = (uint64_t)((double)(st.obytes -
				tp->shown.obytes) * 8 / secs);
	}
	tp->shown = st;
	tp->shown_tsc = now;

	printf("\n  ######################## NIC statistics for port %-2u "
		"########################\n", port);
	printf("  RX-packets: %-10" PRIu64 " RX-missed: %-10" PRIu64
		" RX-bytes:  %" PRIu64 "\n", st.ipackets, st.imissed, st.ibytes);
	printf("  RX-errors: %" PRIu64 "\n", st.ierrors);
	printf("  RX-nombuf:  %" PRIu64 "\n", st.rx_nombuf);
	printf("  TX-packets: %-10" PRIu64 " TX-errors: %-10" PRIu64
		" TX-bytes:  %" PRIu64 "\n", st.opackets, st.oerrors, st.obytes);
	printf("\n  Throughput (since last show or start)\n");
	printf("  Rx-pps: %12" PRIu64 "          Rx-bps: %12" PRIu64 "\n",
		rx_pps, rx_bps);
	printf("  Tx-pps: %12" PRIu64 "          Tx-bps: %12" PRIu64 "\n",
		tx_pps, tx_bps);
	printf("  ################################################################"
		"############\n");
	fflush(stdout);
}

void
tp_port_xstats_show(uint16_t port)
{
	struct dp_eth_xstat_name *names = NULL;
	struct dp_eth_xstat *vals = NULL;
	int n, i;

	n = dp_eth_xstats_get_names(port, NULL, 0);
	if (n < 0) {
		tp_err("port %u: no extended statistics: %s", port,
			dp_strerror(n));
		return;
	}
	names = calloc((size_t)n + 1, sizeof(*names));
	vals = calloc((size_t)n + 1, sizeof(*vals));
	if (names == NULL || vals == NULL ||
	    dp_eth_xstats_get_names(port, names, (unsigned int)n) != n ||
	    dp_eth_xstats_get(port, vals, (unsigned int)n) != n) {
		tp_err("port %u: cannot read the extended statistics", port);
		goto out;
	}
	printf("###### NIC extended statistics for port %-2u\n", port);
	for (i = 0; i < n; i++)
		printf("%s: %" PRIu64 "\n", names[vals[i].id].name, vals[i].value);
	fflush(stdout);
out:
	free(names);
	free(vals);
}

void
tp_port_stats_clear(uint16_t port)
{
	int rc = dp_eth_stats_reset(port);

	if (rc < 0) {
		tp_err("port %u: cannot clear the statistics: %s", port,
			dp_strerror(rc));
		return;
	}
	/* Forward statistics now count from here, throughput too. */
	memset(&tp_ports[port].fwd_base, 0, sizeof(tp_ports[port].fwd_base));
	memset(&tp_ports[port].shown, 0, sizeof(tp_ports[port].shown));
	tp_ports[port].shown_tsc = dp_rdtsc();
	printf("\n  NIC statistics for port %u cleared\n", port);
	fflush(stdout);
}

/* The totals a port block and the accumulated block show. */
struct fwd_totals {
	uint64_t rx, rx_dropped, rx_errors, rx_nombuf;
	uint64_t tx, tx_dropped;
};

static void
totals_print(const struct fwd_totals *t)
{
	printf("  RX-packets: %-14" PRIu64 " RX-dropped: %-14" PRIu64
		" RX-total: %" PRIu64 "\n", t->rx, t->rx_dropped,
		t->rx + t->rx_dropped);
	if (t->rx_errors || t->rx_nombuf)
		printf("  RX-error: %-14" PRIu64 "   RX-nombufs: %" PRIu64 "\n",
			t->rx_errors, t->rx_nombuf);
	printf("  TX-packets: %-14" PRIu64 " TX-dropped: %-14" PRIu64
		" TX-total: %" PRIu64 "\n", t->tx, t->tx_dropped,
		t->tx + t->tx_dropped);
}

static uint64_t
delta(uint64_t now, uint64_t then)
{
	return now >= then ? now - then : 0;
}

void
tp_fwd_stats_show(const struct fwd_stream *streams, unsigned int nb_streams)
{
	struct fwd_totals all = { 0 }, pt;
	struct dp_eth_stats st;
	unsigned int i;
	uint16_t p;

	for (i = 0; i < nb_streams; i++) {
		const struct fwd_stream *fs = &streams[i];

		printf("\n  ------- Forward Stats for RX Port=%2u/Queue=%2u -> "
			"TX Port=%2u/Queue=%2u -------\n", fs->rx_port,
			fs->rx_queue, fs->tx_port, fs->tx_queue);
		printf("  RX-packets: %-14" PRIu64 " TX-packets: %-14" PRIu64
			" TX-dropped: %" PRIu64 "\n",
			__atomic_load_n(&fs->rx_packets, __ATOMIC_RELAXED),
			__atomic_load_n(&fs->tx_packets, __ATOMIC_RELAXED),
			__atomic_load_n(&fs->fwd_dropped, __ATOMIC_RELAXED));
		if (fs->rx_nombuf)
			printf("  TX-nombuf: %" PRIu64 " (pool empty)\n",
				fs->rx_nombuf);
	}

	DP_ETH_FOREACH_DEV(p) {
		const struct dp_eth_stats *b = &tp_ports[p].fwd_base;

		if (dp_eth_stats_get(p, &st) < 0)
			continue;
		memset(&pt, 0, sizeof(pt));
		pt.rx = delta(st.ipackets, b->ipackets);
		pt.rx_dropped = delta(st.imissed, b->imissed);
		pt.rx_errors = delta(st.ierrors, b->ierrors);
		pt.rx_nombuf = delta(st.rx_nombuf, b->rx_nombuf);
		pt.tx = delta(st.opackets, b->opackets);
		/* What the port refused is only known to the streams. */
		for (i = 0; i < nb_streams; i++)
			if (streams[i].tx_port == p)
				pt.tx_dropped += __atomic_load_n(
					&streams[i].fwd_dropped, __ATOMIC_RELAXED);
		printf("\n  ---------------------- Forward statistics for port %-2u "
			"----------------------\n", p);
		totals_print(&pt);
		printf("  ------------------------------------------------------"
			"----------------------\n");
		all.rx += pt.rx;
		all.rx_dropped += pt.rx_dropped;
		all.rx_errors += pt.rx_errors;
		all.rx_nombuf += pt.rx_nombuf;
		all.tx += pt.tx;
		all.tx_dropped += pt.tx_dropped;
	}

	printf("\n  +++++++++++++++ Accumulated forward statistics for all ports"
		"+++++++++++++++\n");
	totals_print(&all);
	printf("  ++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++"
		"++++++++++++++\n\n");
	fflush(stdout);
}
