/* SPDX-License-Identifier: BSD-3-Clause */
/* The Internet checksum (RFC 1071) and the UDP/TCP pseudo-header sums. */

#include <string.h>

#include <dp_ip.h>
#include <dp_udp.h>

uint32_t
dp_raw_cksum_add(uint32_t sum, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint64_t acc = 0;
	uint32_t w;

	/*
	 * The one's-complement sum does not depend on byte order as long as
	 * the result is swapped at the end: add the buffer as 32-bit words in
	 * memory order, fold, and turn the 16-bit result into the value of a
	 * big-endian word. That value can be added to @p sum and to pseudo-
	 * header terms arithmetically; the final fold absorbs the carries.
	 */
	while (len >= 4) {
		memcpy(&w, p, 4);
		acc += w;
		p += 4;
		len -= 4;
	}
	if (len >= 2) {
		uint16_t h;

		memcpy(&h, p, 2);
		acc += h;
		p += 2;
		len -= 2;
	}
	if (len)	/* a last odd byte is the high byte of a zero-padded word */
		acc += dp_cpu_to_le_16(*p);
	acc = (acc & 0xffffffffu) + (acc >> 32);
	acc = (acc & 0xffffffffu) + (acc >> 32);
	w = (uint32_t)acc;
	w = (w & 0xffff) + (w >> 16);
	w = (w & 0xffff) + (w >> 16);
	return sum + dp_be_to_cpu_16((uint16_t)w);
}

dp_be16_t
dp_ipv4_cksum(const struct dp_ipv4_hdr *ip)
{
	struct dp_ipv4_hdr copy;
	unsigned int hlen = dp_ipv4_hdr_len(ip);
	uint32_t sum;

	memcpy(&copy, ip, sizeof(copy));
	copy.hdr_checksum = 0;
	sum = dp_raw_cksum_add(0, &copy, sizeof(copy));
	if (hlen > sizeof(copy))
		sum = dp_raw_cksum_add(sum, (const uint8_t *)ip + sizeof(copy),
			hlen - sizeof(copy));
	return dp_cpu_to_be_16((uint16_t)~dp_cksum_fold(sum));
}

static uint32_t
ipv4_phdr_sum(const struct dp_ipv4_hdr *ip, uint16_t l4_len)
{
	uint32_t sum;

	sum = dp_raw_cksum_add(0, &ip->src_addr, 8);	/* src + dst */
	sum += ip->next_proto_id;
	sum += l4_len;
	return sum;
}

static dp_be16_t
finish_l4(uint32_t sum)
{
	uint16_t c = (uint16_t)~dp_cksum_fold(sum);

	return dp_cpu_to_be_16(c == 0 ? 0xffff : c);
}

dp_be16_t
dp_ipv4_udptcp_cksum(const struct dp_ipv4_hdr *ip, const void *l4)
{
	uint16_t l4_len = (uint16_t)(dp_be_to_cpu_16(ip->total_length) -
		dp_ipv4_hdr_len(ip));

	return finish_l4(dp_raw_cksum_add(ipv4_phdr_sum(ip, l4_len), l4, l4_len));
}

bool
dp_ipv4_udptcp_cksum_verify(const struct dp_ipv4_hdr *ip, const void *l4)
{
	uint16_t l4_len = (uint16_t)(dp_be_to_cpu_16(ip->total_length) -
		dp_ipv4_hdr_len(ip));
	uint32_t sum;

	if (ip->next_proto_id == IPPROTO_UDP &&
	    ((const struct dp_udp_hdr *)l4)->dgram_cksum == 0)
		return true;
	sum = dp_raw_cksum_add(ipv4_phdr_sum(ip, l4_len), l4, l4_len);
	return dp_cksum_fold(sum) == 0xffff;
}

dp_be16_t
dp_ipv6_udptcp_cksum(const struct dp_ipv6_hdr *ip, const void *l4)
{
	uint16_t l4_len = dp_be_to_cpu_16(ip->payload_len);
	uint32_t sum;

	sum = dp_raw_cksum_add(0, ip->src_addr, 32);	/* src + dst */
	sum += ip->proto;
	sum += l4_len;
	return finish_l4(dp_raw_cksum_add(sum, l4, l4_len));
}
