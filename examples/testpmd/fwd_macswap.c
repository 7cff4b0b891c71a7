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
	return fwd_ether_rewrite(fs, nb, true);
}

FWD_LCORE_LOOP(macswap_burst)

const struct fwd_engine fwd_engine_macswap = {
	.name = "macswap",
	.what = "swap source and destination MAC",
	.receives = true,
	.burst = macswap_burst,
	.lcore_loop = macswap_burst_loop,
};
