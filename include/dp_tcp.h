/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DP_TCP_H
#define DP_TCP_H

/**
 * @file
 * TCP header.
 */

#include <dp_byteorder.h>

#ifdef __cplusplus
extern "C" {
#endif

/** TCP header (without options). */
struct dp_tcp_hdr {
	dp_be16_t src_port;	/**< source port */
	dp_be16_t dst_port;	/**< destination port */
	dp_be32_t sent_seq;	/**< sequence number */
	dp_be32_t recv_ack;	/**< acknowledgement number */
	uint8_t data_off;	/**< header length in words (high 4 bits) */
	uint8_t tcp_flags;	/**< DP_TCP_*_FLAG */
	dp_be16_t rx_win;	/**< receive window */
	dp_be16_t cksum;	/**< checksum */
	dp_be16_t tcp_urp;	/**< urgent pointer */
} __dp_packed;

#define DP_TCP_FIN_FLAG 0x01	/**< FIN */
#define DP_TCP_SYN_FLAG 0x02	/**< SYN */
#define DP_TCP_RST_FLAG 0x04	/**< RST */
#define DP_TCP_PSH_FLAG 0x08	/**< PSH */
#define DP_TCP_ACK_FLAG 0x10	/**< ACK */
#define DP_TCP_URG_FLAG 0x20	/**< URG */

DP_BUILD_BUG_ON(sizeof(struct dp_tcp_hdr) != 20);

#ifdef __cplusplus
}
#endif

#endif /* DP_TCP_H */
