/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dpvm-igb: a tiny 82576 (igb) test driver for the QEMU guest scenarios.
 *
 * Not the igb PMD: just enough of the chip to prove the bus layer. It
 * registers a PCI driver for 8086:10c9, lets dp_eal_init() probe the NICs
 * through the PCI bus and VFIO or UIO, then on one port: reads the MAC
 * (RAL0/RAH0) and STATUS, brings the link up, sets up one RX and one TX
 * advanced descriptor ring by hand in EAL memory (memzones, IOVA from the
 * EAL), sends frames the host checks and checks the frames the host sends,
 * byte for byte. It also raises interrupts (link-state through vector 0,
 * RX through a per-queue event fd under MSI-X) to check dp_intr_*.
 *
 *   --mode txrx   N frames each way (scenarios 2 and 3)
 *   --mode fault  descriptors pointing at memory that was never DMA-mapped:
 *                 the IOMMU must stop both the write (RX) and the read (TX)
 *   --mode probe  probe, MAC and STATUS only (the non-root run of scenario 2)
 *
 * Every result is a "DPVM-CHECK ok|FAIL ..." line on stdout; the exit
 * status is the number of failed checks. Frame contents are defined the
 * same way in tests/vm/lib/frames.py.
 */

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/mman.h>

#include <dp_bus_pci.h>
#include <dp_eal.h>
#include <dp_interrupts.h>
#include <dp_memory.h>
#include <dp_memzone.h>

#include "dpvm_check.h"

/* ---- 82576 registers (datasheet section 8) ------------------------------------- */

#define IGB_CTRL	0x00000
#define  IGB_CTRL_SLU	(1u << 6)
#define  IGB_CTRL_RST	(1u << 26)
#define IGB_STATUS	0x00008
#define  IGB_STATUS_LU	(1u << 1)
#define IGB_MDIC	0x00020
#define  IGB_MDIC_PHY1	(1u << 21)
#define  IGB_MDIC_WRITE	(1u << 26)
#define  IGB_MDIC_READY	(1u << 28)
#define  IGB_MDIC_ERROR	(1u << 30)
#define IGB_ICR		0x000C0
#define IGB_ICS		0x000C8
#define IGB_IMS		0x000D0
#define IGB_IMC		0x000D8
#define  IGB_ICR_LSC	(1u << 2)
#define IGB_RCTL	0x00100
#define  IGB_RCTL_EN	(1u << 1)
#define  IGB_RCTL_UPE	(1u << 3)
#define  IGB_RCTL_MPE	(1u << 4)
#define  IGB_RCTL_BAM	(1u << 15)
#define  IGB_RCTL_SECRC	(1u << 26)
#define IGB_TCTL	0x00400
#define  IGB_TCTL_EN	(1u << 1)
#define  IGB_TCTL_PSP	(1u << 3)
#define  IGB_TCTL_CT	(0x0Fu << 4)
#define  IGB_TCTL_COLD	(0x3Fu << 12)
#define IGB_GPIE	0x01514
#define  IGB_GPIE_MSIX_MODE (1u << 4)
#define IGB_EIMS	0x01524
#define IGB_EIMC	0x01528
#define IGB_EIAC	0x0152C
#define IGB_EICR	0x01580
#define IGB_IVAR0	0x01700
#define IGB_IVAR_MISC	0x01740
#define  IGB_IVAR_VALID	0x80u
#define IGB_GPRC	0x04074
#define IGB_GPTC	0x04080
#define IGB_RAL0	0x05400
#define IGB_RAH0	0x05404
#define IGB_RDBAL0	0x0C000
#define IGB_RDBAH0	0x0C004
#define IGB_RDLEN0	0x0C008
#define IGB_SRRCTL0	0x0C00C
#define  IGB_SRRCTL_BSIZE_2K	2u
#define  IGB_SRRCTL_ADV_ONEBUF	(1u << 25)
#define IGB_RDH0	0x0C010
#define IGB_RDT0	0x0C018
#define IGB_RXDCTL0	0x0C028
#define IGB_TDBAL0	0x0E000
#define IGB_TDBAH0	0x0E004
#define IGB_TDLEN0	0x0E008
#define IGB_TDH0	0x0E010
#define IGB_TDT0	0x0E018
#define IGB_TXDCTL0	0x0E028
#define  IGB_QUEUE_ENABLE	(1u << 25)

