/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TEST_PMD_HELPERS_H
#define TEST_PMD_HELPERS_H

/*
 * Helpers shared by the PMD runners (test_pcap.c, test_af_packet.c,
 * test_intel_rxtx.c):
 * virtual ports made at run time, packets built from bytes (as chains if
 * asked), byte-exact comparison of a received packet, bounded polling, and
 * table-driven checks of refused device arguments. Include after
 * test_helpers.h.
 */

#include <unistd.h>

#include <dp_bus_vdev.h>
#include <dp_ethdev.h>
#include <dp_mbuf.h>

/* The runner's mbuf pool. */
static struct dp_mempool *pmd_test_pool;

/* cmocka teardown: every mbuf is back in the pool. */
static int __attribute__((unused))
pmd_test_pool_full(void **state)
{
	(void)state;
	if (dp_mempool_in_use_count(pmd_test_pool) != 0) {
		fprintf(stderr, "%u mbufs still in use\n",
			dp_mempool_in_use_count(pmd_test_pool));
		return -1;
	}
	return 0;
}

/* Create virtual device @p name with @p args; its port id. */
static uint16_t __attribute__((unused))
pmd_test_create_port(const char *name, const char *args)
{
	uint16_t port;

	assert_int_equal(dp_vdev_init(name, args), 0);
	assert_int_equal(dp_eth_dev_get_port_by_name(name, &port), 0);
	return port;
}

/* Configure @p nq RX and TX queues on @p mp with these offloads, start. */
static void __attribute__((unused))
pmd_test_bring_up(uint16_t port, uint16_t nq, struct dp_mempool *mp,
	uint64_t rx_off, uint64_t tx_off)
{
	struct dp_eth_conf conf = { 0 };
	uint16_t q;

	conf.rxmode.offloads = rx_off;
	conf.txmode.offloads = tx_off;
	assert_int_equal(dp_eth_dev_configure(port, nq, nq, &conf), 0);
	for (q = 0; q < nq; q++) {
		assert_int_equal(dp_eth_rx_queue_setup(port, q, 0,
			DP_SOCKET_ID_ANY, NULL, mp), 0);
		assert_int_equal(dp_eth_tx_queue_setup(port, q, 0,
			DP_SOCKET_ID_ANY, NULL), 0);
	}
	assert_int_equal(dp_eth_dev_start(port), 0);
}

/* Poll queue @p q until @p want packets came or about @p ms passed
 * without one (a bound, not a timing assertion). */
static unsigned int __attribute__((unused))
pmd_test_rx_wait(uint16_t port, uint16_t q, struct dp_mbuf **pkts,
	unsigned int want, int ms)
{
	unsigned int got = 0;
	int idle = 0;

	while (got < want && idle < ms * 10) {
		uint16_t n = dp_eth_rx_burst(port, q, pkts + got,
			(uint16_t)DP_MIN(want - got, 32u));

		got += n;
		if (n == 0) {
			usleep(100);
			idle++;
		}
	}
	return got;
}

/* The packet's bytes, every segment, equal @p data; nb_segs matches. */
static void __attribute__((unused))
pmd_test_assert_bytes(const struct dp_mbuf *m, const uint8_t *data,
	uint32_t len)
{
	const struct dp_mbuf *s;
	uint32_t off = 0;
	uint16_t segs = 0;

	assert_int_equal(m->pkt_len, len);
	for (s = m; s != NULL; s = s->next, segs++) {
		assert_true(off + s->data_len <= len);
		assert_memory_equal(dp_pktmbuf_mtod(s, const uint8_t *),
			data + off, s->data_len);
		off += s->data_len;
	}
	assert_int_equal(off, len);
	assert_int_equal(segs, m->nb_segs);
}

/* A packet from @p mp holding @p data, as a chain of @p segs segments. */
static struct dp_mbuf * __attribute__((unused))
pmd_test_make_pkt(struct dp_mempool *mp, const uint8_t *data, uint32_t len,
	unsigned int segs)
{
	struct dp_mbuf *head = NULL, *m;
	uint32_t off = 0, part;
	unsigned int s;

	for (s = 0; s < segs; s++) {
		part = s + 1 == segs ? len - off : len / segs;
		m = dp_pktmbuf_alloc(mp);
		assert_non_null(m);
		memcpy(dp_pktmbuf_append(m, (uint16_t)part), data + off, part);
		off += part;
		if (head == NULL)
			head = m;
		else
			assert_int_equal(dp_pktmbuf_chain(head, m), 0);
	}
	return head;
}

/* One refused device: its arguments, the error and the log line. */
struct pmd_test_bad_args {
	const char *name;
	const char *args;
	int rc;
	const char *msg;
};

/* Each entry is refused with its error code and its message. */
static void __attribute__((unused))
pmd_test_refused(const struct pmd_test_bad_args *t, unsigned int n)
{
	unsigned int i;

	test_log_capture();
	for (i = 0; i < n; i++) {
		if (dp_vdev_init(t[i].name, t[i].args) != t[i].rc)
			fail_msg("%s,%s: expected %d", t[i].name, t[i].args,
				t[i].rc);
		assert_logged(t[i].msg);
	}
	test_log_release();
}

#endif /* TEST_PMD_HELPERS_H */
