/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Forwarding runs: the streams (one per port and queue, sending to the
 * port's peer in the topology), how they are spread over the forwarding
 * lcores, start (with tx_first bursts), stop with the forward statistics,
 * and the stop conditions --nb-pkts and --duration.
 *
 * The main lcore never forwards: it runs the command line and this file's
 * housekeeping. Forwarding lcores are the EAL worker lcores.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>
#include <sys/epoll.h>

#include <dp_cycles.h>
#include <dp_lcore.h>

#include "testpmd.h"

/* Streams and the lcores that poll them. */
struct fwd_plan {
	struct fwd_stream *streams;
	struct fwd_stream **stream_ptrs;
	unsigned int nb_streams;
	struct fwd_lcore lcores[DP_MAX_LCORE];
	unsigned int nb_lcores;
};

static struct {
	bool running;
	const struct fwd_engine *engine;	/* of the current/last run */
	struct fwd_plan plan;			/* of the current/last run */
	struct pkt_budget budget;
	uint64_t start_tsc;
	uint64_t next_stats_tsc;
} run;

static const char *const topology_names[] = {
	[TP_TOPO_PAIRED] = "paired",
	[TP_TOPO_CHAINED] = "chained",
	[TP_TOPO_LOOP] = "loop",
};

unsigned int
tp_fwd_lcores_avail(void)
{
	unsigned int l, n = 0;

	DP_LCORE_FOREACH_WORKER(l)
		n++;
	return n;
}

bool
tp_fwd_running(void)
{
	return run.running;
}

bool
tp_fwd_bounded(void)
{
	return tp_cfg.nb_pkts != 0 || tp_cfg.duration > 0;
}

/* The frame txonly/flowgen/tx_first send on @p port. */
static int
build_template(uint16_t port)
{
	struct tp_port *tp = &tp_ports[port];
	char err[160];

	if (tp->tmpl == NULL) {
		tp->tmpl = malloc(sizeof(*tp->tmpl));
		if (tp->tmpl == NULL) {
			tp_err("out of memory");
			return -ENOMEM;
		}
	}
	if (txpkt_template_build(tp->tmpl, tp_pool, tp_cfg.txpkts,
	    tp_cfg.nb_txpkts, tp_cfg.flowgen_flows, &tp->mac,
	    &tp_cfg.eth_peer[port], err, sizeof(err)) < 0) {
		tp_err("--txpkts: %s", err);
		return -EINVAL;
	}
	return 0;
}

/* --rx-intr: the epoll set of an lcore's RX queue fds. */
static int
intr_setup(struct fwd_lcore *fc)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct fwd_intr *in;
	unsigned int i;
	int fd;

	in = calloc(1, sizeof(*in));
	if (in != NULL)
		in->fds = calloc(fc->nb_streams, sizeof(*in->fds));
	if (in == NULL || in->fds == NULL) {
		free(in);
		tp_err("out of memory");
		return -ENOMEM;
	}
	fc->intr = in;
	in->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (in->epfd < 0) {
		tp_err("--rx-intr: epoll_create1: %s", strerror(errno));
		return -errno;
	}
	for (i = 0; i < fc->nb_streams; i++) {
		const struct fwd_stream *fs = fc->streams[i];

		fd = dp_eth_dev_rx_intr_ctl_q_get_fd(fs->rx_port, fs->rx_queue);
		if (fd < 0) {
			tp_err("--rx-intr: port %u RX queue %u has no interrupt "
				"fd: %s (the reason is logged above)", fs->rx_port,
				fs->rx_queue, dp_strerror(fd));
			return fd;
		}
		in->fds[i] = fd;
		ev.data.u32 = i;
		if (epoll_ctl(in->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
			tp_err("--rx-intr: epoll_ctl: %s", strerror(errno));
			return -errno;
		}
	}
	return 0;
}

static void
intr_free(struct fwd_lcore *fc)
{
	if (fc->intr == NULL)
		return;
	if (fc->intr->epfd >= 0)
		close(fc->intr->epfd);
	free(fc->intr->fds);
	free(fc->intr);
	fc->intr = NULL;
}

static void
plan_free(struct fwd_plan *pl)
{
	unsigned int i;

	for (i = 0; i < pl->nb_lcores; i++)
		intr_free(&pl->lcores[i]);
	free(pl->streams);
	free(pl->stream_ptrs);
	memset(pl, 0, sizeof(*pl));
}

/*
 * Streams sharing a TX queue (more RX than TX queues) must all run on one
 * lcore: a TX queue is not safe to use from two at once.
 */
static int
check_shared_txqs(const struct fwd_plan *pl)
{
	unsigned int i, s, n = DP_MAX_ETHPORTS * tp_cfg.nb_txq;
	int *owner = malloc(n * sizeof(*owner));
	int rc = 0;

	if (owner == NULL) {
		tp_err("out of memory");
		return -ENOMEM;
	}
	for (i = 0; i < n; i++)
		owner[i] = -1;
	for (i = 0; i < pl->nb_lcores && rc == 0; i++) {
		const struct fwd_lcore *fc = &pl->lcores[i];

		for (s = 0; s < fc->nb_streams; s++) {
			const struct fwd_stream *fs = fc->streams[s];
			int *o = &owner[fs->tx_port * tp_cfg.nb_txq + fs->tx_queue];

			if (*o >= 0 && *o != (int)i) {
				tp_err("--rxq=%u --txq=%u: TX queue %u of port %u "
					"would be used by lcores %u and %u; give "
					"as many TX queues as RX queues (--txq=%u) "
					"or fewer forwarding lcores (--nb-cores)",
					tp_cfg.nb_rxq, tp_cfg.nb_txq, fs->tx_queue,
					fs->tx_port, pl->lcores[*o].lcore_id,
					fc->lcore_id, tp_cfg.nb_rxq);
				rc = -EINVAL;
				break;
			}
			*o = (int)i;
		}
	}
	free(owner);
	return rc;
}

/*
 * The streams of engine @p e: each RX queue of each port is polled by
 * exactly one stream (txonly and flowgen, which never receive: one stream
 * per TX queue), so no queue is left unread. Stream q sends on TX queue q;
 * with fewer TX than RX queues, streams share TX queues in contiguous
 * blocks (q * txq / rxq), so that slices of streams, which go to the
 * forwarding lcores, share them as little as possible.
 */
static int
plan_make(struct fwd_plan *pl, const struct fwd_engine *e, bool with_templates)
{
	unsigned int nb_q = e->receives ? tp_cfg.nb_rxq : tp_cfg.nb_txq;
	unsigned int i, l, nb_lcores, first, last;
	struct fwd_stream *fs;
	uint16_t p, q;

	plan_free(pl);
	pl->nb_streams = tp_nb_ports() * nb_q;
	pl->streams = aligned_alloc(DP_CACHE_LINE_SIZE,
		pl->nb_streams * sizeof(*pl->streams));
	pl->stream_ptrs = calloc(pl->nb_streams, sizeof(*pl->stream_ptrs));
	if (pl->streams == NULL || pl->stream_ptrs == NULL) {
		tp_err("out of memory");
		plan_free(pl);
		return -ENOMEM;
	}
	memset(pl->streams, 0, pl->nb_streams * sizeof(*pl->streams));
	i = 0;
	DP_ETH_FOREACH_DEV(p) {
		uint16_t peer = tp_ports[p].peer;

		if (with_templates && build_template(peer) < 0) {
			plan_free(pl);
			return -EINVAL;
		}
		for (q = 0; q < nb_q; q++) {
			fs = &pl->streams[i];
			fs->rx_port = p;
			fs->rx_queue = (uint16_t)(q % tp_cfg.nb_rxq);
			fs->tx_port = peer;
			fs->tx_queue = (uint16_t)(nb_q <= tp_cfg.nb_txq ? q :
				q * tp_cfg.nb_txq / nb_q);
			fwd_stream_set_macs(fs, &tp_cfg.eth_peer[peer]);
			fs->tmpl = with_templates ? tp_ports[peer].tmpl : NULL;
			pl->stream_ptrs[i] = fs;
			i++;
		}
	}

	/* Contiguous slices of the streams, one per lcore. */
	nb_lcores = DP_MIN(tp_cfg.nb_fwd_lcores, pl->nb_streams);
	i = 0;
	DP_LCORE_FOREACH_WORKER(l) {
		struct fwd_lcore *fc;

		if (i == nb_lcores)
			break;
		first = i * pl->nb_streams / nb_lcores;
		last = (i + 1) * pl->nb_streams / nb_lcores;
		fc = &pl->lcores[i];
		fc->lcore_id = l;
		fc->streams = &pl->stream_ptrs[first];
		fc->nb_streams = last - first;
		fc->burst = tp_cfg.burst;
		fc->budget = tp_cfg.nb_pkts ? &run.budget : NULL;
		i++;
	}
	pl->nb_lcores = i;
	if (tp_cfg.nb_rxq > tp_cfg.nb_txq && e != &fwd_engine_rxonly &&
	    check_shared_txqs(pl) < 0) {
		plan_free(pl);
		return -EINVAL;
	}
	return 0;
}

static void
plan_show(const struct fwd_plan *pl, const struct fwd_engine *e)
{
	char mac[DP_ETHER_ADDR_FMT_SIZE];
	unsigned int i, s;

	printf("%s packet forwarding - ports=%u - cores=%u - streams=%u - "
		"burst=%u - topology=%s\n", e->name, tp_nb_ports(), pl->nb_lcores,
		pl->nb_streams, tp_cfg.burst, topology_names[tp_cfg.topology]);
	if (e->needs_template) {
		printf("packets: %u bytes in %u segment%s, Ethernet/IPv4/UDP "
			"198.18.0.1:%d -> 198.18.0.2:%d", tp_txpkt_len(),
			tp_cfg.nb_txpkts, tp_cfg.nb_txpkts > 1 ? "s" : "",
			e == &fwd_engine_flowgen ? TXPKT_FLOW_SPORT : TXPKT_UDP_PORT,
			TXPKT_UDP_PORT);
		if (e == &fwd_engine_flowgen)
			printf(", %u flows (source address and port + 0..%u)",
				tp_cfg.flowgen_flows, tp_cfg.flowgen_flows - 1);
		printf("\n");
	}
	if (tp_cfg.nb_pkts)
		printf("stops after %" PRIu64 " packets %s\n", tp_cfg.nb_pkts,
			e->receives ? "received" : "sent");
	if (tp_cfg.duration > 0)
		printf("stops after %g seconds\n", tp_cfg.duration);
	for (i = 0; i < pl->nb_lcores; i++) {
		const struct fwd_lcore *fc = &pl->lcores[i];

		printf("Logical core %u forwards packets on %u stream%s:\n",
			fc->lcore_id, fc->nb_streams, fc->nb_streams > 1 ? "s" : "");
		for (s = 0; s < fc->nb_streams; s++) {
			const struct fwd_stream *fs = fc->streams[s];

			dp_ether_format_addr(mac, sizeof(mac), &fs->dst_mac);
			printf("  RX P=%u/Q=%u -> TX P=%u/Q=%u peer=%s\n",
				fs->rx_port, fs->rx_queue, fs->tx_port,
				fs->tx_queue, mac);
		}
	}
	fflush(stdout);
}

void
tp_fwd_config_show(void)
{
	struct fwd_plan preview = { 0 };

	if (run.running) {
		plan_show(&run.plan, run.engine);
		return;
	}
	/* What the next start would do; the last run's counters stay. */
	if (plan_make(&preview, tp_cfg.engine, false) < 0)
		return;
	plan_show(&preview, tp_cfg.engine);
	plan_free(&preview);
}

int
tp_fwd_start(unsigned int tx_first_bursts)
{
	const struct fwd_engine *e = tp_cfg.engine;
	unsigned int i, b;
	uint16_t p;
	int rc;

	if (run.running) {
		tp_err("packet forwarding is already running: 'stop' it first");
		return -1;
	}
	DP_ETH_FOREACH_DEV(p)
		if (!tp_ports[p].started) {
			tp_err("port %u is stopped: 'port start %u' (or 'port start "
				"all') first", p, p);
			return -1;
		}
	if (tp_cfg.nb_fwd_lcores > tp_fwd_lcores_avail()) {
		tp_err("%u forwarding lcores wanted, %u available: give more "
			"lcores with -l, or fewer with --nb-cores / 'set nbcore'",
			tp_cfg.nb_fwd_lcores, tp_fwd_lcores_avail());
		return -1;
	}
	if (plan_make(&run.plan, e, e->needs_template || tx_first_bursts > 0) < 0)
		return -1;
	for (i = 0; tp_cfg.rx_intr && i < run.plan.nb_lcores; i++)
		if (intr_setup(&run.plan.lcores[i]) < 0) {
			plan_free(&run.plan);
			return -1;
		}
	run.engine = e;
	plan_show(&run.plan, e);

	/* Forward statistics and the first throughput count from here. */
	DP_ETH_FOREACH_DEV(p) {
		dp_eth_stats_get(p, &tp_ports[p].fwd_base);
		tp_ports[p].shown = tp_ports[p].fwd_base;
		tp_ports[p].shown_tsc = dp_rdtsc();
	}
	/* Seed ring ports so that forwarding modes have packets to move. */
	for (b = 0; b < tx_first_bursts; b++)
		for (i = 0; i < run.plan.nb_streams; i++)
			fwd_engine_txonly.burst(&run.plan.streams[i], tp_cfg.burst);

	pkt_budget_init(&run.budget, tp_cfg.nb_pkts);
	run.start_tsc = dp_rdtsc();
	run.next_stats_tsc = run.start_tsc +
		tp_cfg.stats_period * dp_get_tsc_hz();
	for (i = 0; i < run.plan.nb_lcores; i++) {
		struct fwd_lcore *fc = &run.plan.lcores[i];

		rc = dp_eal_remote_launch(e->lcore_loop, fc, fc->lcore_id);
		if (rc < 0) {
			tp_err("lcore %u: cannot launch forwarding: %s",
				fc->lcore_id, dp_strerror(rc));
			/* Bring back those already running. */
			while (i-- > 0) {
				__atomic_store_n(&run.plan.lcores[i].stop, 1,
					__ATOMIC_RELEASE);
				dp_eal_wait_lcore(run.plan.lcores[i].lcore_id);
			}
			return -1;
		}
	}
	run.running = true;
	fflush(stdout);
	return 0;
}

void
tp_fwd_stop(void)
{
	uint64_t rx = 0, tx = 0, end;
	double secs;
	unsigned int i;

	if (!run.running) {
		printf("Packet forwarding is not running\n");
		fflush(stdout);
		return;
	}
	printf("Telling cores to stop...\n");
	for (i = 0; i < run.plan.nb_lcores; i++)
		__atomic_store_n(&run.plan.lcores[i].stop, 1, __ATOMIC_RELEASE);
	printf("Waiting for lcores to finish...\n");
	/* Waiting also makes their counters visible here. */
	for (i = 0; i < run.plan.nb_lcores; i++)
		dp_eal_wait_lcore(run.plan.lcores[i].lcore_id);
	/* From the launch to the last lcore's return: no polling delay. */
	end = run.start_tsc;
	for (i = 0; i < run.plan.nb_lcores; i++)
		end = DP_MAX(end, run.plan.lcores[i].end_tsc);
	secs = (double)(end - run.start_tsc) / (double)dp_get_tsc_hz();
	run.running = false;

	tp_fwd_stats_show(run.plan.streams, run.plan.nb_streams);
	for (i = 0; i < run.plan.nb_streams; i++) {
		rx += run.plan.streams[i].rx_packets;
		tx += run.plan.streams[i].tx_packets;
	}
	printf("Forwarded for %.3f s: %" PRIu64 " packets received (%.3f Mpps), "
		"%" PRIu64 " sent (%.3f Mpps)\n", secs, rx,
		secs > 0 ? (double)rx / secs / 1e6 : 0.0, tx,
		secs > 0 ? (double)tx / secs / 1e6 : 0.0);
	for (i = 0; i < run.plan.nb_lcores; i++) {
		const struct fwd_lcore *fc = &run.plan.lcores[i];

		if (fc->intr != NULL)
			printf("rx-intr: lcore %u slept %" PRIu64 " times, %" PRIu64
				" woken by an RX interrupt\n", fc->lcore_id,
				fc->intr->sleeps, fc->intr->wakeups);
	}
	printf("mbufs in use: %u (packets waiting in port queues; they return "
		"to the pool when the ports close)\n", tp_mbufs_in_use());
	printf("Done.\n");
	fflush(stdout);
}

void
tp_fwd_stats_current(void)
{
	if (run.plan.streams == NULL) {
		printf("No forwarding run yet: 'start' one\n");
		return;
	}
	tp_fwd_stats_show(run.plan.streams, run.plan.nb_streams);
	fflush(stdout);
}

void
tp_fwd_tick(void)
{
	uint64_t now;
	uint16_t p;

	if (!run.running)
		return;
	now = dp_rdtsc();
	if (tp_cfg.stats_period && now >= run.next_stats_tsc) {
		DP_ETH_FOREACH_DEV(p)
			tp_port_stats_show(p);
		run.next_stats_tsc += tp_cfg.stats_period * dp_get_tsc_hz();
	}
	if (tp_cfg.duration > 0 && (double)(now - run.start_tsc) >=
	    tp_cfg.duration * (double)dp_get_tsc_hz()) {
		printf("\n--duration=%g reached\n", tp_cfg.duration);
		tp_fwd_stop();
	} else if (tp_cfg.nb_pkts && pkt_budget_spent(&run.budget)) {
		printf("\n--nb-pkts=%" PRIu64 " reached\n", tp_cfg.nb_pkts);
		tp_fwd_stop();
	}
}

void
tp_fwd_release(void)
{
	plan_free(&run.plan);
}
