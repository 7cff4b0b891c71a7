/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The shared Intel data path (drivers/net/intel_common) against a software
 * NIC (intel_swnic.h) that reads and writes the descriptor rings the way
 * the 82576 does, with the 82576's chip table: ring setup and its
 * registers, DD/EOP handling, chains, error bits and offload flags, the
 * tail never catching the head over ten rings' worth of frames, recovery
 * from an empty mempool, TX with RS batches and reclaim accounting,
 * context descriptors, chained TX, queue stop/start, and the refusals of
 * bad descriptor counts and thresholds. Every test ends with every mbuf
 * back in its pool.
 */

#include "test_helpers.h"

#include <dp_eal.h>
#include <dp_mbuf.h>
#include <dp_mbuf_ptype.h>
#include <dp_memzone.h>

#include "igb_private.h"
#include "intel_swnic.h"
#include "test_pmd_helpers.h"

static struct dp_mempool *pool;		/* 2 KB buffers */
static struct dp_mempool *small_pool;	/* 1 KB buffers: frames span descriptors */
static struct dp_mempool *tiny_pool;	/* 512 B: too small for SRRCTL */
static struct swnic nic;
static uint64_t port_nombuf;
/* The queues of the running test, freed by nic_down if it failed midway. */
static struct intel_rx_queue *cur_rxq;
static struct intel_tx_queue *cur_txq;
/* Mbufs out of the pools when the test started (a failed test may leak). */
static unsigned int baseline;

static unsigned int
in_use(void)
{
	return dp_mempool_in_use_count(pool) +
		dp_mempool_in_use_count(small_pool) +
		dp_mempool_in_use_count(tiny_pool);
}

/* Mbufs this test has out of the shared pools. */
static unsigned int
used(void)
{
	return in_use() - baseline;
}

#define NB_MBUF 4096

static int
setup_eal(void **state)
{
	static const char *const args[] = { "--no-huge", "-m", "256",
		"--no-pci", "--log-level=eal:warning", "-l", "0", NULL };

	(void)state;
	if (test_eal_init_args(args, NULL) < 0)
		return -1;
	/* No per-lcore cache: in-use counts are exact. */
	pool = dp_pktmbuf_pool_create("intel_test", NB_MBUF, 0, 0,
		DP_MBUF_DEFAULT_BUF_SIZE, DP_SOCKET_ID_ANY);
	small_pool = dp_pktmbuf_pool_create("intel_small", 1024, 0, 0,
		1024 + DP_PKTMBUF_HEADROOM, DP_SOCKET_ID_ANY);
	tiny_pool = dp_pktmbuf_pool_create("intel_tiny", 64, 0, 0,
		512 + DP_PKTMBUF_HEADROOM, DP_SOCKET_ID_ANY);
	return pool && small_pool && tiny_pool ? 0 : -1;
}

static int
teardown_eal(void **state)
{
	(void)state;
	dp_mempool_free(pool);
	dp_mempool_free(small_pool);
	dp_mempool_free(tiny_pool);
	return dp_eal_cleanup();
}

static int
nic_up(void **state)
{
	(void)state;
	swnic_init(&nic, &igb_chip_82576);
	port_nombuf = 0;
	baseline = in_use();
	return 0;
}

/* Every test leaves every mbuf in its pool and no bad DMA address. */
static int
nic_down(void **state)
{
	unsigned int used, bad = nic.bad_addr;

	(void)state;
	if (cur_rxq != NULL || cur_txq != NULL) {
		/* A failed assertion left its queues: free them for the next test. */
		intel_rx_queue_free(cur_rxq);
		intel_tx_queue_free(cur_txq);
		cur_rxq = NULL;
		cur_txq = NULL;
	}
	used = in_use() - baseline;
	swnic_fini(&nic);
	if (used != 0 || bad != 0) {
		fprintf(stderr, "%u mbufs still in use, %u bad DMA addresses\n",
			used, bad);
		return -1;
	}
	return 0;
}

/* ---- helpers ------------------------------------------------------------------ */

static void
fill(uint8_t *p, uint32_t len, uint32_t seq)
{
	uint32_t i;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)(seq * 7 + i * 3 + (i >> 8));
	if (len >= 4)
		memcpy(p, &seq, 4);
}

/* A frame of @p len bytes carrying @p seq. */
static uint8_t *
frame(uint32_t seq, uint32_t len)
{
	static uint8_t buf[SWNIC_MAX_FRAME];

	fill(buf, len, seq);
	return buf;
}

/* The packet in @p m is frame(seq, len)? */
static void
assert_frame(const struct dp_mbuf *m, uint32_t seq, uint32_t len)
{
	static uint8_t want[SWNIC_MAX_FRAME], got[SWNIC_MAX_FRAME];
	const void *p;

	assert_int_equal(m->pkt_len, len);
	fill(want, len, seq);
	p = dp_pktmbuf_read(m, 0, len, got);
	assert_non_null(p);
	assert_memory_equal(p, want, len);
}

static struct intel_rx_queue *
rxq_make(uint16_t nb, struct dp_mempool *mp, uint16_t thresh, uint32_t flags)
{
	struct dp_eth_rxconf conf = { .rx_free_thresh = thresh, .rx_drop_en = 1 };
	struct intel_rx_queue *q = NULL;

	assert_int_equal(intel_rx_queue_create(&nic.hw, 0, nb, DP_SOCKET_ID_ANY,
		&conf, mp, 3, flags, &port_nombuf, &q), 0);
	assert_int_equal(intel_rx_queue_start(q), 0);
	cur_rxq = q;
	return q;
}

