/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The igb PMD's control path, without an 82576: the real driver probes a
 * fake PCI device whose BAR0 is plain memory. A responder thread does the
 * few things the silicon does by itself (CTRL.RST clears, MDIC completes,
 * the link comes up after autonegotiation); the software NIC of
 * intel_swnic.h moves frames. Checked: what probe, configure, start and
 * stop write to the registers (reset, RCTL, RXCSUM, RLPML, VME, MRQC,
 * RETA, RSSRK, TCTL, RAL/RAH, MTA, SRRCTL...), receive modes and address
 * filters through the port API, statistics summed from clear-on-read
 * counters, RSS table and key updates, MTU refusals, and frames through
 * dp_eth_rx_burst/dp_eth_tx_burst with the port id set.
 */

#include "test_helpers.h"

#include <pthread.h>

#include <dp_bus_pci.h>
#include <dp_ethdev_driver.h>
#include <dp_mbuf.h>
#include <dp_thash.h>

#include "igb_private.h"
#include "intel_swnic.h"

extern const void *const dp_pmd_anchor_net_igb;

static struct dp_mempool *pool;
static struct swnic nic;
static struct dp_pci_device pci;
static struct dp_pci_driver *drv;
static uint16_t port;
static pthread_t responder_tid;
static volatile bool responder_stop;
static volatile bool responder_resets = true;

static const struct dp_ether_addr eeprom_mac = {
	{ 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 } };

static uint32_t
reg(uint32_t off)
{
	return swnic_reg(&nic, off);
}

static void
reg_set(uint32_t off, uint32_t v)
{
	swnic_reg_set(&nic, off, v);
}

/* What the 82576 does on its own with the registers the driver polls. */
static void *
responder(void *arg)
{
	(void)arg;
	while (!responder_stop) {
		uint32_t ctrl = reg(IGB_CTRL), mdic = reg(IGB_MDIC);

		if (responder_resets && (ctrl & IGB_CTRL_RST)) {
			reg_set(IGB_STATUS, 0);
			reg_set(IGB_EECD, IGB_EECD_AUTO_RD);
			reg_set(IGB_CTRL, ctrl & ~(IGB_CTRL_RST |
				IGB_CTRL_GIO_MASTER_DISABLE));
		}
		if ((mdic & (IGB_MDIC_OP_WRITE | IGB_MDIC_OP_READ)) &&
		    !(mdic & IGB_MDIC_READY)) {
			reg_set(IGB_MDIC, mdic | IGB_MDIC_READY);
			/* A write of BMCR with ANRESTART: the link comes up. */
			if ((mdic & IGB_MDIC_OP_WRITE) &&
			    ((mdic >> IGB_MDIC_REG_SHIFT) & 0x1f) == IGB_PHY_BMCR &&
			    (mdic & IGB_BMCR_ANRESTART))
				reg_set(IGB_STATUS, IGB_STATUS_LU | IGB_STATUS_FD |
					2u << IGB_STATUS_SPEED_SHIFT);
		}
		usleep(50);
	}
	return NULL;
}

static int
setup_eal(void **state)
{
	static const char *const args[] = { "--no-huge", "-m", "256",
		"--no-pci", "--log-level=eal:warning", "-l", "0", NULL };

	(void)state;
	if (test_eal_init_args(args, NULL) < 0)
		return -1;
	pool = dp_pktmbuf_pool_create("igb_test", 4096, 0, 0,
		DP_MBUF_DEFAULT_BUF_SIZE, DP_SOCKET_ID_ANY);
	drv = (struct dp_pci_driver *)(uintptr_t)dp_pmd_anchor_net_igb;
	return pool != NULL && drv != NULL ? 0 : -1;
}

static int
teardown_eal(void **state)
{
	(void)state;
	dp_mempool_free(pool);
	return dp_eal_cleanup();
}

