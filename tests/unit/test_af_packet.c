/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_af_packet on a veth pair in a private network namespace (the test
 * unshares one before anything else, so nothing outlives the process):
 * the PMD sits on dpkpcap0, the test's raw AF_PACKET socket on dpkpcap1.
 *
 * Frames the kernel sends arrive with the right bytes (VLAN tags put back,
 * chains for frames larger than a buffer, checksums veth left unfinished
 * completed); frames the PMD sends are seen whole by the kernel; counters
 * match; qpairs=2 spreads flows; imissed counts what the ring dropped when
 * nobody polled; TX errors are counted and freed; link, MTU, MAC and
 * promiscuous mode follow the interface; argument mistakes are refused
 * with their message; without CAP_NET_RAW the probe says so. net_pcap's
 * live mode (iface=) is tested here too, on the same pair.
 *
 * Needs root (CAP_NET_RAW, CAP_NET_ADMIN, CAP_SYS_ADMIN for the
 * namespace): exits 77 with the reason otherwise.
 */

#include "test_helpers.h"
#include "test_pmd_helpers.h"

#include <errno.h>
#include <inttypes.h>
#include <grp.h>
#include <poll.h>
#include <sched.h>
#include <time.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>

#include <dp_bus_vdev.h>
#include <dp_eal.h>
#include <dp_ethdev_driver.h>
#include <dp_ip.h>
#include <dp_mbuf.h>

#define PMD_IF "dpkpcap0"	/* the port's interface */
#define RAW_IF "dpkpcap1"	/* the test's end */
#define NB_MBUF 4096


/* ---- shell and sysfs ------------------------------------------------------------- */

static int
sh(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

/* What `ip -o link show` says about @p ifname (sysfs shows the namespace
 * it was mounted in, not ours). */
static void
ip_link(const char *ifname, char *buf, size_t size)
{
	char cmd[128];
	FILE *f;

	snprintf(cmd, sizeof(cmd), "ip -o link show dev %s", ifname);
	f = popen(cmd, "r");
	assert_non_null(f);
	assert_non_null(fgets(buf, (int)size, f));
	pclose(f);
}

static unsigned long
ip_link_mtu(const char *ifname)
{
	char buf[512], *p;

	ip_link(ifname, buf, sizeof(buf));
	p = strstr(buf, " mtu ");
	assert_non_null(p);
	return strtoul(p + 5, NULL, 10);
}

/* The interface's promiscuity count (what packet sockets' PACKET_MR_PROMISC
 * raise; the PROMISC flag shows only `ip link set promisc on`). */
static bool
ip_link_promisc(const char *ifname)
{
	char buf[1024], cmd[128], *p;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "ip -d -o link show dev %s", ifname);
	f = popen(cmd, "r");
	assert_non_null(f);
	assert_non_null(fgets(buf, (int)sizeof(buf), f));
	pclose(f);
	p = strstr(buf, " promiscuity ");
	assert_non_null(p);
	return strtoul(p + 13, NULL, 10) > 0;
}

static void
ip_link_mac(const char *ifname, char mac[DP_ETHER_ADDR_FMT_SIZE])
{
	char buf[512], *p;

	ip_link(ifname, buf, sizeof(buf));
	p = strstr(buf, "link/ether ");
	assert_non_null(p);
	memcpy(mac, p + 11, DP_ETHER_ADDR_FMT_SIZE - 1);
	mac[DP_ETHER_ADDR_FMT_SIZE - 1] = '\0';
}

/* ---- the kernel side: a raw packet socket on RAW_IF ------------------------------ */

static int
raw_open(void)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_ALL) };
	int fd, one = 1;

	fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	assert_true(fd >= 0);
	sll.sll_ifindex = (int)if_nametoindex(RAW_IF);
	assert_int_equal(bind(fd, (struct sockaddr *)&sll, sizeof(sll)), 0);
	/* Our own sends are not "received"; VLAN tags come as aux data. */
	setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one));
	assert_int_equal(setsockopt(fd, SOL_PACKET, PACKET_AUXDATA, &one,
		sizeof(one)), 0);
	return fd;
}

static void
raw_send(int fd, const uint8_t *frame, size_t len)
{
	assert_int_equal(send(fd, frame, len, 0), (ssize_t)len);
}

/* One frame as it was on the wire (a VLAN tag the kernel took out is put
 * back), or -1 after @p timeout_ms. */
