/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Statistics: the basic counters from the driver, and extended statistics
 * made of the basic ones under stable names followed by the driver's own.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ethdev_private.h"

/* Port-wide basic counters exposed as xstats, in this order. */
static const struct {
	const char *name;
	size_t offset;
} basic_xstats[] = {
	{ "rx_good_packets", offsetof(struct dp_eth_stats, ipackets) },
	{ "tx_good_packets", offsetof(struct dp_eth_stats, opackets) },
	{ "rx_good_bytes", offsetof(struct dp_eth_stats, ibytes) },
	{ "tx_good_bytes", offsetof(struct dp_eth_stats, obytes) },
	{ "rx_missed_errors", offsetof(struct dp_eth_stats, imissed) },
	{ "rx_errors", offsetof(struct dp_eth_stats, ierrors) },
	{ "tx_errors", offsetof(struct dp_eth_stats, oerrors) },
	{ "rx_mbuf_allocation_errors", offsetof(struct dp_eth_stats, rx_nombuf) },
};

/* Per-queue counters, "rx_q%u_<name>" / "tx_q%u_<name>". */
static const struct {
	const char *name;
	size_t offset;
} rxq_xstats[] = {
	{ "packets", offsetof(struct dp_eth_stats, q_ipackets) },
	{ "bytes", offsetof(struct dp_eth_stats, q_ibytes) },
	{ "errors", offsetof(struct dp_eth_stats, q_errors) },
}, txq_xstats[] = {
	{ "packets", offsetof(struct dp_eth_stats, q_opackets) },
	{ "bytes", offsetof(struct dp_eth_stats, q_obytes) },
};

int
dp_eth_stats_get(uint16_t port_id, struct dp_eth_stats *stats)
{
	struct dp_eth_dev *dev = eth_dev_checked(port_id, __func__);
	int rc;

	if (dev == NULL)
		return -ENODEV;
	if (stats == NULL)
		return -EINVAL;
	memset(stats, 0, sizeof(*stats));
	rc = dev->dev_ops->stats_get(dev, stats);
	stats->rx_nombuf = __atomic_load_n(&dev->data->rx_mbuf_alloc_failed,
		__ATOMIC_RELAXED);
	return rc;
}

int
dp_eth_stats_reset(uint16_t port_id)
{
	struct dp_eth_dev *dev = eth_dev_checked(port_id, __func__);
	int rc;

	if (dev == NULL)
		return -ENODEV;
	rc = dev->dev_ops->stats_reset(dev);
	__atomic_store_n(&dev->data->rx_mbuf_alloc_failed, 0, __ATOMIC_RELAXED);
	return rc;
}

static unsigned int
nb_rxq_stats(const struct dp_eth_dev *dev)
{
	return DP_MIN(dev->data->nb_rx_queues, DP_ETHDEV_QUEUE_STAT_CNTRS);
}

static unsigned int
nb_txq_stats(const struct dp_eth_dev *dev)
{
	return DP_MIN(dev->data->nb_tx_queues, DP_ETHDEV_QUEUE_STAT_CNTRS);
}

/* Number of generic xstats of a port. */
static unsigned int
nb_generic(const struct dp_eth_dev *dev)
{
	return DP_DIM(basic_xstats) + nb_rxq_stats(dev) * DP_DIM(rxq_xstats) +
		nb_txq_stats(dev) * DP_DIM(txq_xstats);
}

static int
nb_driver(struct dp_eth_dev *dev)
{
	int n;

	if (dev->dev_ops->xstats_get_names == NULL)
		return 0;
	n = dev->dev_ops->xstats_get_names(dev, NULL, 0);
	return n < 0 ? 0 : n;
}

