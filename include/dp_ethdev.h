/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DP_ETHDEV_H
#define DP_ETHDEV_H

/**
 * @file
 * Ethernet ports: the API an application uses to drive a NIC or a virtual
 * port, whatever the driver.
 *
 * Life of a port:
 * @code
 *   dp_eth_dev_configure(port, nb_rxq, nb_txq, &conf);      // 1
 *   dp_eth_rx_queue_setup(port, q, nb_desc, socket, NULL, mp); // 2, every queue
 *   dp_eth_tx_queue_setup(port, q, nb_desc, socket, NULL);
 *   dp_eth_dev_start(port);                                   // 3
 *   n = dp_eth_rx_burst(port, q, pkts, 32);                   // 4, fast path
 *   sent = dp_eth_tx_burst(port, q, pkts, n);
 *   dp_eth_dev_stop(port);                                    // 5
 *   dp_eth_dev_close(port);                                   // 6
 * @endcode
 * The order is enforced: a call made in the wrong state is refused with an
 * error code and a log line that says what to do first.
 *
 * Threading: control functions (everything except the burst functions)
 * must not run concurrently on the same port. A queue is polled by one
 * lcore at a time: dp_eth_rx_burst() and dp_eth_tx_burst() take no lock,
 * so two threads on the same queue corrupt it. Different queues may be
 * polled by different lcores in parallel.
 */

#include <stdio.h>

#include <dp_common.h>
#include <dp_ether.h>

#ifdef __cplusplus
extern "C" {
#endif

struct dp_mbuf;
struct dp_mempool;

/** Largest number of ports. */
#define DP_MAX_ETHPORTS 32
/** Largest number of RX or TX queues of one port. */
#define DP_MAX_QUEUES_PER_PORT 64
/** Queues with their own counters in struct dp_eth_stats. */
#define DP_ETHDEV_QUEUE_STAT_CNTRS 16
/** Longest port name, NUL included. */
#define DP_ETH_NAME_MAX_LEN 64
/** Port id meaning "none". */
#define DP_MAX_ETHPORT_ID UINT16_MAX

/* ---- link ----------------------------------------------------------- */

#define DP_ETH_SPEED_NUM_NONE 0		/**< unknown or down */
#define DP_ETH_SPEED_NUM_10M 10		/**< 10 Mbps */
#define DP_ETH_SPEED_NUM_100M 100	/**< 100 Mbps */
#define DP_ETH_SPEED_NUM_1G 1000	/**< 1 Gbps */
#define DP_ETH_SPEED_NUM_10G 10000	/**< 10 Gbps */
#define DP_ETH_SPEED_NUM_25G 25000	/**< 25 Gbps */
#define DP_ETH_SPEED_NUM_40G 40000	/**< 40 Gbps */
#define DP_ETH_SPEED_NUM_100G 100000	/**< 100 Gbps */

#define DP_ETH_LINK_DOWN 0		/**< link is down */
#define DP_ETH_LINK_UP 1		/**< link is up */
#define DP_ETH_LINK_HALF_DUPLEX 0	/**< half duplex */
#define DP_ETH_LINK_FULL_DUPLEX 1	/**< full duplex */
#define DP_ETH_LINK_FIXED 0		/**< no autonegotiation */
#define DP_ETH_LINK_AUTONEG 1		/**< autonegotiated */

/** Link state. */
struct dp_eth_link {
	uint32_t link_speed;		/**< DP_ETH_SPEED_NUM_* (Mbps) */
	uint16_t link_duplex : 1;	/**< DP_ETH_LINK_[HALF|FULL]_DUPLEX */
	uint16_t link_autoneg : 1;	/**< DP_ETH_LINK_[FIXED|AUTONEG] */
	uint16_t link_status : 1;	/**< DP_ETH_LINK_[DOWN|UP] */
} __dp_aligned(8);

/* ---- offloads --------------------------------------------------------- */

#define DP_ETH_RX_OFFLOAD_VLAN_STRIP (1ull << 0)	/**< strip the VLAN tag into vlan_tci */
#define DP_ETH_RX_OFFLOAD_IPV4_CKSUM (1ull << 1)	/**< check IPv4 header checksums */
#define DP_ETH_RX_OFFLOAD_UDP_CKSUM (1ull << 2)		/**< check UDP checksums */
#define DP_ETH_RX_OFFLOAD_TCP_CKSUM (1ull << 3)		/**< check TCP checksums */
#define DP_ETH_RX_OFFLOAD_VLAN_FILTER (1ull << 4)	/**< drop frames of unknown VLANs */
#define DP_ETH_RX_OFFLOAD_SCATTER (1ull << 5)		/**< frames larger than one buffer arrive as chains */
#define DP_ETH_RX_OFFLOAD_TIMESTAMP (1ull << 6)		/**< arrival time in mbuf timestamp */
#define DP_ETH_RX_OFFLOAD_KEEP_CRC (1ull << 7)		/**< leave the CRC at the end of the data */
#define DP_ETH_RX_OFFLOAD_RSS_HASH (1ull << 8)		/**< RSS hash in mbuf hash.rss */
/** The three checksum checks. */
#define DP_ETH_RX_OFFLOAD_CHECKSUM (DP_ETH_RX_OFFLOAD_IPV4_CKSUM | \
	DP_ETH_RX_OFFLOAD_UDP_CKSUM | DP_ETH_RX_OFFLOAD_TCP_CKSUM)

