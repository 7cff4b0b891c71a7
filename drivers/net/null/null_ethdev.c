/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_null: a port that receives endless packets of a fixed size and
 * drops what it sends. It measures the cost of the port API and of mbuf
 * allocation and freeing, with no device in the way.
 *
 *   --vdev=net_null0[,size=64][,copy=1][,no-rx=1]
 *
 * size:  bytes of every received packet (default 64)
 * copy:  copy a packet's worth of data on RX and TX, as a real driver
 *        touching packet data would (default off)
 * no-rx: RX returns nothing (a sink-only port)
 */

#include <string.h>

#include <dp_bus_vdev.h>
#include <dp_ethdev_driver.h>
#include <dp_kvargs.h>
#include <dp_log.h>
#include <dp_malloc.h>
#include <dp_mbuf.h>

#include "pmd_stats_private.h"

DP_LOG_REGISTER(net_null, "pmd.net.null", INFO);

#define NULL_DEFAULT_SIZE 64
#define NULL_MAX_SIZE 9000

struct null_queue {
	struct null_port *port;
	struct dp_eth_dev_data *data;	/* for rx_nombuf */
	struct dp_mempool *mp;		/* RX only */
	uint64_t pkts;
	uint64_t bytes;
} __dp_cache_aligned;

struct null_port {
	uint32_t size;
	bool copy;
	bool no_rx;
	uint16_t port_id;
	uint8_t *dummy;			/* source/sink of copies */
	struct null_queue rxq[DP_MAX_QUEUES_PER_PORT];
	struct null_queue txq[DP_MAX_QUEUES_PER_PORT];
};

static const char *const null_keys[] = { "size", "copy", "no-rx", NULL };

/* ---- data path ---------------------------------------------------------- */

static uint16_t
null_rx(void *q, struct dp_mbuf **bufs, uint16_t n)
{
	struct null_queue *rxq = q;
	struct null_port *p = rxq->port;
	uint32_t size = p->size;
	uint16_t i;

	if (unlikely(dp_pktmbuf_alloc_bulk(rxq->mp, bufs, n) != 0)) {
		/* port-wide counter, queues may run on different lcores */
		__atomic_fetch_add(&rxq->data->rx_mbuf_alloc_failed, n,
			__ATOMIC_RELAXED);
		return 0;
	}
	for (i = 0; i < n; i++) {
		struct dp_mbuf *m = bufs[i];

		m->data_len = (uint16_t)size;
		m->pkt_len = size;
		m->port = p->port_id;
	}
	rxq->pkts += n;
	rxq->bytes += (uint64_t)n * size;
	return n;
}

static uint16_t
null_rx_copy(void *q, struct dp_mbuf **bufs, uint16_t n)
{
	struct null_queue *rxq = q;
	uint16_t i;

	n = null_rx(q, bufs, n);
	for (i = 0; i < n; i++)
		memcpy(dp_pktmbuf_mtod(bufs[i], void *), rxq->port->dummy,
			rxq->port->size);
	return n;
}

static uint16_t
null_rx_none(void *q, struct dp_mbuf **bufs, uint16_t n)
{
	(void)q;
	(void)bufs;
	(void)n;
	return 0;
}

static uint16_t
null_tx(void *q, struct dp_mbuf **bufs, uint16_t n)
{
	struct null_queue *txq = q;
	uint64_t bytes = 0;
	uint16_t i;

	for (i = 0; i < n; i++)
		bytes += bufs[i]->pkt_len;
	dp_pktmbuf_free_bulk(bufs, n);
	txq->pkts += n;
	txq->bytes += bytes;
	return n;
}

static uint16_t
null_tx_copy(void *q, struct dp_mbuf **bufs, uint16_t n)
{
	struct null_queue *txq = q;
	uint32_t size = txq->port->size;
	uint16_t i;

	for (i = 0; i < n; i++)
		memcpy(txq->port->dummy, dp_pktmbuf_mtod(bufs[i], void *),
			DP_MIN(size, (uint32_t)bufs[i]->data_len));
	return null_tx(q, bufs, n);
}

/* ---- control ---------------------------------------------------------------- */

static int
null_close(struct dp_eth_dev *dev)
{
	struct null_port *p = dev->data->dev_private;

	dp_free(p->dummy);
	p->dummy = NULL;
	return 0;
}

static int
null_info(struct dp_eth_dev *dev, struct dp_eth_dev_info *info)
{
	(void)dev;
	info->max_rx_queues = DP_MAX_QUEUES_PER_PORT;
	info->max_tx_queues = DP_MAX_QUEUES_PER_PORT;
	info->max_mac_addrs = 1;
	info->max_rx_pktlen = UINT32_MAX;
	info->min_rx_bufsize = 0;
	info->max_mtu = UINT16_MAX;
	info->tx_offload_capa = DP_ETH_TX_OFFLOAD_MULTI_SEGS |
		DP_ETH_TX_OFFLOAD_MBUF_FAST_FREE;
	info->tx_queue_offload_capa = info->tx_offload_capa;
	info->rx_offload_capa = DP_ETH_RX_OFFLOAD_SCATTER;
	info->default_rxportconf.burst_size = 32;
	info->default_txportconf.burst_size = 32;
	info->default_rxportconf.ring_size = 512;
	info->default_txportconf.ring_size = 512;
	return 0;
}

