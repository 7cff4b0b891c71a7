/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dpvm-features: which 82576 features of the igb PMD QEMU's model
 * exercises, one DPVM-CHECK line each. Runs on the first probed port,
 * through the port API only, against frames the host sends
 * (tests/vm/scenarios/s8_igb_features.py builds the same ones):
 *
 *   RX: IPv4/UDP, IPv4/TCP and IPv6/UDP packet types; IP and L4 checksum
 *       good and bad flags; RSS hash equal to the Toeplitz hash of the
 *       flow with the port's key; VLAN tag stripped into vlan_tci;
 *       unicast filter (promiscuous off), an added unicast address,
 *       broadcast, multicast dropped until its group is in the list,
 *       promiscuous and all-multicast modes.
 *   TX: IPv4 header, UDP and TCP checksums filled in by the NIC (context
 *       descriptors), a VLAN tag inserted; the host checks them.
 *   Link: the link-state interrupt reached the driver and the
 *       application's callback; NIC counters of broadcast and multicast.
 *
 * A frame's id is the last byte of its source MAC 02:00:00:00:01:ID.
 * Exit status: the number of failed checks.
 */

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <dp_eal.h>
#include <dp_ethdev.h>
#include <dp_ip.h>
#include <dp_mbuf.h>
#include <dp_mbuf_ptype.h>
#include <dp_tcp.h>
#include <dp_thash.h>
#include <dp_udp.h>

#include "dpvm_check.h"

static unsigned int lsc_callbacks;

static int
on_lsc(uint16_t port, enum dp_eth_event_type ev, void *arg)
{
	(void)port;
	(void)ev;
	(void)arg;
	__atomic_fetch_add(&lsc_callbacks, 1, __ATOMIC_RELAXED);
	return 0;
}

#define MAX_ID 64
static struct dp_mbuf *got[MAX_ID];

/* Receive for @p secs (or until every id in @p want arrived); by id. */
static void
receive(uint16_t port, double secs, const int *want, unsigned int nb_want)
{
	double end = now() + secs;
	struct dp_mbuf *m[32];
	unsigned int i, have;
	uint16_t n;

	while (now() < end) {
		n = dp_eth_rx_burst(port, 0, m, 32);
		for (i = 0; i < n; i++) {
			uint8_t id = dp_pktmbuf_mtod(m[i], const uint8_t *)[11];

			if (id < MAX_ID && got[id] == NULL)
				got[id] = m[i];
			else
				dp_pktmbuf_free(m[i]);
		}
		for (i = 0, have = 0; i < nb_want; i++)
			have += got[want[i]] != NULL;
		if (have == nb_want && n == 0)
			break;
	}
}

static void
describe(const struct dp_mbuf *m, char *buf, size_t size)
{
	char fl[256], pt[128];

	if (size < 512)
		return;

	dp_mbuf_ol_flags_str(m->ol_flags, fl, sizeof(fl));
	dp_get_ptype_name(m->packet_type, pt, sizeof(pt));
	snprintf(buf, size, "len %u, ptype %s, flags %s, vlan 0x%04x, hash "
		"0x%08x", m->pkt_len, pt, fl, m->vlan_tci, m->hash.rss);
}

#define IPV4(a, b, c, d) (((uint32_t)(a) << 24) | ((b) << 16) | ((c) << 8) | (d))