#define DP_ETH_TX_OFFLOAD_VLAN_INSERT (1ull << 0)	/**< insert vlan_tci when asked per mbuf */
#define DP_ETH_TX_OFFLOAD_IPV4_CKSUM (1ull << 1)	/**< fill IPv4 header checksums */
#define DP_ETH_TX_OFFLOAD_UDP_CKSUM (1ull << 2)		/**< fill UDP checksums */
#define DP_ETH_TX_OFFLOAD_TCP_CKSUM (1ull << 3)		/**< fill TCP checksums */
#define DP_ETH_TX_OFFLOAD_TCP_TSO (1ull << 4)		/**< TCP segmentation */
#define DP_ETH_TX_OFFLOAD_MULTI_SEGS (1ull << 5)	/**< chained mbufs accepted */
#define DP_ETH_TX_OFFLOAD_MBUF_FAST_FREE (1ull << 6)	/**< one pool, refcnt 1, no chains: faster free */

/**
 * Name of one RX offload bit ("vlan_strip", "scatter", ...).
 *
 * @return
 *   The name, or "unknown".
 */
const char *dp_eth_dev_rx_offload_name(uint64_t offload);

/** Name of one TX offload bit. */
const char *dp_eth_dev_tx_offload_name(uint64_t offload);

/**
 * Names of every bit of an RX offload mask, ", "-separated, into @p buf.
 *
 * @return
 *   @p buf.
 */
char *dp_eth_rx_offloads_to_str(uint64_t offloads, char *buf, size_t size);

/** Same as dp_eth_rx_offloads_to_str() for TX offloads. */
char *dp_eth_tx_offloads_to_str(uint64_t offloads, char *buf, size_t size);

/* ---- RSS ------------------------------------------------------------- */

#define DP_ETH_RSS_IPV4 (1ull << 2)		/**< hash IPv4 addresses */
#define DP_ETH_RSS_NONFRAG_IPV4_TCP (1ull << 4)	/**< and TCP ports */
#define DP_ETH_RSS_NONFRAG_IPV4_UDP (1ull << 5)	/**< and UDP ports */
#define DP_ETH_RSS_IPV6 (1ull << 8)		/**< hash IPv6 addresses */
#define DP_ETH_RSS_NONFRAG_IPV6_TCP (1ull << 10)	/**< and TCP ports */
#define DP_ETH_RSS_NONFRAG_IPV6_UDP (1ull << 11)	/**< and UDP ports */
/** IP addresses of both versions. */
#define DP_ETH_RSS_IP (DP_ETH_RSS_IPV4 | DP_ETH_RSS_IPV6)
/** TCP ports of both versions. */
#define DP_ETH_RSS_TCP (DP_ETH_RSS_NONFRAG_IPV4_TCP | DP_ETH_RSS_NONFRAG_IPV6_TCP)
/** UDP ports of both versions. */
#define DP_ETH_RSS_UDP (DP_ETH_RSS_NONFRAG_IPV4_UDP | DP_ETH_RSS_NONFRAG_IPV6_UDP)