static ssize_t
raw_recv(int fd, uint8_t *buf, size_t max, int timeout_ms)
{
	union {
		struct cmsghdr c;
		char space[CMSG_SPACE(sizeof(struct tpacket_auxdata))];
	} ctl;
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	struct iovec iov = { .iov_base = buf, .iov_len = max };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = &ctl, .msg_controllen = sizeof(ctl) };
	struct cmsghdr *c;
	ssize_t len;

	if (poll(&pfd, 1, timeout_ms) != 1)
		return -1;
	len = recvmsg(fd, &msg, 0);
	if (len < 12)
		return len;
	for (c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
		struct tpacket_auxdata aux;
		uint16_t tag[2];

		if (c->cmsg_level != SOL_PACKET || c->cmsg_type != PACKET_AUXDATA)
			continue;
		memcpy(&aux, CMSG_DATA(c), sizeof(aux));
		if (!(aux.tp_status & TP_STATUS_VLAN_VALID))
			continue;
		tag[0] = htons((aux.tp_status & TP_STATUS_VLAN_TPID_VALID) ?
			aux.tp_vlan_tpid : ETH_P_8021Q);
		tag[1] = htons(aux.tp_vlan_tci);
		memmove(buf + 16, buf + 12, (size_t)len - 12);
		memcpy(buf + 12, tag, 4);
		len += 4;
	}
	return len;
}

/* ---- frames ---------------------------------------------------------------------- */

/* An Ethernet frame of @p len bytes, distinct for each @p seed. */
static void
make_frame(uint8_t *f, uint32_t len, unsigned int seed)
{
	static const uint8_t dst[6] = { 0x02, 0, 0, 0, 0, 0xaa };
	static const uint8_t src[6] = { 0x02, 0, 0, 0, 0, 0xbb };
	uint32_t i;

	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	f[12] = 0x88;	/* local experimental EtherType: no stack cares */
	f[13] = 0xb5;
	for (i = 14; i < len; i++)
		f[i] = (uint8_t)(seed * 29 + i * 3 + (i >> 8));
}

/* An IPv4/UDP frame of flow @p sport (for the fanout hash). */
static uint32_t
make_udp_frame(uint8_t *f, uint16_t sport)
{
	struct dp_ipv4_hdr ip = {
		.version_ihl = DP_IPV4_VHL_DEF, .time_to_live = 64,
		.next_proto_id = IPPROTO_UDP,
		.total_length = htons(20 + 8 + 32),
		.src_addr = htonl(DP_IPV4(10, 77, 0, 1)),
		.dst_addr = htonl(DP_IPV4(10, 77, 0, 2)),
	};
	uint16_t udp[4] = { htons(sport), htons(9), htons(8 + 32), 0 };

	make_frame(f, 74, sport);
	f[12] = 0x08;
	f[13] = 0x00;
	ip.hdr_checksum = dp_ipv4_cksum(&ip);
	memcpy(f + 14, &ip, sizeof(ip));
	memcpy(f + 34, udp, sizeof(udp));
	return 74;
}

/* ---- port helpers ------------------------------------------------------------------ */

static void
bring_up(uint16_t port, uint16_t nq, uint64_t rx_off, uint64_t tx_off)
{
	pmd_test_bring_up(port, nq, pmd_test_pool, rx_off, tx_off);
}

static uint64_t
xstat(uint16_t port, const char *name)
{
	uint64_t v = UINT64_MAX;

	assert_int_equal(dp_eth_xstats_get_by_name(port, name, &v), 0);
	return v;
}

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* ---- fixtures ---------------------------------------------------------------------- */

static int
setup_eal(void **state)
{
	const char *args[] = { "--no-huge", "-m", "256", "--no-pci", "-l", "0",
		"--log-level=eal:warning", NULL };

	(void)state;
	if (test_eal_init_args(args, NULL) < 0)
		return -1;
	pmd_test_pool = dp_pktmbuf_pool_create("afp_test", NB_MBUF, 0, 0,
		DP_MBUF_DEFAULT_BUF_SIZE, DP_SOCKET_ID_ANY);
	return pmd_test_pool ? 0 : -1;
}

static int
teardown_eal(void **state)
{
	(void)state;
	dp_eth_dev_close_all();
	dp_mempool_free(pmd_test_pool);
	return dp_eal_cleanup();
}

/* ---- tests ------------------------------------------------------------------------- */

static const uint32_t sizes[] = { 60, 64, 100, 200, 500, 1000, 1500, 1514, 61, 333 };
#define NB_SIZES DP_DIM(sizes)

