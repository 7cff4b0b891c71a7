/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TESTPMD_FWD_H
#define TESTPMD_FWD_H

/*
 * Forwarding streams and engines of testpmd, without the application
 * around them: a stream is one RX queue -> TX queue path, an engine is
 * what is done to each burst on it (io, mac, ...). Everything a burst
 * function reads is in its stream, so the unit tests drive the engines on
 * ring ports made with dp_eth_from_rings() and check the bytes.
 */

#include <stdbool.h>
#include <stdint.h>

#include <dp_common.h>
#include <dp_cycles.h>
#include <dp_ether.h>
#include <dp_ethdev.h>
#include <dp_ip.h>
#include <dp_lcore.h>
#include <dp_mbuf.h>
#include <dp_udp.h>

#include "../common/pkt_budget.h"

/* Largest --burst. */
#define FWD_MAX_BURST 512
/* Most segments in a txonly/flowgen packet (--txpkts). */
#define TXPKT_MAX_SEGS 16
/* Largest txonly/flowgen frame (CRC excluded). */
#define TXPKT_MAX_LEN (DP_ETHER_MAX_JUMBO_FRAME_LEN - DP_ETHER_CRC_LEN)
/* Ethernet + IPv4 + UDP: what the first segment must hold. */
#define TXPKT_HDR_LEN (DP_ETHER_HDR_LEN + 20 + 8)
/* Most flowgen flows (source port 1024 + flow stays below 65536). */
#define TXPKT_MAX_FLOWS 64512u
/* Default number of flowgen flows. */
#define TXPKT_DEFAULT_FLOWS 1024u

/* Addresses and ports of the generated frames (RFC 2544 benchmark range). */
#define TXPKT_SRC_IP DP_IPV4(198, 18, 0, 1)
#define TXPKT_DST_IP DP_IPV4(198, 18, 0, 2)
#define TXPKT_UDP_PORT 9	/* discard */
#define TXPKT_FLOW_SPORT 1024	/* flowgen: flow f uses source port 1024 + f */

/*
 * The frame txonly and flowgen send, built once per TX port: a copy of
 * frame[] goes into every packet. Flowgen changes the source address and
 * port per packet; the sums without those fields are kept so each
 * packet's checksums cost two additions and a fold.
 */
struct txpkt_template {
	struct dp_mempool *pool;	/* where packets come from */
	uint32_t pkt_len;		/* frame bytes */
	uint16_t nb_segs;		/* segments per packet */
	uint16_t seg_len[TXPKT_MAX_SEGS];	/* bytes in each */
	uint32_t nb_flows;		/* flowgen flows */
	uint32_t ip_sum_nosrc;		/* IPv4 header sum, source address left out */
	uint32_t udp_sum_nosrc;		/* UDP sum, source address and port left out */
	uint8_t frame[TXPKT_MAX_LEN];	/* flow 0 */
};

/*
 * One RX queue -> TX queue path, polled by one lcore. Counters are
 * written by that lcore only; others read them (relaxed) for display.
 */
struct fwd_stream {
	uint16_t rx_port;
	uint16_t rx_queue;
	uint16_t tx_port;
	uint16_t tx_queue;
	struct dp_ether_addr src_mac;	/* mac: the TX port's address */
	struct dp_ether_addr dst_mac;	/* mac: the TX port's peer */
	const struct txpkt_template *tmpl;	/* txonly, flowgen, tx_first */
	uint32_t next_flow;		/* flowgen */

	uint64_t rx_packets __dp_cache_aligned;	/* received */
	uint64_t tx_packets;		/* taken by tx_burst */
	uint64_t fwd_dropped;		/* refused by tx_burst, freed */
	uint64_t rx_nombuf;		/* txonly/flowgen: pool empty */
} __dp_cache_aligned;


/*
 * --rx-intr state of a forwarding lcore: after FWD_IDLE_PASSES passes over
 * its streams received nothing, it arms the RX interrupts of their
 * queues; if the next pass (the re-check that closes the race with a
 * packet arriving just before arming) receives nothing either, it sleeps
 * on their fds until one fires (or FWD_SLEEP_MS, to see a stop).
 */
struct fwd_intr {
	int epfd;			/* the RX queue fds of its streams */
	int *fds;			/* fd of each stream's RX queue */
	unsigned int idle;		/* empty passes in a row */
	bool armed;			/* armed, re-check pass pending */
	uint64_t sleeps;		/* times it went to sleep */
	uint64_t wakeups;		/* of those, ended by an interrupt */
};

/* Empty passes before arming the interrupts. */
#define FWD_IDLE_PASSES 64
/* Longest sleep: a stop request is seen within this. */
#define FWD_SLEEP_MS 100

/* What one forwarding lcore runs. */
struct fwd_lcore {
	struct fwd_stream **streams;
	unsigned int nb_streams;
	unsigned int lcore_id;
	uint16_t burst;
	struct pkt_budget *budget;	/* NULL: no --nb-pkts */
	struct fwd_intr *intr;		/* NULL: no --rx-intr */
	uint32_t stop;			/* set by the main lcore (atomic) */
	uint64_t end_tsc;		/* when the loop returned */
} __dp_cache_aligned;

