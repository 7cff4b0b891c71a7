/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Things that call back into the application: port event callbacks (link
 * state, new, destroy), RX/TX burst callbacks, RX interrupts, and the TX
 * buffer's error callbacks.
 */

#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <dp_mbuf.h>

#include "ethdev_private.h"

/* ---- event callbacks -------------------------------------------------- */

struct event_cb {
	struct event_cb *next;
	uint16_t port_id;		/* DP_MAX_ETHPORTS: every port */
	enum dp_eth_event_type event;
	dp_eth_dev_cb_fn fn;
	void *arg;
};

static struct event_cb *event_cbs;

int
dp_eth_dev_callback_register(uint16_t port_id, enum dp_eth_event_type event,
	dp_eth_dev_cb_fn cb, void *cb_arg)
{
	struct event_cb *e;

	if (cb == NULL || event <= DP_ETH_EVENT_UNKNOWN ||
	    event >= DP_ETH_EVENT_MAX ||
	    (port_id != DP_MAX_ETHPORTS && !dp_eth_dev_is_valid_port(port_id)))
		return -EINVAL;
	e = calloc(1, sizeof(*e));
	if (e == NULL)
		return -ENOMEM;
	e->port_id = port_id;
	e->event = event;
	e->fn = cb;
	e->arg = cb_arg;
	pthread_mutex_lock(&eth_lock);
	e->next = event_cbs;
	event_cbs = e;
	pthread_mutex_unlock(&eth_lock);
	return 0;
}

int
dp_eth_dev_callback_unregister(uint16_t port_id, enum dp_eth_event_type event,
	dp_eth_dev_cb_fn cb, void *cb_arg)
{
	struct event_cb **pp, *e;

	pthread_mutex_lock(&eth_lock);
	for (pp = &event_cbs; (e = *pp) != NULL; pp = &e->next) {
		if (e->port_id == port_id && e->event == event && e->fn == cb &&
		    e->arg == cb_arg) {
			*pp = e->next;
			pthread_mutex_unlock(&eth_lock);
			free(e);
			return 0;
		}
	}
	pthread_mutex_unlock(&eth_lock);
	return -ENOENT;
}

void
dp_eth_dev_callback_process(struct dp_eth_dev *dev, enum dp_eth_event_type event)
{
	struct { dp_eth_dev_cb_fn fn; void *arg; } todo[32];
	uint16_t port_id = dev->data->port_id;
	unsigned int n = 0, i;
	struct event_cb *e;

	/* Collect under the lock, call without it: a callback may register
	 * or unregister callbacks, or close the port. */
	pthread_mutex_lock(&eth_lock);
	for (e = event_cbs; e != NULL && n < DP_DIM(todo); e = e->next)
		if (e->event == event &&
		    (e->port_id == port_id || e->port_id == DP_MAX_ETHPORTS)) {
			todo[n].fn = e->fn;
			todo[n].arg = e->arg;
			n++;
		}
	pthread_mutex_unlock(&eth_lock);
	for (i = 0; i < n; i++)
		todo[i].fn(port_id, event, todo[i].arg);
}

void
eth_event_callbacks_free_port(uint16_t port_id)
{
	struct event_cb **pp, *e;

	pthread_mutex_lock(&eth_lock);
	for (pp = &event_cbs; (e = *pp) != NULL;) {
		if (e->port_id == port_id) {
			*pp = e->next;
			free(e);
		} else {
			pp = &e->next;
		}
	}
	pthread_mutex_unlock(&eth_lock);
}

/* ---- RX/TX burst callbacks ------------------------------------------------ */

struct port_cbs {
	struct dp_eth_rxtx_callback *rx[DP_MAX_QUEUES_PER_PORT];
	struct dp_eth_rxtx_callback *tx[DP_MAX_QUEUES_PER_PORT];
	/* Removed callbacks, freed at close (a burst may still read them). */
	struct dp_eth_rxtx_callback *retired;
	bool any_rx, any_tx;
};

static struct port_cbs port_cbs[DP_MAX_ETHPORTS];

void
eth_callbacks_fp_update(struct dp_eth_dev *dev)
{
	uint16_t p = dev->data->port_id;
	struct dp_eth_fp_ops *fp = &dp_eth_fp_ops[p];

	if (!dev->data->dev_started)
		return;
	__atomic_store_n(&fp->rx_cbs, port_cbs[p].any_rx ? port_cbs[p].rx : NULL,
		__ATOMIC_RELEASE);
	__atomic_store_n(&fp->tx_cbs, port_cbs[p].any_tx ? port_cbs[p].tx : NULL,
		__ATOMIC_RELEASE);
}

