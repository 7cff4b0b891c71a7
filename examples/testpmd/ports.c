/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * testpmd's ports: the mbuf pool, configuring and starting every port
 * from the command line settings (queue counts checked against what each
 * driver has, RSS clamped to what it can do, with a message), start/stop,
 * promiscuous mode, "show port info", and closing with the mbuf count.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <dp_errno.h>
#include <dp_lcore.h>
#include <dp_mbuf.h>

#include "testpmd.h"

/* Per-lcore mbuf cache of the pool. */
#define TP_POOL_CACHE 256
/* Fewest mbufs in a computed pool. */
#define TP_POOL_MIN 8192
/* Ring size assumed for drivers that state no preference. */
#define TP_DEFAULT_RING 1024

struct tp_port tp_ports[DP_MAX_ETHPORTS];
struct dp_mempool *tp_pool;

uint16_t
tp_nb_ports(void)
{
	return dp_eth_dev_count_avail();
}

unsigned int
tp_mbufs_in_use(void)
{
	return tp_pool ? dp_mempool_in_use_count(tp_pool) : 0;
}

/* --rxq / --txq within what the driver has? */
static int
check_queues(uint16_t port, const char *dir, uint16_t want, uint16_t max)
{
	if (want <= max)
		return 0;
	tp_err("--%cxq=%u: port %u (%s) has at most %u %s queue%s (driver %s)",
		dir[0] == 'R' ? 'r' : 't', want, port, tp_ports[port].name, max,
		dir, max == 1 ? "" : "s", tp_ports[port].driver);
	return TP_EXIT_USAGE;
}

/* Read what testpmd needs of a port; refuse queue counts it cannot have. */
static int
port_probe_info(uint16_t port)
{
	struct tp_port *tp = &tp_ports[port];
	struct dp_eth_dev_info info;
	int rc;

	rc = dp_eth_dev_info_get(port, &info);
	if (rc < 0) {
		tp_err("port %u: cannot read its capabilities: %s", port,
			dp_strerror(rc));
		return TP_EXIT_FAIL;
	}
	snprintf(tp->name, sizeof(tp->name), "%s", info.device_name);
	tp->driver = info.driver_name;
	tp->max_rxq = info.max_rx_queues;
	tp->max_txq = info.max_tx_queues;
	rc = check_queues(port, "RX", tp_cfg.nb_rxq, info.max_rx_queues);
	if (rc == 0)
		rc = check_queues(port, "TX", tp_cfg.nb_txq, info.max_tx_queues);
	return rc;
}

static unsigned int
pool_size(uint16_t nb_ports)
{
	unsigned int rxd = tp_cfg.nb_rxd ? tp_cfg.nb_rxd : TP_DEFAULT_RING;
	unsigned int txd = tp_cfg.nb_txd ? tp_cfg.nb_txd : TP_DEFAULT_RING;
	unsigned int n;

	if (tp_cfg.total_num_mbufs)
		return tp_cfg.total_num_mbufs;
	/* Full RX and TX rings, a burst in flight per queue, the caches. */
	n = nb_ports * (tp_cfg.nb_rxq * (rxd + tp_cfg.burst) +
		tp_cfg.nb_txq * (txd + tp_cfg.burst)) +
		dp_lcore_count() * TP_POOL_CACHE * 3 / 2;
	return DP_MAX(n, (unsigned int)TP_POOL_MIN);
}

/* Port ids in order, for the topology. */
static uint16_t
port_list(uint16_t *ids)
{
	uint16_t p, n = 0;

	DP_ETH_FOREACH_DEV(p)
		ids[n++] = p;
	return n;
}

static void
set_peers(void)
{
	uint16_t ids[DP_MAX_ETHPORTS], n = port_list(ids), i;

	for (i = 0; i < n; i++) {
		uint16_t peer = ids[i];

		switch (tp_cfg.topology) {
		case TP_TOPO_PAIRED:
			if (i % 2 == 0)
				peer = i + 1 < n ? ids[i + 1] : ids[i];
			else
				peer = ids[i - 1];
			break;
		case TP_TOPO_CHAINED:
			peer = ids[(i + 1) % n];
			break;
		case TP_TOPO_LOOP:
			break;
		}
		tp_ports[ids[i]].peer = peer;
	}
	if (tp_cfg.topology == TP_TOPO_PAIRED && n % 2)
		tp_warn("--port-topology=paired with an odd number of ports (%u): "
			"port %u forwards to itself", n, ids[n - 1]);
}

