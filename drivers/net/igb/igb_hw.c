/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * 82576 device control for the igb PMD: global reset, the MAC address,
 * link bring-up through the internal PHY, receive address and multicast
 * filters, receive modes, RSS, and the statistics registers (clear on
 * read) summed into 64-bit counters.
 *
 * Section numbers are those of the Intel 82576EB GbE Controller
 * Datasheet.
 */

#include <errno.h>
#include <string.h>
#include <time.h>

#include <dp_ether.h>

#include "igb_private.h"

/* CTRL.RST takes about 1 ms; give it a generous margin. */
#define IGB_RESET_TIMEOUT_US (100 * 1000)
/* Outstanding DMA finishes before the reset (GIO master disable). */
#define IGB_MASTER_TIMEOUT_US (100 * 1000)
/* The EEPROM auto-read runs after every reset. */
#define IGB_EEPROM_TIMEOUT_US (10 * 1000)
/* An MDIC transaction. */
#define IGB_MDIC_TIMEOUT_US (10 * 1000)

static void
sleep_us(unsigned int us)
{
	struct timespec ts = { .tv_sec = us / 1000000,
		.tv_nsec = (long)(us % 1000000) * 1000 };

	nanosleep(&ts, NULL);
}

/* ---- reset ------------------------------------------------------------------------- */

int
igb_hw_reset(struct igb_adapter *ad)
{
	const struct intel_hw *hw = &ad->hw;
	uint32_t ctrl;

	/* 4.5.4: no interrupt while the device is being set up. */
	igb_write32(hw, IGB_IMC, ~0u);
	igb_write32(hw, IGB_EIMC, ~0u);
	/* Receive and transmit off, so nothing new starts. */
	igb_write32(hw, IGB_RCTL, 0);
	igb_write32(hw, IGB_TCTL, IGB_TCTL_PSP);
	(void)igb_read32(hw, IGB_STATUS);	/* flush the posted writes */

	/* 4.5.5: CTRL.GIO_MASTER_DISABLE first, so no DMA is cut in half. */
	ctrl = igb_read32(hw, IGB_CTRL);
	igb_write32(hw, IGB_CTRL, ctrl | IGB_CTRL_GIO_MASTER_DISABLE);
	if (intel_poll32(hw, IGB_STATUS, IGB_STATUS_GIO_MASTER_ENABLE, 0,
			IGB_MASTER_TIMEOUT_US) < 0)
		IGB_LOG(WARNING, ad, "DMA still active after %u ms of GIO "
			"master disable; resetting anyway",
			IGB_MASTER_TIMEOUT_US / 1000);

	/* 4.5.5: global reset. CTRL.RST clears itself when done. */
	igb_write32(hw, IGB_CTRL, ctrl | IGB_CTRL_RST);
	sleep_us(1000);
	if (intel_poll32(hw, IGB_CTRL, IGB_CTRL_RST, 0, IGB_RESET_TIMEOUT_US) < 0) {
		IGB_LOG(ERR, ad, "the device did not come out of reset in %u ms "
			"(CTRL 0x%08x); check that it is an 82576 and that its "
			"BAR0 is mapped", IGB_RESET_TIMEOUT_US / 1000,
			igb_read32(hw, IGB_CTRL));
		return -ETIMEDOUT;
	}
	/* 4.5.5: the EEPROM is read back after the reset (MAC address, ...). */
	if (intel_poll32(hw, IGB_EECD, IGB_EECD_AUTO_RD, IGB_EECD_AUTO_RD,
			IGB_EEPROM_TIMEOUT_US) < 0)
		IGB_LOG(DEBUG, ad, "EECD.AUTO_RD not set %u ms after the reset "
			"(QEMU's 82576 model never sets it); going on",
			IGB_EEPROM_TIMEOUT_US / 1000);

	/* 4.5.4: the reset unmasked nothing, but be explicit; drop old causes. */
	igb_write32(hw, IGB_IMC, ~0u);
	igb_write32(hw, IGB_EIMC, ~0u);
	(void)igb_read32(hw, IGB_ICR);
	(void)igb_read32(hw, IGB_EICR);

	/* CTRL_EXT.DRV_LOAD tells the manageability firmware a driver owns the port. */
	igb_write32(hw, IGB_CTRL_EXT,
		igb_read32(hw, IGB_CTRL_EXT) | IGB_CTRL_EXT_DRV_LOAD);
	return 0;
}

