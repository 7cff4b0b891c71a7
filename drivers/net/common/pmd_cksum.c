/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * TCP/UDP checksum completion for frames a kernel interface delivered with
 * the checksum not yet computed (see pmd_cksum_private.h).
 */

#include <stddef.h>
#include <string.h>

#include <dp_byteorder.h>
#include <dp_ether.h>
#include <dp_ip.h>
#include <dp_tcp.h>
#include <dp_udp.h>

#include "pmd_cksum_private.h"

bool
pmd_cksum_complete(struct dp_mbuf *m)
{
	uint8_t *d = dp_pktmbuf_mtod(m, uint8_t *);
	uint32_t len = m->data_len, off = 2 * DP_ETHER_ADDR_LEN, l4_len;
	uint16_t type;
	dp_be16_t sum;
	uint8_t proto, *field;
	void *l4;

	if (m->nb_segs != 1 || len < off + 2)
		return false;
	memcpy(&type, d + off, 2);
	type = dp_be_to_cpu_16(type);
	off += 2;
	if (type == DP_ETHER_TYPE_QINQ || type == DP_ETHER_TYPE_VLAN) {
		if (len < off + DP_VLAN_HLEN)
			return false;
		memcpy(&type, d + off + 2, 2);
		type = dp_be_to_cpu_16(type);
		off += DP_VLAN_HLEN;
	}
	if (type == DP_ETHER_TYPE_IPV4) {
		struct dp_ipv4_hdr *ip = (struct dp_ipv4_hdr *)(d + off);
		uint32_t hl;

		if (len < off + sizeof(*ip))
			return false;
		hl = dp_ipv4_hdr_len(ip);
		if ((ip->version_ihl >> 4) != 4 || hl < sizeof(*ip) ||
		    (dp_be_to_cpu_16(ip->fragment_offset) &
		     (DP_IPV4_HDR_MF_FLAG | 0x1fff)) ||
		    dp_be_to_cpu_16(ip->total_length) < hl ||
		    off + dp_be_to_cpu_16(ip->total_length) > len)
			return false;
		proto = ip->next_proto_id;
		l4 = d + off + hl;
		l4_len = dp_be_to_cpu_16(ip->total_length) - hl;
	} else if (type == DP_ETHER_TYPE_IPV6) {
		struct dp_ipv6_hdr *ip6 = (struct dp_ipv6_hdr *)(d + off);

		if (len < off + sizeof(*ip6) ||
		    off + sizeof(*ip6) + dp_be_to_cpu_16(ip6->payload_len) > len)
			return false;
		proto = ip6->proto;
		l4 = ip6 + 1;
		l4_len = dp_be_to_cpu_16(ip6->payload_len);
	} else {
		return false;
	}
	if (proto == IPPROTO_UDP && l4_len >= sizeof(struct dp_udp_hdr))
		field = (uint8_t *)l4 + offsetof(struct dp_udp_hdr, dgram_cksum);
	else if (proto == IPPROTO_TCP && l4_len >= sizeof(struct dp_tcp_hdr))
		field = (uint8_t *)l4 + offsetof(struct dp_tcp_hdr, cksum);
	else
		return false;
	memset(field, 0, sizeof(sum));
	if (type == DP_ETHER_TYPE_IPV4)
		sum = dp_ipv4_udptcp_cksum((struct dp_ipv4_hdr *)(d + off), l4);
	else
		sum = dp_ipv6_udptcp_cksum((struct dp_ipv6_hdr *)(d + off), l4);
	memcpy(field, &sum, sizeof(sum));
	return true;
}
