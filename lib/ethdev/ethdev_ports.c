/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The port table: allocation and release of ports by drivers, lookup and
 * enumeration for applications, and the fast-path table that
 * dp_eth_rx_burst()/dp_eth_tx_burst() index.
 */

#include <stdlib.h>
#include <string.h>

#include <dp_malloc.h>

#include "ethdev_private.h"

DP_LOG_REGISTER(ethdev, "ethdev", INFO);

struct dp_eth_dev eth_devs[DP_MAX_ETHPORTS];
static struct dp_eth_dev_data eth_data[DP_MAX_ETHPORTS];
pthread_mutex_t eth_lock = PTHREAD_MUTEX_INITIALIZER;

/* ---- fast-path table ------------------------------------------------- */

/* What a port that is not started answers: nothing, and no crash. */
static uint16_t
idle_rx_burst(void *rxq, struct dp_mbuf **pkts, uint16_t n)
{
	(void)rxq;
	(void)pkts;
	(void)n;
	return 0;
}

static uint16_t
idle_tx_burst(void *txq, struct dp_mbuf **pkts, uint16_t n)
{
	(void)txq;
	(void)pkts;
	(void)n;
	return 0;
}

/* Queue array of idle ports: any queue id reads a NULL, never garbage. */
static void *idle_queues[DP_MAX_QUEUES_PER_PORT];

struct dp_eth_fp_ops dp_eth_fp_ops[DP_MAX_ETHPORTS] = {
	[0 ... DP_MAX_ETHPORTS - 1] = {
		.rx_pkt_burst = idle_rx_burst,
		.rxq = idle_queues,
		.tx_pkt_burst = idle_tx_burst,
		.txq = idle_queues,
	},
};

void
eth_fp_install(struct dp_eth_dev *dev)
{
	struct dp_eth_fp_ops *fp = &dp_eth_fp_ops[dev->data->port_id];

	fp->rxq = dev->data->rx_queues ? dev->data->rx_queues : idle_queues;
	fp->txq = dev->data->tx_queues ? dev->data->tx_queues : idle_queues;
	eth_callbacks_fp_update(dev);
	/* Queues before functions: a burst that sees the new function must
	 * also see the queue array it works on. */
	__atomic_store_n(&fp->rx_pkt_burst, dev->rx_pkt_burst, __ATOMIC_RELEASE);
	__atomic_store_n(&fp->tx_pkt_burst, dev->tx_pkt_burst, __ATOMIC_RELEASE);
}

void
eth_fp_reset(uint16_t port_id)
{
	struct dp_eth_fp_ops *fp = &dp_eth_fp_ops[port_id];

	__atomic_store_n(&fp->rx_pkt_burst, idle_rx_burst, __ATOMIC_RELEASE);
	__atomic_store_n(&fp->tx_pkt_burst, idle_tx_burst, __ATOMIC_RELEASE);
	fp->rxq = idle_queues;
	fp->txq = idle_queues;
	fp->rx_cbs = NULL;
	fp->tx_cbs = NULL;
}

/* ---- allocation -------------------------------------------------------- */

static struct dp_eth_dev *
find_by_name_locked(const char *name)
{
	unsigned int i;

	for (i = 0; i < DP_MAX_ETHPORTS; i++)
		if (eth_devs[i].state == DP_ETH_DEV_ATTACHED &&
		    strcmp(eth_devs[i].data->name, name) == 0)
			return &eth_devs[i];
	return NULL;
}

struct dp_eth_dev *
dp_eth_dev_allocate(const char *name)
{
	struct dp_eth_dev *dev = NULL;
	unsigned int i;

	if (name == NULL || *name == '\0' || strlen(name) >= DP_ETH_NAME_MAX_LEN) {
		DP_LOG(ERR, ethdev, "cannot allocate a port: name missing or "
			"longer than %d characters", DP_ETH_NAME_MAX_LEN - 1);
		dp_errno = EINVAL;
		return NULL;
	}
	pthread_mutex_lock(&eth_lock);
	if (find_by_name_locked(name) != NULL) {
		pthread_mutex_unlock(&eth_lock);
		DP_LOG(ERR, ethdev, "cannot allocate a port for %s: a port "
			"with that name exists", name);
		dp_errno = EEXIST;
		return NULL;
	}
	for (i = 0; i < DP_MAX_ETHPORTS; i++) {
		if (eth_devs[i].state == DP_ETH_DEV_UNUSED) {
			dev = &eth_devs[i];
			break;
		}
	}
	if (dev == NULL) {
		pthread_mutex_unlock(&eth_lock);
		DP_LOG(ERR, ethdev, "cannot allocate a port for %s: all %d "
			"ports are in use", name, DP_MAX_ETHPORTS);
		dp_errno = ENOSPC;
		return NULL;
	}
	memset(dev, 0, sizeof(*dev));
	memset(&eth_data[i], 0, sizeof(eth_data[i]));
	dev->data = &eth_data[i];
	strcpy(dev->data->name, name);
	dev->data->port_id = (uint16_t)i;
	dev->data->mtu = DP_ETHER_MTU;
	dev->data->numa_node = DP_SOCKET_ID_ANY;
	dev->state = DP_ETH_DEV_ATTACHED;
	eth_fp_reset((uint16_t)i);
	pthread_mutex_unlock(&eth_lock);
	return dev;
}