/** RSS configuration. */
struct dp_eth_rss_conf {
	uint8_t *rss_key;	/**< hash key, NULL for the driver's default */
	uint8_t rss_key_len;	/**< key length in bytes */
	uint64_t rss_hf;	/**< DP_ETH_RSS_* packet types to hash */
};

/** Entries of one RSS redirection table group. */
#define DP_ETH_RETA_GROUP_SIZE 64

/** 64 entries of the RSS redirection table (hash bucket -> queue). */
struct dp_eth_rss_reta_entry64 {
	uint64_t mask;				/**< which entries to read/write */
	uint16_t reta[DP_ETH_RETA_GROUP_SIZE];	/**< queue of each entry */
};

/* ---- configuration ------------------------------------------------------ */

/** How received packets are spread over RX queues. */
enum dp_eth_rx_mq_mode {
	DP_ETH_MQ_RX_NONE = 0,	/**< everything to queue 0 */
	DP_ETH_MQ_RX_RSS,	/**< by RSS hash */
};

/** Port-wide receive settings. */
struct dp_eth_rxmode {
	enum dp_eth_rx_mq_mode mq_mode;	/**< multi-queue mode */
	uint32_t mtu;			/**< MTU, 0 for DP_ETHER_MTU */
	uint64_t offloads;		/**< DP_ETH_RX_OFFLOAD_* for every queue */
};

/** Port-wide transmit settings. */
struct dp_eth_txmode {
	uint64_t offloads;		/**< DP_ETH_TX_OFFLOAD_* for every queue */
};

/** Interrupts the application wants. */
struct dp_eth_intr_conf {
	uint32_t lsc : 1;	/**< link state change events */
	uint32_t rxq : 1;	/**< per-queue RX interrupts */
};

/** Port configuration for dp_eth_dev_configure(). Zero means defaults. */
struct dp_eth_conf {
	uint32_t link_speeds;		/**< 0: autonegotiate */
	struct dp_eth_rxmode rxmode;	/**< receive settings */
	struct dp_eth_txmode txmode;	/**< transmit settings */
	struct {
		struct dp_eth_rss_conf rss_conf;	/**< RSS settings */
	} rx_adv_conf;			/**< advanced receive settings */
	uint32_t lpbk_mode;		/**< loopback mode, 0 = none */
	struct dp_eth_intr_conf intr_conf;	/**< interrupts */
};

/** Ring prefetch, host and write-back thresholds. */
struct dp_eth_thresh {
	uint8_t pthresh;	/**< prefetch threshold */
	uint8_t hthresh;	/**< host threshold */
	uint8_t wthresh;	/**< write-back threshold */
};

/** RX queue settings. NULL to dp_eth_rx_queue_setup() means the driver's defaults. */
struct dp_eth_rxconf {
	struct dp_eth_thresh rx_thresh;	/**< ring thresholds */
	uint16_t rx_free_thresh;	/**< refill descriptors in batches of this many */
	uint8_t rx_drop_en;		/**< drop when no descriptor is free */
	uint8_t rx_deferred_start;	/**< do not start with the port */
	uint64_t offloads;		/**< per-queue DP_ETH_RX_OFFLOAD_* */
};

/** TX queue settings. NULL to dp_eth_tx_queue_setup() means the driver's defaults. */
struct dp_eth_txconf {
	struct dp_eth_thresh tx_thresh;	/**< ring thresholds */
	uint16_t tx_rs_thresh;		/**< ask for a completion every this many descriptors */
	uint16_t tx_free_thresh;	/**< reclaim when fewer free descriptors than this */
	uint8_t tx_deferred_start;	/**< do not start with the port */
	uint64_t offloads;		/**< per-queue DP_ETH_TX_OFFLOAD_* */
};

/** Descriptor count limits of a queue. */
struct dp_eth_desc_lim {
	uint16_t nb_max;	/**< most descriptors */
	uint16_t nb_min;	/**< fewest descriptors */
	uint16_t nb_align;	/**< the count must be a multiple of this */
	uint16_t nb_seg_max;	/**< most segments of one packet */
};

/** Preferred sizes reported by the driver. */
struct dp_eth_dev_portconf {
	uint16_t burst_size;	/**< burst size */
	uint16_t ring_size;	/**< descriptors per queue */
	uint16_t nb_queues;	/**< number of queues */
};

