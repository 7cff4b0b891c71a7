/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/net tests against known answers: the IPv4 header checksum of a
 * textbook header, UDP checksums checked against a bit-by-bit reference
 * sum, the Toeplitz hash vectors of the RSS verification suite, MAC
 * address text conversion.
 */

#include "test_helpers.h"

#include <dp_ether.h>
#include <dp_ip.h>
#include <dp_thash.h>
#include <dp_udp.h>

/* Reference one's-complement sum, 16 bits at a time, big-endian words. */
static uint16_t
ref_sum(const uint8_t *p, size_t len, uint32_t sum)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

static void
test_ipv4_cksum(void **state)
{
	/* 192.168.0.1 -> 192.168.0.199, UDP, total length 0x73: the classic
	 * example header whose checksum is 0xb861. */
	const uint8_t hdr[20] = {
		0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
		0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7,
	};
	struct dp_ipv4_hdr ip;

	(void)state;
	memcpy(&ip, hdr, sizeof(ip));
	assert_int_equal(dp_be_to_cpu_16(dp_ipv4_cksum(&ip)), 0xb861);
	/* The stored value is ignored. */
	ip.hdr_checksum = 0x1234;
	assert_int_equal(dp_be_to_cpu_16(dp_ipv4_cksum(&ip)), 0xb861);
	/* With the checksum in place the header sums to 0xffff. */
	ip.hdr_checksum = dp_ipv4_cksum(&ip);
	assert_int_equal(dp_raw_cksum(&ip, sizeof(ip)), 0xffff);
}

static void
test_raw_cksum_lengths(void **state)
{
	uint8_t buf[257];
	size_t len;

	(void)state;
	for (len = 0; len < sizeof(buf); len++)
		buf[len] = (uint8_t)(len * 37 + 11);
	/* Every length, odd ones included, matches the reference. */
	for (len = 0; len <= sizeof(buf); len++)
		assert_int_equal(dp_raw_cksum(buf, len), ref_sum(buf, len, 0));
	/* Sums can be chained over even-length pieces. */
	assert_int_equal(dp_cksum_fold(dp_raw_cksum_add(dp_raw_cksum_add(0,
		buf, 100), buf + 100, 57)), ref_sum(buf, 157, 0));
}

static void
test_udp_cksum(void **state)
{
	uint8_t frame[20 + 8 + 5];
	struct dp_ipv4_hdr *ip = (struct dp_ipv4_hdr *)frame;
	struct dp_udp_hdr *udp = (struct dp_udp_hdr *)(frame + 20);
	uint8_t pseudo[12];
	uint16_t expect;

	(void)state;
	memset(frame, 0, sizeof(frame));
	ip->version_ihl = DP_IPV4_VHL_DEF;
	ip->total_length = dp_cpu_to_be_16(sizeof(frame));
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_UDP;
	ip->src_addr = dp_cpu_to_be_32(DP_IPV4(10, 0, 0, 1));
	ip->dst_addr = dp_cpu_to_be_32(DP_IPV4(10, 0, 0, 2));
	udp->src_port = dp_cpu_to_be_16(1234);
	udp->dst_port = dp_cpu_to_be_16(5678);
	udp->dgram_len = dp_cpu_to_be_16(8 + 5);
	memcpy(frame + 28, "hello", 5);

	/* Reference: pseudo-header (src, dst, 0, proto, length) + UDP. */
	memcpy(pseudo, &ip->src_addr, 8);
	pseudo[8] = 0;
	pseudo[9] = IPPROTO_UDP;
	pseudo[10] = 0;
	pseudo[11] = 13;
	expect = (uint16_t)~ref_sum(frame + 20, 13, ref_sum(pseudo, 12, 0));
	udp->dgram_cksum = dp_ipv4_udptcp_cksum(ip, udp);
	assert_int_equal(dp_be_to_cpu_16(udp->dgram_cksum), expect);
	assert_true(dp_ipv4_udptcp_cksum_verify(ip, udp));
	frame[30] ^= 0x01;	/* corrupt one payload byte */
	assert_false(dp_ipv4_udptcp_cksum_verify(ip, udp));
	udp->dgram_cksum = 0;	/* "no checksum" is accepted over IPv4 */
	assert_true(dp_ipv4_udptcp_cksum_verify(ip, udp));
}

