/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_igb: the poll-mode driver of the Intel 82576 (and its family). The
 * PCI bus probes it on devices bound to vfio-pci or uio_pci_generic; this
 * file is the port: probe/remove, configure/start/stop/close, queues (the
 * shared Intel data path in drivers/net/intel_common), receive modes, MAC
 * address, MTU, link, statistics, RSS.
 *
 *   -a 0000:01:00.0[,test_iova_offset=N]
 *
 * test_iova_offset: a test hook for tests/vm (a DMA the IOMMU must stop):
 * every RX buffer address written at queue start is moved by N bytes.
 *
 * Section numbers are those of the Intel 82576EB GbE Controller Datasheet.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <dp_kvargs.h>
#include <dp_malloc.h>
#include <dp_mbuf.h>
#include <dp_thash.h>

#include "igb_private.h"

DP_LOG_REGISTER(net_igb, "pmd.net.igb", INFO);

#define IGB_DRIVER_NAME "net_igb"

/* The 82576's data-path parameters for the shared code. */
const struct intel_chip igb_chip_82576 = {
	.name = "82576",
	.rxq_base = IGB_RDBAL0,
	.txq_base = IGB_TDBAL0,
	.q_stride = IGB_QUEUE_STRIDE,
	.srrctl = IGB_SRRCTL_OFF,
	.srrctl_drop_en = IGB_SRRCTL_DROP_EN,
	.srrctl_bsize_mask = IGB_SRRCTL_BSIZEPKT_MASK,
	.rx_err_frame = IGB_RXDERR_RXE | IGB_RXDERR_CE | IGB_RXDERR_SE |
		IGB_RXDERR_SEQ | IGB_RXDERR_CXE,
	.rx_err_ip = IGB_RXDERR_IPE,
	.rx_err_l4 = IGB_RXDERR_L4E,
	/* Context slot 0 (olinfo.IDX = 0); the 82576 has no CC bit. */
	.tx_olinfo_ctx = 0,
	/*
	 * RXDCTL: prefetch 8, host 8, write-back 1 (each descriptor written
	 * back at once: a polling driver has no interrupt timer to flush a
	 * batch). TXDCTL: prefetch 8, host 1, write-back 1.
	 */
	.rxdctl_thresh = 8u | 8u << 8 | 1u << 16,
	.txdctl_thresh = 8u | 1u << 8 | 1u << 16,
	.max_rx_queues = IGB_MAX_QUEUES,
	.max_tx_queues = IGB_MAX_QUEUES,
	/* RDLEN/TDLEN: a multiple of 128 bytes, i.e. of 8 descriptors. */
	.nb_desc_min = 32,
	.nb_desc_max = 4096,
	.nb_desc_align = 8,
	.tx_max_segs = 40,
};

/* ---- port operations ---------------------------------------------------------- */

static int
igb_dev_infos_get(struct dp_eth_dev *dev, struct dp_eth_dev_info *info)
{
	(void)dev;
	info->min_mtu = 68;
	info->max_rx_pktlen = IGB_MAX_FRAME;
	info->max_mtu = IGB_MAX_FRAME - IGB_FRAME_OVERHEAD;
	/* SRRCTL counts buffer sizes in kilobytes. */
	info->min_rx_bufsize = 1024;
	info->max_rx_queues = IGB_MAX_QUEUES;
	info->max_tx_queues = IGB_MAX_QUEUES;
	info->max_mac_addrs = IGB_RAR_ENTRIES;
	info->rx_offload_capa = DP_ETH_RX_OFFLOAD_VLAN_STRIP |
		DP_ETH_RX_OFFLOAD_CHECKSUM | DP_ETH_RX_OFFLOAD_SCATTER |
		DP_ETH_RX_OFFLOAD_RSS_HASH;
	info->rx_queue_offload_capa = DP_ETH_RX_OFFLOAD_SCATTER;
	info->tx_offload_capa = DP_ETH_TX_OFFLOAD_VLAN_INSERT |
		DP_ETH_TX_OFFLOAD_IPV4_CKSUM | DP_ETH_TX_OFFLOAD_UDP_CKSUM |
		DP_ETH_TX_OFFLOAD_TCP_CKSUM | DP_ETH_TX_OFFLOAD_MULTI_SEGS;
	info->tx_queue_offload_capa = 0;
	info->reta_size = IGB_RETA_SIZE;
	info->hash_key_size = IGB_RSS_KEY_SIZE;
	info->flow_type_rss_offloads = DP_ETH_RSS_IP | DP_ETH_RSS_TCP |
		DP_ETH_RSS_UDP;
	info->default_rxconf.rx_free_thresh = 32;
	info->default_rxconf.rx_drop_en = 1;
	info->default_txconf.tx_rs_thresh = 32;
	info->default_txconf.tx_free_thresh = 32;
	intel_desc_lim(&igb_chip_82576, &info->rx_desc_lim, &info->tx_desc_lim);
	info->default_rxportconf.burst_size = 32;
	info->default_rxportconf.ring_size = 512;
	info->default_rxportconf.nb_queues = 1;
	info->default_txportconf.burst_size = 32;
	info->default_txportconf.ring_size = 512;
	info->default_txportconf.nb_queues = 1;
	return 0;
}