/* The RX frames: what each must look like once received. */
static void
check_rx(void)
{
	const uint64_t ip_mask = DP_MBUF_F_RX_IP_CKSUM_MASK;
	const uint64_t l4_mask = DP_MBUF_F_RX_L4_CKSUM_MASK;
	struct dp_mbuf *m;
	char d[800];
	uint32_t h;

	m = got[1];
	if (check(m != NULL, "RX frame 1 (IPv4/UDP, good checksums) arrived")) {
		describe(m, d, sizeof(d));
		check(m->packet_type == (DP_PTYPE_L2_ETHER | DP_PTYPE_L3_IPV4 |
			DP_PTYPE_L4_UDP), "packet type IPv4/UDP from the "
			"write-back (%s)", d);
		check((m->ol_flags & ip_mask) == DP_MBUF_F_RX_IP_CKSUM_GOOD &&
			(m->ol_flags & l4_mask) == DP_MBUF_F_RX_L4_CKSUM_GOOD,
			"RX checksum offload: IPv4 and UDP checksums good (%s)", d);
		h = dp_thash_ipv4(IPV4(10, 0, 0, 1), IPV4(10, 0, 0, 2), 1000, 2000,
			true, dp_thash_default_key);
		check((m->ol_flags & DP_MBUF_F_RX_RSS_HASH) && m->hash.rss == h,
			"RSS hash of IPv4/UDP is the Toeplitz hash of addresses "
			"and ports (want 0x%08x; %s)", h, d);
	}
	m = got[2];
	if (check(m != NULL, "RX frame 2 (bad IPv4 header checksum) arrived")) {
		describe(m, d, sizeof(d));
		check((m->ol_flags & ip_mask) == DP_MBUF_F_RX_IP_CKSUM_BAD,
			"RX checksum offload: bad IPv4 checksum flagged (%s)", d);
	}
	m = got[3];
	if (check(m != NULL, "RX frame 3 (IPv4/TCP, bad TCP checksum) arrived")) {
		describe(m, d, sizeof(d));
		check(m->packet_type == (DP_PTYPE_L2_ETHER | DP_PTYPE_L3_IPV4 |
			DP_PTYPE_L4_TCP), "packet type IPv4/TCP (%s)", d);
		check((m->ol_flags & l4_mask) == DP_MBUF_F_RX_L4_CKSUM_BAD &&
			(m->ol_flags & ip_mask) == DP_MBUF_F_RX_IP_CKSUM_GOOD,
			"RX checksum offload: bad TCP checksum flagged (%s)", d);
		h = dp_thash_ipv4(IPV4(10, 0, 0, 3), IPV4(10, 0, 0, 4), 3000, 4000,
			true, dp_thash_default_key);
		check(m->hash.rss == h, "RSS hash of IPv4/TCP (want 0x%08x; %s)",
			h, d);
	}
	m = got[4];
	if (check(m != NULL, "RX frame 4 (VLAN 0x2123, IPv4/UDP) arrived")) {
		const uint8_t *p = dp_pktmbuf_mtod(m, const uint8_t *);

		describe(m, d, sizeof(d));
		check((m->ol_flags & (DP_MBUF_F_RX_VLAN |
			DP_MBUF_F_RX_VLAN_STRIPPED)) == (DP_MBUF_F_RX_VLAN |
			DP_MBUF_F_RX_VLAN_STRIPPED) && m->vlan_tci == 0x2123 &&
			p[12] == 0x08 && p[13] == 0x00,
			"VLAN strip: tag 0x2123 in vlan_tci, gone from the data (%s)",
			d);
	}
	m = got[5];
	if (check(m != NULL, "RX frame 5 (IPv6/UDP) arrived")) {
		uint8_t t[36];

		describe(m, d, sizeof(d));
		check(m->packet_type == (DP_PTYPE_L2_ETHER | DP_PTYPE_L3_IPV6 |
			DP_PTYPE_L4_UDP), "packet type IPv6/UDP (%s)", d);
		/* Source and destination addresses, then the ports. */
		memcpy(t, dp_pktmbuf_mtod_offset(m, const uint8_t *, 14 + 8), 32);
		t[32] = 5000 >> 8;
		t[33] = 5000 & 0xff;
		t[34] = 6000 >> 8;
		t[35] = 6000 & 0xff;
		h = dp_thash(t, sizeof(t), dp_thash_default_key);
		check(m->hash.rss == h, "RSS hash of IPv6/UDP (want 0x%08x; %s)",
			h, d);
		check((m->ol_flags & l4_mask) == DP_MBUF_F_RX_L4_CKSUM_GOOD,
			"RX checksum offload: UDP over IPv6 good (%s)", d);
	}
	check(got[6] == NULL, "unicast filter: a frame for another MAC address "
		"was dropped (promiscuous mode off)");
	check(got[7] != NULL, "broadcast frame received (RCTL.BAM)");
	check(got[8] == NULL, "multicast frame of a group not subscribed was "
		"dropped");
	check(got[9] != NULL, "frame to an address added with "
		"dp_eth_dev_mac_addr_add() received (RAR 1)");
}

