/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_pcap: ports that read packets from pcap files or live interfaces and
 * write them to pcap files or live interfaces, through libpcap.
 *
 *   --vdev=net_pcap0,rx_pcap=in.pcap,tx_pcap=out.pcap
 *   --vdev=net_pcap0,rx_pcap=a.pcap,rx_pcap=b.pcap,tx_pcap=c.pcap,tx_pcap=d.pcap
 *   --vdev=net_pcap0,iface=eth0          (live, both ways)
 *   --vdev=net_pcap0,rx_iface=eth0,tx_pcap=out.pcap
 *   --vdev=net_pcap0,rx_pcap=in.pcap,infinite_rx=1   (load generator)
 *
 * Every rx_pcap / rx_iface (and iface) is one RX queue, every tx_pcap /
 * tx_iface (and iface) one TX queue, in the order given. A port with no
 * RX source has as many RX queues as TX queues, and they return nothing; a
 * port with no TX source has TX queues that drop (counted as sent).
 *
 * Files are opened at probe so that a wrong name fails at --vdev time:
 * input files with nanosecond time stamps (microsecond files are scaled),
 * output files are written with nanosecond stamps. A packet's capture time
 * travels in mbuf->timestamp (ns since the epoch, DP_MBUF_F_RX_TIMESTAMP);
 * TX writes it back, or the current time for packets without the flag.
 *
 * A bad record (truncated file, impossible length) ends the queue: the
 * packets before it are delivered, one error names the file and the byte
 * offset of the record, ierrors counts it, and the queue returns nothing
 * from then on.
 *
 * Output files are flushed and closed by dp_eth_dev_stop() and reopened
 * for appending by the next dp_eth_dev_start(): stop, then copy or read
 * the file.
 */

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <net/if.h>

#include <pcap.h>

#include <dp_bus_vdev.h>
#include <dp_ethdev_driver.h>
#include <dp_kvargs.h>
#include <dp_log.h>
#include <dp_mbuf.h>

#include "pmd_copy_private.h"
#include "pmd_iface_private.h"
#include "pmd_stats_private.h"

DP_LOG_REGISTER(net_pcap, "pmd.net.pcap", INFO);

#define PCAP_LOG(level, port, fmt, ...) \
	DP_LOG(level, net_pcap, "%s: " fmt, (port)->name, ##__VA_ARGS__)

/** Most RX (or TX) sources of one port. */
#define PCAP_PMD_MAX_QUEUES 16
/** Largest frame read or written: libpcap's own limit for Ethernet. */
#define PCAP_PMD_SNAPLEN 262144
#define NS_PER_S 1000000000ull

enum pcap_kind {
	PCAP_NONE = 0,	/* no source: RX returns nothing, TX drops */
	PCAP_FILE,	/* rx_pcap / tx_pcap */
	PCAP_IFACE,	/* rx_iface / tx_iface / iface */
};

/* infinite_rx: a whole input file in memory, replayed in a loop. */
struct pcap_replay_pkt {
	size_t off;		/* in pcap_replay.data */
	uint32_t len;
	uint64_t ts;		/* capture time, ns */
};

struct pcap_replay {
	uint8_t *data;		/* the frames back to back */
	struct pcap_replay_pkt *pkts;
	uint32_t nb;
	uint32_t next;		/* next to deliver */
};

struct pcap_rxq {
	enum pcap_kind kind;
	char *name;		/* file or interface */
	pcap_t *pcap;		/* NULL for infinite_rx (file loaded) */
	struct pcap_replay *replay;
	struct dp_mempool *mp;
	struct dp_eth_dev_data *data;
	bool nano;		/* time stamps in ns (else us) */
	bool dead;		/* bad record or capture error: nothing more */
	bool eof;		/* file read to its end */
	long long next_off;	/* file: offset of the next record */
	uint64_t good;		/* records read from the file */
	uint64_t pkts;
	uint64_t bytes;
	uint64_t errors;
} __dp_cache_aligned;

struct pcap_txq {
	enum pcap_kind kind;
	char *name;
	pcap_t *pcap;		/* file: "dead" handle; iface: live handle */
	pcap_dumper_t *dumper;	/* file: open between start and stop */
	FILE *f;		/* the dumper's stream */
	uint8_t *bounce;	/* iface: chains are gathered here */
	uint64_t pkts;
	uint64_t bytes;
	uint64_t errors;
} __dp_cache_aligned;

struct pcap_port {
	const char *name;	/* device name, for messages */
	uint16_t nb_rx, nb_tx;	/* sources given */
	bool infinite_rx;
	bool live;		/* some queue is on a live interface */
	struct pcap_rxq rxq[PCAP_PMD_MAX_QUEUES];
	struct pcap_txq txq[PCAP_PMD_MAX_QUEUES];
};

static const char *const pcap_keys[] = {
	"rx_pcap", "tx_pcap", "rx_iface", "tx_iface", "iface", "infinite_rx",
	NULL,
};

static uint64_t
realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * NS_PER_S + (uint64_t)ts.tv_nsec;
}