/* Kernel -> PMD: bytes, order, kernel time stamps, counters. */
static void
test_kernel_to_pmd(void **state)
{
	struct dp_mbuf *pkts[NB_SIZES];
	uint8_t frames[NB_SIZES][1514];
	struct dp_eth_stats st;
	uint64_t bytes = 0, t0, t1;
	unsigned int i;
	uint16_t port;
	int fd = raw_open();

	(void)state;
	port = pmd_test_create_port("net_af_packet10", "iface=" PMD_IF);
	bring_up(port, 1, DP_ETH_RX_OFFLOAD_TIMESTAMP, 0);
	t0 = now_ns();
	for (i = 0; i < NB_SIZES; i++) {
		make_frame(frames[i], sizes[i], i);
		raw_send(fd, frames[i], sizes[i]);
		bytes += sizes[i];
	}
	assert_int_equal(pmd_test_rx_wait(port, 0, pkts, NB_SIZES, 1000), NB_SIZES);
	t1 = now_ns();
	for (i = 0; i < NB_SIZES; i++) {
		pmd_test_assert_bytes(pkts[i], frames[i], sizes[i]);
		assert_int_equal(pkts[i]->nb_segs, 1);
		assert_int_equal(pkts[i]->port, port);
		assert_true(pkts[i]->ol_flags & DP_MBUF_F_RX_TIMESTAMP);
		assert_true(pkts[i]->timestamp >= t0 && pkts[i]->timestamp <= t1);
	}
	dp_pktmbuf_free_bulk(pkts, NB_SIZES);
	assert_int_equal(dp_eth_stats_get(port, &st), 0);
	assert_int_equal(st.ipackets, NB_SIZES);
	assert_int_equal(st.ibytes, bytes);
	assert_int_equal(st.q_ipackets[0], NB_SIZES);
	assert_int_equal(st.imissed, 0);
	assert_int_equal(st.ierrors, 0);
	assert_int_equal(dp_vdev_uninit("net_af_packet10"), 0);
	close(fd);
}

/* PMD -> kernel: whole frames, chains gathered, counters. */
static void
test_pmd_to_kernel(void **state)
{
	struct dp_mbuf *pkts[NB_SIZES];
	uint8_t frames[NB_SIZES][1514], buf[2048];
	struct dp_eth_stats st;
	uint64_t bytes = 0;
	unsigned int i;
	uint16_t port;
	int fd = raw_open();

	(void)state;
	port = pmd_test_create_port("net_af_packet11", "iface=" PMD_IF);
	bring_up(port, 1, 0, DP_ETH_TX_OFFLOAD_MULTI_SEGS);
	for (i = 0; i < NB_SIZES; i++) {
		make_frame(frames[i], sizes[i], 100 + i);
		pkts[i] = pmd_test_make_pkt(pmd_test_pool, frames[i], sizes[i], i == 7 ? 3 : 1);
		bytes += sizes[i];
	}
	assert_int_equal(pkts[7]->nb_segs, 3);
	assert_int_equal(dp_eth_tx_burst(port, 0, pkts, NB_SIZES), NB_SIZES);
	for (i = 0; i < NB_SIZES; i++) {
		assert_int_equal(raw_recv(fd, buf, sizeof(buf), 1000), sizes[i]);
		assert_memory_equal(buf, frames[i], sizes[i]);
	}
	assert_int_equal(dp_eth_stats_get(port, &st), 0);
	assert_int_equal(st.opackets, NB_SIZES);
	assert_int_equal(st.obytes, bytes);
	assert_int_equal(st.q_opackets[0], NB_SIZES);
	assert_int_equal(st.oerrors, 0);
	assert_int_equal(dp_vdev_uninit("net_af_packet11"), 0);
	close(fd);
}

/* VLAN: the kernel takes the tag out of the data; the PMD puts it back, or
 * hands it over in vlan_tci with VLAN_STRIP; TX inserts it on request. */
