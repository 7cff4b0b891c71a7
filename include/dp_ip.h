/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DP_IP_H
#define DP_IP_H

/**
 * @file
 * IPv4 and IPv6 headers and the Internet checksum (RFC 1071), including
 * the UDP/TCP checksum over the pseudo-header.
 */

#include <netinet/in.h>

#include <dp_common.h>
#include <dp_byteorder.h>

#ifdef __cplusplus
extern "C" {
#endif

/** IPv4 address from four decimal bytes, in CPU order: DP_IPV4(10,0,0,1). */
#define DP_IPV4(a, b, c, d) \
	((((uint32_t)(a) & 0xff) << 24) | (((uint32_t)(b) & 0xff) << 16) | \
	 (((uint32_t)(c) & 0xff) << 8) | ((uint32_t)(d) & 0xff))

/** IPv4 header (without options). */
struct dp_ipv4_hdr {
	uint8_t version_ihl;		/**< version (4 bits), header length in words */
	uint8_t type_of_service;	/**< DSCP and ECN */
	dp_be16_t total_length;		/**< header + payload bytes */
	dp_be16_t packet_id;		/**< identification */
	dp_be16_t fragment_offset;	/**< flags (3) and offset (13) */
	uint8_t time_to_live;		/**< TTL */
	uint8_t next_proto_id;		/**< IPPROTO_UDP, IPPROTO_TCP, ... */
	dp_be16_t hdr_checksum;		/**< header checksum */
	dp_be32_t src_addr;		/**< source address */
	dp_be32_t dst_addr;		/**< destination address */
} __dp_packed;

#define DP_IPV4_VHL_DEF 0x45		/**< version 4, 20-byte header */
#define DP_IPV4_HDR_DF_FLAG (1 << 14)	/**< don't fragment */
#define DP_IPV4_HDR_MF_FLAG (1 << 13)	/**< more fragments */
#define DP_IPV4_IHL_MULTIPLIER 4	/**< IHL unit in bytes */

/** IPv6 header. */
struct dp_ipv6_hdr {
	dp_be32_t vtc_flow;		/**< version (4), traffic class (8), flow label (20) */
	dp_be16_t payload_len;		/**< bytes after this header */
	uint8_t proto;			/**< next header */
	uint8_t hop_limits;		/**< hop limit */
	uint8_t src_addr[16];		/**< source address */
	uint8_t dst_addr[16];		/**< destination address */
} __dp_packed;

DP_BUILD_BUG_ON(sizeof(struct dp_ipv4_hdr) != 20);
DP_BUILD_BUG_ON(sizeof(struct dp_ipv6_hdr) != 40);

/** Length of an IPv4 header in bytes, options included. */
static inline unsigned int
dp_ipv4_hdr_len(const struct dp_ipv4_hdr *ip)
{
	return (ip->version_ihl & 0x0f) * DP_IPV4_IHL_MULTIPLIER;
}

/**
 * Add @p len bytes at @p buf to a running one's-complement sum of
 * big-endian 16-bit words (values in CPU order). Every buffer but the last
 * of a sum must have an even length.
 *
 * @return
 *   The new sum, not folded: fold it with dp_cksum_fold().
 */
uint32_t dp_raw_cksum_add(uint32_t sum, const void *buf, size_t len);

/** Fold a 32-bit sum into 16 bits (not inverted). */
static inline uint16_t
dp_cksum_fold(uint32_t sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/**
 * One's-complement sum of a buffer, folded (not inverted), in network
 * order as a CPU value: store it with dp_cpu_to_be_16(~sum).
 */
static inline uint16_t
dp_raw_cksum(const void *buf, size_t len)
{
	return dp_cksum_fold(dp_raw_cksum_add(0, buf, len));
}

/**
 * Checksum of an IPv4 header (options included) as it must be stored in
 * hdr_checksum (the field's current value is ignored).
 */
dp_be16_t dp_ipv4_cksum(const struct dp_ipv4_hdr *ip);

/**
 * UDP or TCP checksum over the IPv4 pseudo-header and the L4 header +
 * payload at @p l4 (whose checksum field must be 0), ready to store.
 * A computed 0 is returned as 0xffff (UDP's "no checksum" is 0).
 */
dp_be16_t dp_ipv4_udptcp_cksum(const struct dp_ipv4_hdr *ip, const void *l4);

/** Same as dp_ipv4_udptcp_cksum() over the IPv6 pseudo-header. */
dp_be16_t dp_ipv6_udptcp_cksum(const struct dp_ipv6_hdr *ip, const void *l4);

/**
 * Verify a received UDP/TCP checksum over IPv4 (field included in the sum).
 *
 * @return
 *   true when it is correct (or the UDP checksum is absent: 0).
 */
bool dp_ipv4_udptcp_cksum_verify(const struct dp_ipv4_hdr *ip, const void *l4);

#ifdef __cplusplus
}
#endif

#endif /* DP_IP_H */