/* Advanced descriptors (datasheet 7.1.5 and 7.2.2.3). */
struct igb_rx_desc {
	uint64_t pkt_addr;	/* read: buffer; write-back: info */
	uint64_t hdr_addr;	/* write-back: status_error (32) | length (16) | vlan */
};

struct igb_tx_desc {
	uint64_t buffer_addr;
	uint32_t cmd_type_len;
	uint32_t olinfo_status;	/* write-back: DD in bit 0 */
};

#define RXD_STAT_DD	(1u << 0)
#define RXD_STAT_EOP	(1u << 1)
#define RXD_ERR_MASK	0xFFF00000u
#define TXD_DTYP_DATA	0x00300000u
#define TXD_CMD_EOP	0x01000000u
#define TXD_CMD_IFCS	0x02000000u
#define TXD_CMD_RS	0x08000000u
#define TXD_CMD_DEXT	0x20000000u
#define TXD_PAYLEN_SHIFT 14

#define RING_SIZE 64
#define BUF_SIZE 2048
#define ETHERTYPE_TEST 0x88B5

static const uint8_t host_mac[6] = { 0x02, 0, 0, 0, 0, 0x01 };

/* ---- checks ------------------------------------------------------------------------ */

/* The payload pattern of tests/vm/lib/frames.py: pattern(n, seed). */
static void
fill_pattern(uint8_t *p, size_t n, unsigned int seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)((seed * 31 + i * 7 + (i >> 8)) & 0xFF);
}

/* ---- the driver -------------------------------------------------------------------- */

#define MAX_PORTS 4

struct port {
	struct dp_pci_device *dev;
	volatile uint8_t *bar0;
	uint8_t mac[6];
	const struct dp_memzone *rx_mz, *tx_mz, *buf_mz;
	volatile struct igb_rx_desc *rx;
	volatile struct igb_tx_desc *tx;
	uint8_t *bufs;		/* RING_SIZE RX buffers, then RING_SIZE TX buffers */
	dp_iova_t bufs_iova;
	unsigned int rx_next, tx_next;
	unsigned int lsc_irqs;	/* counted by the interrupt callback */
};

static struct port ports[MAX_PORTS];
static unsigned int nb_ports, nb_removed;

static inline uint32_t
igb_read32(const struct port *p, uint32_t reg)
{
	return *(volatile uint32_t *)(p->bar0 + reg);
}

static inline void
igb_write32(const struct port *p, uint32_t reg, uint32_t val)
{
	*(volatile uint32_t *)(p->bar0 + reg) = val;
}

static bool
wait_reg(const struct port *p, uint32_t reg, uint32_t mask, uint32_t want,
	double seconds)
{
	double end = now() + seconds;

	while ((igb_read32(p, reg) & mask) != want)
		if (now() > end)
			return false;
	return true;
}

static int
dpvm_probe(struct dp_pci_driver *drv, struct dp_pci_device *dev)
{
	struct port *p;

	(void)drv;
	if (nb_ports == MAX_PORTS)
		return -ENOSPC;
	if (dev->bars[0].addr == NULL)
		return -ENODEV;
	p = &ports[nb_ports++];
	p->dev = dev;
	p->bar0 = dev->bars[0].addr;
	dev->driver_data = p;
	return 0;
}

static int
dpvm_remove(struct dp_pci_device *dev)
{
	struct port *p = dev->driver_data;

	/* Stop all DMA: a reset disables the queues. */
	igb_write32(p, IGB_IMC, ~0u);
	igb_write32(p, IGB_CTRL, igb_read32(p, IGB_CTRL) | IGB_CTRL_RST);
	nb_removed++;
	return 0;
}

