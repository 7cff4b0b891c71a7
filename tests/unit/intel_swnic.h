/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef INTEL_SWNIC_H
#define INTEL_SWNIC_H

/*
 * A software stand-in for an Intel NIC's queue engine, for the unit tests
 * of the shared data path (drivers/net/intel_common). Its "BAR0" is plain
 * memory: the code under test writes RDBAL/RDLEN/RDT/TDT/... there as it
 * would to the silicon, and these step functions do what the NIC does
 * with them: read descriptors from the ring at RDH/TDH in EAL memory
 * (IOVA = VA with --no-huge), write frame bytes to the buffer address a
 * descriptor gives, write the descriptor back (DD last, so a test can
 * hold it back), advance the head, honour RDT/TDT as limits.
 *
 * While doing so it checks what the silicon cannot: every RX buffer
 * address it is given lies in EAL memory (never 0, never freed), and it
 * records TX frames, context descriptors and RS write-backs for the
 * tests to compare.
 */

#include <stdlib.h>
#include <string.h>

#include <dp_memory.h>

#include "intel_rxtx.h"

#define SWNIC_BAR_SIZE (128u * 1024)
#define SWNIC_MAX_FRAME 16384
#define SWNIC_MAX_TX 4096

/* What a received frame's write-back says besides DD/EOP and the length. */
struct swnic_rx_meta {
	uint32_t status;	/* extra status bits (VP, IPCS, L4CS, ...) */
	uint32_t errors;	/* error bits (chip positions) */
	uint32_t info;		/* RSS type and packet type */
	uint32_t rss;		/* RSS hash */
	uint16_t vlan;		/* stripped tag */
	int hold_dd;		/* write back without DD on this descriptor
				 * index of the frame (1-based; 0: none) */
};

/* One frame the NIC sent. */
struct swnic_tx_frame {
	uint8_t *data;
	uint32_t len;
	uint32_t nb_desc;		/* data descriptors */
	uint32_t cmd;			/* cmd_type_len of the first one */
	uint32_t olinfo;		/* olinfo_status of the first one */
	struct intel_tx_ctx_desc ctx;	/* context in force */
};

struct swnic {
	uint8_t *bar;
	struct intel_hw hw;
	/* RX */
	unsigned int rx_dropped;	/* no descriptor: dropped (DROP_EN) */
	unsigned int bad_addr;		/* buffer address outside EAL memory */
	/* TX */
	struct swnic_tx_frame tx[SWNIC_MAX_TX];
	unsigned int nb_tx;
	unsigned int tx_ctx_desc;	/* context descriptors seen */
	unsigned int tx_rs_desc;	/* descriptors with RS (DD written back) */
	struct intel_tx_ctx_desc ctx;	/* the context of slot 0 */
	uint8_t cur[SWNIC_MAX_FRAME];	/* frame being gathered */
	uint32_t cur_len;
	uint32_t cur_desc, cur_cmd, cur_olinfo;
};

static inline uint32_t
swnic_reg(const struct swnic *n, uint32_t off)
{
	return intel_read32(&n->hw, off);
}

static inline void
swnic_reg_set(struct swnic *n, uint32_t off, uint32_t v)
{
	intel_write32(&n->hw, off, v);
}

static inline void
swnic_init(struct swnic *n, const struct intel_chip *chip)
{
	memset(n, 0, sizeof(*n));
	n->bar = aligned_alloc(4096, SWNIC_BAR_SIZE);
	memset(n->bar, 0, SWNIC_BAR_SIZE);
	n->hw.bar = n->bar;
	n->hw.chip = chip;
	n->hw.name = "swnic";
}

static inline void
swnic_reset_tx(struct swnic *n)
{
	unsigned int i;

	for (i = 0; i < n->nb_tx; i++)
		free(n->tx[i].data);
	n->nb_tx = 0;
	n->tx_ctx_desc = n->tx_rs_desc = 0;
	n->cur_len = n->cur_desc = 0;
}

static inline void
swnic_fini(struct swnic *n)
{
	swnic_reset_tx(n);
	free(n->bar);
	n->bar = NULL;
}

static inline uint32_t
swnic_rxq(const struct swnic *n, uint16_t q)
{
	return n->hw.chip->rxq_base + (uint32_t)q * n->hw.chip->q_stride;
}

static inline uint32_t
swnic_txq(const struct swnic *n, uint16_t q)
{
	return n->hw.chip->txq_base + (uint32_t)q * n->hw.chip->q_stride;
}

static inline void *
swnic_ring(const struct swnic *n, uint32_t regs)
{
	uint64_t iova = swnic_reg(n, regs + INTEL_RDBAL) |
		(uint64_t)swnic_reg(n, regs + INTEL_RDBAH) << 32;

	return dp_mem_iova2virt(iova);
}

/* RX descriptors the NIC may fill now: RDH up to RDT. */
static inline unsigned int
swnic_rx_owned(const struct swnic *n, uint16_t q)
{
	uint32_t r = swnic_rxq(n, q);
	uint32_t nb = swnic_reg(n, r + INTEL_RDLEN) / 16;

	return (swnic_reg(n, r + INTEL_RDT) + nb - swnic_reg(n, r + INTEL_RDH)) % nb;
}

/*
 * Receive a frame on queue @p q: spread it over as many descriptors as
 * its length needs (SRRCTL buffer size), write each back. Returns the
 * number of descriptors used, 0 when the ring had too few (the frame is
 * dropped, as with SRRCTL.DROP_EN), -1 when the queue is disabled.
 */
