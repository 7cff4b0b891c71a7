/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Port control: configure, queue setup, start/stop/close/reset, and the
 * settings (promiscuous, multicast, MAC, MTU, link, RSS). Every function
 * checks the port state and its arguments before calling the driver, and
 * says in the log what to do when it refuses.
 */

#include <stdlib.h>
#include <string.h>

#include <dp_mbuf.h>

#include "ethdev_private.h"

/* ---- offload names ------------------------------------------------------ */

static const struct {
	uint64_t bit;
	const char *name;
} rx_offload_names[] = {
	{ DP_ETH_RX_OFFLOAD_VLAN_STRIP, "vlan_strip" },
	{ DP_ETH_RX_OFFLOAD_IPV4_CKSUM, "ipv4_cksum" },
	{ DP_ETH_RX_OFFLOAD_UDP_CKSUM, "udp_cksum" },
	{ DP_ETH_RX_OFFLOAD_TCP_CKSUM, "tcp_cksum" },
	{ DP_ETH_RX_OFFLOAD_VLAN_FILTER, "vlan_filter" },
	{ DP_ETH_RX_OFFLOAD_SCATTER, "scatter" },
	{ DP_ETH_RX_OFFLOAD_TIMESTAMP, "timestamp" },
	{ DP_ETH_RX_OFFLOAD_KEEP_CRC, "keep_crc" },
	{ DP_ETH_RX_OFFLOAD_RSS_HASH, "rss_hash" },
}, tx_offload_names[] = {
	{ DP_ETH_TX_OFFLOAD_VLAN_INSERT, "vlan_insert" },
	{ DP_ETH_TX_OFFLOAD_IPV4_CKSUM, "ipv4_cksum" },
	{ DP_ETH_TX_OFFLOAD_UDP_CKSUM, "udp_cksum" },
	{ DP_ETH_TX_OFFLOAD_TCP_CKSUM, "tcp_cksum" },
	{ DP_ETH_TX_OFFLOAD_TCP_TSO, "tcp_tso" },
	{ DP_ETH_TX_OFFLOAD_MULTI_SEGS, "multi_segs" },
	{ DP_ETH_TX_OFFLOAD_MBUF_FAST_FREE, "mbuf_fast_free" },
}, rss_type_names[] = {
	{ DP_ETH_RSS_IPV4, "ipv4" },
	{ DP_ETH_RSS_NONFRAG_IPV4_TCP, "ipv4-tcp" },
	{ DP_ETH_RSS_NONFRAG_IPV4_UDP, "ipv4-udp" },
	{ DP_ETH_RSS_IPV6, "ipv6" },
	{ DP_ETH_RSS_NONFRAG_IPV6_TCP, "ipv6-tcp" },
	{ DP_ETH_RSS_NONFRAG_IPV6_UDP, "ipv6-udp" },
};

#define NAME_OF(table, bit) name_of(table, DP_DIM(table), bit)
#define MASK_TO_STR(table, mask, buf, size) \
	mask_to_str(table, DP_DIM(table), mask, buf, size)

static const char *
name_of(const void *table, size_t n, uint64_t bit)
{
	const struct { uint64_t bit; const char *name; } *t = table;
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i].bit == bit)
			return t[i].name;
	return "unknown";
}

static char *
mask_to_str(const void *table, size_t n, uint64_t mask, char *buf, size_t size)
{
	size_t off = 0;
	int bit;

	if (size == 0)
		return buf;
	buf[0] = '\0';
	for (bit = 0; bit < 64 && off < size; bit++) {
		if (!(mask & (1ull << bit)))
			continue;
		off += snprintf(buf + off, size - off, "%s%s", off ? ", " : "",
			name_of(table, n, 1ull << bit));
	}
	if (off == 0)
		snprintf(buf, size, "none");
	return buf;
}

const char *
dp_eth_dev_rx_offload_name(uint64_t offload)
{
	return NAME_OF(rx_offload_names, offload);
}

const char *
dp_eth_dev_tx_offload_name(uint64_t offload)
{
	return NAME_OF(tx_offload_names, offload);
}

char *
dp_eth_rx_offloads_to_str(uint64_t offloads, char *buf, size_t size)
{
	return MASK_TO_STR(rx_offload_names, offloads, buf, size);
}

char *
dp_eth_tx_offloads_to_str(uint64_t offloads, char *buf, size_t size)
{
	return MASK_TO_STR(tx_offload_names, offloads, buf, size);
}

/* ---- helpers ------------------------------------------------------------- */

static int
get_info(struct dp_eth_dev *dev, struct dp_eth_dev_info *info)
{
	memset(info, 0, sizeof(*info));
	info->rx_desc_lim.nb_max = UINT16_MAX;
	info->rx_desc_lim.nb_align = 1;
	info->tx_desc_lim.nb_max = UINT16_MAX;
	info->tx_desc_lim.nb_align = 1;
	info->min_mtu = 68;
	info->max_mtu = UINT16_MAX;
	info->device_name = dev->data->name;
	info->driver_name = dev->driver_name;
	return dev->dev_ops->dev_infos_get(dev, info);
}

/* Refuse bits of @p req outside @p capa, naming each one. */
static int
check_offloads(struct dp_eth_dev *dev, const char *what, uint64_t req,
	uint64_t capa, bool rx)
{
	char have[256];
	uint64_t bad = req & ~capa;
	int bit;

	if (bad == 0)
		return 0;
	if (rx)
		dp_eth_rx_offloads_to_str(capa, have, sizeof(have));
	else
		dp_eth_tx_offloads_to_str(capa, have, sizeof(have));
	for (bit = 0; bit < 64; bit++)
		if (bad & (1ull << bit))
			ETH_LOG(ERR, dev, "%s offload '%s' is not supported by "
				"%s (supported: %s)", what,
				rx ? dp_eth_dev_rx_offload_name(1ull << bit) :
				dp_eth_dev_tx_offload_name(1ull << bit),
				dev->driver_name, have);
	return -EINVAL;
}