static const struct dp_pci_id dpvm_ids[] = {
	{ DP_PCI_DEVICE(0x8086, 0x10c9) },	/* 82576 */
	{ .vendor_id = 0 },
};

static struct dp_pci_driver dpvm_drv = {
	.id_table = dpvm_ids,
	.drv_flags = DP_PCI_DRV_NEED_MAPPING,
	.probe = dpvm_probe,
	.remove = dpvm_remove,
};

DP_PMD_REGISTER_PCI(net_dpvm_igb, dpvm_drv);

/*
 * The library's own igb PMD matches the same device ids and is linked
 * in too (every driver of dpkit_static_sources is); this test driver
 * must be the one that probes, so the PMD steps aside.
 */
extern const void *const dp_pmd_anchor_net_igb;

/* Reset, read the MAC, bring the link up (datasheet 4.5, 4.6). */
static void
port_reset_and_link(struct port *p, const char *want_mac)
{
	uint32_t ral, rah, status;
	char mac[18];
	bool ok;

	igb_write32(p, IGB_IMC, ~0u);
	igb_write32(p, IGB_CTRL, igb_read32(p, IGB_CTRL) | IGB_CTRL_RST);
	usleep(10000);
	check(wait_reg(p, IGB_CTRL, IGB_CTRL_RST, 0, 1.0),
		"%s: reset done (CTRL.RST cleared)", p->dev->name);
	igb_write32(p, IGB_IMC, ~0u);

	ral = igb_read32(p, IGB_RAL0);
	rah = igb_read32(p, IGB_RAH0);
	for (int i = 0; i < 4; i++)
		p->mac[i] = (uint8_t)(ral >> (8 * i));
	p->mac[4] = (uint8_t)rah;
	p->mac[5] = (uint8_t)(rah >> 8);
	snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", p->mac[0],
		p->mac[1], p->mac[2], p->mac[3], p->mac[4], p->mac[5]);
	check((rah & 0x80000000u) && (!want_mac || strcmp(mac, want_mac) == 0),
		"%s: MAC from RAL0/RAH0 is %s (address valid: %s)", p->dev->name,
		mac, rah & 0x80000000u ? "yes" : "no");

	/* Set link up, then restart autonegotiation in the PHY (MII BMCR). */
	igb_write32(p, IGB_CTRL, igb_read32(p, IGB_CTRL) | IGB_CTRL_SLU);
	igb_write32(p, IGB_MDIC, 0x1340u | IGB_MDIC_PHY1 | IGB_MDIC_WRITE);
	ok = wait_reg(p, IGB_MDIC, IGB_MDIC_READY, IGB_MDIC_READY, 1.0) &&
		!(igb_read32(p, IGB_MDIC) & IGB_MDIC_ERROR);
	check(ok, "%s: PHY autonegotiation restarted through MDIC", p->dev->name);
	ok = wait_reg(p, IGB_STATUS, IGB_STATUS_LU, IGB_STATUS_LU, 5.0);
	status = igb_read32(p, IGB_STATUS);
	check(ok, "%s: link up (STATUS 0x%08x)", p->dev->name, status);
}

