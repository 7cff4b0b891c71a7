/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DP_ETHDEV_DRIVER_H
#define DP_ETHDEV_DRIVER_H

/**
 * @file
 * Driver SDK of the port API: what a poll-mode driver (PMD) implements and
 * calls. Applications use dp_ethdev.h only.
 *
 * A PMD allocates a port with dp_eth_dev_allocate() when its device is
 * probed, fills dev->dev_ops, dev->rx_pkt_burst / tx_pkt_burst and
 * dev->data (MAC address, private data), and calls
 * dp_eth_dev_probing_finish(). The ethdev layer checks every argument and
 * the port state before calling an op, so ops only do the device work.
 * dev_close must release everything the driver allocated; the layer
 * releases the port itself afterwards.
 */

#include <dp_ethdev.h>

#ifdef __cplusplus
extern "C" {
#endif

struct dp_eth_dev;

/** Queue state, as the application last set it. */
enum dp_eth_queue_state {
	DP_ETH_QUEUE_STATE_STOPPED = 0,	/**< set up but not running */
	DP_ETH_QUEUE_STATE_STARTED = 1,	/**< running */
};

/**
 * Operations of a driver. Optional ones may be NULL: the layer then
 * returns -ENOTSUP (and logs the operation name) or does without.
 */
struct dp_eth_dev_ops {
	/** Apply dev->data->dev_conf (already validated). Required. */
	int (*dev_configure)(struct dp_eth_dev *dev);
	/** Start the device; every queue is set up. Required. */
	int (*dev_start)(struct dp_eth_dev *dev);
	/** Stop the device. Required. */
	int (*dev_stop)(struct dp_eth_dev *dev);
	/** Release every resource of the device (queues are already released). */
	int (*dev_close)(struct dp_eth_dev *dev);
	/** Return to the just-probed state. */
	int (*dev_reset)(struct dp_eth_dev *dev);
	/** Fill the capabilities. Required. */
	int (*dev_infos_get)(struct dp_eth_dev *dev, struct dp_eth_dev_info *info);

	int (*promiscuous_enable)(struct dp_eth_dev *dev);	/**< optional */
	int (*promiscuous_disable)(struct dp_eth_dev *dev);	/**< optional */
	int (*allmulticast_enable)(struct dp_eth_dev *dev);	/**< optional */
	int (*allmulticast_disable)(struct dp_eth_dev *dev);	/**< optional */

	/**
	 * Refresh dev->data->dev_link (use dp_eth_linkstatus_set()); wait for
	 * autonegotiation when @p wait_to_complete. Optional: without it the
	 * link is reported as stored.
	 */
	int (*link_update)(struct dp_eth_dev *dev, int wait_to_complete);

	/** Fill the basic statistics. Required. */
	int (*stats_get)(struct dp_eth_dev *dev, struct dp_eth_stats *stats);
	/** Reset the basic statistics. Required. */
	int (*stats_reset)(struct dp_eth_dev *dev);
	/**
	 * Driver-specific statistics: with @p xstats NULL return the count;
	 * otherwise fill min(n, count) values (ids 0..) and return the count.
	 */
	int (*xstats_get)(struct dp_eth_dev *dev, struct dp_eth_xstat *xstats,
		unsigned int n);
	/** Names of the driver-specific statistics (same protocol). */
	int (*xstats_get_names)(struct dp_eth_dev *dev,
		struct dp_eth_xstat_name *names, unsigned int n);
	/** Reset the driver-specific statistics. */
	int (*xstats_reset)(struct dp_eth_dev *dev);

	/** Program a new MAC address (the layer stores it afterwards). */
	int (*mac_addr_set)(struct dp_eth_dev *dev, struct dp_ether_addr *addr);
	/**
	 * Add unicast filter @p index (1 to max_mac_addrs - 1; 0 is the
	 * port's own address) for @p addr. Optional.
	 */
	int (*mac_addr_add)(struct dp_eth_dev *dev,
		const struct dp_ether_addr *addr, uint32_t index);
	/** Remove unicast filter @p index. Optional (with mac_addr_add). */
	void (*mac_addr_remove)(struct dp_eth_dev *dev, uint32_t index);
	/** Receive exactly the multicast groups of @p list. Optional. */
	int (*set_mc_addr_list)(struct dp_eth_dev *dev,
		const struct dp_ether_addr *list, uint32_t nb);
	/** Apply a new MTU (the layer checked the range). */
	int (*mtu_set)(struct dp_eth_dev *dev, uint16_t mtu);

	/**
	 * Create RX queue @p qid and store it in dev->data->rx_queues[qid].
	 * The layer has released any previous queue of that id. Required.
	 */
	int (*rx_queue_setup)(struct dp_eth_dev *dev, uint16_t qid,
		uint16_t nb_desc, int socket_id,
		const struct dp_eth_rxconf *conf, struct dp_mempool *mp);
	/** Create TX queue @p qid in dev->data->tx_queues[qid]. Required. */
	int (*tx_queue_setup)(struct dp_eth_dev *dev, uint16_t qid,
		uint16_t nb_desc, int socket_id,
		const struct dp_eth_txconf *conf);
	/** Free RX queue @p qid and every mbuf it holds. Required. */
	void (*rx_queue_release)(struct dp_eth_dev *dev, uint16_t qid);
	/** Free TX queue @p qid and every mbuf it holds. Required. */
	void (*tx_queue_release)(struct dp_eth_dev *dev, uint16_t qid);

	int (*rx_queue_start)(struct dp_eth_dev *dev, uint16_t qid);	/**< optional */
	int (*rx_queue_stop)(struct dp_eth_dev *dev, uint16_t qid);	/**< optional */
	int (*tx_queue_start)(struct dp_eth_dev *dev, uint16_t qid);	/**< optional */
	int (*tx_queue_stop)(struct dp_eth_dev *dev, uint16_t qid);	/**< optional */

	/** Arm the RX interrupt of a queue. Optional. */
	int (*rx_queue_intr_enable)(struct dp_eth_dev *dev, uint16_t qid);
	/** Disarm the RX interrupt of a queue. Optional. */
	int (*rx_queue_intr_disable)(struct dp_eth_dev *dev, uint16_t qid);
	/** Event fd of a queue's RX interrupt. Optional. */
	int (*rx_queue_intr_fd)(struct dp_eth_dev *dev, uint16_t qid);

	/** RSS redirection table. Optional. */
	int (*reta_update)(struct dp_eth_dev *dev,
		struct dp_eth_rss_reta_entry64 *reta_conf, uint16_t reta_size);
	/** RSS redirection table. Optional. */
	int (*reta_query)(struct dp_eth_dev *dev,
		struct dp_eth_rss_reta_entry64 *reta_conf, uint16_t reta_size);
	/** RSS key and types. Optional. */
	int (*rss_hash_update)(struct dp_eth_dev *dev,
		struct dp_eth_rss_conf *rss_conf);
	/** RSS key and types. Optional. */
	int (*rss_hash_conf_get)(struct dp_eth_dev *dev,
		struct dp_eth_rss_conf *rss_conf);
};

/** Port data shared between the layer and the driver. */
struct dp_eth_dev_data {
	char name[DP_ETH_NAME_MAX_LEN];	/**< device name */
	uint16_t port_id;		/**< port id */
	uint16_t nb_rx_queues;		/**< RX queues configured */
	uint16_t nb_tx_queues;		/**< TX queues configured */
	void **rx_queues;		/**< driver queue objects, by id */
	void **tx_queues;		/**< driver queue objects, by id */
	/** Per-queue state. */
	uint8_t rx_queue_state[DP_MAX_QUEUES_PER_PORT];
	/** Per-queue state. */
	uint8_t tx_queue_state[DP_MAX_QUEUES_PER_PORT];
	struct dp_eth_conf dev_conf;	/**< configuration in force */
	uint16_t mtu;			/**< MTU in force */
	struct dp_ether_addr mac_addr;	/**< primary MAC address */
	/** Added unicast filters by index (0 unused: the primary address). */
	struct dp_ether_addr mac_addrs[DP_ETH_MAX_MAC_ADDRS];
	/** Which entries of mac_addrs are in use (bit per index). */
	uint32_t mac_addrs_used;
	struct dp_eth_link dev_link;	/**< last known link state */
	int numa_node;			/**< socket of the device, or DP_SOCKET_ID_ANY */
	void *dev_private;		/**< driver private data */
	uint64_t rx_mbuf_alloc_failed;	/**< rx_nombuf, counted by drivers */
	uint8_t promiscuous;		/**< promiscuous mode on */
	uint8_t all_multicast;		/**< all-multicast on */
	uint8_t dev_configured;		/**< dp_eth_dev_configure() succeeded */
	uint8_t dev_started;		/**< started */
	uint32_t dev_flags;		/**< DP_ETH_DEV_* */
};

/** The driver raises link state change interrupts. */
#define DP_ETH_DEV_INTR_LSC (1u << 0)
/** The driver supports per-queue RX interrupts. */
#define DP_ETH_DEV_INTR_RXQ (1u << 1)

/** A port. */
struct dp_eth_dev {
	dp_eth_rx_burst_t rx_pkt_burst;	/**< RX burst of the driver */
	dp_eth_tx_burst_t tx_pkt_burst;	/**< TX burst of the driver */
	struct dp_eth_dev_data *data;	/**< shared data */
	const struct dp_eth_dev_ops *dev_ops;	/**< driver operations */
	void *device;			/**< bus device (dp_pci_device, dp_vdev_device) */
	const char *driver_name;	/**< "net_null", "net_igb", ... */
	int state;			/**< internal: unused / attached */
};

/**
 * Allocate a port for a probed device.
 *
 * @param name
 *   Unique device name.
 * @return
 *   The port, with data->dev_private NULL, or NULL with dp_errno =
 *   EEXIST (name in use), ENOSPC (DP_MAX_ETHPORTS ports) or ENOMEM.
 */
struct dp_eth_dev *dp_eth_dev_allocate(const char *name);

/**
 * Allocate driver private data for @p dev (zeroed, on the device's socket)
 * and store it in dev->data->dev_private.
 *
 * @return
 *   The memory, or NULL (dp_errno = ENOMEM).
 */
void *dp_eth_dev_alloc_private(struct dp_eth_dev *dev, size_t size);

/** The port is ready for applications (announces DP_ETH_EVENT_NEW). */
void dp_eth_dev_probing_finish(struct dp_eth_dev *dev);

/**
 * Release a port: frees dev_private (if allocated with
 * dp_eth_dev_alloc_private()) and frees the port id. Used by drivers on
 * probe errors and by the layer after dev_close.
 *
 * @return
 *   0, -EINVAL.
 */
int dp_eth_dev_release_port(struct dp_eth_dev *dev);

/**
 * Find the port allocated for a device name.
 *
 * @return
 *   The port, or NULL.
 */
struct dp_eth_dev *dp_eth_dev_allocated(const char *name);

/**
 * The port behind a port id (for drivers and tests).
 *
 * @return
 *   The port, or NULL if @p port_id does not exist.
 */
struct dp_eth_dev *dp_eth_dev_get(uint16_t port_id);

/**
 * Store a new link state; if it changed and the application asked for
 * link state events, run the DP_ETH_EVENT_INTR_LSC callbacks.
 *
 * @return
 *   0 if the state changed, -1 if it did not.
 */
int dp_eth_linkstatus_set(struct dp_eth_dev *dev,
	const struct dp_eth_link *link);

/**
 * Helpers for ports without hardware (null, ring, pcap, ...).
 *
 * dp_eth_dev_op_nothing() is an op that has nothing to do and succeeds
 * (dev_configure, promiscuous_enable, ... of a port with no filter).
 * dp_eth_dev_op_link_up()/dp_eth_dev_op_link_down() are dev_start and
 * dev_stop ops that only report the link as up at 10 Gbps full duplex /
 * down; drivers with more to do call them from their own ops.
 */
int dp_eth_dev_op_nothing(struct dp_eth_dev *dev);
/** See dp_eth_dev_op_nothing(). */
int dp_eth_dev_op_link_up(struct dp_eth_dev *dev);
/** See dp_eth_dev_op_nothing(). */
int dp_eth_dev_op_link_down(struct dp_eth_dev *dev);
/**
 * rx/tx_queue_release op for queues that live in the port's private data
 * and hold no mbuf between bursts.
 */
void dp_eth_dev_op_release_nothing(struct dp_eth_dev *dev, uint16_t qid);
/**
 * mac_addr_set op of a port whose address is only what it reports (no
 * filter to program): ethdev stores the address, the driver accepts it.
 */
int dp_eth_dev_op_mac_set_nothing(struct dp_eth_dev *dev,
	struct dp_ether_addr *addr);
/** mtu_set op of a port with no frame size limit to program. */
int dp_eth_dev_op_mtu_set_nothing(struct dp_eth_dev *dev, uint16_t mtu);

/** Run the callbacks registered for @p event on @p dev's port. */
void dp_eth_dev_callback_process(struct dp_eth_dev *dev,
	enum dp_eth_event_type event);

/**
 * Close every port (used by bus cleanup and dp_eth_dev_close_all()).
 */
void dp_eth_dev_close_all(void);

#ifdef __cplusplus
}
#endif

#endif /* DP_ETHDEV_DRIVER_H */