static int
igb_dev_configure(struct dp_eth_dev *dev)
{
	struct igb_adapter *ad = igb_adapter(dev);
	const struct dp_eth_conf *c = &dev->data->dev_conf;

	if (c->rxmode.mq_mode == DP_ETH_MQ_RX_RSS) {
		ad->rss_hf = c->rx_adv_conf.rss_conf.rss_hf;
		if (c->rx_adv_conf.rss_conf.rss_key != NULL)
			memcpy(ad->rss_key, c->rx_adv_conf.rss_conf.rss_key,
				IGB_RSS_KEY_SIZE);
	}
	/* A new queue count: the redirection table is rebuilt. */
	ad->reta_user = false;
	return 0;
}

/* RX offload flags of queue @p conf for the shared data path. */
static uint32_t
rxq_flags(const struct dp_eth_dev *dev, const struct dp_eth_rxconf *conf)
{
	uint64_t off = dev->data->dev_conf.rxmode.offloads | conf->offloads;
	uint32_t f = 0;

	if (off & DP_ETH_RX_OFFLOAD_VLAN_STRIP)
		f |= INTEL_RXQ_F_VLAN_STRIP;
	if (off & DP_ETH_RX_OFFLOAD_CHECKSUM)
		f |= INTEL_RXQ_F_CKSUM;
	if (dev->data->dev_conf.rxmode.mq_mode == DP_ETH_MQ_RX_RSS)
		f |= INTEL_RXQ_F_RSS;
	return f;
}

/*
 * Frames of the MTU must fit one buffer of the queue, or arrive as chains
 * because scatter was asked for: never chains nobody asked for. ethdev
 * checks against the pool's data room; the NIC's buffer is that rounded
 * down to whole kilobytes (SRRCTL), and the frame may carry a VLAN tag.
 */
static int
check_frames_fit(struct igb_adapter *ad, const struct intel_rx_queue *q,
	uint16_t qid, uint16_t mtu, uint64_t offloads)
{
	uint32_t frame = (uint32_t)mtu + IGB_FRAME_OVERHEAD;

	if (frame <= q->buf_len || (offloads & DP_ETH_RX_OFFLOAD_SCATTER))
		return 0;
	IGB_LOG(ERR, ad, "MTU %u: frames of up to %u bytes do not fit the "
		"%u-byte buffers of RX queue %u (buffer sizes count in whole "
		"kilobytes): enable DP_ETH_RX_OFFLOAD_SCATTER or use bigger "
		"mbufs", mtu, frame, q->buf_len, qid);
	return -EINVAL;
}

static int
igb_rx_queue_setup(struct dp_eth_dev *dev, uint16_t qid, uint16_t nb_desc,
	int socket_id, const struct dp_eth_rxconf *conf, struct dp_mempool *mp)
{
	struct igb_adapter *ad = igb_adapter(dev);
	uint64_t qoff = conf ? conf->offloads : 0;
	struct intel_rx_queue *q;
	int rc;

	rc = intel_rx_queue_create(&ad->hw, qid, nb_desc, socket_id, conf, mp,
		dev->data->port_id, rxq_flags(dev, conf),
		&dev->data->rx_mbuf_alloc_failed, &q);
	if (rc < 0)
		return rc;
	rc = check_frames_fit(ad, q, qid, dev->data->mtu,
		dev->data->dev_conf.rxmode.offloads | qoff);
	if (rc < 0) {
		intel_rx_queue_free(q);
		return rc;
	}
	ad->rxq_offloads[qid] = qoff;
	q->test_iova_offset = ad->test_iova_offset;
	dev->data->rx_queues[qid] = q;
	return 0;
}

static void
igb_rx_queue_release(struct dp_eth_dev *dev, uint16_t qid)
{
	intel_rx_queue_free(dev->data->rx_queues[qid]);
}

static int
igb_tx_queue_setup(struct dp_eth_dev *dev, uint16_t qid, uint16_t nb_desc,
	int socket_id, const struct dp_eth_txconf *conf)
{
	struct igb_adapter *ad = igb_adapter(dev);
	struct intel_tx_queue *q;
	int rc;

	rc = intel_tx_queue_create(&ad->hw, qid, nb_desc, socket_id, conf,
		dev->data->port_id, &q);
	if (rc < 0)
		return rc;
	dev->data->tx_queues[qid] = q;
	return 0;
}