/*
 * --rx-intr: account one pass that received @p got packets; arms, sleeps
 * and disarms as described at struct fwd_intr (fwd_intr.c).
 */
void fwd_intr_after_pass(struct fwd_lcore *fc, uint32_t got);

/*
 * Process up to @p nb packets on @p fs. Returns the packets that count
 * towards --nb-pkts: received (forwarding modes) or sent (txonly,
 * flowgen).
 */
typedef uint16_t (*fwd_burst_fn)(struct fwd_stream *fs, uint16_t nb);

struct fwd_engine {
	const char *name;
	const char *what;		/* one line for help and docs */
	bool receives;			/* false: the budget counts sent packets */
	bool needs_template;		/* txonly, flowgen */
	fwd_burst_fn burst;		/* one burst (tests, tx_first) */
	dp_lcore_function_t *lcore_loop;	/* the loop, burst inlined */
};

extern const struct fwd_engine fwd_engine_io;
extern const struct fwd_engine fwd_engine_mac;
extern const struct fwd_engine fwd_engine_macswap;
extern const struct fwd_engine fwd_engine_rxonly;
extern const struct fwd_engine fwd_engine_txonly;
extern const struct fwd_engine fwd_engine_flowgen;

/* NULL-terminated list of the engines, in the order help shows them. */
extern const struct fwd_engine *const fwd_engines[];

/* The engine called @p name, or NULL. */
const struct fwd_engine *fwd_engine_find(const char *name);

/* "io, mac, macswap, rxonly, txonly, flowgen" into @p buf. */
const char *fwd_engine_names(char *buf, size_t size);

/* ---- counters --------------------------------------------------------- */

/* Add to a counter only this lcore writes (readers use relaxed loads). */
static __dp_always_inline void
fwd_count(uint64_t *c, uint64_t n)
{
	__atomic_store_n(c, *c + n, __ATOMIC_RELAXED);
}

/* Receive up to @p nb packets on the stream's RX queue and count them. */
static __dp_always_inline uint16_t
fwd_rx(struct fwd_stream *fs, struct dp_mbuf **pkts, uint16_t nb)
{
	uint16_t n = dp_eth_rx_burst(fs->rx_port, fs->rx_queue, pkts, nb);

	if (n != 0)
		fwd_count(&fs->rx_packets, n);
	return n;
}

/*
 * Send @p nb packets on the stream's TX queue; count what was taken, free
 * and count what was refused. Returns the number sent.
 */
static __dp_always_inline uint16_t
fwd_tx(struct fwd_stream *fs, struct dp_mbuf **pkts, uint16_t nb)
{
	uint16_t sent = dp_eth_tx_burst(fs->tx_port, fs->tx_queue, pkts, nb);

	fwd_count(&fs->tx_packets, sent);
	if (unlikely(sent < nb)) {
		fwd_count(&fs->fwd_dropped, (uint64_t)(nb - sent));
		dp_pktmbuf_free_bulk(pkts + sent, (unsigned int)(nb - sent));
	}
	return sent;
}

/*
 * Receive, rewrite the Ethernet addresses of each packet, send: the mac
 * (@p swap false: the stream's addresses) and macswap (@p swap true)
 * modes. @p swap is a constant in each caller, so each gets its own loop.
 */
static __dp_always_inline uint16_t
fwd_ether_rewrite(struct fwd_stream *fs, uint16_t nb, bool swap)
{
	struct dp_mbuf *pkts[FWD_MAX_BURST];
	struct dp_ether_addr tmp;
	struct dp_ether_hdr *eth;
	uint16_t nb_rx, i;

	nb_rx = fwd_rx(fs, pkts, nb);
	for (i = 0; i < nb_rx; i++) {
		if (likely(i + 1 < nb_rx))
			dp_prefetch0(dp_pktmbuf_mtod(pkts[i + 1], void *));
		eth = dp_pktmbuf_mtod(pkts[i], struct dp_ether_hdr *);
		if (swap) {
			tmp = eth->dst_addr;
			eth->dst_addr = eth->src_addr;
			eth->src_addr = tmp;
		} else {
			eth->dst_addr = fs->dst_mac;
			eth->src_addr = fs->src_mac;
		}
	}
	if (nb_rx != 0)
		fwd_tx(fs, pkts, nb_rx);
	return nb_rx;
}

/* ---- budget (pkt_budget.h) ---------------------------------------------- */

/* Bursts' worth an lcore claims from the budget at a time. */
#define FWD_BUDGET_CHUNK 16

/*
 * The loop of a forwarding lcore, instantiated by each engine with its
 * own burst function so the compiler inlines it: one direct call per
 * stream and burst, none per packet. Stops when the main lcore sets
 * fc->stop or the budget is spent.
 */