static void
release_queues(struct dp_eth_dev *dev)
{
	struct dp_eth_dev_data *d = dev->data;
	uint16_t q;

	for (q = 0; d->rx_queues && q < d->nb_rx_queues; q++)
		if (d->rx_queues[q] != NULL) {
			dev->dev_ops->rx_queue_release(dev, q);
			d->rx_queues[q] = NULL;
		}
	for (q = 0; d->tx_queues && q < d->nb_tx_queues; q++)
		if (d->tx_queues[q] != NULL) {
			dev->dev_ops->tx_queue_release(dev, q);
			d->tx_queues[q] = NULL;
		}
}

/* Resize the queue arrays; queues beyond the new counts are released. */
static int
resize_queue_arrays(struct dp_eth_dev *dev, uint16_t nb_rx, uint16_t nb_tx)
{
	struct dp_eth_dev_data *d = dev->data;
	void **rxq, **txq;
	uint16_t q;

	for (q = nb_rx; d->rx_queues && q < d->nb_rx_queues; q++)
		if (d->rx_queues[q]) {
			dev->dev_ops->rx_queue_release(dev, q);
			d->rx_queues[q] = NULL;
		}
	for (q = nb_tx; d->tx_queues && q < d->nb_tx_queues; q++)
		if (d->tx_queues[q]) {
			dev->dev_ops->tx_queue_release(dev, q);
			d->tx_queues[q] = NULL;
		}
	/* Arrays always have room for every possible queue id: the fast path
	 * indexes them without a bound check. */
	rxq = d->rx_queues ? d->rx_queues :
		calloc(DP_MAX_QUEUES_PER_PORT, sizeof(void *));
	txq = d->tx_queues ? d->tx_queues :
		calloc(DP_MAX_QUEUES_PER_PORT, sizeof(void *));
	if (rxq == NULL || txq == NULL) {
		if (rxq != d->rx_queues)
			free(rxq);
		if (txq != d->tx_queues)
			free(txq);
		return -ENOMEM;
	}
	d->rx_queues = rxq;
	d->tx_queues = txq;
	d->nb_rx_queues = nb_rx;
	d->nb_tx_queues = nb_tx;
	return 0;
}

/* ---- configure -------------------------------------------------------------- */

int
dp_eth_dev_configure(uint16_t port_id, uint16_t nb_rx_q, uint16_t nb_tx_q,
	const struct dp_eth_conf *conf)
{
	struct dp_eth_dev *dev = eth_dev_checked(port_id, __func__);
	static const struct dp_eth_conf zero_conf;
	struct dp_eth_dev_info info;
	struct dp_eth_conf c;
	uint64_t bad;
	int rc;

	if (dev == NULL)
		return -ENODEV;
	if (dev->data->dev_started) {
		ETH_LOG(ERR, dev, "stop the port (dp_eth_dev_stop) before "
			"configuring it");
		return -EBUSY;
	}
	c = conf ? *conf : zero_conf;
	rc = get_info(dev, &info);
	if (rc < 0)
		return rc;

	if (nb_rx_q == 0 && nb_tx_q == 0) {
		nb_rx_q = info.default_rxportconf.nb_queues ?
			info.default_rxportconf.nb_queues : 1;
		nb_tx_q = info.default_txportconf.nb_queues ?
			info.default_txportconf.nb_queues : 1;
	}
	if (nb_rx_q > info.max_rx_queues || nb_rx_q > DP_MAX_QUEUES_PER_PORT) {
		ETH_LOG(ERR, dev, "%u RX queues requested, %s has at most %u",
			nb_rx_q, dev->driver_name,
			DP_MIN(info.max_rx_queues, DP_MAX_QUEUES_PER_PORT));
		return -EINVAL;
	}
	if (nb_tx_q > info.max_tx_queues || nb_tx_q > DP_MAX_QUEUES_PER_PORT) {
		ETH_LOG(ERR, dev, "%u TX queues requested, %s has at most %u",
			nb_tx_q, dev->driver_name,
			DP_MIN(info.max_tx_queues, DP_MAX_QUEUES_PER_PORT));
		return -EINVAL;
	}
	if (check_offloads(dev, "RX", c.rxmode.offloads, info.rx_offload_capa,
			true) < 0 ||
	    check_offloads(dev, "TX", c.txmode.offloads, info.tx_offload_capa,
			false) < 0)
		return -EINVAL;

	if (c.rxmode.mq_mode == DP_ETH_MQ_RX_RSS) {
		char have[128], want[128];

		bad = c.rx_adv_conf.rss_conf.rss_hf & ~info.flow_type_rss_offloads;
		if (bad) {
			ETH_LOG(ERR, dev, "RSS on %s is not supported by %s "
				"(supported: %s)",
				MASK_TO_STR(rss_type_names, bad, want, sizeof(want)),
				dev->driver_name,
				MASK_TO_STR(rss_type_names,
					info.flow_type_rss_offloads, have,
					sizeof(have)));
			return -EINVAL;
		}
		if (c.rx_adv_conf.rss_conf.rss_key != NULL &&
		    c.rx_adv_conf.rss_conf.rss_key_len != info.hash_key_size) {
			ETH_LOG(ERR, dev, "RSS key of %u bytes given, %s takes %u",
				c.rx_adv_conf.rss_conf.rss_key_len,
				dev->driver_name, info.hash_key_size);
			return -EINVAL;
		}
	} else if (c.rxmode.mq_mode != DP_ETH_MQ_RX_NONE) {
		ETH_LOG(ERR, dev, "unknown RX multi-queue mode %d",
			c.rxmode.mq_mode);
		return -EINVAL;
	}

	if (c.rxmode.mtu == 0)
		c.rxmode.mtu = DP_ETHER_MTU;
	if (c.rxmode.mtu < info.min_mtu || c.rxmode.mtu > info.max_mtu) {
		ETH_LOG(ERR, dev, "MTU %u is outside what %s supports (%u-%u)",
			c.rxmode.mtu, dev->driver_name, info.min_mtu, info.max_mtu);
		return -EINVAL;
	}
	if (c.intr_conf.lsc && !(dev->data->dev_flags & DP_ETH_DEV_INTR_LSC)) {
		ETH_LOG(ERR, dev, "%s has no link state interrupt (leave "
			"intr_conf.lsc at 0 and poll dp_eth_link_get_nowait)",
			dev->driver_name);
		return -EINVAL;
	}
	if (c.intr_conf.rxq && !(dev->data->dev_flags & DP_ETH_DEV_INTR_RXQ)) {
		ETH_LOG(ERR, dev, "%s has no RX queue interrupts (leave "
			"intr_conf.rxq at 0)", dev->driver_name);
		return -EINVAL;
	}

	rc = resize_queue_arrays(dev, nb_rx_q, nb_tx_q);
	if (rc < 0)
		return rc;
	dev->data->dev_conf = c;
	dev->data->mtu = (uint16_t)c.rxmode.mtu;
	dev->data->dev_configured = 0;
	rc = dev->dev_ops->dev_configure(dev);
	if (rc < 0) {
		ETH_LOG(ERR, dev, "driver refused the configuration: %s",
			dp_strerror(rc));
		return rc;
	}
	dev->data->dev_configured = 1;
	return 0;
}