static int
port_rings(struct port *p, unsigned int idx)
{
	char name[32];
	unsigned int i;

	snprintf(name, sizeof(name), "dpvm_rx%u", idx);
	p->rx_mz = dp_memzone_reserve_aligned(name, RING_SIZE * sizeof(*p->rx),
		DP_SOCKET_ID_ANY, DP_MEMZONE_IOVA_CONTIG, 128);
	snprintf(name, sizeof(name), "dpvm_tx%u", idx);
	p->tx_mz = dp_memzone_reserve_aligned(name, RING_SIZE * sizeof(*p->tx),
		DP_SOCKET_ID_ANY, DP_MEMZONE_IOVA_CONTIG, 128);
	snprintf(name, sizeof(name), "dpvm_buf%u", idx);
	p->buf_mz = dp_memzone_reserve_aligned(name, 2 * RING_SIZE * BUF_SIZE,
		DP_SOCKET_ID_ANY, DP_MEMZONE_IOVA_CONTIG, 4096);
	if (!check(p->rx_mz && p->tx_mz && p->buf_mz,
			"%s: descriptor rings and buffers reserved in EAL memory",
			p->dev->name))
		return -ENOMEM;
	check(dp_mem_virt2iova(p->buf_mz->addr) == p->buf_mz->iova &&
		(dp_eal_iova_mode() != DP_IOVA_VA ||
		 p->buf_mz->iova == (uintptr_t)p->buf_mz->addr),
		"%s: buffer IOVA 0x%" PRIx64 " for VA %p agrees with IOVA mode %s",
		p->dev->name, p->buf_mz->iova, p->buf_mz->addr,
		dp_iova_mode_name(dp_eal_iova_mode()));
	p->rx = p->rx_mz->addr;
	p->tx = p->tx_mz->addr;
	p->bufs = p->buf_mz->addr;
	p->bufs_iova = p->buf_mz->iova;
	memset(p->rx_mz->addr, 0, p->rx_mz->len);
	memset(p->tx_mz->addr, 0, p->tx_mz->len);
	for (i = 0; i < RING_SIZE; i++)
		p->rx[i].pkt_addr = p->bufs_iova + (uint64_t)i * BUF_SIZE;
	return 0;
}

/* RX and TX queue 0 (datasheet 4.5.9, 4.5.10). */
static void
port_start(struct port *p)
{
	bool ok;

	igb_write32(p, IGB_RXDCTL0, 0);
	igb_write32(p, IGB_RDBAL0, (uint32_t)p->rx_mz->iova);
	igb_write32(p, IGB_RDBAH0, (uint32_t)(p->rx_mz->iova >> 32));
	igb_write32(p, IGB_RDLEN0, RING_SIZE * sizeof(*p->rx));
	igb_write32(p, IGB_SRRCTL0, IGB_SRRCTL_BSIZE_2K | IGB_SRRCTL_ADV_ONEBUF);
	igb_write32(p, IGB_RDH0, 0);
	igb_write32(p, IGB_RDT0, 0);
	igb_write32(p, IGB_RXDCTL0, IGB_QUEUE_ENABLE);
	ok = wait_reg(p, IGB_RXDCTL0, IGB_QUEUE_ENABLE, IGB_QUEUE_ENABLE, 1.0);
	igb_write32(p, IGB_RCTL, IGB_RCTL_EN | IGB_RCTL_UPE | IGB_RCTL_MPE |
		IGB_RCTL_BAM | IGB_RCTL_SECRC);
	/* Descriptors are in memory before the tail tells the NIC. */
	dp_io_wmb();
	igb_write32(p, IGB_RDT0, RING_SIZE - 1);

	igb_write32(p, IGB_TXDCTL0, 0);
	igb_write32(p, IGB_TDBAL0, (uint32_t)p->tx_mz->iova);
	igb_write32(p, IGB_TDBAH0, (uint32_t)(p->tx_mz->iova >> 32));
	igb_write32(p, IGB_TDLEN0, RING_SIZE * sizeof(*p->tx));
	igb_write32(p, IGB_TDH0, 0);
	igb_write32(p, IGB_TDT0, 0);
	igb_write32(p, IGB_TXDCTL0, IGB_QUEUE_ENABLE);
	ok &= wait_reg(p, IGB_TXDCTL0, IGB_QUEUE_ENABLE, IGB_QUEUE_ENABLE, 1.0);
	igb_write32(p, IGB_TCTL, IGB_TCTL_EN | IGB_TCTL_PSP | IGB_TCTL_CT |
		IGB_TCTL_COLD);
	check(ok, "%s: RX and TX queue 0 enabled (%u descriptors each)",
		p->dev->name, RING_SIZE);
}

