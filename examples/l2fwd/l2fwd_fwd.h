/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef L2FWD_FWD_H
#define L2FWD_FWD_H

/*
 * The forwarding step of l2fwd, in a header so that the unit tests check
 * the exact bytes it writes: destination MAC 02:00:00:00:00:<out port>,
 * source MAC the out port's own address.
 */

#include <dp_ether.h>
#include <dp_mbuf.h>

static inline void
l2fwd_mac_update(struct dp_mbuf *m, uint16_t out_port,
	const struct dp_ether_addr *out_port_mac)
{
	struct dp_ether_hdr *eth = dp_pktmbuf_mtod(m, struct dp_ether_hdr *);
	uint8_t *d = eth->dst_addr.addr_bytes;

	d[0] = 0x02;
	d[1] = d[2] = d[3] = d[4] = 0x00;
	d[5] = (uint8_t)out_port;
	dp_ether_addr_copy(out_port_mac, &eth->src_addr);
}

#endif /* L2FWD_FWD_H */
