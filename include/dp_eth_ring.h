/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DP_ETH_RING_H
#define DP_ETH_RING_H

/**
 * @file
 * Ports backed by rings the application owns (the net_ring driver).
 * Sending on TX queue q enqueues on tx_queues[q]; receiving on RX queue q
 * dequeues from rx_queues[q]. Give the same ring to a port's TX and
 * another port's RX to connect them, or to one port's TX and RX to loop
 * it back. The rings stay the application's: closing the port does not
 * free them or the mbufs in them.
 */

#include <dp_common.h>

#ifdef __cplusplus
extern "C" {
#endif

struct dp_ring;

/**
 * Create a port from rings.
 *
 * @param name
 *   Unique port name.
 * @param rx_queues
 *   One ring per RX queue (1 to 16).
 * @param tx_queues
 *   One ring per TX queue (1 to 16).
 * @param socket_id
 *   Socket reported for the port.
 * @return
 *   The port id (>= 0), or a negative errno value: -EINVAL (bad counts or
 *   a NULL ring), -EEXIST (name in use), -ENOSPC, -ENOMEM.
 */
int dp_eth_from_rings(const char *name, struct dp_ring *const rx_queues[],
	unsigned int nb_rx_queues, struct dp_ring *const tx_queues[],
	unsigned int nb_tx_queues, int socket_id);

/**
 * A port named after @p r with one queue whose TX and RX are @p r
 * (a loopback).
 *
 * @return
 *   The port id, or a negative errno value.
 */
int dp_eth_from_ring(struct dp_ring *r);

#ifdef __cplusplus
}
#endif

#endif /* DP_ETH_RING_H */