/** What a port is and can do. */
struct dp_eth_dev_info {
	const char *driver_name;	/**< "net_null", "net_igb", ... */
	const char *device_name;	/**< "net_null0", "0000:01:00.0", ... */
	int if_index;			/**< kernel interface index, 0 if none */
	uint32_t min_mtu;		/**< smallest MTU */
	uint32_t max_mtu;		/**< largest MTU */
	uint32_t max_rx_pktlen;		/**< largest frame received */
	uint32_t min_rx_bufsize;	/**< smallest mbuf data room (headroom excluded) */
	uint16_t max_rx_queues;		/**< most RX queues */
	uint16_t max_tx_queues;		/**< most TX queues */
	uint32_t max_mac_addrs;		/**< unicast address filters */
	uint64_t rx_offload_capa;	/**< DP_ETH_RX_OFFLOAD_* supported */
	uint64_t tx_offload_capa;	/**< DP_ETH_TX_OFFLOAD_* supported */
	uint64_t rx_queue_offload_capa;	/**< of those, per queue */
	uint64_t tx_queue_offload_capa;	/**< of those, per queue */
	uint16_t reta_size;		/**< RSS redirection table entries */
	uint8_t hash_key_size;		/**< RSS key bytes */
	uint64_t flow_type_rss_offloads;	/**< DP_ETH_RSS_* supported */
	struct dp_eth_rxconf default_rxconf;	/**< RX queue defaults */
	struct dp_eth_txconf default_txconf;	/**< TX queue defaults */
	struct dp_eth_desc_lim rx_desc_lim;	/**< RX descriptor limits */
	struct dp_eth_desc_lim tx_desc_lim;	/**< TX descriptor limits */
	uint32_t speed_capa;		/**< DP_ETH_LINK_SPEED_* supported (Mbps bitmap unused: 0) */
	uint16_t nb_rx_queues;		/**< RX queues configured */
	uint16_t nb_tx_queues;		/**< TX queues configured */
	struct dp_eth_dev_portconf default_rxportconf;	/**< preferred RX sizes */
	struct dp_eth_dev_portconf default_txportconf;	/**< preferred TX sizes */
};

/* ---- statistics -------------------------------------------------------- */

/** Basic port statistics. */
struct dp_eth_stats {
	uint64_t ipackets;	/**< packets received */
	uint64_t opackets;	/**< packets sent */
	uint64_t ibytes;	/**< bytes received */
	uint64_t obytes;	/**< bytes sent */
	uint64_t imissed;	/**< dropped by the hardware (no descriptor / buffer) */
	uint64_t ierrors;	/**< erroneous packets received */
	uint64_t oerrors;	/**< packets that failed to go out */
	uint64_t rx_nombuf;	/**< RX buffer allocation failures */
	uint64_t q_ipackets[DP_ETHDEV_QUEUE_STAT_CNTRS];	/**< per RX queue */
	uint64_t q_opackets[DP_ETHDEV_QUEUE_STAT_CNTRS];	/**< per TX queue */
	uint64_t q_ibytes[DP_ETHDEV_QUEUE_STAT_CNTRS];	/**< per RX queue */
	uint64_t q_obytes[DP_ETHDEV_QUEUE_STAT_CNTRS];	/**< per TX queue */
	uint64_t q_errors[DP_ETHDEV_QUEUE_STAT_CNTRS];	/**< per RX queue errors */
};

/** Longest extended statistic name, NUL included. */
#define DP_ETH_XSTATS_NAME_SIZE 64

/** One extended statistic value. */
struct dp_eth_xstat {
	uint64_t id;	/**< index into the names array */
	uint64_t value;	/**< the value */
};

/** Name of one extended statistic. */
struct dp_eth_xstat_name {
	char name[DP_ETH_XSTATS_NAME_SIZE];	/**< e.g. "rx_q0_packets" */
};

/* ---- port enumeration ---------------------------------------------------- */

/** Number of ports that exist (probed, not closed). */
uint16_t dp_eth_dev_count_avail(void);

/** Largest port id in use + 1 (for arrays indexed by port id). */
uint16_t dp_eth_dev_count_total(void);