/* ---- queue setup ---------------------------------------------------------------- */

/* Checks shared by RX and TX queue setup. */
static struct dp_eth_dev *
queue_setup_checks(uint16_t port_id, uint16_t queue_id, bool rx,
	const char *fn, int *rc)
{
	struct dp_eth_dev *dev = eth_dev_checked(port_id, fn);
	uint16_t nb;

	*rc = 0;
	if (dev == NULL) {
		*rc = -ENODEV;
		return NULL;
	}
	if (!dev->data->dev_configured) {
		ETH_LOG(ERR, dev, "configure the port (dp_eth_dev_configure) "
			"before setting up queues");
		*rc = -EINVAL;
		return NULL;
	}
	nb = rx ? dev->data->nb_rx_queues : dev->data->nb_tx_queues;
	if (queue_id >= nb) {
		ETH_LOG(ERR, dev, "%s queue %u does not exist: the port was "
			"configured with %u", rx ? "RX" : "TX", queue_id, nb);
		*rc = -EINVAL;
		return NULL;
	}
	if (dev->data->dev_started) {
		ETH_LOG(ERR, dev, "stop the port (dp_eth_dev_stop) before "
			"setting up %s queue %u", rx ? "RX" : "TX", queue_id);
		*rc = -EBUSY;
		return NULL;
	}
	return dev;
}

static int
check_nb_desc(struct dp_eth_dev *dev, const char *what, uint16_t nb_desc,
	const struct dp_eth_desc_lim *lim)
{
	if (nb_desc > lim->nb_max || nb_desc < lim->nb_min ||
	    (lim->nb_align > 1 && nb_desc % lim->nb_align != 0)) {
		ETH_LOG(ERR, dev, "%u %s descriptors: %s takes %u to %u, a "
			"multiple of %u", nb_desc, what, dev->driver_name,
			lim->nb_min, lim->nb_max, lim->nb_align ? lim->nb_align : 1);
		return -EINVAL;
	}
	return 0;
}

int
dp_eth_rx_queue_setup(uint16_t port_id, uint16_t queue_id, uint16_t nb_desc,
	int socket_id, const struct dp_eth_rxconf *conf, struct dp_mempool *mp)
{
	struct dp_eth_dev_info info;
	struct dp_eth_rxconf rxconf;
	struct dp_eth_dev *dev;
	uint32_t buf_size, frame;
	int rc;

	dev = queue_setup_checks(port_id, queue_id, true, __func__, &rc);
	if (dev == NULL)
		return rc;
	if (mp == NULL) {
		ETH_LOG(ERR, dev, "RX queue %u: no mempool given for receive "
			"buffers", queue_id);
		return -EINVAL;
	}
	rc = get_info(dev, &info);
	if (rc < 0)
		return rc;
	if (nb_desc == 0)
		nb_desc = info.default_rxportconf.ring_size ?
			info.default_rxportconf.ring_size : 512;
	if (check_nb_desc(dev, "RX", nb_desc, &info.rx_desc_lim) < 0)
		return -EINVAL;

	buf_size = dp_pktmbuf_data_room_size(mp);
	if (buf_size <= DP_PKTMBUF_HEADROOM) {
		/* Whatever the driver's minimum: a frame would start at or
		 * past the end of the buffer. */
		ETH_LOG(ERR, dev, "RX queue %u: mbufs of pool '%s' have a "
			"%u-byte data room, no room for data after the %u-byte "
			"headroom (use DP_MBUF_DEFAULT_BUF_SIZE)", queue_id,
			dp_mempool_name(mp), buf_size, DP_PKTMBUF_HEADROOM);
		return -EINVAL;
	}
	buf_size -= DP_PKTMBUF_HEADROOM;
	if (buf_size < info.min_rx_bufsize) {
		ETH_LOG(ERR, dev, "RX queue %u: mbufs of pool '%s' have %u bytes "
			"of data room after headroom, %s needs at least %u",
			queue_id, dp_mempool_name(mp), buf_size, dev->driver_name,
			info.min_rx_bufsize);
		return -EINVAL;
	}
	rxconf = conf ? *conf : info.default_rxconf;
	if (check_offloads(dev, "RX queue", rxconf.offloads,
			info.rx_queue_offload_capa | dev->data->dev_conf.rxmode.offloads,
			true) < 0)
		return -EINVAL;
	/* A frame that does not fit one buffer needs scatter to arrive whole. */
	frame = dev->data->mtu + DP_ETHER_HDR_LEN + DP_ETHER_CRC_LEN;
	if (info.min_rx_bufsize > 0 && frame > buf_size &&
	    !((rxconf.offloads | dev->data->dev_conf.rxmode.offloads) &
	      DP_ETH_RX_OFFLOAD_SCATTER)) {
		ETH_LOG(ERR, dev, "RX queue %u: frames of up to %u bytes (MTU "
			"%u) do not fit in %u-byte buffers: enable "
			"DP_ETH_RX_OFFLOAD_SCATTER or use a pool with a bigger "
			"data room", queue_id, frame, dev->data->mtu, buf_size);
		return -EINVAL;
	}
	if (dev->data->rx_queues[queue_id] != NULL) {
		dev->dev_ops->rx_queue_release(dev, queue_id);
		dev->data->rx_queues[queue_id] = NULL;
	}
	if (socket_id == DP_SOCKET_ID_ANY)
		socket_id = dev->data->numa_node;
	rc = dev->dev_ops->rx_queue_setup(dev, queue_id, nb_desc, socket_id,
		&rxconf, mp);
	if (rc < 0) {
		dev->data->rx_queues[queue_id] = NULL;
		return rc;
	}
	dev->data->rx_queue_state[queue_id] = DP_ETH_QUEUE_STATE_STOPPED;
	return 0;
}

