/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DP_ETHDEV_CORE_H
#define DP_ETHDEV_CORE_H

/**
 * @file
 * Fast path of the port API: dp_eth_rx_burst() and dp_eth_tx_burst() as
 * inline calls through a per-port table, plus RX/TX callbacks and TX
 * buffering. Included by dp_ethdev.h; do not include it directly.
 *
 * The table holds, per port, the driver's burst functions and its queue
 * array. A burst is one indirect call: no lock, no system call and no
 * branch on the driver type. A port that is not started points at burst
 * functions that return 0, so polling a stopped port is harmless.
 */

#include <dp_common.h>

#ifdef __cplusplus
extern "C" {
#endif

struct dp_mbuf;

/** Driver RX burst: fill @p pkts with up to @p n packets from @p rxq. */
typedef uint16_t (*dp_eth_rx_burst_t)(void *rxq, struct dp_mbuf **pkts,
	uint16_t n);
/** Driver TX burst: take up to @p n packets for @p txq; returns how many. */
typedef uint16_t (*dp_eth_tx_burst_t)(void *txq, struct dp_mbuf **pkts,
	uint16_t n);

/**
 * RX callback, run on the packets a burst received.
 *
 * @return
 *   The number of packets left in @p pkts (a callback may drop some).
 */
typedef uint16_t (*dp_rx_callback_fn)(uint16_t port_id, uint16_t queue,
	struct dp_mbuf *pkts[], uint16_t nb_pkts, uint16_t max_pkts,
	void *user_param);

/**
 * TX callback, run on the packets before the driver sees them.
 *
 * @return
 *   The number of packets to send (the first ones of @p pkts).
 */
typedef uint16_t (*dp_tx_callback_fn)(uint16_t port_id, uint16_t queue,
	struct dp_mbuf *pkts[], uint16_t nb_pkts, void *user_param);

/** @internal One registered RX or TX callback. */
struct dp_eth_rxtx_callback {
	struct dp_eth_rxtx_callback *next;	/**< next in the queue's list */
	union {
		dp_rx_callback_fn rx;
		dp_tx_callback_fn tx;
	} fn;					/**< the function */
	void *param;				/**< its user_param */
};

/** @internal Fast-path view of one port. */
struct dp_eth_fp_ops {
	dp_eth_rx_burst_t rx_pkt_burst;	/**< driver RX burst */
	void **rxq;			/**< RX queue objects, by queue id */
	dp_eth_tx_burst_t tx_pkt_burst;	/**< driver TX burst */
	void **txq;			/**< TX queue objects, by queue id */
	/** RX callbacks per queue; NULL when the port has none. */
	struct dp_eth_rxtx_callback **rx_cbs;
	/** TX callbacks per queue; NULL when the port has none. */
	struct dp_eth_rxtx_callback **tx_cbs;
} __dp_cache_aligned;

/** @internal The fast-path table, indexed by port id. */
extern struct dp_eth_fp_ops dp_eth_fp_ops[];

/**
 * Receive up to @p nb_pkts packets from queue @p queue_id of @p port_id.
 *
 * Each returned mbuf belongs to the caller, who must free it or pass it
 * on (e.g. to dp_eth_tx_burst()). Only one lcore may poll a queue at a
 * time. Port and queue ids are not checked: they must be valid and the
 * queue set up.
 *
 * @return
 *   The number of packets stored in @p rx_pkts (0 if none, or the port is
 *   stopped).
 */
static inline uint16_t
dp_eth_rx_burst(uint16_t port_id, uint16_t queue_id, struct dp_mbuf **rx_pkts,
	uint16_t nb_pkts)
{
	struct dp_eth_fp_ops *p = &dp_eth_fp_ops[port_id];
	uint16_t nb_rx;

	nb_rx = p->rx_pkt_burst(p->rxq[queue_id], rx_pkts, nb_pkts);
	if (unlikely(p->rx_cbs != NULL)) {
		const struct dp_eth_rxtx_callback *cb = __atomic_load_n(
			&p->rx_cbs[queue_id], __ATOMIC_ACQUIRE);

		for (; cb != NULL; cb = cb->next)
			nb_rx = cb->fn.rx(port_id, queue_id, rx_pkts, nb_rx,
				nb_pkts, cb->param);
	}
	return nb_rx;
}

/**
 * Send up to @p nb_pkts packets on queue @p queue_id of @p port_id.
 *
 * The driver takes ownership of the packets it accepts (the first n of
 * @p tx_pkts) and frees them once sent; the others still belong to the
 * caller, who must retry or free them. Only one lcore may use a queue at
 * a time.
 *
 * @return
 *   The number of packets accepted (0 if the port is stopped).
 */
static inline uint16_t
dp_eth_tx_burst(uint16_t port_id, uint16_t queue_id, struct dp_mbuf **tx_pkts,
	uint16_t nb_pkts)
{
	struct dp_eth_fp_ops *p = &dp_eth_fp_ops[port_id];

	if (unlikely(p->tx_cbs != NULL)) {
		const struct dp_eth_rxtx_callback *cb = __atomic_load_n(
			&p->tx_cbs[queue_id], __ATOMIC_ACQUIRE);

		for (; cb != NULL; cb = cb->next)
			nb_pkts = cb->fn.tx(port_id, queue_id, tx_pkts, nb_pkts,
				cb->param);
	}
	return p->tx_pkt_burst(p->txq[queue_id], tx_pkts, nb_pkts);
}

/**
 * Add an RX callback to a queue (run after the driver, in the order
 * added).
 *
 * @return
 *   A handle for dp_eth_remove_rx_callback(), or NULL with dp_errno set
 *   (ENODEV, EINVAL, ENOMEM).
 */
const struct dp_eth_rxtx_callback *dp_eth_add_rx_callback(uint16_t port_id,
	uint16_t queue_id, dp_rx_callback_fn fn, void *user_param);

/** Add a TX callback to a queue (run before the driver, in the order added). */
const struct dp_eth_rxtx_callback *dp_eth_add_tx_callback(uint16_t port_id,
	uint16_t queue_id, dp_tx_callback_fn fn, void *user_param);

/**
 * Remove an RX callback. Its memory is kept until the port is closed, so
 * a burst running concurrently on another lcore never reads freed memory;
 * the caller must still make sure no burst is inside @p user_param's
 * callback before freeing what the callback uses.
 *
 * @return
 *   0, -ENODEV, -EINVAL, -ENOENT.
 */
int dp_eth_remove_rx_callback(uint16_t port_id, uint16_t queue_id,
	const struct dp_eth_rxtx_callback *cb);

/** Remove a TX callback (same rules as dp_eth_remove_rx_callback()). */
int dp_eth_remove_tx_callback(uint16_t port_id, uint16_t queue_id,
	const struct dp_eth_rxtx_callback *cb);

/**
 * Send what @p buffer holds now. Packets the driver does not take go to
 * the buffer's error callback (freed by default).
 *
 * @return
 *   The number of packets sent.
 */
static inline uint16_t
dp_eth_tx_buffer_flush(uint16_t port_id, uint16_t queue_id,
	struct dp_eth_dev_tx_buffer *buffer)
{
	uint16_t sent, to_send = buffer->length;

	if (to_send == 0)
		return 0;
	sent = dp_eth_tx_burst(port_id, queue_id, buffer->pkts, to_send);
	buffer->length = 0;
	if (unlikely(sent != to_send))
		buffer->error_callback(&buffer->pkts[sent],
			(uint16_t)(to_send - sent), buffer->error_userdata);
	return sent;
}

/**
 * Queue @p pkt in @p buffer; when the buffer is full, send it all.
 *
 * @return
 *   The number of packets sent by this call (0 while buffering).
 */
static inline uint16_t
dp_eth_tx_buffer(uint16_t port_id, uint16_t queue_id,
	struct dp_eth_dev_tx_buffer *buffer, struct dp_mbuf *pkt)
{
	buffer->pkts[buffer->length++] = pkt;
	if (buffer->length < buffer->size)
		return 0;
	return dp_eth_tx_buffer_flush(port_id, queue_id, buffer);
}

#ifdef __cplusplus
}
#endif

#endif /* DP_ETHDEV_CORE_H */