static void
rxq_free(struct intel_rx_queue *q)
{
	intel_rx_queue_free(q);
	cur_rxq = NULL;
}

static struct intel_tx_queue *
txq_make(uint16_t nb, uint16_t rs, uint16_t fr)
{
	struct dp_eth_txconf conf = { .tx_rs_thresh = rs, .tx_free_thresh = fr };
	struct intel_tx_queue *q = NULL;

	assert_int_equal(intel_tx_queue_create(&nic.hw, 0, nb, DP_SOCKET_ID_ANY,
		&conf, 3, &q), 0);
	assert_int_equal(intel_tx_queue_start(q), 0);
	cur_txq = q;
	return q;
}

static void
txq_free(struct intel_tx_queue *q)
{
	intel_tx_queue_free(q);
	cur_txq = NULL;
}

static uint32_t
rxreg(uint32_t off)
{
	return swnic_reg(&nic, swnic_rxq(&nic, 0) + off);
}

static uint32_t
txreg(uint32_t off)
{
	return swnic_reg(&nic, swnic_txq(&nic, 0) + off);
}

/* An mbuf (chain of @p nseg equal segments) holding frame(seq, len). */
static struct dp_mbuf *
pkt(uint32_t seq, uint32_t len, unsigned int nseg)
{
	static uint8_t buf[SWNIC_MAX_FRAME];

	fill(buf, len, seq);
	return pmd_test_make_pkt(pool, buf, len, nseg);
}

/* ---- RX --------------------------------------------------------------------- */

/* Queue start programs the ring registers and arms every descriptor. */
static void
test_rx_setup_registers(void **state)
{
	struct intel_rx_queue *q = rxq_make(64, pool, 16, 0);
	uint64_t base = rxreg(INTEL_RDBAL) | (uint64_t)rxreg(INTEL_RDBAH) << 32;
	unsigned int i;

	(void)state;
	assert_int_equal(base, q->mz->iova);
	assert_int_equal(base % 128, 0);
	assert_int_equal(q->mz->len % 128, 0);
	assert_int_equal(rxreg(INTEL_RDLEN), 64 * 16);
	/* 2 KB buffers, one buffer per advanced descriptor, DROP_EN. */
	assert_int_equal(rxreg(IGB_SRRCTL_OFF), 2u | (1u << 25) | (1u << 31));
	assert_int_equal(rxreg(INTEL_RDH), 0);
	assert_int_equal(rxreg(INTEL_RDT), 63);
	assert_true(rxreg(INTEL_RXDCTL) & INTEL_QUEUE_ENABLE);
	for (i = 0; i < 64; i++) {
		assert_non_null(q->sw_ring[i]);
		assert_int_equal(dp_le_to_cpu_64(q->ring[i].read.pkt_addr),
			q->sw_ring[i]->buf_iova + DP_PKTMBUF_HEADROOM);
		assert_int_equal(q->ring[i].read.hdr_addr, 0);
	}
	assert_int_equal(used(), 64);
	rxq_free(q);
	assert_false(rxreg(INTEL_RXDCTL) & INTEL_QUEUE_ENABLE);
}

/* Bad descriptor counts, thresholds and buffers are refused, said why. */
static void
test_setup_refusals(void **state)
{
	struct dp_eth_rxconf rc = { .rx_free_thresh = 63 };
	struct dp_eth_txconf tc = { .tx_rs_thresh = 40 };
	struct intel_rx_queue *rq = NULL;
	struct intel_tx_queue *tq = NULL;

	(void)state;
	test_log_capture();
	assert_int_equal(intel_rx_queue_create(&nic.hw, 0, 33, -1, NULL, pool,
		0, 0, NULL, &rq), -EINVAL);
	assert_logged("RX queue 0: 33 descriptors; the 82576 takes 32 to 4096, "
		"a multiple of 8");
	assert_int_equal(intel_rx_queue_create(&nic.hw, 0, 16, -1, NULL, pool,
		0, 0, NULL, &rq), -EINVAL);
	assert_logged("16 descriptors");
	assert_int_equal(intel_tx_queue_create(&nic.hw, 0, 8192, -1, NULL, 0,
		&tq), -EINVAL);
	assert_logged("TX queue 0: 8192 descriptors");
	assert_int_equal(intel_rx_queue_create(&nic.hw, 16, 64, -1, NULL, pool,
		0, 0, NULL, &rq), -EINVAL);
	assert_logged("RX queue 16: the 82576 has 16 RX queues");
	assert_int_equal(intel_rx_queue_create(&nic.hw, 0, 64, -1, NULL,
		tiny_pool, 0, 0, NULL, &rq), -EINVAL);
	assert_logged("have 512 bytes after the headroom; the 82576 needs at "
		"least 1024");
	assert_int_equal(intel_rx_queue_create(&nic.hw, 0, 64, -1, &rc, pool,
		0, 0, NULL, &rq), -EINVAL);
	assert_logged("rx_free_thresh 63 must be below 63");
	assert_int_equal(intel_tx_queue_create(&nic.hw, 0, 64, -1, &tc, 0, &tq),
		-EINVAL);
	assert_logged("tx_rs_thresh 40: must be 1 to 32");
	tc.tx_rs_thresh = 8;
	tc.tx_free_thresh = 63;
	assert_int_equal(intel_tx_queue_create(&nic.hw, 0, 64, -1, &tc, 0, &tq),
		-EINVAL);
	assert_logged("tx_free_thresh 63: must be below 63");
	test_log_release();
	assert_null(rq);
	assert_null(tq);
	/* The limits a port reports are the same ones. */
	{
		struct dp_eth_desc_lim rx, tx;

		intel_desc_lim(&igb_chip_82576, &rx, &tx);
		assert_int_equal(rx.nb_min, 32);
		assert_int_equal(rx.nb_max, 4096);
		assert_int_equal(rx.nb_align, 8);
		assert_int_equal(tx.nb_seg_max, 40);
	}
}

