/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Port API tests on virtual ports: the state machine and its refusals (each
 * with its log line), statistics and xstats, TX buffering, RX/TX and event
 * callbacks, run-time vdevs, and that every mbuf is back in its pool after
 * each test.
 */

#include "test_helpers.h"

#include <dp_bus_vdev.h>
#include <dp_eal.h>
#include <dp_ethdev_driver.h>
#include <dp_kvargs.h>
#include <dp_mbuf.h>

static struct dp_mempool *pool;
static uint16_t null0, null1;

#define NB_MBUF 4096

static int
setup_eal(void **state)
{
	const char *args[] = { "--no-huge", "-m", "128", "--no-pci",
		"--log-level=eal:warning", "--vdev=net_null0",
		"--vdev=net_null1,size=100", "-l", "0", NULL };
	struct test_argv a;
	int rc;

	(void)state;
	test_argv_build(&a, args);
	rc = dp_eal_init(a.argc, a.argv);
	test_argv_free(&a);
	if (rc < 0)
		return -1;
	pool = dp_pktmbuf_pool_create("ethdev_test", NB_MBUF, 64, 0,
		DP_MBUF_DEFAULT_BUF_SIZE, DP_SOCKET_ID_ANY);
	if (pool == NULL)
		return -1;
	if (dp_eth_dev_get_port_by_name("net_null0", &null0) != 0 ||
	    dp_eth_dev_get_port_by_name("net_null1", &null1) != 0)
		return -1;
	return 0;
}

static int
teardown_eal(void **state)
{
	(void)state;
	dp_eth_dev_close_all();
	dp_mempool_free(pool);
	return dp_eal_cleanup();
}

/* Every test leaves every mbuf in the pool. */
static int
check_pool_full(void **state)
{
	(void)state;
	if (dp_mempool_in_use_count(pool) != 0) {
		fprintf(stderr, "%u mbufs still in use\n",
			dp_mempool_in_use_count(pool));
		return -1;
	}
	return 0;
}

/* configure + 1 RX + 1 TX queue + start. */
static void
bring_up(uint16_t port, const struct dp_eth_conf *conf)
{
	assert_int_equal(dp_eth_dev_configure(port, 1, 1, conf), 0);
	assert_int_equal(dp_eth_rx_queue_setup(port, 0, 0, DP_SOCKET_ID_ANY,
		NULL, pool), 0);
	assert_int_equal(dp_eth_tx_queue_setup(port, 0, 0, DP_SOCKET_ID_ANY,
		NULL), 0);
	assert_int_equal(dp_eth_dev_start(port), 0);
}

static void
test_enumeration(void **state)
{
	char name[DP_ETH_NAME_MAX_LEN];
	struct dp_eth_dev_info info;
	uint16_t p, n = 0;

	(void)state;
	assert_int_equal(dp_eth_dev_count_avail(), 2);
	DP_ETH_FOREACH_DEV(p)
		n++;
	assert_int_equal(n, 2);
	assert_int_equal(dp_eth_dev_get_name_by_port(null1, name), 0);
	assert_string_equal(name, "net_null1");
	assert_int_equal(dp_eth_dev_get_port_by_name("net_nope", &p), -ENODEV);
	assert_false(dp_eth_dev_is_valid_port(DP_MAX_ETHPORTS - 1));
	assert_int_equal(dp_eth_dev_info_get(null0, &info), 0);
	assert_string_equal(info.driver_name, "net_null");
	assert_string_equal(info.device_name, "net_null0");
	assert_int_equal(info.default_rxportconf.burst_size, 32);
	assert_int_equal(dp_eth_dev_socket_id(null0), DP_SOCKET_ID_ANY);

	test_log_capture();
	assert_int_equal(dp_eth_dev_info_get(DP_MAX_ETHPORTS - 1, &info), -ENODEV);
	test_log_release();
	assert_logged("port 31 does not exist");
}

