/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * testpmd's forwarding engines in-process, on ports made with
 * dp_eth_from_rings(): the test puts packets in a port's RX ring, runs one
 * burst of an engine and reads the TX ring. Checks the bytes each mode
 * writes (mac, macswap), that io forwards the same mbufs untouched, the
 * txonly/flowgen frames (lengths, segments, checksums, flows and how RSS
 * would spread them), the --nb-pkts budget of the lcore loop, drops when
 * TX is full, and that every mbuf is back in the pool after each test.
 */

#include "test_helpers.h"

#include <dp_eth_ring.h>
#include <dp_mbuf.h>
#include <dp_ring.h>
#include <dp_thash.h>

#include "../../examples/testpmd/fwd.h"

#define NB_MBUF 2048

static struct dp_mempool *pool;
static struct dp_ring *rx_ring, *tx_ring, *rx_ring2, *small_tx_ring;
static uint16_t port_a, port_b, port_small;

static const struct dp_ether_addr mac_x = { { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55 } };
static const struct dp_ether_addr mac_y = { { 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb } };
static const struct dp_ether_addr mac_peer = { { 0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee } };

static int
port_up(uint16_t port)
{
	if (dp_eth_dev_configure(port, 1, 1, NULL) != 0 ||
	    dp_eth_rx_queue_setup(port, 0, 0, DP_SOCKET_ID_ANY, NULL, pool) != 0 ||
	    dp_eth_tx_queue_setup(port, 0, 0, DP_SOCKET_ID_ANY, NULL) != 0 ||
	    dp_eth_dev_start(port) != 0)
		return -1;
	return 0;
}

static int
setup(void **state)
{
	const char *args[] = { "--no-huge", "-m", "128", "--no-pci",
		"--log-level=eal:warning", "-l", "0", NULL };
	int rc;

	(void)state;
	if (test_eal_init_args(args, NULL) < 0)
		return -1;
	pool = dp_pktmbuf_pool_create("tp_fwd_test", NB_MBUF, 0, 0,
		DP_MBUF_DEFAULT_BUF_SIZE, DP_SOCKET_ID_ANY);
	rx_ring = dp_ring_create("tp_rx", 1024, DP_SOCKET_ID_ANY, 0);
	tx_ring = dp_ring_create("tp_tx", 1024, DP_SOCKET_ID_ANY, 0);
	rx_ring2 = dp_ring_create("tp_rx2", 1024, DP_SOCKET_ID_ANY, 0);
	small_tx_ring = dp_ring_create("tp_small", 16, DP_SOCKET_ID_ANY, 0);
	if (pool == NULL || rx_ring == NULL || tx_ring == NULL ||
	    rx_ring2 == NULL || small_tx_ring == NULL)
		return -1;
	/* A: rx_ring -> tx_ring. B: rx_ring2 -> tx_ring. small: TX holds 16. */
	rc = dp_eth_from_rings("tp_a", &rx_ring, 1, &tx_ring, 1, DP_SOCKET_ID_ANY);
	if (rc < 0)
		return -1;
	port_a = (uint16_t)rc;
	rc = dp_eth_from_rings("tp_b", &rx_ring2, 1, &tx_ring, 1, DP_SOCKET_ID_ANY);
	if (rc < 0)
		return -1;
	port_b = (uint16_t)rc;
	rc = dp_eth_from_rings("tp_small", &rx_ring, 1, &small_tx_ring, 1,
		DP_SOCKET_ID_ANY);
	if (rc < 0)
		return -1;
	port_small = (uint16_t)rc;
	return port_up(port_a) || port_up(port_b) || port_up(port_small);
}

static int
teardown(void **state)
{
	(void)state;
	dp_eth_dev_close(port_a);
	dp_eth_dev_close(port_b);
	dp_eth_dev_close(port_small);
	dp_ring_free(rx_ring);
	dp_ring_free(tx_ring);
	dp_ring_free(rx_ring2);
	dp_ring_free(small_tx_ring);
	dp_mempool_free(pool);
	return dp_eal_cleanup();
}

/* Free whatever a test left in the rings; then every mbuf must be home. */
static void
drain(struct dp_ring *r)
{
	struct dp_mbuf *m[64];
	unsigned int n;

	while ((n = dp_ring_dequeue_burst(r, (void **)m, 64, NULL)) > 0)
		dp_pktmbuf_free_bulk(m, n);
}