/* The burst stops at the first descriptor without DD. */
static void
test_rx_dd(void **state)
{
	struct intel_rx_queue *q = rxq_make(64, pool, 8, 0);
	struct swnic_rx_meta hold = { .hold_dd = 1 };
	struct dp_mbuf *m[32];

	(void)state;
	assert_int_equal(swnic_rx(&nic, 0, frame(1, 100), 100, NULL), 1);
	assert_int_equal(swnic_rx(&nic, 0, frame(2, 200), 200, &hold), 1);
	assert_int_equal(swnic_rx(&nic, 0, frame(3, 300), 300, NULL), 1);
	assert_int_equal(intel_rx_burst(q, m, 32), 1);
	assert_frame(m[0], 1, 100);
	assert_int_equal(m[0]->nb_segs, 1);
	assert_int_equal(m[0]->data_len, 100);
	assert_int_equal(m[0]->port, 3);
	assert_int_equal(m[0]->data_off, DP_PKTMBUF_HEADROOM);
	assert_int_equal(m[0]->ol_flags, 0);
	assert_int_equal(m[0]->packet_type, DP_PTYPE_L2_ETHER);
	dp_pktmbuf_free(m[0]);
	/* Frame 2's descriptor is written but not done: nothing. */
	assert_int_equal(intel_rx_burst(q, m, 32), 0);
	swnic_rx_set_dd(&nic, 0, 1);
	assert_int_equal(intel_rx_burst(q, m, 32), 2);
	assert_frame(m[0], 2, 200);
	assert_frame(m[1], 3, 300);
	dp_pktmbuf_free_bulk(m, 2);
	/* Asking for fewer than there are returns that many. */
	assert_int_equal(swnic_rx(&nic, 0, frame(4, 64), 64, NULL), 1);
	assert_int_equal(swnic_rx(&nic, 0, frame(5, 64), 64, NULL), 1);
	assert_int_equal(intel_rx_burst(q, m, 1), 1);
	assert_frame(m[0], 4, 64);
	dp_pktmbuf_free(m[0]);
	assert_int_equal(intel_rx_burst(q, m, 32), 1);
	assert_frame(m[0], 5, 64);
	dp_pktmbuf_free(m[0]);
	assert_int_equal(q->stats.packets, 5);
	assert_int_equal(q->stats.bytes, 100 + 200 + 300 + 64 + 64);
	rxq_free(q);
}

/* Frames larger than a buffer arrive as one mbuf chain (EOP). */
static void
test_rx_chain(void **state)
{
	struct intel_rx_queue *q = rxq_make(64, small_pool, 8, 0);
	struct swnic_rx_meta hold3 = { .hold_dd = 3 };
	struct dp_mbuf *m[8];
	uint32_t last;

	(void)state;
	assert_int_equal(q->buf_len, 1024);
	assert_int_equal(swnic_rx(&nic, 0, frame(7, 2500), 2500, NULL), 3);
	assert_int_equal(intel_rx_burst(q, m, 8), 1);
	assert_int_equal(m[0]->nb_segs, 3);
	assert_int_equal(m[0]->data_len, 1024);
	assert_int_equal(m[0]->next->data_len, 1024);
	assert_int_equal(m[0]->next->next->data_len, 2500 - 2048);
	assert_null(m[0]->next->next->next);
	assert_frame(m[0], 7, 2500);
	dp_pktmbuf_free(m[0]);

	/* The EOP descriptor not done yet: the half frame waits in the queue. */
	assert_int_equal(swnic_rx(&nic, 0, frame(8, 3000), 3000, &hold3), 3);
	assert_int_equal(intel_rx_burst(q, m, 8), 0);
	assert_non_null(q->pkt_first);
	last = (rxreg(INTEL_RDH) + 64 - 1) % 64;
	swnic_rx_set_dd(&nic, 0, last);
	assert_int_equal(swnic_rx(&nic, 0, frame(9, 60), 60, NULL), 1);
	assert_int_equal(intel_rx_burst(q, m, 8), 2);
	assert_int_equal(m[0]->nb_segs, 3);
	assert_frame(m[0], 8, 3000);
	assert_frame(m[1], 9, 60);
	dp_pktmbuf_free_bulk(m, 2);

	/* Stopping with a half frame pending frees it too. */
	assert_int_equal(swnic_rx(&nic, 0, frame(10, 2500), 2500, &hold3), 3);
	assert_int_equal(intel_rx_burst(q, m, 8), 0);
	assert_non_null(q->pkt_first);
	assert_int_equal(intel_rx_queue_stop(q), 0);
	assert_int_equal(used(), 0);
	/* And the queue starts again, with a full ring. */
	assert_int_equal(intel_rx_queue_start(q), 0);
	assert_int_equal(rxreg(INTEL_RDT), 63);
	assert_int_equal(swnic_rx(&nic, 0, frame(11, 1500), 1500, NULL), 2);
	assert_int_equal(intel_rx_burst(q, m, 8), 1);
	assert_frame(m[0], 11, 1500);
	dp_pktmbuf_free(m[0]);
	rxq_free(q);
}