static int
null_rx_setup(struct dp_eth_dev *dev, uint16_t qid, uint16_t nb_desc,
	int socket, const struct dp_eth_rxconf *conf, struct dp_mempool *mp)
{
	struct null_port *p = dev->data->dev_private;
	struct null_queue *q = &p->rxq[qid];
	uint32_t room = dp_pktmbuf_data_room_size(mp) - DP_PKTMBUF_HEADROOM;

	(void)nb_desc;
	(void)socket;
	(void)conf;
	if (p->size > room) {
		DP_LOG(ERR, net_null, "%s: size=%u does not fit the %u-byte data "
			"room of pool '%s'", dev->data->name, p->size, room,
			dp_mempool_name(mp));
		return -EINVAL;
	}
	memset(q, 0, sizeof(*q));
	q->port = p;
	q->data = dev->data;
	q->mp = mp;
	dev->data->rx_queues[qid] = q;
	return 0;
}

static int
null_tx_setup(struct dp_eth_dev *dev, uint16_t qid, uint16_t nb_desc,
	int socket, const struct dp_eth_txconf *conf)
{
	struct null_port *p = dev->data->dev_private;
	struct null_queue *q = &p->txq[qid];

	(void)nb_desc;
	(void)socket;
	(void)conf;
	memset(q, 0, sizeof(*q));
	q->port = p;
	dev->data->tx_queues[qid] = q;
	return 0;
}

static int
null_stats_get(struct dp_eth_dev *dev, struct dp_eth_stats *st)
{
	struct null_port *p = dev->data->dev_private;
	uint16_t q;

	for (q = 0; q < dev->data->nb_rx_queues; q++)
		pmd_stats_add_rxq(st, q, p->rxq[q].pkts, p->rxq[q].bytes, 0);
	for (q = 0; q < dev->data->nb_tx_queues; q++)
		pmd_stats_add_txq(st, q, p->txq[q].pkts, p->txq[q].bytes, 0);
	return 0;
}

static int
null_stats_reset(struct dp_eth_dev *dev)
{
	struct null_port *p = dev->data->dev_private;
	uint16_t q;

	for (q = 0; q < DP_MAX_QUEUES_PER_PORT; q++) {
		p->rxq[q].pkts = p->rxq[q].bytes = 0;
		p->txq[q].pkts = p->txq[q].bytes = 0;
	}
	return 0;
}

static const struct dp_eth_dev_ops null_ops = {
	.dev_configure = dp_eth_dev_op_nothing,
	.dev_start = dp_eth_dev_op_link_up,
	.dev_stop = dp_eth_dev_op_link_down,
	.dev_close = null_close,
	.dev_infos_get = null_info,
	.promiscuous_enable = dp_eth_dev_op_nothing,
	.promiscuous_disable = dp_eth_dev_op_nothing,
	.allmulticast_enable = dp_eth_dev_op_nothing,
	.allmulticast_disable = dp_eth_dev_op_nothing,
	.stats_get = null_stats_get,
	.stats_reset = null_stats_reset,
	.mac_addr_set = dp_eth_dev_op_mac_set_nothing,
	.mtu_set = dp_eth_dev_op_mtu_set_nothing,
	.rx_queue_setup = null_rx_setup,
	.tx_queue_setup = null_tx_setup,
	.rx_queue_release = dp_eth_dev_op_release_nothing,
	.tx_queue_release = dp_eth_dev_op_release_nothing,
};

/* ---- probe / remove ------------------------------------------------------------- */

static int
null_probe(struct dp_vdev_device *vdev)
{
	struct dp_kvargs *kv;
	struct dp_eth_dev *dev;
	struct null_port *p;
	uint64_t size = NULL_DEFAULT_SIZE;
	bool copy = false, no_rx = false;
	int rc;

	kv = dp_kvargs_parse(vdev->args, null_keys, vdev->name);
	if (kv == NULL)
		return -dp_errno;
	rc = dp_kvargs_get_u64(kv, "size", 1, NULL_MAX_SIZE, &size);
	if (rc == 0)
		rc = dp_kvargs_get_bool(kv, "copy", &copy);
	if (rc == 0)
		rc = dp_kvargs_get_bool(kv, "no-rx", &no_rx);
	dp_kvargs_free(kv);
	if (rc < 0)
		return rc;

	dev = dp_eth_dev_allocate(vdev->name);
	if (dev == NULL)
		return -dp_errno;
	dev->driver_name = "net_null";
	dev->device = vdev;
	dev->dev_ops = &null_ops;
	p = dp_eth_dev_alloc_private(dev, sizeof(*p));
	if (p == NULL) {
		dp_eth_dev_release_port(dev);
		return -ENOMEM;
	}
	p->size = (uint32_t)size;
	p->copy = copy;
	p->no_rx = no_rx;
	p->port_id = dev->data->port_id;
	if (copy) {
		p->dummy = dp_zmalloc("null_dummy", p->size, 0);
		if (p->dummy == NULL) {
			dp_eth_dev_release_port(dev);
			return -ENOMEM;
		}
	}
	dev->rx_pkt_burst = no_rx ? null_rx_none : copy ? null_rx_copy : null_rx;
	dev->tx_pkt_burst = copy ? null_tx_copy : null_tx;
	/* A fixed, locally administered address: tests can predict it. */
	memcpy(dev->data->mac_addr.addr_bytes,
		(uint8_t[]){ 0x02, 0x00, 0x00, 0x00, 0x00, 0x00 }, 6);
	dev->data->mac_addr.addr_bytes[5] = (uint8_t)dev->data->port_id;
	vdev->priv = dev;
	dp_eth_dev_probing_finish(dev);
	DP_LOG(INFO, net_null, "%s: port %u, %u-byte packets%s%s", vdev->name,
		dev->data->port_id, p->size, copy ? ", copying" : "",
		no_rx ? ", no RX" : "");
	return 0;
}

static struct dp_vdev_driver null_driver = {
	.name = "net_null",
	.param_string = "size=<1-9000> copy=<0|1> no-rx=<0|1>",
	.probe = null_probe,
	.remove = dp_vdev_remove_eth_port,
};

DP_PMD_REGISTER_VDEV(net_null, null_driver);