static void
test_thash(void **state)
{
	/* Vectors of the RSS verification suite (default key):
	 * destination 161.142.100.80:1766, source 66.9.149.187:2794. */
	uint32_t src = DP_IPV4(66, 9, 149, 187), dst = DP_IPV4(161, 142, 100, 80);

	(void)state;
	assert_int_equal(dp_thash_ipv4(src, dst, 2794, 1766, false,
		dp_thash_default_key), 0x323e8fc2);
	assert_int_equal(dp_thash_ipv4(src, dst, 2794, 1766, true,
		dp_thash_default_key), 0x51ccc178);
	/* destination 65.69.140.83:4739, source 199.92.111.2:14230 */
	src = DP_IPV4(199, 92, 111, 2);
	dst = DP_IPV4(65, 69, 140, 83);
	assert_int_equal(dp_thash_ipv4(src, dst, 14230, 4739, false,
		dp_thash_default_key), 0xd718262a);
	assert_int_equal(dp_thash_ipv4(src, dst, 14230, 4739, true,
		dp_thash_default_key), 0xc626b0ea);
}

static void
test_ether_addr(void **state)
{
	struct dp_ether_addr a, b;
	char buf[DP_ETHER_ADDR_FMT_SIZE];

	(void)state;
	assert_int_equal(dp_ether_unformat_addr("02:1A:2b:3c:4d:5e", &a), 0);
	dp_ether_format_addr(buf, sizeof(buf), &a);
	assert_string_equal(buf, "02:1a:2b:3c:4d:5e");
	assert_int_equal(dp_ether_unformat_addr("02-1a-2b-3c-4d-5e", &b), 0);
	assert_true(dp_is_same_ether_addr(&a, &b));
	assert_int_equal(dp_ether_unformat_addr("021a.2b3c.4d5e", &b), 0);
	assert_true(dp_is_same_ether_addr(&a, &b));
	assert_int_equal(dp_ether_unformat_addr("02:1a:2b:3c:4d", &b), -EINVAL);
	assert_int_equal(dp_ether_unformat_addr("02:1a-2b:3c:4d:5e", &b), -EINVAL);
	assert_int_equal(dp_ether_unformat_addr("02:1a:2b:3c:4d:5g", &b), -EINVAL);
	/* Short and long strings on the heap, exactly sized: the ASan run
	 * catches any read past their end. None changes b. */
	{
		static const char *const bad[] = { "", "a", "ab", "02:1a",
			"021a.2b3c.4d5", "021a.2b3c.4d5e5", "021a:2b3c:4d5e",
			"02:1a:2b:3c:4d:5e:", "02:1a:2b:3c:4d:5", };
		struct dp_ether_addr before = b;

		for (size_t i = 0; i < DP_DIM(bad); i++) {
			char *copy = strdup(bad[i]);

			assert_int_equal(dp_ether_unformat_addr(copy, &b), -EINVAL);
			free(copy);
		}
		assert_memory_equal(&b, &before, sizeof(b));
	}
	assert_true(dp_is_unicast_ether_addr(&a));
	assert_true(dp_is_local_admin_ether_addr(&a));
	assert_true(dp_is_valid_assigned_ether_addr(&a));
	memset(&b, 0xff, sizeof(b));
	assert_true(dp_is_broadcast_ether_addr(&b));
	assert_true(dp_is_multicast_ether_addr(&b));
	memset(&b, 0, sizeof(b));
	assert_true(dp_is_zero_ether_addr(&b));
	assert_false(dp_is_valid_assigned_ether_addr(&b));
	dp_eth_random_addr(&b);
	assert_true(dp_is_valid_assigned_ether_addr(&b));
	assert_true(dp_is_local_admin_ether_addr(&b));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipv4_cksum),
		cmocka_unit_test(test_raw_cksum_lengths),
		cmocka_unit_test(test_udp_cksum),
		cmocka_unit_test(test_thash),
		cmocka_unit_test(test_ether_addr),
	};

	return cmocka_run_group_tests_name("net", tests, NULL, NULL);
}
