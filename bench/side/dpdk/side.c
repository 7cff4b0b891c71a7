/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The DPDK side of the benchmark: EAL, worker lcore, TSC Hz, ring setup,
 * mbuf pools and ports.
 * Our own code against DPDK's public API.
 */

#include <stdio.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>

#include "bench.h"
#include "side.h"

const char side_name[] = "dpdk";

static unsigned int worker = RTE_MAX_LCORE;

int
side_init(int argc, char **argv)
{
	int n = rte_eal_init(argc, argv);

	if (n < 0)
		return n;
	worker = rte_get_next_lcore(-1, 1, 0);
	return n;
}

void
side_fini(void)
{
	rte_eal_cleanup();
}

uint64_t
side_tsc_hz(void)
{
	return rte_get_tsc_hz();
}

bool
side_has_worker(void)
{
	return worker < RTE_MAX_LCORE;
}

int
side_launch_worker(int (*fn)(void *), void *arg)
{
	return rte_eal_remote_launch(fn, arg, worker);
}

int
side_wait_worker(void)
{
	return rte_eal_wait_lcore(worker);
}

/* In hugepage memory (rte_ring_create), as DPDK applications do. */
SIDE_RING *
side_ring_create(const char *name, unsigned int count, bool sp, bool sc)
{
	unsigned int flags = (sp ? RING_F_SP_ENQ : 0) | (sc ? RING_F_SC_DEQ : 0);
	struct rte_ring *r = rte_ring_create(name, count, SOCKET_ID_ANY, flags);

	if (r == NULL)
		fprintf(stderr, "dpdk: rte_ring_create(%s): %s\n", name,
			rte_strerror(rte_errno));
	return r;
}

void
side_ring_free(SIDE_RING *r)
{
	rte_ring_free(r);
}

void
side_mempool_free(SIDE_MEMPOOL *mp)
{
	rte_mempool_free(mp);
}

SIDE_MEMPOOL *
side_pktmbuf_pool_create(const char *name, unsigned int n,
	unsigned int cache_size)
{
	struct rte_mempool *mp = rte_pktmbuf_pool_create(name, n, cache_size,
		0, RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);

	if (mp == NULL)
		fprintf(stderr, "dpdk: rte_pktmbuf_pool_create(%s): %s\n", name,
			rte_strerror(rte_errno));
	return mp;
}

int
side_eth_port_open(const char *name, SIDE_MEMPOOL *mp)
{
	struct rte_eth_conf conf;
	uint16_t port;
	int rc;

	memset(&conf, 0, sizeof(conf));
	if (rte_eth_dev_get_port_by_name(name, &port) != 0)
		return -1;
	rc = rte_eth_dev_configure(port, 1, 1, &conf);
	if (rc == 0)
		rc = rte_eth_rx_queue_setup(port, 0, 1024,
			(unsigned int)rte_eth_dev_socket_id(port), NULL, mp);
	if (rc == 0)
		rc = rte_eth_tx_queue_setup(port, 0, 1024,
			(unsigned int)rte_eth_dev_socket_id(port), NULL);
	if (rc == 0)
		rc = rte_eth_dev_start(port);
	if (rc < 0) {
		fprintf(stderr, "dpdk: port %s: %s\n", name, rte_strerror(-rc));
		return -1;
	}
	return port;
}

void
side_eth_port_close(int port)
{
	rte_eth_dev_stop((uint16_t)port);
	rte_eth_dev_close((uint16_t)port);
}

uint64_t
side_eth_imissed(int port)
{
	struct rte_eth_stats st;

	return rte_eth_stats_get((uint16_t)port, &st) == 0 ? st.imissed : 0;
}