/* A fake 82576 at 0000:09:00.0 whose EEPROM holds eeprom_mac. */
static void
fake_device(void)
{
	const uint8_t *a = eeprom_mac.addr_bytes;

	swnic_init(&nic, &igb_chip_82576);
	memset(&pci, 0, sizeof(pci));
	snprintf(pci.name, sizeof(pci.name), "0000:09:00.0");
	pci.id.vendor_id = 0x8086;
	pci.id.device_id = 0x10c9;
	pci.numa_node = DP_SOCKET_ID_ANY;
	pci.bars[0].addr = nic.bar;
	pci.bars[0].len = SWNIC_BAR_SIZE;
	snprintf(pci.kdrv_name, sizeof(pci.kdrv_name), "vfio-pci");
	reg_set(IGB_RAL(0), (uint32_t)a[0] | (uint32_t)a[1] << 8 |
		(uint32_t)a[2] << 16 | (uint32_t)a[3] << 24);
	reg_set(IGB_RAH(0), (uint32_t)a[4] | (uint32_t)a[5] << 8 | IGB_RAH_AV);
	responder_stop = false;
	responder_resets = true;
	pthread_create(&responder_tid, NULL, responder, NULL);
}

static void
fake_device_gone(void)
{
	responder_stop = true;
	pthread_join(responder_tid, NULL);
	swnic_fini(&nic);
}

/* Probe the real driver on the fake device: port `port`. */
static int
dev_up(void **state)
{
	(void)state;
	fake_device();
	if (drv->probe(drv, &pci) != 0)
		return -1;
	return dp_eth_dev_get_port_by_name(pci.name, &port);
}

static int
dev_down(void **state)
{
	unsigned int used;

	(void)state;
	drv->remove(&pci);
	fake_device_gone();
	used = dp_mempool_in_use_count(pool);
	if (used != 0 || dp_eth_dev_count_avail() != 0) {
		fprintf(stderr, "%u mbufs in use, %u ports left\n", used,
			dp_eth_dev_count_avail());
		return -1;
	}
	return 0;
}

/* configure + queues + start, with @p conf. */
static void
bring_up(const struct dp_eth_conf *conf, uint16_t nb_q)
{
	uint16_t q;

	assert_int_equal(dp_eth_dev_configure(port, nb_q, nb_q, conf), 0);
	for (q = 0; q < nb_q; q++) {
		assert_int_equal(dp_eth_rx_queue_setup(port, q, 64,
			DP_SOCKET_ID_ANY, NULL, pool), 0);
		assert_int_equal(dp_eth_tx_queue_setup(port, q, 64,
			DP_SOCKET_ID_ANY, NULL), 0);
	}
	assert_int_equal(dp_eth_dev_start(port), 0);
}

/* ---- probe ------------------------------------------------------------------- */

static void
test_probe(void **state)
{
	struct dp_eth_dev_info info;
	struct dp_ether_addr mac;

	(void)state;
	assert_int_equal(dp_eth_dev_info_get(port, &info), 0);
	assert_string_equal(info.driver_name, "net_igb");
	assert_string_equal(info.device_name, "0000:09:00.0");
	assert_int_equal(info.max_rx_queues, 16);
	assert_int_equal(info.max_tx_queues, 16);
	assert_int_equal(info.max_mac_addrs, 16);
	assert_int_equal(info.rx_desc_lim.nb_min, 32);
	assert_int_equal(info.rx_desc_lim.nb_max, 4096);
	assert_int_equal(info.rx_desc_lim.nb_align, 8);
	assert_int_equal(info.reta_size, 128);
	assert_int_equal(info.hash_key_size, 40);
	assert_true(info.rx_offload_capa & DP_ETH_RX_OFFLOAD_SCATTER);
	assert_true(info.tx_offload_capa & DP_ETH_TX_OFFLOAD_MULTI_SEGS);
	/* The MAC of RAL0/RAH0, the reset done, every interrupt masked. */
	assert_int_equal(dp_eth_macaddr_get(port, &mac), 0);
	assert_true(dp_is_same_ether_addr(&mac, &eeprom_mac));
	assert_false(reg(IGB_CTRL) & IGB_CTRL_RST);
	assert_int_equal(reg(IGB_IMC), 0xffffffff);
	assert_int_equal(reg(IGB_EIMC), 0xffffffff);
	assert_true(reg(IGB_CTRL_EXT) & IGB_CTRL_EXT_DRV_LOAD);
	assert_int_equal(reg(IGB_RCTL), 0);
}