/* Send one frame from buffer @iova (@data: its CPU view, may be NULL). */
static bool
port_tx(struct port *p, uint64_t iova, uint16_t len)
{
	volatile struct igb_tx_desc *d = &p->tx[p->tx_next];

	d->buffer_addr = iova;
	d->olinfo_status = (uint32_t)len << TXD_PAYLEN_SHIFT;
	d->cmd_type_len = len | TXD_DTYP_DATA | TXD_CMD_DEXT | TXD_CMD_EOP |
		TXD_CMD_IFCS | TXD_CMD_RS;
	p->tx_next = (p->tx_next + 1) % RING_SIZE;
	dp_io_wmb();
	igb_write32(p, IGB_TDT0, p->tx_next);
	{
		double end = now() + 2.0;

		while (!(d->olinfo_status & 1))
			if (now() > end)
				return false;
	}
	return true;
}

/* Wait for the next received frame; its length, or -1 on timeout. */
static int
port_rx(struct port *p, double seconds, unsigned int *slot, uint32_t *status)
{
	volatile struct igb_rx_desc *d = &p->rx[p->rx_next];
	double end = now() + seconds;
	uint32_t st;

	while (!((st = (uint32_t)d->hdr_addr) & RXD_STAT_DD))
		if (now() > end)
			return -1;
	/* Read the length only after DD is seen. */
	dp_io_rmb();
	*status = st;
	*slot = p->rx_next;
	return (int)(uint16_t)(d->hdr_addr >> 32);
}

/* Give RX descriptor @slot back to the NIC with buffer @iova. */
static void
port_rx_refill(struct port *p, unsigned int slot, uint64_t iova)
{
	p->rx[slot].pkt_addr = iova;
	p->rx[slot].hdr_addr = 0;
	p->rx_next = (slot + 1) % RING_SIZE;
	dp_io_wmb();
	igb_write32(p, IGB_RDT0, slot);
}

static size_t
build_frame(uint8_t *f, const uint8_t *dst, const uint8_t *src,
	const char tag[4], unsigned int seq, size_t plen, unsigned int seed)
{
	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	f[12] = ETHERTYPE_TEST >> 8;
	f[13] = ETHERTYPE_TEST & 0xFF;
	memcpy(f + 14, tag, 4);
	f[18] = (uint8_t)seq;
	fill_pattern(f + 19, plen, seed);
	return 19 + plen;
}

/* ---- interrupts ------------------------------------------------------------------ */

static void
lsc_callback(struct dp_intr_handle *h, void *arg)
{
	struct port *p = arg;

	/* Reading ICR clears the cause (and lowers INTx). */
	(void)igb_read32(p, IGB_ICR);
	__atomic_fetch_add(&p->lsc_irqs, 1, __ATOMIC_RELEASE);
	dp_intr_ack(h);
}

/*
 * Link-state interrupt through vector 0: register a callback, route the
 * "other" causes to vector 0, and set the LSC cause with ICS.
 */