static inline uint64_t
hdr_ts_ns(const struct pcap_pkthdr *h, bool nano)
{
	return (uint64_t)h->ts.tv_sec * NS_PER_S +
		(uint64_t)h->ts.tv_usec * (nano ? 1 : 1000);
}

static void
add_nombuf(struct dp_eth_dev_data *data, uint64_t n)
{
	/* Queues of one port may run on several lcores. */
	__atomic_fetch_add(&data->rx_mbuf_alloc_failed, n, __ATOMIC_RELAXED);
}

/* ---- RX ---------------------------------------------------------------------- */

/* A record could not be read: say where, once, and stop the queue. */
static void
rx_failed(struct pcap_rxq *q, const char *port)
{
	if (q->kind == PCAP_FILE)
		DP_LOG(ERR, net_pcap, "%s: rx_pcap '%s': bad record at byte "
			"offset %lld (after %" PRIu64 " good packets): %s; the "
			"rest of the file is not read (repair or re-capture it)",
			port, q->name, q->next_off, q->good, pcap_geterr(q->pcap));
	else
		DP_LOG(ERR, net_pcap, "%s: capture on '%s' failed: %s; this "
			"queue receives nothing more (check the interface)",
			port, q->name, pcap_geterr(q->pcap));
	q->errors++;
	q->dead = true;
}

/*
 * One record from a file or a live capture into a fresh mbuf.
 * Returns 1 (packet in *out), 0 (nothing now / end of file), -1 (no
 * mbuf: nothing was consumed, or a chain could not be completed).
 */
static int
rx_one(struct pcap_rxq *q, struct dp_mbuf **out)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	struct dp_mbuf *m;
	int rc;

	m = dp_pktmbuf_alloc(q->mp);
	if (unlikely(m == NULL))
		return -1;
	rc = pcap_next_ex(q->pcap, &h, &data);
	if (rc != 1) {
		dp_pktmbuf_free(m);
		if (rc == PCAP_ERROR)
			rx_failed(q, q->data->name);
		else if (rc == PCAP_ERROR_BREAK)
			q->eof = true;	/* end of file; 0 is "nothing yet" (live) */
		return 0;
	}
	if (q->kind == PCAP_FILE) {
		q->good++;
		q->next_off = (long long)ftello(pcap_file(q->pcap));
	}
	m = pmd_copy_frame(q->mp, m, data, h->caplen);
	if (unlikely(m == NULL))
		return -1;
	m->port = q->data->port_id;
	m->timestamp = hdr_ts_ns(h, q->nano);
	m->ol_flags |= DP_MBUF_F_RX_TIMESTAMP;
	*out = m;
	return 1;
}

static uint16_t
rx_stream(struct pcap_rxq *q, struct dp_mbuf **bufs, uint16_t n)
{
	uint64_t bytes = 0;
	uint16_t nb = 0;
	int rc;

	if (unlikely(q->dead || q->eof))
		return 0;
	while (nb < n) {
		rc = rx_one(q, &bufs[nb]);
		if (rc <= 0) {
			if (rc < 0)
				add_nombuf(q->data, 1);
			break;
		}
		bytes += bufs[nb]->pkt_len;
		nb++;
	}
	q->pkts += nb;
	q->bytes += bytes;
	return nb;
}

static uint16_t
rx_replay(struct pcap_rxq *q, struct dp_mbuf **bufs, uint16_t n)
{
	struct pcap_replay *r = q->replay;
	uint64_t bytes = 0;
	uint16_t i, nb = 0;

	if (unlikely(dp_pktmbuf_alloc_bulk(q->mp, bufs, n) != 0)) {
		add_nombuf(q->data, n);
		return 0;
	}
	for (i = 0; i < n; i++) {
		const struct pcap_replay_pkt *p = &r->pkts[r->next];
		struct dp_mbuf *m;

		if (++r->next == r->nb)
			r->next = 0;
		m = pmd_copy_frame(q->mp, bufs[i], r->data + p->off, p->len);
		if (unlikely(m == NULL)) {
			add_nombuf(q->data, 1);
			continue;
		}
		m->port = q->data->port_id;
		m->timestamp = p->ts;
		m->ol_flags |= DP_MBUF_F_RX_TIMESTAMP;
		bytes += p->len;
		bufs[nb++] = m;
	}
	q->pkts += nb;
	q->bytes += bytes;
	return nb;
}

