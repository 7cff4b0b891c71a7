/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_af_packet: a port on a kernel network interface through AF_PACKET
 * sockets with memory-mapped rings (PACKET_MMAP).
 *
 *   --vdev=net_af_packet0,iface=eth0[,qpairs=N][,blocksz=B][,framesz=F]
 *         [,framecnt=C][,qdisc_bypass=0|1]
 *
 * Each queue pair is one socket with a TPACKET_V3 RX ring and a TPACKET_V3
 * TX ring (fixed-size slots) in one mapping. With qpairs > 1 the RX
 * sockets form one PACKET_FANOUT_HASH group: the kernel spreads flows over
 * them.
 *
 * RX: the kernel fills blocks of blocksz bytes with several frames each and
 * hands a block over when it is full or 1 ms after its first frame. A burst
 * walks the frames of the blocks it owns, copies each into an mbuf (the
 * only copy), and returns the blocks it finished to the kernel at the end.
 * TX: a burst copies each packet into a free slot (the only copy), marks
 * it ready, and kicks the kernel with one sendto(MSG_DONTWAIT) if it
 * queued anything; the mbufs are freed at once.
 *
 * Sockets and rings exist between dp_eth_dev_start() and dp_eth_dev_stop():
 * a stopped port receives nothing and the kernel keeps no stale frames for
 * it. The probe checks the arguments, the interface and the permission, and
 * lets the kernel validate the ring sizes once, so mistakes fail at --vdev.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/virtio_net.h>

#include <dp_bus_vdev.h>
#include <dp_ethdev_driver.h>
#include <dp_kvargs.h>
#include <dp_ip.h>
#include <dp_log.h>
#include <dp_mbuf.h>

#include "pmd_copy_private.h"
#include "pmd_iface_private.h"
#include "pmd_stats_private.h"

DP_LOG_REGISTER(net_af_packet, "pmd.net.af_packet", INFO);

#define AFP_LOG(level, name, fmt, ...) \
	DP_LOG(level, net_af_packet, "%s: " fmt, (name), ##__VA_ARGS__)

#define AFP_MAX_QPAIRS 16
#define AFP_DEFAULT_BLOCKSZ 4096
#define AFP_DEFAULT_FRAMESZ 2048
#define AFP_DEFAULT_FRAMECNT 512
/* Smallest slot: the TX header plus a minimum-size frame, aligned. */
#define AFP_MIN_FRAMESZ 128
/* Ring memory of one direction of one queue pair, at most. */
#define AFP_MAX_RING_BYTES (1ull << 30)
/* A block with frames goes to user space at the latest this long after
 * its first frame (TPACKET_V3 retire timeout). */
#define AFP_BLOCK_TIMEOUT_MS 1
/* A TX slot: the V3 header, then (no PACKET_TX_HAS_OFF) the virtio-net
 * header the socket takes with PACKET_VNET_HDR, then the frame. */
#define AFP_TX_VNET_OFF (TPACKET3_HDRLEN - sizeof(struct sockaddr_ll))
#define AFP_TX_DATA_OFF (AFP_TX_VNET_OFF + sizeof(struct virtio_net_hdr))
/* Largest frame offset in an RX block: block header, frame header,
 * virtio-net header, room for the MAC header alignment the kernel adds. */
#define AFP_RX_OVERHEAD (TPACKET_ALIGN(sizeof(struct tpacket_block_desc)) + \
	TPACKET_ALIGN(TPACKET3_HDRLEN + 16 + sizeof(struct virtio_net_hdr)))

struct afp_rxq {
	uint8_t *ring;		/* first block; NULL while stopped */
	uint32_t blocksz;
	uint32_t nb_blocks;
	uint32_t blk;		/* block being read, or next to read */
	uint32_t left;		/* frames left in blk (when open) */
	bool open;		/* blk is ours and partly read */
	bool vlan_strip;	/* tag into vlan_tci instead of back in the data */
	bool timestamp;		/* kernel time stamp into mbuf->timestamp */
	uint8_t *frame;		/* next frame of blk (when open) */
	struct dp_mempool *mp;
	struct dp_eth_dev_data *data;
	uint64_t pkts;
	uint64_t bytes;
	uint64_t errors;	/* frames truncated by the ring, dropped */
	uint64_t kdrops;	/* kernel drops (ring full), accumulated */
	uint64_t freezes;	/* kernel ring freezes, accumulated */
	uint64_t csum_fixed;	/* checksums completed in software */
	int fd;
} __dp_cache_aligned;

struct afp_txq {
	uint8_t *ring;		/* first slot; NULL while stopped */
	uint32_t framesz;
	uint32_t nb_frames;
	uint32_t idx;		/* next slot to fill */
	uint32_t max_len;	/* largest frame accepted */
	uint32_t mtu_len;	/* MTU + Ethernet header: longer needs a VLAN tag */
	bool vlan_insert;
	int fd;
	uint64_t pkts;
	uint64_t bytes;
	uint64_t errors;	/* too long / too short: dropped */
	uint64_t kick_errors;	/* sendto() failures other than "busy" */
} __dp_cache_aligned;

struct afp_port {
	char iface[IFNAMSIZ];
	const char *name;	/* device name, for messages */
	int ifindex;
	uint32_t qpairs;
	uint32_t blocksz;
	uint32_t framesz;
	uint32_t framecnt;
	bool qdisc_bypass;
	uint32_t nb_open;	/* sockets open (between start and stop) */
	int fd[AFP_MAX_QPAIRS];
	void *map[AFP_MAX_QPAIRS];
	size_t map_len;
	struct afp_rxq rxq[AFP_MAX_QPAIRS];
	struct afp_txq txq[AFP_MAX_QPAIRS];
};

static const char *const afp_keys[] = {
	"iface", "qpairs", "blocksz", "framesz", "framecnt", "qdisc_bypass",
	NULL,
};

