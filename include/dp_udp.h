/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DP_UDP_H
#define DP_UDP_H

/**
 * @file
 * UDP header.
 */

#include <dp_byteorder.h>

#ifdef __cplusplus
extern "C" {
#endif

/** UDP header. */
struct dp_udp_hdr {
	dp_be16_t src_port;	/**< source port */
	dp_be16_t dst_port;	/**< destination port */
	dp_be16_t dgram_len;	/**< header + payload bytes */
	dp_be16_t dgram_cksum;	/**< checksum (0 = none over IPv4) */
} __dp_packed;

DP_BUILD_BUG_ON(sizeof(struct dp_udp_hdr) != 8);

#ifdef __cplusplus
}
#endif

#endif /* DP_UDP_H */
