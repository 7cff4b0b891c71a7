/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The Intel advanced-descriptor data path shared by igb and ixgbe: queue
 * creation in IOVA-contiguous memzones, start/stop with ring draining,
 * the RX burst (DD/EOP, chains, errors, offload flags, bulk refill with
 * the tail held back) and the TX burst (context descriptors, RS every
 * tx_rs_thresh descriptors, batched reclaim, one tail write per burst).
 *
 * Ring ownership, RX: the NIC may fill the descriptors from RDH up to,
 * not including, RDT. Software takes completed descriptors from `next`
 * on; the `nb_hold` descriptors before `next` are taken and wait for a
 * fresh mbuf. A refill gives them back and moves RDT to the descriptor
 * before the first one still held, so RDT never catches up with RDH: the
 * NIC would read RDT == RDH as "no descriptor left" and stop receiving.
 *
 * Ring ownership, TX: software writes from `next` (then TDT); the NIC
 * sends from TDH to TDT. DD is written back only on descriptors with RS,
 * which is set on the EOP descriptor of the first packet that reaches
 * tx_rs_thresh descriptors since the previous RS. So the packet holding
 * descriptor last_cleaned + tx_rs_thresh always ends on the next RS
 * descriptor, and one DD check there reclaims the whole batch.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <dp_log.h>
#include <dp_malloc.h>
#include <dp_mbuf.h>
#include <dp_mbuf_ptype.h>
#include <dp_memzone.h>

#include "intel_rxtx.h"

DP_LOG_REGISTER(intel, "pmd.net.intel", INFO);

/* Memzones of descriptor rings: the NICs need 128-byte aligned rings. */
#define INTEL_RING_ALIGN 128
/* Default rx_free_thresh, tx_rs_thresh and tx_free_thresh (or a quarter ring). */
#define INTEL_DEFAULT_THRESH 32
/* How long the NIC may take to enable or disable a queue. */
#define INTEL_QUEUE_TIMEOUT_US (100 * 1000)
/* A full 4096-descriptor ring of 1514-byte frames takes 50 ms at 1 Gb/s. */
#define INTEL_TX_SEND_TIMEOUT_US (200 * 1000)
/* Packets freed with one dp_pktmbuf_free_bulk() call on TX reclaim. */
#define INTEL_FREE_GROUP 64

/* ---- registers ---------------------------------------------------------------- */

static uint64_t
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

int
intel_poll32(const struct intel_hw *hw, uint32_t reg, uint32_t mask,
	uint32_t want, unsigned int timeout_us)
{
	uint64_t end = now_us() + timeout_us;
	struct timespec pause = { .tv_sec = 0, .tv_nsec = 10 * 1000 };

	for (;;) {
		if ((intel_read32(hw, reg) & mask) == want)
			return 0;
		if (now_us() > end)
			break;
		nanosleep(&pause, NULL);
	}
	/* One last look: the sleep may have overshot the deadline. */
	return (intel_read32(hw, reg) & mask) == want ? 0 : -ETIMEDOUT;
}

void
intel_desc_lim(const struct intel_chip *chip, struct dp_eth_desc_lim *rx,
	struct dp_eth_desc_lim *tx)
{
	rx->nb_min = tx->nb_min = chip->nb_desc_min;
	rx->nb_max = tx->nb_max = chip->nb_desc_max;
	rx->nb_align = tx->nb_align = chip->nb_desc_align;
	rx->nb_seg_max = UINT16_MAX;
	tx->nb_seg_max = chip->tx_max_segs;
}

static inline void
tail_write(volatile uint32_t *tail, uint32_t val)
{
	*tail = dp_cpu_to_le_32(val);
}

/* Descriptor count within the chip's limits? Logs why not. */
static int
check_nb_desc(const struct intel_hw *hw, const char *what, uint16_t qid,
	uint16_t nb_desc)
{
	const struct intel_chip *c = hw->chip;

	if (nb_desc >= c->nb_desc_min && nb_desc <= c->nb_desc_max &&
	    nb_desc % c->nb_desc_align == 0)
		return 0;
	DP_LOG(ERR, intel, "%s: %s queue %u: %u descriptors; the %s takes %u "
		"to %u, a multiple of %u (the ring length must be a multiple "
		"of 128 bytes)", hw->name, what, qid, nb_desc, c->name,
		c->nb_desc_min, c->nb_desc_max, c->nb_desc_align);
	return -EINVAL;
}

