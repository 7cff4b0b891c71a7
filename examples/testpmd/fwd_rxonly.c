/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * rxonly: receive, count, free. The sink side of a txonly/flowgen test,
 * or a measure of RX alone.
 */

#include "fwd.h"

static uint16_t
rxonly_burst(struct fwd_stream *fs, uint16_t nb)
{
	struct dp_mbuf *pkts[FWD_MAX_BURST];
	uint16_t nb_rx = fwd_rx(fs, pkts, nb);

	dp_pktmbuf_free_bulk(pkts, nb_rx);
	return nb_rx;
}

FWD_LCORE_LOOP(rxonly_burst)

const struct fwd_engine fwd_engine_rxonly = {
	.name = "rxonly",
	.what = "receive, count and free",
	.receives = true,
	.burst = rxonly_burst,
	.lcore_loop = rxonly_burst_loop,
};