/* A device that never leaves reset, a BAR too small, no MAC in the EEPROM. */
static void
test_probe_failures(void **state)
{
	struct dp_ether_addr mac;
	uint16_t p;

	(void)state;
	fake_device();
	responder_resets = false;
	test_log_capture();
	assert_int_equal(drv->probe(drv, &pci), -ETIMEDOUT);
	assert_logged("0000:09:00.0: the device did not come out of reset in "
		"100 ms");
	assert_int_equal(dp_eth_dev_count_avail(), 0);
	pci.bars[0].len = 4096;
	assert_int_equal(drv->probe(drv, &pci), -ENODEV);
	assert_logged("BAR0 is too small (4096 bytes): the 82576 registers "
		"need 131072 bytes");
	pci.bars[0].len = SWNIC_BAR_SIZE;
	responder_resets = true;
	reg_set(IGB_CTRL, 0);
	reg_set(IGB_RAH(0), 0);
	assert_int_equal(drv->probe(drv, &pci), 0);
	assert_logged("no valid MAC address in RAL0/RAH0");
	test_log_release();
	assert_int_equal(dp_eth_dev_get_port_by_name(pci.name, &p), 0);
	assert_int_equal(dp_eth_macaddr_get(p, &mac), 0);
	/* A random address, locally administered, unicast. */
	assert_true(dp_is_valid_assigned_ether_addr(&mac));
	assert_int_equal(mac.addr_bytes[0] & 0x03, 0x02);
	drv->remove(&pci);
	assert_int_equal(dp_eth_dev_count_avail(), 0);
	fake_device_gone();
}

/* ---- start / stop ---------------------------------------------------------------- */