/* A descriptor ring in an IOVA-contiguous memzone, zeroed. */
static const struct dp_memzone *
ring_reserve(const struct intel_hw *hw, const char *what, uint16_t port_id,
	uint16_t qid, uint16_t nb_desc, int socket_id)
{
	const struct dp_memzone *mz;
	char name[DP_MEMZONE_NAMESIZE];
	size_t len;

	/* A multiple of 128 bytes, whatever nb_desc_align says. */
	len = DP_ALIGN_CEIL((size_t)nb_desc * 16, (size_t)INTEL_RING_ALIGN);
	snprintf(name, sizeof(name), "intel_%s_p%u_q%u",
		what[0] == 'R' ? "rx" : "tx", port_id, qid);
	mz = dp_memzone_reserve_aligned(name, len, socket_id,
		DP_MEMZONE_IOVA_CONTIG, INTEL_RING_ALIGN);
	if (mz == NULL) {
		DP_LOG(ERR, intel, "%s: %s queue %u: no IOVA-contiguous memory "
			"for a ring of %u descriptors (%zu bytes): %s", hw->name,
			what, qid, nb_desc, len, dp_strerror(dp_errno));
		return NULL;
	}
	memset(mz->addr, 0, mz->len);
	return mz;
}

static uint16_t
default_thresh(uint16_t nb_desc)
{
	return (uint16_t)DP_MIN((unsigned int)INTEL_DEFAULT_THRESH,
		(unsigned int)nb_desc / 4);
}

/*
 * What RX and TX queues share, by register block: RXDCTL/TXDCTL sit at
 * the same offset, and so do the ring registers (RDBAL/TDBAL, ...).
 */
DP_BUILD_BUG_ON(INTEL_RXDCTL != INTEL_TXDCTL || INTEL_RDBAL != INTEL_TDBAL ||
	INTEL_RDBAH != INTEL_TDBAH || INTEL_RDLEN != INTEL_TDLEN ||
	INTEL_RDH != INTEL_TDH || INTEL_RDT != INTEL_TDT);

/* Clear RXDCTL/TXDCTL.ENABLE and wait for the NIC to let go of the queue. */
static int
queue_disable(const struct intel_hw *hw, uint32_t regs, const char *what,
	uint16_t qid)
{
	uint32_t ctl = intel_read32(hw, regs + INTEL_RXDCTL);
	int rc;

	intel_write32(hw, regs + INTEL_RXDCTL, ctl & ~INTEL_QUEUE_ENABLE);
	rc = intel_poll32(hw, regs + INTEL_RXDCTL, INTEL_QUEUE_ENABLE, 0,
		INTEL_QUEUE_TIMEOUT_US);
	if (rc < 0)
		DP_LOG(ERR, intel, "%s: %s queue %u: %sDCTL.ENABLE did not clear",
			hw->name, what, qid, what);
	return rc;
}

/*
 * The ring registers of a disabled queue (82576 4.5.9/4.5.10, 82599
 * 4.6.7/4.6.8): base, length in bytes, head = tail = 0.
 */
static void
ring_program(const struct intel_hw *hw, uint32_t regs, dp_iova_t iova,
	uint16_t nb_desc)
{
	intel_write32(hw, regs + INTEL_RDBAL, (uint32_t)iova);
	intel_write32(hw, regs + INTEL_RDBAH, (uint32_t)(iova >> 32));
	intel_write32(hw, regs + INTEL_RDLEN, (uint32_t)nb_desc * 16u);
	intel_write32(hw, regs + INTEL_RDH, 0);
	intel_write32(hw, regs + INTEL_RDT, 0);
}

/* Set RXDCTL/TXDCTL (thresholds and ENABLE) and wait until it reads back. */
static int
queue_enable(const struct intel_hw *hw, uint32_t regs, uint32_t thresh,
	const char *what, uint16_t qid)
{
	int rc;

	intel_write32(hw, regs + INTEL_RXDCTL, thresh | INTEL_QUEUE_ENABLE);
	rc = intel_poll32(hw, regs + INTEL_RXDCTL, INTEL_QUEUE_ENABLE,
		INTEL_QUEUE_ENABLE, INTEL_QUEUE_TIMEOUT_US);
	if (rc < 0) {
		DP_LOG(ERR, intel, "%s: %s queue %u: %sDCTL.ENABLE did not read "
			"back set", hw->name, what, qid, what);
		intel_write32(hw, regs + INTEL_RXDCTL, 0);
	}
	return rc;
}

/*
 * The memory of a queue: the structure (@p size bytes), its software ring
 * (@p nb_desc entries of @p entry bytes) and the descriptor ring.
 */
static int
queue_alloc(const struct intel_hw *hw, const char *what, uint16_t port_id,
	uint16_t qid, uint16_t nb_desc, int socket_id, size_t size,
	size_t entry, void **q, void **sw_ring, const struct dp_memzone **mz)
{
	*q = dp_zmalloc_socket("intel_queue", size, DP_CACHE_LINE_SIZE,
		socket_id);
	*sw_ring = dp_zmalloc_socket("intel_queue_sw", nb_desc * entry,
		DP_CACHE_LINE_SIZE, socket_id);
	if (*q == NULL || *sw_ring == NULL) {
		DP_LOG(ERR, intel, "%s: %s queue %u: out of memory for the "
			"queue", hw->name, what, qid);
		goto fail;
	}
	*mz = ring_reserve(hw, what, port_id, qid, nb_desc, socket_id);
	if (*mz != NULL)
		return 0;
fail:
	dp_free(*sw_ring);
	dp_free(*q);
	return -ENOMEM;
}