static void
igb_tx_queue_release(struct dp_eth_dev *dev, uint16_t qid)
{
	intel_tx_queue_free(dev->data->tx_queues[qid]);
}

/* Largest frame of the MTU in force, CRC and one VLAN tag included. */
static uint32_t
max_frame(const struct dp_eth_dev *dev)
{
	return (uint32_t)dev->data->mtu + IGB_FRAME_OVERHEAD;
}

/* 4.5.9: everything of receive but the queues; RCTL.EN stays off. */
static void
igb_rx_init(struct igb_adapter *ad)
{
	const struct intel_hw *hw = &ad->hw;
	const struct dp_eth_dev_data *d = ad->eth->data;
	uint64_t off = d->dev_conf.rxmode.offloads;
	uint32_t rxcsum, ctrl;

	igb_write32(hw, IGB_RCTL, igb_read32(hw, IGB_RCTL) & ~IGB_RCTL_EN);
	/*
	 * RXCSUM.PCSD: the write-back carries the RSS hash, not the
	 * fragment checksum (the status bits still say whether the IP and
	 * TCP/UDP checksums are right).
	 */
	rxcsum = IGB_RXCSUM_PCSD;
	if (off & DP_ETH_RX_OFFLOAD_IPV4_CKSUM)
		rxcsum |= IGB_RXCSUM_IPOFLD;
	if (off & (DP_ETH_RX_OFFLOAD_TCP_CKSUM | DP_ETH_RX_OFFLOAD_UDP_CKSUM))
		rxcsum |= IGB_RXCSUM_TUOFLD;
	igb_write32(hw, IGB_RXCSUM, rxcsum);
	/* Long frames (jumbo, VLAN-tagged) up to RLPML. */
	igb_write32(hw, IGB_RLPML, max_frame(ad->eth));
	/* 7.4: CTRL.VME strips the 802.1Q tag into the descriptor. */
	ctrl = igb_read32(hw, IGB_CTRL);
	if (off & DP_ETH_RX_OFFLOAD_VLAN_STRIP)
		ctrl |= IGB_CTRL_VME;
	else
		ctrl &= ~IGB_CTRL_VME;
	igb_write32(hw, IGB_CTRL, ctrl);
	igb_hw_rss(ad);
	ad->rar[0] = d->mac_addr;
	ad->rar_used[0] = true;
	igb_hw_write_filters(ad);
}

/* 4.5.9: receive on: broadcast, CRC stripped, long frames, the modes. */
static void
igb_rx_enable(struct igb_adapter *ad)
{
	igb_write32(&ad->hw, IGB_RCTL, IGB_RCTL_EN | IGB_RCTL_BAM |
		IGB_RCTL_SECRC | IGB_RCTL_LPE);
	igb_hw_rx_mode(ad);
}

static void
queues_stop(struct dp_eth_dev *dev)
{
	uint16_t q;

	for (q = 0; q < dev->data->nb_rx_queues; q++)
		if (dev->data->rx_queues[q] != NULL)
			intel_rx_queue_stop(dev->data->rx_queues[q]);
	for (q = 0; q < dev->data->nb_tx_queues; q++)
		if (dev->data->tx_queues[q] != NULL)
			intel_tx_queue_stop(dev->data->tx_queues[q]);
}

static int
igb_dev_start(struct dp_eth_dev *dev)
{
	struct igb_adapter *ad = igb_adapter(dev);
	struct dp_eth_dev_data *d = dev->data;
	const struct intel_hw *hw = &ad->hw;
	uint16_t q;
	int rc;

	/* The MTU or the offloads may have changed since queue setup. */
	for (q = 0; q < d->nb_rx_queues; q++) {
		rc = check_frames_fit(ad, d->rx_queues[q], q, d->mtu,
			d->dev_conf.rxmode.offloads | ad->rxq_offloads[q]);
		if (rc < 0)
			return rc;
	}

	/* 4.5.4: interrupts masked while setting up. */
	igb_write32(hw, IGB_IMC, ~0u);
	igb_write32(hw, IGB_EIMC, ~0u);
	(void)igb_read32(hw, IGB_ICR);

	/* 4.5.10: transmit: pad short frames, collision parameters (15, 63). */
	igb_write32(hw, IGB_TCTL, IGB_TCTL_PSP | 15u << IGB_TCTL_CT_SHIFT |
		63u << IGB_TCTL_COLD_SHIFT | IGB_TCTL_RTLC);
	for (q = 0; q < d->nb_tx_queues; q++) {
		struct intel_tx_queue *txq = d->tx_queues[q];

		if (txq->deferred_start)
			continue;
		rc = intel_tx_queue_start(txq);
		if (rc < 0)
			goto fail;
		d->tx_queue_state[q] = DP_ETH_QUEUE_STATE_STARTED;
	}
	igb_write32(hw, IGB_TCTL, igb_read32(hw, IGB_TCTL) | IGB_TCTL_EN);

	igb_rx_init(ad);
	for (q = 0; q < d->nb_rx_queues; q++) {
		struct intel_rx_queue *rxq = d->rx_queues[q];

		if (rxq->deferred_start)
			continue;
		rc = intel_rx_queue_start(rxq);
		if (rc < 0)
			goto fail;
		d->rx_queue_state[q] = DP_ETH_QUEUE_STATE_STARTED;
	}
	igb_rx_enable(ad);

	rc = igb_intr_start(ad);
	if (rc < 0)
		goto fail;
	/* 4.5.7: link up, waiting for autonegotiation. */
	rc = igb_hw_link_up(ad, IGB_LINK_WAIT_MS);
	if (rc < 0)
		goto fail;
	return 0;

fail:
	igb_intr_stop(ad);
	igb_write32(hw, IGB_RCTL, 0);
	igb_write32(hw, IGB_TCTL, IGB_TCTL_PSP);
	queues_stop(dev);
	return rc;
}