static void
test_state_machine(void **state)
{
	struct dp_eth_conf conf = { 0 };
	struct dp_mbuf *pkts[8];

	(void)state;
	test_log_capture();
	/* Queue setup before configure. */
	assert_int_equal(dp_eth_rx_queue_setup(null0, 0, 0, DP_SOCKET_ID_ANY,
		NULL, pool), -EINVAL);
	assert_logged("port 0 (net_null0): configure the port (dp_eth_dev_configure) before setting up queues");
	/* Start before configure. */
	assert_int_equal(dp_eth_dev_start(null0), -EINVAL);
	assert_logged("configure the port (dp_eth_dev_configure) and set up its queues before starting it");

	assert_int_equal(dp_eth_dev_configure(null0, 2, 1, &conf), 0);
	/* Queue beyond the configured count. */
	assert_int_equal(dp_eth_rx_queue_setup(null0, 2, 0, DP_SOCKET_ID_ANY,
		NULL, pool), -EINVAL);
	assert_logged("RX queue 2 does not exist: the port was configured with 2");
	/* No pool. */
	assert_int_equal(dp_eth_rx_queue_setup(null0, 0, 0, DP_SOCKET_ID_ANY,
		NULL, NULL), -EINVAL);
	assert_logged("no mempool given");
	assert_int_equal(dp_eth_rx_queue_setup(null0, 0, 0, DP_SOCKET_ID_ANY,
		NULL, pool), 0);
	assert_int_equal(dp_eth_tx_queue_setup(null0, 0, 0, DP_SOCKET_ID_ANY,
		NULL), 0);
	/* RX queue 1 missing. */
	assert_int_equal(dp_eth_dev_start(null0), -EINVAL);
	assert_logged("RX queue 1 is not set up (dp_eth_rx_queue_setup)");
	/* A queue set up twice is simply replaced. */
	assert_int_equal(dp_eth_rx_queue_setup(null0, 1, 0, DP_SOCKET_ID_ANY,
		NULL, pool), 0);
	assert_int_equal(dp_eth_rx_queue_setup(null0, 1, 0, DP_SOCKET_ID_ANY,
		NULL, pool), 0);
	/* Bursts on a port that is not started return nothing. */
	assert_int_equal(dp_eth_rx_burst(null0, 0, pkts, 8), 0);
	assert_int_equal(dp_eth_dev_start(null0), 0);
	assert_int_equal(dp_eth_dev_start(null0), 0);	/* harmless */
	assert_logged("already started");
	/* Setup and configure on a started port are refused. */
	assert_int_equal(dp_eth_rx_queue_setup(null0, 0, 0, DP_SOCKET_ID_ANY,
		NULL, pool), -EBUSY);
	assert_logged("stop the port (dp_eth_dev_stop) before setting up RX queue 0");
	assert_int_equal(dp_eth_tx_queue_setup(null0, 0, 0, DP_SOCKET_ID_ANY,
		NULL), -EBUSY);
	assert_int_equal(dp_eth_dev_configure(null0, 1, 1, &conf), -EBUSY);
	assert_logged("stop the port (dp_eth_dev_stop) before configuring it");

	/* Running: bursts work on both queues. */
	assert_int_equal(dp_eth_rx_burst(null0, 1, pkts, 8), 8);
	assert_int_equal(dp_mempool_in_use_count(pool), 8);
	assert_int_equal(dp_eth_tx_burst(null0, 0, pkts, 8), 8);
	assert_int_equal(dp_mempool_in_use_count(pool), 0);

	assert_int_equal(dp_eth_dev_stop(null0), 0);
	assert_int_equal(dp_eth_dev_stop(null0), 0);	/* harmless */
	assert_int_equal(dp_eth_rx_burst(null0, 0, pkts, 8), 0);
	/* Stopped: reconfigure to fewer queues works. */
	assert_int_equal(dp_eth_dev_configure(null0, 1, 1, &conf), 0);
	assert_int_equal(dp_eth_dev_start(null0), 0);
	assert_int_equal(dp_eth_dev_stop(null0), 0);
	test_log_release();
}