int
dp_eth_xstats_get_names(uint16_t port_id, struct dp_eth_xstat_name *names,
	unsigned int size)
{
	struct dp_eth_dev *dev = eth_dev_checked(port_id, __func__);
	unsigned int i, q, k = 0, total;
	int nd;

	if (dev == NULL)
		return -ENODEV;
	nd = nb_driver(dev);
	total = nb_generic(dev) + (unsigned int)nd;
	if (names == NULL || size < total)
		return (int)total;
	for (i = 0; i < DP_DIM(basic_xstats); i++)
		snprintf(names[k++].name, DP_ETH_XSTATS_NAME_SIZE, "%s",
			basic_xstats[i].name);
	for (q = 0; q < nb_rxq_stats(dev); q++)
		for (i = 0; i < DP_DIM(rxq_xstats); i++)
			snprintf(names[k++].name, DP_ETH_XSTATS_NAME_SIZE,
				"rx_q%u_%s", q, rxq_xstats[i].name);
	for (q = 0; q < nb_txq_stats(dev); q++)
		for (i = 0; i < DP_DIM(txq_xstats); i++)
			snprintf(names[k++].name, DP_ETH_XSTATS_NAME_SIZE,
				"tx_q%u_%s", q, txq_xstats[i].name);
	if (nd > 0)
		dev->dev_ops->xstats_get_names(dev, names + k, (unsigned int)nd);
	return (int)total;
}

int
dp_eth_xstats_get(uint16_t port_id, struct dp_eth_xstat *xstats, unsigned int n)
{
	struct dp_eth_dev *dev = eth_dev_checked(port_id, __func__);
	struct dp_eth_stats st;
	unsigned int i, q, k = 0, total;
	const uint8_t *base = (const uint8_t *)&st;
	uint64_t v;
	int nd, rc;

	if (dev == NULL)
		return -ENODEV;
	nd = nb_driver(dev);
	total = nb_generic(dev) + (unsigned int)nd;
	if (xstats == NULL || n < total)
		return (int)total;
	rc = dp_eth_stats_get(port_id, &st);
	if (rc < 0)
		return rc;
	for (i = 0; i < DP_DIM(basic_xstats); i++) {
		memcpy(&v, base + basic_xstats[i].offset, sizeof(v));
		xstats[k].id = k;
		xstats[k++].value = v;
	}
	for (q = 0; q < nb_rxq_stats(dev); q++)
		for (i = 0; i < DP_DIM(rxq_xstats); i++) {
			memcpy(&v, base + rxq_xstats[i].offset + q * sizeof(v),
				sizeof(v));
			xstats[k].id = k;
			xstats[k++].value = v;
		}
	for (q = 0; q < nb_txq_stats(dev); q++)
		for (i = 0; i < DP_DIM(txq_xstats); i++) {
			memcpy(&v, base + txq_xstats[i].offset + q * sizeof(v),
				sizeof(v));
			xstats[k].id = k;
			xstats[k++].value = v;
		}
	if (nd > 0) {
		dev->dev_ops->xstats_get(dev, xstats + k, (unsigned int)nd);
		/* Driver ids count from 0: move them after the generic ones. */
		for (; k < total; k++)
			xstats[k].id = k;
	}
	return (int)total;
}

int
dp_eth_xstats_get_by_name(uint16_t port_id, const char *name, uint64_t *value)
{
	struct dp_eth_xstat_name *names = NULL;
	struct dp_eth_xstat *vals = NULL;
	int n, i, rc = -ENOENT;

	if (name == NULL || value == NULL)
		return -EINVAL;
	n = dp_eth_xstats_get_names(port_id, NULL, 0);
	if (n < 0)
		return n;
	names = calloc((size_t)n, sizeof(*names));
	vals = calloc((size_t)n, sizeof(*vals));
	if (names == NULL || vals == NULL) {
		rc = -ENOMEM;
		goto out;
	}
	if (dp_eth_xstats_get_names(port_id, names, (unsigned int)n) != n ||
	    dp_eth_xstats_get(port_id, vals, (unsigned int)n) != n) {
		rc = -EAGAIN;	/* queue count changed in between */
		goto out;
	}
	for (i = 0; i < n; i++)
		if (strcmp(names[i].name, name) == 0) {
			*value = vals[i].value;
			rc = 0;
			break;
		}
out:
	free(names);
	free(vals);
	return rc;
}

int
dp_eth_xstats_reset(uint16_t port_id)
{
	struct dp_eth_dev *dev = eth_dev_checked(port_id, __func__);

	if (dev == NULL)
		return -ENODEV;
	if (dev->dev_ops->xstats_reset)
		dev->dev_ops->xstats_reset(dev);
	return dp_eth_stats_reset(port_id);
}