static inline int
swnic_rx(struct swnic *n, uint16_t q, const uint8_t *data, uint32_t len,
	const struct swnic_rx_meta *meta)
{
	const struct intel_chip *c = n->hw.chip;
	uint32_t r = swnic_rxq(n, q), nb, head, bufsize, off = 0, chunk;
	volatile union intel_rx_desc *ring;
	unsigned int need, i;

	if (!(swnic_reg(n, r + INTEL_RXDCTL) & INTEL_QUEUE_ENABLE))
		return -1;
	ring = swnic_ring(n, r);
	nb = swnic_reg(n, r + INTEL_RDLEN) / 16;
	head = swnic_reg(n, r + INTEL_RDH);
	bufsize = (swnic_reg(n, r + c->srrctl) & c->srrctl_bsize_mask) <<
		INTEL_SRRCTL_BSIZEPKT_SHIFT;
	need = (len + bufsize - 1) / bufsize;
	if (swnic_rx_owned(n, q) < need) {
		n->rx_dropped++;
		return 0;
	}
	for (i = 0; i < need; i++) {
		volatile union intel_rx_desc *d = &ring[head];
		uint64_t addr = dp_le_to_cpu_64(d->read.pkt_addr);
		bool last = i + 1 == need;
		uint32_t st = INTEL_RXD_STAT_DD;
		void *buf = addr != 0 ? dp_mem_iova2virt(addr) : NULL;

		chunk = DP_MIN(bufsize, len - off);
		if (buf == NULL)
			n->bad_addr++;
		else
			memcpy(buf, data + off, chunk);
		off += chunk;
		if (last)
			st |= INTEL_RXD_STAT_EOP | (meta ? meta->status | meta->errors : 0);
		if (meta && meta->hold_dd == (int)i + 1)
			st &= ~INTEL_RXD_STAT_DD;
		/* Write-back: everything, DD last (the silicon's order). */
		d->wb.info = dp_cpu_to_le_32(last && meta ? meta->info : 0);
		d->wb.rss = dp_cpu_to_le_32(last && meta ? meta->rss : 0);
		d->wb.length = dp_cpu_to_le_16((uint16_t)chunk);
		d->wb.vlan = dp_cpu_to_le_16(last && meta ? meta->vlan : 0);
		dp_wmb();
		d->wb.status_error = dp_cpu_to_le_32(st);
		head = head + 1 == nb ? 0 : head + 1;
	}
	swnic_reg_set(n, r + INTEL_RDH, head);
	return (int)need;
}

/* Set DD on RX descriptor @p idx (one the NIC held back). */
static inline void
swnic_rx_set_dd(struct swnic *n, uint16_t q, uint32_t idx)
{
	volatile union intel_rx_desc *ring = swnic_ring(n, swnic_rxq(n, q));

	ring[idx].wb.status_error |= dp_cpu_to_le_32(INTEL_RXD_STAT_DD);
}

/*
 * Transmit: process up to @p limit descriptors from TDH towards TDT,
 * gather frames, write DD back on RS descriptors. Returns the number of
 * descriptors processed (-1 if the queue is disabled).
 */
static inline int
swnic_tx(struct swnic *n, uint16_t q, unsigned int limit)
{
	uint32_t r = swnic_txq(n, q), nb, head, tail;
	volatile union intel_tx_desc *ring;
	unsigned int done = 0;

	if (!(swnic_reg(n, r + INTEL_TXDCTL) & INTEL_QUEUE_ENABLE))
		return -1;
	ring = swnic_ring(n, r);
	nb = swnic_reg(n, r + INTEL_TDLEN) / 16;
	head = swnic_reg(n, r + INTEL_TDH);
	tail = swnic_reg(n, r + INTEL_TDT);
	while (head != tail && done < limit) {
		volatile union intel_tx_desc *d = &ring[head];
		uint32_t cmd = dp_le_to_cpu_32(d->read.cmd_type_len);

		if ((cmd & 0x00f00000u) == INTEL_TXD_DTYP_CTXT) {
			memcpy(&n->ctx, (const void *)(uintptr_t)d, sizeof(n->ctx));
			n->tx_ctx_desc++;
		} else {
			uint64_t addr = dp_le_to_cpu_64(d->read.buffer_addr);
			uint32_t len = cmd & INTEL_TXD_LEN_MASK;
			void *buf = dp_mem_iova2virt(addr);

			if (n->cur_desc == 0) {
				n->cur_cmd = cmd;
				n->cur_olinfo = dp_le_to_cpu_32(d->read.olinfo_status);
			}
			if (buf == NULL || n->cur_len + len > SWNIC_MAX_FRAME)
				n->bad_addr++;
			else
				memcpy(n->cur + n->cur_len, buf, len);
			n->cur_len += len;
			n->cur_desc++;
			if (cmd & INTEL_TXD_CMD_EOP) {
				struct swnic_tx_frame *f = &n->tx[n->nb_tx % SWNIC_MAX_TX];

				if (n->nb_tx >= SWNIC_MAX_TX)
					free(f->data);
				f->data = malloc(n->cur_len ? n->cur_len : 1);
				memcpy(f->data, n->cur, n->cur_len);
				f->len = n->cur_len;
				f->nb_desc = n->cur_desc;
				f->cmd = n->cur_cmd;
				f->olinfo = n->cur_olinfo;
				f->ctx = n->ctx;
				n->nb_tx++;
				n->cur_len = n->cur_desc = 0;
			}
		}
		if (cmd & INTEL_TXD_CMD_RS) {
			d->wb.status |= dp_cpu_to_le_32(INTEL_TXD_STAT_DD);
			n->tx_rs_desc++;
		}
		head = head + 1 == nb ? 0 : head + 1;
		done++;
	}
	swnic_reg_set(n, r + INTEL_TDH, head);
	return (int)done;
}

#endif /* INTEL_SWNIC_H */