static void
test_config_refusals(void **state)
{
	struct dp_eth_conf conf = { 0 };

	(void)state;
	test_log_capture();
	assert_int_equal(dp_eth_dev_configure(null0, 65, 1, &conf), -EINVAL);
	assert_logged("65 RX queues requested, net_null has at most 64");
	conf.rxmode.offloads = DP_ETH_RX_OFFLOAD_VLAN_STRIP;
	assert_int_equal(dp_eth_dev_configure(null0, 1, 1, &conf), -EINVAL);
	assert_logged("RX offload 'vlan_strip' is not supported by net_null (supported: scatter)");
	conf.rxmode.offloads = 0;
	conf.txmode.offloads = DP_ETH_TX_OFFLOAD_TCP_TSO;
	assert_int_equal(dp_eth_dev_configure(null0, 1, 1, &conf), -EINVAL);
	assert_logged("TX offload 'tcp_tso' is not supported");
	conf.txmode.offloads = 0;
	conf.rxmode.mq_mode = DP_ETH_MQ_RX_RSS;
	conf.rx_adv_conf.rss_conf.rss_hf = DP_ETH_RSS_IPV4 | DP_ETH_RSS_NONFRAG_IPV4_UDP;
	assert_int_equal(dp_eth_dev_configure(null0, 1, 1, &conf), -EINVAL);
	assert_logged("RSS on ipv4, ipv4-udp is not supported by net_null (supported: none)");
	conf.rxmode.mq_mode = DP_ETH_MQ_RX_NONE;
	conf.rxmode.mtu = 20;
	assert_int_equal(dp_eth_dev_configure(null0, 1, 1, &conf), -EINVAL);
	assert_logged("MTU 20 is outside what net_null supports (68-65535)");
	conf.rxmode.mtu = 0;
	conf.intr_conf.lsc = 1;
	assert_int_equal(dp_eth_dev_configure(null0, 1, 1, &conf), -EINVAL);
	assert_logged("net_null has no link state interrupt");
	conf.intr_conf.lsc = 0;

	/* A pool whose data room ends inside the headroom is refused for
	 * every driver (net_null has no minimum buffer size of its own). */
	{
		struct dp_mempool *tiny = dp_pktmbuf_pool_create("ethdev_tiny",
			63, 0, 0, 64, DP_SOCKET_ID_ANY);
		char msg[160];

		assert_non_null(tiny);
		assert_int_equal(dp_eth_dev_configure(null1, 1, 1, &conf), 0);
		assert_int_equal(dp_eth_rx_queue_setup(null1, 0, 0,
			DP_SOCKET_ID_ANY, NULL, tiny), -EINVAL);
		snprintf(msg, sizeof(msg), "RX queue 0: mbufs of pool "
			"'ethdev_tiny' have a 64-byte data room, no room for data "
			"after the %u-byte headroom", DP_PKTMBUF_HEADROOM);
		assert_logged(msg);
		assert_int_equal(dp_eth_dev_start(null1), -EINVAL);
		assert_int_equal(dp_mempool_in_use_count(tiny), 0);
		dp_mempool_free(tiny);
	}
	test_log_release();
}