bool
igb_hw_read_mac(struct igb_adapter *ad, struct dp_ether_addr *mac)
{
	uint32_t ral = igb_read32(&ad->hw, IGB_RAL(0));
	uint32_t rah = igb_read32(&ad->hw, IGB_RAH(0));
	unsigned int i;

	/* RAL holds bytes 0-3 of the address, RAH bytes 4-5 (loaded from the EEPROM). */
	for (i = 0; i < 4; i++)
		mac->addr_bytes[i] = (uint8_t)(ral >> (8 * i));
	mac->addr_bytes[4] = (uint8_t)rah;
	mac->addr_bytes[5] = (uint8_t)(rah >> 8);
	return (rah & IGB_RAH_AV) && dp_is_valid_assigned_ether_addr(mac);
}

/* ---- link --------------------------------------------------------------------------- */

/* Write a PHY register through MDIC, the management interface of the PHY. */
static int
igb_phy_write(struct igb_adapter *ad, uint32_t reg, uint16_t val)
{
	const struct intel_hw *hw = &ad->hw;

	igb_write32(hw, IGB_MDIC, val | (reg << IGB_MDIC_REG_SHIFT) |
		((uint32_t)IGB_PHY_ADDR << IGB_MDIC_PHY_SHIFT) | IGB_MDIC_OP_WRITE);
	if (intel_poll32(hw, IGB_MDIC, IGB_MDIC_READY, IGB_MDIC_READY,
			IGB_MDIC_TIMEOUT_US) < 0) {
		IGB_LOG(ERR, ad, "PHY register %u write did not complete", reg);
		return -ETIMEDOUT;
	}
	if (igb_read32(hw, IGB_MDIC) & IGB_MDIC_ERROR) {
		IGB_LOG(ERR, ad, "PHY register %u write failed (MDIC.E)", reg);
		return -EIO;
	}
	return 0;
}

int
igb_hw_link_up(struct igb_adapter *ad, unsigned int wait_ms)
{
	const struct intel_hw *hw = &ad->hw;
	uint32_t ctrl;
	int rc;

	/*
	 * 4.5.7.2: internal copper PHY. Speed and duplex come from
	 * autonegotiation (no forcing); SLU lets the MAC follow the PHY.
	 */
	ctrl = igb_read32(hw, IGB_CTRL);
	ctrl |= IGB_CTRL_SLU;
	ctrl &= ~(IGB_CTRL_FRCSPD | IGB_CTRL_FRCDPX);
	igb_write32(hw, IGB_CTRL, ctrl);
	if (igb_read32(hw, IGB_STATUS) & IGB_STATUS_LU)
		return 0;
	/*
	 * The link comes up when the PHY (re)starts autonegotiation. Fiber
	 * and SerDes ports have no MII PHY: their PCS links up on SLU alone
	 * (4.5.7.3; not tested, QEMU models the copper port only).
	 */
	if (!ad->serdes) {
		rc = igb_phy_write(ad, IGB_PHY_BMCR, IGB_BMCR_ANENABLE |
			IGB_BMCR_ANRESTART | IGB_BMCR_FD | IGB_BMCR_SPEED1000);
		if (rc < 0)
			return rc;
	}
	if (wait_ms == 0)
		return 0;
	rc = intel_poll32(hw, IGB_STATUS, IGB_STATUS_LU, IGB_STATUS_LU,
		wait_ms * 1000);
	if (rc < 0)
		IGB_LOG(WARNING, ad, "link still down %u ms after autonegotiation "
			"started: is the cable (or QEMU's netdev) connected? The "
			"port works once it comes up", wait_ms);
	return 0;
}

void
igb_hw_link_read(struct igb_adapter *ad, struct dp_eth_link *link)
{
	uint32_t status = igb_read32(&ad->hw, IGB_STATUS);
	static const uint32_t speeds[] = { DP_ETH_SPEED_NUM_10M,
		DP_ETH_SPEED_NUM_100M, DP_ETH_SPEED_NUM_1G, DP_ETH_SPEED_NUM_1G };

	memset(link, 0, sizeof(*link));
	if (!(status & IGB_STATUS_LU))
		return;
	link->link_status = DP_ETH_LINK_UP;
	link->link_speed = speeds[(status & IGB_STATUS_SPEED_MASK) >>
		IGB_STATUS_SPEED_SHIFT];
	link->link_duplex = (status & IGB_STATUS_FD) ? DP_ETH_LINK_FULL_DUPLEX :
		DP_ETH_LINK_HALF_DUPLEX;
	link->link_autoneg = DP_ETH_LINK_AUTONEG;
}

/* ---- filters -------------------------------------------------------------------------- */