/* Frame errors drop the frame; checksum results, VLAN, RSS become flags. */
static void
test_rx_errors_flags(void **state)
{
	struct intel_rx_queue *q = rxq_make(64, small_pool, 8,
		INTEL_RXQ_F_CKSUM | INTEL_RXQ_F_VLAN_STRIP | INTEL_RXQ_F_RSS);
	const struct swnic_rx_meta rxe = { .errors = IGB_RXDERR_RXE },
		ce = { .errors = IGB_RXDERR_CE | IGB_RXDERR_RXE },
		udp = { .status = INTEL_RXD_STAT_IPCS | INTEL_RXD_STAT_L4CS |
			INTEL_RXD_STAT_UDPCS, .info = INTEL_RXD_PKT_IPV4 |
			INTEL_RXD_PKT_UDP | 1, .rss = 0x12345678 },
		tcp_bad = { .status = INTEL_RXD_STAT_IPCS | INTEL_RXD_STAT_L4CS,
			.errors = IGB_RXDERR_IPE | IGB_RXDERR_L4E,
			.info = INTEL_RXD_PKT_IPV4 | INTEL_RXD_PKT_TCP },
		vlan = { .status = INTEL_RXD_STAT_VP, .vlan = 0x0123 },
		v6 = { .info = INTEL_RXD_PKT_IPV6 | INTEL_RXD_PKT_TCP };
	struct dp_mbuf *m[8];

	(void)state;
	assert_int_equal(swnic_rx(&nic, 0, frame(1, 100), 100, &rxe), 1);
	/* A bad frame spread over three buffers: the whole chain goes. */
	assert_int_equal(swnic_rx(&nic, 0, frame(2, 2500), 2500, &ce), 3);
	assert_int_equal(swnic_rx(&nic, 0, frame(3, 100), 100, &udp), 1);
	assert_int_equal(swnic_rx(&nic, 0, frame(4, 100), 100, &tcp_bad), 1);
	assert_int_equal(swnic_rx(&nic, 0, frame(5, 100), 100, &vlan), 1);
	assert_int_equal(swnic_rx(&nic, 0, frame(6, 100), 100, &v6), 1);
	assert_int_equal(intel_rx_burst(q, m, 8), 4);
	assert_int_equal(q->stats.errors, 2);
	assert_int_equal(q->stats.packets, 4);

	assert_frame(m[0], 3, 100);
	assert_int_equal(m[0]->packet_type, DP_PTYPE_L2_ETHER |
		DP_PTYPE_L3_IPV4 | DP_PTYPE_L4_UDP);
	assert_int_equal(m[0]->ol_flags, DP_MBUF_F_RX_IP_CKSUM_GOOD |
		DP_MBUF_F_RX_L4_CKSUM_GOOD | DP_MBUF_F_RX_RSS_HASH);
	assert_int_equal(m[0]->hash.rss, 0x12345678);

	assert_int_equal(m[1]->packet_type, DP_PTYPE_L2_ETHER |
		DP_PTYPE_L3_IPV4 | DP_PTYPE_L4_TCP);
	assert_int_equal(m[1]->ol_flags, DP_MBUF_F_RX_IP_CKSUM_BAD |
		DP_MBUF_F_RX_L4_CKSUM_BAD);

	assert_int_equal(m[2]->ol_flags, DP_MBUF_F_RX_VLAN |
		DP_MBUF_F_RX_VLAN_STRIPPED);
	assert_int_equal(m[2]->vlan_tci, 0x0123);
	assert_int_equal(m[2]->packet_type, DP_PTYPE_L2_ETHER_VLAN);

	assert_int_equal(m[3]->packet_type, DP_PTYPE_L2_ETHER |
		DP_PTYPE_L3_IPV6 | DP_PTYPE_L4_TCP);
	assert_int_equal(m[3]->ol_flags, 0);
	assert_int_equal(m[3]->vlan_tci, 0);
	dp_pktmbuf_free_bulk(m, 4);
	rxq_free(q);

	/* Offloads off: the same write-back gives no flags. */
	q = rxq_make(64, pool, 8, 0);
	assert_int_equal(swnic_rx(&nic, 0, frame(3, 100), 100, &udp), 1);
	assert_int_equal(intel_rx_burst(q, m, 8), 1);
	assert_int_equal(m[0]->ol_flags, 0);
	assert_int_equal(m[0]->hash.rss, 0);
	dp_pktmbuf_free(m[0]);
	rxq_free(q);
}

static uint64_t rnd_state = 0x9e3779b97f4a7c15ull;