static void
test_settings(void **state)
{
	struct dp_ether_addr mac, bad = { { 0x01, 0, 0, 0, 0, 1 } };
	struct dp_ether_addr good = { { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 } };
	struct dp_eth_link link;
	char buf[64];
	uint16_t mtu;

	(void)state;
	assert_int_equal(dp_eth_macaddr_get(null1, &mac), 0);
	assert_int_equal(mac.addr_bytes[0], 0x02);
	assert_int_equal(mac.addr_bytes[5], null1);
	test_log_capture();
	assert_int_equal(dp_eth_macaddr_set(null1, &bad), -EINVAL);
	assert_logged("01:00:00:00:00:01 is not a unicast address");
	test_log_release();
	assert_int_equal(dp_eth_macaddr_set(null1, &good), 0);
	assert_int_equal(dp_eth_macaddr_get(null1, &mac), 0);
	assert_true(dp_is_same_ether_addr(&mac, &good));

	/* Address filters: checked by the layer, then the driver's (none). */
	test_log_capture();
	assert_int_equal(dp_eth_dev_mac_addr_add(null1, &bad), -EINVAL);
	assert_logged("01:00:00:00:00:01 is not a unicast address a port can "
		"filter on");
	mac.addr_bytes[5] ^= 1;
	assert_int_equal(dp_eth_dev_mac_addr_add(null1, &mac), -ENOTSUP);
	assert_logged("net_null has no unicast address filters");
	assert_int_equal(dp_eth_dev_mac_addr_remove(null1, &good), -EINVAL);
	assert_logged("is the port's own address");
	assert_int_equal(dp_eth_dev_set_mc_addr_list(null1, &good, 1), -EINVAL);
	assert_logged("multicast list entry 0, 02:11:22:33:44:55, is not a "
		"multicast group address");
	assert_int_equal(dp_eth_dev_set_mc_addr_list(null1, &bad, 1), -ENOTSUP);
	assert_logged("net_null has no multicast filter");
	assert_int_equal(dp_eth_dev_set_mc_addr_list(null1, NULL, 1), -EINVAL);
	test_log_release();

	assert_int_equal(dp_eth_promiscuous_get(null1), 0);
	assert_int_equal(dp_eth_promiscuous_enable(null1), 0);
	assert_int_equal(dp_eth_promiscuous_get(null1), 1);
	assert_int_equal(dp_eth_promiscuous_disable(null1), 0);
	assert_int_equal(dp_eth_allmulticast_enable(null1), 0);
	assert_int_equal(dp_eth_allmulticast_get(null1), 1);
	assert_int_equal(dp_eth_allmulticast_disable(null1), 0);

	assert_int_equal(dp_eth_dev_set_mtu(null1, 9000), 0);
	assert_int_equal(dp_eth_dev_get_mtu(null1, &mtu), 0);
	assert_int_equal(mtu, 9000);
	test_log_capture();
	assert_int_equal(dp_eth_dev_set_mtu(null1, 10), -EINVAL);
	test_log_release();
	assert_logged("MTU 10 is outside");
	assert_int_equal(dp_eth_dev_set_mtu(null1, DP_ETHER_MTU), 0);

	bring_up(null1, NULL);
	assert_int_equal(dp_eth_link_get_nowait(null1, &link), 0);
	assert_int_equal(link.link_status, DP_ETH_LINK_UP);
	assert_int_equal(link.link_speed, DP_ETH_SPEED_NUM_10G);
	dp_eth_link_to_str(buf, sizeof(buf), &link);
	assert_string_equal(buf, "Link up at 10 Gbps FDX Fixed");
	assert_int_equal(dp_eth_dev_stop(null1), 0);
	assert_int_equal(dp_eth_link_get(null1, &link), 0);
	assert_int_equal(link.link_status, DP_ETH_LINK_DOWN);
	dp_eth_link_to_str(buf, sizeof(buf), &link);
	assert_string_equal(buf, "Link down");
}