/* ---- RX ------------------------------------------------------------------------ */

static inline struct tpacket_block_desc *
rx_block(const struct afp_rxq *q, uint32_t b)
{
	return (struct tpacket_block_desc *)(q->ring + (size_t)b * q->blocksz);
}

static inline bool
block_is_user(const struct tpacket_block_desc *bd)
{
	/* Acquire: the frames are read only after the kernel published them. */
	return __atomic_load_n(&bd->hdr.bh1.block_status, __ATOMIC_ACQUIRE) &
		TP_STATUS_USER;
}

static inline uint32_t
next_block(const struct afp_rxq *q, uint32_t b)
{
	return b + 1 == q->nb_blocks ? 0 : b + 1;
}

/* Frames ready for us: the rest of the open block, then whole blocks the
 * kernel retired, up to @p want. */
static inline uint32_t
rx_ready(const struct afp_rxq *q, uint32_t want)
{
	uint32_t avail = q->open ? q->left : 0;
	uint32_t b = q->open ? next_block(q, q->blk) : q->blk;
	uint32_t seen = q->open ? 1 : 0;

	while (avail < want && seen < q->nb_blocks) {
		const struct tpacket_block_desc *bd = rx_block(q, b);

		if (!block_is_user(bd))
			break;
		avail += bd->hdr.bh1.num_pkts;
		b = next_block(q, b);
		seen++;
	}
	return avail;
}

/*
 * A frame sent by the local stack over veth or tap arrives with its
 * TCP/UDP checksum left to the (virtual) device: the virtio-net header in
 * front of it says where the sum starts and where it goes (the field holds
 * the pseudo-header sum). Whoever receives the frame next needs it done:
 * compute it in the ring, before the copy, so chains need no special case.
 */
static __dp_noinline void
rx_csum_complete(struct afp_rxq *q, uint8_t *data, uint32_t len)
{
	struct virtio_net_hdr vh;
	uint16_t start, at, sum;

	memcpy(&vh, data - sizeof(vh), sizeof(vh));
	if (!(vh.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM))
		return;
	start = vh.csum_start;
	at = (uint16_t)(start + vh.csum_offset);
	if (start >= len || (uint32_t)at + 2 > len)
		return;
	sum = (uint16_t)~dp_raw_cksum(data + start, len - start);
	if (sum == 0 && vh.csum_offset == 6)
		sum = 0xffff;	/* UDP: 0 would mean "no checksum" */
	sum = dp_cpu_to_be_16(sum);
	memcpy(data + at, &sum, sizeof(sum));
	q->csum_fixed++;
}

/* Copy one frame into @p m; NULL if it is dropped (m is then freed). */
static inline struct dp_mbuf *
rx_frame(struct afp_rxq *q, struct tpacket3_hdr *h, struct dp_mbuf *m)
{
	uint8_t *data = (uint8_t *)h + h->tp_mac;
	uint32_t len = h->tp_snaplen;

	if (unlikely(len != h->tp_len)) {
		/* Larger than a block can hold: never deliver half a frame. */
		q->errors++;
		dp_pktmbuf_free(m);
		return NULL;
	}
	if (unlikely(h->tp_status & TP_STATUS_CSUMNOTREADY))
		rx_csum_complete(q, data, len);
	if (unlikely(h->tp_status & TP_STATUS_VLAN_VALID)) {
		/* The kernel took the 802.1Q tag out of the data. */
		if (q->vlan_strip || len < PMD_VLAN_TAG_OFF) {
			m->vlan_tci = (uint16_t)h->hv1.tp_vlan_tci;
			m->ol_flags |= DP_MBUF_F_RX_VLAN | DP_MBUF_F_RX_VLAN_STRIPPED;
			m = pmd_copy_frame(q->mp, m, data, len);
		} else {
			uint16_t tag[2] = {
				dp_cpu_to_be_16((h->tp_status & TP_STATUS_VLAN_TPID_VALID) ?
					(uint16_t)h->hv1.tp_vlan_tpid : DP_ETHER_TYPE_VLAN),
				dp_cpu_to_be_16((uint16_t)h->hv1.tp_vlan_tci),
			};

			m = pmd_copy_frame_vlan(q->mp, m, data, len,
				(const uint8_t *)tag);
		}
	} else {
		m = pmd_copy_frame(q->mp, m, data, len);
	}
	if (unlikely(m == NULL)) {
		__atomic_fetch_add(&q->data->rx_mbuf_alloc_failed, 1,
			__ATOMIC_RELAXED);
		return NULL;
	}
	m->port = q->data->port_id;
	if (q->timestamp) {
		m->timestamp = (uint64_t)h->tp_sec * 1000000000ull + h->tp_nsec;
		m->ol_flags |= DP_MBUF_F_RX_TIMESTAMP;
	}
	return m;
}