static int
check_pool_full(void **state)
{
	(void)state;
	drain(rx_ring);
	drain(tx_ring);
	drain(rx_ring2);
	drain(small_tx_ring);
	if (dp_mempool_in_use_count(pool) != 0) {
		fprintf(stderr, "%u mbufs still in use\n",
			dp_mempool_in_use_count(pool));
		return -1;
	}
	return 0;
}

/* Packet i: dst mac_x, src mac_y, type 0x0800, then bytes i + k. */
static struct dp_mbuf *
make_pkt(unsigned int i, uint16_t len)
{
	struct dp_mbuf *m = dp_pktmbuf_alloc(pool);
	struct dp_ether_hdr *eth;
	uint8_t *d;
	uint16_t k;

	assert_non_null(m);
	assert_non_null(dp_pktmbuf_append(m, len));
	eth = dp_pktmbuf_mtod(m, struct dp_ether_hdr *);
	eth->dst_addr = mac_x;
	eth->src_addr = mac_y;
	eth->ether_type = dp_cpu_to_be_16(DP_ETHER_TYPE_IPV4);
	d = dp_pktmbuf_mtod(m, uint8_t *);
	for (k = 14; k < len; k++)
		d[k] = (uint8_t)(i + k);
	return m;
}

static void
feed(struct dp_ring *r, unsigned int n, uint16_t len, struct dp_mbuf **out)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		out[i] = make_pkt(i, len);
		assert_int_equal(dp_ring_enqueue(r, out[i]), 0);
	}
}

static void
check_payload(const struct dp_mbuf *m, unsigned int i, uint16_t len)
{
	const uint8_t *d = dp_pktmbuf_mtod(m, const uint8_t *);
	uint16_t k;

	assert_int_equal(m->pkt_len, len);
	assert_int_equal(d[12], 0x08);
	assert_int_equal(d[13], 0x00);
	for (k = 14; k < len; k++)
		assert_int_equal(d[k], (uint8_t)(i + k));
}

static void
stream_init(struct fwd_stream *fs, uint16_t rx, uint16_t tx)
{
	memset(fs, 0, sizeof(*fs));
	fs->rx_port = rx;
	fs->tx_port = tx;
	assert_int_equal(fwd_stream_set_macs(fs, &mac_peer), 0);
}

/* ---- forwarding modes -------------------------------------------------- */

static void
test_engine_names(void **state)
{
	char buf[128];

	(void)state;
	assert_ptr_equal(fwd_engine_find("io"), &fwd_engine_io);
	assert_ptr_equal(fwd_engine_find("flowgen"), &fwd_engine_flowgen);
	assert_null(fwd_engine_find("csum"));
	assert_string_equal(fwd_engine_names(buf, sizeof(buf)),
		"io, mac, macswap, rxonly, txonly, flowgen");
	assert_true(fwd_engine_io.receives);
	assert_false(fwd_engine_txonly.receives);
	assert_true(fwd_engine_flowgen.needs_template);
}

static void
test_io(void **state)
{
	struct dp_mbuf *in[40], *out[40];
	struct fwd_stream fs;
	unsigned int i;

	(void)state;
	stream_init(&fs, port_a, port_a);
	feed(rx_ring, 40, 60, in);
	assert_int_equal(fwd_engine_io.burst(&fs, 32), 32);
	assert_int_equal(fwd_engine_io.burst(&fs, 32), 8);
	assert_int_equal(fwd_engine_io.burst(&fs, 32), 0);
	assert_int_equal(fs.rx_packets, 40);
	assert_int_equal(fs.tx_packets, 40);
	assert_int_equal(fs.fwd_dropped, 0);
	/* The same mbufs, in order, bytes untouched (MACs too). */
	assert_int_equal(dp_ring_dequeue_burst(tx_ring, (void **)out, 40, NULL), 40);
	for (i = 0; i < 40; i++) {
		const struct dp_ether_hdr *eth =
			dp_pktmbuf_mtod(out[i], const struct dp_ether_hdr *);

		assert_ptr_equal(out[i], in[i]);
		assert_memory_equal(&eth->dst_addr, &mac_x, 6);
		assert_memory_equal(&eth->src_addr, &mac_y, 6);
		check_payload(out[i], i, 60);
	}
	dp_pktmbuf_free_bulk(out, 40);
}

