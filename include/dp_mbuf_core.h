/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DP_MBUF_CORE_H
#define DP_MBUF_CORE_H

/**
 * @file
 * The packet buffer structure (struct dp_mbuf), its offload flags and the
 * external-buffer shared info. Applications include dp_mbuf.h; this file
 * holds what the inline functions and the PMDs need. Names starting with
 * __dp_ are internal.
 *
 * Two cache lines, laid out so that a PMD's receive path writes only the
 * first:
 *
 * @verbatim
 *  line 0 (RX-hot)                         line 1 (TX, chains, attach)
 *   0 buf_addr                              64 next
 *   8 buf_iova                              72 tx_offload (l2/l3/l4 len, tso)
 *  16 data_off  18 refcnt  (= rearm_data,   80 shinfo / direct
 *  20 nb_segs   22 port     one 8-byte store) 88 priv_size 90 timesync
 *  24 ol_flags                              92 dynfield0
 *  32 packet_type  36 pkt_len               96 timestamp (RX time, ns)
 *  40 data_len 42 vlan_tci 44 hash (8)     104 udata64
 *  52 vlan_tci_outer 54 buf_len            112 reserved
 *  56 pool
 * @endverbatim
 */

#include <stddef.h>
#include <stdint.h>

#include <dp_common.h>