static void
test_start_registers(void **state)
{
	struct dp_eth_conf conf = {
		.rxmode = {
			.mq_mode = DP_ETH_MQ_RX_RSS,
			.offloads = DP_ETH_RX_OFFLOAD_CHECKSUM |
				DP_ETH_RX_OFFLOAD_VLAN_STRIP,
		},
		.rx_adv_conf.rss_conf.rss_hf = DP_ETH_RSS_IP | DP_ETH_RSS_UDP,
	};
	const uint8_t *k = dp_thash_default_key;
	struct dp_eth_link link;
	struct dp_mbuf *m[4];
	unsigned int i;
	uint32_t v;

	(void)state;
	bring_up(&conf, 2);
	/* 4.5.9: receive on, broadcast, CRC stripped, long frames. */
	assert_int_equal(reg(IGB_RCTL), IGB_RCTL_EN | IGB_RCTL_BAM |
		IGB_RCTL_SECRC | IGB_RCTL_LPE);
	assert_int_equal(reg(IGB_RXCSUM), IGB_RXCSUM_PCSD | IGB_RXCSUM_IPOFLD |
		IGB_RXCSUM_TUOFLD);
	assert_int_equal(reg(IGB_RLPML), 1500 + 22);
	assert_true(reg(IGB_CTRL) & IGB_CTRL_VME);
	assert_true(reg(IGB_CTRL) & IGB_CTRL_SLU);
	assert_int_equal(reg(IGB_MRQC), IGB_MRQC_ENABLE_RSS | IGB_MRQC_IPV4 |
		IGB_MRQC_IPV6 | IGB_MRQC_IPV6_EX | IGB_MRQC_UDP_IPV4 |
		IGB_MRQC_UDP_IPV6 | IGB_MRQC_UDP_IPV6_EX);
	for (i = 0; i < IGB_RETA_SIZE / 4; i++)
		assert_int_equal(reg(IGB_RETA(i)), 0x01000100);
	for (i = 0; i < IGB_RSS_KEY_SIZE / 4; i++) {
		v = (uint32_t)k[4 * i] | (uint32_t)k[4 * i + 1] << 8 |
			(uint32_t)k[4 * i + 2] << 16 | (uint32_t)k[4 * i + 3] << 24;
		assert_int_equal(reg(IGB_RSSRK(i)), v);
	}
	/* 4.5.10: transmit. */
	assert_int_equal(reg(IGB_TCTL), IGB_TCTL_EN | IGB_TCTL_PSP |
		15u << IGB_TCTL_CT_SHIFT | 63u << IGB_TCTL_COLD_SHIFT |
		IGB_TCTL_RTLC);
	/* The port's address in RAR 0, valid; the others not. */
	assert_int_equal(reg(IGB_RAH(0)), 0x5634 | IGB_RAH_AV);
	assert_int_equal(reg(IGB_RAL(0)), 0x12005452);
	assert_int_equal(reg(IGB_RAH(1)), 0);
	/* Both queues of each direction on, their rings armed. */
	for (i = 0; i < 2; i++) {
		assert_true(reg(swnic_rxq(&nic, i) + INTEL_RXDCTL) &
			INTEL_QUEUE_ENABLE);
		assert_int_equal(reg(swnic_rxq(&nic, i) + INTEL_RDT), 63);
		assert_int_equal(reg(swnic_rxq(&nic, i) + IGB_SRRCTL_OFF),
			2u | INTEL_SRRCTL_DESCTYPE_ADV_ONEBUF | IGB_SRRCTL_DROP_EN);
		assert_true(reg(swnic_txq(&nic, i) + INTEL_TXDCTL) &
			INTEL_QUEUE_ENABLE);
	}
	assert_int_equal(dp_eth_link_get(port, &link), 0);
	assert_int_equal(link.link_status, DP_ETH_LINK_UP);
	assert_int_equal(link.link_speed, DP_ETH_SPEED_NUM_1G);
	assert_int_equal(link.link_duplex, DP_ETH_LINK_FULL_DUPLEX);

	/* A frame on queue 1 arrives with the port id; one goes out of queue 0. */
	assert_int_equal(swnic_rx(&nic, 1, (const uint8_t *)"0123456789abcdef"
		"0123456789abcdef0123456789abcdef0123456789ab", 60, NULL), 1);
	assert_int_equal(dp_eth_rx_burst(port, 1, m, 4), 1);
	assert_int_equal(m[0]->port, port);
	assert_int_equal(m[0]->pkt_len, 60);
	assert_int_equal(dp_eth_tx_burst(port, 0, m, 1), 1);
	assert_int_equal(swnic_tx(&nic, 0, 100), 1);
	assert_int_equal(nic.nb_tx, 1);
	assert_memory_equal(nic.tx[0].data, "0123456789", 10);

	assert_int_equal(dp_eth_dev_stop(port), 0);
	assert_false(reg(IGB_RCTL) & IGB_RCTL_EN);
	assert_false(reg(IGB_TCTL) & IGB_TCTL_EN);
	for (i = 0; i < 2; i++)
		assert_false(reg(swnic_rxq(&nic, i) + INTEL_RXDCTL) &
			INTEL_QUEUE_ENABLE);
	assert_int_equal(dp_mempool_in_use_count(pool), 0);
	assert_int_equal(dp_eth_dev_start(port), 0);
	assert_int_equal(dp_mempool_in_use_count(pool), 2 * 64);
}