static void
test_io_budget_and_drops(void **state)
{
	struct dp_mbuf *in[40];
	struct fwd_stream fs;

	(void)state;
	/* A burst never takes more than it was given. */
	stream_init(&fs, port_a, port_a);
	feed(rx_ring, 40, 60, in);
	assert_int_equal(fwd_engine_io.burst(&fs, 5), 5);
	assert_int_equal(dp_ring_count(rx_ring), 35);
	assert_int_equal(dp_ring_count(tx_ring), 5);
	drain(tx_ring);

	/* TX takes 16: the other 19 are freed and counted as dropped. */
	stream_init(&fs, port_small, port_small);
	assert_int_equal(fwd_engine_io.burst(&fs, 64), 35);
	assert_int_equal(fs.rx_packets, 35);
	assert_int_equal(fs.tx_packets, 16);
	assert_int_equal(fs.fwd_dropped, 19);
	assert_int_equal(dp_ring_count(small_tx_ring), 16);
	assert_int_equal(dp_mempool_in_use_count(pool), 16);
}

static void
test_mac(void **state)
{
	struct dp_ether_addr port_mac, def;
	struct dp_mbuf *in[20], *out[20];
	struct fwd_stream fs;
	unsigned int i;

	(void)state;
	fwd_default_peer_mac(3, &def);
	assert_memory_equal(def.addr_bytes,
		((uint8_t[]){ 0x02, 0, 0, 0, 0, 0x03 }), 6);

	/* Received on B, sent on A: A's address as source. */
	assert_int_equal(dp_eth_macaddr_get(port_a, &port_mac), 0);
	stream_init(&fs, port_b, port_a);
	feed(rx_ring2, 20, 64, in);
	assert_int_equal(fwd_engine_mac.burst(&fs, 32), 20);
	assert_int_equal(fs.tx_packets, 20);
	assert_int_equal(dp_ring_dequeue_burst(tx_ring, (void **)out, 20, NULL), 20);
	for (i = 0; i < 20; i++) {
		const struct dp_ether_hdr *eth =
			dp_pktmbuf_mtod(out[i], const struct dp_ether_hdr *);

		assert_ptr_equal(out[i], in[i]);
		assert_memory_equal(&eth->dst_addr, &mac_peer, 6);
		assert_memory_equal(&eth->src_addr, &port_mac, 6);
		check_payload(out[i], i, 64);
	}
	dp_pktmbuf_free_bulk(out, 20);
}

static void
test_macswap(void **state)
{
	struct dp_mbuf *in[33], *out[33], *seg;
	struct fwd_stream fs;
	unsigned int i;

	(void)state;
	stream_init(&fs, port_a, port_a);
	feed(rx_ring, 33, 70, in);
	/* One packet with a second segment: only the first one changes. */
	seg = dp_pktmbuf_alloc(pool);
	assert_non_null(seg);
	memset(dp_pktmbuf_append(seg, 10), 0x5a, 10);
	assert_int_equal(dp_pktmbuf_chain(in[7], seg), 0);
	assert_int_equal(fwd_engine_macswap.burst(&fs, 32), 32);
	assert_int_equal(fwd_engine_macswap.burst(&fs, 32), 1);
	assert_int_equal(dp_ring_dequeue_burst(tx_ring, (void **)out, 33, NULL), 33);
	for (i = 0; i < 33; i++) {
		const struct dp_ether_hdr *eth =
			dp_pktmbuf_mtod(out[i], const struct dp_ether_hdr *);

		assert_memory_equal(&eth->dst_addr, &mac_y, 6);
		assert_memory_equal(&eth->src_addr, &mac_x, 6);
		if (i != 7)
			check_payload(out[i], i, 70);
	}
	assert_int_equal(out[7]->nb_segs, 2);
	assert_int_equal(out[7]->pkt_len, 80);
	assert_int_equal(*dp_pktmbuf_mtod(out[7]->next, uint8_t *), 0x5a);
	dp_pktmbuf_free_bulk(out, 33);
}