/**
 * Next port that exists at or after @p port_id.
 *
 * @return
 *   The port id, or DP_MAX_ETHPORTS when there is none.
 */
uint16_t dp_eth_find_next(uint16_t port_id);

/** Iterate over every existing port. */
#define DP_ETH_FOREACH_DEV(p) \
	for ((p) = dp_eth_find_next(0); (p) < DP_MAX_ETHPORTS; \
	     (p) = dp_eth_find_next((uint16_t)((p) + 1)))

/** Does port @p port_id exist? */
bool dp_eth_dev_is_valid_port(uint16_t port_id);

/**
 * Find a port by device name ("net_null0", "0000:01:00.0").
 *
 * @return
 *   0 and *port_id, or -ENODEV.
 */
int dp_eth_dev_get_port_by_name(const char *name, uint16_t *port_id);

/**
 * Name of a port.
 *
 * @param name
 *   Buffer of DP_ETH_NAME_MAX_LEN bytes.
 * @return
 *   0, or -ENODEV.
 */
int dp_eth_dev_get_name_by_port(uint16_t port_id, char *name);

/**
 * NUMA socket of a port's device.
 *
 * @return
 *   The socket, DP_SOCKET_ID_ANY when unknown (virtual devices), or
 *   -EINVAL for a port that does not exist.
 */
int dp_eth_dev_socket_id(uint16_t port_id);

/* ---- control --------------------------------------------------------------- */

/**
 * What the port is and can do.
 *
 * @return
 *   0, -ENODEV, or -EINVAL for a NULL @p info.
 */
int dp_eth_dev_info_get(uint16_t port_id, struct dp_eth_dev_info *info);

/**
 * Configure a stopped port: queue counts, MTU, offloads, RSS. Queues set
 * up earlier are released when their count changes.
 *
 * @return
 *   - 0 on success.
 *   - -ENODEV: no such port.
 *   - -EBUSY: the port is started (stop it first).
 *   - -EINVAL: more queues than the driver has, zero queues, an offload or
 *     RSS type the driver does not support (logged by name with the
 *     supported set), an MTU out of range. The message says which.
 */
int dp_eth_dev_configure(uint16_t port_id, uint16_t nb_rx_queue,
	uint16_t nb_tx_queue, const struct dp_eth_conf *conf);

/**
 * Set up (or set up again) RX queue @p queue_id of a configured, stopped
 * port. Buffers for received packets come from @p mp.
 *
 * @param nb_desc
 *   Descriptors in the ring; 0 for the driver's preferred size.
 * @param socket_id
 *   NUMA node for the ring, or DP_SOCKET_ID_ANY.
 * @param conf
 *   Queue settings, NULL for the driver's defaults.
 * @return
 *   0, -ENODEV, -EINVAL (not configured, queue out of range, descriptor
 *   count outside the driver's limits, mbuf data room too small, offload
 *   not supported), -EBUSY (port started), -ENOMEM.
 */
int dp_eth_rx_queue_setup(uint16_t port_id, uint16_t queue_id,
	uint16_t nb_desc, int socket_id, const struct dp_eth_rxconf *conf,
	struct dp_mempool *mp);

/** Set up TX queue @p queue_id; same rules as dp_eth_rx_queue_setup(). */
int dp_eth_tx_queue_setup(uint16_t port_id, uint16_t queue_id,
	uint16_t nb_desc, int socket_id, const struct dp_eth_txconf *conf);

/**
 * Start a port: every queue must be set up.
 *
 * @return
 *   0 (also if already started), -ENODEV, -EINVAL (not configured, or a
 *   queue not set up: named in the log), or the driver's error.
 */
int dp_eth_dev_start(uint16_t port_id);

/**
 * Stop a port: no packet is received or sent afterwards; buffers stay in
 * the queues. Stopping a stopped port does nothing.
 *
 * @return
 *   0, -ENODEV.
 */
int dp_eth_dev_stop(uint16_t port_id);

/**
 * Close a port: stop it, release every queue (every mbuf the driver holds
 * goes back to its pool) and the device. The port id becomes free.
 *
 * @return
 *   0, -ENODEV.
 */
int dp_eth_dev_close(uint16_t port_id);