static uint16_t
afp_rx(void *queue, struct dp_mbuf **bufs, uint16_t n)
{
	struct afp_rxq *q = queue;
	uint32_t cnt, i = 0, first = q->blk, done = 0, k;
	uint64_t bytes = 0;
	uint16_t nb = 0;

	cnt = rx_ready(q, n);
	if (cnt == 0)
		return 0;
	if (cnt > n)
		cnt = n;
	if (unlikely(dp_pktmbuf_alloc_bulk(q->mp, bufs, cnt) != 0)) {
		/* The frames stay in the ring for the next burst. */
		__atomic_fetch_add(&q->data->rx_mbuf_alloc_failed, cnt,
			__ATOMIC_RELAXED);
		return 0;
	}
	while (i < cnt) {
		struct tpacket3_hdr *h;
		struct dp_mbuf *m;

		if (!q->open) {
			struct tpacket_block_desc *bd = rx_block(q, q->blk);

			q->left = bd->hdr.bh1.num_pkts;
			q->frame = (uint8_t *)bd + bd->hdr.bh1.offset_to_first_pkt;
			q->open = true;
			if (q->left == 0) {	/* nothing in it: give it back */
				q->open = false;
				q->blk = next_block(q, q->blk);
				done++;
				continue;
			}
		}
		h = (struct tpacket3_hdr *)q->frame;
		m = rx_frame(q, h, bufs[i++]);
		if (likely(m != NULL)) {
			bytes += m->pkt_len;
			bufs[nb++] = m;
		}
		if (--q->left == 0) {
			q->open = false;
			q->blk = next_block(q, q->blk);
			done++;
		} else {
			q->frame += h->tp_next_offset;
		}
	}
	/* Every frame of these blocks is copied: hand them back (release: our
	 * reads of the frames come before the kernel may overwrite them). */
	for (k = 0; k < done; k++) {
		__atomic_store_n(&rx_block(q, first)->hdr.bh1.block_status,
			TP_STATUS_KERNEL, __ATOMIC_RELEASE);
		first = next_block(q, first);
	}
	q->pkts += nb;
	q->bytes += bytes;
	return nb;
}

/* ---- TX ------------------------------------------------------------------------ */

static inline struct tpacket3_hdr *
tx_slot(const struct afp_txq *q, uint32_t idx)
{
	return (struct tpacket3_hdr *)(q->ring + (size_t)idx * q->framesz);
}

/* Frames longer than MTU + header are accepted by the kernel only when
 * they carry a VLAN tag (the tag does not count against the MTU). */
static inline bool
tx_len_ok(const struct afp_txq *q, const uint8_t *frame, uint32_t len)
{
	uint16_t type;

	if (unlikely(len < DP_ETHER_HDR_LEN))
		return false;
	if (likely(len <= q->mtu_len))
		return true;
	if (len > q->mtu_len + DP_VLAN_HLEN)
		return false;
	memcpy(&type, frame + PMD_VLAN_TAG_OFF, sizeof(type));
	return type == dp_cpu_to_be_16(DP_ETHER_TYPE_VLAN) ||
		type == dp_cpu_to_be_16(DP_ETHER_TYPE_QINQ);
}

static uint16_t
afp_tx(void *queue, struct dp_mbuf **bufs, uint16_t n)
{
	struct afp_txq *q = queue;
	uint32_t idx = q->idx, queued = 0, len;
	uint64_t bytes = 0;
	uint16_t i;

	for (i = 0; i < n; i++) {
		struct tpacket3_hdr *h = tx_slot(q, idx);
		uint8_t *frame = (uint8_t *)h + AFP_TX_DATA_OFF;
		struct virtio_net_hdr vh = { 0 };

		/* Acquire: the kernel is done reading the slot. */
		if (__atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE) !=
				TP_STATUS_AVAILABLE)
			break;	/* ring full: the caller keeps the rest */
		len = pmd_gather_frame(bufs[i], frame, q->max_len,
			q->vlan_insert);
		if (unlikely(len == 0 || !tx_len_ok(q, frame, len))) {
			q->errors++;	/* never fits: dropped, counted */
			continue;
		}
		/*
		 * hdr_len = the whole frame: the kernel copies it into the
		 * skb instead of pointing page fragments at the ring, which a
		 * veth would have to copy again into fresh pages (measured:
		 * 17-30 % more frames per second over veth). No offload asked.
		 */
		vh.hdr_len = (uint16_t)len;
		memcpy((uint8_t *)h + AFP_TX_VNET_OFF, &vh, sizeof(vh));
		h->tp_len = len + (uint32_t)sizeof(vh);
		h->tp_snaplen = len;
		h->tp_next_offset = 0;
		/* Release: the frame bytes are visible before the kernel sees
		 * the request. */
		__atomic_store_n(&h->tp_status, TP_STATUS_SEND_REQUEST,
			__ATOMIC_RELEASE);
		idx = idx + 1 == q->nb_frames ? 0 : idx + 1;
		queued++;
		bytes += len;
	}
	if (queued > 0 &&
	    sendto(q->fd, NULL, 0, MSG_DONTWAIT, NULL, 0) < 0 &&
	    errno != EAGAIN && errno != ENOBUFS && errno != EINTR)
		q->kick_errors++;	/* the frames stay queued for the next kick */
	dp_pktmbuf_free_bulk(bufs, i);
	q->idx = idx;
	q->pkts += queued;
	q->bytes += bytes;
	return i;
}

/* ---- sockets and rings --------------------------------------------------------- */

static void
ring_req(const struct afp_port *p, struct tpacket_req3 *req, bool rx)
{
	memset(req, 0, sizeof(*req));
	req->tp_block_size = p->blocksz;
	req->tp_block_nr = (uint32_t)((uint64_t)p->framecnt * p->framesz /
		p->blocksz);
	req->tp_frame_size = p->framesz;
	req->tp_frame_nr = p->framecnt;
	/* The TX ring takes no V3 block options. */
	if (rx)
		req->tp_retire_blk_tov = AFP_BLOCK_TIMEOUT_MS;
}

static int
sockopt_int(int fd, int opt, int val)
{
	return setsockopt(fd, SOL_PACKET, opt, &val, sizeof(val)) < 0 ? -errno : 0;
}

/*
 * One socket with its two rings, not yet bound (it receives nothing).
 * On success *map is the mapping of both rings (RX first).
 */