static void
test_lsc_interrupt(struct port *p)
{
	struct dp_intr_handle *h = p->dev->intr_handle;
	bool msix = h && h->type == DP_INTR_TYPE_VFIO_MSIX;
	double end;
	int rc;

	if (!check(h != NULL && h->type != DP_INTR_TYPE_NONE,
			"%s: the bus gave the device an interrupt handle (type %d, "
			"%u vectors)", p->dev->name, h ? (int)h->type : -1,
			h ? h->max_vectors : 0))
		return;
	rc = dp_intr_callback_register(h, lsc_callback, p);
	check(rc == 0, "%s: interrupt callback registered (%d)", p->dev->name, rc);
	if (msix) {
		/* Queue 0 gets its own vector (1) for RX interrupts. */
		rc = dp_intr_efd_enable(h, 1);
		check(rc == 0 && dp_intr_efd_get(h, 0) >= 0,
			"%s: per-queue event fd created (%d)", p->dev->name, rc);
		igb_write32(p, IGB_GPIE, IGB_GPIE_MSIX_MODE);
		igb_write32(p, IGB_IVAR_MISC, (0u | IGB_IVAR_VALID) << 8);
		igb_write32(p, IGB_IVAR0, 1u | IGB_IVAR_VALID);
		/* Auto-clear both vectors' causes once signalled. */
		igb_write32(p, IGB_EIAC, 0x3);
		igb_write32(p, IGB_EIMS, 0x3);
	}
	rc = dp_intr_enable(h);
	check(rc == 0, "%s: interrupts enabled (%d)", p->dev->name, rc);
	igb_write32(p, IGB_IMS, IGB_ICR_LSC);
	igb_write32(p, IGB_ICS, IGB_ICR_LSC);
	end = now() + 3.0;
	while (__atomic_load_n(&p->lsc_irqs, __ATOMIC_ACQUIRE) == 0 && now() < end)
		usleep(1000);
	check(__atomic_load_n(&p->lsc_irqs, __ATOMIC_ACQUIRE) >= 1,
		"%s: link-state interrupt reached the callback on the interrupt "
		"thread (%u)", p->dev->name, p->lsc_irqs);
}

/* After the RX test traffic: did queue 0's event fd fire? */
static void
test_rx_interrupt(struct port *p, int epfd)
{
	struct dp_intr_handle *h = p->dev->intr_handle;
	struct epoll_event ev;
	int n;

	if (h == NULL || h->nb_efd == 0)
		return;
	n = epoll_wait(epfd, &ev, 1, 3000);
	check(n == 1 && ev.data.u32 == 0 && dp_intr_efd_clear(h, 0) >= 1,
		"%s: RX interrupt: epoll on queue 0's event fd woke up", p->dev->name);
}

static void
intr_teardown(struct port *p)
{
	struct dp_intr_handle *h = p->dev->intr_handle;

	if (h == NULL || h->type == DP_INTR_TYPE_NONE)
		return;
	igb_write32(p, IGB_IMC, ~0u);
	igb_write32(p, IGB_EIMC, ~0u);
	dp_intr_disable(h);
	check(dp_intr_callback_unregister(h, lsc_callback, p) == 1,
		"%s: interrupt callback unregistered", p->dev->name);
	dp_intr_efd_disable(h);
}

/* ---- modes ------------------------------------------------------------------------ */

static void
mode_txrx(struct port *p, unsigned int nb_frames)
{
	uint8_t *rxbuf_base = p->bufs, *txbuf = p->bufs + RING_SIZE * BUF_SIZE;
	uint64_t tx_iova = p->bufs_iova + RING_SIZE * BUF_SIZE;
	uint8_t want[BUF_SIZE];
	unsigned int i, slot, good = 0, sent = 0;
	struct epoll_event ev = { .events = EPOLLIN };
	uint32_t gprc, gptc, status;
	int epfd = -1, len;
	size_t n;

	(void)igb_read32(p, IGB_GPRC);	/* statistics clear on read */
	(void)igb_read32(p, IGB_GPTC);
	if (p->dev->intr_handle && p->dev->intr_handle->nb_efd) {
		epfd = epoll_create1(0);
		ev.data.u32 = 0;
		epoll_ctl(epfd, EPOLL_CTL_ADD, dp_intr_efd_get(p->dev->intr_handle, 0),
			&ev);
	}
	printf("DPVM-READY rx %u\n", nb_frames);
	fflush(stdout);

	for (i = 0; i < nb_frames; i++) {
		n = build_frame(txbuf, host_mac, p->mac, "DPVM", i,
			100 + 37 * i, 0x10 + i);
		sent += port_tx(p, tx_iova, (uint16_t)n);
	}
	check(sent == nb_frames, "%s: TX: %u of %u frames completed (DD)",
		p->dev->name, sent, nb_frames);

	for (i = 0; i < nb_frames; i++) {
		len = port_rx(p, 20.0, &slot, &status);
		if (len < 0)
			break;
		n = build_frame(want, p->mac, host_mac, "HOST", i, 120 + 29 * i,
			0x80 + i);
		if (n < 60)
			n = 60;
		if ((size_t)len == n && (status & RXD_STAT_EOP) &&
		    !(status & RXD_ERR_MASK) &&
		    memcmp(rxbuf_base + slot * BUF_SIZE, want, n) == 0)
			good++;
		else
			printf("dpvm: frame %u: len %d (want %zu), status 0x%08x\n",
				i, len, n, status);
		port_rx_refill(p, slot, p->bufs_iova + (uint64_t)slot * BUF_SIZE);
	}
	check(good == nb_frames, "%s: RX: %u of %u frames from the host arrived "
		"with every byte right", p->dev->name, good, nb_frames);
	if (epfd >= 0) {
		test_rx_interrupt(p, epfd);
		close(epfd);
	}
	gprc = igb_read32(p, IGB_GPRC);
	gptc = igb_read32(p, IGB_GPTC);
	check(gprc == nb_frames && gptc == nb_frames,
		"%s: NIC counters: %u frames received, %u sent", p->dev->name,
		gprc, gptc);
}