/**
 * Reset a port to the state it had after probing (unconfigured).
 *
 * @return
 *   0, -ENODEV, -ENOTSUP.
 */
int dp_eth_dev_reset(uint16_t port_id);

/**
 * Start or stop one queue of a started port (queues with
 * rx/tx_deferred_start are started this way).
 *
 * @return
 *   0, -ENODEV, -EINVAL (queue not set up / port not started), -ENOTSUP.
 */
int dp_eth_dev_rx_queue_start(uint16_t port_id, uint16_t queue_id);
/** See dp_eth_dev_rx_queue_start(). */
int dp_eth_dev_rx_queue_stop(uint16_t port_id, uint16_t queue_id);
/** See dp_eth_dev_rx_queue_start(). */
int dp_eth_dev_tx_queue_start(uint16_t port_id, uint16_t queue_id);
/** See dp_eth_dev_rx_queue_start(). */
int dp_eth_dev_tx_queue_stop(uint16_t port_id, uint16_t queue_id);

/** Receive every unicast frame (promiscuous mode). @return 0, -ENODEV, -ENOTSUP. */
int dp_eth_promiscuous_enable(uint16_t port_id);
/** Receive only frames for the port's addresses. @return 0, -ENODEV, -ENOTSUP. */
int dp_eth_promiscuous_disable(uint16_t port_id);
/** @return 1 if promiscuous, 0 if not, -ENODEV. */
int dp_eth_promiscuous_get(uint16_t port_id);
/** Receive every multicast frame. @return 0, -ENODEV, -ENOTSUP. */
int dp_eth_allmulticast_enable(uint16_t port_id);
/** Receive only subscribed multicast. @return 0, -ENODEV, -ENOTSUP. */
int dp_eth_allmulticast_disable(uint16_t port_id);
/** @return 1 if all-multicast, 0 if not, -ENODEV. */
int dp_eth_allmulticast_get(uint16_t port_id);

/**
 * Link state, waiting up to a few seconds for autonegotiation to finish.
 *
 * @return
 *   0, -ENODEV, -EINVAL.
 */
int dp_eth_link_get(uint16_t port_id, struct dp_eth_link *link);

/** Link state without waiting. @return 0, -ENODEV, -EINVAL. */
int dp_eth_link_get_nowait(uint16_t port_id, struct dp_eth_link *link);

/**
 * Link state as text: "Link up at 10 Gbps FDX Autoneg" / "Link down".
 *
 * @return
 *   Length written (without NUL), or -EINVAL.
 */
int dp_eth_link_to_str(char *buf, size_t len, const struct dp_eth_link *link);

/** The port's MAC address. @return 0, -ENODEV, -EINVAL. */
int dp_eth_macaddr_get(uint16_t port_id, struct dp_ether_addr *mac);

/**
 * Change the port's MAC address.
 *
 * @return
 *   0, -ENODEV, -EINVAL (not a valid unicast address), -ENOTSUP.
 */
int dp_eth_macaddr_set(uint16_t port_id, const struct dp_ether_addr *mac);

/** Most unicast addresses a port can filter on (its own one included). */
#define DP_ETH_MAX_MAC_ADDRS 16

/**
 * Also receive frames sent to @p mac: a unicast address filter besides
 * the port's own address (dp_eth_dev_info.max_mac_addrs of them in all).
 *
 * @return
 *   0 (also when the address is already there), -ENODEV, -EINVAL (not a
 *   unicast address a port can take), -ENOSPC (every filter is in use),
 *   -ENOTSUP (the driver has no address filters).
 */
int dp_eth_dev_mac_addr_add(uint16_t port_id, const struct dp_ether_addr *mac);

/**
 * Stop receiving frames for an address added with
 * dp_eth_dev_mac_addr_add().
 *
 * @return
 *   0, -ENODEV, -EINVAL (NULL, or the port's own address: change that
 *   with dp_eth_macaddr_set()), -ENOENT (not added), -ENOTSUP.
 */
int dp_eth_dev_mac_addr_remove(uint16_t port_id,
	const struct dp_ether_addr *mac);