static void
test_stats_xstats(void **state)
{
	struct dp_eth_xstat_name *names;
	struct dp_eth_xstat *vals;
	struct dp_eth_stats st;
	struct dp_mbuf *pkts[32];
	uint64_t v;
	int n, i;

	(void)state;
	bring_up(null1, NULL);
	assert_int_equal(dp_eth_stats_reset(null1), 0);
	assert_int_equal(dp_eth_rx_burst(null1, 0, pkts, 32), 32);
	for (i = 0; i < 32; i++) {
		assert_int_equal(pkts[i]->pkt_len, 100);
		assert_int_equal(pkts[i]->data_len, 100);
		assert_int_equal(pkts[i]->port, null1);
	}
	assert_int_equal(dp_eth_tx_burst(null1, 0, pkts, 20), 20);
	dp_pktmbuf_free_bulk(pkts + 20, 12);
	assert_int_equal(dp_eth_stats_get(null1, &st), 0);
	assert_int_equal(st.ipackets, 32);
	assert_int_equal(st.ibytes, 3200);
	assert_int_equal(st.opackets, 20);
	assert_int_equal(st.obytes, 2000);
	assert_int_equal(st.q_ipackets[0], 32);
	assert_int_equal(st.rx_nombuf, 0);

	n = dp_eth_xstats_get_names(null1, NULL, 0);
	/* 8 port counters + 3 per RX queue + 2 per TX queue. */
	assert_int_equal(n, 8 + 3 + 2);
	names = calloc((size_t)n, sizeof(*names));
	vals = calloc((size_t)n, sizeof(*vals));
	assert_int_equal(dp_eth_xstats_get_names(null1, names, (unsigned int)n), n);
	assert_int_equal(dp_eth_xstats_get(null1, vals, (unsigned int)n), n);
	assert_string_equal(names[0].name, "rx_good_packets");
	assert_int_equal(vals[0].value, 32);
	assert_string_equal(names[8].name, "rx_q0_packets");
	assert_int_equal(vals[8].value, 32);
	assert_string_equal(names[11].name, "tx_q0_packets");
	assert_int_equal(vals[11].value, 20);
	for (i = 0; i < n; i++)
		assert_int_equal(vals[i].id, (uint64_t)i);
	/* Too small an array: the count, nothing written. */
	assert_int_equal(dp_eth_xstats_get(null1, vals, 2), n);
	free(names);
	free(vals);

	assert_int_equal(dp_eth_xstats_get_by_name(null1, "tx_good_bytes", &v), 0);
	assert_int_equal(v, 2000);
	assert_int_equal(dp_eth_xstats_get_by_name(null1, "nope", &v), -ENOENT);
	assert_int_equal(dp_eth_xstats_reset(null1), 0);
	assert_int_equal(dp_eth_stats_get(null1, &st), 0);
	assert_int_equal(st.ipackets, 0);
	assert_int_equal(st.obytes, 0);
	assert_int_equal(dp_eth_dev_stop(null1), 0);
}

/* ---- callbacks ---------------------------------------------------------- */

static uint16_t
drop_odd(uint16_t port, uint16_t queue, struct dp_mbuf *pkts[], uint16_t n,
	uint16_t max, void *arg)
{
	uint16_t i, kept = 0;

	(void)port;
	(void)queue;
	(void)max;
	*(unsigned int *)arg += n;
	for (i = 0; i < n; i++) {
		if (i % 2)
			dp_pktmbuf_free(pkts[i]);
		else
			pkts[kept++] = pkts[i];
	}
	return kept;
}

static uint16_t
count_tx(uint16_t port, uint16_t queue, struct dp_mbuf *pkts[], uint16_t n,
	void *arg)
{
	(void)port;
	(void)queue;
	(void)pkts;
	*(unsigned int *)arg += n;
	return n;
}

static int
on_event(uint16_t port, enum dp_eth_event_type ev, void *arg)
{
	unsigned int *counts = arg;

	(void)port;
	counts[ev]++;
	return 0;
}