static void
test_vlan_tags(void **state)
{
	uint8_t tagged[200], untagged[196], buf[2048];
	struct dp_mbuf *m;
	uint16_t port;
	int fd = raw_open();

	(void)state;
	make_frame(tagged, sizeof(tagged), 7);
	tagged[12] = 0x81;
	tagged[13] = 0x00;
	tagged[14] = 0x60;	/* priority 3, VLAN 100 */
	tagged[15] = 0x64;
	tagged[16] = 0x88;
	tagged[17] = 0xb5;
	memcpy(untagged, tagged, 12);
	memcpy(untagged + 12, tagged + 16, sizeof(untagged) - 12);

	port = pmd_test_create_port("net_af_packet12", "iface=" PMD_IF);
	bring_up(port, 1, 0, DP_ETH_TX_OFFLOAD_VLAN_INSERT);
	raw_send(fd, tagged, sizeof(tagged));
	assert_int_equal(pmd_test_rx_wait(port, 0, &m, 1, 1000), 1);
	pmd_test_assert_bytes(m, tagged, sizeof(tagged));	/* as on the wire */
	assert_false(m->ol_flags & DP_MBUF_F_RX_VLAN);
	dp_pktmbuf_free(m);

	m = pmd_test_make_pkt(pmd_test_pool, untagged, sizeof(untagged), 1);
	m->vlan_tci = 0x6064;
	m->ol_flags |= DP_MBUF_F_TX_VLAN;
	assert_int_equal(dp_eth_tx_burst(port, 0, &m, 1), 1);
	assert_int_equal(raw_recv(fd, buf, sizeof(buf), 1000), sizeof(tagged));
	assert_memory_equal(buf, tagged, sizeof(tagged));
	assert_int_equal(dp_vdev_uninit("net_af_packet12"), 0);

	port = pmd_test_create_port("net_af_packet13", "iface=" PMD_IF);
	bring_up(port, 1, DP_ETH_RX_OFFLOAD_VLAN_STRIP, 0);
	raw_send(fd, tagged, sizeof(tagged));
	assert_int_equal(pmd_test_rx_wait(port, 0, &m, 1, 1000), 1);
	pmd_test_assert_bytes(m, untagged, sizeof(untagged));
	assert_true(m->ol_flags & DP_MBUF_F_RX_VLAN_STRIPPED);
	assert_int_equal(m->vlan_tci, 0x6064);
	dp_pktmbuf_free(m);
	assert_int_equal(dp_vdev_uninit("net_af_packet13"), 0);
	close(fd);
}

/* A 2500-byte frame (MTU 3000) arrives as a chain of 2 KB mbufs and goes
 * out whole from a chain. */
static void
test_big_frames_as_chains(void **state)
{
	uint8_t frame[2500], buf[4096];
	struct dp_mbuf *m;
	uint16_t port, mtu;
	int fd;

	(void)state;
	assert_int_equal(sh("ip link set dev %s mtu 3000 && ip link set dev %s "
		"mtu 3000", PMD_IF, RAW_IF), 0);
	fd = raw_open();
	port = pmd_test_create_port("net_af_packet14", "iface=" PMD_IF
		",framesz=4096,blocksz=8192,framecnt=64");
	bring_up(port, 1, DP_ETH_RX_OFFLOAD_SCATTER, DP_ETH_TX_OFFLOAD_MULTI_SEGS);
	assert_int_equal(dp_eth_dev_get_mtu(port, &mtu), 0);
	assert_int_equal(mtu, 3000);
	make_frame(frame, sizeof(frame), 9);
	raw_send(fd, frame, sizeof(frame));
	assert_int_equal(pmd_test_rx_wait(port, 0, &m, 1, 1000), 1);
	assert_int_equal(m->nb_segs, 2);
	assert_int_equal(dp_mbuf_check(m, 1, NULL), 0);
	pmd_test_assert_bytes(m, frame, sizeof(frame));
	assert_int_equal(dp_eth_tx_burst(port, 0, &m, 1), 1);	/* the chain back */
	assert_int_equal(raw_recv(fd, buf, sizeof(buf), 1000), sizeof(frame));
	assert_memory_equal(buf, frame, sizeof(frame));
	assert_int_equal(dp_vdev_uninit("net_af_packet14"), 0);
	close(fd);
	assert_int_equal(sh("ip link set dev %s mtu 1500 && ip link set dev %s "
		"mtu 1500", PMD_IF, RAW_IF), 0);
}

/* UDP sent by the local stack over veth has its checksum left undone;
 * the PMD completes it so the next receiver accepts the datagram. */
