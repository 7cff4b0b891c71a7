/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * testpmd's command line: the option table (names as DPDK's testpmd spells
 * them), parsing into tp_cfg with a message for every bad value, the
 * split between EAL and testpmd arguments, and --help.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <dp_errno.h>
#include <dp_lcore.h>

#include "testpmd.h"

struct tp_config tp_cfg = {
	.engine = &fwd_engine_io,
	.nb_fwd_lcores = 1,
	.nb_rxq = 1,
	.nb_txq = 1,
	.burst = 32,
	.txpkts = { 64 },
	.nb_txpkts = 1,
	.flowgen_flows = TXPKT_DEFAULT_FLOWS,
	.topology = TP_TOPO_PAIRED,
};

enum opt_id {
	OPT_FORWARD_MODE,
	OPT_NB_CORES,
	OPT_RXQ,
	OPT_TXQ,
	OPT_RXD,
	OPT_TXD,
	OPT_BURST,
	OPT_TXPKTS,
	OPT_FLOWGEN_FLOWS,
	OPT_STATS_PERIOD,
	OPT_AUTO_START,
	OPT_INTERACTIVE,
	OPT_TOTAL_NUM_MBUFS,
	OPT_PORT_TOPOLOGY,
	OPT_NB_PKTS,
	OPT_DURATION,
	OPT_ETH_PEER,
	OPT_TX_FIRST,
	OPT_RSS_IP,
	OPT_RSS_UDP,
	OPT_MTU,
	OPT_RX_INTR,
	OPT_HELP,
};

struct opt_def {
	const char *name;	/* long name without "--" */
	char short_name;	/* 0 if none */
	const char *arg;	/* value placeholder, NULL: takes none */
	enum opt_id id;
	const char *help;
	void *num;		/* numeric options: the tp_cfg field */
	size_t num_size;	/* its size */
	uint64_t min, max;	/* its range */
};

/* A numeric option stored in tp_cfg.field, from lo to hi. */
#define NUM(field, lo, hi) \
	.num = &tp_cfg.field, .num_size = sizeof(tp_cfg.field), \
	.min = (lo), .max = (hi)

static const struct opt_def opt_defs[] = {
	{ "forward-mode", 0, "MODE", OPT_FORWARD_MODE,
	  "io, mac, macswap, rxonly, txonly or flowgen (default io)" },
	{ "nb-cores", 0, "N", OPT_NB_CORES,
	  "forwarding lcores; the streams are spread over them (default 1)",
	  NUM(nb_fwd_lcores, 1, DP_MAX_LCORE) },
	{ "rxq", 0, "N", OPT_RXQ, "RX queues per port (default 1)",
	  NUM(nb_rxq, 1, DP_MAX_QUEUES_PER_PORT) },
	{ "txq", 0, "N", OPT_TXQ, "TX queues per port (default 1)",
	  NUM(nb_txq, 1, DP_MAX_QUEUES_PER_PORT) },
	{ "rxd", 0, "N", OPT_RXD,
	  "descriptors per RX queue (default: the driver's choice)",
	  NUM(nb_rxd, 1, UINT16_MAX) },
	{ "txd", 0, "N", OPT_TXD,
	  "descriptors per TX queue (default: the driver's choice)",
	  NUM(nb_txd, 1, UINT16_MAX) },
	{ "burst", 0, "N", OPT_BURST,
	  "packets per burst, 1 to 512 (default 32)",
	  NUM(burst, 1, FWD_MAX_BURST) },
	{ "txpkts", 0, "LEN[,LEN..]", OPT_TXPKTS,
	  "txonly/flowgen packet: segment lengths, chained (default 64)" },
	{ "flowgen-flows", 0, "N", OPT_FLOWGEN_FLOWS,
	  "flowgen: number of flows, 1 to 64512 (default 1024)",
	  NUM(flowgen_flows, 1, TXPKT_MAX_FLOWS) },
	{ "stats-period", 0, "S", OPT_STATS_PERIOD,
	  "print port statistics every S seconds while forwarding",
	  NUM(stats_period, 1, 86400) },
	{ "auto-start", 0, NULL, OPT_AUTO_START,
	  "with -i: start forwarding before the first prompt" },
	{ "interactive", 'i', NULL, OPT_INTERACTIVE,
	  "interactive mode: a command prompt (also reads commands from a pipe)" },
	{ "total-num-mbufs", 0, "N", OPT_TOTAL_NUM_MBUFS,
	  "mbufs in the pool (default: enough for every queue)",
	  NUM(total_num_mbufs, 512, 1u << 26) },
	{ "port-topology", 0, "T", OPT_PORT_TOPOLOGY,
	  "paired (0<->1, 2<->3), chained (0->1->..->0) or loop (each to "
	  "itself) (default paired)" },
	{ "nb-pkts", 0, "N", OPT_NB_PKTS,
	  "stop after N packets received on all ports (sent, in txonly and "
	  "flowgen)", NUM(nb_pkts, 1, UINT64_MAX / 2) },
	{ "duration", 0, "S", OPT_DURATION,
	  "stop after S seconds of forwarding (decimals allowed)" },
	{ "eth-peer", 0, "N,MAC", OPT_ETH_PEER,
	  "MAC of the machine on port N (mac mode destination; default "
	  "02:00:00:00:00:N)" },
	{ "tx-first", 0, NULL, OPT_TX_FIRST,
	  "send one burst on every stream before forwarding (ring ports)" },
	{ "rss-ip", 0, NULL, OPT_RSS_IP,
	  "with --rxq > 1: spread packets by IP addresses (the default)" },
	{ "rss-udp", 0, NULL, OPT_RSS_UDP,
	  "with --rxq > 1: spread packets by IP addresses and UDP ports" },
	{ "mtu", 0, "N", OPT_MTU,
	  "MTU of every port; frames larger than an mbuf arrive as chains "
	  "(scatter) (default 1500)", NUM(mtu, 68, 65535) },
	{ "rx-intr", 0, NULL, OPT_RX_INTR,
	  "sleep on RX interrupts when no packet comes (less CPU when idle)" },
	{ "help", 'h', NULL, OPT_HELP, "this text" },
};

