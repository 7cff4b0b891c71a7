/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * macswap forwarding: each packet leaves with its source and destination
 * MAC addresses exchanged, so it heads back to whoever sent it (a
 * reflector).
 */

#include "fwd.h"

static uint16_t
macswap_burst(struct fwd_stream *fs, uint16_t nb)
{
	struct dp_mbuf *pkts[FWD_MAX_BURST];
	struct dp_ether_addr tmp;
	struct dp_ether_hdr *eth;
	uint16_t nb_rx, sent, i;

	nb_rx = dp_eth_rx_burst(fs->rx_port, fs->rx_queue, pkts, nb);
	if (nb_rx == 0)
		return 0;
	fwd_count(&fs->rx_packets, nb_rx);
	for (i = 0; i < nb_rx; i++) {
		if (likely(i + 1 < nb_rx))
			dp_prefetch0(dp_pktmbuf_mtod(pkts[i + 1], void *));
		eth = dp_pktmbuf_mtod(pkts[i], struct dp_ether_hdr *);
		tmp = eth->dst_addr;
		eth->dst_addr = eth->src_addr;
		eth->src_addr = tmp;
	}
	sent = dp_eth_tx_burst(fs->tx_port, fs->tx_queue, pkts, nb_rx);
	fwd_tx_done(fs, pkts, nb_rx, sent);
	return nb_rx;
}

FWD_LCORE_LOOP(macswap_burst)

const struct fwd_engine fwd_engine_macswap = {
	.name = "macswap",
	.what = "swap source and destination MAC",
	.receives = true,
	.burst = macswap_burst,
	.lcore_loop = macswap_burst_loop,
};