static void
queue_mem_free(void *q, void *sw_ring, const struct dp_memzone *mz)
{
	dp_memzone_free(mz);
	dp_free(sw_ring);
	dp_free(q);
}

/* ---- RX queues ---------------------------------------------------------------- */

int
intel_rx_queue_create(const struct intel_hw *hw, uint16_t qid,
	uint16_t nb_desc, int socket_id, const struct dp_eth_rxconf *conf,
	struct dp_mempool *mp, uint16_t port_id, uint32_t flags,
	uint64_t *port_nombuf, struct intel_rx_queue **out)
{
	const struct intel_chip *c = hw->chip;
	const struct dp_memzone *mz;
	struct intel_rx_queue *q;
	void *mem, *sw;
	union {
		uint64_t word;
		struct {
			uint16_t data_off, refcnt, nb_segs, port;
		} f;
	} rearm;
	uint32_t room, buf_len, max_buf;
	uint16_t thresh;

	if (qid >= c->max_rx_queues) {
		DP_LOG(ERR, intel, "%s: RX queue %u: the %s has %u RX queues",
			hw->name, qid, c->name, c->max_rx_queues);
		return -EINVAL;
	}
	if (check_nb_desc(hw, "RX", qid, nb_desc) < 0)
		return -EINVAL;
	thresh = conf && conf->rx_free_thresh ? conf->rx_free_thresh :
		default_thresh(nb_desc);
	if (thresh >= nb_desc - 1) {
		DP_LOG(ERR, intel, "%s: RX queue %u: rx_free_thresh %u must be "
			"below %u (the ring of %u descriptors would never be "
			"refilled)", hw->name, qid, thresh, nb_desc - 1, nb_desc);
		return -EINVAL;
	}
	/*
	 * The NIC writes at buf_iova + headroom, up to the SRRCTL size,
	 * which counts in whole kilobytes.
	 */
	room = dp_pktmbuf_data_room_size(mp);
	room = room > DP_PKTMBUF_HEADROOM ? room - DP_PKTMBUF_HEADROOM : 0;
	max_buf = c->srrctl_bsize_mask << INTEL_SRRCTL_BSIZEPKT_SHIFT;
	buf_len = DP_MIN(room, max_buf) & ~((1u << INTEL_SRRCTL_BSIZEPKT_SHIFT) - 1);
	if (buf_len == 0) {
		DP_LOG(ERR, intel, "%s: RX queue %u: mbufs of pool '%s' have %u "
			"bytes after the headroom; the %s needs at least 1024 "
			"(buffer sizes count in kilobytes)", hw->name, qid,
			dp_mempool_name(mp), room, c->name);
		return -EINVAL;
	}

	if (queue_alloc(hw, "RX", port_id, qid, nb_desc, socket_id, sizeof(*q),
			sizeof(*q->sw_ring), &mem, &sw, &mz) < 0)
		return -ENOMEM;
	q = mem;
	q->sw_ring = sw;
	q->mz = mz;
	q->ring = q->mz->addr;
	q->hw = hw;
	q->regs = c->rxq_base + (uint32_t)qid * c->q_stride;
	q->tail = (volatile uint32_t *)(hw->bar + q->regs + INTEL_RDT);
	q->mp = mp;
	q->nb_desc = nb_desc;
	q->free_thresh = thresh;
	q->flags = flags;
	q->err_frame = c->rx_err_frame;
	q->err_ip = c->rx_err_ip;
	q->err_l4 = c->rx_err_l4;
	q->port_nombuf = port_nombuf;
	q->queue_id = qid;
	q->port_id = port_id;
	q->buf_len = (uint16_t)buf_len;
	q->drop_en = conf ? conf->rx_drop_en != 0 : true;
	q->deferred_start = conf ? conf->rx_deferred_start != 0 : false;
	rearm.f.data_off = DP_PKTMBUF_HEADROOM;
	rearm.f.refcnt = 1;
	rearm.f.nb_segs = 1;
	rearm.f.port = port_id;
	q->mbuf_rearm = rearm.word;
	*out = q;
	return 0;
}

/* Every mbuf the queue holds back to its pool; the ring forgets them. */
static void
rx_queue_drain(struct intel_rx_queue *q)
{
	uint16_t i;

	for (i = 0; i < q->nb_desc; i++) {
		if (q->sw_ring[i] != NULL) {
			dp_mbuf_raw_free(q->sw_ring[i]);
			q->sw_ring[i] = NULL;
		}
	}
	if (q->pkt_first != NULL)
		dp_pktmbuf_free(q->pkt_first);
	q->pkt_first = q->pkt_last = NULL;
	q->next = 0;
	q->nb_hold = 0;
	memset((void *)(uintptr_t)q->ring, 0, (size_t)q->nb_desc * sizeof(*q->ring));
}