/* Receive modes and address filters through the port API. */
static void
test_filters(void **state)
{
	struct dp_ether_addr a = { { 0x02, 0, 0, 0, 0, 0x10 } };
	struct dp_ether_addr mc[2] = { { { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 } },
		{ { 0x33, 0x33, 0x00, 0x00, 0x00, 0x16 } } };
	struct dp_ether_addr newmac = { { 0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee } };
	unsigned int i;
	uint32_t h;

	(void)state;
	bring_up(NULL, 1);
	assert_int_equal(dp_eth_promiscuous_enable(port), 0);
	assert_int_equal(reg(IGB_RCTL) & (IGB_RCTL_UPE | IGB_RCTL_MPE),
		IGB_RCTL_UPE | IGB_RCTL_MPE);
	assert_int_equal(dp_eth_allmulticast_enable(port), 0);
	assert_int_equal(dp_eth_promiscuous_disable(port), 0);
	/* All-multicast keeps MPE. */
	assert_int_equal(reg(IGB_RCTL) & (IGB_RCTL_UPE | IGB_RCTL_MPE),
		IGB_RCTL_MPE);
	assert_int_equal(dp_eth_allmulticast_disable(port), 0);
	assert_int_equal(reg(IGB_RCTL) & (IGB_RCTL_UPE | IGB_RCTL_MPE), 0);
	assert_true(reg(IGB_RCTL) & IGB_RCTL_EN);

	/* Unicast filters: RAR 1 onwards, 15 of them. */
	assert_int_equal(dp_eth_dev_mac_addr_add(port, &a), 0);
	assert_int_equal(reg(IGB_RAL(1)), 0x00000002);
	assert_int_equal(reg(IGB_RAH(1)), 0x1000 | IGB_RAH_AV);
	assert_int_equal(dp_eth_dev_mac_addr_add(port, &a), 0);
	for (i = 2; i < 16; i++) {
		a.addr_bytes[5] = (uint8_t)(0x10 + i);
		assert_int_equal(dp_eth_dev_mac_addr_add(port, &a), 0);
		assert_true(reg(IGB_RAH(i)) & IGB_RAH_AV);
	}
	a.addr_bytes[5] = 0x99;
	test_log_capture();
	assert_int_equal(dp_eth_dev_mac_addr_add(port, &a), -ENOSPC);
	assert_logged("cannot add 02:00:00:00:00:99: all 16 address filters "
		"of net_igb are in use");
	assert_int_equal(dp_eth_dev_mac_addr_remove(port, &a), -ENOENT);
	assert_logged("02:00:00:00:00:99 was not added");
	assert_int_equal(dp_eth_dev_mac_addr_remove(port, &eeprom_mac), -EINVAL);
	assert_logged("is the port's own address");
	assert_int_equal(dp_eth_dev_mac_addr_add(port, &mc[0]), -EINVAL);
	assert_logged("01:00:5e:00:00:01 is not a unicast address a port can "
		"filter on");
	test_log_release();
	a.addr_bytes[5] = 0x10;
	assert_int_equal(dp_eth_dev_mac_addr_remove(port, &a), 0);
	assert_int_equal(reg(IGB_RAH(1)), 0);
	a.addr_bytes[5] = 0x99;
	assert_int_equal(dp_eth_dev_mac_addr_add(port, &a), 0);
	assert_int_equal(reg(IGB_RAH(1)), 0x9900 | IGB_RAH_AV);

	/* Multicast: one bit of the MTA per group. */
	assert_int_equal(dp_eth_dev_set_mc_addr_list(port, mc, 2), 0);
	for (i = 0; i < 2; i++) {
		h = igb_mta_hash(&mc[i]);
		assert_true(reg(IGB_MTA(h >> 5)) & (1u << (h & 31)));
	}
	/* 01:00:5e:00:00:01: bits 47:36 are 0x010 -> MTA[0] bit 16. */
	assert_int_equal(igb_mta_hash(&mc[0]), 0x010);
	assert_int_equal(dp_eth_dev_set_mc_addr_list(port, NULL, 0), 0);
	for (i = 0; i < IGB_MTA_SIZE; i++)
		assert_int_equal(reg(IGB_MTA(i)), 0);
	test_log_capture();
	assert_int_equal(dp_eth_dev_set_mc_addr_list(port, &newmac, 1), -EINVAL);
	assert_logged("multicast list entry 0, 02:aa:bb:cc:dd:ee, is not a "
		"multicast group address");
	test_log_release();

	/* A new primary address goes to RAR 0. */
	assert_int_equal(dp_eth_macaddr_set(port, &newmac), 0);
	assert_int_equal(reg(IGB_RAL(0)), 0xccbbaa02);
	assert_int_equal(reg(IGB_RAH(0)), 0xeedd | IGB_RAH_AV);
}

/*
 * The registers as the silicon leaves them after a read: cleared (plain
 * memory does not clear itself).
 */
static void
counters_read(void)
{
	static const uint32_t regs[] = { IGB_GPRC, IGB_GORCL, IGB_GORCL + 4,
		IGB_MPC, IGB_RQDPC(0), IGB_CRCERRS, IGB_LATECOL };
	unsigned int i;

	for (i = 0; i < DP_DIM(regs); i++)
		reg_set(regs[i], 0);
}