static int
afp_socket_open(const struct afp_port *p, int *fdp, void **map)
{
	struct tpacket_req3 req;
	int fd, rc;

	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		rc = -errno;
		if (rc == -EPERM || rc == -EACCES)
			AFP_LOG(ERR, p->name, "opening an AF_PACKET socket needs "
				"root or CAP_NET_RAW: run as root, or give the "
				"program the capability (setcap cap_net_raw+ep)");
		else
			AFP_LOG(ERR, p->name, "cannot open an AF_PACKET socket: %s",
				strerror(-rc));
		return rc;
	}
	/* A virtio-net header with every frame: on TX to have the frame
	 * copied whole into the skb, on RX for where an unfinished checksum
	 * goes. */
	rc = sockopt_int(fd, PACKET_VNET_HDR, 1);
	if (rc < 0) {
		AFP_LOG(ERR, p->name, "the kernel refused PACKET_VNET_HDR (%s)",
			strerror(-rc));
		goto fail;
	}
	rc = sockopt_int(fd, PACKET_VERSION, TPACKET_V3);
	if (rc < 0) {
		AFP_LOG(ERR, p->name, "the kernel refused TPACKET_V3 (%s): "
			"Linux 4.11 or later is needed", strerror(-rc));
		goto fail;
	}
	/* A frame the kernel cannot send is skipped instead of blocking the
	 * ring (the burst already drops what it knows is invalid). */
	sockopt_int(fd, PACKET_LOSS, 1);
	/* Frames sent through this interface by anyone (other queues of this
	 * port included) are not received as if they had arrived. */
	if (sockopt_int(fd, PACKET_IGNORE_OUTGOING, 1) < 0)
		AFP_LOG(WARNING, p->name, "PACKET_IGNORE_OUTGOING refused "
			"(kernel older than 4.20?): frames sent on '%s' by other "
			"sockets are received too", p->iface);
	if (p->qdisc_bypass) {
		rc = sockopt_int(fd, PACKET_QDISC_BYPASS, 1);
		if (rc < 0) {
			AFP_LOG(ERR, p->name, "PACKET_QDISC_BYPASS refused: %s "
				"(pass qdisc_bypass=0)", strerror(-rc));
			goto fail;
		}
	}
	ring_req(p, &req, true);
	if (setsockopt(fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof(req)) < 0) {
		rc = -errno;
		AFP_LOG(ERR, p->name, "the kernel refused the RX ring (%u blocks "
			"of %u bytes, %u frames of %u): %s", req.tp_block_nr,
			req.tp_block_size, req.tp_frame_nr, req.tp_frame_size,
			strerror(-rc));
		goto fail;
	}
	ring_req(p, &req, false);
	if (setsockopt(fd, SOL_PACKET, PACKET_TX_RING, &req, sizeof(req)) < 0) {
		rc = -errno;
		AFP_LOG(ERR, p->name, "the kernel refused the TX ring (%u slots "
			"of %u bytes): %s (a TPACKET_V3 TX ring needs Linux 4.11)",
			req.tp_frame_nr, req.tp_frame_size, strerror(-rc));
		goto fail;
	}
	*map = mmap(NULL, p->map_len, PROT_READ | PROT_WRITE,
		MAP_SHARED | MAP_POPULATE, fd, 0);
	if (*map == MAP_FAILED) {
		rc = -errno;
		AFP_LOG(ERR, p->name, "cannot map the rings (%zu bytes): %s",
			p->map_len, strerror(-rc));
		goto fail;
	}
	*fdp = fd;
	return 0;
fail:
	close(fd);
	return rc;
}

/* Read and clear the kernel's counters of queue @p q's socket. */
static void
harvest_kernel_stats(struct afp_rxq *q)
{
	struct tpacket_stats_v3 st;
	socklen_t len = sizeof(st);

	if (q->fd < 0)
		return;
	/*
	 * The call resets the kernel counters, so they are accumulated here.
	 * tp_packets counts every frame the socket was offered, tp_drops
	 * those the ring had no room for (included in tp_packets);
	 * tp_freeze_q_cnt the times V3 froze the ring because every block
	 * was ours.
	 */
	memset(&st, 0, sizeof(st));
	if (getsockopt(q->fd, SOL_PACKET, PACKET_STATISTICS, &st, &len) == 0) {
		q->kdrops += st.tp_drops;
		q->freezes += st.tp_freeze_q_cnt;
	}
}

static void
afp_close_sockets(struct afp_port *p)
{
	uint32_t i;

	for (i = 0; i < p->nb_open; i++) {
		harvest_kernel_stats(&p->rxq[i]);
		munmap(p->map[i], p->map_len);
		close(p->fd[i]);
		p->fd[i] = -1;
		p->map[i] = NULL;
		p->rxq[i].ring = NULL;
		p->rxq[i].fd = -1;
		p->txq[i].ring = NULL;
		p->txq[i].fd = -1;
	}
	p->nb_open = 0;
}

static int
membership(struct afp_port *p, int type, bool add)
{
	struct packet_mreq mr;

	if (p->nb_open == 0)
		return 0;	/* applied at start */
	memset(&mr, 0, sizeof(mr));
	mr.mr_ifindex = p->ifindex;
	mr.mr_type = (unsigned short)type;
	if (setsockopt(p->fd[0], SOL_PACKET, add ? PACKET_ADD_MEMBERSHIP :
			PACKET_DROP_MEMBERSHIP, &mr, sizeof(mr)) < 0) {
		int rc = -errno;

		AFP_LOG(ERR, p->name, "cannot %s %s mode on '%s': %s",
			add ? "enter" : "leave",
			type == PACKET_MR_PROMISC ? "promiscuous" : "all-multicast",
			p->iface, strerror(-rc));
		return rc;
	}
	return 0;
}

/* Bind socket @p i to the interface; RX sockets also join the fanout
 * group when there are several. */