int
dp_eth_tx_queue_setup(uint16_t port_id, uint16_t queue_id, uint16_t nb_desc,
	int socket_id, const struct dp_eth_txconf *conf)
{
	struct dp_eth_dev_info info;
	struct dp_eth_txconf txconf;
	struct dp_eth_dev *dev;
	int rc;

	dev = queue_setup_checks(port_id, queue_id, false, __func__, &rc);
	if (dev == NULL)
		return rc;
	rc = get_info(dev, &info);
	if (rc < 0)
		return rc;
	if (nb_desc == 0)
		nb_desc = info.default_txportconf.ring_size ?
			info.default_txportconf.ring_size : 512;
	if (check_nb_desc(dev, "TX", nb_desc, &info.tx_desc_lim) < 0)
		return -EINVAL;
	txconf = conf ? *conf : info.default_txconf;
	if (check_offloads(dev, "TX queue", txconf.offloads,
			info.tx_queue_offload_capa | dev->data->dev_conf.txmode.offloads,
			false) < 0)
		return -EINVAL;
	if (dev->data->tx_queues[queue_id] != NULL) {
		dev->dev_ops->tx_queue_release(dev, queue_id);
		dev->data->tx_queues[queue_id] = NULL;
	}
	if (socket_id == DP_SOCKET_ID_ANY)
		socket_id = dev->data->numa_node;
	rc = dev->dev_ops->tx_queue_setup(dev, queue_id, nb_desc, socket_id,
		&txconf);
	if (rc < 0) {
		dev->data->tx_queues[queue_id] = NULL;
		return rc;
	}
	dev->data->tx_queue_state[queue_id] = DP_ETH_QUEUE_STATE_STOPPED;
	return 0;
}

/* ---- start / stop / close / reset ------------------------------------------------ */

int
dp_eth_dev_start(uint16_t port_id)
{
	struct dp_eth_dev *dev = eth_dev_checked(port_id, __func__);
	struct dp_eth_dev_data *d;
	uint16_t q;
	int rc;

	if (dev == NULL)
		return -ENODEV;
	d = dev->data;
	if (d->dev_started) {
		ETH_LOG(INFO, dev, "already started");
		return 0;
	}
	if (!d->dev_configured) {
		ETH_LOG(ERR, dev, "configure the port (dp_eth_dev_configure) "
			"and set up its queues before starting it");
		return -EINVAL;
	}
	for (q = 0; q < d->nb_rx_queues; q++)
		if (d->rx_queues[q] == NULL) {
			ETH_LOG(ERR, dev, "RX queue %u is not set up "
				"(dp_eth_rx_queue_setup)", q);
			return -EINVAL;
		}
	for (q = 0; q < d->nb_tx_queues; q++)
		if (d->tx_queues[q] == NULL) {
			ETH_LOG(ERR, dev, "TX queue %u is not set up "
				"(dp_eth_tx_queue_setup)", q);
			return -EINVAL;
		}
	rc = dev->dev_ops->dev_start(dev);
	if (rc < 0) {
		ETH_LOG(ERR, dev, "driver failed to start: %s", dp_strerror(rc));
		return rc;
	}
	d->dev_started = 1;
	eth_fp_install(dev);
	if (dev->dev_ops->link_update)
		dev->dev_ops->link_update(dev, 0);
	return 0;
}

int
dp_eth_dev_stop(uint16_t port_id)
{
	struct dp_eth_dev *dev = eth_dev_checked(port_id, __func__);
	struct dp_eth_dev_data *d;
	uint16_t q;
	int rc;

	if (dev == NULL)
		return -ENODEV;
	d = dev->data;
	if (!d->dev_started)
		return 0;
	/* Bursts return 0 from now on; then the device stops. */
	eth_fp_reset(port_id);
	rc = dev->dev_ops->dev_stop(dev);
	d->dev_started = 0;
	for (q = 0; q < d->nb_rx_queues; q++)
		d->rx_queue_state[q] = DP_ETH_QUEUE_STATE_STOPPED;
	for (q = 0; q < d->nb_tx_queues; q++)
		d->tx_queue_state[q] = DP_ETH_QUEUE_STATE_STOPPED;
	if (rc < 0)
		ETH_LOG(WARNING, dev, "driver reported an error on stop: %s",
			dp_strerror(rc));
	return 0;
}