static uint16_t
pcap_rx(void *queue, struct dp_mbuf **bufs, uint16_t n)
{
	struct pcap_rxq *q = queue;

	if (q->replay != NULL)
		return rx_replay(q, bufs, n);
	if (q->kind == PCAP_NONE)
		return 0;
	return rx_stream(q, bufs, n);
}

/* ---- TX ---------------------------------------------------------------------- */

/* A pcap record header as written to the file (host byte order, as the
 * file's magic number tells readers). */
struct pcap_rec_hdr {
	uint32_t ts_sec;
	uint32_t ts_nsec;
	uint32_t caplen;
	uint32_t len;
};

/* Write one packet, every segment, as one record. */
static bool
tx_write_record(FILE *f, const struct dp_mbuf *m, uint64_t ts)
{
	struct pcap_rec_hdr rec;
	const struct dp_mbuf *seg;
	uint32_t left = DP_MIN(m->pkt_len, (uint32_t)PCAP_PMD_SNAPLEN), l;

	rec.ts_sec = (uint32_t)(ts / NS_PER_S);
	rec.ts_nsec = (uint32_t)(ts % NS_PER_S);
	rec.caplen = left;
	rec.len = m->pkt_len;
	if (fwrite_unlocked(&rec, sizeof(rec), 1, f) != 1)
		return false;
	for (seg = m; seg != NULL && left > 0; seg = seg->next) {
		l = DP_MIN(left, (uint32_t)seg->data_len);
		if (fwrite_unlocked(dp_pktmbuf_mtod(seg, const void *), 1, l, f) != l)
			return false;
		left -= l;
	}
	return left == 0;
}

/* Write @p m to the queue's file, with its capture time or @p *now
 * (read once per burst, when first needed). */
static bool
tx_file_one(struct pcap_txq *q, const struct dp_mbuf *m, uint64_t *now)
{
	uint64_t ts;

	if (m->ol_flags & DP_MBUF_F_RX_TIMESTAMP) {
		ts = m->timestamp;
	} else {
		if (*now == 0)
			*now = realtime_ns();
		ts = *now;
	}
	return tx_write_record(q->f, m, ts);
}

/* Send @p m on the queue's interface (chains gathered first). */
static bool
tx_iface_one(struct pcap_txq *q, const struct dp_mbuf *m)
{
	const void *frame = dp_pktmbuf_mtod(m, const void *);
	uint32_t len = m->pkt_len;

	if (m->nb_segs > 1) {
		len = pmd_gather_frame(m, q->bounce, PCAP_PMD_SNAPLEN, false);
		frame = q->bounce;
	}
	return len > 0 && pcap_inject(q->pcap, frame, len) == (int)len;
}

/* Every packet is taken: written, sent, or counted in oerrors; all freed.
 * A queue without output is a sink, like net_null. */
static uint16_t
pcap_tx(void *queue, struct dp_mbuf **bufs, uint16_t n)
{
	struct pcap_txq *q = queue;
	uint64_t now = 0, bytes = 0;
	uint16_t i, ok = 0;
	bool done;

	for (i = 0; i < n; i++) {
		const struct dp_mbuf *m = bufs[i];

		if (q->kind == PCAP_FILE)
			done = tx_file_one(q, m, &now);
		else if (q->kind == PCAP_IFACE)
			done = tx_iface_one(q, m);
		else
			done = true;
		if (likely(done)) {
			ok++;
			bytes += m->pkt_len;
		} else {
			q->errors++;
		}
	}
	q->pkts += ok;
	q->bytes += bytes;
	dp_pktmbuf_free_bulk(bufs, n);
	return n;
}

/* ---- opening and closing sources --------------------------------------------- */