static void
test_callbacks(void **state)
{
	const struct dp_eth_rxtx_callback *rcb, *tcb;
	unsigned int seen_rx = 0, seen_tx = 0, events[DP_ETH_EVENT_MAX] = { 0 };
	struct dp_mbuf *pkts[16];

	(void)state;
	assert_int_equal(dp_eth_dev_callback_register(null1, DP_ETH_EVENT_INTR_LSC,
		on_event, events), 0);
	bring_up(null1, NULL);
	/* Starting brought the link up: one LSC event. */
	assert_int_equal(events[DP_ETH_EVENT_INTR_LSC], 1);

	rcb = dp_eth_add_rx_callback(null1, 0, drop_odd, &seen_rx);
	tcb = dp_eth_add_tx_callback(null1, 0, count_tx, &seen_tx);
	assert_non_null(rcb);
	assert_non_null(tcb);
	assert_null(dp_eth_add_rx_callback(null1, 3, drop_odd, &seen_rx));
	assert_int_equal(dp_errno, EINVAL);

	assert_int_equal(dp_eth_rx_burst(null1, 0, pkts, 16), 8);
	assert_int_equal(seen_rx, 16);
	assert_int_equal(dp_mempool_in_use_count(pool), 8);
	assert_int_equal(dp_eth_tx_burst(null1, 0, pkts, 8), 8);
	assert_int_equal(seen_tx, 8);

	assert_int_equal(dp_eth_remove_rx_callback(null1, 0, rcb), 0);
	assert_int_equal(dp_eth_remove_rx_callback(null1, 0, rcb), -ENOENT);
	assert_int_equal(dp_eth_remove_tx_callback(null1, 0, tcb), 0);
	assert_int_equal(dp_eth_rx_burst(null1, 0, pkts, 16), 16);
	assert_int_equal(seen_rx, 16);
	dp_pktmbuf_free_bulk(pkts, 16);

	assert_int_equal(dp_eth_dev_stop(null1), 0);
	assert_int_equal(events[DP_ETH_EVENT_INTR_LSC], 2);	/* link down */
	assert_int_equal(dp_eth_dev_callback_unregister(null1,
		DP_ETH_EVENT_INTR_LSC, on_event, events), 0);
	assert_int_equal(dp_eth_dev_callback_unregister(null1,
		DP_ETH_EVENT_INTR_LSC, on_event, events), -ENOENT);
}

/* ---- TX buffer on a ring port that fills up --------------------------- */

static void
test_tx_buffer(void **state)
{
	struct dp_eth_dev_tx_buffer *buf = calloc(1, DP_ETH_TX_BUFFER_SIZE(8));
	struct dp_mbuf *pkts[32];
	uint64_t dropped = 0;
	uint16_t ring, i, sent = 0;
	unsigned int events[DP_ETH_EVENT_MAX] = { 0 };

	(void)state;
	assert_int_equal(dp_eth_dev_callback_register(DP_MAX_ETHPORTS,
		DP_ETH_EVENT_NEW, on_event, events), 0);
	/* A loopback ring port with room for 8 packets. */
	assert_int_equal(dp_vdev_init("net_ring9", "size=8"), 0);
	assert_int_equal(events[DP_ETH_EVENT_NEW], 1);
	assert_int_equal(dp_eth_dev_get_port_by_name("net_ring9", &ring), 0);
	bring_up(ring, NULL);

	assert_int_equal(dp_eth_tx_buffer_init(buf, 4), 0);
	assert_int_equal(dp_eth_tx_buffer_set_err_callback(buf,
		dp_eth_tx_buffer_count_callback, &dropped), 0);
	assert_int_equal(dp_pktmbuf_alloc_bulk(pool, pkts, 10), 0);
	for (i = 0; i < 10; i++) {
		assert_non_null(dp_pktmbuf_append(pkts[i], 60 + i));
		sent += dp_eth_tx_buffer(ring, 0, buf, pkts[i]);
	}
	/* Two full buffers went out; the ring took all 8. */
	assert_int_equal(sent, 8);
	assert_int_equal(dropped, 0);
	assert_int_equal(buf->length, 2);
	/* The ring is full now: flushing drops (frees and counts) both. */
	assert_int_equal(dp_eth_tx_buffer_flush(ring, 0, buf), 0);
	assert_int_equal(dropped, 2);
	assert_int_equal(buf->length, 0);
	assert_int_equal(dp_mempool_in_use_count(pool), 8);

	/* What was sent comes back on RX, the same mbufs in order. */
	assert_int_equal(dp_eth_rx_burst(ring, 0, pkts + 10, 16), 8);
	for (i = 0; i < 8; i++)
		assert_ptr_equal(pkts[10 + i], pkts[i]);
	dp_pktmbuf_free_bulk(pkts + 10, 8);
	/* Counters: the 8 that went through (60..67 bytes), not the two
	 * the full ring refused. */
	{
		struct dp_eth_stats st;

		assert_int_equal(dp_eth_stats_get(ring, &st), 0);
		assert_int_equal(st.opackets, 8);
		assert_int_equal(st.obytes, 8 * 60 + 28);
		assert_int_equal(st.ipackets, 8);
		assert_int_equal(st.ibytes, 8 * 60 + 28);
		assert_int_equal(st.q_ibytes[0], 8 * 60 + 28);
		assert_int_equal(st.q_obytes[0], 8 * 60 + 28);
		assert_int_equal(dp_eth_stats_reset(ring), 0);
		assert_int_equal(dp_eth_stats_get(ring, &st), 0);
		assert_int_equal(st.obytes + st.ibytes + st.opackets, 0);
	}

	/* Closing the port frees what its rings still hold. */
	assert_int_equal(dp_pktmbuf_alloc_bulk(pool, pkts, 5), 0);
	assert_int_equal(dp_eth_tx_burst(ring, 0, pkts, 5), 5);
	assert_int_equal(dp_mempool_in_use_count(pool), 5);
	assert_int_equal(dp_vdev_uninit("net_ring9"), 0);
	assert_int_equal(dp_mempool_in_use_count(pool), 0);
	assert_false(dp_eth_dev_is_valid_port(ring));
	assert_int_equal(dp_eth_dev_callback_unregister(DP_MAX_ETHPORTS,
		DP_ETH_EVENT_NEW, on_event, events), 0);
	free(buf);
}

