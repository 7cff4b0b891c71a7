/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * io forwarding: every packet received on the stream's RX queue goes out
 * of its TX queue unchanged. No packet byte and no mbuf field is touched:
 * this measures the port API and the drivers alone.
 */

#include "fwd.h"

static uint16_t
io_burst(struct fwd_stream *fs, uint16_t nb)
{
	struct dp_mbuf *pkts[FWD_MAX_BURST];
	uint16_t nb_rx, sent;

	nb_rx = dp_eth_rx_burst(fs->rx_port, fs->rx_queue, pkts, nb);
	if (nb_rx == 0)
		return 0;
	fwd_count(&fs->rx_packets, nb_rx);
	sent = dp_eth_tx_burst(fs->tx_port, fs->tx_queue, pkts, nb_rx);
	fwd_tx_done(fs, pkts, nb_rx, sent);
	return nb_rx;
}

FWD_LCORE_LOOP(io_burst)

const struct fwd_engine fwd_engine_io = {
	.name = "io",
	.what = "forward packets unchanged",
	.receives = true,
	.burst = io_burst,
	.lcore_loop = io_burst_loop,
};
