/* SPDX-License-Identifier: BSD-3-Clause */
/* The dpkit side of the benchmark: EAL, worker lcore, TSC Hz, ring setup,
 * mbuf pools and ports. */

#include <stdio.h>

#include <dp_eal.h>
#include <dp_cycles.h>
#include <dp_ethdev.h>
#include <dp_lcore.h>

#include "bench.h"
#include "side.h"

const char side_name[] = "dpkit";

static unsigned int worker = DP_MAX_LCORE;

int
side_init(int argc, char **argv)
{
	int n = dp_eal_init(argc, argv);

	if (n < 0)
		return n;
	worker = dp_get_next_lcore(-1, 1, 0);
	return n;
}

void
side_fini(void)
{
	dp_eal_cleanup();
}

uint64_t
side_tsc_hz(void)
{
	return dp_get_tsc_hz();
}

bool
side_has_worker(void)
{
	return worker < DP_MAX_LCORE;
}

int
side_launch_worker(int (*fn)(void *), void *arg)
{
	return dp_eal_remote_launch(fn, arg, worker);
}

int
side_wait_worker(void)
{
	return dp_eal_wait_lcore(worker);
}

/* In EAL memory (dp_ring_create), like the DPDK side. */
SIDE_RING *
side_ring_create(const char *name, unsigned int count, bool sp, bool sc)
{
	unsigned int flags = (sp ? DP_RING_F_SP_ENQ : 0) |
		(sc ? DP_RING_F_SC_DEQ : 0);
	struct dp_ring *r = dp_ring_create(name, count, DP_SOCKET_ID_ANY, flags);

	if (r == NULL)
		fprintf(stderr, "dpkit: dp_ring_create(%s): %s\n", name,
			dp_strerror(dp_errno));
	return r;
}

void
side_ring_free(SIDE_RING *r)
{
	dp_ring_free(r);
}

void
side_mempool_free(SIDE_MEMPOOL *mp)
{
	dp_mempool_free(mp);
}

SIDE_MEMPOOL *
side_pktmbuf_pool_create(const char *name, unsigned int n,
	unsigned int cache_size)
{
	struct dp_mempool *mp = dp_pktmbuf_pool_create(name, n, cache_size, 0,
		DP_MBUF_DEFAULT_BUF_SIZE, DP_SOCKET_ID_ANY);

	if (mp == NULL)
		fprintf(stderr, "dpkit: dp_pktmbuf_pool_create(%s): %s\n", name,
			dp_strerror(dp_errno));
	return mp;
}

int
side_eth_port_open(const char *name, SIDE_MEMPOOL *mp)
{
	struct dp_eth_conf conf = { 0 };
	uint16_t port;
	int rc;

	if (dp_eth_dev_get_port_by_name(name, &port) != 0)
		return -1;
	rc = dp_eth_dev_configure(port, 1, 1, &conf);
	if (rc == 0)
		rc = dp_eth_rx_queue_setup(port, 0, 1024,
			dp_eth_dev_socket_id(port), NULL, mp);
	if (rc == 0)
		rc = dp_eth_tx_queue_setup(port, 0, 1024,
			dp_eth_dev_socket_id(port), NULL);
	if (rc == 0)
		rc = dp_eth_dev_start(port);
	if (rc < 0) {
		fprintf(stderr, "dpkit: port %s: %s\n", name, dp_strerror(rc));
		return -1;
	}
	return port;
}

void
side_eth_port_close(int port)
{
	dp_eth_dev_stop((uint16_t)port);
	dp_eth_dev_close((uint16_t)port);
}

uint64_t
side_eth_imissed(int port)
{
	struct dp_eth_stats st;

	return dp_eth_stats_get((uint16_t)port, &st) == 0 ? st.imissed : 0;
}
