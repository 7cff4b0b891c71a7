/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * txonly: send copies of one Ethernet/IPv4/UDP frame (198.18.0.1:9 ->
 * 198.18.0.2:9, sizes from --txpkts) as fast as the TX queue takes them.
 * Nothing is received. The frame and its checksums are made once
 * (txpkt.c); each packet is a copy.
 */

#include "fwd.h"

static uint16_t
txonly_burst(struct fwd_stream *fs, uint16_t nb)
{
	struct dp_mbuf *pkts[FWD_MAX_BURST];

	if (unlikely(txpkt_alloc_burst(fs->tmpl, pkts, nb) < 0)) {
		fwd_count(&fs->rx_nombuf, nb);
		return 0;
	}
	return fwd_tx(fs, pkts, nb);
}

FWD_LCORE_LOOP(txonly_burst)

const struct fwd_engine fwd_engine_txonly = {
	.name = "txonly",
	.what = "send UDP packets 198.18.0.1:9 -> 198.18.0.2:9 (--txpkts sizes)",
	.receives = false,
	.needs_template = true,
	.burst = txonly_burst,
	.lcore_loop = txonly_burst_loop,
};
