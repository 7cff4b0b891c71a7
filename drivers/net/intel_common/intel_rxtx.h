/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef INTEL_RXTX_H
#define INTEL_RXTX_H

/*
 * The Intel advanced-descriptor data path, shared by the igb (82576) and
 * ixgbe (82599) drivers: queue setup, start and stop, the RX and TX burst
 * functions. A chip enters only through its struct intel_chip (register
 * block layout, the bits that differ, descriptor limits); everything
 * else is the same code. Private to drivers/net: not installed.
 *
 * Threading: a queue is used by one lcore at a time (dp_ethdev.h);
 * start/stop/free must not run while that lcore bursts on the queue.
 */

#include <stdbool.h>
#include <stdint.h>

#include <dp_byteorder.h>
#include <dp_common.h>
#include <dp_ethdev.h>
#include <dp_mbuf_core.h>

#include "intel_desc.h"

struct dp_mbuf;
struct dp_memzone;
struct dp_mempool;

/* ---- the chip table --------------------------------------------------------- */

/*
 * Registers of one queue, as offsets inside its block: RX queue q's block
 * starts at rxq_base + q * q_stride, TX queue q's at txq_base + q *
 * q_stride. The same on 82576 and 82599 except SRRCTL.
 */
#define INTEL_RDBAL	0x00	/* descriptor ring base, low 32 bits */
#define INTEL_RDBAH	0x04	/* descriptor ring base, high 32 bits */
#define INTEL_RDLEN	0x08	/* ring length in bytes (multiple of 128) */
#define INTEL_RDH	0x10	/* head: the next descriptor the NIC fills */
#define INTEL_RDT	0x18	/* tail: one past the last one it may fill */
#define INTEL_RXDCTL	0x28	/* thresholds and queue enable */
#define INTEL_TDBAL	0x00
#define INTEL_TDBAH	0x04
#define INTEL_TDLEN	0x08
#define INTEL_TDH	0x10
#define INTEL_TDT	0x18
#define INTEL_TXDCTL	0x28

/* RXDCTL/TXDCTL.ENABLE, bit 25 on both chips. */
#define INTEL_QUEUE_ENABLE	(1u << 25)
/* SRRCTL: one buffer per descriptor, advanced descriptors (DESCTYPE 001b). */
#define INTEL_SRRCTL_DESCTYPE_ADV_ONEBUF (1u << 25)
/* SRRCTL.BSIZEPACKET is in units of 1 KB. */
#define INTEL_SRRCTL_BSIZEPKT_SHIFT 10

/* What the shared code needs to know about a chip. */
struct intel_chip {
	const char *name;		/* "82576" */
	uint32_t rxq_base;		/* RDBAL of RX queue 0 */
	uint32_t txq_base;		/* TDBAL of TX queue 0 */
	uint32_t q_stride;		/* bytes from one queue's block to the next */
	uint32_t srrctl;		/* SRRCTL offset inside an RX block */
	uint32_t srrctl_drop_en;	/* SRRCTL.DROP_EN */
	uint32_t srrctl_bsize_mask;	/* SRRCTL.BSIZEPACKET field (1 KB units) */
	uint32_t rx_err_frame;		/* error bits of a bad frame (dropped) */
	uint32_t rx_err_ip;		/* IPv4 checksum error bit (flagged) */
	uint32_t rx_err_l4;		/* TCP/UDP checksum error bit (flagged) */
	uint32_t tx_olinfo_ctx;		/* olinfo bits of a packet that uses the context */
	uint32_t rxdctl_thresh;		/* RXDCTL prefetch/host/write-back thresholds */
	uint32_t txdctl_thresh;		/* TXDCTL thresholds */
	uint16_t max_rx_queues;		/* RX queues */
	uint16_t max_tx_queues;		/* TX queues */
	uint16_t nb_desc_min;		/* fewest descriptors per ring */
	uint16_t nb_desc_max;		/* most descriptors per ring */
	uint16_t nb_desc_align;		/* ring sizes are a multiple of this */
	uint16_t tx_max_segs;		/* most data descriptors per packet */
};

/* A mapped device: its BAR0 and its chip. */
struct intel_hw {
	volatile uint8_t *bar;		/* BAR0 */
	const struct intel_chip *chip;
	const char *name;		/* for log lines ("0000:01:00.0") */
};

/*
 * The register accessors of the shared code (the chip drivers wrap them
 * in their own pair). MMIO registers are little endian.
 */
static inline uint32_t
intel_read32(const struct intel_hw *hw, uint32_t reg)
{
	return dp_le_to_cpu_32(*(volatile const uint32_t *)(hw->bar + reg));
}