/* Point descriptor @p i at mbuf @p m's buffer (read format; clears DD). */
static inline void
rx_desc_arm(volatile union intel_rx_desc *d, const struct dp_mbuf *m)
{
	d->read.pkt_addr = dp_cpu_to_le_64(m->buf_iova + DP_PKTMBUF_HEADROOM);
	d->read.hdr_addr = 0;
}

int
intel_rx_queue_start(struct intel_rx_queue *q)
{
	const struct intel_hw *hw = q->hw;
	const struct intel_chip *c = hw->chip;
	dp_iova_t iova = q->mz->iova;
	uint32_t srrctl;
	uint16_t i;
	int rc;

	if (q->started)
		return 0;
	/* 82576 4.5.9 / 82599 4.6.7: the queue is off while it is set up. */
	rc = queue_disable(hw, q->regs, "RX", q->queue_id);
	if (rc < 0)
		return rc;
	rx_queue_drain(q);
	if (dp_mbuf_raw_alloc_bulk(q->mp, q->sw_ring, q->nb_desc) != 0) {
		DP_LOG(ERR, intel, "%s: RX queue %u: pool '%s' has %u free "
			"mbufs, the ring needs %u: create the pool with more",
			hw->name, q->queue_id, dp_mempool_name(q->mp),
			dp_mempool_avail_count(q->mp), q->nb_desc);
		return -ENOMEM;
	}
	for (i = 0; i < q->nb_desc; i++)
		rx_desc_arm(&q->ring[i], q->sw_ring[i]);
	if (unlikely(q->test_iova_offset != 0)) {
		DP_LOG(WARNING, intel, "%s: RX queue %u: test hook: buffer "
			"addresses moved by 0x%" PRIx64 " (first one 0x%" PRIx64
			"): the NIC's writes must fault", hw->name, q->queue_id,
			q->test_iova_offset, dp_le_to_cpu_64(q->ring[0].read.pkt_addr) +
			q->test_iova_offset);
		for (i = 0; i < q->nb_desc; i++)
			q->ring[i].read.pkt_addr = dp_cpu_to_le_64(
				dp_le_to_cpu_64(q->ring[i].read.pkt_addr) +
				q->test_iova_offset);
	}

	ring_program(hw, q->regs, iova, q->nb_desc);
	/* Buffer size in kilobytes, one buffer per advanced descriptor. */
	srrctl = ((uint32_t)q->buf_len >> INTEL_SRRCTL_BSIZEPKT_SHIFT) |
		INTEL_SRRCTL_DESCTYPE_ADV_ONEBUF;
	if (q->drop_en)
		srrctl |= c->srrctl_drop_en;
	intel_write32(hw, q->regs + c->srrctl, srrctl);
	rc = queue_enable(hw, q->regs, c->rxdctl_thresh, "RX", q->queue_id);
	if (rc < 0) {
		rx_queue_drain(q);
		return rc;
	}
	/* Descriptors in memory before the NIC is told about them. */
	dp_io_wmb();
	/* Every descriptor but one: RDT == RDH would mean "none". */
	tail_write(q->tail, q->nb_desc - 1u);
	q->started = true;
	return 0;
}

int
intel_rx_queue_stop(struct intel_rx_queue *q)
{
	int rc;

	if (!q->started)
		return 0;
	q->started = false;
	/* On a timeout the buffers go back anyway: the port is going away. */
	rc = queue_disable(q->hw, q->regs, "RX", q->queue_id);
	rx_queue_drain(q);
	return rc;
}

void
intel_rx_queue_free(struct intel_rx_queue *q)
{
	if (q == NULL)
		return;
	intel_rx_queue_stop(q);
	rx_queue_drain(q);
	queue_mem_free(q, q->sw_ring, q->mz);
}

/*
 * Give the held descriptors fresh mbufs, in bulk, and move RDT. When the
 * pool cannot give them all, smaller bulks take what it has; what stays
 * without an mbuf stays held (not the NIC's), is counted in rx_nombuf,
 * and the next burst tries again.
 */
static void
rx_refill(struct intel_rx_queue *q)
{
	unsigned int start, n, i, left = q->nb_hold;
	bool moved = false;

	start = (unsigned int)q->next + q->nb_desc - q->nb_hold;
	if (start >= q->nb_desc)
		start -= q->nb_desc;
	while (left > 0) {
		/* Up to the end of the ring, then from its start. */
		n = DP_MIN(left, (unsigned int)q->nb_desc - start);
		while (n > 0 && dp_mbuf_raw_alloc_bulk(q->mp, &q->sw_ring[start], n) != 0)
			n /= 2;
		if (n == 0) {
			q->stats.nombuf += left;
			if (q->port_nombuf != NULL)
				__atomic_fetch_add(q->port_nombuf, left,
					__ATOMIC_RELAXED);
			break;
		}
		for (i = start; i < start + n; i++)
			rx_desc_arm(&q->ring[i], q->sw_ring[i]);
		left -= n;
		start += n;
		if (start == q->nb_desc)
			start = 0;
		moved = true;
	}
	if (!moved)
		return;
	q->nb_hold = (uint16_t)left;
	/* The new buffer addresses are in memory before the NIC may read them. */
	dp_io_wmb();
	/* The descriptor before the first one still held (see the top). */
	tail_write(q->tail, start == 0 ? q->nb_desc - 1u : start - 1);
}