uint32_t
igb_mta_hash(const struct dp_ether_addr *mac)
{
	/* MTA with RCTL.MO = 00b: bits 47:36 of the address pick the bit. */
	return ((((uint32_t)mac->addr_bytes[5] << 8) | mac->addr_bytes[4]) >> 4) &
		0xfff;
}

void
igb_hw_write_filters(struct igb_adapter *ad)
{
	const struct intel_hw *hw = &ad->hw;
	unsigned int i;

	/* 7.1.1 (address filtering): RAH last, with AV, so no half-written entry matches. */
	for (i = 0; i < IGB_RAR_ENTRIES; i++) {
		const uint8_t *a = ad->rar[i].addr_bytes;

		igb_write32(hw, IGB_RAH(i), 0);
		if (!ad->rar_used[i])
			continue;
		igb_write32(hw, IGB_RAL(i), (uint32_t)a[0] | (uint32_t)a[1] << 8 |
			(uint32_t)a[2] << 16 | (uint32_t)a[3] << 24);
		igb_write32(hw, IGB_RAH(i), (uint32_t)a[4] | (uint32_t)a[5] << 8 |
			IGB_RAH_AV);
	}
	for (i = 0; i < IGB_MTA_SIZE; i++)
		igb_write32(hw, IGB_MTA(i), ad->mta[i]);
}

void
igb_hw_rx_mode(struct igb_adapter *ad)
{
	const struct intel_hw *hw = &ad->hw;
	const struct dp_eth_dev_data *d = ad->eth->data;
	uint32_t rctl = igb_read32(hw, IGB_RCTL);

	/* 7.1.1: RCTL.UPE accepts every unicast, MPE every multicast frame. */
	rctl &= ~(IGB_RCTL_UPE | IGB_RCTL_MPE);
	if (d->promiscuous)
		rctl |= IGB_RCTL_UPE | IGB_RCTL_MPE;
	if (d->all_multicast)
		rctl |= IGB_RCTL_MPE;
	igb_write32(hw, IGB_RCTL, rctl);
}

/* ---- RSS ------------------------------------------------------------------------------ */

void
igb_hw_rss(struct igb_adapter *ad)
{
	const struct intel_hw *hw = &ad->hw;
	const struct dp_eth_dev_data *d = ad->eth->data;
	uint32_t mrqc = IGB_MRQC_ENABLE_RSS, v;
	unsigned int i;

	if (d->dev_conf.rxmode.mq_mode != DP_ETH_MQ_RX_RSS) {
		igb_write32(hw, IGB_MRQC, 0);
		return;
	}
	/* 7.1.2 (RSS): key bytes in order, four per RSSRK, low byte first. */
	for (i = 0; i < IGB_RSS_KEY_SIZE / 4; i++) {
		const uint8_t *k = &ad->rss_key[4 * i];

		igb_write32(hw, IGB_RSSRK(i), (uint32_t)k[0] | (uint32_t)k[1] << 8 |
			(uint32_t)k[2] << 16 | (uint32_t)k[3] << 24);
	}
	/* Without a table from the application: queues in turn. */
	if (!ad->reta_user)
		for (i = 0; i < IGB_RETA_SIZE; i++)
			ad->reta[i] = (uint8_t)(i % d->nb_rx_queues);
	for (i = 0; i < IGB_RETA_SIZE / 4; i++) {
		v = (uint32_t)ad->reta[4 * i] | (uint32_t)ad->reta[4 * i + 1] << 8 |
			(uint32_t)ad->reta[4 * i + 2] << 16 |
			(uint32_t)ad->reta[4 * i + 3] << 24;
		igb_write32(hw, IGB_RETA(i), v);
	}
	if (ad->rss_hf & DP_ETH_RSS_IPV4)
		mrqc |= IGB_MRQC_IPV4;
	if (ad->rss_hf & DP_ETH_RSS_NONFRAG_IPV4_TCP)
		mrqc |= IGB_MRQC_TCP_IPV4;
	if (ad->rss_hf & DP_ETH_RSS_NONFRAG_IPV4_UDP)
		mrqc |= IGB_MRQC_UDP_IPV4;
	if (ad->rss_hf & DP_ETH_RSS_IPV6)
		mrqc |= IGB_MRQC_IPV6 | IGB_MRQC_IPV6_EX;
	if (ad->rss_hf & DP_ETH_RSS_NONFRAG_IPV6_TCP)
		mrqc |= IGB_MRQC_TCP_IPV6 | IGB_MRQC_TCP_IPV6_EX;
	if (ad->rss_hf & DP_ETH_RSS_NONFRAG_IPV6_UDP)
		mrqc |= IGB_MRQC_UDP_IPV6 | IGB_MRQC_UDP_IPV6_EX;
	igb_write32(hw, IGB_MRQC, mrqc);
}

