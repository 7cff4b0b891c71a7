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
	uint16_t nb_rx = fwd_rx(fs, pkts, nb);

	if (nb_rx != 0)
		fwd_tx(fs, pkts, nb_rx);
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