static uint32_t
rnd(uint32_t n)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return (uint32_t)(rnd_state % n);
}

/*
 * Who holds the 64 descriptors: the one at RDT (software's, armed), the
 * taken ones waiting for refill, the completed ones not looked at, and
 * what the NIC owns. They add up to the ring; if RDT ever equalled RDH
 * with descriptors armed, the NIC would own none and the sum would fail.
 */
static void
assert_ring_accounted(const struct intel_rx_queue *q, uint32_t rdt_before)
{
	uint32_t n = q->nb_desc, rdh = rxreg(INTEL_RDH), rdt = rxreg(INTEL_RDT);
	uint32_t completed = (rdh + n - q->next) % n;
	uint32_t owned = swnic_rx_owned(&nic, 0);

	assert_int_equal(1 + q->nb_hold + completed + owned, n);
	assert_true(q->nb_hold <= q->free_thresh || port_nombuf != 0);
	if (rdt != rdt_before)
		assert_int_not_equal(rdt, rdh);
}

/* Ten rings' worth of frames in random bursts: the tail never meets the head. */
static void
test_rx_tail_never_head(void **state)
{
	struct intel_rx_queue *q = rxq_make(64, pool, 16, 0);
	uint32_t sent = 0, got = 0, k, i, want, rdt;
	unsigned int tail_moves = 0;
	struct dp_mbuf *m[32];
	uint16_t n;

	(void)state;
	while (sent < 10 * 64) {
		k = 1 + rnd(40);
		for (i = 0; i < k; i++, sent++)
			assert_int_equal(swnic_rx(&nic, 0, frame(sent,
				60 + (sent * 89) % 1455), 60 + (sent * 89) % 1455,
				NULL), 1);
		while (got < sent) {
			want = 1 + rnd(32);
			rdt = rxreg(INTEL_RDT);
			n = intel_rx_burst(q, m, (uint16_t)want);
			assert_true(n > 0);
			tail_moves += rxreg(INTEL_RDT) != rdt;
			assert_ring_accounted(q, rdt);
			for (i = 0; i < n; i++, got++) {
				assert_frame(m[i], got, 60 + (got * 89) % 1455);
				dp_pktmbuf_free(m[i]);
			}
		}
	}
	assert_int_equal(nic.rx_dropped, 0);
	assert_int_equal(got, sent);
	/* The tail moved in batches: far fewer writes than frames. */
	assert_true(tail_moves > 0 && tail_moves <= sent / 16);
	assert_int_equal(port_nombuf, 0);
	rxq_free(q);
}

/* Mbufs the application holds are never handed to the NIC again. */
static void
assert_nic_owns_no_held(const struct intel_rx_queue *q, struct dp_mbuf **held,
	unsigned int nb_held)
{
	uint32_t n = q->nb_desc, i = rxreg(INTEL_RDH), j;

	for (; i != rxreg(INTEL_RDT); i = (i + 1) % n) {
		uint64_t a = dp_le_to_cpu_64(q->ring[i].read.pkt_addr);

		assert_int_not_equal(a, 0);
		for (j = 0; j < nb_held; j++)
			assert_int_not_equal(a, held[j]->buf_iova +
				DP_PKTMBUF_HEADROOM);
	}
}

/* An empty pool: RX goes on while the ring lasts, counts, then recovers. */
static void
test_rx_nombuf(void **state)
{
	struct dp_mempool *mp = dp_pktmbuf_pool_create("intel_nombuf", 104, 0,
		0, DP_MBUF_DEFAULT_BUF_SIZE, DP_SOCKET_ID_ANY);
	static struct dp_mbuf *held[256];
	unsigned int nb_held = 0, seq = 0, rseq = 0, i;
	struct intel_rx_queue *q;
	uint16_t n;

	(void)state;
	assert_non_null(mp);
	q = rxq_make(64, mp, 8, 0);
	assert_int_equal(dp_mempool_avail_count(mp), 40);
	/* The application keeps everything it receives: the pool runs dry. */
	while (swnic_rx(&nic, 0, frame(seq, 128), 128, NULL) == 1) {
		seq++;
		n = intel_rx_burst(q, held + nb_held, 32);
		for (i = 0; i < n; i++)
			assert_frame(held[nb_held + i], rseq++, 128);
		nb_held += n;
		assert_nic_owns_no_held(q, held, nb_held);
	}
	n = intel_rx_burst(q, held + nb_held, 32);
	for (i = 0; i < n; i++)
		assert_frame(held[nb_held + i], rseq++, 128);
	nb_held += n;
	assert_int_equal(rseq, seq);
	/* 104 mbufs: every one received, none left for the ring. */
	assert_int_equal(nb_held, 104 - 1);
	assert_int_equal(dp_mempool_avail_count(mp), 0);
	assert_true(port_nombuf > 0);
	assert_int_equal(q->stats.nombuf, port_nombuf);
	assert_int_equal(swnic_rx_owned(&nic, 0), 0);
	assert_int_equal(nic.rx_dropped, 1);
	assert_nic_owns_no_held(q, held, nb_held);

	/* Buffers come back: the next burst refills and the NIC receives. */
	dp_pktmbuf_free_bulk(held, nb_held);
	nb_held = 0;
	assert_int_equal(intel_rx_burst(q, held, 32), 0);
	assert_int_equal(swnic_rx_owned(&nic, 0), 63 - q->nb_hold);
	for (i = 0; i < 40; i++)
		assert_int_equal(swnic_rx(&nic, 0, frame(seq + i, 256), 256,
			NULL), 1);
	for (i = 0; i < 40; i += n) {
		n = intel_rx_burst(q, held, 32);
		for (uint16_t j = 0; j < n; j++) {
			assert_frame(held[j], seq + i + j, 256);
			dp_pktmbuf_free(held[j]);
		}
	}
	rxq_free(q);
	assert_int_equal(dp_mempool_in_use_count(mp), 0);
	dp_mempool_free(mp);
}

