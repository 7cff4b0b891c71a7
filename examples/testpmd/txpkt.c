/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The frame txonly, flowgen and tx_first send: built once per TX port
 * with its checksums, then copied into each packet (chained when --txpkts
 * gives several segments).
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fwd.h"

int
txpkt_check_lengths(const uint16_t *seg_len, unsigned int nb_segs,
	unsigned int room, char *err, size_t err_size)
{
	unsigned int i, len = 0;

	if (nb_segs == 0 || nb_segs > TXPKT_MAX_SEGS) {
		snprintf(err, err_size, "%u segments: give 1 to %d lengths",
			nb_segs, TXPKT_MAX_SEGS);
		return -EINVAL;
	}
	for (i = 0; i < nb_segs; i++) {
		if (seg_len[i] == 0 || seg_len[i] > room) {
			snprintf(err, err_size, "segment %u is %u bytes: each must "
				"be 1 to %u (the mbuf data room)", i, seg_len[i],
				room);
			return -EINVAL;
		}
		len += seg_len[i];
	}
	if (seg_len[0] < TXPKT_HDR_LEN) {
		snprintf(err, err_size, "the first segment (%u bytes) must hold "
			"the Ethernet, IPv4 and UDP headers: at least %d bytes",
			seg_len[0], TXPKT_HDR_LEN);
		return -EINVAL;
	}
	if (len > TXPKT_MAX_LEN) {
		snprintf(err, err_size, "a %u-byte packet is larger than %d bytes",
			len, TXPKT_MAX_LEN);
		return -EINVAL;
	}
	return (int)len;
}

int
txpkt_template_build(struct txpkt_template *t, struct dp_mempool *pool,
	const uint16_t *seg_len, unsigned int nb_segs, uint32_t nb_flows,
	const struct dp_ether_addr *src, const struct dp_ether_addr *dst,
	char *err, size_t err_size)
{
	unsigned int room = dp_pktmbuf_data_room_size(pool) - DP_PKTMBUF_HEADROOM;
	struct dp_ether_hdr *eth = (struct dp_ether_hdr *)t->frame;
	struct dp_ipv4_hdr *ip = (struct dp_ipv4_hdr *)(eth + 1);
	struct dp_udp_hdr *udp = (struct dp_udp_hdr *)(ip + 1);
	struct dp_ipv4_hdr ip_nosrc;
	struct dp_udp_hdr udp_nosrc;
	uint32_t i, l4_len;
	uint8_t *payload;
	int len;

	len = txpkt_check_lengths(seg_len, nb_segs, room, err, err_size);
	if (len < 0)
		return len;
	if (nb_flows == 0 || nb_flows > TXPKT_MAX_FLOWS) {
		snprintf(err, err_size, "%u flows: give 1 to %u", nb_flows,
			TXPKT_MAX_FLOWS);
		return -EINVAL;
	}

	t->pool = pool;
	t->pkt_len = (uint32_t)len;
	t->nb_segs = (uint16_t)nb_segs;
	memcpy(t->seg_len, seg_len, nb_segs * sizeof(*seg_len));
	t->nb_flows = nb_flows;

	eth->dst_addr = *dst;
	eth->src_addr = *src;
	eth->ether_type = dp_cpu_to_be_16(DP_ETHER_TYPE_IPV4);

	l4_len = (uint32_t)len - DP_ETHER_HDR_LEN - (uint32_t)sizeof(*ip);
	memset(ip, 0, sizeof(*ip));
	ip->version_ihl = DP_IPV4_VHL_DEF;
	ip->total_length = dp_cpu_to_be_16((uint16_t)(len - DP_ETHER_HDR_LEN));
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_UDP;
	ip->src_addr = dp_cpu_to_be_32(TXPKT_SRC_IP);
	ip->dst_addr = dp_cpu_to_be_32(TXPKT_DST_IP);

	udp->src_port = dp_cpu_to_be_16(TXPKT_UDP_PORT);
	udp->dst_port = dp_cpu_to_be_16(TXPKT_UDP_PORT);
	udp->dgram_len = dp_cpu_to_be_16((uint16_t)l4_len);
	udp->dgram_cksum = 0;
	/* A payload that shows where bytes went missing or moved. */
	payload = (uint8_t *)(udp + 1);
	for (i = 0; i < l4_len - sizeof(*udp); i++)
		payload[i] = (uint8_t)i;

	ip->hdr_checksum = dp_ipv4_cksum(ip);
	udp->dgram_cksum = dp_ipv4_udptcp_cksum(ip, udp);

	/*
	 * Flowgen's per-packet checksums: the same sums with the fields it
	 * changes set to 0; it adds their new values.
	 */
	ip_nosrc = *ip;
	ip_nosrc.src_addr = 0;
	ip_nosrc.hdr_checksum = 0;
	t->ip_sum_nosrc = dp_raw_cksum_add(0, &ip_nosrc, sizeof(ip_nosrc));
	udp_nosrc = *udp;
	udp_nosrc.src_port = 0;
	udp_nosrc.dgram_cksum = 0;
	t->udp_sum_nosrc = dp_raw_cksum_add(0, &ip->dst_addr, 4) +
		IPPROTO_UDP + l4_len;
	t->udp_sum_nosrc = dp_raw_cksum_add(t->udp_sum_nosrc, &udp_nosrc,
		sizeof(udp_nosrc));
	t->udp_sum_nosrc = dp_raw_cksum_add(t->udp_sum_nosrc, payload,
		l4_len - sizeof(*udp));
	return 0;
}

/* Multi-segment packets: one chain per packet, copied slice by slice. */
static int
alloc_chains(const struct txpkt_template *t, struct dp_mbuf **pkts,
	uint16_t nb)
{
	struct dp_mbuf *segs[TXPKT_MAX_SEGS];
	unsigned int i, s, off;

	for (i = 0; i < nb; i++) {
		segs[0] = pkts[i];
		if (dp_pktmbuf_alloc_bulk(t->pool, segs + 1,
		    (unsigned int)t->nb_segs - 1) != 0) {
			/* Chained heads and the single ones left: all go back. */
			dp_pktmbuf_free_bulk(pkts, nb);
			return -ENOENT;
		}
		for (s = 0, off = 0; s < t->nb_segs; s++) {
			memcpy(dp_pktmbuf_mtod(segs[s], void *), t->frame + off,
				t->seg_len[s]);
			segs[s]->data_len = t->seg_len[s];
			segs[s]->pkt_len = t->seg_len[s];
			if (s > 0)
				segs[s - 1]->next = segs[s];
			off += t->seg_len[s];
		}
		pkts[i]->nb_segs = t->nb_segs;
		pkts[i]->pkt_len = t->pkt_len;
	}
	return 0;
}

int
txpkt_alloc_burst(const struct txpkt_template *t, struct dp_mbuf **pkts,
	uint16_t nb)
{
	const uint16_t len = (uint16_t)t->pkt_len;
	uint16_t i;

	if (unlikely(dp_pktmbuf_alloc_bulk(t->pool, pkts, nb) != 0))
		return -ENOENT;
	if (unlikely(t->nb_segs > 1))
		return alloc_chains(t, pkts, nb);
	for (i = 0; i < nb; i++) {
		struct dp_mbuf *m = pkts[i];

		memcpy(dp_pktmbuf_mtod(m, void *), t->frame, len);
		m->data_len = len;
		m->pkt_len = len;
	}
	return 0;
}