void *
dp_eth_dev_alloc_private(struct dp_eth_dev *dev, size_t size)
{
	void *p;

	if (dev == NULL || size == 0) {
		dp_errno = EINVAL;
		return NULL;
	}
	p = dp_zmalloc_socket("ethdev_private", size, 0, dev->data->numa_node);
	if (p == NULL && dev->data->numa_node != DP_SOCKET_ID_ANY)
		p = dp_zmalloc("ethdev_private", size, 0);
	if (p == NULL) {
		ETH_LOG(ERR, dev, "no memory for %zu bytes of driver data", size);
		dp_errno = ENOMEM;
		return NULL;
	}
	dev->data->dev_private = p;
	return p;
}

void
dp_eth_dev_probing_finish(struct dp_eth_dev *dev)
{
	if (dev == NULL)
		return;
	dp_eth_dev_callback_process(dev, DP_ETH_EVENT_NEW);
}

int
dp_eth_dev_release_port(struct dp_eth_dev *dev)
{
	uint16_t port_id;

	if (dev == NULL || dev->data == NULL || dev->state != DP_ETH_DEV_ATTACHED)
		return -EINVAL;
	port_id = dev->data->port_id;
	eth_fp_reset(port_id);
	eth_callbacks_free(port_id);
	eth_event_callbacks_free_port(port_id);
	dp_free(dev->data->dev_private);
	free(dev->data->rx_queues);
	free(dev->data->tx_queues);
	pthread_mutex_lock(&eth_lock);
	memset(dev->data, 0, sizeof(*dev->data));
	dev->state = DP_ETH_DEV_UNUSED;
	dev->dev_ops = NULL;
	dev->device = NULL;
	pthread_mutex_unlock(&eth_lock);
	return 0;
}

struct dp_eth_dev *
dp_eth_dev_allocated(const char *name)
{
	struct dp_eth_dev *dev;

	if (name == NULL)
		return NULL;
	pthread_mutex_lock(&eth_lock);
	dev = find_by_name_locked(name);
	pthread_mutex_unlock(&eth_lock);
	return dev;
}

struct dp_eth_dev *
dp_eth_dev_get(uint16_t port_id)
{
	if (port_id >= DP_MAX_ETHPORTS ||
	    eth_devs[port_id].state != DP_ETH_DEV_ATTACHED)
		return NULL;
	return &eth_devs[port_id];
}

struct dp_eth_dev *
eth_dev_checked(uint16_t port_id, const char *fn)
{
	struct dp_eth_dev *dev = dp_eth_dev_get(port_id);

	if (dev == NULL)
		DP_LOG(ERR, ethdev, "%s: port %u does not exist (%u ports: "
			"see dp_eth_dev_count_avail())", fn, port_id,
			dp_eth_dev_count_avail());
	return dev;
}

/* ---- enumeration --------------------------------------------------------- */

uint16_t
dp_eth_dev_count_avail(void)
{
	uint16_t n = 0, p;

	DP_ETH_FOREACH_DEV(p)
		n++;
	return n;
}

uint16_t
dp_eth_dev_count_total(void)
{
	uint16_t p, last = 0;

	DP_ETH_FOREACH_DEV(p)
		last = (uint16_t)(p + 1);
	return last;
}

uint16_t
dp_eth_find_next(uint16_t port_id)
{
	while (port_id < DP_MAX_ETHPORTS &&
	       eth_devs[port_id].state != DP_ETH_DEV_ATTACHED)
		port_id++;
	return port_id < DP_MAX_ETHPORTS ? port_id : DP_MAX_ETHPORTS;
}

bool
dp_eth_dev_is_valid_port(uint16_t port_id)
{
	return dp_eth_dev_get(port_id) != NULL;
}

int
dp_eth_dev_get_port_by_name(const char *name, uint16_t *port_id)
{
	struct dp_eth_dev *dev;

	if (name == NULL || port_id == NULL)
		return -EINVAL;
	dev = dp_eth_dev_allocated(name);
	if (dev == NULL)
		return -ENODEV;
	*port_id = dev->data->port_id;
	return 0;
}

int
dp_eth_dev_get_name_by_port(uint16_t port_id, char *name)
{
	struct dp_eth_dev *dev = dp_eth_dev_get(port_id);

	if (dev == NULL)
		return -ENODEV;
	if (name == NULL)
		return -EINVAL;
	strcpy(name, dev->data->name);
	return 0;
}

int
dp_eth_dev_socket_id(uint16_t port_id)
{
	struct dp_eth_dev *dev = dp_eth_dev_get(port_id);

	if (dev == NULL)
		return -EINVAL;
	return dev->data->numa_node;
}

void
dp_eth_dev_close_all(void)
{
	uint16_t p;

	DP_ETH_FOREACH_DEV(p)
		dp_eth_dev_close(p);
}