static void
test_rxonly(void **state)
{
	struct dp_mbuf *in[50];
	struct fwd_stream fs;

	(void)state;
	stream_init(&fs, port_a, port_a);
	feed(rx_ring, 50, 64, in);
	assert_int_equal(dp_mempool_in_use_count(pool), 50);
	assert_int_equal(fwd_engine_rxonly.burst(&fs, 32), 32);
	assert_int_equal(fwd_engine_rxonly.burst(&fs, 32), 18);
	assert_int_equal(fs.rx_packets, 50);
	assert_int_equal(fs.tx_packets, 0);
	assert_int_equal(dp_ring_count(tx_ring), 0);
	assert_int_equal(dp_mempool_in_use_count(pool), 0);
}

/* ---- generated packets --------------------------------------------------- */

/* Check a txonly/flowgen frame (copied out of its segments). */
static void
check_frame(const struct dp_mbuf *m, uint32_t len, uint32_t src_ip,
	uint16_t sport, const struct dp_ether_addr *src_mac)
{
	uint8_t buf[TXPKT_MAX_LEN];
	const struct dp_ether_hdr *eth = (const void *)buf;
	const struct dp_ipv4_hdr *ip = (const void *)(eth + 1);
	const struct dp_udp_hdr *udp = (const void *)(ip + 1);
	const uint8_t *payload = (const uint8_t *)(udp + 1);
	const void *p;
	uint32_t k;

	assert_int_equal(m->pkt_len, len);
	p = dp_pktmbuf_read(m, 0, len, buf);
	assert_non_null(p);
	if (p != buf)
		memcpy(buf, p, len);
	assert_memory_equal(&eth->dst_addr, &mac_peer, 6);
	assert_memory_equal(&eth->src_addr, src_mac, 6);
	assert_int_equal(dp_be_to_cpu_16(eth->ether_type), DP_ETHER_TYPE_IPV4);
	assert_int_equal(ip->version_ihl, 0x45);
	assert_int_equal(dp_be_to_cpu_16(ip->total_length), len - 14);
	assert_int_equal(ip->time_to_live, 64);
	assert_int_equal(ip->next_proto_id, IPPROTO_UDP);
	assert_int_equal(dp_be_to_cpu_32(ip->src_addr), src_ip);
	assert_int_equal(dp_be_to_cpu_32(ip->dst_addr), DP_IPV4(198, 18, 0, 2));
	assert_int_equal(ip->hdr_checksum, dp_ipv4_cksum(ip));
	assert_int_equal(dp_be_to_cpu_16(udp->src_port), sport);
	assert_int_equal(dp_be_to_cpu_16(udp->dst_port), 9);
	assert_int_equal(dp_be_to_cpu_16(udp->dgram_len), len - 34);
	assert_int_not_equal(udp->dgram_cksum, 0);
	assert_true(dp_ipv4_udptcp_cksum_verify(ip, udp));
	for (k = 0; k < len - 42; k++)
		assert_int_equal(payload[k], (uint8_t)k);
}

static struct txpkt_template *
make_template(const uint16_t *lens, unsigned int n, uint32_t flows)
{
	struct txpkt_template *t = malloc(sizeof(*t));
	struct dp_ether_addr port_mac;
	char err[160] = "";

	assert_non_null(t);
	assert_int_equal(dp_eth_macaddr_get(port_a, &port_mac), 0);
	if (txpkt_template_build(t, pool, lens, n, flows, &port_mac, &mac_peer,
	    err, sizeof(err)) != 0)
		fail_msg("template: %s", err);
	return t;
}