/* ---- TX --------------------------------------------------------------------- */

/* Start programs the ring; RS every tx_rs_thresh descriptors; batched reclaim. */
static void
test_tx_basic_rs(void **state)
{
	struct intel_tx_queue *q = txq_make(64, 8, 8);
	struct dp_mbuf *m[32];
	uint64_t base = txreg(INTEL_TDBAL) | (uint64_t)txreg(INTEL_TDBAH) << 32;
	unsigned int i;

	(void)state;
	assert_int_equal(base, q->mz->iova);
	assert_int_equal(base % 128, 0);
	assert_int_equal(txreg(INTEL_TDLEN), 64 * 16);
	assert_int_equal(txreg(INTEL_TDH), 0);
	assert_int_equal(txreg(INTEL_TDT), 0);
	assert_true(txreg(INTEL_TXDCTL) & INTEL_QUEUE_ENABLE);
	assert_int_equal(q->nb_free, 63);

	for (i = 0; i < 20; i++)
		m[i] = pkt(i, 60 + i * 50, 1);
	assert_int_equal(intel_tx_burst(q, m, 20), 20);
	/* One tail write for the burst, after the 20 descriptors. */
	assert_int_equal(txreg(INTEL_TDT), 20);
	assert_int_equal(swnic_tx(&nic, 0, 1000), 20);
	assert_int_equal(nic.nb_tx, 20);
	for (i = 0; i < 20; i++) {
		uint32_t len = 60 + i * 50;
		const struct swnic_tx_frame *f = &nic.tx[i];

		assert_int_equal(f->len, len);
		assert_memory_equal(f->data, frame(i, len), len);
		assert_int_equal(f->nb_desc, 1);
		assert_int_equal(f->cmd & ~INTEL_TXD_LEN_MASK & ~INTEL_TXD_CMD_RS,
			INTEL_TXD_DTYP_DATA | INTEL_TXD_CMD_DEXT |
			INTEL_TXD_CMD_IFCS | INTEL_TXD_CMD_EOP);
		assert_int_equal(f->olinfo, len << INTEL_TXD_PAYLEN_SHIFT);
		/* RS on descriptors 7 and 15 only. */
		assert_int_equal(!!(f->cmd & INTEL_TXD_CMD_RS), i == 7 || i == 15);
	}
	assert_int_equal(nic.tx_rs_desc, 2);
	/* Sent, not yet reclaimed. */
	assert_int_equal(used(), 20);
	assert_int_equal(intel_tx_reclaim(q), 8);
	assert_int_equal(used(), 12);
	assert_int_equal(intel_tx_reclaim(q), 8);
	assert_int_equal(used(), 4);
	/* Four in flight, no RS among them: nothing to look at. */
	assert_int_equal(intel_tx_reclaim(q), 0);
	assert_int_equal(q->nb_free, 63 - 4);
	assert_int_equal(q->stats.packets, 20);
	txq_free(q);
}

/* A full ring: 63 descriptors of 64 at most, TDT never back on TDH. */
static void
test_tx_full_ring(void **state)
{
	struct intel_tx_queue *q = txq_make(64, 16, 16);
	struct dp_mbuf *m[32];
	unsigned int sent = 0, i;
	uint16_t n;

	(void)state;
	do {
		for (i = 0; i < 32; i++)
			m[i] = pkt(sent + i, 64, 1);
		n = intel_tx_burst(q, m, 32);
		dp_pktmbuf_free_bulk(m + n, 32 - n);
		sent += n;
	} while (n == 32);
	assert_int_equal(sent, 63);
	assert_int_equal(txreg(INTEL_TDT), 63);
	assert_int_equal(txreg(INTEL_TDH), 0);
	/* The NIC sends some: reclaim makes room, in whole batches. */
	assert_int_equal(swnic_tx(&nic, 0, 20), 20);
	m[0] = pkt(100, 64, 1);
	assert_int_equal(intel_tx_burst(q, m, 1), 1);
	assert_int_equal(used(), 64 - 16);
	assert_int_equal(swnic_tx(&nic, 0, 1000), 44);
	assert_int_equal(nic.nb_tx, 64);
	txq_free(q);
}

