/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef ETHDEV_PRIVATE_H
#define ETHDEV_PRIVATE_H

/* Internal state of the port layer shared by its files. Not installed. */

#include <pthread.h>

#include <dp_ethdev_driver.h>
#include <dp_log.h>

extern int dp_logtype_ethdev;

#define DP_ETH_DEV_UNUSED 0
#define DP_ETH_DEV_ATTACHED 1

extern struct dp_eth_dev eth_devs[DP_MAX_ETHPORTS];

/* Serializes port allocation and event callback lists. */
extern pthread_mutex_t eth_lock;

/*
 * The port if it exists, else NULL after logging "port N does not exist"
 * from function @p fn.
 */
struct dp_eth_dev *eth_dev_checked(uint16_t port_id, const char *fn);

/* Install the driver's burst functions (start) or the idle ones (stop). */
void eth_fp_install(struct dp_eth_dev *dev);
void eth_fp_reset(uint16_t port_id);

/* RX/TX callback lists of a port: refresh its fast-path view, free at close. */
void eth_callbacks_fp_update(struct dp_eth_dev *dev);
void eth_callbacks_free(uint16_t port_id);
void eth_event_callbacks_free_port(uint16_t port_id);

/* Log prefix helpers: "port 0 (net_null0)". */
#define ETH_LOG(level, dev, fmt, ...) \
	DP_LOG(level, ethdev, "port %u (%s): " fmt, (dev)->data->port_id, \
		(dev)->data->name, ##__VA_ARGS__)

#endif /* ETHDEV_PRIVATE_H */
