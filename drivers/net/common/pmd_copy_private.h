/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PMD_COPY_PRIVATE_H
#define PMD_COPY_PRIVATE_H

/*
 * Copies between a contiguous frame and an mbuf chain, shared by the
 * software PMDs that move packet bytes themselves (pcap, af_packet).
 *
 * RX: a frame that fits the first mbuf's tailroom is one memcpy; a larger
 * one continues in further mbufs (a chain), so nothing is ever truncated.
 * TX: the segments of a chain are gathered into one buffer (a ring frame
 * or a bounce buffer), optionally with an 802.1Q tag inserted after the
 * MAC addresses.
 */

#include <string.h>

#include <dp_common.h>
#include <dp_ether.h>
#include <dp_mbuf.h>

/** Offset of the EtherType (and of an inserted tag) in a frame. */
#define PMD_VLAN_TAG_OFF (2 * DP_ETHER_ADDR_LEN)

/*
 * Continue a frame that did not fit @p head: fill its tailroom from the
 * pieces, then append segments (whole buffers, no headroom) from @p mp.
 * On allocation failure the chain is freed and NULL returned.
 */
static __dp_noinline struct dp_mbuf *
pmd_copy_to_chain(struct dp_mempool *mp, struct dp_mbuf *head,
	const uint8_t *const piece[], const uint32_t piece_len[],
	unsigned int nb_pieces)
{
	struct dp_mbuf *seg = head;
	uint32_t total = 0, room, off = 0, n;
	unsigned int p = 0;

	for (p = 0; p < nb_pieces; p++)
		total += piece_len[p];
	head->pkt_len = total;
	head->data_len = 0;
	room = dp_pktmbuf_tailroom(head);
	p = 0;
	while (p < nb_pieces) {
		if (room == 0) {
			struct dp_mbuf *next = dp_pktmbuf_alloc(mp);

			if (unlikely(next == NULL)) {
				dp_pktmbuf_free(head);
				return NULL;
			}
			next->data_off = 0;
			seg->next = next;
			head->nb_segs++;
			seg = next;
			room = seg->buf_len;
		}
		n = DP_MIN(room, piece_len[p] - off);
		memcpy(dp_pktmbuf_mtod_offset(seg, uint8_t *, seg->data_len),
			piece[p] + off, n);
		seg->data_len = (uint16_t)(seg->data_len + n);
		room -= n;
		off += n;
		if (off == piece_len[p]) {
			p++;
			off = 0;
		}
	}
	return head;
}

/*
 * Copy frame @p data of @p len bytes into @p head (a freshly allocated,
 * reset mbuf of pool @p mp), chaining more mbufs from @p mp when the frame
 * is larger than the data room.
 *
 * @return
 *   @p head, or NULL if the pool ran dry (@p head is then freed).
 */
static __dp_always_inline struct dp_mbuf *
pmd_copy_frame(struct dp_mempool *mp, struct dp_mbuf *head,
	const uint8_t *data, uint32_t len)
{
	if (likely(len <= dp_pktmbuf_tailroom(head))) {
		memcpy(dp_pktmbuf_mtod(head, void *), data, len);
		head->data_len = (uint16_t)len;
		head->pkt_len = len;
		return head;
	}
	return pmd_copy_to_chain(mp, head, &data, &len, 1);
}

/*
 * pmd_copy_frame() with the 4-byte 802.1Q tag @p tag (TPID and TCI, in
 * network order) put back after the MAC addresses: for kernels that hand
 * over the tag out of band (the frame must hold at least the two
 * addresses).
 */
static inline struct dp_mbuf *
pmd_copy_frame_vlan(struct dp_mempool *mp, struct dp_mbuf *head,
	const uint8_t *data, uint32_t len, const uint8_t tag[DP_VLAN_HLEN])
{
	const uint8_t *piece[3] = { data, tag, data + PMD_VLAN_TAG_OFF };
	const uint32_t plen[3] = { PMD_VLAN_TAG_OFF, DP_VLAN_HLEN,
		len - PMD_VLAN_TAG_OFF };

	if (likely(len + DP_VLAN_HLEN <= dp_pktmbuf_tailroom(head))) {
		uint8_t *d = dp_pktmbuf_mtod(head, uint8_t *);

		memcpy(d, data, PMD_VLAN_TAG_OFF);
		memcpy(d + PMD_VLAN_TAG_OFF, tag, DP_VLAN_HLEN);
		memcpy(d + PMD_VLAN_TAG_OFF + DP_VLAN_HLEN,
			data + PMD_VLAN_TAG_OFF, len - PMD_VLAN_TAG_OFF);
		head->data_len = (uint16_t)(len + DP_VLAN_HLEN);
		head->pkt_len = len + DP_VLAN_HLEN;
		return head;
	}
	return pmd_copy_to_chain(mp, head, piece, plen, 3);
}

/*
 * Gather packet @p m (every segment) into @p dst. With DP_MBUF_F_TX_VLAN
 * set and @p vlan_insert, an 802.1Q tag made of m->vlan_tci is inserted
 * after the MAC addresses.
 *
 * @return
 *   Bytes written, or 0 if the packet needs more than @p max bytes or is
 *   too short to carry a tag where one was asked for.
 */
static inline uint32_t
pmd_gather_frame(const struct dp_mbuf *m, uint8_t *dst, uint32_t max,
	bool vlan_insert)
{
	const struct dp_mbuf *seg;
	uint32_t len = m->pkt_len, off = 0;

	if (vlan_insert && (m->ol_flags & DP_MBUF_F_TX_VLAN)) {
		const uint8_t *src = dp_pktmbuf_mtod(m, const uint8_t *);
		uint16_t tpid = dp_cpu_to_be_16(DP_ETHER_TYPE_VLAN);
		uint16_t tci = dp_cpu_to_be_16(m->vlan_tci);

		if (len + DP_VLAN_HLEN > max || m->data_len < PMD_VLAN_TAG_OFF)
			return 0;
		memcpy(dst, src, PMD_VLAN_TAG_OFF);
		memcpy(dst + PMD_VLAN_TAG_OFF, &tpid, 2);
		memcpy(dst + PMD_VLAN_TAG_OFF + 2, &tci, 2);
		memcpy(dst + PMD_VLAN_TAG_OFF + DP_VLAN_HLEN,
			src + PMD_VLAN_TAG_OFF, m->data_len - PMD_VLAN_TAG_OFF);
		off = m->data_len + DP_VLAN_HLEN;
		len += DP_VLAN_HLEN;
		seg = m->next;
	} else {
		if (unlikely(len > max))
			return 0;
		if (likely(m->nb_segs == 1)) {
			memcpy(dst, dp_pktmbuf_mtod(m, const void *), len);
			return len;
		}
		seg = m;
	}
	for (; seg != NULL; seg = seg->next) {
		memcpy(dst + off, dp_pktmbuf_mtod(seg, const void *),
			seg->data_len);
		off += seg->data_len;
	}
	return len;
}

#endif /* PMD_COPY_PRIVATE_H */