static void
test_txonly(void **state)
{
	const uint16_t lens[] = { 64 }, odd[] = { 65 };
	struct dp_ether_addr port_mac;
	struct dp_mbuf *out[64];
	struct txpkt_template *t;
	struct fwd_stream fs;
	unsigned int i;

	(void)state;
	assert_int_equal(dp_eth_macaddr_get(port_a, &port_mac), 0);
	t = make_template(lens, 1, 1);
	stream_init(&fs, port_a, port_a);
	fs.tmpl = t;
	assert_int_equal(fwd_engine_txonly.burst(&fs, 32), 32);
	assert_int_equal(fwd_engine_txonly.burst(&fs, 7), 7);
	assert_int_equal(fs.tx_packets, 39);
	assert_int_equal(fs.rx_packets, 0);
	assert_int_equal(dp_ring_dequeue_burst(tx_ring, (void **)out, 64, NULL), 39);
	for (i = 0; i < 39; i++) {
		assert_int_equal(out[i]->nb_segs, 1);
		assert_int_equal(out[i]->data_len, 64);
		check_frame(out[i], 64, DP_IPV4(198, 18, 0, 1), 9, &port_mac);
		/* Identical packets: a byte-for-byte copy of the first. */
		assert_memory_equal(dp_pktmbuf_mtod(out[i], void *),
			dp_pktmbuf_mtod(out[0], void *), 64);
	}
	dp_pktmbuf_free_bulk(out, 39);
	free(t);

	/* An odd length: the last byte's checksum padding. */
	t = make_template(odd, 1, 1);
	fs.tmpl = t;
	assert_int_equal(fwd_engine_txonly.burst(&fs, 1), 1);
	assert_int_equal(dp_ring_dequeue(tx_ring, (void **)out), 0);
	check_frame(out[0], 65, DP_IPV4(198, 18, 0, 1), 9, &port_mac);
	dp_pktmbuf_free(out[0]);
	free(t);
}

static void
test_txonly_segments(void **state)
{
	const uint16_t lens[] = { 42, 1000, 6 };
	struct dp_ether_addr port_mac;
	struct dp_mbuf *out[4], *s;
	struct txpkt_template *t;
	struct fwd_stream fs;
	unsigned int i, k;

	(void)state;
	assert_int_equal(dp_eth_macaddr_get(port_a, &port_mac), 0);
	t = make_template(lens, 3, 1);
	stream_init(&fs, port_a, port_a);
	fs.tmpl = t;
	assert_int_equal(fwd_engine_txonly.burst(&fs, 4), 4);
	assert_int_equal(dp_mempool_in_use_count(pool), 12);
	assert_int_equal(dp_ring_dequeue_burst(tx_ring, (void **)out, 4, NULL), 4);
	for (i = 0; i < 4; i++) {
		const char *why = NULL;

		assert_int_equal(out[i]->nb_segs, 3);
		assert_int_equal(dp_mbuf_check(out[i], 1, &why), 0);
		for (s = out[i], k = 0; s != NULL; s = s->next, k++)
			assert_int_equal(s->data_len, lens[k]);
		check_frame(out[i], 1048, DP_IPV4(198, 18, 0, 1), 9, &port_mac);
	}
	dp_pktmbuf_free_bulk(out, 4);
	free(t);
}

static void
test_flowgen(void **state)
{
	const uint16_t lens[] = { 128 };
	const uint32_t flows = 50;
	unsigned int i, per_queue[4] = { 0 }, per_queue_ip[4] = { 0 };
	struct dp_ether_addr port_mac;
	struct dp_mbuf *out[128];
	struct txpkt_template *t;
	struct fwd_stream fs;

	(void)state;
	assert_int_equal(dp_eth_macaddr_get(port_a, &port_mac), 0);
	t = make_template(lens, 1, flows);
	stream_init(&fs, port_a, port_a);
	fs.tmpl = t;
	/* 120 packets in bursts of 32: flows continue across bursts. */
	assert_int_equal(fwd_engine_flowgen.burst(&fs, 32), 32);
	assert_int_equal(fwd_engine_flowgen.burst(&fs, 32), 32);
	assert_int_equal(fwd_engine_flowgen.burst(&fs, 32), 32);
	assert_int_equal(fwd_engine_flowgen.burst(&fs, 24), 24);
	assert_int_equal(fs.next_flow, 120 % flows);
	assert_int_equal(dp_ring_dequeue_burst(tx_ring, (void **)out, 128, NULL), 120);
	for (i = 0; i < 120; i++) {
		uint32_t f = i % flows;
		uint32_t src = DP_IPV4(198, 18, 0, 1) + f;

		/* Checksums from the kept sums match a full computation. */
		check_frame(out[i], 128, src, (uint16_t)(1024 + f), &port_mac);
		per_queue[dp_thash_ipv4(src, DP_IPV4(198, 18, 0, 2),
			(uint16_t)(1024 + f), 9, true, dp_thash_default_key) % 4]++;
		per_queue_ip[dp_thash_ipv4(src, DP_IPV4(198, 18, 0, 2), 0, 0,
			false, dp_thash_default_key) % 4]++;
	}
	/* RSS by addresses and ports, or by addresses only, uses every queue. */
	for (i = 0; i < 4; i++) {
		assert_true(per_queue[i] > 0);
		assert_true(per_queue_ip[i] > 0);
	}
	dp_pktmbuf_free_bulk(out, 120);
	free(t);
}

