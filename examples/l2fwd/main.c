/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * l2fwd: forward every frame received on a port to its paired port
 * (0<->1, 2<->3, ...), optionally rewriting the MAC addresses, with one
 * lcore polling a few ports each. Prints per-port statistics every period
 * and at exit (SIGINT/SIGTERM, or --max-pkts reached).
 *
 *   dpkit-l2fwd [EAL options] -- -p PORTMASK [-q NQ] [-T PERIOD]
 *               [--[no-]mac-updating] [--max-pkts N]
 */

#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <dp_cycles.h>
#include <dp_eal.h>
#include <dp_ethdev.h>
#include <dp_lcore.h>
#include <dp_mbuf.h>

#include "../common/pkt_budget.h"
#include "l2fwd_fwd.h"

#define MAX_PKT_BURST 32
#define BURST_TX_DRAIN_US 100	/* flush partial TX batches this often */
#define MAX_PORTS_PER_LCORE 16
#define NB_RXD 1024
#define NB_TXD 1024
#define MEMPOOL_CACHE 256

struct port_stats {
	uint64_t rx;
	uint64_t tx;
	uint64_t dropped;
} __dp_cache_aligned;

struct lcore_conf {
	unsigned int nb_ports;
	uint16_t ports[MAX_PORTS_PER_LCORE];
	struct dp_eth_dev_tx_buffer *txbuf[DP_MAX_ETHPORTS];
} __dp_cache_aligned;

static volatile sig_atomic_t force_quit;
static uint32_t portmask;
static unsigned int ports_per_lcore = 1;
static unsigned int stats_period = 10;	/* seconds, 0 = only at exit */
static bool mac_updating = true;
static uint64_t max_pkts;		/* stop after this many received, 0 = never */
static struct pkt_budget budget;	/* --max-pkts, shared by the lcores */

static uint16_t dst_port[DP_MAX_ETHPORTS];
static struct dp_ether_addr port_mac[DP_MAX_ETHPORTS];
static struct port_stats stats[DP_MAX_ETHPORTS];
static struct lcore_conf lcore_conf[DP_MAX_LCORE];
static struct dp_mempool *pool;

static void
on_signal(int sig)
{
	fprintf(stderr, "\nsignal %d received, stopping\n", sig);
	force_quit = 1;
}

static void
print_stats(void)
{
	uint64_t rx = 0, tx = 0, dropped = 0;
	uint16_t p;

	printf("\nPort statistics ====================================\n");
	for (p = 0; p < DP_MAX_ETHPORTS; p++) {
		if (!(portmask & (1u << p)))
			continue;
		printf("Port %-2u  received %12" PRIu64 "  sent %12" PRIu64
			"  dropped %10" PRIu64 "\n", p, stats[p].rx, stats[p].tx,
			stats[p].dropped);
		rx += stats[p].rx;
		tx += stats[p].tx;
		dropped += stats[p].dropped;
	}
	printf("Total    received %12" PRIu64 "  sent %12" PRIu64
		"  dropped %10" PRIu64 "\n", rx, tx, dropped);
	printf("====================================================\n");
	fflush(stdout);
}

static void
forward(struct dp_mbuf *m, uint16_t in_port, struct lcore_conf *lc)
{
	uint16_t out = dst_port[in_port];
	uint16_t sent;

	if (mac_updating)
		l2fwd_mac_update(m, out, &port_mac[out]);
	sent = dp_eth_tx_buffer(out, 0, lc->txbuf[out], m);
	stats[out].tx += sent;
}

static int
l2fwd_loop(void *arg)
{
	struct lcore_conf *lc = &lcore_conf[dp_lcore_id()];
	const uint64_t drain = dp_get_tsc_hz() * BURST_TX_DRAIN_US / 1000000;
	const uint64_t period = dp_get_tsc_hz() * stats_period;
	uint64_t prev_drain = dp_rdtsc(), prev_stats = prev_drain, now;
	struct dp_mbuf *pkts[MAX_PKT_BURST];
	bool is_main = dp_lcore_id() == dp_get_main_lcore();
	unsigned int i, j;
	uint16_t n, p;

	(void)arg;
	if (lc->nb_ports == 0 && !is_main)
		return 0;
	while (!force_quit) {
		now = dp_rdtsc();
		if (now - prev_drain > drain) {
			for (i = 0; i < lc->nb_ports; i++) {
				p = dst_port[lc->ports[i]];
				stats[p].tx += dp_eth_tx_buffer_flush(p, 0,
					lc->txbuf[p]);
			}
			prev_drain = now;
			/* Statistics and the stop condition: main lcore only. */
			if (is_main) {
				if (period && now - prev_stats > period) {
					print_stats();
					prev_stats = now;
				}
				if (max_pkts && pkt_budget_spent(&budget))
					force_quit = 1;
			}
		}
		for (i = 0; i < lc->nb_ports; i++) {
			uint16_t want = MAX_PKT_BURST;

			p = lc->ports[i];
			/* --max-pkts: never receive more than the budget. */
			if (max_pkts) {
				want = (uint16_t)pkt_budget_claim(&budget, want);
				if (want == 0)
					continue;
			}
			n = dp_eth_rx_burst(p, 0, pkts, want);
			if (max_pkts)
				pkt_budget_settle(&budget, want - n, n);
			if (n == 0)
				continue;
			__atomic_store_n(&stats[p].rx, stats[p].rx + n,
				__ATOMIC_RELAXED);
			for (j = 0; j < n; j++)
				forward(pkts[j], p, lc);
		}
		if (lc->nb_ports == 0)
			usleep(1000);	/* main lcore with no port: just watch */
	}
	/* Whatever is still buffered goes out or is freed (and counted). */
	for (i = 0; i < lc->nb_ports; i++) {
		p = dst_port[lc->ports[i]];
		stats[p].tx += dp_eth_tx_buffer_flush(p, 0, lc->txbuf[p]);
	}
	return 0;
}