static void
test_checksum_completed(void **state)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(7) };
	struct dp_ether_addr mac;
	char macs[DP_ETHER_ADDR_FMT_SIZE], data[100];
	const struct dp_ipv4_hdr *ip;
	struct dp_mbuf *m;
	uint16_t port;
	int us;

	(void)state;
	port = pmd_test_create_port("net_af_packet15", "iface=" PMD_IF);
	bring_up(port, 1, 0, 0);
	assert_int_equal(dp_eth_macaddr_get(port, &mac), 0);
	dp_ether_format_addr(macs, sizeof(macs), &mac);
	assert_int_equal(sh("ip addr add 10.77.0.1/24 dev %s && ip neigh add "
		"10.77.0.2 lladdr %s dev %s", RAW_IF, macs, RAW_IF), 0);
	us = socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(us >= 0);
	inet_pton(AF_INET, "10.77.0.2", &to.sin_addr);
	memset(data, 0x5a, sizeof(data));
	assert_int_equal(sendto(us, data, sizeof(data), 0,
		(struct sockaddr *)&to, sizeof(to)), sizeof(data));
	close(us);
	assert_int_equal(pmd_test_rx_wait(port, 0, &m, 1, 1000), 1);
	assert_int_equal(m->pkt_len, 14 + 20 + 8 + sizeof(data));
	ip = dp_pktmbuf_mtod_offset(m, const struct dp_ipv4_hdr *, 14);
	assert_int_equal(ip->next_proto_id, IPPROTO_UDP);
	assert_true(dp_ipv4_udptcp_cksum_verify(ip, (const uint8_t *)ip + 20));
	assert_int_equal(xstat(port, "rx_q0_csum_completed"), 1);
	dp_pktmbuf_free(m);
	assert_int_equal(dp_vdev_uninit("net_af_packet15"), 0);
	assert_int_equal(sh("ip addr flush dev %s && ip neigh flush dev %s",
		RAW_IF, RAW_IF), 0);
}

/* qpairs=2: one fanout group, flows spread over both queues, nothing
 * received twice. */
static void
test_qpairs_spread_flows(void **state)
{
	struct dp_mbuf *pkts[64];
	struct dp_eth_stats st;
	uint8_t frame[128];
	unsigned int i, q0 = 0, q1 = 0, waited = 0;
	uint16_t port;
	int fd = raw_open();

	(void)state;
	port = pmd_test_create_port("net_af_packet16", "iface=" PMD_IF ",qpairs=2");
	bring_up(port, 2, 0, 0);
	for (i = 0; i < 64; i++)
		raw_send(fd, frame, make_udp_frame(frame, (uint16_t)(1000 + i)));
	while (q0 + q1 < 64 && waited++ < 10000) {
		uint16_t n0 = dp_eth_rx_burst(port, 0, pkts, 64);
		uint16_t n1;

		dp_pktmbuf_free_bulk(pkts, n0);
		n1 = dp_eth_rx_burst(port, 1, pkts, 64);
		dp_pktmbuf_free_bulk(pkts, n1);
		q0 += n0;
		q1 += n1;
		if (n0 + n1 == 0)
			usleep(100);
	}
	usleep(5000);	/* anything extra (a duplicate) would show now */
	q0 += pmd_test_rx_wait(port, 0, pkts, 64, 5);
	assert_int_equal(q0 + q1, 64);
	assert_true(q0 > 0);
	assert_true(q1 > 0);
	assert_int_equal(dp_eth_stats_get(port, &st), 0);
	assert_int_equal(st.q_ipackets[0], q0);
	assert_int_equal(st.q_ipackets[1], q1);
	assert_int_equal(st.ipackets, 64);
	print_message("qpairs=2: %u flows -> queue 0: %u, queue 1: %u\n", 64,
		q0, q1);
	assert_int_equal(dp_vdev_uninit("net_af_packet16"), 0);
	close(fd);
}

/* A ring nobody polls fills; what the kernel could not store is imissed,
 * and received + imissed is what was sent. */
static void
test_imissed_when_not_polled(void **state)
{
	struct dp_mbuf *pkts[64];
	struct dp_eth_stats st;
	uint8_t frame[60];
	unsigned int i, got = 0, n;
	uint16_t port;
	int fd = raw_open();

	(void)state;
	/* 2 blocks of 4096 bytes: a few dozen small frames. */
	port = pmd_test_create_port("net_af_packet17", "iface=" PMD_IF
		",framecnt=4,framesz=2048,blocksz=4096");
	bring_up(port, 1, 0, 0);
	for (i = 0; i < 300; i++) {
		make_frame(frame, sizeof(frame), i);
		raw_send(fd, frame, sizeof(frame));
	}
	usleep(20000);	/* the block timeout hands over the last block */
	assert_int_equal(dp_eth_stats_get(port, &st), 0);
	assert_true(st.imissed > 0);
	while ((n = pmd_test_rx_wait(port, 0, pkts, 64, 10)) > 0) {
		got += n;
		dp_pktmbuf_free_bulk(pkts, n);
	}
	assert_int_equal(dp_eth_stats_get(port, &st), 0);
	print_message("300 sent, %u received, imissed %" PRIu64 "\n", got,
		st.imissed);
	assert_int_equal(got + st.imissed, 300);
	assert_int_equal(st.ipackets, got);
	assert_int_equal(xstat(port, "rx_q0_kernel_drops"), st.imissed);
	/* stats reset clears the kernel's counters too */
	assert_int_equal(dp_eth_stats_reset(port), 0);
	assert_int_equal(dp_eth_stats_get(port, &st), 0);
	assert_int_equal(st.imissed, 0);
	assert_int_equal(dp_vdev_uninit("net_af_packet17"), 0);
	close(fd);
}