/* A UDP or TCP frame in @p m with zero checksums and the offload flags. */
static void
build_tx(struct dp_mbuf *m, uint8_t id, bool tcp, const struct dp_ether_addr *src)
{
	uint16_t l4 = tcp ? sizeof(struct dp_tcp_hdr) : sizeof(struct dp_udp_hdr);
	uint16_t plen = 40, len = (uint16_t)(14 + 20 + l4 + plen);
	uint8_t *p = (uint8_t *)dp_pktmbuf_append(m, len);
	struct dp_ipv4_hdr *ip = (struct dp_ipv4_hdr *)(p + 14);
	uint16_t i;

	if (p == NULL)
		return;
	memset(p, 0, len);
	memcpy(p, "\x02\x00\x00\x00\x00\x01", 6);
	memcpy(p + 6, src->addr_bytes, 5);
	p[11] = id;
	p[12] = 0x08;
	ip->version_ihl = 0x45;
	ip->total_length = dp_cpu_to_be_16((uint16_t)(20 + l4 + plen));
	ip->time_to_live = 64;
	ip->next_proto_id = tcp ? 6 : 17;
	ip->src_addr = dp_cpu_to_be_32(IPV4(10, 1, 0, 1));
	ip->dst_addr = dp_cpu_to_be_32(IPV4(10, 1, 0, 2));
	if (tcp) {
		struct dp_tcp_hdr *t = (struct dp_tcp_hdr *)(ip + 1);

		t->src_port = dp_cpu_to_be_16(7000);
		t->dst_port = dp_cpu_to_be_16(8000);
		t->data_off = 5 << 4;
		t->tcp_flags = 0x18;
		t->rx_win = dp_cpu_to_be_16(1024);
		m->ol_flags = DP_MBUF_F_TX_IPV4 | DP_MBUF_F_TX_IP_CKSUM |
			DP_MBUF_F_TX_TCP_CKSUM;
	} else {
		struct dp_udp_hdr *u = (struct dp_udp_hdr *)(ip + 1);

		u->src_port = dp_cpu_to_be_16(7000);
		u->dst_port = dp_cpu_to_be_16(8000);
		u->dgram_len = dp_cpu_to_be_16((uint16_t)(8 + plen));
		m->ol_flags = DP_MBUF_F_TX_IPV4 | DP_MBUF_F_TX_IP_CKSUM |
			DP_MBUF_F_TX_UDP_CKSUM;
	}
	for (i = 0; i < plen; i++)
		p[14 + 20 + l4 + i] = (uint8_t)(id + i);
	m->l2_len = 14;
	m->l3_len = 20;
}

static uint64_t
xstat(uint16_t port, const char *name)
{
	uint64_t v = 0;

	dp_eth_xstats_get_by_name(port, name, &v);
	return v;
}