/**
 * Receive the multicast groups of @p list (and no other, unless
 * all-multicast or promiscuous mode is on). Replaces the previous list;
 * @p nb 0 empties it. Hash filters may let a few other groups through.
 *
 * @return
 *   0, -ENODEV, -EINVAL (an address that is not multicast, logged;
 *   NULL with @p nb > 0), -ENOTSUP.
 */
int dp_eth_dev_set_mc_addr_list(uint16_t port_id,
	const struct dp_ether_addr *list, uint32_t nb);

/**
 * Change the MTU.
 *
 * @return
 *   0, -ENODEV, -EINVAL (outside [min_mtu, max_mtu], or larger than the RX
 *   buffers allow without scatter), -ENOTSUP, -EBUSY.
 */
int dp_eth_dev_set_mtu(uint16_t port_id, uint16_t mtu);

/** Current MTU. @return 0, -ENODEV. */
int dp_eth_dev_get_mtu(uint16_t port_id, uint16_t *mtu);

/**
 * Update RSS redirection table entries (those whose mask bit is set).
 *
 * @return
 *   0, -ENODEV, -EINVAL (size differs from reta_size, queue out of range),
 *   -ENOTSUP.
 */
int dp_eth_dev_rss_reta_update(uint16_t port_id,
	struct dp_eth_rss_reta_entry64 *reta_conf, uint16_t reta_size);

/** Read RSS redirection table entries (those whose mask bit is set). */
int dp_eth_dev_rss_reta_query(uint16_t port_id,
	struct dp_eth_rss_reta_entry64 *reta_conf, uint16_t reta_size);

/** Change the RSS key and hashed packet types. @return 0, -ENODEV, -EINVAL, -ENOTSUP. */
int dp_eth_dev_rss_hash_update(uint16_t port_id,
	struct dp_eth_rss_conf *rss_conf);

/** Read the RSS key (if rss_key is not NULL) and hashed types. */
int dp_eth_dev_rss_hash_conf_get(uint16_t port_id,
	struct dp_eth_rss_conf *rss_conf);

/* ---- statistics ----------------------------------------------------------- */

/**
 * Basic statistics since start or the last reset.
 *
 * @return
 *   0, -ENODEV, -EINVAL.
 */
int dp_eth_stats_get(uint16_t port_id, struct dp_eth_stats *stats);

/** Reset basic and extended statistics. @return 0, -ENODEV. */
int dp_eth_stats_reset(uint16_t port_id);

/**
 * Names of the extended statistics: the basic ones (rx_good_packets, ...,
 * rx_q0_packets, ...) followed by the driver's own.
 *
 * @param names
 *   Array of @p size entries, or NULL to ask for the count.
 * @return
 *   The number of statistics (if > @p size, nothing was written), or
 *   -ENODEV.
 */
int dp_eth_xstats_get_names(uint16_t port_id,
	struct dp_eth_xstat_name *names, unsigned int size);

/**
 * Values of the extended statistics, in the order of the names.
 *
 * @return
 *   The number of statistics (if > @p n, nothing was written), -ENODEV.
 */
int dp_eth_xstats_get(uint16_t port_id, struct dp_eth_xstat *xstats,
	unsigned int n);

/**
 * Value of one extended statistic by name.
 *
 * @return
 *   0 and *value, -ENODEV, -ENOENT.
 */
int dp_eth_xstats_get_by_name(uint16_t port_id, const char *name,
	uint64_t *value);

/** Reset extended (and basic) statistics. @return 0, -ENODEV. */
int dp_eth_xstats_reset(uint16_t port_id);

/* ---- events ------------------------------------------------------------------ */

/** Port events. */
enum dp_eth_event_type {
	DP_ETH_EVENT_UNKNOWN,
	DP_ETH_EVENT_INTR_LSC,	/**< link state changed */
	DP_ETH_EVENT_INTR_RESET,	/**< the device needs a reset */
	DP_ETH_EVENT_NEW,	/**< a port was probed */
	DP_ETH_EVENT_DESTROY,	/**< a port was closed */
	DP_ETH_EVENT_MAX,
};

/**
 * Event callback.
 *
 * @return
 *   Ignored (0 by convention).
 */
typedef int (*dp_eth_dev_cb_fn)(uint16_t port_id, enum dp_eth_event_type event,
	void *cb_arg);