static int
afp_bind(struct afp_port *p, uint32_t i, bool rx, uint32_t nb_rx,
	uint32_t *fanout_id)
{
	struct sockaddr_ll sll;
	int fd = p->fd[i], rc = 0, val;
	/* Drop everything while a socket joins the group: bound but not yet
	 * a member, it would get a copy of every frame. */
	struct sock_filter drop = BPF_STMT(BPF_RET | BPF_K, 0);
	struct sock_fprog prog = { .len = 1, .filter = &drop };
	bool filtered = false;

	if (rx && nb_rx > 1 && i > 0) {
		if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog,
				sizeof(prog)) == 0)
			filtered = true;
	}
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	/* A TX-only socket binds without a protocol: it receives nothing. */
	sll.sll_protocol = rx ? htons(ETH_P_ALL) : 0;
	sll.sll_ifindex = p->ifindex;
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		rc = -errno;
		AFP_LOG(ERR, p->name, "cannot bind to '%s': %s", p->iface,
			strerror(-rc));
		return rc;
	}
	if (rx && nb_rx > 1) {
		if (i == 0) {
			socklen_t len = sizeof(val);

			/* The kernel picks a group id no one else uses. */
			val = (PACKET_FANOUT_HASH | PACKET_FANOUT_FLAG_UNIQUEID) << 16;
			if (setsockopt(fd, SOL_PACKET, PACKET_FANOUT, &val,
					sizeof(val)) < 0 ||
			    getsockopt(fd, SOL_PACKET, PACKET_FANOUT, &val,
					&len) < 0)
				rc = -errno;
			*fanout_id = (uint32_t)val & 0xffff;
		} else {
			val = (int)(*fanout_id | (PACKET_FANOUT_HASH << 16));
			if (setsockopt(fd, SOL_PACKET, PACKET_FANOUT, &val,
					sizeof(val)) < 0)
				rc = -errno;
		}
		if (rc < 0) {
			AFP_LOG(ERR, p->name, "cannot spread '%s' over %u queues "
				"(PACKET_FANOUT): %s", p->iface, nb_rx,
				strerror(-rc));
			return rc;
		}
	}
	if (filtered)
		setsockopt(fd, SOL_SOCKET, SO_DETACH_FILTER, &val, sizeof(val));
	return 0;
}

/* ---- control ------------------------------------------------------------------- */

/* Largest frame a slot (TX) and a block (RX) hold. */
static uint32_t
afp_max_frame(const struct afp_port *p)
{
	return DP_MIN(p->framesz - (uint32_t)AFP_TX_DATA_OFF,
		p->blocksz - (uint32_t)AFP_RX_OVERHEAD);
}

static int
afp_configure(struct dp_eth_dev *dev)
{
	struct afp_port *p = dev->data->dev_private;
	uint16_t mtu;

	/* The MTU is the interface's: dp_eth_dev_set_mtu() changes it. */
	if (pmd_iface_get_mtu(p->iface, &mtu) == 0)
		dev->data->mtu = mtu;
	return 0;
}

static int
afp_link_update(struct dp_eth_dev *dev, int wait)
{
	struct afp_port *p = dev->data->dev_private;
	struct dp_eth_link link;

	(void)wait;
	if (pmd_iface_link(p->iface, &link) < 0)
		memset(&link, 0, sizeof(link));
	dp_eth_linkstatus_set(dev, &link);
	return 0;
}

static int
afp_start(struct dp_eth_dev *dev)
{
	struct afp_port *p = dev->data->dev_private;
	uint32_t nb_rx = dev->data->nb_rx_queues, nb_tx = dev->data->nb_tx_queues;
	uint32_t nb = DP_MAX(nb_rx, nb_tx), i, fanout_id = 0;
	uint16_t mtu = dev->data->mtu;
	int rc;

	pmd_iface_get_mtu(p->iface, &mtu);
	dev->data->mtu = mtu;
	if ((uint32_t)mtu + DP_ETHER_HDR_LEN + DP_VLAN_HLEN > afp_max_frame(p))
		AFP_LOG(WARNING, p->name, "'%s' has MTU %u but the rings hold "
			"frames of at most %u bytes: longer ones are dropped "
			"(raise framesz and blocksz, or lower the MTU)", p->iface,
			mtu, afp_max_frame(p));
	for (i = 0; i < nb; i++) {
		struct afp_rxq *rq = &p->rxq[i];
		struct afp_txq *tq = &p->txq[i];

		rc = afp_socket_open(p, &p->fd[i], &p->map[i]);
		if (rc < 0)
			goto fail;
		p->nb_open++;
		rq->fd = tq->fd = p->fd[i];
		rq->ring = p->map[i];
		rq->blocksz = p->blocksz;
		rq->nb_blocks = (uint32_t)((uint64_t)p->framecnt * p->framesz /
			p->blocksz);
		rq->blk = 0;
		rq->open = false;
		tq->ring = (uint8_t *)p->map[i] + p->map_len / 2;
		tq->framesz = p->framesz;
		tq->nb_frames = p->framecnt;
		tq->idx = 0;
		tq->mtu_len = (uint32_t)mtu + DP_ETHER_HDR_LEN;
		tq->max_len = DP_MIN(p->framesz - (uint32_t)AFP_TX_DATA_OFF,
			tq->mtu_len + DP_VLAN_HLEN);
	}
	for (i = 0; i < nb; i++) {
		rc = afp_bind(p, i, i < nb_rx, nb_rx, &fanout_id);
		if (rc < 0)
			goto fail;
	}
	if (dev->data->promiscuous) {
		rc = membership(p, PACKET_MR_PROMISC, true);
		if (rc < 0)
			goto fail;
	}
	if (dev->data->all_multicast) {
		rc = membership(p, PACKET_MR_ALLMULTI, true);
		if (rc < 0)
			goto fail;
	}
	afp_link_update(dev, 0);
	return 0;
fail:
	afp_close_sockets(p);
	return rc;
}

static int
afp_stop(struct dp_eth_dev *dev)
{
	afp_close_sockets(dev->data->dev_private);
	return dp_eth_dev_op_link_down(dev);
}

static int
afp_close(struct dp_eth_dev *dev)
{
	afp_close_sockets(dev->data->dev_private);
	return 0;
}

