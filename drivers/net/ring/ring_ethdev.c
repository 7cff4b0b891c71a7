/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_ring: ports whose queues are dp_rings. Sending on a queue enqueues
 * the mbuf pointers on its TX ring; receiving dequeues from its RX ring.
 * No copy: the cost is the port API plus the ring, and one read of each
 * mbuf's pkt_len for the byte counters.
 *
 * From the command line:
 *   --vdev=net_ring0[,queues=N]      each queue's TX ring is its RX ring:
 *                                    what the port sends, it receives
 *   --vdev=net_ring1,peer=net_ring0  a pair: ring1 sends to ring0 and
 *                                    ring0 to ring1 (ring0 must exist)
 *   ...,stats_bytes=0                count packets only, never touch an
 *                                    mbuf (what DPDK 22.11's net_ring does)
 * From code: dp_eth_from_rings() wraps rings the application owns.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dp_bus_vdev.h>
#include <dp_eth_ring.h>
#include <dp_ethdev_driver.h>
#include <dp_kvargs.h>
#include <dp_log.h>
#include <dp_mbuf.h>
#include <dp_ring.h>

#include "pmd_stats_private.h"

DP_LOG_REGISTER(net_ring, "pmd.net.ring", INFO);

#define RING_PMD_DEFAULT_SIZE 1024
#define RING_PMD_MAX_QUEUES 16

struct ring_queue {
	struct dp_ring *ring;
	uint64_t pkts;
	uint64_t bytes;
} __dp_cache_aligned;

struct ring_port {
	uint16_t nb_rx, nb_tx;
	struct ring_queue rxq[RING_PMD_MAX_QUEUES];
	struct ring_queue txq[RING_PMD_MAX_QUEUES];
	/* Rings this driver created (freed, drained, at close). */
	struct dp_ring *owned[2 * RING_PMD_MAX_QUEUES];
	unsigned int nb_owned;
	char peer[64];		/* name of the peer port, "" if none */
};

static const char *const ring_keys[] = { "queues", "size", "peer",
	"stats_bytes", NULL };

/* ---- data path ------------------------------------------------------------- */

static uint64_t
sum_pkt_len(struct dp_mbuf *const *bufs, uint16_t from, uint16_t to)
{
	uint64_t bytes = 0;
	uint16_t i;

	for (i = from; i < to; i++)
		bytes += bufs[i]->pkt_len;
	return bytes;
}

static uint16_t
ring_rx(void *q, struct dp_mbuf **bufs, uint16_t n)
{
	struct ring_queue *rq = q;
	uint16_t nb = (uint16_t)dp_ring_dequeue_burst(rq->ring, (void **)bufs,
		n, NULL);

	rq->pkts += nb;
	return nb;
}

static uint16_t
ring_tx(void *q, struct dp_mbuf **bufs, uint16_t n)
{
	struct ring_queue *tq = q;
	uint16_t nb = (uint16_t)dp_ring_enqueue_burst(tq->ring,
		(void *const *)bufs, n, NULL);

	tq->pkts += nb;
	return nb;
}

static uint16_t
ring_rx_bytes(void *q, struct dp_mbuf **bufs, uint16_t n)
{
	struct ring_queue *rq = q;
	uint16_t nb = ring_rx(q, bufs, n);

	rq->bytes += sum_pkt_len(bufs, 0, nb);
	return nb;
}

static uint16_t
ring_tx_bytes(void *q, struct dp_mbuf **bufs, uint16_t n)
{
	struct ring_queue *tq = q;
	/* Counted before the enqueue: once on the ring, an mbuf may already
	 * be taken and freed by the consumer. What did not fit is still
	 * the caller's, so it can be read afterwards. */
	uint64_t bytes = sum_pkt_len(bufs, 0, n);
	uint16_t nb = ring_tx(q, bufs, n);

	if (unlikely(nb < n))
		bytes -= sum_pkt_len(bufs, nb, n);
	tq->bytes += bytes;
	return nb;
}

/* ---- control ------------------------------------------------------------------ */

/* Free the mbufs still in a ring, then the ring. */
static void
drain_and_free(struct dp_ring *r)
{
	struct dp_mbuf *m[32];
	unsigned int n;

	while ((n = dp_ring_dequeue_burst(r, (void **)m, DP_DIM(m), NULL)) > 0)
		dp_pktmbuf_free_bulk(m, n);
	dp_ring_free(r);
}

static int
ring_close(struct dp_eth_dev *dev)
{
	struct ring_port *p = dev->data->dev_private;
	struct dp_eth_dev *peer;
	unsigned int i;

	/* A paired peer sends into our RX rings: loop it back to its own
	 * before those rings go. */
	peer = p->peer[0] ? dp_eth_dev_allocated(p->peer) : NULL;
	if (peer != NULL) {
		struct ring_port *pp = peer->data->dev_private;

		for (i = 0; i < pp->nb_tx; i++)
			pp->txq[i].ring = pp->rxq[i].ring;
		pp->peer[0] = '\0';
	}
	for (i = 0; i < p->nb_owned; i++)
		drain_and_free(p->owned[i]);
	p->nb_owned = 0;
	return 0;
}

static int
ring_info(struct dp_eth_dev *dev, struct dp_eth_dev_info *info)
{
	struct ring_port *p = dev->data->dev_private;

	info->max_rx_queues = p->nb_rx;
	info->max_tx_queues = p->nb_tx;
	info->max_mac_addrs = 1;
	info->max_rx_pktlen = UINT32_MAX;
	info->max_mtu = UINT16_MAX;
	info->tx_offload_capa = DP_ETH_TX_OFFLOAD_MULTI_SEGS;
	info->rx_offload_capa = DP_ETH_RX_OFFLOAD_SCATTER;
	info->default_rxportconf.nb_queues = p->nb_rx;
	info->default_txportconf.nb_queues = p->nb_tx;
	info->default_rxportconf.burst_size = 32;
	info->default_txportconf.burst_size = 32;
	return 0;
}

static int
ring_rx_setup(struct dp_eth_dev *dev, uint16_t qid, uint16_t nb_desc,
	int socket, const struct dp_eth_rxconf *conf, struct dp_mempool *mp)
{
	struct ring_port *p = dev->data->dev_private;

	(void)nb_desc;
	(void)socket;
	(void)conf;
	(void)mp;
	dev->data->rx_queues[qid] = &p->rxq[qid];
	return 0;
}

static int
ring_tx_setup(struct dp_eth_dev *dev, uint16_t qid, uint16_t nb_desc,
	int socket, const struct dp_eth_txconf *conf)
{
	struct ring_port *p = dev->data->dev_private;

	(void)nb_desc;
	(void)socket;
	(void)conf;
	dev->data->tx_queues[qid] = &p->txq[qid];
	return 0;
}

static int
ring_stats_get(struct dp_eth_dev *dev, struct dp_eth_stats *st)
{
	struct ring_port *p = dev->data->dev_private;
	uint16_t q;

	for (q = 0; q < p->nb_rx; q++)
		pmd_stats_add_rxq(st, q, p->rxq[q].pkts, p->rxq[q].bytes, 0);
	for (q = 0; q < p->nb_tx; q++)
		pmd_stats_add_txq(st, q, p->txq[q].pkts, p->txq[q].bytes, 0);
	return 0;
}

static int
ring_stats_reset(struct dp_eth_dev *dev)
{
	struct ring_port *p = dev->data->dev_private;
	uint16_t q;

	for (q = 0; q < RING_PMD_MAX_QUEUES; q++) {
		p->rxq[q].pkts = p->txq[q].pkts = 0;
		p->rxq[q].bytes = p->txq[q].bytes = 0;
	}
	return 0;
}

static const struct dp_eth_dev_ops ring_ops = {
	.dev_configure = dp_eth_dev_op_nothing,
	.dev_start = dp_eth_dev_op_link_up,
	.dev_stop = dp_eth_dev_op_link_down,
	.dev_close = ring_close,
	.dev_infos_get = ring_info,
	.promiscuous_enable = dp_eth_dev_op_nothing,
	.promiscuous_disable = dp_eth_dev_op_nothing,
	.allmulticast_enable = dp_eth_dev_op_nothing,
	.allmulticast_disable = dp_eth_dev_op_nothing,
	.stats_get = ring_stats_get,
	.stats_reset = ring_stats_reset,
	.mac_addr_set = dp_eth_dev_op_mac_set_nothing,
	.mtu_set = dp_eth_dev_op_mtu_set_nothing,
	.rx_queue_setup = ring_rx_setup,
	.tx_queue_setup = ring_tx_setup,
	.rx_queue_release = dp_eth_dev_op_release_nothing,
	.tx_queue_release = dp_eth_dev_op_release_nothing,
};

/* ---- creation ------------------------------------------------------------------ */

static struct dp_eth_dev *
ring_port_create(const char *name, struct dp_ring *const rx[], unsigned int nb_rx,
	struct dp_ring *const tx[], unsigned int nb_tx, int socket, void *device,
	bool stats_bytes)
{
	struct dp_eth_dev *dev;
	struct ring_port *p;
	unsigned int q;

	if (nb_rx == 0 || nb_tx == 0 || nb_rx > RING_PMD_MAX_QUEUES ||
	    nb_tx > RING_PMD_MAX_QUEUES) {
		DP_LOG(ERR, net_ring, "%s: 1 to %d RX and TX rings needed "
			"(%u and %u given)", name, RING_PMD_MAX_QUEUES, nb_rx,
			nb_tx);
		dp_errno = EINVAL;
		return NULL;
	}
	for (q = 0; q < nb_rx; q++)
		if (rx[q] == NULL)
			goto null_ring;
	for (q = 0; q < nb_tx; q++)
		if (tx[q] == NULL)
			goto null_ring;

	dev = dp_eth_dev_allocate(name);
	if (dev == NULL)
		return NULL;
	dev->data->numa_node = socket;
	p = dp_eth_dev_alloc_private(dev, sizeof(*p));
	if (p == NULL) {
		dp_eth_dev_release_port(dev);
		return NULL;
	}
	p->nb_rx = (uint16_t)nb_rx;
	p->nb_tx = (uint16_t)nb_tx;
	for (q = 0; q < nb_rx; q++)
		p->rxq[q].ring = rx[q];
	for (q = 0; q < nb_tx; q++)
		p->txq[q].ring = tx[q];
	dev->driver_name = "net_ring";
	dev->device = device;
	dev->dev_ops = &ring_ops;
	dev->rx_pkt_burst = stats_bytes ? ring_rx_bytes : ring_rx;
	dev->tx_pkt_burst = stats_bytes ? ring_tx_bytes : ring_tx;
	memcpy(dev->data->mac_addr.addr_bytes,
		(uint8_t[]){ 0x02, 0x00, 0x00, 0x00, 0x01, 0x00 }, 6);
	dev->data->mac_addr.addr_bytes[5] = (uint8_t)dev->data->port_id;
	return dev;

null_ring:
	DP_LOG(ERR, net_ring, "%s: a NULL ring was given", name);
	dp_errno = EINVAL;
	return NULL;
}

int
dp_eth_from_rings(const char *name, struct dp_ring *const rx_queues[],
	unsigned int nb_rx_queues, struct dp_ring *const tx_queues[],
	unsigned int nb_tx_queues, int socket_id)
{
	struct dp_eth_dev *dev;

	if (name == NULL || rx_queues == NULL || tx_queues == NULL) {
		dp_errno = EINVAL;
		return -EINVAL;
	}
	dev = ring_port_create(name, rx_queues, nb_rx_queues, tx_queues,
		nb_tx_queues, socket_id, NULL, true);
	if (dev == NULL)
		return -dp_errno;
	dp_eth_dev_probing_finish(dev);
	return dev->data->port_id;
}

int
dp_eth_from_ring(struct dp_ring *r)
{
	const char *name = r ? dp_ring_get_name(r) : NULL;

	return dp_eth_from_rings(name, &r, 1, &r, 1, DP_SOCKET_ID_ANY);
}

static int
ring_probe(struct dp_vdev_device *vdev)
{
	struct dp_ring *rx[RING_PMD_MAX_QUEUES], *tx[RING_PMD_MAX_QUEUES];
	struct ring_port *p, *peer_priv = NULL;
	struct dp_eth_dev *dev, *peer = NULL;
	uint64_t queues = 1, size = RING_PMD_DEFAULT_SIZE;
	bool stats_bytes = true;
	const char *peer_name;
	char rname[80];
	struct dp_kvargs *kv;
	unsigned int q, made = 0;
	int rc;

	kv = dp_kvargs_parse(vdev->args, ring_keys, vdev->name);
	if (kv == NULL)
		return -dp_errno;
	rc = dp_kvargs_get_u64(kv, "queues", 1, RING_PMD_MAX_QUEUES, &queues);
	if (rc == 0)
		rc = dp_kvargs_get_u64(kv, "size", 2, 1u << 20, &size);
	if (rc == 0)
		rc = dp_kvargs_get_bool(kv, "stats_bytes", &stats_bytes);
	peer_name = dp_kvargs_get(kv, "peer");
	if (rc == 0 && peer_name != NULL) {
		peer = dp_eth_dev_allocated(peer_name);
		peer_priv = peer ? peer->data->dev_private : NULL;
		if (peer == NULL || strcmp(peer->driver_name, "net_ring") != 0) {
			DP_LOG(ERR, net_ring, "%s: peer=%s is not an existing "
				"net_ring port (create it first)", vdev->name,
				peer_name);
			rc = -EINVAL;
		} else if (peer_priv->peer[0] != '\0' ||
			   peer_priv->nb_owned == 0 || peer_priv->nb_tx != queues) {
			DP_LOG(ERR, net_ring, "%s: peer=%s must be an unpaired "
				"--vdev net_ring port with queues=%u", vdev->name,
				peer_name, (unsigned int)queues);
			rc = -EINVAL;
		}
	}
	if (rc < 0) {
		dp_kvargs_free(kv);
		return rc;
	}

	/* Our RX rings; alone we send to them, paired the peer does. */
	for (q = 0; q < queues; q++) {
		snprintf(rname, sizeof(rname), "%s_q%u", vdev->name, q);
		rx[q] = dp_ring_create(rname, (unsigned int)size, DP_SOCKET_ID_ANY,
			DP_RING_F_SP_ENQ | DP_RING_F_SC_DEQ);
		if (rx[q] == NULL)
			goto fail;
		made++;
		tx[q] = peer ? peer_priv->rxq[q].ring : rx[q];
	}
	dev = ring_port_create(vdev->name, rx, (unsigned int)queues, tx,
		(unsigned int)queues, DP_SOCKET_ID_ANY, vdev, stats_bytes);
	if (dev == NULL)
		goto fail;
	p = dev->data->dev_private;
	for (q = 0; q < queues; q++)
		p->owned[p->nb_owned++] = rx[q];
	if (peer != NULL) {
		snprintf(p->peer, sizeof(p->peer), "%s", peer->data->name);
		snprintf(peer_priv->peer, sizeof(peer_priv->peer), "%s",
			vdev->name);
		for (q = 0; q < queues; q++)
			peer_priv->txq[q].ring = rx[q];
	}
	vdev->priv = dev;
	dp_eth_dev_probing_finish(dev);
	DP_LOG(INFO, net_ring, "%s: port %u, %u queue(s) of %u entries, %s%s",
		vdev->name, dev->data->port_id, (unsigned int)queues,
		(unsigned int)size, peer ? "paired with " : "looped back",
		peer ? peer->data->name : "");
	dp_kvargs_free(kv);
	return 0;

fail:
	rc = dp_errno ? -dp_errno : -ENOMEM;
	for (q = 0; q < made; q++)
		dp_ring_free(rx[q]);
	dp_kvargs_free(kv);
	return rc;
}

static struct dp_vdev_driver ring_driver = {
	.name = "net_ring",
	.param_string = "queues=<1-16> size=<entries> peer=<net_ringN> "
		"stats_bytes=<0|1>",
	.probe = ring_probe,
	.remove = dp_vdev_remove_eth_port,
};

DP_PMD_REGISTER_VDEV(net_ring, ring_driver);