#ifdef __cplusplus
extern "C" {
#endif

struct dp_mempool;

/* ---- offload flags (dp_mbuf.ol_flags) --------------------------------------- */

/** RX: the packet had a VLAN tag; its TCI is in vlan_tci. */
#define DP_MBUF_F_RX_VLAN (1ULL << 0)
/** RX: hash.rss holds the NIC's RSS hash. */
#define DP_MBUF_F_RX_RSS_HASH (1ULL << 1)
/** RX: the VLAN tag was removed from the data (with DP_MBUF_F_RX_VLAN). */
#define DP_MBUF_F_RX_VLAN_STRIPPED (1ULL << 2)
/** RX: timestamp holds the receive time. */
#define DP_MBUF_F_RX_TIMESTAMP (1ULL << 3)

/** RX: IPv4 header checksum state, a 2-bit field. */
#define DP_MBUF_F_RX_IP_CKSUM_MASK (3ULL << 4)
/** RX: IP checksum not checked (no information). */
#define DP_MBUF_F_RX_IP_CKSUM_UNKNOWN 0ULL
/** RX: IP checksum checked and wrong. */
#define DP_MBUF_F_RX_IP_CKSUM_BAD (1ULL << 4)
/** RX: IP checksum checked and right. */
#define DP_MBUF_F_RX_IP_CKSUM_GOOD (2ULL << 4)
/** RX: no IP checksum to check (not IPv4, or already verified and valid). */
#define DP_MBUF_F_RX_IP_CKSUM_NONE (3ULL << 4)

/** RX: TCP/UDP checksum state, a 2-bit field. */
#define DP_MBUF_F_RX_L4_CKSUM_MASK (3ULL << 6)
/** RX: L4 checksum not checked. */
#define DP_MBUF_F_RX_L4_CKSUM_UNKNOWN 0ULL
/** RX: L4 checksum checked and wrong. */
#define DP_MBUF_F_RX_L4_CKSUM_BAD (1ULL << 6)
/** RX: L4 checksum checked and right. */
#define DP_MBUF_F_RX_L4_CKSUM_GOOD (2ULL << 6)
/** RX: no L4 checksum to check (e.g. UDP with checksum 0). */
#define DP_MBUF_F_RX_L4_CKSUM_NONE (3ULL << 6)

/** Every RX flag. */
#define DP_MBUF_F_RX_MASK (0xffULL)

/** TX: insert the VLAN tag in vlan_tci. */
#define DP_MBUF_F_TX_VLAN (1ULL << 48)
/** TX: the packet is IPv4 (with TX_IP_CKSUM, TX_*_CKSUM or TX_TCP_SEG). */
#define DP_MBUF_F_TX_IPV4 (1ULL << 49)
/** TX: the packet is IPv6. */
#define DP_MBUF_F_TX_IPV6 (1ULL << 50)
/** TX: compute the IPv4 header checksum (l2_len, l3_len set). */
#define DP_MBUF_F_TX_IP_CKSUM (1ULL << 51)
/** TX: compute the TCP checksum (l2_len, l3_len set). */
#define DP_MBUF_F_TX_TCP_CKSUM (1ULL << 52)
/** TX: compute the UDP checksum (l2_len, l3_len set). */
#define DP_MBUF_F_TX_UDP_CKSUM (1ULL << 53)
/** TX: TCP segmentation (l2/l3/l4_len and tso_segsz set). */
#define DP_MBUF_F_TX_TCP_SEG (1ULL << 54)
/** Every TX flag. */
#define DP_MBUF_F_TX_MASK (0x7fULL << 48)

/** The data buffer is external memory described by shinfo. */
#define DP_MBUF_F_EXTERNAL (1ULL << 61)
/** The mbuf is indirect: its data buffer belongs to another mbuf. */
#define DP_MBUF_F_INDIRECT (1ULL << 62)
/** Both attach flags. */
#define DP_MBUF_F_ATTACHED (DP_MBUF_F_EXTERNAL | DP_MBUF_F_INDIRECT)

/* ---- constants -------------------------------------------------------------- */

/** port value of an mbuf no port has received. */
#define DP_MBUF_PORT_INVALID UINT16_MAX
/** Most segments in one packet. */
#define DP_MBUF_MAX_NB_SEGS UINT16_MAX
/** The private area after each mbuf is a multiple of this. */
#define DP_MBUF_PRIV_ALIGN 8
/** Data room of the default buffer, after the headroom. */
#define DP_MBUF_DEFAULT_DATAROOM 2048
/** Default data_room_size for dp_pktmbuf_pool_create(): 2 KB + headroom. */
#define DP_MBUF_DEFAULT_BUF_SIZE (DP_MBUF_DEFAULT_DATAROOM + DP_PKTMBUF_HEADROOM)
/** Backend of pools made by dp_pktmbuf_pool_create(). */
#define DP_MBUF_DEFAULT_MEMPOOL_OPS "ring_mp_mc"

/* ---- external buffers ---------------------------------------------------------- */

/**
 * Called once when the last mbuf attached to an external buffer lets go
 * of it.
 *
 * @param addr
 *   buf_addr the mbuf had (where the buffer was attached).
 * @param opaque
 *   fcb_opaque of the shared info.
 */
typedef void (*dp_mbuf_extbuf_free_callback_t)(void *addr, void *opaque);

/**
 * Shared by every mbuf attached to one external buffer (or to slices of
 * it). refcnt counts the attached mbufs: dp_pktmbuf_attach_extbuf() and
 * clones add one, freeing an attached mbuf removes one, and free_cb runs
 * when it reaches 0. Start it at 0 (dp_pktmbuf_ext_shinfo_init_helper()
 * does).
 */
struct dp_mbuf_ext_shared_info {
	dp_mbuf_extbuf_free_callback_t free_cb;	/**< frees the buffer */
	void *fcb_opaque;			/**< second argument of free_cb */
	uint32_t refcnt;			/**< attached mbufs (atomic) */
};

/* ---- the mbuf ---------------------------------------------------------------------- */

/**
 * A packet buffer: metadata (these two cache lines), then the private
 * area (priv_size bytes), then the data buffer (buf_len bytes) whose first
 * data_off bytes are headroom. A packet is a chain of mbufs (segments)
 * linked by next; the first segment (head) carries the packet fields
 * (pkt_len, nb_segs, ol_flags, ...).
 */
struct dp_mbuf {
	/* ---- cache line 0: what RX writes ---- */
	/** Virtual address of the data buffer. */
	void *buf_addr __dp_cache_aligned;
	/** IOVA of the data buffer (what a descriptor gets, plus data_off). */
	dp_iova_t buf_iova;
	union {
		/**
		 * data_off, refcnt, nb_segs and port as one word: a PMD
		 * re-arms an mbuf for RX with one 8-byte store.
		 */
		uint64_t rearm_data;
		struct {
			/** Start of the data in the buffer (the headroom). */
			uint16_t data_off;
			/** References; see dp_mbuf_refcnt_update(). */
			uint16_t refcnt;
			/** Segments in the packet (head only; 1 elsewhere). */
			uint16_t nb_segs;
			/** Input port, DP_MBUF_PORT_INVALID if none. */
			uint16_t port;
		};
	};
	/** DP_MBUF_F_* offload and attach flags. */
	uint64_t ol_flags;
	/** DP_PTYPE_* packet type (dp_mbuf_ptype.h). */
	uint32_t packet_type;
	/** Bytes in the whole packet (head only). */
	uint32_t pkt_len;
	/** Bytes of data in this segment. */
	uint16_t data_len;
	/** VLAN TCI (DP_MBUF_F_RX_VLAN on RX, DP_MBUF_F_TX_VLAN on TX). */
	uint16_t vlan_tci;
	/** Hash words written by the NIC or the application. */
	union {
		/** RSS hash (DP_MBUF_F_RX_RSS_HASH). */
		uint32_t rss;
		/** Flow director: the hash and the matched filter id. */
		struct {
			uint32_t hash;	/**< hash word (shares rss) */
			uint32_t id;	/**< filter id */
		} fdir;
		/** Application data in the two words. */
		uint32_t usr[2];
	} hash;
	/** Outer VLAN TCI (QinQ). */
	uint16_t vlan_tci_outer;
	/** Size of the data buffer. */
	uint16_t buf_len;
	/** Pool the mbuf returns to when freed. */
	struct dp_mempool *pool;

	/* ---- cache line 1: TX offloads, chains, attach ---- */
	/** Next segment of the packet, NULL for the last. */
	struct dp_mbuf *next __dp_cache_aligned;
	union {
		/** The TX offload lengths as one word. */
		uint64_t tx_offload;
		struct {
			uint64_t l2_len:7;	/**< L2 header bytes */
			uint64_t l3_len:9;	/**< L3 header bytes */
			uint64_t l4_len:8;	/**< L4 header bytes */
			uint64_t tso_segsz:16;	/**< TSO segment payload */
			uint64_t outer_l3_len:9; /**< outer L3 (tunnels) */
			uint64_t outer_l2_len:7; /**< outer L2 (tunnels) */
		};
	};
	union {
		/** External buffer info (DP_MBUF_F_EXTERNAL). */
		struct dp_mbuf_ext_shared_info *shinfo;
		/** The mbuf whose buffer this one uses (DP_MBUF_F_INDIRECT). */
		struct dp_mbuf *direct;
	};
	/** Bytes of the private area after this structure. */
	uint16_t priv_size;
	/** Timesync flags (IEEE 1588), for PMDs that report them. */
	uint16_t timesync;
	/** For a PMD or library to use; allocation does not reset it. */
	uint32_t dynfield0;
	/**
	 * RX timestamp in nanoseconds (valid with DP_MBUF_F_RX_TIMESTAMP):
	 * e.g. the capture time the pcap PMD read from the file.
	 */
	uint64_t timestamp;
	/** Application data, never touched by the library. */
	uint64_t udata64;
	/** @internal Reserved up to the end of the second line. */
	uint64_t reserved[2];
};

/* The layout is an ABI for PMDs: pin every field. */
DP_BUILD_BUG_ON(sizeof(struct dp_mbuf) != 2 * DP_CACHE_LINE_SIZE);
DP_BUILD_BUG_ON(offsetof(struct dp_mbuf, buf_addr) != 0);
DP_BUILD_BUG_ON(offsetof(struct dp_mbuf, buf_iova) != 8);
DP_BUILD_BUG_ON(offsetof(struct dp_mbuf, rearm_data) != 16);
DP_BUILD_BUG_ON(offsetof(struct dp_mbuf, data_off) != 16);
DP_BUILD_BUG_ON(offsetof(struct dp_mbuf, refcnt) != 18);
DP_BUILD_BUG_ON(offsetof(struct dp_mbuf, nb_segs) != 20);
DP_BUILD_BUG_ON(offsetof(struct dp_mbuf, port) != 22);
DP_BUILD_BUG_ON(offsetof(struct dp_mbuf, ol_flags) != 24);
DP_BUILD_BUG_ON(offsetof(struct dp_mbuf, packet_type) != 32);
DP_BUILD_BUG_ON(offsetof(struct dp_mbuf, pkt_len) != 36);
DP_BUILD_BUG_ON(offsetof(struct dp_mbuf, data_len) != 40);
DP_BUILD_BUG_ON(offsetof(struct dp_mbuf, vlan_tci) != 42);
DP_BUILD_BUG_ON(offsetof(struct dp_mbuf, hash) != 44);
DP_BUILD_BUG_ON(offsetof(struct dp_mbuf, hash.fdir.id) != 48);
DP_BUILD_BUG_ON(offsetof(struct dp_mbuf, vlan_tci_outer) != 52);
DP_BUILD_BUG_ON(offsetof(struct dp_mbuf, buf_len) != 54);
DP_BUILD_BUG_ON(offsetof(struct dp_mbuf, pool) != 56);
DP_BUILD_BUG_ON(offsetof(struct dp_mbuf, next) != 64);
DP_BUILD_BUG_ON(offsetof(struct dp_mbuf, tx_offload) != 72);
DP_BUILD_BUG_ON(offsetof(struct dp_mbuf, shinfo) != 80);
DP_BUILD_BUG_ON(offsetof(struct dp_mbuf, direct) != 80);
DP_BUILD_BUG_ON(offsetof(struct dp_mbuf, priv_size) != 88);
DP_BUILD_BUG_ON(offsetof(struct dp_mbuf, timesync) != 90);
DP_BUILD_BUG_ON(offsetof(struct dp_mbuf, dynfield0) != 92);
DP_BUILD_BUG_ON(offsetof(struct dp_mbuf, timestamp) != 96);
DP_BUILD_BUG_ON(offsetof(struct dp_mbuf, udata64) != 104);
DP_BUILD_BUG_ON(offsetof(struct dp_mbuf, reserved) != 112);

/**
 * Private area of a pktmbuf pool (dp_mempool_get_priv()), filled by
 * dp_pktmbuf_pool_init().
 */
struct dp_pktmbuf_pool_private {
	uint16_t mbuf_data_room_size;	/**< buf_len of every mbuf */
	uint16_t mbuf_priv_size;	/**< priv_size of every mbuf */
	uint32_t flags;			/**< reserved, 0 */
	/**
	 * @internal Bytes 16..55 of a freshly allocated mbuf: rearm_data
	 * (data_off = headroom, refcnt 1, nb_segs 1, port invalid), zeros,
	 * and buf_len. Allocation writes them with two stores.
	 */
	uint64_t fresh[5];
};

#ifdef __cplusplus
}
#endif

#endif /* DP_MBUF_CORE_H */