void
tp_usage(const char *prgname)
{
	char left[40];
	size_t i;

	printf("\nUsage: %s [EAL options] [--] [testpmd options]\n"
		"testpmd options (the \"--\" is optional):\n", prgname);
	for (i = 0; i < DP_DIM(opt_defs); i++) {
		const struct opt_def *d = &opt_defs[i];

		if (d->short_name)
			snprintf(left, sizeof(left), "-%c, --%s", d->short_name,
				d->name);
		else
			snprintf(left, sizeof(left), "--%s%s%s", d->name,
				d->arg ? "=" : "", d->arg ? d->arg : "");
		printf("  %-26s %s\n", left, d->help);
	}
	printf("Example: %s --no-huge -l 0-1 --vdev=net_null0 --vdev=net_null1 "
		"--forward-mode=io --nb-pkts=10000000\n"
		"Interactive commands: run with -i and type 'help'.\n", prgname);
	fflush(stdout);
}

unsigned int
tp_txpkt_len(void)
{
	unsigned int i, len = 0;

	for (i = 0; i < tp_cfg.nb_txpkts; i++)
		len += tp_cfg.txpkts[i];
	return len;
}

/* ---- small parsers ------------------------------------------------------- */

int
tp_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (s == NULL || *s == '\0' || *s == '-')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

/* Levenshtein distance of two short strings (at most 63 characters). */
static unsigned int
edit_distance(const char *a, size_t la, const char *b)
{
	unsigned int row[64], prev, tmp, i, j;
	size_t lb = strlen(b);

	if (la > 63 || lb > 63)
		return 99;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			tmp = row[j];
			row[j] = DP_MIN(DP_MIN(row[j] + 1, row[j - 1] + 1),
				prev + (a[i - 1] != b[j - 1]));
			prev = tmp;
		}
	}
	return row[lb];
}

/* The testpmd option closest to @p name (len chars), or NULL if none is close. */
static const char *
closest_option(const char *name, size_t len)
{
	unsigned int best = 3, d;
	const char *hint = NULL;
	size_t i;

	for (i = 0; i < DP_DIM(opt_defs); i++) {
		d = edit_distance(name, len, opt_defs[i].name);
		if (d < best) {
			best = d;
			hint = opt_defs[i].name;
		}
	}
	return hint;
}

static const struct opt_def *
find_long(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < DP_DIM(opt_defs); i++)
		if (strlen(opt_defs[i].name) == len &&
		    strncmp(opt_defs[i].name, name, len) == 0)
			return &opt_defs[i];
	return NULL;
}

static const struct opt_def *
find_short(char c)
{
	size_t i;

	for (i = 0; i < DP_DIM(opt_defs); i++)
		if (opt_defs[i].short_name == c)
			return &opt_defs[i];
	return NULL;
}

/*
 * The option @p a names (a long option with or without "=value", or a
 * short one), or NULL. *has_val tells whether the value is attached.
 */