int
dp_eth_dev_close(uint16_t port_id)
{
	struct dp_eth_dev *dev = eth_dev_checked(port_id, __func__);
	int rc = 0;

	if (dev == NULL)
		return -ENODEV;
	dp_eth_dev_stop(port_id);
	release_queues(dev);
	if (dev->dev_ops->dev_close)
		rc = dev->dev_ops->dev_close(dev);
	if (rc < 0)
		ETH_LOG(WARNING, dev, "driver reported an error on close: %s",
			dp_strerror(rc));
	dp_eth_dev_callback_process(dev, DP_ETH_EVENT_DESTROY);
	dp_eth_dev_release_port(dev);
	return 0;
}

int
dp_eth_dev_reset(uint16_t port_id)
{
	struct dp_eth_dev *dev = eth_dev_checked(port_id, __func__);
	int rc;

	if (dev == NULL)
		return -ENODEV;
	if (dev->dev_ops->dev_reset == NULL) {
		ETH_LOG(ERR, dev, "%s cannot reset (close and probe it again)",
			dev->driver_name);
		return -ENOTSUP;
	}
	dp_eth_dev_stop(port_id);
	release_queues(dev);
	rc = dev->dev_ops->dev_reset(dev);
	dev->data->dev_configured = 0;
	return rc;
}

/* Start or stop one queue; @p start selects, @p rx selects the direction. */
static int
queue_start_stop(uint16_t port_id, uint16_t queue_id, bool rx, bool start,
	const char *fn)
{
	struct dp_eth_dev *dev = eth_dev_checked(port_id, fn);
	int (*op)(struct dp_eth_dev *, uint16_t);
	uint8_t *state;
	void **queues;
	uint16_t nb;
	int rc;

	if (dev == NULL)
		return -ENODEV;
	nb = rx ? dev->data->nb_rx_queues : dev->data->nb_tx_queues;
	queues = rx ? dev->data->rx_queues : dev->data->tx_queues;
	if (queue_id >= nb || queues == NULL || queues[queue_id] == NULL) {
		ETH_LOG(ERR, dev, "%s queue %u is not set up", rx ? "RX" : "TX",
			queue_id);
		return -EINVAL;
	}
	if (!dev->data->dev_started) {
		ETH_LOG(ERR, dev, "start the port before starting or stopping "
			"single queues");
		return -EINVAL;
	}
	if (rx)
		op = start ? dev->dev_ops->rx_queue_start : dev->dev_ops->rx_queue_stop;
	else
		op = start ? dev->dev_ops->tx_queue_start : dev->dev_ops->tx_queue_stop;
	if (op == NULL) {
		ETH_LOG(ERR, dev, "%s cannot start or stop single queues",
			dev->driver_name);
		return -ENOTSUP;
	}
	state = rx ? &dev->data->rx_queue_state[queue_id] :
		&dev->data->tx_queue_state[queue_id];
	if (*state == (start ? DP_ETH_QUEUE_STATE_STARTED :
			DP_ETH_QUEUE_STATE_STOPPED))
		return 0;
	rc = op(dev, queue_id);
	if (rc == 0)
		*state = start ? DP_ETH_QUEUE_STATE_STARTED :
			DP_ETH_QUEUE_STATE_STOPPED;
	return rc;
}

int
dp_eth_dev_rx_queue_start(uint16_t port_id, uint16_t queue_id)
{
	return queue_start_stop(port_id, queue_id, true, true, __func__);
}

int
dp_eth_dev_rx_queue_stop(uint16_t port_id, uint16_t queue_id)
{
	return queue_start_stop(port_id, queue_id, true, false, __func__);
}

int
dp_eth_dev_tx_queue_start(uint16_t port_id, uint16_t queue_id)
{
	return queue_start_stop(port_id, queue_id, false, true, __func__);
}

int
dp_eth_dev_tx_queue_stop(uint16_t port_id, uint16_t queue_id)
{
	return queue_start_stop(port_id, queue_id, false, false, __func__);
}

/* ---- info and settings ---------------------------------------------------------- */

int
dp_eth_dev_info_get(uint16_t port_id, struct dp_eth_dev_info *info)
{
	struct dp_eth_dev *dev = eth_dev_checked(port_id, __func__);
	int rc;

	if (dev == NULL)
		return -ENODEV;
	if (info == NULL)
		return -EINVAL;
	rc = get_info(dev, info);
	info->nb_rx_queues = dev->data->nb_rx_queues;
	info->nb_tx_queues = dev->data->nb_tx_queues;
	return rc;
}

/* Promiscuous and all-multicast share one shape: op, then the flag. */
static int
set_rx_mode(uint16_t port_id, bool promisc, bool on, const char *fn)
{
	struct dp_eth_dev *dev = eth_dev_checked(port_id, fn);
	int (*op)(struct dp_eth_dev *);
	uint8_t *flag;
	int rc;

	if (dev == NULL)
		return -ENODEV;
	flag = promisc ? &dev->data->promiscuous : &dev->data->all_multicast;
	if (promisc)
		op = on ? dev->dev_ops->promiscuous_enable :
			dev->dev_ops->promiscuous_disable;
	else
		op = on ? dev->dev_ops->allmulticast_enable :
			dev->dev_ops->allmulticast_disable;
	if (op == NULL) {
		ETH_LOG(ERR, dev, "%s cannot change %s mode", dev->driver_name,
			promisc ? "promiscuous" : "all-multicast");
		return -ENOTSUP;
	}
	rc = op(dev);
	if (rc == 0)
		*flag = on;
	return rc;
}