/* RSS over several RX queues, limited to what the driver hashes on. */
static void
rss_conf(uint16_t port, const struct dp_eth_dev_info *info,
	struct dp_eth_conf *conf)
{
	uint64_t want = tp_cfg.rss_hf ? tp_cfg.rss_hf : DP_ETH_RSS_IP;
	uint64_t have = want & info->flow_type_rss_offloads;

	if (tp_cfg.nb_rxq < 2) {
		if (tp_cfg.rss_hf)
			tp_warn("port %u: RSS needs several RX queues (--rxq=2 or "
				"more); it is off", port);
		return;
	}
	if (have == 0) {
		if (tp_cfg.rss_hf)
			tp_warn("port %u: %s does no RSS%s: its %u RX queues get "
				"packets the driver's own way", port,
				info->driver_name,
				info->flow_type_rss_offloads ? " on these types" : "",
				tp_cfg.nb_rxq);
		return;
	}
	if (have != want)
		tp_warn("port %u: %s hashes on only some of the %s asks for: "
			"RSS uses what it supports", port, info->driver_name,
			tp_cfg.rss_hf & DP_ETH_RSS_UDP ? "IP addresses and UDP "
			"ports --rss-udp" : "IP addresses --rss-ip (the default)");
	conf->rxmode.mq_mode = DP_ETH_MQ_RX_RSS;
	conf->rx_adv_conf.rss_conf.rss_hf = have;
}

/*
 * --mtu: frames larger than an mbuf's data room need scatter on RX and
 * chained packets on TX (forwarded as they came).
 */
static int
mtu_conf(uint16_t port, const struct dp_eth_dev_info *info,
	struct dp_eth_conf *conf)
{
	uint32_t frame = (uint32_t)tp_cfg.mtu + DP_ETHER_HDR_LEN +
		DP_ETHER_CRC_LEN;

	if (tp_cfg.mtu == 0)
		return 0;
	conf->rxmode.mtu = tp_cfg.mtu;
	if (frame <= DP_MBUF_DEFAULT_DATAROOM)
		return 0;
	if (!(info->rx_offload_capa & DP_ETH_RX_OFFLOAD_SCATTER)) {
		tp_err("--mtu=%u: frames of %u bytes do not fit one mbuf and "
			"port %u (%s) cannot receive them chained (no scatter)",
			tp_cfg.mtu, frame, port, info->driver_name);
		return -EINVAL;
	}
	conf->rxmode.offloads |= DP_ETH_RX_OFFLOAD_SCATTER;
	conf->txmode.offloads |= info->tx_offload_capa &
		DP_ETH_TX_OFFLOAD_MULTI_SEGS;
	return 0;
}

static int
port_setup(uint16_t port)
{
	struct tp_port *tp = &tp_ports[port];
	struct dp_eth_conf conf = { 0 };
	struct dp_eth_dev_info info;
	int socket = dp_eth_dev_socket_id(port);
	uint16_t q;
	int rc;

	printf("Configuring port %u (%s, driver %s)\n", port, tp->name,
		tp->driver);
	rc = dp_eth_dev_info_get(port, &info);
	if (rc == 0) {
		rss_conf(port, &info, &conf);
		rc = mtu_conf(port, &info, &conf);
	}
	if (rc == 0) {
		conf.intr_conf.rxq = tp_cfg.rx_intr;
		rc = dp_eth_dev_configure(port, tp_cfg.nb_rxq, tp_cfg.nb_txq,
			&conf);
	}
	if (rc < 0) {
		tp_err("port %u: cannot configure %u RX and %u TX queues: %s "
			"(the reason is logged above)", port, tp_cfg.nb_rxq,
			tp_cfg.nb_txq, dp_strerror(rc));
		return TP_EXIT_FAIL;
	}
	for (q = 0; q < tp_cfg.nb_rxq; q++) {
		rc = dp_eth_rx_queue_setup(port, q, tp_cfg.nb_rxd, socket, NULL,
			tp_pool);
		if (rc < 0) {
			tp_err("port %u: cannot set up RX queue %u (--rxd=%u): %s",
				port, q, tp_cfg.nb_rxd, dp_strerror(rc));
			return TP_EXIT_FAIL;
		}
	}
	for (q = 0; q < tp_cfg.nb_txq; q++) {
		rc = dp_eth_tx_queue_setup(port, q, tp_cfg.nb_txd, socket, NULL);
		if (rc < 0) {
			tp_err("port %u: cannot set up TX queue %u (--txd=%u): %s",
				port, q, tp_cfg.nb_txd, dp_strerror(rc));
			return TP_EXIT_FAIL;
		}
	}
	/* Forward whatever arrives, as a test tool should. */
	rc = dp_eth_promiscuous_enable(port);
	if (rc < 0 && rc != -ENOTSUP)
		tp_warn("port %u: cannot enable promiscuous mode: %s", port,
			dp_strerror(rc));
	if (tp_port_start(port) < 0)
		return TP_EXIT_FAIL;
	dp_eth_macaddr_get(port, &tp->mac);
	return 0;
}

