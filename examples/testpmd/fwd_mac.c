/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mac forwarding: each packet leaves with the TX port's address as source
 * and the peer's (--eth-peer, or 02:00:00:00:00:<TX port>) as destination,
 * the rewrite a router's output stage does. Also the MAC helpers the other
 * engines use.
 */

#include "fwd.h"

void
fwd_default_peer_mac(uint16_t port, struct dp_ether_addr *mac)
{
	memset(mac, 0, sizeof(*mac));
	mac->addr_bytes[0] = 0x02;	/* locally administered, unicast */
	mac->addr_bytes[5] = (uint8_t)port;
}

int
fwd_stream_set_macs(struct fwd_stream *fs, const struct dp_ether_addr *peer)
{
	int rc = dp_eth_macaddr_get(fs->tx_port, &fs->src_mac);

	if (rc < 0)
		return rc;
	fs->dst_mac = *peer;
	return 0;
}

static uint16_t
mac_burst(struct fwd_stream *fs, uint16_t nb)
{
	return fwd_ether_rewrite(fs, nb, false);
}

FWD_LCORE_LOOP(mac_burst)

const struct fwd_engine fwd_engine_mac = {
	.name = "mac",
	.what = "set source MAC = TX port, destination = its peer (--eth-peer)",
	.receives = true,
	.burst = mac_burst,
	.lcore_loop = mac_burst_loop,
};