int
dp_eth_promiscuous_enable(uint16_t port_id)
{
	return set_rx_mode(port_id, true, true, __func__);
}

int
dp_eth_promiscuous_disable(uint16_t port_id)
{
	return set_rx_mode(port_id, true, false, __func__);
}

int
dp_eth_promiscuous_get(uint16_t port_id)
{
	struct dp_eth_dev *dev = eth_dev_checked(port_id, __func__);

	return dev ? dev->data->promiscuous : -ENODEV;
}

int
dp_eth_allmulticast_enable(uint16_t port_id)
{
	return set_rx_mode(port_id, false, true, __func__);
}

int
dp_eth_allmulticast_disable(uint16_t port_id)
{
	return set_rx_mode(port_id, false, false, __func__);
}

int
dp_eth_allmulticast_get(uint16_t port_id)
{
	struct dp_eth_dev *dev = eth_dev_checked(port_id, __func__);

	return dev ? dev->data->all_multicast : -ENODEV;
}

static int
link_get(uint16_t port_id, struct dp_eth_link *link, int wait, const char *fn)
{
	struct dp_eth_dev *dev = eth_dev_checked(port_id, fn);

	if (dev == NULL)
		return -ENODEV;
	if (link == NULL)
		return -EINVAL;
	if (dev->dev_ops->link_update)
		dev->dev_ops->link_update(dev, wait);
	__atomic_load(&dev->data->dev_link, link, __ATOMIC_ACQUIRE);
	return 0;
}

int
dp_eth_link_get(uint16_t port_id, struct dp_eth_link *link)
{
	return link_get(port_id, link, 1, __func__);
}

int
dp_eth_link_get_nowait(uint16_t port_id, struct dp_eth_link *link)
{
	return link_get(port_id, link, 0, __func__);
}

int
dp_eth_link_to_str(char *buf, size_t len, const struct dp_eth_link *link)
{
	char speed[16];

	if (buf == NULL || len == 0 || link == NULL)
		return -EINVAL;
	if (link->link_status == DP_ETH_LINK_DOWN)
		return snprintf(buf, len, "Link down");
	if (link->link_speed == DP_ETH_SPEED_NUM_NONE)
		snprintf(speed, sizeof(speed), "unknown speed");
	else if (link->link_speed >= 1000 && link->link_speed % 1000 == 0)
		snprintf(speed, sizeof(speed), "%u Gbps", link->link_speed / 1000);
	else
		snprintf(speed, sizeof(speed), "%u Mbps", link->link_speed);
	return snprintf(buf, len, "Link up at %s %s %s", speed,
		link->link_duplex == DP_ETH_LINK_FULL_DUPLEX ? "FDX" : "HDX",
		link->link_autoneg == DP_ETH_LINK_AUTONEG ? "Autoneg" : "Fixed");
}

int
dp_eth_linkstatus_set(struct dp_eth_dev *dev, const struct dp_eth_link *link)
{
	struct dp_eth_link old;
	uint64_t a, b;

	__atomic_exchange(&dev->data->dev_link, (struct dp_eth_link *)link, &old,
		__ATOMIC_ACQ_REL);
	memcpy(&a, &old, sizeof(a));
	memcpy(&b, link, sizeof(b));
	if (a == b)
		return -1;
	dp_eth_dev_callback_process(dev, DP_ETH_EVENT_INTR_LSC);
	return 0;
}

int
dp_eth_dev_op_nothing(struct dp_eth_dev *dev)
{
	(void)dev;
	return 0;
}

void
dp_eth_dev_op_release_nothing(struct dp_eth_dev *dev, uint16_t qid)
{
	(void)dev;
	(void)qid;
}

int
dp_eth_dev_op_mac_set_nothing(struct dp_eth_dev *dev, struct dp_ether_addr *addr)
{
	(void)dev;
	(void)addr;
	return 0;
}

int
dp_eth_dev_op_mtu_set_nothing(struct dp_eth_dev *dev, uint16_t mtu)
{
	(void)dev;
	(void)mtu;
	return 0;
}

int
dp_eth_dev_op_link_up(struct dp_eth_dev *dev)
{
	struct dp_eth_link link = {
		.link_speed = DP_ETH_SPEED_NUM_10G,
		.link_duplex = DP_ETH_LINK_FULL_DUPLEX,
		.link_autoneg = DP_ETH_LINK_FIXED,
		.link_status = DP_ETH_LINK_UP,
	};

	dp_eth_linkstatus_set(dev, &link);
	return 0;
}

int
dp_eth_dev_op_link_down(struct dp_eth_dev *dev)
{
	struct dp_eth_link link = { .link_status = DP_ETH_LINK_DOWN };

	dp_eth_linkstatus_set(dev, &link);
	return 0;
}

int
dp_eth_macaddr_get(uint16_t port_id, struct dp_ether_addr *mac)
{
	struct dp_eth_dev *dev = eth_dev_checked(port_id, __func__);

	if (dev == NULL)
		return -ENODEV;
	if (mac == NULL)
		return -EINVAL;
	*mac = dev->data->mac_addr;
	return 0;
}

/* A unicast address a port can @p use ("take", "filter on")? Logs why not. */
static int
check_unicast(struct dp_eth_dev *dev, const struct dp_ether_addr *mac,
	const char *use)
{
	char buf[DP_ETHER_ADDR_FMT_SIZE];

	if (mac != NULL && dp_is_valid_assigned_ether_addr(mac))
		return 0;
	if (mac != NULL)
		dp_ether_format_addr(buf, sizeof(buf), mac);
	ETH_LOG(ERR, dev, "%s is not a unicast address a port can %s",
		mac ? buf : "(null)", use);
	return -EINVAL;
}