static int
open_rx_file(struct pcap_port *p, struct pcap_rxq *q)
{
	char err[PCAP_ERRBUF_SIZE];
	int dlt;

	q->pcap = pcap_open_offline_with_tstamp_precision(q->name,
		PCAP_TSTAMP_PRECISION_NANO, err);
	if (q->pcap == NULL) {
		PCAP_LOG(ERR, p, "cannot read rx_pcap '%s': %s", q->name, err);
		return -ENOENT;
	}
	dlt = pcap_datalink(q->pcap);
	if (dlt != DLT_EN10MB) {
		PCAP_LOG(ERR, p, "rx_pcap '%s' holds %s frames, not Ethernet: "
			"only DLT_EN10MB captures can be replayed", q->name,
			pcap_datalink_val_to_name(dlt) ?
			pcap_datalink_val_to_name(dlt) : "unknown");
		pcap_close(q->pcap);
		q->pcap = NULL;
		return -EINVAL;
	}
	q->nano = pcap_get_tstamp_precision(q->pcap) ==
		PCAP_TSTAMP_PRECISION_NANO;
	q->next_off = (long long)ftello(pcap_file(q->pcap));
	return 0;
}

/* infinite_rx: read the whole file into memory and close it. */
static int
load_replay(struct pcap_port *p, struct pcap_rxq *q)
{
	struct pcap_replay *r;
	struct pcap_pkthdr *h;
	const u_char *data;
	size_t used = 0, cap = 1 << 16;
	uint32_t max_pkts = 1024;
	void *grown;
	int rc;

	r = calloc(1, sizeof(*r));
	if (r == NULL)
		return -ENOMEM;
	r->data = malloc(cap);
	r->pkts = malloc(max_pkts * sizeof(*r->pkts));
	if (r->data == NULL || r->pkts == NULL)
		goto nomem;
	while ((rc = pcap_next_ex(q->pcap, &h, &data)) == 1) {
		q->good++;
		q->next_off = (long long)ftello(pcap_file(q->pcap));
		if (used + h->caplen > cap) {
			while (used + h->caplen > cap)
				cap *= 2;
			grown = realloc(r->data, cap);
			if (grown == NULL)
				goto nomem;
			r->data = grown;
		}
		if (r->nb == max_pkts) {
			if (max_pkts > UINT32_MAX / 2)
				break;
			max_pkts *= 2;
			grown = realloc(r->pkts, max_pkts * sizeof(*r->pkts));
			if (grown == NULL)
				goto nomem;
			r->pkts = grown;
		}
		memcpy(r->data + used, data, h->caplen);
		r->pkts[r->nb].off = used;
		r->pkts[r->nb].len = h->caplen;
		r->pkts[r->nb].ts = hdr_ts_ns(h, q->nano);
		r->nb++;
		used += h->caplen;
	}
	if (rc == PCAP_ERROR) {
		rx_failed(q, p->name);
		q->dead = false;	/* what was read before is replayed */
	}
	if (r->nb == 0) {
		PCAP_LOG(ERR, p, "infinite_rx: rx_pcap '%s' has no packet to "
			"replay", q->name);
		free(r->data);
		free(r->pkts);
		free(r);
		return -EINVAL;
	}
	pcap_close(q->pcap);
	q->pcap = NULL;
	q->replay = r;
	PCAP_LOG(INFO, p, "infinite_rx: %u packets (%zu bytes) of '%s' in "
		"memory, replayed in a loop", r->nb, used, q->name);
	return 0;

nomem:
	PCAP_LOG(ERR, p, "infinite_rx: not enough memory for '%s' (%zu bytes "
		"read so far)", q->name, used);
	free(r->data);
	free(r->pkts);
	free(r);
	return -ENOMEM;
}

/* A live capture that starts promiscuous, delivers at once, never blocks,
 * and sees only what arrives (not what this or another socket sends). */