static int
igb_dev_stop(struct dp_eth_dev *dev)
{
	struct igb_adapter *ad = igb_adapter(dev);
	const struct intel_hw *hw = &ad->hw;

	igb_intr_stop(ad);
	igb_write32(hw, IGB_RCTL, igb_read32(hw, IGB_RCTL) & ~IGB_RCTL_EN);
	/* The TX queues first let the NIC send what they hold, so the
	 * transmitter stays on until they are stopped. */
	queues_stop(dev);
	igb_write32(hw, IGB_TCTL, igb_read32(hw, IGB_TCTL) & ~IGB_TCTL_EN);
	/* The counters keep counting what is left; sum them now. */
	igb_hw_stats_update(ad);
	return 0;
}

static int
igb_dev_close(struct dp_eth_dev *dev)
{
	struct igb_adapter *ad = igb_adapter(dev);

	igb_intr_stop(ad);
	/* No DMA after this: the queues' memory is gone. */
	igb_hw_reset(ad);
	pthread_mutex_destroy(&ad->intr_lock);
	free(ad->hw_stats);
	ad->hw_stats = NULL;
	ad->pci->driver_data = NULL;
	return 0;
}

static int
igb_promiscuous_enable(struct dp_eth_dev *dev)
{
	struct igb_adapter *ad = igb_adapter(dev);
	uint32_t rctl = igb_read32(&ad->hw, IGB_RCTL);

	igb_write32(&ad->hw, IGB_RCTL, rctl | IGB_RCTL_UPE | IGB_RCTL_MPE);
	return 0;
}

static int
igb_promiscuous_disable(struct dp_eth_dev *dev)
{
	struct igb_adapter *ad = igb_adapter(dev);
	uint32_t rctl = igb_read32(&ad->hw, IGB_RCTL) & ~IGB_RCTL_UPE;

	if (!dev->data->all_multicast)
		rctl &= ~IGB_RCTL_MPE;
	igb_write32(&ad->hw, IGB_RCTL, rctl);
	return 0;
}

static int
igb_allmulticast_enable(struct dp_eth_dev *dev)
{
	struct igb_adapter *ad = igb_adapter(dev);

	igb_write32(&ad->hw, IGB_RCTL,
		igb_read32(&ad->hw, IGB_RCTL) | IGB_RCTL_MPE);
	return 0;
}

static int
igb_allmulticast_disable(struct dp_eth_dev *dev)
{
	struct igb_adapter *ad = igb_adapter(dev);
	uint32_t rctl = igb_read32(&ad->hw, IGB_RCTL);

	/* Promiscuous mode keeps every multicast frame coming. */
	if (!dev->data->promiscuous)
		rctl &= ~IGB_RCTL_MPE;
	igb_write32(&ad->hw, IGB_RCTL, rctl);
	return 0;
}

int
igb_link_update(struct dp_eth_dev *dev, int wait_to_complete)
{
	struct igb_adapter *ad = igb_adapter(dev);
	struct dp_eth_link link;

	if (wait_to_complete && dev->data->dev_started &&
	    !(igb_read32(&ad->hw, IGB_STATUS) & IGB_STATUS_LU))
		intel_poll32(&ad->hw, IGB_STATUS, IGB_STATUS_LU, IGB_STATUS_LU,
			IGB_LINK_WAIT_MS * 1000);
	igb_hw_link_read(ad, &link);
	dp_eth_linkstatus_set(dev, &link);
	return 0;
}

static int
igb_mac_addr_set(struct dp_eth_dev *dev, struct dp_ether_addr *addr)
{
	struct igb_adapter *ad = igb_adapter(dev);

	ad->rar[0] = *addr;
	ad->rar_used[0] = true;
	igb_hw_write_filters(ad);
	return 0;
}