/*
 * DMA to an IOVA that was never mapped: the canary is ordinary process
 * memory (not EAL memory, so never DMA-mapped). In VA mode its virtual
 * address is a valid-looking IOVA that the IOMMU has no entry for.
 */
static void
mode_fault(struct port *p)
{
	const size_t canary_len = 4096;
	uint8_t *canary, want[BUF_SIZE];
	uint64_t canary_iova;
	unsigned int slot, bad = 0;
	uint32_t status;
	size_t i, n;
	int len;

	canary = mmap(NULL, canary_len, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (!check(canary != MAP_FAILED, "canary page allocated"))
		return;
	memset(canary, 0xA5, canary_len);
	canary_iova = (uintptr_t)canary;
	check(dp_mem_virt2iova(canary) == DP_BAD_IOVA,
		"canary at %p is not EAL memory (never DMA-mapped)", (void *)canary);
	printf("dpvm: canary IOVA 0x%" PRIx64 "\n", canary_iova);

	/* Descriptor 1 points at the canary; descriptor 0 is a good control. */
	p->rx[1].pkt_addr = canary_iova;
	printf("DPVM-READY fault-rx\n");
	fflush(stdout);
	len = port_rx(p, 20.0, &slot, &status);
	n = build_frame(want, p->mac, host_mac, "HOST", 0, 120, 0x80);
	check(len == (int)n && memcmp(p->bufs, want, n) == 0,
		"control frame to mapped memory arrived intact (len %d)", len);
	port_rx_refill(p, slot, p->bufs_iova);
	len = port_rx(p, 20.0, &slot, &status);
	check(len > 0, "the NIC completed the descriptor that points at "
		"unmapped IOVA 0x%" PRIx64 " (len %d)", canary_iova, len);
	for (i = 0; i < canary_len; i++)
		bad += canary[i] != 0xA5;
	check(bad == 0, "RX DMA to unmapped IOVA blocked: the canary page is "
		"intact (%u bytes changed)", bad);
	port_rx_refill(p, slot, p->bufs_iova + BUF_SIZE);

	/* TX from the canary: the NIC must not be able to read it. */
	printf("DPVM-READY fault-tx\n");
	fflush(stdout);
	check(port_tx(p, canary_iova, 200), "TX descriptor with unmapped IOVA "
		"completed");
	printf("dpvm: canary IOVA 0x%" PRIx64 " done\n", canary_iova);
	munmap(canary, canary_len);
}

/* ---- main ------------------------------------------------------------------------- */

static void
usage(const char *prg)
{
	fprintf(stderr, "usage: %s [EAL options] -- --mode txrx|fault|probe "
		"[--frames N] [--mac MAC] [--expect-iova va|pa] "
		"[--expect-kdrv NAME] [--expect-ports N]\n", prg);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "mode", required_argument, NULL, 'm' },
		{ "frames", required_argument, NULL, 'n' },
		{ "mac", required_argument, NULL, 'a' },
		{ "expect-iova", required_argument, NULL, 'i' },
		{ "expect-kdrv", required_argument, NULL, 'k' },
		{ "expect-ports", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	const char *mode = "txrx", *mac = NULL, *want_iova = NULL, *want_kdrv = NULL;
	unsigned int frames = 8, want_ports = 0, i;
	struct port *p;
	int n, c;

	setvbuf(stdout, NULL, _IOLBF, 0);
	dp_pci_unregister((struct dp_pci_driver *)(uintptr_t)dp_pmd_anchor_net_igb);
	n = dp_eal_init(argc, argv);
	if (!check(n >= 0, "dp_eal_init (%d)", n))
		return 1;
	argc -= n;
	argv += n;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'm': mode = optarg; break;
		case 'n': frames = (unsigned int)atoi(optarg); break;
		case 'a': mac = optarg; break;
		case 'i': want_iova = optarg; break;
		case 'k': want_kdrv = optarg; break;
		case 'p': want_ports = (unsigned int)atoi(optarg); break;
		default: usage(argv[0]); return 1;
		}
	}
	if (frames == 0 || frames > RING_SIZE / 2) {
		usage(argv[0]);
		return 1;
	}

	check(nb_ports > 0 && (want_ports == 0 || nb_ports == want_ports),
		"the PCI bus probed %u igb port(s) with the test driver", nb_ports);
	for (i = 0; i < nb_ports; i++)
		check(!want_kdrv || strcmp(ports[i].dev->kdrv_name, want_kdrv) == 0,
			"%s: probed through %s (IOMMU group %d)", ports[i].dev->name,
			ports[i].dev->kdrv_name, ports[i].dev->iommu_group);
	if (want_iova)
		check(strcasecmp(dp_iova_mode_name(dp_eal_iova_mode()), want_iova) == 0,
			"IOVA mode is %s", dp_iova_mode_name(dp_eal_iova_mode()));
	if (nb_ports == 0)
		goto out;

	p = &ports[0];
	{
		uint16_t cmd = 0;

		dp_pci_read_config(p->dev, &cmd, sizeof(cmd), DP_PCI_COMMAND);
		check((cmd & (DP_PCI_COMMAND_MASTER | DP_PCI_COMMAND_MEMORY)) ==
			(DP_PCI_COMMAND_MASTER | DP_PCI_COMMAND_MEMORY),
			"%s: command register 0x%04x has bus master and memory "
			"space on", p->dev->name, cmd);
	}
	port_reset_and_link(p, mac);
	if (strcmp(mode, "probe") != 0) {
		if (port_rings(p, 0) < 0)
			goto out;
		port_start(p);
	}
	if (strcmp(mode, "probe") == 0) {
		check(igb_read32(p, IGB_STATUS) & IGB_STATUS_LU,
			"%s: STATUS readable through BAR0 (link up)", p->dev->name);
	} else if (strcmp(mode, "txrx") == 0) {
		test_lsc_interrupt(p);
		mode_txrx(p, frames);
		intr_teardown(p);
	} else if (strcmp(mode, "fault") == 0) {
		mode_fault(p);
	} else {
		usage(argv[0]);
		nb_failed++;
	}
out:
	n = dp_eal_cleanup();
	check(n == 0 && nb_removed == nb_ports, "dp_eal_cleanup removed %u of %u "
		"ports (%d)", nb_removed, nb_ports, n);
	printf("dpvm-igb: %d check(s) failed\n", nb_failed);
	return nb_failed > 125 ? 125 : nb_failed;
}