/* ---- statistics ----------------------------------------------------------------------- */

const struct igb_xstat_def igb_xstats[] = {
	{ "rx_crc_errors", IGB_CRCERRS, false },
	{ "rx_alignment_errors", IGB_ALGNERRC, false },
	{ "rx_symbol_errors", IGB_SYMERRS, false },
	{ "rx_errors_hw", IGB_RXERRC, false },
	{ "rx_missed_packets", IGB_MPC, false },
	{ "rx_length_errors", IGB_RLEC, false },
	{ "rx_no_buffer_count", IGB_RNBC, false },
	{ "rx_undersize_packets", IGB_RUC, false },
	{ "rx_fragment_packets", IGB_RFC, false },
	{ "rx_oversize_packets", IGB_ROC, false },
	{ "rx_jabber_packets", IGB_RJC, false },
	{ "rx_good_packets_hw", IGB_GPRC, false },
	{ "rx_good_bytes_hw", IGB_GORCL, true },
	{ "rx_total_packets", IGB_TPR, false },
	{ "rx_total_bytes", IGB_TORL, true },
	{ "rx_broadcast_packets", IGB_BPRC, false },
	{ "rx_multicast_packets", IGB_MPRC, false },
	{ "rx_size_64_packets", IGB_PRC64, false },
	{ "rx_size_65_to_127_packets", IGB_PRC127, false },
	{ "rx_size_128_to_255_packets", IGB_PRC255, false },
	{ "rx_size_256_to_511_packets", IGB_PRC511, false },
	{ "rx_size_512_to_1023_packets", IGB_PRC1023, false },
	{ "rx_size_1024_to_max_packets", IGB_PRC1522, false },
	{ "rx_xon_packets", IGB_XONRXC, false },
	{ "rx_xoff_packets", IGB_XOFFRXC, false },
	{ "rx_flow_control_unsupported", IGB_FCRUC, false },
	{ "tx_good_packets_hw", IGB_GPTC, false },
	{ "tx_good_bytes_hw", IGB_GOTCL, true },
	{ "tx_total_packets", IGB_TPT, false },
	{ "tx_total_bytes", IGB_TOTL, true },
	{ "tx_broadcast_packets", IGB_BPTC, false },
	{ "tx_multicast_packets", IGB_MPTC, false },
	{ "tx_size_64_packets", IGB_PTC64, false },
	{ "tx_size_65_to_127_packets", IGB_PTC127, false },
	{ "tx_size_128_to_255_packets", IGB_PTC255, false },
	{ "tx_size_256_to_511_packets", IGB_PTC511, false },
	{ "tx_size_512_to_1023_packets", IGB_PTC1023, false },
	{ "tx_size_1024_to_max_packets", IGB_PTC1522, false },
	{ "tx_xon_packets", IGB_XONTXC, false },
	{ "tx_xoff_packets", IGB_XOFFTXC, false },
	{ "tx_collisions", IGB_COLC, false },
	{ "tx_single_collisions", IGB_SCC, false },
	{ "tx_multiple_collisions", IGB_MCC, false },
	{ "tx_excessive_collisions", IGB_ECOL, false },
	{ "tx_late_collisions", IGB_LATECOL, false },
	{ "tx_deferred", IGB_DC, false },
	{ "tx_no_crs", IGB_TNCRS, false },
	{ "tx_tso_contexts", IGB_TSCTC, false },
};
const unsigned int igb_nb_xstats = DP_DIM(igb_xstats);

void
igb_hw_stats_update(struct igb_adapter *ad)
{
	const struct intel_hw *hw = &ad->hw;
	unsigned int i;
	uint64_t v;

	/*
	 * 4.5.8: every counter clears when read, so each read is added to a
	 * 64-bit sum. A 64-bit counter is read low half first: reading the
	 * high half clears both.
	 */
	for (i = 0; i < igb_nb_xstats; i++) {
		v = igb_read32(hw, igb_xstats[i].reg);
		if (igb_xstats[i].wide)
			v |= (uint64_t)igb_read32(hw, igb_xstats[i].reg + 4) << 32;
		ad->hw_stats[i] += v;
	}
	for (i = 0; i < IGB_MAX_QUEUES; i++)
		ad->rqdpc[i] += igb_read32(hw, IGB_RQDPC(i));
}

uint64_t
igb_hw_stat(const struct igb_adapter *ad, uint32_t reg)
{
	unsigned int i;

	for (i = 0; i < igb_nb_xstats; i++)
		if (igb_xstats[i].reg == reg)
			return ad->hw_stats[i];
	return 0;
}