int
tp_ports_init(void)
{
	uint16_t ids[DP_MAX_ETHPORTS], n = port_list(ids), i;
	unsigned int nb_mbufs;
	int rc;

	if (n == 0) {
		tp_err("no ports: create some with --vdev (e.g. --vdev=net_null0 "
			"--vdev=net_null1, or --vdev=net_ring0), or bind a NIC to "
			"vfio-pci with dpkit-devbind");
		return TP_EXIT_USAGE;
	}
	for (i = 0; i < n; i++) {
		rc = port_probe_info(ids[i]);
		if (rc != 0)
			return rc;
	}
	nb_mbufs = pool_size(n);
	tp_pool = dp_pktmbuf_pool_create("testpmd_pool", nb_mbufs,
		DP_MIN((unsigned int)TP_POOL_CACHE, nb_mbufs * 2 / 3), 0,
		DP_MBUF_DEFAULT_BUF_SIZE, dp_socket_id());
	if (tp_pool == NULL) {
		tp_err("cannot create a pool of %u mbufs: %s (give more memory "
			"with -m, or fewer mbufs with --total-num-mbufs)", nb_mbufs,
			dp_strerror(dp_errno));
		return TP_EXIT_FAIL;
	}
	printf("mbuf pool: %u mbufs of %u bytes\n", nb_mbufs,
		(unsigned int)DP_MBUF_DEFAULT_BUF_SIZE);
	set_peers();
	for (i = 0; i < n; i++) {
		rc = port_setup(ids[i]);
		if (rc != 0)
			return rc;
	}
	fflush(stdout);
	return 0;
}

int
tp_port_start(uint16_t port)
{
	struct tp_port *tp = &tp_ports[port];
	char mac[DP_ETHER_ADDR_FMT_SIZE], link_str[64];
	struct dp_eth_link link;
	int rc;

	rc = dp_eth_dev_start(port);
	if (rc < 0) {
		tp_err("port %u: cannot start: %s (the reason is logged above)",
			port, dp_strerror(rc));
		return rc;
	}
	tp->started = true;
	dp_eth_macaddr_get(port, &tp->mac);
	dp_ether_format_addr(mac, sizeof(mac), &tp->mac);
	if (dp_eth_link_get_nowait(port, &link) < 0 ||
	    dp_eth_link_to_str(link_str, sizeof(link_str), &link) < 0)
		snprintf(link_str, sizeof(link_str), "link state unknown");
	printf("Port %u: %s, %s\n", port, mac, link_str);
	return 0;
}

int
tp_port_stop(uint16_t port)
{
	int rc = dp_eth_dev_stop(port);

	if (rc < 0) {
		tp_err("port %u: cannot stop: %s", port, dp_strerror(rc));
		return rc;
	}
	tp_ports[port].started = false;
	printf("Port %u stopped\n", port);
	return 0;
}

int
tp_port_promisc(uint16_t port, bool on)
{
	int rc = on ? dp_eth_promiscuous_enable(port) :
		dp_eth_promiscuous_disable(port);

	if (rc < 0)
		tp_err("port %u: cannot turn promiscuous mode %s: %s", port,
			on ? "on" : "off", rc == -ENOTSUP ?
			"the driver does not support it" : dp_strerror(rc));
	return rc;
}