int
dp_eth_macaddr_set(uint16_t port_id, const struct dp_ether_addr *mac)
{
	struct dp_eth_dev *dev = eth_dev_checked(port_id, __func__);
	struct dp_ether_addr copy;
	int rc;

	if (dev == NULL)
		return -ENODEV;
	if (check_unicast(dev, mac, "take") < 0)
		return -EINVAL;
	if (dev->dev_ops->mac_addr_set == NULL) {
		ETH_LOG(ERR, dev, "%s cannot change its MAC address",
			dev->driver_name);
		return -ENOTSUP;
	}
	copy = *mac;
	rc = dev->dev_ops->mac_addr_set(dev, &copy);
	if (rc == 0)
		dev->data->mac_addr = copy;
	return rc;
}

/* Index of @p mac among the added addresses, or -1. */
static int
mac_addr_index(const struct dp_eth_dev_data *d, const struct dp_ether_addr *mac)
{
	unsigned int i;

	for (i = 1; i < DP_ETH_MAX_MAC_ADDRS; i++)
		if ((d->mac_addrs_used & (1u << i)) &&
		    dp_is_same_ether_addr(&d->mac_addrs[i], mac))
			return (int)i;
	return -1;
}

int
dp_eth_dev_mac_addr_add(uint16_t port_id, const struct dp_ether_addr *mac)
{
	struct dp_eth_dev *dev = eth_dev_checked(port_id, __func__);
	char buf[DP_ETHER_ADDR_FMT_SIZE];
	struct dp_eth_dev_info info;
	unsigned int i, max;
	int rc;

	if (dev == NULL)
		return -ENODEV;
	if (check_unicast(dev, mac, "filter on") < 0)
		return -EINVAL;
	if (dev->dev_ops->mac_addr_add == NULL) {
		ETH_LOG(ERR, dev, "%s has no unicast address filters (use "
			"promiscuous mode)", dev->driver_name);
		return -ENOTSUP;
	}
	if (dp_is_same_ether_addr(mac, &dev->data->mac_addr) ||
	    mac_addr_index(dev->data, mac) >= 0)
		return 0;
	rc = get_info(dev, &info);
	if (rc < 0)
		return rc;
	max = DP_MIN(info.max_mac_addrs, (uint32_t)DP_ETH_MAX_MAC_ADDRS);
	for (i = 1; i < max; i++)
		if (!(dev->data->mac_addrs_used & (1u << i)))
			break;
	if (i >= max) {
		dp_ether_format_addr(buf, sizeof(buf), mac);
		ETH_LOG(ERR, dev, "cannot add %s: all %u address filters of %s "
			"are in use (remove one, or use promiscuous mode)", buf,
			max, dev->driver_name);
		return -ENOSPC;
	}
	rc = dev->dev_ops->mac_addr_add(dev, mac, i);
	if (rc == 0) {
		dev->data->mac_addrs[i] = *mac;
		dev->data->mac_addrs_used |= 1u << i;
	}
	return rc;
}

int
dp_eth_dev_mac_addr_remove(uint16_t port_id, const struct dp_ether_addr *mac)
{
	struct dp_eth_dev *dev = eth_dev_checked(port_id, __func__);
	char buf[DP_ETHER_ADDR_FMT_SIZE];
	int i;

	if (dev == NULL)
		return -ENODEV;
	if (mac == NULL)
		return -EINVAL;
	dp_ether_format_addr(buf, sizeof(buf), mac);
	if (dp_is_same_ether_addr(mac, &dev->data->mac_addr)) {
		ETH_LOG(ERR, dev, "%s is the port's own address: change it with "
			"dp_eth_macaddr_set() instead", buf);
		return -EINVAL;
	}
	if (dev->dev_ops->mac_addr_remove == NULL) {
		ETH_LOG(ERR, dev, "%s has no unicast address filters",
			dev->driver_name);
		return -ENOTSUP;
	}
	i = mac_addr_index(dev->data, mac);
	if (i < 0) {
		ETH_LOG(ERR, dev, "%s was not added (dp_eth_dev_mac_addr_add)",
			buf);
		return -ENOENT;
	}
	dev->dev_ops->mac_addr_remove(dev, (uint32_t)i);
	dev->data->mac_addrs_used &= ~(1u << i);
	memset(&dev->data->mac_addrs[i], 0, sizeof(dev->data->mac_addrs[i]));
	return 0;
}

int
dp_eth_dev_set_mc_addr_list(uint16_t port_id, const struct dp_ether_addr *list,
	uint32_t nb)
{
	struct dp_eth_dev *dev = eth_dev_checked(port_id, __func__);
	char buf[DP_ETHER_ADDR_FMT_SIZE];
	uint32_t i;

	if (dev == NULL)
		return -ENODEV;
	if (list == NULL && nb > 0)
		return -EINVAL;
	for (i = 0; i < nb; i++) {
		if (!dp_is_multicast_ether_addr(&list[i]) ||
		    dp_is_broadcast_ether_addr(&list[i])) {
			dp_ether_format_addr(buf, sizeof(buf), &list[i]);
			ETH_LOG(ERR, dev, "multicast list entry %u, %s, is not a "
				"multicast group address", i, buf);
			return -EINVAL;
		}
	}
	if (dev->dev_ops->set_mc_addr_list == NULL) {
		ETH_LOG(ERR, dev, "%s has no multicast filter (use "
			"all-multicast mode)", dev->driver_name);
		return -ENOTSUP;
	}
	return dev->dev_ops->set_mc_addr_list(dev, list, nb);
}