/* Offload flags, packet type, VLAN and hash of a complete frame. */
static inline void
rx_fill_meta(const struct intel_rx_queue *q, struct dp_mbuf *m, uint64_t lo,
	uint32_t st, uint16_t vlan)
{
	uint32_t info = (uint32_t)lo;
	uint32_t ptype = DP_PTYPE_L2_ETHER;
	uint64_t flags = 0;

	if (info & (INTEL_RXD_PKT_IPV4 | INTEL_RXD_PKT_IPV4_EX))
		ptype |= DP_PTYPE_L3_IPV4;
	else if (info & (INTEL_RXD_PKT_IPV6 | INTEL_RXD_PKT_IPV6_EX))
		ptype |= DP_PTYPE_L3_IPV6;
	if (info & INTEL_RXD_PKT_TCP)
		ptype |= DP_PTYPE_L4_TCP;
	else if (info & INTEL_RXD_PKT_UDP)
		ptype |= DP_PTYPE_L4_UDP;
	else if (info & INTEL_RXD_PKT_SCTP)
		ptype |= DP_PTYPE_L4_SCTP;
	if (info & INTEL_RXD_PKT_ETQF)
		ptype = DP_PTYPE_L2_ETHER;

	m->vlan_tci = 0;
	m->vlan_tci_outer = 0;
	if (st & INTEL_RXD_STAT_VP) {
		ptype = (ptype & ~DP_PTYPE_L2_MASK) | DP_PTYPE_L2_ETHER_VLAN;
		m->vlan_tci = dp_le_to_cpu_16(vlan);
		flags |= DP_MBUF_F_RX_VLAN;
		if (q->flags & INTEL_RXQ_F_VLAN_STRIP)
			flags |= DP_MBUF_F_RX_VLAN_STRIPPED;
	}
	m->hash.rss = 0;
	if ((q->flags & INTEL_RXQ_F_RSS) && (info & INTEL_RXD_RSS_TYPE_MASK)) {
		m->hash.rss = (uint32_t)(lo >> 32);
		flags |= DP_MBUF_F_RX_RSS_HASH;
	}
	if (q->flags & INTEL_RXQ_F_CKSUM) {
		if (st & INTEL_RXD_STAT_IPCS)
			flags |= (st & q->err_ip) ? DP_MBUF_F_RX_IP_CKSUM_BAD :
				DP_MBUF_F_RX_IP_CKSUM_GOOD;
		if (st & INTEL_RXD_STAT_L4CS)
			flags |= (st & q->err_l4) ? DP_MBUF_F_RX_L4_CKSUM_BAD :
				DP_MBUF_F_RX_L4_CKSUM_GOOD;
	}
	m->packet_type = ptype;
	m->ol_flags = flags;
}

uint16_t
intel_rx_burst(void *rxq, struct dp_mbuf **pkts, uint16_t nb_pkts)
{
	struct intel_rx_queue *q = rxq;
	volatile union intel_rx_desc *ring = q->ring;
	struct dp_mbuf *first = q->pkt_first, *last = q->pkt_last, *m;
	uint16_t idx = q->next, nb_rx = 0, nb_taken = 0, len;
	uint64_t lo, hi;
	uint32_t st;

	if (unlikely(!q->started))
		return 0;
	while (nb_rx < nb_pkts) {
		volatile union intel_rx_desc *d = &ring[idx];

		st = dp_le_to_cpu_32(d->wb.status_error);
		if (!(st & INTEL_RXD_STAT_DD))
			break;
		/* The rest of the descriptor is read only after DD was seen. */
		dp_io_rmb();
		lo = dp_le_to_cpu_64(d->read.pkt_addr);
		hi = dp_le_to_cpu_64(d->read.hdr_addr);
		st = (uint32_t)hi;
		len = (uint16_t)(hi >> 32);

		m = q->sw_ring[idx];
		q->sw_ring[idx] = NULL;
		idx = (uint16_t)(idx + 1 == q->nb_desc ? 0 : idx + 1);
		nb_taken++;
		dp_prefetch0(q->sw_ring[idx]);

		m->rearm_data = q->mbuf_rearm;
		m->data_len = len;
		if (first == NULL) {
			first = m;
			m->pkt_len = len;
		} else {
			last->next = m;
			first->nb_segs++;
			first->pkt_len += len;
		}
		last = m;
		if (!(st & INTEL_RXD_STAT_EOP))
			continue;

		/* A whole frame; the metadata is in its last descriptor. */
		if (unlikely(st & q->err_frame)) {
			q->stats.errors++;
			dp_pktmbuf_free(first);
			first = NULL;
			continue;
		}
		rx_fill_meta(q, first, lo, st, (uint16_t)(hi >> 48));
		q->stats.packets++;
		q->stats.bytes += first->pkt_len;
		pkts[nb_rx++] = first;
		first = NULL;
	}
	q->next = idx;
	q->pkt_first = first;
	q->pkt_last = first != NULL ? last : NULL;
	q->nb_hold = (uint16_t)(q->nb_hold + nb_taken);
	if (q->nb_hold > q->free_thresh)
		rx_refill(q);
	return nb_rx;
}