/* Frames that can never go out are dropped, counted and freed; a tagged
 * frame may exceed MTU + header by the tag. */
static void
test_tx_errors_counted(void **state)
{
	uint8_t big[1600], tiny[10], tagged[1518], buf[2048];
	struct dp_mbuf *pkts[3];
	struct dp_eth_stats st;
	uint16_t port;
	int fd = raw_open();

	(void)state;
	make_frame(big, sizeof(big), 1);
	memset(tiny, 0xee, sizeof(tiny));
	make_frame(tagged, sizeof(tagged), 3);
	tagged[12] = 0x81;
	tagged[13] = 0x00;
	port = pmd_test_create_port("net_af_packet18", "iface=" PMD_IF);
	bring_up(port, 1, 0, 0);
	pkts[0] = pmd_test_make_pkt(pmd_test_pool, big, sizeof(big), 1);
	pkts[1] = pmd_test_make_pkt(pmd_test_pool, tiny, sizeof(tiny), 1);
	pkts[2] = pmd_test_make_pkt(pmd_test_pool, tagged, sizeof(tagged), 1);
	assert_int_equal(dp_eth_tx_burst(port, 0, pkts, 3), 3);
	assert_int_equal(dp_mempool_in_use_count(pmd_test_pool), 0);	/* all freed */
	assert_int_equal(raw_recv(fd, buf, sizeof(buf), 1000), sizeof(tagged));
	assert_memory_equal(buf, tagged, sizeof(tagged));
	assert_int_equal(raw_recv(fd, buf, sizeof(buf), 50), -1);
	assert_int_equal(dp_eth_stats_get(port, &st), 0);
	assert_int_equal(st.oerrors, 2);
	assert_int_equal(st.opackets, 1);
	assert_int_equal(xstat(port, "tx_q0_errors"), 2);
	assert_int_equal(dp_vdev_uninit("net_af_packet18"), 0);
	close(fd);
}

/* Link state, MTU, MAC and promiscuous mode are the interface's. */
static void
test_interface_state(void **state)
{
	struct dp_eth_link link;
	struct dp_ether_addr mac;
	char sys_mac[DP_ETHER_ADDR_FMT_SIZE], our[DP_ETHER_ADDR_FMT_SIZE];
	uint16_t port, mtu;

	(void)state;
	port = pmd_test_create_port("net_af_packet19", "iface=" PMD_IF);
	bring_up(port, 1, 0, 0);
	assert_int_equal(dp_eth_link_get_nowait(port, &link), 0);
	assert_int_equal(link.link_status, DP_ETH_LINK_UP);
	assert_int_equal(link.link_speed, 10000);	/* what veth reports */
	assert_int_equal(sh("ip link set dev %s down", RAW_IF), 0);	/* carrier off */
	assert_int_equal(dp_eth_link_get_nowait(port, &link), 0);
	assert_int_equal(link.link_status, DP_ETH_LINK_DOWN);
	assert_int_equal(sh("ip link set dev %s up", RAW_IF), 0);
	assert_int_equal(dp_eth_link_get_nowait(port, &link), 0);
	assert_int_equal(link.link_status, DP_ETH_LINK_UP);

	ip_link_mac(PMD_IF, sys_mac);
	assert_int_equal(dp_eth_macaddr_get(port, &mac), 0);
	dp_ether_format_addr(our, sizeof(our), &mac);
	assert_string_equal(our, sys_mac);

	assert_int_equal(dp_eth_dev_set_mtu(port, 1400), 0);
	assert_int_equal(ip_link_mtu(PMD_IF), 1400);
	assert_int_equal(dp_eth_dev_get_mtu(port, &mtu), 0);
	assert_int_equal(mtu, 1400);
	assert_int_equal(dp_eth_dev_set_mtu(port, 1500), 0);
	assert_int_equal(ip_link_mtu(PMD_IF), 1500);

	assert_false(ip_link_promisc(PMD_IF));
	assert_int_equal(dp_eth_promiscuous_enable(port), 0);
	assert_true(ip_link_promisc(PMD_IF));
	assert_int_equal(dp_eth_promiscuous_disable(port), 0);
	assert_false(ip_link_promisc(PMD_IF));
	assert_int_equal(dp_eth_promiscuous_enable(port), 0);
	assert_int_equal(dp_eth_dev_stop(port), 0);	/* sockets closed */
	assert_false(ip_link_promisc(PMD_IF));
	assert_int_equal(dp_eth_dev_start(port), 0);	/* and it comes back */
	assert_true(ip_link_promisc(PMD_IF));
	assert_int_equal(dp_vdev_uninit("net_af_packet19"), 0);
	assert_false(ip_link_promisc(PMD_IF));
}

