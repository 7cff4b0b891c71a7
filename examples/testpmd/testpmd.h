/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TESTPMD_H
#define TESTPMD_H

/*
 * dpkit-testpmd: what its files share. The configuration from the command
 * line (options.c), the ports (ports.c), forwarding runs (fwd.c),
 * statistics output (stats.c) and the command line interface (cli.c).
 */

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <dp_ethdev.h>

#include "fwd.h"

/* Exit codes. */
#define TP_EXIT_OK 0
#define TP_EXIT_FAIL 1	/* a port, the pool or an mbuf count went wrong */
#define TP_EXIT_USAGE 2	/* the command line was wrong */

/* Who forwards to whom. */
enum tp_topology {
	TP_TOPO_PAIRED,		/* 0<->1, 2<->3, ... */
	TP_TOPO_CHAINED,	/* 0->1->2 ... ->0 */
	TP_TOPO_LOOP,		/* each port to itself */
};

/* Everything the command line sets. */
struct tp_config {
	const struct fwd_engine *engine;	/* --forward-mode */
	unsigned int nb_fwd_lcores;	/* --nb-cores */
	uint16_t nb_rxq;		/* --rxq */
	uint16_t nb_txq;		/* --txq */
	uint16_t nb_rxd;		/* --rxd, 0: the driver's choice */
	uint16_t nb_txd;		/* --txd, 0: the driver's choice */
	uint16_t burst;			/* --burst */
	uint16_t txpkts[TXPKT_MAX_SEGS];	/* --txpkts */
	unsigned int nb_txpkts;
	uint32_t flowgen_flows;		/* --flowgen-flows */
	unsigned int stats_period;	/* --stats-period, seconds, 0: off */
	bool auto_start;		/* --auto-start */
	bool interactive;		/* -i */
	bool tx_first;			/* --tx-first */
	unsigned int total_num_mbufs;	/* --total-num-mbufs, 0: computed */
	enum tp_topology topology;	/* --port-topology */
	uint64_t nb_pkts;		/* --nb-pkts, 0: no limit */
	double duration;		/* --duration, seconds, 0: no limit */
	uint64_t rss_hf;		/* --rss-ip / --rss-udp, 0: not asked */
	uint16_t mtu;			/* --mtu, 0: the default */
	bool rx_intr;			/* --rx-intr */
	struct dp_ether_addr eth_peer[DP_MAX_ETHPORTS];	/* --eth-peer */
};

extern struct tp_config tp_cfg;

/* One port as testpmd sees it. */
struct tp_port {
	bool started;
	char name[DP_ETH_NAME_MAX_LEN];
	const char *driver;
	uint16_t max_rxq;
	uint16_t max_txq;
	struct dp_ether_addr mac;
	uint16_t peer;			/* where its streams send (topology) */
	struct dp_eth_stats fwd_base;	/* counters when forwarding started */
	struct dp_eth_stats shown;	/* counters at the last "show port stats" */
	uint64_t shown_tsc;		/* when that was, 0: never */
	struct txpkt_template *tmpl;	/* txonly/flowgen frame sent on it */
};

extern struct tp_port tp_ports[DP_MAX_ETHPORTS];
extern struct dp_mempool *tp_pool;

/* ---- options.c --------------------------------------------------------- */

/*
 * Separate EAL and testpmd arguments: testpmd's own options are picked out
 * of argv wherever they are, and everything after a "--" is testpmd's (so
 * both "dpkit-testpmd --vdev=net_null0 --forward-mode=io" and the DPDK
 * form "... -- --forward-mode=io" work). @p app receives argv[0] followed
 * by the testpmd arguments; argv keeps the EAL ones. Returns the new argc
 * of argv, the count in *app_argc.
 */
int tp_args_split(int argc, char **argv, char **app, int *app_argc);

/* Parse testpmd's arguments into tp_cfg. 0, or -EINVAL (printed). */
int tp_args_parse(int argc, char **argv);

/*
 * After a failed dp_eal_init(): if an argument EAL refused looks like a
 * misspelt testpmd option, say which one was meant.
 */
void tp_args_hint(int argc, char **argv);

/* Print testpmd's options (the EAL's usage hook). */
void tp_usage(const char *prgname);

/* Bytes of a txonly/flowgen packet (sum of --txpkts). */
unsigned int tp_txpkt_len(void);

/* Parse a whole number in [min, max]. 0, or -EINVAL. */
int tp_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out);

/* ---- ports.c ------------------------------------------------------------ */

/* Create the pool, configure and start every port. 0, or TP_EXIT_* code. */
int tp_ports_init(void);

/* Stop and close every port, free the pool; TP_EXIT_FAIL if mbufs leaked. */
int tp_ports_close(void);

/* Number of ports. */
uint16_t tp_nb_ports(void);

/* Start / stop one port (messages printed). 0, or negative errno. */
int tp_port_start(uint16_t port);
int tp_port_stop(uint16_t port);

/* Print what a port is and how it is set up. */
void tp_port_info_show(uint16_t port);

/* Set promiscuous mode. 0, or negative errno (printed). */
int tp_port_promisc(uint16_t port, bool on);

/* Mbufs handed out by the pool. */
unsigned int tp_mbufs_in_use(void);

/* ---- fwd.c ---------------------------------------------------------- */

/*
 * Start forwarding with tp_cfg's engine, after @p tx_first_bursts bursts
 * of txonly packets on every stream. 0, or -1 (reason printed).
 */
int tp_fwd_start(unsigned int tx_first_bursts);

/* Stop forwarding and print the forward statistics. */
void tp_fwd_stop(void);

/* Is forwarding running? */
bool tp_fwd_running(void);

/* Will the run stop by itself (--nb-pkts or --duration)? */
bool tp_fwd_bounded(void);

/*
 * Housekeeping while forwarding, called by the main lcore every few
 * milliseconds: periodic statistics, and stopping when --nb-pkts or
 * --duration is reached.
 */
void tp_fwd_tick(void);

/* Print the streams and which lcore polls them ("show config fwd"). */
void tp_fwd_config_show(void);

/* Forward statistics of the current or last run ("show fwd stats all"). */
void tp_fwd_stats_current(void);

/* Free the streams of the last run (at exit). */
void tp_fwd_release(void);

/* Forwarding lcores available (worker lcores). */
unsigned int tp_fwd_lcores_avail(void);

/* ---- stats.c ------------------------------------------------------------ */

/* "NIC statistics for port N" with throughput since the last call. */
void tp_port_stats_show(uint16_t port);

/* Every extended statistic of a port. */
void tp_port_xstats_show(uint16_t port);

/* Reset a port's counters. */
void tp_port_stats_clear(uint16_t port);

/*
 * Per-stream, per-port and accumulated forward statistics of a run
 * (@p streams, counters since its start).
 */
void tp_fwd_stats_show(const struct fwd_stream *streams,
	unsigned int nb_streams);

/* ---- cli.c ---------------------------------------------------------- */

/* Run the interactive prompt until "quit", EOF or a signal. */
void tp_cli_run(void);

/* Execute one command line. 0, 1 for "quit", -1 for an error (printed). */
int tp_cli_exec(char *line);

/* ---- main.c ---------------------------------------------------------- */

/* Set by SIGINT / SIGTERM. */
extern volatile sig_atomic_t tp_signal_received;

/* Print an error ("testpmd: ...") on stderr. */
void tp_err(const char *fmt, ...) __dp_format_printf(1, 2);

/* Print a warning on stderr. */
void tp_warn(const char *fmt, ...) __dp_format_printf(1, 2);

#endif /* TESTPMD_H */