static int
afp_info(struct dp_eth_dev *dev, struct dp_eth_dev_info *info)
{
	struct afp_port *p = dev->data->dev_private;

	info->if_index = p->ifindex;
	info->max_rx_queues = (uint16_t)p->qpairs;
	info->max_tx_queues = (uint16_t)p->qpairs;
	info->max_mac_addrs = 1;
	info->max_rx_pktlen = afp_max_frame(p);
	info->min_mtu = 68;
	info->max_mtu = afp_max_frame(p) - DP_ETHER_HDR_LEN - DP_VLAN_HLEN;
	info->min_rx_bufsize = 0;	/* larger frames are chained */
	info->rx_offload_capa = DP_ETH_RX_OFFLOAD_VLAN_STRIP |
		DP_ETH_RX_OFFLOAD_TIMESTAMP | DP_ETH_RX_OFFLOAD_SCATTER;
	info->tx_offload_capa = DP_ETH_TX_OFFLOAD_MULTI_SEGS |
		DP_ETH_TX_OFFLOAD_VLAN_INSERT;
	info->rx_queue_offload_capa = info->rx_offload_capa;
	info->tx_queue_offload_capa = info->tx_offload_capa;
	info->default_rxportconf.burst_size = 32;
	info->default_txportconf.burst_size = 32;
	info->default_rxportconf.nb_queues = (uint16_t)p->qpairs;
	info->default_txportconf.nb_queues = (uint16_t)p->qpairs;
	info->default_rxportconf.ring_size = (uint16_t)DP_MIN(p->framecnt, 4096u);
	info->default_txportconf.ring_size = (uint16_t)DP_MIN(p->framecnt, 4096u);
	info->rx_desc_lim.nb_max = UINT16_MAX;
	info->tx_desc_lim.nb_max = UINT16_MAX;
	return 0;
}

static int
afp_rx_setup(struct dp_eth_dev *dev, uint16_t qid, uint16_t nb_desc,
	int socket, const struct dp_eth_rxconf *conf, struct dp_mempool *mp)
{
	struct afp_port *p = dev->data->dev_private;
	struct afp_rxq *q = &p->rxq[qid];
	uint64_t off = dev->data->dev_conf.rxmode.offloads |
		(conf ? conf->offloads : 0);

	(void)nb_desc;	/* the ring size comes from framecnt/framesz */
	(void)socket;
	q->mp = mp;
	q->data = dev->data;
	q->vlan_strip = off & DP_ETH_RX_OFFLOAD_VLAN_STRIP;
	q->timestamp = off & DP_ETH_RX_OFFLOAD_TIMESTAMP;
	dev->data->rx_queues[qid] = q;
	return 0;
}

static int
afp_tx_setup(struct dp_eth_dev *dev, uint16_t qid, uint16_t nb_desc,
	int socket, const struct dp_eth_txconf *conf)
{
	struct afp_port *p = dev->data->dev_private;
	struct afp_txq *q = &p->txq[qid];
	uint64_t off = dev->data->dev_conf.txmode.offloads |
		(conf ? conf->offloads : 0);

	(void)nb_desc;
	(void)socket;
	q->vlan_insert = off & DP_ETH_TX_OFFLOAD_VLAN_INSERT;
	dev->data->tx_queues[qid] = q;
	return 0;
}

static int
afp_stats_get(struct dp_eth_dev *dev, struct dp_eth_stats *st)
{
	struct afp_port *p = dev->data->dev_private;
	uint16_t q;

	for (q = 0; q < dev->data->nb_rx_queues; q++) {
		struct afp_rxq *rq = &p->rxq[q];

		harvest_kernel_stats(rq);
		pmd_stats_add_rxq(st, q, rq->pkts, rq->bytes, rq->errors);
		st->imissed += rq->kdrops;
	}
	for (q = 0; q < dev->data->nb_tx_queues; q++)
		pmd_stats_add_txq(st, q, p->txq[q].pkts, p->txq[q].bytes,
			p->txq[q].errors);
	return 0;
}

static int
afp_stats_reset(struct dp_eth_dev *dev)
{
	struct afp_port *p = dev->data->dev_private;
	uint32_t q;

	for (q = 0; q < AFP_MAX_QPAIRS; q++) {
		struct afp_rxq *rq = &p->rxq[q];
		struct afp_txq *tq = &p->txq[q];

		harvest_kernel_stats(rq);	/* clears the kernel's */
		rq->pkts = rq->bytes = rq->errors = rq->kdrops = rq->freezes = 0;
		rq->csum_fixed = 0;
		tq->pkts = tq->bytes = tq->errors = tq->kick_errors = 0;
	}
	return 0;
}

/* Driver xstats, per queue. */
static const char *const afp_xstat_names[] = {
	"rx_q%u_kernel_drops", "rx_q%u_ring_freezes", "rx_q%u_truncated",
	"rx_q%u_csum_completed", "tx_q%u_errors", "tx_q%u_kick_errors",
};

static uint64_t
afp_xstat_value(struct afp_port *p, unsigned int which, unsigned int q)
{
	switch (which) {
	case 0: return p->rxq[q].kdrops;
	case 1: return p->rxq[q].freezes;
	case 2: return p->rxq[q].errors;
	case 3: return p->rxq[q].csum_fixed;
	case 4: return p->txq[q].errors;
	default: return p->txq[q].kick_errors;
	}
}

static int
afp_xstats_get_names(struct dp_eth_dev *dev, struct dp_eth_xstat_name *names,
	unsigned int n)
{
	unsigned int nq = DP_MAX(dev->data->nb_rx_queues, dev->data->nb_tx_queues);
	unsigned int count = nq * DP_DIM(afp_xstat_names), i;

	if (names != NULL)
		for (i = 0; i < DP_MIN(n, count); i++)
			snprintf(names[i].name, sizeof(names[i].name),
				afp_xstat_names[i % DP_DIM(afp_xstat_names)],
				i / (unsigned int)DP_DIM(afp_xstat_names));
	return (int)count;
}