/* A stopped port keeps no frames: after a restart only new ones come. */
static void
test_restart_has_no_stale_frames(void **state)
{
	struct dp_mbuf *pkts[8];
	uint8_t frame[60];
	unsigned int i;
	uint16_t port;
	int fd = raw_open();

	(void)state;
	port = pmd_test_create_port("net_af_packet20", "iface=" PMD_IF);
	bring_up(port, 1, 0, 0);
	assert_int_equal(dp_eth_dev_stop(port), 0);
	for (i = 0; i < 5; i++) {
		make_frame(frame, sizeof(frame), i);
		raw_send(fd, frame, sizeof(frame));
	}
	assert_int_equal(dp_eth_dev_start(port), 0);
	assert_int_equal(pmd_test_rx_wait(port, 0, pkts, 8, 20), 0);
	make_frame(frame, sizeof(frame), 42);
	raw_send(fd, frame, sizeof(frame));
	assert_int_equal(pmd_test_rx_wait(port, 0, pkts, 1, 1000), 1);
	pmd_test_assert_bytes(pkts[0], frame, sizeof(frame));
	dp_pktmbuf_free(pkts[0]);
	assert_int_equal(dp_vdev_uninit("net_af_packet20"), 0);
	close(fd);
}

/* net_pcap on a live interface (iface=): what the kernel sends is
 * received with its capture time, what the port sends is seen whole
 * (chains too), and the port's own frames do not come back. */
static void
test_pcap_live_iface(void **state)
{
	uint8_t frame[300], out[1000], buf[2048];
	struct dp_eth_stats st;
	struct dp_mbuf *m;
	uint64_t t0;
	uint16_t port;
	int fd = raw_open();

	(void)state;
	port = pmd_test_create_port("net_pcap60", "iface=" PMD_IF);
	bring_up(port, 1, 0, 0);
	make_frame(frame, sizeof(frame), 77);
	t0 = now_ns();
	raw_send(fd, frame, sizeof(frame));
	assert_int_equal(pmd_test_rx_wait(port, 0, &m, 1, 1000), 1);
	pmd_test_assert_bytes(m, frame, sizeof(frame));
	assert_true(m->ol_flags & DP_MBUF_F_RX_TIMESTAMP);
	assert_true(m->timestamp >= t0 && m->timestamp <= now_ns());
	dp_pktmbuf_free(m);

	make_frame(out, sizeof(out), 78);
	m = pmd_test_make_pkt(pmd_test_pool, out, sizeof(out), 2);
	assert_int_equal(dp_eth_tx_burst(port, 0, &m, 1), 1);
	assert_int_equal(raw_recv(fd, buf, sizeof(buf), 1000), sizeof(out));
	assert_memory_equal(buf, out, sizeof(out));
	assert_int_equal(pmd_test_rx_wait(port, 0, &m, 1, 50), 0);	/* not our own */
	assert_int_equal(dp_eth_stats_get(port, &st), 0);
	assert_int_equal(st.ipackets, 1);
	assert_int_equal(st.ibytes, sizeof(frame));
	assert_int_equal(st.opackets, 1);
	assert_int_equal(st.obytes, sizeof(out));
	assert_int_equal(dp_vdev_uninit("net_pcap60"), 0);
	close(fd);
}