/* Ten rings' worth through a NIC of random speed: every mbuf accounted. */
static void
test_tx_reclaim_accounting(void **state)
{
	struct intel_tx_queue *q = txq_make(64, 16, 16);
	unsigned int sent = 0, i, in_flight;
	struct dp_mbuf *m[32];
	uint16_t n, want;

	(void)state;
	while (sent < 10 * 64) {
		want = (uint16_t)(1 + rnd(32));
		for (i = 0; i < want; i++)
			m[i] = pkt(sent + i, 60 + rnd(1400), 1);
		n = intel_tx_burst(q, m, want);
		dp_pktmbuf_free_bulk(m + n, want - n);
		sent += n;
		/* Descriptors written and not reclaimed + free = ring - 1. */
		in_flight = (q->next + 64u - q->last_cleaned - 1) % 64;
		assert_int_equal(in_flight + q->nb_free, 63);
		/* What is not free holds exactly one mbuf per descriptor. */
		assert_int_equal(used(), in_flight);
		assert_int_equal(txreg(INTEL_TDT), q->next);
		swnic_tx(&nic, 0, rnd(48));
	}
	swnic_tx(&nic, 0, 1000);
	assert_int_equal(nic.nb_tx, sent);
	for (i = 0; i < sent; i++) {
		uint32_t seq;

		memcpy(&seq, nic.tx[i % SWNIC_MAX_TX].data, 4);
		assert_int_equal(seq, i);
	}
	while (intel_tx_reclaim(q) != 0)
		;
	/* Fewer than a batch left, waiting for the next RS. */
	assert_true(used() < 16);
	intel_tx_queue_stop(q);
	assert_int_equal(used(), 0);
	txq_free(q);
}

/* Chained packets: one data descriptor per segment, EOP on the last. */
static void
test_tx_chain(void **state)
{
	struct intel_tx_queue *q = txq_make(64, 8, 8);
	struct dp_mbuf *m[10];
	unsigned int i;

	(void)state;
	for (i = 0; i < 10; i++)
		m[i] = pkt(i, 600 + i, 3);
	assert_int_equal(m[0]->nb_segs, 3);
	assert_int_equal(intel_tx_burst(q, m, 10), 10);
	assert_int_equal(txreg(INTEL_TDT), 30);
	assert_int_equal(swnic_tx(&nic, 0, 1000), 30);
	assert_int_equal(nic.nb_tx, 10);
	for (i = 0; i < 10; i++) {
		assert_int_equal(nic.tx[i].nb_desc, 3);
		assert_int_equal(nic.tx[i].len, 600 + i);
		assert_memory_equal(nic.tx[i].data, frame(i, 600 + i), 600 + i);
		assert_int_equal(nic.tx[i].olinfo >> INTEL_TXD_PAYLEN_SHIFT,
			600 + i);
	}
	/* RS on the EOP of the packets that end a batch of 8 descriptors. */
	assert_int_equal(nic.tx_rs_desc, 3);
	assert_int_equal(used(), 30);
	assert_int_equal(intel_tx_reclaim(q), 9);
	assert_int_equal(used(), 21);

	/* More segments than a packet may have: refused for good, freed. */
	m[0] = pkt(99, 41 * 10, 41);
	assert_int_equal(intel_tx_burst(q, m, 1), 1);
	assert_int_equal(q->stats.errors, 1);
	assert_int_equal(txreg(INTEL_TDT), 30);
	assert_int_equal(used(), 21);
	txq_free(q);
}

/* Checksum and VLAN requests: a context descriptor when they change. */
static void
test_tx_offload_ctx(void **state)
{
	struct intel_tx_queue *q = txq_make(64, 8, 8);
	struct dp_mbuf *m[5];
	const struct swnic_tx_frame *f;
	unsigned int i;

	(void)state;
	for (i = 0; i < 5; i++) {
		m[i] = pkt(i, 100, 1);
		m[i]->l2_len = 14;
		m[i]->l3_len = 20;
	}
	m[0]->ol_flags = DP_MBUF_F_TX_IPV4 | DP_MBUF_F_TX_IP_CKSUM |
		DP_MBUF_F_TX_UDP_CKSUM;
	m[1]->ol_flags = m[0]->ol_flags;
	m[2]->ol_flags = DP_MBUF_F_TX_IPV4 | DP_MBUF_F_TX_TCP_CKSUM;
	m[3]->ol_flags = DP_MBUF_F_TX_VLAN;
	m[3]->vlan_tci = 0x0abc;
	m[4]->ol_flags = 0;
	assert_int_equal(intel_tx_burst(q, m, 5), 5);
	/* 5 data + 3 context descriptors. */
	assert_int_equal(txreg(INTEL_TDT), 8);
	assert_int_equal(swnic_tx(&nic, 0, 1000), 8);
	assert_int_equal(nic.tx_ctx_desc, 3);
	assert_int_equal(nic.nb_tx, 5);

	f = &nic.tx[0];
	assert_int_equal(f->ctx.vlan_macip_lens, 20 | 14 << 9);
	assert_int_equal(f->ctx.type_tucmd_mlhl, INTEL_TXD_DTYP_CTXT |
		INTEL_TXD_CMD_DEXT | INTEL_TXCTX_TUCMD_IPV4 |
		INTEL_TXCTX_TUCMD_L4_UDP);
	assert_int_equal(f->olinfo & (INTEL_TXD_POPTS_IXSM | INTEL_TXD_POPTS_TXSM),
		INTEL_TXD_POPTS_IXSM | INTEL_TXD_POPTS_TXSM);
	/* The same request again: the context in the NIC is reused. */
	assert_int_equal(nic.tx[1].olinfo & (INTEL_TXD_POPTS_IXSM | INTEL_TXD_POPTS_TXSM),
		INTEL_TXD_POPTS_IXSM | INTEL_TXD_POPTS_TXSM);
	f = &nic.tx[2];
	assert_int_equal(f->ctx.type_tucmd_mlhl, INTEL_TXD_DTYP_CTXT |
		INTEL_TXD_CMD_DEXT | INTEL_TXCTX_TUCMD_IPV4 |
		INTEL_TXCTX_TUCMD_L4_TCP);
	assert_int_equal(f->olinfo & (INTEL_TXD_POPTS_IXSM | INTEL_TXD_POPTS_TXSM),
		INTEL_TXD_POPTS_TXSM);
	f = &nic.tx[3];
	assert_int_equal(f->ctx.vlan_macip_lens >> 16, 0x0abc);
	assert_true(f->cmd & INTEL_TXD_CMD_VLE);
	f = &nic.tx[4];
	assert_false(f->cmd & INTEL_TXD_CMD_VLE);
	assert_int_equal(f->olinfo, 100u << INTEL_TXD_PAYLEN_SHIFT);
	for (i = 0; i < 5; i++)
		assert_memory_equal(nic.tx[i].data, frame(i, 100), 100);
	/* Context descriptors hold no mbuf: the batch frees exactly 5. */
	assert_int_equal(intel_tx_reclaim(q), 8);
	assert_int_equal(used(), 0);
	txq_free(q);
}