int
main(int argc, char **argv)
{
	static const int want_rx[] = { 1, 2, 3, 4, 5, 7, 9 };
	static const int want_mc[] = { 10 };
	static const int want_promisc[] = { 12 };
	static const int want_allmulti[] = { 13 };
	const struct dp_ether_addr added = { { 0x02, 0, 0, 0, 0, 0x77 } };
	const struct dp_ether_addr group = { { 0x01, 0x00, 0x5e, 0x01, 0x02, 0x03 } };
	struct dp_eth_conf conf = {
		.rxmode = {
			.mq_mode = DP_ETH_MQ_RX_RSS,
			.offloads = DP_ETH_RX_OFFLOAD_CHECKSUM |
				DP_ETH_RX_OFFLOAD_VLAN_STRIP |
				DP_ETH_RX_OFFLOAD_RSS_HASH,
		},
		.txmode.offloads = DP_ETH_TX_OFFLOAD_IPV4_CKSUM |
			DP_ETH_TX_OFFLOAD_UDP_CKSUM | DP_ETH_TX_OFFLOAD_TCP_CKSUM |
			DP_ETH_TX_OFFLOAD_VLAN_INSERT,
		.rx_adv_conf.rss_conf.rss_hf = DP_ETH_RSS_IP | DP_ETH_RSS_UDP |
			DP_ETH_RSS_TCP,
		.intr_conf.lsc = 1,
	};
	struct dp_ether_addr mac;
	struct dp_eth_link link;
	struct dp_mempool *mp;
	struct dp_mbuf *tx[3];
	uint16_t port = 0, sent;
	double end;
	int n, i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	n = dp_eal_init(argc, argv);
	if (!check(n >= 0, "dp_eal_init (%d)", n))
		return 1;
	if (!check(dp_eth_dev_count_avail() >= 1, "a port to test (%u)",
			dp_eth_dev_count_avail()))
		goto out;
	mp = dp_pktmbuf_pool_create("features", 2048, 0, 0,
		DP_MBUF_DEFAULT_BUF_SIZE, DP_SOCKET_ID_ANY);
	if (!check(mp != NULL, "mbuf pool"))
		goto out;
	dp_eth_dev_callback_register(port, DP_ETH_EVENT_INTR_LSC, on_lsc, NULL);
	check(dp_eth_dev_configure(port, 1, 1, &conf) == 0 &&
		dp_eth_rx_queue_setup(port, 0, 256, DP_SOCKET_ID_ANY, NULL, mp) == 0 &&
		dp_eth_tx_queue_setup(port, 0, 256, DP_SOCKET_ID_ANY, NULL) == 0 &&
		dp_eth_dev_start(port) == 0,
		"port configured with RSS, checksum and VLAN offloads, link-state "
		"interrupt, and started");
	check(dp_eth_promiscuous_get(port) == 0, "promiscuous mode off");
	check(dp_eth_dev_mac_addr_add(port, &added) == 0,
		"unicast address 02:00:00:00:00:77 added");
	dp_eth_link_get(port, &link);
	check(link.link_status == DP_ETH_LINK_UP && link.link_speed == 1000 &&
		link.link_duplex == DP_ETH_LINK_FULL_DUPLEX,
		"link up at 1 Gbps full duplex (STATUS)");
	dp_eth_macaddr_get(port, &mac);

	/* RX: every frame of the first round, by id. */
	printf("DPVM-READY feat-rx\n");
	receive(port, 8.0, want_rx, DP_DIM(want_rx));
	check_rx();

	/* Multicast: the group in the list now. */
	check(dp_eth_dev_set_mc_addr_list(port, &group, 1) == 0,
		"multicast list set to 01:00:5e:01:02:03 (MTA)");
	printf("DPVM-READY feat-mc\n");
	receive(port, 6.0, want_mc, DP_DIM(want_mc));
	check(got[10] != NULL, "multicast frame of the subscribed group received");
	check(got[11] == NULL, "multicast frame of another group (another hash "
		"bit) dropped");

	/* Promiscuous: any unicast address; all-multicast: any group. */
	check(dp_eth_promiscuous_enable(port) == 0, "promiscuous mode on");
	printf("DPVM-READY feat-promisc\n");
	receive(port, 6.0, want_promisc, DP_DIM(want_promisc));
	check(got[12] != NULL, "promiscuous mode: a frame for another MAC "
		"address received (RCTL.UPE)");
	check(dp_eth_promiscuous_disable(port) == 0 &&
		dp_eth_allmulticast_enable(port) == 0,
		"promiscuous mode off, all-multicast on");
	printf("DPVM-READY feat-allmulti\n");
	receive(port, 6.0, want_allmulti, DP_DIM(want_allmulti));
	check(got[14] == NULL, "all-multicast mode: a unicast frame for another "
		"address dropped again");
	check(got[13] != NULL, "all-multicast mode: a frame of a group not in the "
		"list received (RCTL.MPE)");

	/* TX offloads: the host checks what arrives. */
	for (i = 0; i < 3; i++)
		tx[i] = dp_pktmbuf_alloc(mp);
	build_tx(tx[0], 21, false, &mac);
	build_tx(tx[1], 22, true, &mac);
	build_tx(tx[2], 23, false, &mac);
	tx[2]->ol_flags = DP_MBUF_F_TX_VLAN;
	tx[2]->vlan_tci = 0x0456;
	printf("DPVM-READY feat-tx\n");
	sent = dp_eth_tx_burst(port, 0, tx, 3);
	check(sent == 3, "TX: 3 frames with checksum and VLAN requests taken "
		"(%u)", sent);
	dp_pktmbuf_free_bulk(tx + sent, 3u - sent);
	/* Give the host time to look at them before the port goes. */
	end = now() + 2.0;
	while (now() < end)
		;

	check(xstat(port, "link_status_interrupts") >= 1,
		"the link-state interrupt reached the driver (%" PRIu64 " times)",
		xstat(port, "link_status_interrupts"));
	check(__atomic_load_n(&lsc_callbacks, __ATOMIC_RELAXED) >= 1,
		"the application's link-state callback ran (%u times)",
		lsc_callbacks);
	check(xstat(port, "rx_broadcast_packets") >= 1 &&
		xstat(port, "rx_multicast_packets") >= 1,
		"NIC counters: %" PRIu64 " broadcast and %" PRIu64 " multicast "
		"frames received (BPRC, MPRC)", xstat(port, "rx_broadcast_packets"),
		xstat(port, "rx_multicast_packets"));
	for (i = 0; i < MAX_ID; i++)
		dp_pktmbuf_free(got[i]);
	dp_eth_dev_stop(port);
	dp_eth_dev_close(port);
	check(dp_mempool_in_use_count(mp) == 0, "every mbuf back in the pool");
	dp_mempool_free(mp);
out:
	dp_eal_cleanup();
	printf("dpvm-features: %d check(s) failed\n", nb_failed);
	return nb_failed > 125 ? 125 : nb_failed;
}
