/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * flowgen: like txonly, but packet k of a stream belongs to flow
 * k mod --flowgen-flows: source address 198.18.0.1 + flow and source port
 * 1024 + flow, so RSS on the receiving side spreads the flows over its
 * queues. Only the two fields and the two checksums change per packet.
 */

#include "fwd.h"

static uint16_t
flowgen_burst(struct fwd_stream *fs, uint16_t nb)
{
	const struct txpkt_template *t = fs->tmpl;
	struct dp_mbuf *pkts[FWD_MAX_BURST];
	uint32_t flow = fs->next_flow;
	uint16_t i;

	if (unlikely(txpkt_alloc_burst(t, pkts, nb) < 0)) {
		fwd_count(&fs->rx_nombuf, nb);
		return 0;
	}
	for (i = 0; i < nb; i++) {
		txpkt_set_flow(t, pkts[i], flow);
		if (++flow == t->nb_flows)
			flow = 0;
	}
	fs->next_flow = flow;
	return fwd_tx(fs, pkts, nb);
}

FWD_LCORE_LOOP(flowgen_burst)

const struct fwd_engine fwd_engine_flowgen = {
	.name = "flowgen",
	.what = "like txonly, over --flowgen-flows flows (source IP and port vary)",
	.receives = false,
	.needs_template = true,
	.burst = flowgen_burst,
	.lcore_loop = flowgen_burst_loop,
};