static void
usage(const char *prg)
{
	fprintf(stderr,
		"%s [EAL options] -- -p PORTMASK [-q NQ] [-T PERIOD] "
		"[--[no-]mac-updating] [--max-pkts N]\n"
		"  -p PORTMASK         hexadecimal mask of the ports to use\n"
		"  -q NQ               ports polled by each lcore (default 1)\n"
		"  -T PERIOD           print statistics every PERIOD seconds "
		"(default 10, 0 = only at exit)\n"
		"  --mac-updating      rewrite MACs: dst 02:00:00:00:00:<port>, "
		"src the port's address (default)\n"
		"  --no-mac-updating   forward frames unchanged\n"
		"  --max-pkts N        stop after N frames were received in all\n",
		prg);
}

static int
parse_args(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "mac-updating", no_argument, NULL, 'M' },
		{ "no-mac-updating", no_argument, NULL, 'N' },
		{ "max-pkts", required_argument, NULL, 'X' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	int opt;

	while ((opt = getopt_long(argc, argv, "p:q:T:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'p':
			portmask = (uint32_t)strtoul(optarg, &end, 16);
			if (*end != '\0' || portmask == 0) {
				fprintf(stderr, "invalid portmask '%s'\n", optarg);
				return -1;
			}
			break;
		case 'q':
			ports_per_lcore = (unsigned int)strtoul(optarg, &end, 10);
			if (*end != '\0' || ports_per_lcore == 0 ||
			    ports_per_lcore > MAX_PORTS_PER_LCORE) {
				fprintf(stderr, "invalid -q '%s' (1-%d)\n", optarg,
					MAX_PORTS_PER_LCORE);
				return -1;
			}
			break;
		case 'T':
			stats_period = (unsigned int)strtoul(optarg, &end, 10);
			if (*end != '\0') {
				fprintf(stderr, "invalid -T '%s'\n", optarg);
				return -1;
			}
			break;
		case 'M':
			mac_updating = true;
			break;
		case 'N':
			mac_updating = false;
			break;
		case 'X':
			max_pkts = strtoull(optarg, &end, 10);
			if (*end != '\0') {
				fprintf(stderr, "invalid --max-pkts '%s'\n", optarg);
				return -1;
			}
			break;
		case 'h':
			usage(argv[0]);
			return 1;
		default:
			usage(argv[0]);
			return -1;
		}
	}
	if (portmask == 0) {
		fprintf(stderr, "no port given: use -p PORTMASK\n");
		usage(argv[0]);
		return -1;
	}
	return 0;
}

static int
port_init(uint16_t port, unsigned int lcore)
{
	struct dp_eth_conf conf = { 0 };
	char mac[DP_ETHER_ADDR_FMT_SIZE];
	int rc;

	rc = dp_eth_dev_configure(port, 1, 1, &conf);
	if (rc == 0)
		rc = dp_eth_rx_queue_setup(port, 0, NB_RXD,
			dp_eth_dev_socket_id(port), NULL, pool);
	if (rc == 0)
		rc = dp_eth_tx_queue_setup(port, 0, NB_TXD,
			dp_eth_dev_socket_id(port), NULL);
	if (rc == 0)
		rc = dp_eth_dev_start(port);
	if (rc < 0) {
		fprintf(stderr, "port %u: cannot start: %s\n", port,
			dp_strerror(rc));
		return rc;
	}
	dp_eth_promiscuous_enable(port);
	dp_eth_macaddr_get(port, &port_mac[port]);
	dp_ether_format_addr(mac, sizeof(mac), &port_mac[port]);
	printf("port %u: MAC %s, polled by lcore %u, forwards to port %u\n",
		port, mac, lcore, dst_port[port]);
	return 0;
}

int
main(int argc, char **argv)
{
	unsigned int lcore, nb_ports = 0, leaked;
	uint16_t p, last = DP_MAX_ETHPORTS;
	int rc, exit_code = 0;

	dp_eal_set_usage_hook(usage);
	rc = dp_eal_init(argc, argv);
	if (rc < 0)
		return rc == -DP_EHELP ? 0 : 1;
	argc -= rc;
	argv += rc;
	rc = parse_args(argc, argv);
	if (rc != 0) {
		dp_eal_cleanup();
		return rc < 0 ? 1 : 0;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	/* Pair the enabled ports in order: 1st with 2nd, 3rd with 4th. */
	for (p = 0; p < DP_MAX_ETHPORTS; p++) {
		if (!(portmask & (1u << p)))
			continue;
		if (!dp_eth_dev_is_valid_port(p)) {
			fprintf(stderr, "port %u in the portmask does not exist "
				"(%u ports)\n", p, dp_eth_dev_count_avail());
			goto fail;
		}
		if (last == DP_MAX_ETHPORTS) {
			last = p;
		} else {
			dst_port[p] = last;
			dst_port[last] = p;
			last = DP_MAX_ETHPORTS;
		}
		nb_ports++;
	}
	if (last != DP_MAX_ETHPORTS) {
		fprintf(stderr, "port %u has no partner: use an even number of "
			"ports\n", last);
		goto fail;
	}

	pool = dp_pktmbuf_pool_create("l2fwd_pool",
		DP_MAX(nb_ports * (NB_RXD + NB_TXD + MAX_PKT_BURST +
			dp_lcore_count() * MEMPOOL_CACHE), 8192u),
		MEMPOOL_CACHE, 0, DP_MBUF_DEFAULT_BUF_SIZE, dp_socket_id());
	if (pool == NULL) {
		fprintf(stderr, "cannot create the mbuf pool: %s\n",
			dp_strerror(dp_errno));
		goto fail;
	}

	/* Hand the ports to lcores, ports_per_lcore each. */
	lcore = dp_get_next_lcore(-1, 0, 0);
	for (p = 0; p < DP_MAX_ETHPORTS; p++) {
		if (!(portmask & (1u << p)))
			continue;
		while (lcore < DP_MAX_LCORE &&
		       lcore_conf[lcore].nb_ports == ports_per_lcore)
			lcore = dp_get_next_lcore(lcore, 0, 0);
		if (lcore >= DP_MAX_LCORE) {
			fprintf(stderr, "not enough lcores for %u ports at %u "
				"per lcore\n", nb_ports, ports_per_lcore);
			goto fail;
		}
		lcore_conf[lcore].ports[lcore_conf[lcore].nb_ports++] = p;
		if (port_init(p, lcore) < 0)
			goto fail;
	}
	/* One TX buffer per destination port for every lcore that polls. */
	DP_LCORE_FOREACH(lcore) {
		struct lcore_conf *lc = &lcore_conf[lcore];
		unsigned int i;

		for (i = 0; i < lc->nb_ports; i++) {
			p = dst_port[lc->ports[i]];
			lc->txbuf[p] = calloc(1, DP_ETH_TX_BUFFER_SIZE(MAX_PKT_BURST));
			if (lc->txbuf[p] == NULL)
				goto fail;
			dp_eth_tx_buffer_init(lc->txbuf[p], MAX_PKT_BURST);
			dp_eth_tx_buffer_set_err_callback(lc->txbuf[p],
				dp_eth_tx_buffer_count_callback, &stats[p].dropped);
		}
	}

	printf("l2fwd: %u ports, MAC updating %s%s\n", nb_ports,
		mac_updating ? "on" : "off", max_pkts ? ", bounded" : "");
	fflush(stdout);
	pkt_budget_init(&budget, max_pkts);
	dp_eal_mp_remote_launch(l2fwd_loop, NULL, DP_CALL_MAIN);
	dp_eal_mp_wait_lcore();
	print_stats();
	goto out;

fail:
	exit_code = 1;
out:
	DP_ETH_FOREACH_DEV(p)
		if (portmask & (1u << p)) {
			dp_eth_dev_stop(p);
			dp_eth_dev_close(p);
		}
	DP_LCORE_FOREACH(lcore)
		for (p = 0; p < DP_MAX_ETHPORTS; p++)
			free(lcore_conf[lcore].txbuf[p]);
	if (pool != NULL) {
		leaked = dp_mempool_in_use_count(pool);
		printf("mbufs still in use after closing the ports: %u\n", leaked);
		if (leaked)
			exit_code = 1;
		dp_mempool_free(pool);
	}
	dp_eal_cleanup();
	return exit_code;
}