static int
igb_mac_addr_add(struct dp_eth_dev *dev, const struct dp_ether_addr *addr,
	uint32_t index)
{
	struct igb_adapter *ad = igb_adapter(dev);

	ad->rar[index] = *addr;
	ad->rar_used[index] = true;
	igb_hw_write_filters(ad);
	return 0;
}

static void
igb_mac_addr_remove(struct dp_eth_dev *dev, uint32_t index)
{
	struct igb_adapter *ad = igb_adapter(dev);

	ad->rar_used[index] = false;
	igb_hw_write_filters(ad);
}

static int
igb_set_mc_addr_list(struct dp_eth_dev *dev, const struct dp_ether_addr *list,
	uint32_t nb)
{
	struct igb_adapter *ad = igb_adapter(dev);
	uint32_t i, h;

	/* 7.1.1: one bit per hash value of the 4096-bit table. */
	memset(ad->mta, 0, sizeof(ad->mta));
	for (i = 0; i < nb; i++) {
		h = igb_mta_hash(&list[i]);
		ad->mta[h >> 5] |= 1u << (h & 31);
	}
	igb_hw_write_filters(ad);
	return 0;
}

static int
igb_mtu_set(struct dp_eth_dev *dev, uint16_t mtu)
{
	struct igb_adapter *ad = igb_adapter(dev);
	uint16_t q;
	int rc;

	/* Queues set up must take the new frames whole or chained. */
	for (q = 0; q < dev->data->nb_rx_queues; q++) {
		const struct intel_rx_queue *rxq = dev->data->rx_queues[q];

		if (rxq == NULL)
			continue;
		rc = check_frames_fit(ad, rxq, q, mtu,
			dev->data->dev_conf.rxmode.offloads |
			ad->rxq_offloads[q]);
		if (rc < 0)
			return rc;
	}
	igb_write32(&ad->hw, IGB_RLPML, (uint32_t)mtu + IGB_FRAME_OVERHEAD);
	return 0;
}

/* ---- statistics ----------------------------------------------------------------- */