int
dp_eth_dev_set_mtu(uint16_t port_id, uint16_t mtu)
{
	struct dp_eth_dev *dev = eth_dev_checked(port_id, __func__);
	struct dp_eth_dev_info info;
	int rc;

	if (dev == NULL)
		return -ENODEV;
	rc = get_info(dev, &info);
	if (rc < 0)
		return rc;
	if (mtu < info.min_mtu || mtu > info.max_mtu) {
		ETH_LOG(ERR, dev, "MTU %u is outside what %s supports (%u-%u)",
			mtu, dev->driver_name, info.min_mtu, info.max_mtu);
		return -EINVAL;
	}
	if (dev->dev_ops->mtu_set == NULL) {
		ETH_LOG(ERR, dev, "%s cannot change its MTU", dev->driver_name);
		return -ENOTSUP;
	}
	rc = dev->dev_ops->mtu_set(dev, mtu);
	if (rc == 0) {
		dev->data->mtu = mtu;
		dev->data->dev_conf.rxmode.mtu = mtu;
	}
	return rc;
}

int
dp_eth_dev_get_mtu(uint16_t port_id, uint16_t *mtu)
{
	struct dp_eth_dev *dev = eth_dev_checked(port_id, __func__);

	if (dev == NULL)
		return -ENODEV;
	if (mtu == NULL)
		return -EINVAL;
	*mtu = dev->data->mtu;
	return 0;
}

/* ---- RSS ---------------------------------------------------------------------------- */

static int
check_reta(struct dp_eth_dev *dev, struct dp_eth_rss_reta_entry64 *reta,
	uint16_t reta_size, bool update)
{
	struct dp_eth_dev_info info;
	uint16_t i, g, e;
	int rc;

	if (reta == NULL)
		return -EINVAL;
	rc = get_info(dev, &info);
	if (rc < 0)
		return rc;
	if (reta_size != info.reta_size) {
		ETH_LOG(ERR, dev, "RSS redirection table of %u entries given, "
			"%s has %u", reta_size, dev->driver_name, info.reta_size);
		return -EINVAL;
	}
	if (!update)
		return 0;
	if (dev->data->nb_rx_queues == 0) {
		/* The entries name RX queues: there are none yet. */
		ETH_LOG(ERR, dev, "RSS redirection table update before the "
			"port is configured (call dp_eth_dev_configure first)");
		return -EINVAL;
	}
	for (i = 0; i < reta_size; i++) {
		g = i / DP_ETH_RETA_GROUP_SIZE;
		e = i % DP_ETH_RETA_GROUP_SIZE;
		if ((reta[g].mask & (1ull << e)) &&
		    reta[g].reta[e] >= dev->data->nb_rx_queues) {
			ETH_LOG(ERR, dev, "RSS redirection entry %u points to RX "
				"queue %u, the port has %u", i, reta[g].reta[e],
				dev->data->nb_rx_queues);
			return -EINVAL;
		}
	}
	return 0;
}

int
dp_eth_dev_rss_reta_update(uint16_t port_id,
	struct dp_eth_rss_reta_entry64 *reta_conf, uint16_t reta_size)
{
	struct dp_eth_dev *dev = eth_dev_checked(port_id, __func__);
	int rc;

	if (dev == NULL)
		return -ENODEV;
	if (dev->dev_ops->reta_update == NULL)
		return -ENOTSUP;
	rc = check_reta(dev, reta_conf, reta_size, true);
	return rc < 0 ? rc : dev->dev_ops->reta_update(dev, reta_conf, reta_size);
}

int
dp_eth_dev_rss_reta_query(uint16_t port_id,
	struct dp_eth_rss_reta_entry64 *reta_conf, uint16_t reta_size)
{
	struct dp_eth_dev *dev = eth_dev_checked(port_id, __func__);
	int rc;

	if (dev == NULL)
		return -ENODEV;
	if (dev->dev_ops->reta_query == NULL)
		return -ENOTSUP;
	rc = check_reta(dev, reta_conf, reta_size, false);
	return rc < 0 ? rc : dev->dev_ops->reta_query(dev, reta_conf, reta_size);
}

int
dp_eth_dev_rss_hash_update(uint16_t port_id, struct dp_eth_rss_conf *rss_conf)
{
	struct dp_eth_dev *dev = eth_dev_checked(port_id, __func__);
	struct dp_eth_dev_info info;
	int rc;

	if (dev == NULL)
		return -ENODEV;
	if (rss_conf == NULL)
		return -EINVAL;
	if (dev->dev_ops->rss_hash_update == NULL)
		return -ENOTSUP;
	rc = get_info(dev, &info);
	if (rc < 0)
		return rc;
	if (rss_conf->rss_hf & ~info.flow_type_rss_offloads) {
		char bad[128];

		ETH_LOG(ERR, dev, "RSS on %s is not supported by %s",
			MASK_TO_STR(rss_type_names,
				rss_conf->rss_hf & ~info.flow_type_rss_offloads,
				bad, sizeof(bad)), dev->driver_name);
		return -EINVAL;
	}
	return dev->dev_ops->rss_hash_update(dev, rss_conf);
}

int
dp_eth_dev_rss_hash_conf_get(uint16_t port_id, struct dp_eth_rss_conf *rss_conf)
{
	struct dp_eth_dev *dev = eth_dev_checked(port_id, __func__);

	if (dev == NULL)
		return -ENODEV;
	if (rss_conf == NULL)
		return -EINVAL;
	if (dev->dev_ops->rss_hash_conf_get == NULL)
		return -ENOTSUP;
	return dev->dev_ops->rss_hash_conf_get(dev, rss_conf);
}