static void
test_vdev_runtime(void **state)
{
	(void)state;
	test_log_capture();
	assert_int_equal(dp_vdev_init("net_foo0", NULL), -ENOENT);
	assert_logged("no driver for virtual device 'net_foo0'");
	assert_logged("net_null");
	assert_int_equal(dp_vdev_init("net_null0", NULL), -EEXIST);
	assert_logged("virtual device 'net_null0' already exists");
	assert_int_equal(dp_vdev_init("net_null7", "sz=3"), -EINVAL);
	assert_logged("net_null7: unknown argument 'sz' (valid: size, copy, no-rx)");
	assert_int_equal(dp_vdev_init("net_null7", "size=abc"), -EINVAL);
	assert_logged("net_null7: size=abc: expected a number from 1 to 9000");
	assert_int_equal(dp_vdev_init("net_ring3", "peer=net_ring2"), -EINVAL);
	assert_logged("peer=net_ring2 is not an existing net_ring port");
	assert_int_equal(dp_vdev_uninit("net_null7"), -ENOENT);
	assert_int_equal(dp_vdev_init("net_ring8", "stats_bytes=maybe"), -EINVAL);
	test_log_release();
	/* Nothing half-made is left behind. */
	assert_int_equal(dp_eth_dev_count_avail(), 2);

	/* A closed port keeps its device (and name) until dp_vdev_uninit. */
	{
		uint16_t port;

		assert_int_equal(dp_vdev_init("net_null7", NULL), 0);
		assert_int_equal(dp_eth_dev_get_port_by_name("net_null7", &port), 0);
		assert_int_equal(dp_eth_dev_close(port), 0);
		test_log_capture();
		assert_int_equal(dp_vdev_init("net_null7", NULL), -EEXIST);
		assert_logged("a closed port keeps its device: dp_vdev_uninit() removes it");
		test_log_release();
		assert_int_equal(dp_vdev_uninit("net_null7"), 0);
		assert_int_equal(dp_vdev_init("net_null7", NULL), 0);
		assert_int_equal(dp_vdev_uninit("net_null7"), 0);
	}

	/* stats_bytes=0: a ring port that counts packets, never bytes. */
	{
		struct dp_mbuf *m[3], *back[4];
		struct dp_eth_stats st;
		uint16_t port;

		assert_int_equal(dp_vdev_init("net_ring8", "stats_bytes=0"), 0);
		assert_int_equal(dp_eth_dev_get_port_by_name("net_ring8", &port), 0);
		bring_up(port, NULL);
		assert_int_equal(dp_pktmbuf_alloc_bulk(pool, m, 3), 0);
		for (int i = 0; i < 3; i++)
			assert_non_null(dp_pktmbuf_append(m[i], 100));
		assert_int_equal(dp_eth_tx_burst(port, 0, m, 3), 3);
		assert_int_equal(dp_eth_rx_burst(port, 0, back, 4), 3);
		dp_pktmbuf_free_bulk(back, 3);
		assert_int_equal(dp_eth_stats_get(port, &st), 0);
		assert_int_equal(st.opackets, 3);
		assert_int_equal(st.ipackets, 3);
		assert_int_equal(st.obytes + st.ibytes, 0);
		assert_int_equal(dp_vdev_uninit("net_ring8"), 0);
	}
	assert_int_equal(dp_eth_dev_count_avail(), 2);
}