static const struct opt_def *
lookup(const char *a, bool *has_val)
{
	*has_val = false;
	if (a[0] != '-' || a[1] == '\0')
		return NULL;
	if (a[1] == '-') {
		const char *eq = strchr(a + 2, '=');

		*has_val = eq != NULL;
		return find_long(a + 2, eq ? (size_t)(eq - a - 2) : strlen(a + 2));
	}
	return a[2] == '\0' ? find_short(a[1]) : NULL;
}

/* ---- EAL / testpmd split ------------------------------------------------- */

int
tp_args_split(int argc, char **argv, char **app, int *app_argc)
{
	int i, n_eal = 1, n_app = 1;

	app[0] = argv[0];
	for (i = 1; i < argc; i++) {
		const struct opt_def *d;
		bool has_val;

		if (strcmp(argv[i], "--") == 0) {
			/* Everything after "--" is testpmd's, as in DPDK. */
			while (++i < argc)
				app[n_app++] = argv[i];
			break;
		}
		d = lookup(argv[i], &has_val);
		/* -h/--help goes to EAL: it prints its options, then ours. */
		if (d == NULL || d->id == OPT_HELP) {
			argv[n_eal++] = argv[i];
			continue;
		}
		app[n_app++] = argv[i];
		if (d->arg != NULL && !has_val && i + 1 < argc &&
		    strcmp(argv[i + 1], "--") != 0)
			app[n_app++] = argv[++i];
	}
	argv[n_eal] = NULL;
	*app_argc = n_app;
	return n_eal;
}

void
tp_args_hint(int argc, char **argv)
{
	const char *hint;
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		size_t len;

		if (strncmp(a, "--", 2) != 0 || a[2] == '\0')
			continue;
		len = strcspn(a + 2, "=");
		hint = closest_option(a + 2, len);
		if (hint != NULL)
			tp_err("'%s' is not a testpmd option either: did you mean "
				"--%s? (see --help)", a, hint);
	}
}

/* ---- values ------------------------------------------------------------ */

static int
bad_number(const char *opt, const char *val, uint64_t min, uint64_t max)
{
	tp_err("%s=%s: expected a number from %" PRIu64 " to %" PRIu64, opt,
		val, min, max);
	return -EINVAL;
}

/* Store a parsed number in a numeric option's field. */
static int
store_num(const struct opt_def *d, const char *opt, const char *val)
{
	uint64_t v;

	if (tp_parse_u64(val, d->min, d->max, &v) < 0)
		return bad_number(opt, val, d->min, d->max);
	switch (d->num_size) {
	case sizeof(uint16_t):
		*(uint16_t *)d->num = (uint16_t)v;
		break;
	case sizeof(uint32_t):
		*(uint32_t *)d->num = (uint32_t)v;
		break;
	default:
		*(uint64_t *)d->num = v;
		break;
	}
	return 0;
}

static int
parse_txpkts(const char *opt, const char *val)
{
	char buf[256], err[160], *tok, *save = NULL;
	uint16_t lens[TXPKT_MAX_SEGS];
	unsigned int n = 0;
	uint64_t v;

	if (snprintf(buf, sizeof(buf), "%s", val) >= (int)sizeof(buf))
		goto bad;
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	     tok = strtok_r(NULL, ",", &save)) {
		if (n == TXPKT_MAX_SEGS) {
			tp_err("%s=%s: at most %d segments", opt, val,
				TXPKT_MAX_SEGS);
			return -EINVAL;
		}
		if (tp_parse_u64(tok, 1, UINT16_MAX, &v) < 0)
			goto bad;
		lens[n++] = (uint16_t)v;
	}
	if (txpkt_check_lengths(lens, n, DP_MBUF_DEFAULT_DATAROOM, err,
	    sizeof(err)) < 0) {
		tp_err("%s=%s: %s", opt, val, err);
		return -EINVAL;
	}
	memcpy(tp_cfg.txpkts, lens, sizeof(lens[0]) * n);
	tp_cfg.nb_txpkts = n;
	return 0;
bad:
	tp_err("%s=%s: expected segment lengths separated by commas, e.g. "
		"64 or 128,1024", opt, val);
	return -EINVAL;
}