static uint64_t
load(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

static int
igb_stats_get(struct dp_eth_dev *dev, struct dp_eth_stats *st)
{
	struct igb_adapter *ad = igb_adapter(dev);
	struct dp_eth_dev_data *d = dev->data;
	uint16_t q;

	igb_hw_stats_update(ad);
	for (q = 0; q < d->nb_rx_queues; q++) {
		const struct intel_rx_queue *rxq = d->rx_queues[q];
		uint64_t p, b, e;

		if (rxq == NULL)
			continue;
		p = load(&rxq->stats.packets);
		b = load(&rxq->stats.bytes);
		e = load(&rxq->stats.errors);
		st->ipackets += p;
		st->ibytes += b;
		st->ierrors += e;
		if (q < DP_ETHDEV_QUEUE_STAT_CNTRS) {
			st->q_ipackets[q] = p;
			st->q_ibytes[q] = b;
			st->q_errors[q] = e;
		}
		st->imissed += ad->rqdpc[q];
	}
	for (q = 0; q < d->nb_tx_queues; q++) {
		const struct intel_tx_queue *txq = d->tx_queues[q];
		uint64_t p, b;

		if (txq == NULL)
			continue;
		p = load(&txq->stats.packets);
		b = load(&txq->stats.bytes);
		st->opackets += p;
		st->obytes += b;
		st->oerrors += load(&txq->stats.errors);
		if (q < DP_ETHDEV_QUEUE_STAT_CNTRS) {
			st->q_opackets[q] = p;
			st->q_obytes[q] = b;
		}
	}
	/* What the NIC itself dropped or rejected. */
	st->imissed += igb_hw_stat(ad, IGB_MPC);
	st->ierrors += igb_hw_stat(ad, IGB_CRCERRS) +
		igb_hw_stat(ad, IGB_ALGNERRC) + igb_hw_stat(ad, IGB_RXERRC) +
		igb_hw_stat(ad, IGB_RLEC);
	st->oerrors += igb_hw_stat(ad, IGB_ECOL) + igb_hw_stat(ad, IGB_LATECOL);
	return 0;
}

static int
igb_stats_reset(struct dp_eth_dev *dev)
{
	struct igb_adapter *ad = igb_adapter(dev);
	struct dp_eth_dev_data *d = dev->data;
	uint16_t q;

	igb_hw_stats_update(ad);	/* clears the registers */
	memset(ad->hw_stats, 0, igb_nb_xstats * sizeof(*ad->hw_stats));
	memset(ad->rqdpc, 0, sizeof(ad->rqdpc));
	for (q = 0; q < d->nb_rx_queues; q++) {
		struct intel_rx_queue *rxq = d->rx_queues[q];

		if (rxq != NULL)
			memset(&rxq->stats, 0, sizeof(rxq->stats));
	}
	for (q = 0; q < d->nb_tx_queues; q++) {
		struct intel_tx_queue *txq = d->tx_queues[q];

		if (txq != NULL)
			memset(&txq->stats, 0, sizeof(txq->stats));
	}
	return 0;
}

/*
 * Driver xstats: the hardware counters, each RX queue's drops, then the
 * link-state interrupts the handler saw.
 */
static unsigned int
nb_xstats(const struct dp_eth_dev *dev)
{
	return igb_nb_xstats + dev->data->nb_rx_queues + 1;
}

static int
igb_xstats_get_names(struct dp_eth_dev *dev, struct dp_eth_xstat_name *names,
	unsigned int n)
{
	unsigned int i, total = nb_xstats(dev);

	if (names == NULL)
		return (int)total;
	for (i = 0; i < total && i < n; i++) {
		if (i < igb_nb_xstats)
			snprintf(names[i].name, sizeof(names[i].name), "%s",
				igb_xstats[i].name);
		else if (i + 1 < total)
			snprintf(names[i].name, sizeof(names[i].name),
				"rx_q%u_drops_no_descriptor", i - igb_nb_xstats);
		else
			snprintf(names[i].name, sizeof(names[i].name),
				"link_status_interrupts");
	}
	return (int)total;
}

static int
igb_xstats_get(struct dp_eth_dev *dev, struct dp_eth_xstat *xs, unsigned int n)
{
	struct igb_adapter *ad = igb_adapter(dev);
	unsigned int i, total = nb_xstats(dev);

	if (xs == NULL)
		return (int)total;
	igb_hw_stats_update(ad);
	for (i = 0; i < total && i < n; i++) {
		xs[i].id = i;
		if (i < igb_nb_xstats)
			xs[i].value = ad->hw_stats[i];
		else if (i + 1 < total)
			xs[i].value = ad->rqdpc[i - igb_nb_xstats];
		else
			xs[i].value = __atomic_load_n(&ad->lsc_events,
				__ATOMIC_RELAXED);
	}
	return (int)total;
}

static int
igb_xstats_reset(struct dp_eth_dev *dev)
{
	return igb_stats_reset(dev);
}

/* ---- RSS --------------------------------------------------------------------- */

static int
igb_reta_update(struct dp_eth_dev *dev, struct dp_eth_rss_reta_entry64 *reta,
	uint16_t reta_size)
{
	struct igb_adapter *ad = igb_adapter(dev);
	uint16_t i, g, e;

	if (!ad->reta_user)
		for (i = 0; i < IGB_RETA_SIZE; i++)
			ad->reta[i] = (uint8_t)(i % dev->data->nb_rx_queues);
	for (i = 0; i < reta_size; i++) {
		g = i / DP_ETH_RETA_GROUP_SIZE;
		e = i % DP_ETH_RETA_GROUP_SIZE;
		if (reta[g].mask & (1ull << e))
			ad->reta[i] = (uint8_t)reta[g].reta[e];
	}
	ad->reta_user = true;
	if (dev->data->dev_started)
		igb_hw_rss(ad);
	return 0;
}

static int
igb_reta_query(struct dp_eth_dev *dev, struct dp_eth_rss_reta_entry64 *reta,
	uint16_t reta_size)
{
	struct igb_adapter *ad = igb_adapter(dev);
	uint16_t i, g, e;

	for (i = 0; i < reta_size; i++) {
		g = i / DP_ETH_RETA_GROUP_SIZE;
		e = i % DP_ETH_RETA_GROUP_SIZE;
		if (reta[g].mask & (1ull << e))
			reta[g].reta[e] = ad->reta_user ? ad->reta[i] :
				(uint16_t)(i % DP_MAX(dev->data->nb_rx_queues, 1));
	}
	return 0;
}

static int
igb_rss_hash_update(struct dp_eth_dev *dev, struct dp_eth_rss_conf *conf)
{
	struct igb_adapter *ad = igb_adapter(dev);

	if (conf->rss_key != NULL) {
		if (conf->rss_key_len != IGB_RSS_KEY_SIZE) {
			IGB_LOG(ERR, ad, "RSS key of %u bytes given, the 82576 "
				"takes %u", conf->rss_key_len, IGB_RSS_KEY_SIZE);
			return -EINVAL;
		}
		memcpy(ad->rss_key, conf->rss_key, IGB_RSS_KEY_SIZE);
	}
	ad->rss_hf = conf->rss_hf;
	if (dev->data->dev_started)
		igb_hw_rss(ad);
	return 0;
}

static int
igb_rss_hash_conf_get(struct dp_eth_dev *dev, struct dp_eth_rss_conf *conf)
{
	struct igb_adapter *ad = igb_adapter(dev);

	if (conf->rss_key != NULL) {
		memcpy(conf->rss_key, ad->rss_key, IGB_RSS_KEY_SIZE);
		conf->rss_key_len = IGB_RSS_KEY_SIZE;
	}
	conf->rss_hf = ad->rss_hf;
	return 0;
}

/* ---- queue start/stop at run time -------------------------------------------------- */

static int
igb_rx_queue_start(struct dp_eth_dev *dev, uint16_t qid)
{
	return intel_rx_queue_start(dev->data->rx_queues[qid]);
}

static int
igb_rx_queue_stop(struct dp_eth_dev *dev, uint16_t qid)
{
	return intel_rx_queue_stop(dev->data->rx_queues[qid]);
}

static int
igb_tx_queue_start(struct dp_eth_dev *dev, uint16_t qid)
{
	return intel_tx_queue_start(dev->data->tx_queues[qid]);
}

static int
igb_tx_queue_stop(struct dp_eth_dev *dev, uint16_t qid)
{
	return intel_tx_queue_stop(dev->data->tx_queues[qid]);
}

static const struct dp_eth_dev_ops igb_ops = {
	.dev_configure = igb_dev_configure,
	.dev_start = igb_dev_start,
	.dev_stop = igb_dev_stop,
	.dev_close = igb_dev_close,
	.dev_infos_get = igb_dev_infos_get,
	.promiscuous_enable = igb_promiscuous_enable,
	.promiscuous_disable = igb_promiscuous_disable,
	.allmulticast_enable = igb_allmulticast_enable,
	.allmulticast_disable = igb_allmulticast_disable,
	.link_update = igb_link_update,
	.stats_get = igb_stats_get,
	.stats_reset = igb_stats_reset,
	.xstats_get = igb_xstats_get,
	.xstats_get_names = igb_xstats_get_names,
	.xstats_reset = igb_xstats_reset,
	.mac_addr_set = igb_mac_addr_set,
	.mac_addr_add = igb_mac_addr_add,
	.mac_addr_remove = igb_mac_addr_remove,
	.set_mc_addr_list = igb_set_mc_addr_list,
	.mtu_set = igb_mtu_set,
	.rx_queue_setup = igb_rx_queue_setup,
	.tx_queue_setup = igb_tx_queue_setup,
	.rx_queue_release = igb_rx_queue_release,
	.tx_queue_release = igb_tx_queue_release,
	.rx_queue_start = igb_rx_queue_start,
	.rx_queue_stop = igb_rx_queue_stop,
	.tx_queue_start = igb_tx_queue_start,
	.tx_queue_stop = igb_tx_queue_stop,
	.rx_queue_intr_enable = igb_rx_queue_intr_enable,
	.rx_queue_intr_disable = igb_rx_queue_intr_disable,
	.rx_queue_intr_fd = igb_rx_queue_intr_fd,
	.reta_update = igb_reta_update,
	.reta_query = igb_reta_query,
	.rss_hash_update = igb_rss_hash_update,
	.rss_hash_conf_get = igb_rss_hash_conf_get,
};

/* ---- probe and remove ------------------------------------------------------------------ */

static const char *const igb_keys[] = { "test_iova_offset", NULL };

static int
igb_parse_devargs(struct igb_adapter *ad)
{
	const struct dp_devargs *da = ad->pci->devargs;
	struct dp_kvargs *kv;
	int rc;

	if (da == NULL || da->args == NULL || da->args[0] == '\0')
		return 0;
	kv = dp_kvargs_parse(da->args, igb_keys, ad->pci->name);
	if (kv == NULL)
		return -EINVAL;
	rc = dp_kvargs_get_u64(kv, "test_iova_offset", 0, UINT64_MAX,
		&ad->test_iova_offset);
	dp_kvargs_free(kv);
	return rc;
}

/* BAR0 of an 82576 spans 128 KB of registers. */
#define IGB_BAR0_MIN (128u * 1024)

static int
igb_probe(struct dp_pci_driver *drv, struct dp_pci_device *pci)
{
	struct dp_pci_bar *bar = &pci->bars[0];
	char macstr[DP_ETHER_ADDR_FMT_SIZE];
	struct igb_adapter *ad;
	struct dp_eth_dev *dev;
	unsigned int i;
	int rc;

	(void)drv;
	if (bar->addr == NULL || bar->len < IGB_BAR0_MIN) {
		DP_LOG(ERR, net_igb, "%s: BAR0 is %s (%" PRIu64 " bytes): the "
			"82576 registers need %u bytes", pci->name,
			bar->addr ? "too small" : "not mapped", bar->len,
			IGB_BAR0_MIN);
		return -ENODEV;
	}
	dev = dp_eth_dev_allocate(pci->name);
	if (dev == NULL) {
		rc = -dp_errno;
		DP_LOG(ERR, net_igb, "%s: no port for it: %s", pci->name,
			dp_strerror(rc));
		return rc;
	}
	ad = dp_eth_dev_alloc_private(dev, sizeof(*ad));
	if (ad == NULL) {
		dp_eth_dev_release_port(dev);
		return -ENOMEM;
	}
	ad->hw.bar = bar->addr;
	ad->hw.chip = &igb_chip_82576;
	ad->hw.name = dev->data->name;
	ad->pci = pci;
	ad->eth = dev;
	ad->serdes = pci->id.device_id == 0x10e6 || pci->id.device_id == 0x10e7 ||
		pci->id.device_id == 0x1518 || pci->id.device_id == 0x150d;
	for (i = 0; i < IGB_MAX_QUEUES; i++)
		ad->shared_efd[i] = -1;
	ad->hw_stats = calloc(igb_nb_xstats, sizeof(*ad->hw_stats));
	if (ad->hw_stats == NULL) {
		rc = -ENOMEM;
		goto fail;
	}
	rc = igb_parse_devargs(ad);
	if (rc < 0)
		goto fail;
	pthread_mutex_init(&ad->intr_lock, NULL);

	rc = igb_hw_reset(ad);
	if (rc < 0)
		goto fail_mutex;
	if (!igb_hw_read_mac(ad, &dev->data->mac_addr)) {
		dp_eth_random_addr(&dev->data->mac_addr);
		dp_ether_format_addr(macstr, sizeof(macstr), &dev->data->mac_addr);
		IGB_LOG(WARNING, ad, "no valid MAC address in RAL0/RAH0 (the "
			"EEPROM's): using the random %s", macstr);
	}
	memcpy(ad->rss_key, dp_thash_default_key, IGB_RSS_KEY_SIZE);
	ad->rss_hf = DP_ETH_RSS_IP;
	/* 4.5.8: the counters start at 0 (reading clears them). */
	igb_hw_stats_update(ad);
	memset(ad->hw_stats, 0, igb_nb_xstats * sizeof(*ad->hw_stats));
	memset(ad->rqdpc, 0, sizeof(ad->rqdpc));

	dev->dev_ops = &igb_ops;
	dev->rx_pkt_burst = intel_rx_burst;
	dev->tx_pkt_burst = intel_tx_burst;
	dev->device = pci;
	dev->driver_name = IGB_DRIVER_NAME;
	dev->data->numa_node = pci->numa_node;
	if (pci->intr_handle != NULL && pci->intr_handle->type != DP_INTR_TYPE_NONE)
		dev->data->dev_flags |= DP_ETH_DEV_INTR_LSC | DP_ETH_DEV_INTR_RXQ;
	pci->driver_data = ad;
	dp_ether_format_addr(macstr, sizeof(macstr), &dev->data->mac_addr);
	IGB_LOG(INFO, ad, "port %u: 82576 (8086:%04x) through %s, MAC %s",
		dev->data->port_id, pci->id.device_id, pci->kdrv_name, macstr);
	dp_eth_dev_probing_finish(dev);
	return 0;

fail_mutex:
	pthread_mutex_destroy(&ad->intr_lock);
fail:
	free(ad->hw_stats);
	dp_eth_dev_release_port(dev);
	return rc;
}

static int
igb_remove(struct dp_pci_device *pci)
{
	struct igb_adapter *ad = pci->driver_data;

	/* Still open: closing the port stops the device and frees the rest. */
	if (ad != NULL)
		dp_eth_dev_close(ad->eth->data->port_id);
	return 0;
}

/* The 82576 family (the copper 82576 is what QEMU's igb models). */
static const struct dp_pci_id igb_ids[] = {
	{ DP_PCI_DEVICE(0x8086, 0x10c9) },	/* 82576 */
	{ DP_PCI_DEVICE(0x8086, 0x10e6) },	/* 82576 fiber */
	{ DP_PCI_DEVICE(0x8086, 0x10e7) },	/* 82576 SerDes */
	{ DP_PCI_DEVICE(0x8086, 0x10e8) },	/* 82576 quad copper */
	{ DP_PCI_DEVICE(0x8086, 0x1526) },	/* 82576 quad copper ET2 */
	{ DP_PCI_DEVICE(0x8086, 0x150a) },	/* 82576NS */
	{ DP_PCI_DEVICE(0x8086, 0x1518) },	/* 82576NS SerDes */
	{ DP_PCI_DEVICE(0x8086, 0x150d) },	/* 82576 SerDes quad */
	{ .vendor_id = 0 },
};

static struct dp_pci_driver igb_driver = {
	.id_table = igb_ids,
	.drv_flags = DP_PCI_DRV_NEED_MAPPING | DP_PCI_DRV_INTR_LSC,
	.probe = igb_probe,
	.remove = igb_remove,
};

DP_PMD_REGISTER_PCI(net_igb, igb_driver);