/* Every flow of the largest flow count gets both checksums right. */
static void
test_flowgen_all_flows(void **state)
{
	const uint16_t lens[] = { 60 };
	struct dp_ether_addr port_mac;
	struct txpkt_template *t;
	struct dp_mbuf *m;
	uint32_t f;

	(void)state;
	assert_int_equal(dp_eth_macaddr_get(port_a, &port_mac), 0);
	t = make_template(lens, 1, TXPKT_MAX_FLOWS);
	for (f = 0; f < TXPKT_MAX_FLOWS; f += 7) {
		assert_int_equal(txpkt_alloc_burst(t, &m, 1), 0);
		txpkt_set_flow(t, m, f);
		check_frame(m, 60, DP_IPV4(198, 18, 0, 1) + f,
			(uint16_t)(1024 + f), &port_mac);
		dp_pktmbuf_free(m);
	}
	free(t);
}

static void
test_template_refusals(void **state)
{
	struct txpkt_template *t = malloc(sizeof(*t));
	const uint16_t short_first[] = { 41, 100 }, zero[] = { 64, 0 };
	const uint16_t too_big[] = { 2049 }, seventeen[17] = { 64 };
	char err[160];

	(void)state;
	assert_non_null(t);
	assert_int_equal(txpkt_template_build(t, pool, short_first, 2, 1, &mac_x,
		&mac_y, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "the first segment (41 bytes) must hold the "
		"Ethernet, IPv4 and UDP headers: at least 42 bytes");
	assert_int_equal(txpkt_template_build(t, pool, zero, 2, 1, &mac_x,
		&mac_y, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "segment 1 is 0 bytes: each must be 1 to 2048 "
		"(the mbuf data room)");
	assert_int_equal(txpkt_template_build(t, pool, too_big, 1, 1, &mac_x,
		&mac_y, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "segment 0 is 2049 bytes: each must be 1 to "
		"2048 (the mbuf data room)");
	assert_int_equal(txpkt_template_build(t, pool, seventeen, 17, 1, &mac_x,
		&mac_y, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "17 segments: give 1 to 16 lengths");
	assert_int_equal(txpkt_template_build(t, pool, too_big, 0, 1, &mac_x,
		&mac_y, err, sizeof(err)), -EINVAL);
	assert_int_equal(txpkt_template_build(t, pool, short_first + 1, 1, 0,
		&mac_x, &mac_y, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "0 flows: give 1 to 64512");
	assert_int_equal(txpkt_check_lengths((const uint16_t[]){ 2048, 2048,
		2048, 2048, 2048 }, 5, 2048, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "a 10240-byte packet is larger than 9724 bytes");
	assert_int_equal(txpkt_check_lengths((const uint16_t[]){ 64, 36 }, 2,
		2048, err, sizeof(err)), 100);
	free(t);
}

static void
test_txonly_pool_empty(void **state)
{
	const uint16_t lens[] = { 64 };
	struct dp_mbuf *held[NB_MBUF];
	struct txpkt_template *t;
	struct fwd_stream fs;

	(void)state;
	t = make_template(lens, 1, 1);
	stream_init(&fs, port_a, port_a);
	fs.tmpl = t;
	/* Leave 10 mbufs: a burst of 32 gets none, a burst of 10 all. */
	assert_int_equal(dp_pktmbuf_alloc_bulk(pool, held, NB_MBUF - 10), 0);
	assert_int_equal(fwd_engine_txonly.burst(&fs, 32), 0);
	assert_int_equal(fs.rx_nombuf, 32);
	assert_int_equal(fs.tx_packets, 0);
	assert_int_equal(fwd_engine_flowgen.burst(&fs, 32), 0);
	assert_int_equal(fs.rx_nombuf, 64);
	assert_int_equal(fwd_engine_txonly.burst(&fs, 10), 10);
	assert_int_equal(dp_mempool_in_use_count(pool), NB_MBUF);
	dp_pktmbuf_free_bulk(held, NB_MBUF - 10);
	free(t);
}

/* ---- the lcore loop and the --nb-pkts budget ----------------------------- */

static void
test_loop_budget(void **state)
{
	struct fwd_stream fs[2], *list[2] = { &fs[0], &fs[1] };
	struct pkt_budget budget = { .left = 100, .limit = 100 };
	struct fwd_lcore fc = {
		.streams = list, .nb_streams = 2, .burst = 32, .budget = &budget,
	};
	struct dp_mbuf *in[300];

	(void)state;
	stream_init(&fs[0], port_a, port_a);
	stream_init(&fs[1], port_b, port_b);
	feed(rx_ring, 150, 64, in);
	feed(rx_ring2, 150, 64, in + 150);
	/* Run on this thread: it returns once exactly 100 were received. */
	assert_int_equal(fwd_engine_rxonly.lcore_loop(&fc), 0);
	assert_int_equal(fs[0].rx_packets + fs[1].rx_packets, 100);
	assert_int_equal(budget.done, 100);
	assert_int_equal(budget.left, 0);
	assert_int_equal(dp_ring_count(rx_ring) + dp_ring_count(rx_ring2), 200);
	assert_true(fc.end_tsc != 0);

	/* An empty queue gives its claim back: the other stream gets it. */
	drain(rx_ring);
	budget.left = budget.limit = 10;
	budget.done = 0;
	assert_int_equal(fwd_engine_io.lcore_loop(&fc), 0);
	assert_int_equal(fs[0].rx_packets + fs[1].rx_packets, 110);
	assert_int_equal(budget.done, 10);
	assert_int_equal(dp_ring_count(tx_ring), 10);

	/* txonly counts what was sent. */
	{
		const uint16_t lens[] = { 64 };
		struct txpkt_template *t = make_template(lens, 1, 1);

		drain(tx_ring);
		fs[0].tmpl = fs[1].tmpl = t;
		fs[0].tx_packets = fs[1].tx_packets = 0;
		budget.left = budget.limit = 45;
		budget.done = 0;
		assert_int_equal(fwd_engine_txonly.lcore_loop(&fc), 0);
		assert_int_equal(fs[0].tx_packets + fs[1].tx_packets, 45);
		assert_int_equal(dp_ring_count(tx_ring), 45);
		free(t);
	}
}

static void
test_loop_stop_flag(void **state)
{
	struct fwd_stream fs, *list[1] = { &fs };
	struct fwd_lcore fc = { .streams = list, .nb_streams = 1, .burst = 32 };
	struct dp_mbuf *in[10];

	(void)state;
	stream_init(&fs, port_a, port_a);
	feed(rx_ring, 10, 64, in);
	/* Stop already set: one pass over the streams, then return. */
	fc.stop = 1;
	assert_int_equal(fwd_engine_rxonly.lcore_loop(&fc), 0);
	assert_int_equal(fs.rx_packets, 10);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_engine_names),
		cmocka_unit_test_teardown(test_io, check_pool_full),
		cmocka_unit_test_teardown(test_io_budget_and_drops, check_pool_full),
		cmocka_unit_test_teardown(test_mac, check_pool_full),
		cmocka_unit_test_teardown(test_macswap, check_pool_full),
		cmocka_unit_test_teardown(test_rxonly, check_pool_full),
		cmocka_unit_test_teardown(test_txonly, check_pool_full),
		cmocka_unit_test_teardown(test_txonly_segments, check_pool_full),
		cmocka_unit_test_teardown(test_flowgen, check_pool_full),
		cmocka_unit_test_teardown(test_flowgen_all_flows, check_pool_full),
		cmocka_unit_test(test_template_refusals),
		cmocka_unit_test_teardown(test_txonly_pool_empty, check_pool_full),
		cmocka_unit_test_teardown(test_loop_budget, check_pool_full),
		cmocka_unit_test_teardown(test_loop_stop_flag, check_pool_full),
	};

	return cmocka_run_group_tests_name("testpmd_fwd", tests, setup,
		teardown);
}