/* Clear-on-read counters summed into 64 bits; software counters beside. */
static void
test_stats(void **state)
{
	struct dp_eth_stats st;
	uint64_t v;

	(void)state;
	bring_up(NULL, 1);
	reg_set(IGB_GPRC, 5);
	reg_set(IGB_GORCL, 0xffffffff);
	reg_set(IGB_GORCL + 4, 1);
	reg_set(IGB_MPC, 2);
	reg_set(IGB_RQDPC(0), 3);
	reg_set(IGB_CRCERRS, 1);
	reg_set(IGB_LATECOL, 4);
	assert_int_equal(dp_eth_stats_get(port, &st), 0);
	counters_read();
	assert_int_equal(st.imissed, 2 + 3);
	assert_int_equal(st.ierrors, 1);
	assert_int_equal(st.oerrors, 4);
	assert_int_equal(dp_eth_xstats_get_by_name(port, "rx_good_packets_hw",
		&v), 0);
	assert_int_equal(v, 5);
	assert_int_equal(dp_eth_xstats_get_by_name(port, "rx_good_bytes_hw",
		&v), 0);
	assert_int_equal(v, 0x1ffffffffull);
	assert_int_equal(dp_eth_xstats_get_by_name(port,
		"rx_q0_drops_no_descriptor", &v), 0);
	assert_int_equal(v, 3);
	assert_int_equal(dp_eth_xstats_get_by_name(port, "rx_crc_errors", &v), 0);
	assert_int_equal(v, 1);
	/* The NIC counted 3 more since: the sum goes on. */
	reg_set(IGB_GPRC, 3);
	assert_int_equal(dp_eth_stats_get(port, &st), 0);
	counters_read();
	assert_int_equal(dp_eth_xstats_get_by_name(port, "rx_good_packets_hw",
		&v), 0);
	assert_int_equal(v, 8);
	assert_int_equal(dp_eth_stats_reset(port), 0);
	assert_int_equal(dp_eth_xstats_get_by_name(port, "rx_good_packets_hw",
		&v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(dp_eth_stats_get(port, &st), 0);
	assert_int_equal(st.imissed + st.ierrors + st.oerrors + st.ipackets, 0);
}

/* RSS table and key, the MTU against the buffers, bad descriptor counts. */
static void
test_rss_mtu_limits(void **state)
{
	struct dp_eth_conf conf = { .rxmode.mq_mode = DP_ETH_MQ_RX_RSS,
		.rx_adv_conf.rss_conf.rss_hf = DP_ETH_RSS_IP };
	struct dp_eth_rss_reta_entry64 reta[2];
	uint8_t key[40], short_key[20];
	struct dp_eth_rss_conf rc = { .rss_key = key, .rss_key_len = 40,
		.rss_hf = DP_ETH_RSS_IP };
	unsigned int i;

	(void)state;
	/* Before configure there are no RX queues for entries to name (an
	 * all-zero mask once reached a division by the queue count). */
	memset(reta, 0, sizeof(reta));
	test_log_capture();
	assert_int_equal(dp_eth_dev_rss_reta_update(port, reta, 128), -EINVAL);
	test_log_release();
	assert_logged("RSS redirection table update before the port is "
		"configured");
	bring_up(&conf, 4);
	memset(reta, 0, sizeof(reta));
	reta[0].mask = 1;	/* entry 0 */
	reta[0].reta[0] = 3;
	assert_int_equal(dp_eth_dev_rss_reta_update(port, reta, 128), 0);
	assert_int_equal(reg(IGB_RETA(0)), 0x03020103);
	reta[1].mask = ~0ull;
	assert_int_equal(dp_eth_dev_rss_reta_query(port, reta, 128), 0);
	assert_int_equal(reta[1].reta[0], 64 % 4);
	for (i = 0; i < 40; i++)
		key[i] = (uint8_t)i;
	assert_int_equal(dp_eth_dev_rss_hash_update(port, &rc), 0);
	assert_int_equal(reg(IGB_RSSRK(0)), 0x03020100);
	assert_int_equal(reg(IGB_RSSRK(9)), 0x27262524);
	rc.rss_key = short_key;
	rc.rss_key_len = 20;
	test_log_capture();
	assert_int_equal(dp_eth_dev_rss_hash_update(port, &rc), -EINVAL);
	assert_logged("RSS key of 20 bytes given, the 82576 takes 40");

	/* 9000-byte frames in 2 KB buffers need scatter. */
	assert_int_equal(dp_eth_dev_set_mtu(port, 9000), -EINVAL);
	assert_logged("MTU 9000: frames of up to 9022 bytes do not fit the "
		"2048-byte buffers of RX queue 0");
	assert_int_equal(dp_eth_dev_stop(port), 0);
	/* Nor through a reconfigure that keeps the queues: start refuses. */
	{
		struct dp_eth_conf big = conf;

		big.rxmode.mtu = 9000;
		assert_int_equal(dp_eth_dev_configure(port, 4, 4, &big), 0);
		assert_int_equal(dp_eth_dev_start(port), -EINVAL);
		assert_int_equal(dp_eth_dev_configure(port, 4, 4, &conf), 0);
	}
	assert_int_equal(dp_eth_rx_queue_setup(port, 0, 33, DP_SOCKET_ID_ANY,
		NULL, pool), -EINVAL);
	assert_logged("33 RX descriptors: net_igb takes 32 to 4096, a multiple "
		"of 8");
	/* No interrupt handle from the bus: no interrupt modes. */
	conf.intr_conf.rxq = 1;
	assert_int_equal(dp_eth_dev_configure(port, 1, 1, &conf), -EINVAL);
	assert_logged("net_igb has no RX queue interrupts");
	test_log_release();
	conf.intr_conf.rxq = 0;

	/* 1600 bytes of data room is enough for 1522-byte frames by ethdev's
	 * count, but the NIC's buffer is 1 KB (whole kilobytes): the queue
	 * is refused rather than handing out chains nobody asked for. */
	{
		struct dp_mempool *odd = dp_pktmbuf_pool_create("igb_1600", 511,
			0, 0, 1600 + DP_PKTMBUF_HEADROOM, DP_SOCKET_ID_ANY);

		assert_non_null(odd);
		assert_int_equal(dp_eth_dev_configure(port, 1, 1, &conf), 0);
		test_log_capture();
		assert_int_equal(dp_eth_rx_queue_setup(port, 0, 64,
			DP_SOCKET_ID_ANY, NULL, odd), -EINVAL);
		test_log_release();
		assert_logged("MTU 1500: frames of up to 1522 bytes do not fit "
			"the 1024-byte buffers of RX queue 0");
		assert_int_equal(dp_mempool_in_use_count(odd), 0);
		/* With scatter asked for on the queue, the same pool is fine. */
		assert_int_equal(dp_eth_rx_queue_setup(port, 0, 64,
			DP_SOCKET_ID_ANY, &(struct dp_eth_rxconf){
				.offloads = DP_ETH_RX_OFFLOAD_SCATTER }, odd), 0);
		assert_int_equal(dp_eth_dev_configure(port, 1, 1, &conf), 0);
		dp_mempool_free(odd);
	}
	conf.rxmode.offloads = DP_ETH_RX_OFFLOAD_SCATTER;
	conf.rxmode.mtu = 9000;
	bring_up(&conf, 1);
	assert_int_equal(reg(IGB_RLPML), 9000 + 22);
	/* A jumbo frame spans five 2 KB buffers, one chain. */
	{
		static uint8_t big[9000];
		struct dp_mbuf *m;

		memset(big, 0x5a, sizeof(big));
		assert_int_equal(swnic_rx(&nic, 0, big, sizeof(big), NULL), 5);
		assert_int_equal(dp_eth_rx_burst(port, 0, &m, 1), 1);
		assert_int_equal(m->nb_segs, 5);
		assert_int_equal(m->pkt_len, 9000);
		dp_pktmbuf_free(m);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_probe, dev_up, dev_down),
		cmocka_unit_test(test_probe_failures),
		cmocka_unit_test_setup_teardown(test_start_registers, dev_up, dev_down),
		cmocka_unit_test_setup_teardown(test_filters, dev_up, dev_down),
		cmocka_unit_test_setup_teardown(test_stats, dev_up, dev_down),
		cmocka_unit_test_setup_teardown(test_rss_mtu_limits, dev_up, dev_down),
	};

	return cmocka_run_group_tests_name("igb", tests, setup_eal,
		teardown_eal);
}