/* ---- TX queues --------------------------------------------------------------- */

int
intel_tx_queue_create(const struct intel_hw *hw, uint16_t qid,
	uint16_t nb_desc, int socket_id, const struct dp_eth_txconf *conf,
	uint16_t port_id, struct intel_tx_queue **out)
{
	const struct intel_chip *c = hw->chip;
	const struct dp_memzone *mz;
	struct intel_tx_queue *q;
	void *mem, *sw;
	uint16_t rs, fr;

	if (qid >= c->max_tx_queues) {
		DP_LOG(ERR, intel, "%s: TX queue %u: the %s has %u TX queues",
			hw->name, qid, c->name, c->max_tx_queues);
		return -EINVAL;
	}
	if (check_nb_desc(hw, "TX", qid, nb_desc) < 0)
		return -EINVAL;
	rs = conf && conf->tx_rs_thresh ? conf->tx_rs_thresh :
		default_thresh(nb_desc);
	fr = conf && conf->tx_free_thresh ? conf->tx_free_thresh :
		default_thresh(nb_desc);
	if (rs > nb_desc / 2) {
		DP_LOG(ERR, intel, "%s: TX queue %u: tx_rs_thresh %u: must be "
			"1 to %u (half the ring of %u descriptors)", hw->name, qid,
			rs, nb_desc / 2, nb_desc);
		return -EINVAL;
	}
	if (fr >= nb_desc - 1) {
		DP_LOG(ERR, intel, "%s: TX queue %u: tx_free_thresh %u: must be "
			"below %u (the ring has %u descriptors)", hw->name, qid,
			fr, nb_desc - 1, nb_desc);
		return -EINVAL;
	}
	if (queue_alloc(hw, "TX", port_id, qid, nb_desc, socket_id, sizeof(*q),
			sizeof(*q->sw_ring), &mem, &sw, &mz) < 0)
		return -ENOMEM;
	q = mem;
	q->sw_ring = sw;
	q->mz = mz;
	q->ring = q->mz->addr;
	q->hw = hw;
	q->regs = c->txq_base + (uint32_t)qid * c->q_stride;
	q->tail = (volatile uint32_t *)(hw->bar + q->regs + INTEL_TDT);
	q->nb_desc = nb_desc;
	q->rs_thresh = rs;
	q->free_thresh = fr;
	/* A packet must always fit beside what waits for its RS. */
	q->max_segs = (uint16_t)DP_MIN((unsigned int)c->tx_max_segs,
		(unsigned int)(nb_desc - rs - 2));
	q->olinfo_ctx = c->tx_olinfo_ctx;
	q->queue_id = qid;
	q->port_id = port_id;
	q->deferred_start = conf ? conf->tx_deferred_start != 0 : false;
	*out = q;
	return 0;
}

/*
 * Free the packets whose EOP descriptors are @p first to @p last
 * (inclusive, wrapping): only an EOP descriptor's entry holds an mbuf, the
 * head of its packet, so a batch frees whole chains.
 */
static void
tx_free_range(struct intel_tx_queue *q, uint16_t first, uint16_t last)
{
	struct dp_mbuf *pkts[INTEL_FREE_GROUP];
	unsigned int nb = 0;
	uint16_t i = first;

	for (;;) {
		if (q->sw_ring[i].mbuf != NULL) {
			pkts[nb++] = q->sw_ring[i].mbuf;
			q->sw_ring[i].mbuf = NULL;
			if (nb == INTEL_FREE_GROUP) {
				dp_pktmbuf_free_bulk(pkts, nb);
				nb = 0;
			}
		}
		if (i == last)
			break;
		i = (uint16_t)(i + 1 == q->nb_desc ? 0 : i + 1);
	}
	dp_pktmbuf_free_bulk(pkts, nb);
}

/* Every packet in the ring back to its pool; the ring is empty again. */
static void
tx_queue_drain(struct intel_tx_queue *q)
{
	tx_free_range(q, 0, (uint16_t)(q->nb_desc - 1));
	memset(q->sw_ring, 0, q->nb_desc * sizeof(*q->sw_ring));
	memset((void *)(uintptr_t)q->ring, 0, (size_t)q->nb_desc * sizeof(*q->ring));
	q->next = 0;
	/* TDT may never catch up with TDH: one descriptor stays unused. */
	q->nb_free = (uint16_t)(q->nb_desc - 1);
	q->last_cleaned = (uint16_t)(q->nb_desc - 1);
	q->nb_since_rs = 0;
	q->ctx_valid = false;
}