static int
open_live(struct pcap_port *p, const char *ifname, bool rx, pcap_t **out,
	bool *nano)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *h;
	int rc;

	if (pmd_iface_index(ifname) < 0) {
		PCAP_LOG(ERR, p, "no interface '%s': create it or check the "
			"name (ip link)", ifname);
		return -ENODEV;
	}
	h = pcap_create(ifname, err);
	if (h == NULL) {
		PCAP_LOG(ERR, p, "cannot open interface '%s': %s", ifname, err);
		return -ENODEV;
	}
	pcap_set_snaplen(h, PCAP_PMD_SNAPLEN);
	pcap_set_promisc(h, 1);
	pcap_set_immediate_mode(h, 1);
	pcap_set_tstamp_precision(h, PCAP_TSTAMP_PRECISION_NANO);
	rc = pcap_activate(h);
	if (rc < 0) {
		if (rc == PCAP_ERROR_PERM_DENIED)
			PCAP_LOG(ERR, p, "no permission to capture on '%s': run "
				"as root or give the program CAP_NET_RAW", ifname);
		else
			PCAP_LOG(ERR, p, "cannot capture on '%s': %s", ifname,
				pcap_geterr(h));
		pcap_close(h);
		return rc == PCAP_ERROR_PERM_DENIED ? -EPERM : -ENODEV;
	}
	if (pcap_setnonblock(h, 1, err) < 0) {
		PCAP_LOG(ERR, p, "'%s': cannot make the capture non-blocking: %s",
			ifname, err);
		pcap_close(h);
		return -EIO;
	}
	if (rx) {
		if (pcap_setdirection(h, PCAP_D_IN) < 0)
			PCAP_LOG(WARNING, p, "'%s': cannot restrict the capture "
				"to incoming frames (%s): frames sent on the "
				"interface are received too", ifname,
				pcap_geterr(h));
	} else {
		/* TX handle: a filter that keeps nothing, so that the kernel
		 * does not copy every frame into a buffer nobody reads. */
		struct bpf_insn drop_all = { 0x06 /* BPF_RET|BPF_K */, 0, 0, 0 };
		struct bpf_program prog = { 1, &drop_all };

		pcap_setfilter(h, &prog);
	}
	if (nano != NULL)
		*nano = pcap_get_tstamp_precision(h) == PCAP_TSTAMP_PRECISION_NANO;
	*out = h;
	return 0;
}

/* Open (first time: create) or reopen for appending an output file. */
static int
open_tx_file(struct pcap_port *p, struct pcap_txq *q, bool append)
{
	if (q->pcap == NULL) {
		q->pcap = pcap_open_dead_with_tstamp_precision(DLT_EN10MB,
			PCAP_PMD_SNAPLEN, PCAP_TSTAMP_PRECISION_NANO);
		if (q->pcap == NULL)
			return -ENOMEM;
	}
	q->dumper = append ? pcap_dump_open_append(q->pcap, q->name) :
		pcap_dump_open(q->pcap, q->name);
	if (q->dumper == NULL) {
		PCAP_LOG(ERR, p, "cannot %s tx_pcap '%s': %s",
			append ? "append to" : "create", q->name,
			pcap_geterr(q->pcap));
		return -EIO;
	}
	q->f = pcap_dump_file(q->dumper);
	return 0;
}

static void
close_tx_file(struct pcap_txq *q)
{
	if (q->dumper == NULL)
		return;
	pcap_dump_close(q->dumper);	/* flushes */
	q->dumper = NULL;
	q->f = NULL;
}

/* Release every handle, buffer and name of the port. */
static void
pcap_port_release(struct pcap_port *p)
{
	unsigned int i;

	for (i = 0; i < PCAP_PMD_MAX_QUEUES; i++) {
		struct pcap_rxq *rq = &p->rxq[i];
		struct pcap_txq *tq = &p->txq[i];

		if (rq->pcap != NULL)
			pcap_close(rq->pcap);
		if (rq->replay != NULL) {
			free(rq->replay->data);
			free(rq->replay->pkts);
			free(rq->replay);
		}
		free(rq->name);
		close_tx_file(tq);
		if (tq->pcap != NULL)
			pcap_close(tq->pcap);
		free(tq->bounce);
		free(tq->name);
		memset(rq, 0, sizeof(*rq));
		memset(tq, 0, sizeof(*tq));
	}
}