static const struct dp_eth_rxtx_callback *
add_callback(uint16_t port_id, uint16_t queue_id, bool rx, void *fn,
	void *param)
{
	struct dp_eth_dev *dev = dp_eth_dev_get(port_id);
	struct dp_eth_rxtx_callback *cb, **pp;
	uint16_t nb;

	if (dev == NULL) {
		dp_errno = ENODEV;
		return NULL;
	}
	nb = rx ? dev->data->nb_rx_queues : dev->data->nb_tx_queues;
	if (fn == NULL || queue_id >= nb) {
		ETH_LOG(ERR, dev, "cannot add a %s callback to queue %u (%u "
			"queues configured)", rx ? "RX" : "TX", queue_id, nb);
		dp_errno = EINVAL;
		return NULL;
	}
	cb = calloc(1, sizeof(*cb));
	if (cb == NULL) {
		dp_errno = ENOMEM;
		return NULL;
	}
	if (rx)
		cb->fn.rx = (dp_rx_callback_fn)fn;
	else
		cb->fn.tx = (dp_tx_callback_fn)fn;
	cb->param = param;
	pthread_mutex_lock(&eth_lock);
	pp = rx ? &port_cbs[port_id].rx[queue_id] : &port_cbs[port_id].tx[queue_id];
	while (*pp != NULL)
		pp = &(*pp)->next;
	/* Fully built before it becomes reachable from the fast path. */
	__atomic_store_n(pp, cb, __ATOMIC_RELEASE);
	if (rx)
		port_cbs[port_id].any_rx = true;
	else
		port_cbs[port_id].any_tx = true;
	eth_callbacks_fp_update(dev);
	pthread_mutex_unlock(&eth_lock);
	return cb;
}

const struct dp_eth_rxtx_callback *
dp_eth_add_rx_callback(uint16_t port_id, uint16_t queue_id,
	dp_rx_callback_fn fn, void *user_param)
{
	return add_callback(port_id, queue_id, true, (void *)fn, user_param);
}

const struct dp_eth_rxtx_callback *
dp_eth_add_tx_callback(uint16_t port_id, uint16_t queue_id,
	dp_tx_callback_fn fn, void *user_param)
{
	return add_callback(port_id, queue_id, false, (void *)fn, user_param);
}

static int
remove_callback(uint16_t port_id, uint16_t queue_id, bool rx,
	const struct dp_eth_rxtx_callback *cb)
{
	struct dp_eth_rxtx_callback **pp, *c;
	struct port_cbs *pc;

	if (!dp_eth_dev_is_valid_port(port_id))
		return -ENODEV;
	if (cb == NULL || queue_id >= DP_MAX_QUEUES_PER_PORT)
		return -EINVAL;
	pc = &port_cbs[port_id];
	pthread_mutex_lock(&eth_lock);
	for (pp = rx ? &pc->rx[queue_id] : &pc->tx[queue_id]; (c = *pp) != NULL;
	     pp = &c->next) {
		if (c == cb) {
			/* Unlink; a burst already past this point keeps a
			 * valid pointer because the node is only retired. */
			__atomic_store_n(pp, c->next, __ATOMIC_RELEASE);
			c->next = pc->retired;
			pc->retired = c;
			pthread_mutex_unlock(&eth_lock);
			return 0;
		}
	}
	pthread_mutex_unlock(&eth_lock);
	return -ENOENT;
}

int
dp_eth_remove_rx_callback(uint16_t port_id, uint16_t queue_id,
	const struct dp_eth_rxtx_callback *cb)
{
	return remove_callback(port_id, queue_id, true, cb);
}

int
dp_eth_remove_tx_callback(uint16_t port_id, uint16_t queue_id,
	const struct dp_eth_rxtx_callback *cb)
{
	return remove_callback(port_id, queue_id, false, cb);
}