static const char *
onoff(int v)
{
	return v == 1 ? "enabled" : v == 0 ? "disabled" : "unknown";
}

void
tp_port_info_show(uint16_t port)
{
	struct tp_port *tp = &tp_ports[port];
	char buf[256], mac[DP_ETHER_ADDR_FMT_SIZE];
	struct dp_eth_dev_info info;
	struct dp_eth_link link;
	uint16_t mtu = 0;
	int socket;

	if (dp_eth_dev_info_get(port, &info) < 0)
		return;
	dp_ether_format_addr(mac, sizeof(mac), &tp->mac);
	printf("\n********************* Infos for port %-2u *********************\n",
		port);
	printf("MAC address: %s\n", mac);
	printf("Device name: %s\n", info.device_name);
	printf("Driver name: %s\n", info.driver_name);
	socket = dp_eth_dev_socket_id(port);
	if (socket == DP_SOCKET_ID_ANY)
		printf("Socket id: any\n");
	else
		printf("Socket id: %d\n", socket);
	printf("Port state: %s\n", tp->started ? "started" : "stopped");
	if (dp_eth_link_get_nowait(port, &link) == 0 &&
	    dp_eth_link_to_str(buf, sizeof(buf), &link) >= 0)
		printf("Link: %s\n", buf);
	dp_eth_dev_get_mtu(port, &mtu);
	printf("MTU: %u\n", mtu);
	printf("Promiscuous mode: %s\n", onoff(dp_eth_promiscuous_get(port)));
	printf("Allmulticast mode: %s\n", onoff(dp_eth_allmulticast_get(port)));
	printf("RX queues: %u configured, at most %u\n", info.nb_rx_queues,
		info.max_rx_queues);
	printf("TX queues: %u configured, at most %u\n", info.nb_tx_queues,
		info.max_tx_queues);
	printf("RX descriptors: %u to %u per queue (multiple of %u)\n",
		info.rx_desc_lim.nb_min, info.rx_desc_lim.nb_max,
		DP_MAX(info.rx_desc_lim.nb_align, (uint16_t)1));
	printf("TX descriptors: %u to %u per queue (multiple of %u)\n",
		info.tx_desc_lim.nb_min, info.tx_desc_lim.nb_max,
		DP_MAX(info.tx_desc_lim.nb_align, (uint16_t)1));
	printf("Preferred burst: RX %u, TX %u\n",
		info.default_rxportconf.burst_size,
		info.default_txportconf.burst_size);
	printf("RX offloads: %s\n", info.rx_offload_capa ?
		dp_eth_rx_offloads_to_str(info.rx_offload_capa, buf, sizeof(buf)) :
		"none");
	printf("TX offloads: %s\n", info.tx_offload_capa ?
		dp_eth_tx_offloads_to_str(info.tx_offload_capa, buf, sizeof(buf)) :
		"none");
	printf("RSS: %s (redirection table %u entries, key %u bytes)\n",
		info.flow_type_rss_offloads ? "supported" : "not supported",
		info.reta_size, info.hash_key_size);
	printf("Forwards to: port %u (--port-topology)\n", tp->peer);
	fflush(stdout);
}

int
tp_ports_close(void)
{
	unsigned int leaked;
	uint16_t p, ids[DP_MAX_ETHPORTS], n = port_list(ids), i;

	if (n > 0)
		printf("Stopping and closing ports...\n");
	for (i = 0; i < n; i++) {
		p = ids[i];
		dp_eth_dev_stop(p);
		dp_eth_dev_close(p);
		tp_ports[p].started = false;
		free(tp_ports[p].tmpl);
		tp_ports[p].tmpl = NULL;
	}
	if (tp_pool == NULL)
		return TP_EXIT_OK;
	leaked = dp_mempool_in_use_count(tp_pool);
	printf("mbufs still in use after closing the ports: %u\n", leaked);
	fflush(stdout);
	dp_mempool_free(tp_pool);
	tp_pool = NULL;
	if (leaked) {
		tp_err("%u mbufs were not returned to the pool", leaked);
		return TP_EXIT_FAIL;
	}
	return TP_EXIT_OK;
}