int
intel_tx_queue_start(struct intel_tx_queue *q)
{
	const struct intel_hw *hw = q->hw;
	dp_iova_t iova = q->mz->iova;
	int rc;

	if (q->started)
		return 0;
	/* 82576 4.5.10 / 82599 4.6.8. */
	rc = queue_disable(hw, q->regs, "TX", q->queue_id);
	if (rc < 0)
		return rc;
	tx_queue_drain(q);
	ring_program(hw, q->regs, iova, q->nb_desc);
	rc = queue_enable(hw, q->regs, hw->chip->txdctl_thresh, "TX",
		q->queue_id);
	if (rc < 0)
		return rc;
	q->started = true;
	return 0;
}

/*
 * Let the NIC send what lies between TDH and TDT. It fetches descriptors
 * on its own time after the tail write, so a queue disabled at once would
 * drop the last frames of a run that tx_burst already counted as sent.
 * With the link down nothing moves: say so and go on after the timeout.
 */
static void
tx_queue_wait_sent(const struct intel_tx_queue *q)
{
	const struct intel_hw *hw = q->hw;
	uint32_t tail = intel_read32(hw, q->regs + INTEL_TDT);
	uint32_t head;

	if (intel_poll32(hw, q->regs + INTEL_TDH, 0xffff, tail,
			INTEL_TX_SEND_TIMEOUT_US) == 0)
		return;
	head = intel_read32(hw, q->regs + INTEL_TDH) & 0xffff;
	DP_LOG(WARNING, intel, "%s: TX queue %u: %u descriptors still unsent "
		"%u ms after stop was asked (link down?); their packets are "
		"dropped", hw->name, q->queue_id,
		(unsigned int)((tail + q->nb_desc - head) % q->nb_desc),
		INTEL_TX_SEND_TIMEOUT_US / 1000);
}

int
intel_tx_queue_stop(struct intel_tx_queue *q)
{
	int rc;

	if (!q->started)
		return 0;
	q->started = false;
	tx_queue_wait_sent(q);
	rc = queue_disable(q->hw, q->regs, "TX", q->queue_id);
	tx_queue_drain(q);
	return rc;
}

void
intel_tx_queue_free(struct intel_tx_queue *q)
{
	if (q == NULL)
		return;
	intel_tx_queue_stop(q);
	tx_queue_drain(q);
	queue_mem_free(q, q->sw_ring, q->mz);
}

uint16_t
intel_tx_reclaim(struct intel_tx_queue *q)
{
	unsigned int in_flight;
	uint16_t target, n;
	uint32_t st;

	in_flight = (unsigned int)q->nb_desc - 1u - q->nb_free;
	/* Fewer than a batch in flight: no RS descriptor to look at yet. */
	if (in_flight < q->rs_thresh)
		return 0;
	target = (uint16_t)(q->last_cleaned + q->rs_thresh);
	if (target >= q->nb_desc)
		target = (uint16_t)(target - q->nb_desc);
	target = q->sw_ring[target].last_id;
	st = dp_le_to_cpu_32(q->ring[target].wb.status);
	if (!(st & INTEL_TXD_STAT_DD))
		return 0;
	/* The NIC is done with the buffers before they are reused. */
	dp_io_rmb();
	n = (uint16_t)(target > q->last_cleaned ? target - q->last_cleaned :
		q->nb_desc - q->last_cleaned + target);
	tx_free_range(q, (uint16_t)(q->last_cleaned + 1 == q->nb_desc ? 0 :
		q->last_cleaned + 1), target);
	q->last_cleaned = target;
	q->nb_free = (uint16_t)(q->nb_free + n);
	return n;
}

/*
 * Write a context descriptor at @p idx if the packet's offloads differ
 * from the context the NIC holds. Returns 1 if one was written.
 */
static inline uint16_t
tx_ctx_write(struct intel_tx_queue *q, uint16_t idx, const struct dp_mbuf *m,
	uint64_t ol)
{
	volatile struct intel_tx_ctx_desc *ctx;
	uint64_t lens = (uint64_t)m->l2_len | ((uint64_t)m->l3_len << 8) |
		((ol & DP_MBUF_F_TX_VLAN) ? (uint64_t)m->vlan_tci << 24 : 0);
	uint32_t tucmd = INTEL_TXD_DTYP_CTXT | INTEL_TXD_CMD_DEXT;
	uint32_t macip;

	if (q->ctx_valid && q->ctx_key == ol && q->ctx_lens == lens)
		return 0;
	if (ol & (DP_MBUF_F_TX_IP_CKSUM | DP_MBUF_F_TX_IPV4))
		tucmd |= INTEL_TXCTX_TUCMD_IPV4;
	if (ol & DP_MBUF_F_TX_TCP_CKSUM)
		tucmd |= INTEL_TXCTX_TUCMD_L4_TCP;
	else
		tucmd |= INTEL_TXCTX_TUCMD_L4_UDP;
	macip = (uint32_t)m->l3_len | ((uint32_t)m->l2_len << INTEL_TXCTX_MACLEN_SHIFT);
	if (ol & DP_MBUF_F_TX_VLAN)
		macip |= (uint32_t)m->vlan_tci << INTEL_TXCTX_VLAN_SHIFT;
	ctx = (volatile struct intel_tx_ctx_desc *)&q->ring[idx];
	ctx->vlan_macip_lens = dp_cpu_to_le_32(macip);
	ctx->seqnum_seed = 0;
	ctx->type_tucmd_mlhl = dp_cpu_to_le_32(tucmd);
	/* Context slot 0 (IDX = 0); L4LEN and MSS only matter for TSO. */
	ctx->mss_l4len_idx = 0;
	q->ctx_valid = true;
	q->ctx_key = ol;
	q->ctx_lens = lens;
	return 1;
}