/**
 * Call @p cb when @p event happens on @p port_id (DP_MAX_ETHPORTS for
 * every port). Link state events need intr_conf.lsc in the configuration
 * and a driver that supports them; callbacks run on the EAL interrupt
 * thread, or from dp_eth_link_get() for drivers that poll.
 *
 * @return
 *   0, -EINVAL, -ENOMEM.
 */
int dp_eth_dev_callback_register(uint16_t port_id,
	enum dp_eth_event_type event, dp_eth_dev_cb_fn cb, void *cb_arg);

/** Remove a callback. @return 0, -ENOENT. */
int dp_eth_dev_callback_unregister(uint16_t port_id,
	enum dp_eth_event_type event, dp_eth_dev_cb_fn cb, void *cb_arg);

/* ---- RX interrupts ----------------------------------------------------------- */

/**
 * Ask the driver to raise an interrupt when queue @p queue_id receives a
 * packet (needs intr_conf.rxq). Arm it, check the queue once more, then
 * sleep on the fd from dp_eth_dev_rx_intr_ctl_q_get_fd().
 *
 * @return
 *   0, -ENODEV, -EINVAL, -ENOTSUP.
 */
int dp_eth_dev_rx_intr_enable(uint16_t port_id, uint16_t queue_id);

/** Stop RX interrupts of a queue (back to polling). */
int dp_eth_dev_rx_intr_disable(uint16_t port_id, uint16_t queue_id);

/**
 * File descriptor that becomes readable when queue @p queue_id's
 * interrupt fires, for the application's own epoll/poll.
 *
 * @return
 *   The fd (>= 0), -ENODEV, -EINVAL, -ENOTSUP.
 */
int dp_eth_dev_rx_intr_ctl_q_get_fd(uint16_t port_id, uint16_t queue_id);

/**
 * Wait for an RX interrupt on @p queue_id (epoll on its fd) for at most
 * @p timeout_ms, then acknowledge it.
 *
 * @return
 *   1 if the interrupt fired, 0 on timeout, negative errno on error.
 */
int dp_eth_dev_rx_intr_wait(uint16_t port_id, uint16_t queue_id,
	int timeout_ms);

/* ---- TX buffering ----------------------------------------------------------- */

/** Called by dp_eth_tx_buffer_flush() with the packets tx_burst did not take. */
typedef void (*dp_eth_tx_buffer_error_fn)(struct dp_mbuf **unsent,
	uint16_t count, void *userdata);

/** A batch of packets waiting to be sent (see dp_eth_tx_buffer()). */
struct dp_eth_dev_tx_buffer {
	dp_eth_tx_buffer_error_fn error_callback;	/**< for unsent packets */
	void *error_userdata;		/**< argument of the callback */
	uint16_t size;			/**< capacity in packets */
	uint16_t length;		/**< packets waiting */
	struct dp_mbuf *pkts[];		/**< the packets */
};

/** Bytes needed for a TX buffer of @p sz packets. */
#define DP_ETH_TX_BUFFER_SIZE(sz) \
	(sizeof(struct dp_eth_dev_tx_buffer) + (sz) * sizeof(struct dp_mbuf *))

/**
 * Initialize a TX buffer of @p size packets (memory from
 * DP_ETH_TX_BUFFER_SIZE()); unsent packets are freed by default.
 *
 * @return
 *   0, -EINVAL.
 */
int dp_eth_tx_buffer_init(struct dp_eth_dev_tx_buffer *buffer, uint16_t size);

/**
 * Choose what happens to packets tx_burst did not take.
 *
 * @return
 *   0, -EINVAL.
 */
int dp_eth_tx_buffer_set_err_callback(struct dp_eth_dev_tx_buffer *buffer,
	dp_eth_tx_buffer_error_fn callback, void *userdata);

/** Error callback that frees unsent packets (the default). */
void dp_eth_tx_buffer_drop_callback(struct dp_mbuf **pkts, uint16_t unsent,
	void *userdata);

/** Error callback that frees unsent packets and adds their number to *(uint64_t *)userdata. */
void dp_eth_tx_buffer_count_callback(struct dp_mbuf **pkts, uint16_t unsent,
	void *userdata);

#ifdef __cplusplus
}
#endif

#include <dp_ethdev_core.h>

#endif /* DP_ETHDEV_H */