static inline void
intel_write32(const struct intel_hw *hw, uint32_t reg, uint32_t val)
{
	*(volatile uint32_t *)(hw->bar + reg) = dp_cpu_to_le_32(val);
}

/*
 * Wait until (reg & mask) == want, sleeping between reads, for at most
 * @p timeout_us. Returns 0, or -ETIMEDOUT.
 */
int intel_poll32(const struct intel_hw *hw, uint32_t reg, uint32_t mask,
	uint32_t want, unsigned int timeout_us);

/* Fill the descriptor limits a port reports (dp_eth_dev_info). */
void intel_desc_lim(const struct intel_chip *chip, struct dp_eth_desc_lim *rx,
	struct dp_eth_desc_lim *tx);

/* ---- queues --------------------------------------------------------------------- */

/* Counters of an RX queue, written by its lcore only. */
struct intel_rxq_stats {
	uint64_t packets;	/* frames delivered */
	uint64_t bytes;		/* their bytes (CRC stripped) */
	uint64_t errors;	/* frames dropped for frame errors (RXE) */
	uint64_t nombuf;	/* mbufs the refill could not get */
};

/* Counters of a TX queue, written by its lcore only. */
struct intel_txq_stats {
	uint64_t packets;	/* frames handed to the NIC */
	uint64_t bytes;		/* their bytes */
	uint64_t errors;	/* packets refused and freed (too many segments) */
};

/* What an RX queue fills in from the write-back. */
#define INTEL_RXQ_F_VLAN_STRIP	(1u << 0)	/* CTRL.VME / VLNCTRL.VME on */
#define INTEL_RXQ_F_CKSUM	(1u << 1)	/* RXCSUM offloads on */
#define INTEL_RXQ_F_RSS		(1u << 2)	/* RSS hash in the write-back */

/* One RX queue: the descriptor ring and the mbuf behind each descriptor. */
struct intel_rx_queue {
	/* Burst path. */
	volatile union intel_rx_desc *ring;
	struct dp_mbuf **sw_ring;	/* mbuf of each descriptor, NULL when taken */
	volatile uint32_t *tail;	/* this queue's RDT in BAR0 */
	struct dp_mempool *mp;
	struct dp_mbuf *pkt_first;	/* frame whose EOP has not come yet */
	struct dp_mbuf *pkt_last;	/* its last segment */
	uint64_t mbuf_rearm;		/* rearm_data of every received mbuf */
	uint16_t nb_desc;
	uint16_t next;			/* next descriptor to look at */
	uint16_t nb_hold;		/* taken, not yet refilled and returned */
	uint16_t free_thresh;		/* refill when more than this are held */
	uint32_t flags;			/* INTEL_RXQ_F_* */
	uint32_t err_frame;		/* chip's error bits, copied */
	uint32_t err_ip;
	uint32_t err_l4;
	bool started;
	struct intel_rxq_stats stats;
	uint64_t *port_nombuf;		/* the port's rx_nombuf (atomic), or NULL */

	/* Control path. */
	const struct intel_hw *hw;
	const struct dp_memzone *mz;
	uint32_t regs;			/* offset of this queue's register block */
	uint16_t queue_id;
	uint16_t port_id;
	uint16_t buf_len;		/* bytes the NIC may write per buffer */
	bool drop_en;			/* SRRCTL.DROP_EN: drop when no descriptor */
	bool deferred_start;
	/*
	 * Test hook: added to the buffer IOVA of every descriptor the queue
	 * start fills, so that the NIC's first writes go where no memory is
	 * mapped (tests/vm scenario of a DMA the IOMMU must stop). 0 in use.
	 */
	uint64_t test_iova_offset;
} __dp_cache_aligned;

/* One TX descriptor's mbuf (NULL for context descriptors). */
struct intel_tx_entry {
	struct dp_mbuf *mbuf;		/* the segment sent from this descriptor */
	uint16_t last_id;		/* EOP descriptor of its packet */
};

/* One TX queue. */
struct intel_tx_queue {
	/* Burst path. */
	volatile union intel_tx_desc *ring;
	struct intel_tx_entry *sw_ring;
	volatile uint32_t *tail;	/* this queue's TDT in BAR0 */
	uint16_t nb_desc;
	uint16_t next;			/* next descriptor to write */
	uint16_t nb_free;		/* descriptors software may write */
	uint16_t last_cleaned;		/* last descriptor reclaimed */
	uint16_t nb_since_rs;		/* descriptors since the last RS */
	uint16_t rs_thresh;		/* RS every this many descriptors */
	uint16_t free_thresh;		/* reclaim when fewer are free */
	uint16_t max_segs;		/* data descriptors per packet */
	uint32_t olinfo_ctx;		/* chip's bits for "uses the context" */
	bool started;
	bool ctx_valid;			/* ctx_key describes the NIC's context 0 */
	uint64_t ctx_key;		/* offload flags of the context written last */
	uint64_t ctx_lens;		/* l2_len, l3_len, vlan_tci of it */
	struct intel_txq_stats stats;