/* Stopped queues hold no mbuf, burst nothing, and start again. */
static void
test_queue_stop_start(void **state)
{
	struct intel_rx_queue *rq = rxq_make(64, pool, 8, 0);
	struct intel_tx_queue *tq = txq_make(64, 8, 8);
	struct dp_mbuf *m[8];
	unsigned int i;

	(void)state;
	for (i = 0; i < 5; i++)
		assert_int_equal(swnic_rx(&nic, 0, frame(i, 80), 80, NULL), 1);
	for (i = 0; i < 4; i++)
		m[i] = pkt(i, 80, 1);
	assert_int_equal(intel_tx_burst(tq, m, 4), 4);
	assert_int_equal(used(), 64 + 4);
	assert_int_equal(intel_rx_queue_stop(rq), 0);
	/* The NIC has not fetched the 4 frames (TDH never moved): stop waits
	 * for it, then says what it drops. */
	test_log_capture();
	assert_int_equal(intel_tx_queue_stop(tq), 0);
	test_log_release();
	assert_logged("TX queue 0: 4 descriptors still unsent");
	assert_int_equal(used(), 0);
	assert_false(rxreg(INTEL_RXDCTL) & INTEL_QUEUE_ENABLE);
	assert_false(txreg(INTEL_TXDCTL) & INTEL_QUEUE_ENABLE);
	assert_int_equal(swnic_rx(&nic, 0, frame(9, 80), 80, NULL), -1);
	assert_int_equal(intel_rx_burst(rq, m, 8), 0);
	m[0] = pkt(0, 80, 1);
	assert_int_equal(intel_tx_burst(tq, m, 1), 0);
	dp_pktmbuf_free(m[0]);

	assert_int_equal(intel_rx_queue_start(rq), 0);
	assert_int_equal(intel_tx_queue_start(tq), 0);
	assert_int_equal(swnic_rx(&nic, 0, frame(10, 90), 90, NULL), 1);
	assert_int_equal(intel_rx_burst(rq, m, 8), 1);
	assert_frame(m[0], 10, 90);
	assert_int_equal(intel_tx_burst(tq, m, 1), 1);
	swnic_reset_tx(&nic);
	assert_int_equal(swnic_tx(&nic, 0, 1000), 1);
	assert_memory_equal(nic.tx[0].data, frame(10, 90), 90);
	/* Everything sent (TDH == TDT): stop has nothing to wait for. */
	test_log_capture();
	assert_int_equal(intel_tx_queue_stop(tq), 0);
	test_log_release();
	assert_int_equal(test_log_buf.lines, 0);
	rxq_free(rq);
	txq_free(tq);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_rx_setup_registers, nic_up, nic_down),
		cmocka_unit_test_setup_teardown(test_setup_refusals, nic_up, nic_down),
		cmocka_unit_test_setup_teardown(test_rx_dd, nic_up, nic_down),
		cmocka_unit_test_setup_teardown(test_rx_chain, nic_up, nic_down),
		cmocka_unit_test_setup_teardown(test_rx_errors_flags, nic_up, nic_down),
		cmocka_unit_test_setup_teardown(test_rx_tail_never_head, nic_up, nic_down),
		cmocka_unit_test_setup_teardown(test_rx_nombuf, nic_up, nic_down),
		cmocka_unit_test_setup_teardown(test_tx_basic_rs, nic_up, nic_down),
		cmocka_unit_test_setup_teardown(test_tx_full_ring, nic_up, nic_down),
		cmocka_unit_test_setup_teardown(test_tx_reclaim_accounting, nic_up, nic_down),
		cmocka_unit_test_setup_teardown(test_tx_chain, nic_up, nic_down),
		cmocka_unit_test_setup_teardown(test_tx_offload_ctx, nic_up, nic_down),
		cmocka_unit_test_setup_teardown(test_queue_stop_start, nic_up, nic_down),
	};

	return cmocka_run_group_tests_name("intel_rxtx", tests, setup_eal,
		teardown_eal);
}
