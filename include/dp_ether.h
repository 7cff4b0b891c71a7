/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DP_ETHER_H
#define DP_ETHER_H

/**
 * @file
 * Ethernet: addresses, the Ethernet and VLAN headers, frame size constants.
 */

#include <string.h>

#include <dp_common.h>
#include <dp_byteorder.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DP_ETHER_ADDR_LEN 6	/**< bytes in a MAC address */
#define DP_ETHER_HDR_LEN 14	/**< destination, source, type */
#define DP_ETHER_CRC_LEN 4	/**< frame check sequence */
#define DP_ETHER_MIN_LEN 64	/**< smallest frame, CRC included */
#define DP_ETHER_MAX_LEN 1518	/**< largest untagged frame, CRC included */
#define DP_ETHER_MTU 1500	/**< default MTU (payload of a frame) */
#define DP_ETHER_MAX_JUMBO_FRAME_LEN 9728	/**< largest jumbo frame handled */
#define DP_VLAN_HLEN 4		/**< bytes of one 802.1Q tag */

#define DP_ETHER_TYPE_IPV4 0x0800	/**< IPv4 */
#define DP_ETHER_TYPE_ARP 0x0806	/**< ARP */
#define DP_ETHER_TYPE_VLAN 0x8100	/**< 802.1Q tag */
#define DP_ETHER_TYPE_IPV6 0x86DD	/**< IPv6 */
#define DP_ETHER_TYPE_QINQ 0x88A8	/**< 802.1ad outer tag */

/** Format of a MAC address as text: "xx:xx:xx:xx:xx:xx". */
#define DP_ETHER_ADDR_FMT_SIZE 18

/** A MAC address. */
struct dp_ether_addr {
	uint8_t addr_bytes[DP_ETHER_ADDR_LEN];	/**< in transmission order */
} __dp_aligned(2);

/** Ethernet header. */
struct dp_ether_hdr {
	struct dp_ether_addr dst_addr;	/**< destination */
	struct dp_ether_addr src_addr;	/**< source */
	dp_be16_t ether_type;		/**< type of the payload */
} __dp_aligned(2);

/** 802.1Q VLAN tag (follows the source address). */
struct dp_vlan_hdr {
	dp_be16_t vlan_tci;	/**< priority (3), DEI (1), VLAN id (12) */
	dp_be16_t eth_proto;	/**< type of the payload */
} __dp_packed;

DP_BUILD_BUG_ON(sizeof(struct dp_ether_hdr) != DP_ETHER_HDR_LEN);

/* 16-bit view of an address that is allowed to alias it. */
typedef uint16_t __attribute__((may_alias)) dp_ether_word_t;

/** All-zero address? */
static inline bool
dp_is_zero_ether_addr(const struct dp_ether_addr *ea)
{
	const dp_ether_word_t *w = (const dp_ether_word_t *)ea;

	return (w[0] | w[1] | w[2]) == 0;
}

/** Group (multicast or broadcast) address? */
static inline bool
dp_is_multicast_ether_addr(const struct dp_ether_addr *ea)
{
	return ea->addr_bytes[0] & 0x01;
}

/** Broadcast (ff:ff:ff:ff:ff:ff)? */
static inline bool
dp_is_broadcast_ether_addr(const struct dp_ether_addr *ea)
{
	const dp_ether_word_t *w = (const dp_ether_word_t *)ea;

	return (w[0] & w[1] & w[2]) == 0xffff;
}

/** Individual (unicast) address? */
static inline bool
dp_is_unicast_ether_addr(const struct dp_ether_addr *ea)
{
	return !dp_is_multicast_ether_addr(ea);
}

/** Locally administered address? */
static inline bool
dp_is_local_admin_ether_addr(const struct dp_ether_addr *ea)
{
	return ea->addr_bytes[0] & 0x02;
}

/** Unicast and not all zeros: usable as a port's address. */
static inline bool
dp_is_valid_assigned_ether_addr(const struct dp_ether_addr *ea)
{
	return dp_is_unicast_ether_addr(ea) && !dp_is_zero_ether_addr(ea);
}

/** Same address? */
static inline bool
dp_is_same_ether_addr(const struct dp_ether_addr *a,
	const struct dp_ether_addr *b)
{
	const dp_ether_word_t *x = (const dp_ether_word_t *)a;
	const dp_ether_word_t *y = (const dp_ether_word_t *)b;

	return ((x[0] ^ y[0]) | (x[1] ^ y[1]) | (x[2] ^ y[2])) == 0;
}

/** Copy an address. */
static inline void
dp_ether_addr_copy(const struct dp_ether_addr *from, struct dp_ether_addr *to)
{
	*to = *from;
}

/**
 * Format @p ea as "xx:xx:xx:xx:xx:xx".
 *
 * @param size
 *   Size of @p buf (DP_ETHER_ADDR_FMT_SIZE is enough).
 */
void dp_ether_format_addr(char *buf, size_t size, const struct dp_ether_addr *ea);

/**
 * Parse "xx:xx:xx:xx:xx:xx" (or '-' separators, or "xxxx.xxxx.xxxx").
 *
 * @return
 *   0, or -EINVAL.
 */
int dp_ether_unformat_addr(const char *str, struct dp_ether_addr *ea);

/** A random locally administered unicast address. */
void dp_eth_random_addr(struct dp_ether_addr *ea);

#ifdef __cplusplus
}
#endif

#endif /* DP_ETHER_H */