uint16_t
intel_tx_burst(void *txq, struct dp_mbuf **pkts, uint16_t nb_pkts)
{
	struct intel_tx_queue *q = txq;
	volatile union intel_tx_desc *ring = q->ring;
	uint16_t idx = q->next, sent, nb_used, last, ctx_idx;
	uint32_t cmd, olinfo;
	struct dp_mbuf *m, *seg;
	uint64_t ol, bytes = 0;
	bool wrote = false;

	if (unlikely(!q->started))
		return 0;
	if (q->nb_free < q->free_thresh)
		intel_tx_reclaim(q);

	for (sent = 0; sent < nb_pkts; sent++) {
		m = pkts[sent];
		if (unlikely(m->nb_segs > q->max_segs)) {
			/* Could never fit: refuse it for good, not forever. */
			q->stats.errors++;
			dp_pktmbuf_free(m);
			continue;
		}
		ol = m->ol_flags & INTEL_TX_OFFLOAD_FLAGS;
		/* Which IP version the checksum requests are about. */
		if (ol != 0)
			ol |= m->ol_flags & (DP_MBUF_F_TX_IPV4 | DP_MBUF_F_TX_IPV6);
		/* A context descriptor may be needed: count it to be safe. */
		nb_used = (uint16_t)(m->nb_segs + (ol != 0));
		while (nb_used > q->nb_free && intel_tx_reclaim(q) != 0)
			;
		if (nb_used > q->nb_free)
			break;

		ctx_idx = idx;
		olinfo = m->pkt_len << INTEL_TXD_PAYLEN_SHIFT;
		if (ol != 0) {
			if (tx_ctx_write(q, idx, m, ol)) {
				q->sw_ring[idx].mbuf = NULL;
				idx = (uint16_t)(idx + 1 == q->nb_desc ? 0 : idx + 1);
			} else {
				nb_used--;
			}
			olinfo |= q->olinfo_ctx;
			if (ol & DP_MBUF_F_TX_IP_CKSUM)
				olinfo |= INTEL_TXD_POPTS_IXSM;
			if (ol & (DP_MBUF_F_TX_TCP_CKSUM | DP_MBUF_F_TX_UDP_CKSUM))
				olinfo |= INTEL_TXD_POPTS_TXSM;
		} else {
			nb_used = m->nb_segs;
		}
		last = (uint16_t)(idx + m->nb_segs - 1);
		if (last >= q->nb_desc)
			last = (uint16_t)(last - q->nb_desc);
		if (ctx_idx != idx)
			q->sw_ring[ctx_idx].last_id = last;

		cmd = INTEL_TXD_DTYP_DATA | INTEL_TXD_CMD_DEXT | INTEL_TXD_CMD_IFCS;
		if (ol & DP_MBUF_F_TX_VLAN)
			cmd |= INTEL_TXD_CMD_VLE;
		for (seg = m; seg != NULL; seg = seg->next) {
			volatile union intel_tx_desc *d = &ring[idx];
			uint32_t c = cmd | seg->data_len;

			if (seg->next == NULL) {
				c |= INTEL_TXD_CMD_EOP;
				/* RS on the first EOP that completes a batch. */
				if (q->nb_since_rs + nb_used >= q->rs_thresh) {
					c |= INTEL_TXD_CMD_RS;
					q->nb_since_rs = 0;
				} else {
					q->nb_since_rs = (uint16_t)(q->nb_since_rs +
						nb_used);
				}
			}
			d->read.buffer_addr = dp_cpu_to_le_64(seg->buf_iova +
				seg->data_off);
			d->read.cmd_type_len = dp_cpu_to_le_32(c);
			d->read.olinfo_status = dp_cpu_to_le_32(olinfo);
			/* The packet is freed whole, from its EOP entry. */
			q->sw_ring[idx].mbuf = seg->next == NULL ? m : NULL;
			q->sw_ring[idx].last_id = last;
			idx = (uint16_t)(idx + 1 == q->nb_desc ? 0 : idx + 1);
		}
		q->nb_free = (uint16_t)(q->nb_free - nb_used);
		bytes += m->pkt_len;
		q->stats.packets++;
		wrote = true;
	}
	if (wrote) {
		/* Descriptors in memory before the doorbell. */
		dp_io_wmb();
		tail_write(q->tail, idx);
		q->next = idx;
		q->stats.bytes += bytes;
	}
	return sent;
}