static void
test_kvargs(void **state)
{
	const char *const keys[] = { "a", "b", "flag", NULL };
	struct dp_kvargs *kv;
	uint64_t v = 7;
	bool f = false;

	(void)state;
	kv = dp_kvargs_parse("a=1,b=x,a=0x10,flag", keys, "dev0");
	assert_non_null(kv);
	assert_int_equal(dp_kvargs_count(kv, "a"), 2);
	assert_int_equal(dp_kvargs_count(kv, NULL), 4);
	assert_string_equal(dp_kvargs_get(kv, "a"), "0x10");
	assert_int_equal(dp_kvargs_get_u64(kv, "a", 0, 100, &v), 0);
	assert_int_equal(v, 16);
	assert_int_equal(dp_kvargs_get_u64(kv, "missing", 0, 100, &v), 0);
	assert_int_equal(v, 16);
	assert_int_equal(dp_kvargs_get_bool(kv, "flag", &f), 0);
	assert_true(f);
	test_log_capture();
	assert_int_equal(dp_kvargs_get_u64(kv, "a", 0, 15, &v), -EINVAL);
	assert_logged("dev0: a=0x10: expected a number from 0 to 15");
	assert_int_equal(dp_kvargs_get_bool(kv, "b", &f), -EINVAL);
	test_log_release();
	dp_kvargs_free(kv);

	test_log_capture();
	assert_null(dp_kvargs_parse("a=1,,b", keys, "dev0"));
	assert_null(dp_kvargs_parse("=1", keys, "dev0"));
	assert_logged("argument with an empty key");
	test_log_release();
	kv = dp_kvargs_parse(NULL, keys, NULL);
	assert_non_null(kv);
	assert_int_equal(dp_kvargs_count(kv, NULL), 0);
	dp_kvargs_free(kv);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_enumeration, check_pool_full),
		cmocka_unit_test_teardown(test_state_machine, check_pool_full),
		cmocka_unit_test_teardown(test_config_refusals, check_pool_full),
		cmocka_unit_test_teardown(test_settings, check_pool_full),
		cmocka_unit_test_teardown(test_stats_xstats, check_pool_full),
		cmocka_unit_test_teardown(test_callbacks, check_pool_full),
		cmocka_unit_test_teardown(test_tx_buffer, check_pool_full),
		cmocka_unit_test_teardown(test_vdev_runtime, check_pool_full),
		cmocka_unit_test(test_kvargs),
	};

	return cmocka_run_group_tests_name("ethdev", tests, setup_eal,
		teardown_eal);
}
