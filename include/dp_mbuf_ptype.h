/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DP_MBUF_PTYPE_H
#define DP_MBUF_PTYPE_H

/**
 * @file
 * Packet types: what a PMD (or software parser) found in a packet, one
 * 4-bit field per layer in dp_mbuf.packet_type. 0 in a field means
 * "not known", never "absent".
 */

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Nothing is known about the packet. */
#define DP_PTYPE_UNKNOWN 0x00000000u

/** Ethernet II or 802.3 frame. */
#define DP_PTYPE_L2_ETHER 0x00000001u
/** Ethernet frame with one 802.1Q tag (left in the data). */
#define DP_PTYPE_L2_ETHER_VLAN 0x00000002u
/** Ethernet frame with two tags (QinQ, left in the data). */
#define DP_PTYPE_L2_ETHER_QINQ 0x00000003u
/** Layer 2 field. */
#define DP_PTYPE_L2_MASK 0x0000000fu

/** IPv4 (any header length). */
#define DP_PTYPE_L3_IPV4 0x00000010u
/** IPv6 (extension headers possible). */
#define DP_PTYPE_L3_IPV6 0x00000020u
/** Layer 3 field. */
#define DP_PTYPE_L3_MASK 0x000000f0u

/** TCP. */
#define DP_PTYPE_L4_TCP 0x00000100u
/** UDP. */
#define DP_PTYPE_L4_UDP 0x00000200u
/** ICMP or ICMPv6. */
#define DP_PTYPE_L4_ICMP 0x00000300u
/** A fragment of an IP packet (layer 4 not parsed). */
#define DP_PTYPE_L4_FRAG 0x00000400u
/** SCTP. */
#define DP_PTYPE_L4_SCTP 0x00000500u
/** Layer 4 field. */
#define DP_PTYPE_L4_MASK 0x00000f00u

/** Every field defined above. */
#define DP_PTYPE_ALL_MASK (DP_PTYPE_L2_MASK | DP_PTYPE_L3_MASK | \
	DP_PTYPE_L4_MASK)

/**
 * Write the names of a packet type's layers, e.g.
 * "L2_ETHER L3_IPV4 L4_UDP" ("UNKNOWN" for 0; an undefined field value
 * shows as "L3_0x70").
 *
 * @param ptype
 *   Value of dp_mbuf.packet_type.
 * @param buf
 *   Destination.
 * @param size
 *   Bytes of @p buf.
 * @return
 *   Length of the string, or -ENOSPC if @p buf was too small (it holds a
 *   truncated string then), -EINVAL for a NULL @p buf.
 */
int dp_get_ptype_name(uint32_t ptype, char *buf, size_t size);

#ifdef __cplusplus
}
#endif

#endif /* DP_MBUF_PTYPE_H */