static int
afp_xstats_get(struct dp_eth_dev *dev, struct dp_eth_xstat *xs, unsigned int n)
{
	struct afp_port *p = dev->data->dev_private;
	unsigned int nq = DP_MAX(dev->data->nb_rx_queues, dev->data->nb_tx_queues);
	unsigned int count = nq * DP_DIM(afp_xstat_names), i, q;

	if (xs == NULL)
		return (int)count;
	for (q = 0; q < DP_MIN(nq, dev->data->nb_rx_queues); q++)
		harvest_kernel_stats(&p->rxq[q]);
	for (i = 0; i < DP_MIN(n, count); i++) {
		xs[i].id = i;
		xs[i].value = afp_xstat_value(p, i % DP_DIM(afp_xstat_names),
			i / (unsigned int)DP_DIM(afp_xstat_names));
	}
	return (int)count;
}

static int
afp_promisc_on(struct dp_eth_dev *dev)
{
	return membership(dev->data->dev_private, PACKET_MR_PROMISC, true);
}

static int
afp_promisc_off(struct dp_eth_dev *dev)
{
	return membership(dev->data->dev_private, PACKET_MR_PROMISC, false);
}

static int
afp_allmulti_on(struct dp_eth_dev *dev)
{
	return membership(dev->data->dev_private, PACKET_MR_ALLMULTI, true);
}

static int
afp_allmulti_off(struct dp_eth_dev *dev)
{
	return membership(dev->data->dev_private, PACKET_MR_ALLMULTI, false);
}

static int
afp_mac_set(struct dp_eth_dev *dev, struct dp_ether_addr *addr)
{
	struct afp_port *p = dev->data->dev_private;
	int rc = pmd_iface_set_mac(p->iface, addr);

	if (rc < 0)
		AFP_LOG(ERR, p->name, "cannot set the MAC address of '%s': %s%s",
			p->iface, strerror(-rc), rc == -EPERM ?
			" (needs CAP_NET_ADMIN)" : rc == -EBUSY ?
			" (the interface driver wants it down first)" : "");
	return rc;
}

static int
afp_mtu_set(struct dp_eth_dev *dev, uint16_t mtu)
{
	struct afp_port *p = dev->data->dev_private;
	uint32_t i;
	int rc = pmd_iface_set_mtu(p->iface, mtu);

	if (rc < 0) {
		AFP_LOG(ERR, p->name, "cannot set the MTU of '%s' to %u: %s%s",
			p->iface, mtu, strerror(-rc), rc == -EPERM ?
			" (needs CAP_NET_ADMIN)" : "");
		return rc;
	}
	for (i = 0; i < AFP_MAX_QPAIRS; i++) {
		p->txq[i].mtu_len = (uint32_t)mtu + DP_ETHER_HDR_LEN;
		p->txq[i].max_len = DP_MIN(p->framesz - (uint32_t)AFP_TX_DATA_OFF,
			p->txq[i].mtu_len + DP_VLAN_HLEN);
	}
	return 0;
}

static const struct dp_eth_dev_ops afp_ops = {
	.dev_configure = afp_configure,
	.dev_start = afp_start,
	.dev_stop = afp_stop,
	.dev_close = afp_close,
	.dev_infos_get = afp_info,
	.promiscuous_enable = afp_promisc_on,
	.promiscuous_disable = afp_promisc_off,
	.allmulticast_enable = afp_allmulti_on,
	.allmulticast_disable = afp_allmulti_off,
	.link_update = afp_link_update,
	.stats_get = afp_stats_get,
	.stats_reset = afp_stats_reset,
	.xstats_get = afp_xstats_get,
	.xstats_get_names = afp_xstats_get_names,
	.mac_addr_set = afp_mac_set,
	.mtu_set = afp_mtu_set,
	.rx_queue_setup = afp_rx_setup,
	.tx_queue_setup = afp_tx_setup,
	.rx_queue_release = dp_eth_dev_op_release_nothing,
	.tx_queue_release = dp_eth_dev_op_release_nothing,
};

/* ---- probe / remove ---------------------------------------------------------------- */

/* The ring geometry rules, each with the fix in its message. */
static int
afp_check_sizes(const char *name, uint32_t blocksz, uint32_t framesz,
	uint32_t framecnt)
{
	long page = sysconf(_SC_PAGESIZE);
	uint32_t per_block;

	if (framesz % TPACKET_ALIGNMENT != 0) {
		AFP_LOG(ERR, name, "framesz=%u is not a multiple of %d "
			"(TPACKET_ALIGNMENT): use e.g. %u", framesz,
			TPACKET_ALIGNMENT, TPACKET_ALIGN(framesz));
		return -EINVAL;
	}
	if (framesz < AFP_MIN_FRAMESZ) {
		AFP_LOG(ERR, name, "framesz=%u is too small: at least %d bytes "
			"(frame header + a minimum frame)", framesz,
			AFP_MIN_FRAMESZ);
		return -EINVAL;
	}
	if (page <= 0 || blocksz % (uint32_t)page != 0) {
		AFP_LOG(ERR, name, "blocksz=%u is not a multiple of the page "
			"size (%ld)", blocksz, page);
		return -EINVAL;
	}
	if (blocksz % framesz != 0) {
		AFP_LOG(ERR, name, "blocksz=%u is not a multiple of framesz=%u: "
			"a block holds whole frames", blocksz, framesz);
		return -EINVAL;
	}
	per_block = blocksz / framesz;
	if (framecnt % per_block != 0) {
		AFP_LOG(ERR, name, "framecnt=%u does not fill whole blocks: "
			"blocksz=%u holds %u frames of %u bytes, so framecnt must "
			"be a multiple of %u", framecnt, blocksz, per_block,
			framesz, per_block);
		return -EINVAL;
	}
	if ((uint64_t)framecnt * framesz > AFP_MAX_RING_BYTES) {
		AFP_LOG(ERR, name, "framecnt=%u x framesz=%u is more than %llu "
			"MB of ring per direction", framecnt, framesz,
			AFP_MAX_RING_BYTES >> 20);
		return -EINVAL;
	}
	return 0;
}