	/* Control path. */
	const struct intel_hw *hw;
	const struct dp_memzone *mz;
	uint32_t regs;			/* offset of this queue's register block */
	uint16_t queue_id;
	uint16_t port_id;
	bool deferred_start;
} __dp_cache_aligned;

/*
 * Create RX queue @p qid of @p hw: the ring in an IOVA-contiguous memzone
 * (128-byte aligned, its length a multiple of 128), the mbuf array, no
 * mbuf yet. @p flags are INTEL_RXQ_F_*. Checks the descriptor count
 * against the chip, the free threshold against the ring and the pool's
 * buffers against the 1 KB granularity of SRRCTL, each refusal with a
 * log line.
 *
 * @param port_nombuf
 *   Where allocation failures are also added (the port's
 *   rx_mbuf_alloc_failed), or NULL.
 * @return
 *   0 and *out, -EINVAL, -ENOMEM.
 */
int intel_rx_queue_create(const struct intel_hw *hw, uint16_t qid,
	uint16_t nb_desc, int socket_id, const struct dp_eth_rxconf *conf,
	struct dp_mempool *mp, uint16_t port_id, uint32_t flags,
	uint64_t *port_nombuf, struct intel_rx_queue **out);

/*
 * Start an RX queue: an mbuf on every descriptor, the ring registers
 * (RDBAL/RDBAH/RDLEN, SRRCTL, RDH = RDT = 0), RXDCTL.ENABLE polled until
 * set, then RDT = nb_desc - 1. Returns 0, -ENOMEM (pool too small: the
 * queue stays stopped and holds no mbuf), -ETIMEDOUT (the NIC did not
 * enable the queue).
 */
int intel_rx_queue_start(struct intel_rx_queue *q);

/*
 * Stop an RX queue: RXDCTL.ENABLE cleared and polled until the NIC lets
 * go, then every mbuf (ring and half-received frame) back to its pool.
 * Returns 0, or -ETIMEDOUT (still drained).
 */
int intel_rx_queue_stop(struct intel_rx_queue *q);

/* Stop (if started) and free an RX queue. NULL is ignored. */
void intel_rx_queue_free(struct intel_rx_queue *q);

/* The RX burst function (dp_eth_rx_burst_t) of every Intel queue. */
uint16_t intel_rx_burst(void *rxq, struct dp_mbuf **pkts, uint16_t nb_pkts);

/*
 * Create TX queue @p qid: ring in an IOVA-contiguous memzone, entry array.
 * tx_rs_thresh and tx_free_thresh are checked against the ring (with
 * their log line). Returns 0 and *out, -EINVAL, -ENOMEM.
 */
int intel_tx_queue_create(const struct intel_hw *hw, uint16_t qid,
	uint16_t nb_desc, int socket_id, const struct dp_eth_txconf *conf,
	uint16_t port_id, struct intel_tx_queue **out);

/*
 * Start a TX queue: TDBAL/TDBAH/TDLEN, TDH = TDT = 0, TXDCTL.ENABLE
 * polled. Returns 0, -ETIMEDOUT.
 */
int intel_tx_queue_start(struct intel_tx_queue *q);

/*
 * Stop a TX queue: TXDCTL.ENABLE cleared and polled, then every mbuf
 * still in the ring (sent or not) back to its pool.
 */
int intel_tx_queue_stop(struct intel_tx_queue *q);

/* Stop (if started) and free a TX queue. NULL is ignored. */
void intel_tx_queue_free(struct intel_tx_queue *q);

/* The TX burst function (dp_eth_tx_burst_t) of every Intel queue. */
uint16_t intel_tx_burst(void *txq, struct dp_mbuf **pkts, uint16_t nb_pkts);

/*
 * Reclaim what the NIC has sent: one batch of tx_rs_thresh descriptors if
 * the RS-marked one that ends it shows DD. Returns the descriptors freed
 * (0 if none).
 */
uint16_t intel_tx_reclaim(struct intel_tx_queue *q);

/* The offload flags the TX burst acts on. */
#define INTEL_TX_OFFLOAD_FLAGS (DP_MBUF_F_TX_IP_CKSUM | DP_MBUF_F_TX_TCP_CKSUM | \
	DP_MBUF_F_TX_UDP_CKSUM | DP_MBUF_F_TX_VLAN)

#endif /* INTEL_RXTX_H */