static void
free_list(struct dp_eth_rxtx_callback *c)
{
	struct dp_eth_rxtx_callback *next;

	for (; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
}

void
eth_callbacks_free(uint16_t port_id)
{
	struct port_cbs *pc = &port_cbs[port_id];
	unsigned int q;

	pthread_mutex_lock(&eth_lock);
	for (q = 0; q < DP_MAX_QUEUES_PER_PORT; q++) {
		free_list(pc->rx[q]);
		free_list(pc->tx[q]);
	}
	free_list(pc->retired);
	memset(pc, 0, sizeof(*pc));
	pthread_mutex_unlock(&eth_lock);
}

/* ---- RX interrupts ------------------------------------------------------------ */

static struct dp_eth_dev *
rxq_intr_checks(uint16_t port_id, uint16_t queue_id, const char *fn)
{
	struct dp_eth_dev *dev = eth_dev_checked(port_id, fn);

	if (dev == NULL)
		return NULL;
	if (queue_id >= dev->data->nb_rx_queues ||
	    dev->data->rx_queues[queue_id] == NULL) {
		ETH_LOG(ERR, dev, "RX queue %u is not set up", queue_id);
		return NULL;
	}
	if (!dev->data->dev_conf.intr_conf.rxq) {
		ETH_LOG(ERR, dev, "RX interrupts were not asked for: set "
			"intr_conf.rxq in dp_eth_dev_configure()");
		return NULL;
	}
	return dev;
}

int
dp_eth_dev_rx_intr_enable(uint16_t port_id, uint16_t queue_id)
{
	struct dp_eth_dev *dev = rxq_intr_checks(port_id, queue_id, __func__);

	if (dev == NULL)
		return dp_eth_dev_is_valid_port(port_id) ? -EINVAL : -ENODEV;
	if (dev->dev_ops->rx_queue_intr_enable == NULL)
		return -ENOTSUP;
	return dev->dev_ops->rx_queue_intr_enable(dev, queue_id);
}

int
dp_eth_dev_rx_intr_disable(uint16_t port_id, uint16_t queue_id)
{
	struct dp_eth_dev *dev = rxq_intr_checks(port_id, queue_id, __func__);

	if (dev == NULL)
		return dp_eth_dev_is_valid_port(port_id) ? -EINVAL : -ENODEV;
	if (dev->dev_ops->rx_queue_intr_disable == NULL)
		return -ENOTSUP;
	return dev->dev_ops->rx_queue_intr_disable(dev, queue_id);
}

int
dp_eth_dev_rx_intr_ctl_q_get_fd(uint16_t port_id, uint16_t queue_id)
{
	struct dp_eth_dev *dev = rxq_intr_checks(port_id, queue_id, __func__);

	if (dev == NULL)
		return dp_eth_dev_is_valid_port(port_id) ? -EINVAL : -ENODEV;
	if (dev->dev_ops->rx_queue_intr_fd == NULL)
		return -ENOTSUP;
	return dev->dev_ops->rx_queue_intr_fd(dev, queue_id);
}

int
dp_eth_dev_rx_intr_wait(uint16_t port_id, uint16_t queue_id, int timeout_ms)
{
	struct pollfd pfd;
	uint64_t count;
	int fd, rc;

	fd = dp_eth_dev_rx_intr_ctl_q_get_fd(port_id, queue_id);
	if (fd < 0)
		return fd;
	pfd.fd = fd;
	pfd.events = POLLIN;
	do {
		rc = poll(&pfd, 1, timeout_ms);
	} while (rc < 0 && errno == EINTR);
	if (rc < 0)
		return -errno;
	if (rc == 0)
		return 0;
	/* An eventfd: reading acknowledges every interrupt so far. */
	if (read(fd, &count, sizeof(count)) < 0 && errno != EAGAIN)
		return -errno;
	return 1;
}

/* ---- TX buffer --------------------------------------------------------------------- */

int
dp_eth_tx_buffer_init(struct dp_eth_dev_tx_buffer *buffer, uint16_t size)
{
	if (buffer == NULL || size == 0)
		return -EINVAL;
	buffer->size = size;
	buffer->length = 0;
	buffer->error_callback = dp_eth_tx_buffer_drop_callback;
	buffer->error_userdata = NULL;
	return 0;
}

int
dp_eth_tx_buffer_set_err_callback(struct dp_eth_dev_tx_buffer *buffer,
	dp_eth_tx_buffer_error_fn callback, void *userdata)
{
	if (buffer == NULL || callback == NULL)
		return -EINVAL;
	buffer->error_callback = callback;
	buffer->error_userdata = userdata;
	return 0;
}

void
dp_eth_tx_buffer_drop_callback(struct dp_mbuf **pkts, uint16_t unsent,
	void *userdata)
{
	(void)userdata;
	dp_pktmbuf_free_bulk(pkts, unsent);
}

void
dp_eth_tx_buffer_count_callback(struct dp_mbuf **pkts, uint16_t unsent,
	void *userdata)
{
	uint64_t *count = userdata;

	dp_pktmbuf_free_bulk(pkts, unsent);
	if (count != NULL)
		*count += unsent;
}