static int
afp_parse_args(struct dp_vdev_device *vdev, struct afp_port *p)
{
	uint64_t qpairs = 1, blocksz = AFP_DEFAULT_BLOCKSZ,
		framesz = AFP_DEFAULT_FRAMESZ, framecnt = AFP_DEFAULT_FRAMECNT;
	bool bypass = true;
	struct dp_kvargs *kv;
	const char *iface;
	int rc;

	kv = dp_kvargs_parse(vdev->args, afp_keys, vdev->name);
	if (kv == NULL)
		return -dp_errno;
	iface = dp_kvargs_get(kv, "iface");
	if (iface == NULL || iface[0] == '\0') {
		AFP_LOG(ERR, vdev->name, "iface= is required: the kernel "
			"interface to attach to (e.g. iface=eth0)");
		rc = -EINVAL;
	} else if (strlen(iface) >= IFNAMSIZ) {
		AFP_LOG(ERR, vdev->name, "iface=%s: interface names have at "
			"most %d characters", iface, IFNAMSIZ - 1);
		rc = -EINVAL;
	} else {
		snprintf(p->iface, sizeof(p->iface), "%s", iface);
		rc = dp_kvargs_get_u64(kv, "qpairs", 1, AFP_MAX_QPAIRS, &qpairs);
	}
	if (rc == 0)
		rc = dp_kvargs_get_u64(kv, "blocksz", 1, 1u << 30, &blocksz);
	if (rc == 0)
		rc = dp_kvargs_get_u64(kv, "framesz", 1, 1u << 30, &framesz);
	if (rc == 0)
		rc = dp_kvargs_get_u64(kv, "framecnt", 1, 1u << 24, &framecnt);
	if (rc == 0)
		rc = dp_kvargs_get_bool(kv, "qdisc_bypass", &bypass);
	dp_kvargs_free(kv);
	if (rc == 0)
		rc = afp_check_sizes(vdev->name, (uint32_t)blocksz,
			(uint32_t)framesz, (uint32_t)framecnt);
	if (rc < 0)
		return rc;
	p->qpairs = (uint32_t)qpairs;
	p->blocksz = (uint32_t)blocksz;
	p->framesz = (uint32_t)framesz;
	p->framecnt = (uint32_t)framecnt;
	p->qdisc_bypass = bypass;
	p->map_len = 2 * (size_t)p->framecnt * p->framesz;
	return 0;
}

static int
afp_probe(struct dp_vdev_device *vdev)
{
	struct afp_port *p, tmp;
	struct dp_eth_dev *dev;
	uint32_t i;
	void *map;
	int fd, rc;

	memset(&tmp, 0, sizeof(tmp));
	tmp.name = vdev->name;
	rc = afp_parse_args(vdev, &tmp);
	if (rc < 0)
		return rc;
	tmp.ifindex = pmd_iface_index(tmp.iface);
	if (tmp.ifindex == -ENODEV) {
		AFP_LOG(ERR, vdev->name, "no interface '%s': create it or check "
			"the name", tmp.iface);
		return -ENODEV;
	}
	if (tmp.ifindex < 0) {
		AFP_LOG(ERR, vdev->name, "cannot look up interface '%s': %s",
			tmp.iface, strerror(-tmp.ifindex));
		return tmp.ifindex;
	}
	/* One trial socket: permission and ring sizes fail here, not at start. */
	rc = afp_socket_open(&tmp, &fd, &map);
	if (rc < 0)
		return rc;
	munmap(map, tmp.map_len);
	close(fd);

	dev = dp_eth_dev_allocate(vdev->name);
	if (dev == NULL)
		return -dp_errno;
	p = dp_eth_dev_alloc_private(dev, sizeof(*p));
	if (p == NULL) {
		dp_eth_dev_release_port(dev);
		return -ENOMEM;
	}
	*p = tmp;
	p->name = dev->data->name;
	for (i = 0; i < AFP_MAX_QPAIRS; i++) {
		p->fd[i] = -1;
		p->rxq[i].fd = -1;
		p->txq[i].fd = -1;
	}
	dev->driver_name = "net_af_packet";
	dev->device = vdev;
	dev->dev_ops = &afp_ops;
	dev->rx_pkt_burst = afp_rx;
	dev->tx_pkt_burst = afp_tx;
	pmd_iface_get_mac(p->iface, &dev->data->mac_addr);
	pmd_iface_get_mtu(p->iface, &dev->data->mtu);
	vdev->priv = dev;
	dp_eth_dev_probing_finish(dev);
	AFP_LOG(INFO, vdev->name, "port %u on '%s': %u queue pair(s), blocks "
		"of %u, %u frames of %u, qdisc %s", dev->data->port_id, p->iface,
		p->qpairs, p->blocksz, p->framecnt, p->framesz,
		p->qdisc_bypass ? "bypassed" : "used");
	return 0;
}

static struct dp_vdev_driver afp_driver = {
	.name = "net_af_packet",
	.param_string = "iface=<ifname> qpairs=<1-16> blocksz=<bytes> "
		"framesz=<bytes> framecnt=<n> qdisc_bypass=<0|1>",
	.probe = afp_probe,
	.remove = dp_vdev_remove_eth_port,
};

DP_PMD_REGISTER_VDEV(net_af_packet, afp_driver);