/* Each mistake is refused with a line that names it and the fix. */
static void
test_bad_arguments(void **state)
{
	static const struct pmd_test_bad_args bad[] = {
		{ "net_af_packet40", "", -EINVAL, "iface= is required" },
		{ "net_af_packet41", "iface=vethX", -ENODEV,
			"no interface 'vethX': create it or check the name" },
		{ "net_af_packet42", "iface=" PMD_IF ",framesz=2040", -EINVAL,
			"framesz=2040 is not a multiple of 16 (TPACKET_ALIGNMENT)" },
		{ "net_af_packet43", "iface=" PMD_IF ",framesz=64", -EINVAL,
			"framesz=64 is too small" },
		{ "net_af_packet44", "iface=" PMD_IF ",blocksz=5000", -EINVAL,
			"blocksz=5000 is not a multiple of the page size" },
		{ "net_af_packet45", "iface=" PMD_IF ",framesz=3072", -EINVAL,
			"blocksz=4096 is not a multiple of framesz=3072" },
		{ "net_af_packet46", "iface=" PMD_IF ",framecnt=3", -EINVAL,
			"framecnt must be a multiple of 2" },
		{ "net_af_packet47", "iface=" PMD_IF ",qpairs=17", -EINVAL,
			"qpairs=17: expected a number from 1 to 16" },
		{ "net_af_packet48", "iface=" PMD_IF ",qdisc_bypass=maybe", -EINVAL,
			"qdisc_bypass" },
	};

	(void)state;
	pmd_test_refused(bad, DP_DIM(bad));
	assert_int_equal(dp_eth_dev_count_avail(), 0);
}

/* Without CAP_NET_RAW (an unprivileged child) the probe says what is
 * needed. */
static void
test_no_permission(void **state)
{
	pid_t pid;
	int status;

	(void)state;
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int rc;

		if (setgroups(0, NULL) != 0 || setresgid(65534, 65534, 65534) != 0 ||
		    setresuid(65534, 65534, 65534) != 0)
			_exit(2);
		test_log_capture();
		rc = dp_vdev_init("net_af_packet49", "iface=" PMD_IF);
		_exit(rc == -EPERM && test_log_contains("needs root or "
			"CAP_NET_RAW") ? 0 : 1);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* A private namespace with the veth pair: gone when the process ends. */
static int
make_namespace(void)
{
	if (geteuid() != 0) {
		printf("SKIP: needs root: AF_PACKET sockets need CAP_NET_RAW and "
			"the veth pair CAP_NET_ADMIN\n");
		return TEST_SKIP_EXIT;
	}
	if (unshare(CLONE_NEWNET) != 0) {
		printf("SKIP: cannot create a private network namespace "
			"(unshare: %s)\n", strerror(errno));
		return TEST_SKIP_EXIT;
	}
	if (sh("ip link set lo up && ip link add " PMD_IF " type veth peer name "
		RAW_IF " 2>/dev/null") != 0) {
		printf("SKIP: cannot create a veth pair (no veth support in this "
			"kernel?)\n");
		return TEST_SKIP_EXIT;
	}
	/* No IPv6 chatter (router solicitations) to disturb the counts. */
	sh("sysctl -qw net.ipv6.conf.all.disable_ipv6=1 2>/dev/null");
	sh("sysctl -qw net.ipv6.conf." PMD_IF ".disable_ipv6=1 2>/dev/null");
	sh("sysctl -qw net.ipv6.conf." RAW_IF ".disable_ipv6=1 2>/dev/null");
	if (sh("ip link set " PMD_IF " up && ip link set " RAW_IF " up") != 0)
		return 1;
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_kernel_to_pmd, pmd_test_pool_full),
		cmocka_unit_test_teardown(test_pmd_to_kernel, pmd_test_pool_full),
		cmocka_unit_test_teardown(test_vlan_tags, pmd_test_pool_full),
		cmocka_unit_test_teardown(test_big_frames_as_chains, pmd_test_pool_full),
		cmocka_unit_test_teardown(test_checksum_completed, pmd_test_pool_full),
		cmocka_unit_test_teardown(test_qpairs_spread_flows, pmd_test_pool_full),
		cmocka_unit_test_teardown(test_imissed_when_not_polled, pmd_test_pool_full),
		cmocka_unit_test_teardown(test_tx_errors_counted, pmd_test_pool_full),
		cmocka_unit_test_teardown(test_interface_state, pmd_test_pool_full),
		cmocka_unit_test_teardown(test_restart_has_no_stale_frames, pmd_test_pool_full),
		cmocka_unit_test_teardown(test_pcap_live_iface, pmd_test_pool_full),
		cmocka_unit_test_teardown(test_bad_arguments, pmd_test_pool_full),
		cmocka_unit_test_teardown(test_no_permission, pmd_test_pool_full),
	};
	int rc = make_namespace();

	if (rc != 0)
		return rc;
	return cmocka_run_group_tests(tests, setup_eal, teardown_eal);
}