static int
pcap_open_sources(struct pcap_port *p)
{
	unsigned int i;
	int rc;

	for (i = 0; i < p->nb_rx; i++) {
		struct pcap_rxq *q = &p->rxq[i];

		if (q->kind == PCAP_FILE) {
			rc = open_rx_file(p, q);
			if (rc == 0 && p->infinite_rx)
				rc = load_replay(p, q);
		} else {
			rc = open_live(p, q->name, true, &q->pcap, &q->nano);
		}
		if (rc < 0)
			return rc;
	}
	for (i = 0; i < p->nb_tx; i++) {
		struct pcap_txq *q = &p->txq[i];

		if (q->kind == PCAP_FILE) {
			rc = open_tx_file(p, q, false);
		} else {
			rc = open_live(p, q->name, false, &q->pcap, NULL);
			if (rc == 0) {
				q->bounce = malloc(PCAP_PMD_SNAPLEN);
				if (q->bounce == NULL)
					rc = -ENOMEM;
			}
		}
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* ---- control ------------------------------------------------------------------ */

static int
eth_pcap_start(struct dp_eth_dev *dev)
{
	struct pcap_port *p = dev->data->dev_private;
	unsigned int i;
	int rc;

	for (i = 0; i < p->nb_tx; i++) {
		struct pcap_txq *q = &p->txq[i];

		if (q->kind == PCAP_FILE && q->dumper == NULL) {
			rc = open_tx_file(p, q, true);
			if (rc < 0)
				return rc;
		}
	}
	return dp_eth_dev_op_link_up(dev);
}

static int
eth_pcap_stop(struct dp_eth_dev *dev)
{
	struct pcap_port *p = dev->data->dev_private;
	unsigned int i;

	for (i = 0; i < p->nb_tx; i++)
		close_tx_file(&p->txq[i]);
	return dp_eth_dev_op_link_down(dev);
}

static int
eth_pcap_close(struct dp_eth_dev *dev)
{
	pcap_port_release(dev->data->dev_private);
	return 0;
}

static int
eth_pcap_info(struct dp_eth_dev *dev, struct dp_eth_dev_info *info)
{
	struct pcap_port *p = dev->data->dev_private;

	info->max_rx_queues = p->nb_rx ? p->nb_rx : p->nb_tx;
	info->max_tx_queues = p->nb_tx ? p->nb_tx : p->nb_rx;
	info->max_mac_addrs = 1;
	info->max_rx_pktlen = PCAP_PMD_SNAPLEN;
	info->max_mtu = UINT16_MAX;
	info->min_rx_bufsize = 0;	/* frames larger than a buffer are chained */
	info->rx_offload_capa = DP_ETH_RX_OFFLOAD_SCATTER |
		DP_ETH_RX_OFFLOAD_TIMESTAMP;
	info->tx_offload_capa = DP_ETH_TX_OFFLOAD_MULTI_SEGS;
	info->rx_queue_offload_capa = info->rx_offload_capa;
	info->tx_queue_offload_capa = info->tx_offload_capa;
	info->default_rxportconf.burst_size = 32;
	info->default_txportconf.burst_size = 32;
	info->default_rxportconf.nb_queues = info->max_rx_queues;
	info->default_txportconf.nb_queues = info->max_tx_queues;
	return 0;
}

static int
eth_pcap_rx_setup(struct dp_eth_dev *dev, uint16_t qid, uint16_t nb_desc,
	int socket, const struct dp_eth_rxconf *conf, struct dp_mempool *mp)
{
	struct pcap_port *p = dev->data->dev_private;
	struct pcap_rxq *q = &p->rxq[qid];

	(void)nb_desc;
	(void)socket;
	(void)conf;
	q->mp = mp;
	q->data = dev->data;
	dev->data->rx_queues[qid] = q;
	return 0;
}

static int
eth_pcap_tx_setup(struct dp_eth_dev *dev, uint16_t qid, uint16_t nb_desc,
	int socket, const struct dp_eth_txconf *conf)
{
	struct pcap_port *p = dev->data->dev_private;

	(void)nb_desc;
	(void)socket;
	(void)conf;
	dev->data->tx_queues[qid] = &p->txq[qid];
	return 0;
}

static int
eth_pcap_stats_get(struct dp_eth_dev *dev, struct dp_eth_stats *st)
{
	struct pcap_port *p = dev->data->dev_private;
	uint16_t q;

	for (q = 0; q < dev->data->nb_rx_queues; q++)
		pmd_stats_add_rxq(st, q, p->rxq[q].pkts, p->rxq[q].bytes,
			p->rxq[q].errors);
	for (q = 0; q < dev->data->nb_tx_queues; q++)
		pmd_stats_add_txq(st, q, p->txq[q].pkts, p->txq[q].bytes,
			p->txq[q].errors);
	return 0;
}

static int
eth_pcap_stats_reset(struct dp_eth_dev *dev)
{
	struct pcap_port *p = dev->data->dev_private;
	unsigned int q;

	for (q = 0; q < PCAP_PMD_MAX_QUEUES; q++) {
		p->rxq[q].pkts = p->rxq[q].bytes = p->rxq[q].errors = 0;
		p->txq[q].pkts = p->txq[q].bytes = p->txq[q].errors = 0;
	}
	return 0;
}

/* Driver xstats: the per-TX-queue error counts (the basic stats have no
 * per-queue TX error field). */
static int
eth_pcap_xstats_get_names(struct dp_eth_dev *dev, struct dp_eth_xstat_name *names,
	unsigned int n)
{
	unsigned int q, count = dev->data->nb_tx_queues;

	if (names != NULL)
		for (q = 0; q < DP_MIN(n, count); q++)
			snprintf(names[q].name, sizeof(names[q].name),
				"tx_q%u_errors", q);
	return (int)count;
}

static int
eth_pcap_xstats_get(struct dp_eth_dev *dev, struct dp_eth_xstat *xs, unsigned int n)
{
	struct pcap_port *p = dev->data->dev_private;
	unsigned int q, count = dev->data->nb_tx_queues;

	if (xs != NULL)
		for (q = 0; q < DP_MIN(n, count); q++) {
			xs[q].id = q;
			xs[q].value = p->txq[q].errors;
		}
	return (int)count;
}

static int
eth_pcap_promisc_off(struct dp_eth_dev *dev)
{
	struct pcap_port *p = dev->data->dev_private;

	if (!p->live)
		return 0;
	PCAP_LOG(ERR, p, "live captures are opened promiscuous and stay so; "
		"filter by MAC address in the application, or use net_af_packet");
	return -ENOTSUP;
}

static const struct dp_eth_dev_ops eth_pcap_ops = {
	.dev_configure = dp_eth_dev_op_nothing,
	.dev_start = eth_pcap_start,
	.dev_stop = eth_pcap_stop,
	.dev_close = eth_pcap_close,
	.dev_infos_get = eth_pcap_info,
	/* Files hold everything; live captures are opened promiscuous. */
	.promiscuous_enable = dp_eth_dev_op_nothing,
	.promiscuous_disable = eth_pcap_promisc_off,
	.allmulticast_enable = dp_eth_dev_op_nothing,
	.allmulticast_disable = dp_eth_dev_op_nothing,
	.stats_get = eth_pcap_stats_get,
	.stats_reset = eth_pcap_stats_reset,
	.xstats_get = eth_pcap_xstats_get,
	.xstats_get_names = eth_pcap_xstats_get_names,
	.mac_addr_set = dp_eth_dev_op_mac_set_nothing,
	.mtu_set = dp_eth_dev_op_mtu_set_nothing,
	.rx_queue_setup = eth_pcap_rx_setup,
	.tx_queue_setup = eth_pcap_tx_setup,
	.rx_queue_release = dp_eth_dev_op_release_nothing,
	.tx_queue_release = dp_eth_dev_op_release_nothing,
};

/* ---- probe / remove ------------------------------------------------------------- */

struct pcap_parse {
	struct pcap_port *p;
	const char *dev;
};

/* kvargs handler: one source per key, in the order given. */
static int
add_source(const char *key, const char *value, void *opaque)
{
	struct pcap_parse *ps = opaque;
	struct pcap_port *p = ps->p;
	bool rx = strcmp(key, "rx_pcap") == 0 || strcmp(key, "rx_iface") == 0 ||
		strcmp(key, "iface") == 0;
	bool tx = strcmp(key, "tx_pcap") == 0 || strcmp(key, "tx_iface") == 0 ||
		strcmp(key, "iface") == 0;
	enum pcap_kind kind = strstr(key, "pcap") ? PCAP_FILE : PCAP_IFACE;

	if (!rx && !tx)
		return 0;	/* infinite_rx */
	if (value[0] == '\0') {
		DP_LOG(ERR, net_pcap, "%s: %s= needs a %s", ps->dev, key,
			kind == PCAP_FILE ? "file name" : "network interface name");
		return -EINVAL;
	}
	if ((rx && p->nb_rx == PCAP_PMD_MAX_QUEUES) ||
	    (tx && p->nb_tx == PCAP_PMD_MAX_QUEUES)) {
		DP_LOG(ERR, net_pcap, "%s: more than %d %s sources (one queue "
			"each)", ps->dev, PCAP_PMD_MAX_QUEUES, rx ? "RX" : "TX");
		return -EINVAL;
	}
	if (kind == PCAP_IFACE && strlen(value) >= IFNAMSIZ) {
		DP_LOG(ERR, net_pcap, "%s: %s=%s: interface names have at most "
			"%d characters", ps->dev, key, value, IFNAMSIZ - 1);
		return -EINVAL;
	}
	if (rx) {
		p->rxq[p->nb_rx].kind = kind;
		p->rxq[p->nb_rx].name = strdup(value);
		if (p->rxq[p->nb_rx++].name == NULL)
			return -ENOMEM;
	}
	if (tx) {
		p->txq[p->nb_tx].kind = kind;
		p->txq[p->nb_tx].name = strdup(value);
		if (p->txq[p->nb_tx++].name == NULL)
			return -ENOMEM;
	}
	if (kind == PCAP_IFACE)
		p->live = true;
	return 0;
}

static int
pcap_parse_args(struct dp_vdev_device *vdev, struct pcap_port *p)
{
	struct pcap_parse ps = { .p = p, .dev = vdev->name };
	struct dp_kvargs *kv;
	unsigned int i;
	int rc;

	kv = dp_kvargs_parse(vdev->args, pcap_keys, vdev->name);
	if (kv == NULL)
		return -dp_errno;
	rc = dp_kvargs_process(kv, NULL, add_source, &ps);
	if (rc == 0)
		rc = dp_kvargs_get_bool(kv, "infinite_rx", &p->infinite_rx);
	dp_kvargs_free(kv);
	if (rc < 0)
		return rc;
	if (p->nb_rx == 0 && p->nb_tx == 0) {
		DP_LOG(ERR, net_pcap, "%s: nothing to read or write: give "
			"rx_pcap=FILE, tx_pcap=FILE, rx_iface=IF, tx_iface=IF or "
			"iface=IF", vdev->name);
		return -EINVAL;
	}
	if (p->infinite_rx) {
		if (p->nb_rx == 0) {
			DP_LOG(ERR, net_pcap, "%s: infinite_rx=1 replays input "
				"files: give at least one rx_pcap=FILE",
				vdev->name);
			return -EINVAL;
		}
		for (i = 0; i < p->nb_rx; i++)
			if (p->rxq[i].kind != PCAP_FILE) {
				DP_LOG(ERR, net_pcap, "%s: infinite_rx=1 replays "
					"files, but RX queue %u is the live "
					"interface '%s': use rx_pcap= only",
					vdev->name, i, p->rxq[i].name);
				return -EINVAL;
			}
	}
	return 0;
}

static int
eth_pcap_probe(struct dp_vdev_device *vdev)
{
	struct dp_eth_dev *dev;
	struct pcap_port *p;
	unsigned int i;
	int rc;

	dev = dp_eth_dev_allocate(vdev->name);
	if (dev == NULL)
		return -dp_errno;
	p = dp_eth_dev_alloc_private(dev, sizeof(*p));
	if (p == NULL) {
		dp_eth_dev_release_port(dev);
		return -ENOMEM;
	}
	p->name = dev->data->name;
	rc = pcap_parse_args(vdev, p);
	if (rc == 0)
		rc = pcap_open_sources(p);
	if (rc < 0) {
		pcap_port_release(p);
		dp_eth_dev_release_port(dev);
		return rc;
	}
	dev->driver_name = "net_pcap";
	dev->device = vdev;
	dev->dev_ops = &eth_pcap_ops;
	dev->rx_pkt_burst = pcap_rx;
	dev->tx_pkt_burst = pcap_tx;
	/* A live interface lends its address; files get a fixed, locally
	 * administered one that tests can predict. */
	memcpy(dev->data->mac_addr.addr_bytes,
		(uint8_t[]){ 0x02, 0x70, 0x63, 0x61, 0x70, 0x00 }, 6);
	dev->data->mac_addr.addr_bytes[5] = (uint8_t)dev->data->port_id;
	for (i = 0; i < p->nb_rx; i++)
		if (p->rxq[i].kind == PCAP_IFACE) {
			pmd_iface_get_mac(p->rxq[i].name, &dev->data->mac_addr);
			break;
		}
	dev->data->promiscuous = 1;
	vdev->priv = dev;
	dp_eth_dev_probing_finish(dev);
	PCAP_LOG(INFO, p, "port %u: %u RX source(s)%s, %u TX sink(s)",
		dev->data->port_id, p->nb_rx,
		p->infinite_rx ? " replayed forever" : "", p->nb_tx);
	return 0;
}

static struct dp_vdev_driver eth_pcap_driver = {
	.name = "net_pcap",
	.param_string = "rx_pcap=<file> tx_pcap=<file> rx_iface=<if> "
		"tx_iface=<if> iface=<if> infinite_rx=<0|1>",
	.probe = eth_pcap_probe,
	.remove = dp_vdev_remove_eth_port,
};

DP_PMD_REGISTER_VDEV(net_pcap, eth_pcap_driver);