static __dp_always_inline int
fwd_lcore_run(struct fwd_lcore *fc, fwd_burst_fn burst)
{
	struct fwd_stream **streams = fc->streams;
	const unsigned int n = fc->nb_streams;
	const uint16_t nb = fc->burst;
	struct pkt_budget *b = fc->budget;
	uint32_t held = 0, used = 0, pass;
	uint16_t want, got;
	unsigned int i;

	if (b == NULL) {
		do {
			pass = 0;
			for (i = 0; i < n; i++)
				pass += burst(streams[i], nb);
			if (unlikely(fc->intr != NULL))
				fwd_intr_after_pass(fc, pass);
		} while (!__atomic_load_n(&fc->stop, __ATOMIC_RELAXED));
		fc->end_tsc = dp_rdtsc();
		return 0;
	}
	do {
		pass = 0;
		for (i = 0; i < n; i++) {
			if (held == 0) {
				held = pkt_budget_claim(b,
					(uint32_t)nb * FWD_BUDGET_CHUNK);
				if (held == 0)
					break;
			}
			want = held < nb ? (uint16_t)held : nb;
			got = burst(streams[i], want);
			pass += got;
			held -= got;
			used += got;
			if (got < want || held == 0) {
				pkt_budget_settle(b, held, used);
				held = used = 0;
			}
		}
		/* A short poll gave the budget back: sleeping holds none. */
		if (unlikely(fc->intr != NULL))
			fwd_intr_after_pass(fc, pass);
	} while (!pkt_budget_spent(b) &&
		 !__atomic_load_n(&fc->stop, __ATOMIC_RELAXED));
	pkt_budget_settle(b, held, used);
	fc->end_tsc = dp_rdtsc();
	return 0;
}

/* Define the lcore loop of an engine whose burst function is @p fn. */
#define FWD_LCORE_LOOP(fn) \
	static int \
	fn##_loop(void *arg) \
	{ \
		return fwd_lcore_run(arg, fn); \
	}

/* ---- engine helpers (fwd_mac.c, txpkt.c) ----------------------------- */

/* The MAC of the peer of @p port by default: 02:00:00:00:00:<port>. */
void fwd_default_peer_mac(uint16_t port, struct dp_ether_addr *mac);

/*
 * Fill the MAC fields of @p fs: source = its TX port's address, destination
 * = @p peer (the machine on the other side of the TX port).
 */
int fwd_stream_set_macs(struct fwd_stream *fs, const struct dp_ether_addr *peer);

/*
 * Build the frame of @p t: Ethernet @p src -> @p dst, IPv4 198.18.0.1 ->
 * 198.18.0.2, UDP 9 -> 9, a payload of bytes counting up, checksums.
 * @p seg_len holds the @p nb_segs segment lengths (--txpkts).
 * Returns 0, or -EINVAL with the reason in @p err.
 */
int txpkt_template_build(struct txpkt_template *t, struct dp_mempool *pool,
	const uint16_t *seg_len, unsigned int nb_segs, uint32_t nb_flows,
	const struct dp_ether_addr *src, const struct dp_ether_addr *dst,
	char *err, size_t err_size);

/*
 * Check --txpkts segment lengths for mbufs of @p room data bytes: 1 to
 * TXPKT_MAX_SEGS segments, each 1 to @p room bytes, the first holding the
 * headers, the total at most TXPKT_MAX_LEN.
 * Returns the frame length, or -EINVAL with the reason in @p err.
 */
int txpkt_check_lengths(const uint16_t *seg_len, unsigned int nb_segs,
	unsigned int room, char *err, size_t err_size);

/*
 * Allocate @p nb packets from the template's pool, each a copy of the
 * frame (chained when several segments). All or none.
 * Returns 0, or -ENOENT when the pool is short.
 */
int txpkt_alloc_burst(const struct txpkt_template *t, struct dp_mbuf **pkts,
	uint16_t nb);

/*
 * Turn a copy of the frame into flow @p flow: source address 198.18.0.1 +
 * flow, source port 1024 + flow, and both checksums from the sums kept
 * without those fields (no pass over the packet).
 */
static __dp_always_inline void
txpkt_set_flow(const struct txpkt_template *t, struct dp_mbuf *m,
	uint32_t flow)
{
	struct dp_ipv4_hdr *ip = dp_pktmbuf_mtod_offset(m, struct dp_ipv4_hdr *,
		DP_ETHER_HDR_LEN);
	struct dp_udp_hdr *udp = (struct dp_udp_hdr *)(ip + 1);
	uint32_t src = TXPKT_SRC_IP + flow;
	uint16_t sport = (uint16_t)(TXPKT_FLOW_SPORT + flow);
	uint32_t words = (src >> 16) + (src & 0xffff);
	uint16_t c;

	ip->src_addr = dp_cpu_to_be_32(src);
	ip->hdr_checksum = dp_cpu_to_be_16(
		(uint16_t)~dp_cksum_fold(t->ip_sum_nosrc + words));
	udp->src_port = dp_cpu_to_be_16(sport);
	c = (uint16_t)~dp_cksum_fold(t->udp_sum_nosrc + words + sport);
	/* A computed 0 goes out as 0xffff: 0 means "no checksum" in UDP. */
	udp->dgram_cksum = dp_cpu_to_be_16(c == 0 ? 0xffff : c);
}

#endif /* TESTPMD_FWD_H */