static int
parse_eth_peer(const char *opt, const char *val)
{
	const char *comma = strchr(val, ',');
	struct dp_ether_addr mac;
	char num[16];
	uint64_t port;

	if (comma == NULL || (size_t)(comma - val) >= sizeof(num))
		goto bad;
	memcpy(num, val, (size_t)(comma - val));
	num[comma - val] = '\0';
	if (tp_parse_u64(num, 0, DP_MAX_ETHPORTS - 1, &port) < 0 ||
	    dp_ether_unformat_addr(comma + 1, &mac) < 0)
		goto bad;
	tp_cfg.eth_peer[port] = mac;
	return 0;
bad:
	tp_err("%s=%s: expected PORT,XX:XX:XX:XX:XX:XX with PORT from 0 to %d",
		opt, val, DP_MAX_ETHPORTS - 1);
	return -EINVAL;
}

static int
parse_seconds(const char *opt, const char *val, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(val, &end);
	if (errno != 0 || *end != '\0' || end == val || !(v > 0) || v > 1e7) {
		tp_err("%s=%s: expected a number of seconds above 0 (e.g. 2.5)",
			opt, val);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

static int
handle(const struct opt_def *d, const char *opt, const char *val)
{
	char names[128];

	if (d->num != NULL)
		return store_num(d, opt, val);
	switch (d->id) {
	case OPT_FORWARD_MODE:
		tp_cfg.engine = fwd_engine_find(val);
		if (tp_cfg.engine == NULL) {
			tp_err("%s=%s: unknown forwarding mode; choose one of %s",
				opt, val, fwd_engine_names(names, sizeof(names)));
			return -EINVAL;
		}
		return 0;
	case OPT_TXPKTS:
		return parse_txpkts(opt, val);
	case OPT_AUTO_START:
		tp_cfg.auto_start = true;
		return 0;
	case OPT_INTERACTIVE:
		tp_cfg.interactive = true;
		return 0;
	case OPT_PORT_TOPOLOGY:
		if (strcmp(val, "paired") == 0)
			tp_cfg.topology = TP_TOPO_PAIRED;
		else if (strcmp(val, "chained") == 0)
			tp_cfg.topology = TP_TOPO_CHAINED;
		else if (strcmp(val, "loop") == 0)
			tp_cfg.topology = TP_TOPO_LOOP;
		else {
			tp_err("%s=%s: choose paired, chained or loop", opt, val);
			return -EINVAL;
		}
		return 0;
	case OPT_DURATION:
		return parse_seconds(opt, val, &tp_cfg.duration);
	case OPT_ETH_PEER:
		return parse_eth_peer(opt, val);
	case OPT_TX_FIRST:
		tp_cfg.tx_first = true;
		return 0;
	case OPT_RSS_IP:
		tp_cfg.rss_hf = DP_ETH_RSS_IP;
		return 0;
	case OPT_RSS_UDP:
		tp_cfg.rss_hf = DP_ETH_RSS_IP | DP_ETH_RSS_UDP;
		return 0;
	case OPT_RX_INTR:
		tp_cfg.rx_intr = true;
		return 0;
	default:
		break;	/* numbers above; --help in the caller */
	}
	return -EINVAL;
}

int
tp_args_parse(int argc, char **argv)
{
	uint16_t p;
	int i;

	for (p = 0; p < DP_MAX_ETHPORTS; p++)
		fwd_default_peer_mac(p, &tp_cfg.eth_peer[p]);
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *val = NULL;
		const struct opt_def *d;
		char opt[48];
		bool has_val;

		d = lookup(a, &has_val);
		if (d == NULL) {
			size_t len = a[0] == '-' && a[1] == '-' ?
				strcspn(a + 2, "=") : 0;
			const char *hint = len ? closest_option(a + 2, len) : NULL;

			if (hint != NULL)
				tp_err("unknown option '%s': did you mean --%s? "
					"(see --help)", a, hint);
			else
				tp_err("unknown option '%s' (see --help)", a);
			return -EINVAL;
		}
		if (d->id == OPT_HELP) {
			tp_usage(argv[0]);
			return -DP_EHELP;
		}
		snprintf(opt, sizeof(opt), "--%s", d->name);
		if (has_val) {
			val = strchr(a, '=') + 1;
			if (d->arg == NULL) {
				tp_err("%s takes no value", opt);
				return -EINVAL;
			}
		} else if (d->arg != NULL) {
			if (i + 1 >= argc) {
				tp_err("%s needs a value (%s=%s)", opt, opt, d->arg);
				return -EINVAL;
			}
			val = argv[++i];
		}
		if (handle(d, opt, val) < 0)
			return -EINVAL;
	}
	if (tp_cfg.auto_start && !tp_cfg.interactive)
		tp_warn("--auto-start only matters with -i: without it, "
			"forwarding always starts at once");
	return 0;
}
