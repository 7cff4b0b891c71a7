/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * l2fwd's MAC rewrite (examples/l2fwd/l2fwd_fwd.h) on real mbufs: the
 * destination becomes 02:00:00:00:00:<out port>, the source the out port's
 * address, and no other byte changes.
 */

#include "test_helpers.h"

#include <dp_mbuf.h>

#include "../../examples/l2fwd/l2fwd_fwd.h"

static struct dp_mempool *pool;

static int
setup(void **state)
{
	const char *args[] = { "--no-huge", "-m", "64", "--no-pci",
		"--log-level=eal:warning", "-l", "0", NULL };

	(void)state;
	if (test_eal_init_args(args, NULL) < 0)
		return -1;
	pool = dp_pktmbuf_pool_create("l2fwd_test", 64, 0, 0,
		DP_MBUF_DEFAULT_BUF_SIZE, DP_SOCKET_ID_ANY);
	return pool == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	dp_mempool_free(pool);
	return dp_eal_cleanup();
}

static void
test_mac_update(void **state)
{
	const struct dp_ether_addr out_mac = {
		{ 0x02, 0x00, 0x00, 0x00, 0x01, 0x07 } };
	const uint8_t want_dst[6] = { 0x02, 0, 0, 0, 0, 0x07 };
	uint8_t before[128];
	struct dp_mbuf *m;
	uint8_t *d;
	unsigned int i;

	(void)state;
	m = dp_pktmbuf_alloc(pool);
	assert_non_null(m);
	d = (uint8_t *)dp_pktmbuf_append(m, sizeof(before));
	assert_non_null(d);
	for (i = 0; i < sizeof(before); i++)
		before[i] = d[i] = (uint8_t)(0xa0 + i);

	l2fwd_mac_update(m, 7, &out_mac);
	assert_memory_equal(d, want_dst, 6);
	assert_memory_equal(d + 6, out_mac.addr_bytes, 6);
	assert_memory_equal(d + 12, before + 12, sizeof(before) - 12);
	assert_int_equal(m->pkt_len, sizeof(before));

	/* The out port number is the last byte, whatever was there. */
	l2fwd_mac_update(m, 0, &out_mac);
	assert_int_equal(d[5], 0);
	dp_pktmbuf_free(m);
	assert_int_equal(dp_mempool_in_use_count(pool), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mac_update),
	};

	return cmocka_run_group_tests_name("l2fwd_fwd", tests, setup, teardown);
}
