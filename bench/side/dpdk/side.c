/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The DPDK side of the benchmark: EAL, worker lcore, TSC Hz, ring,
 * mempool and mbuf pool setup.
 * Our own code against DPDK's public API.
 */

#include <stdio.h>

#include <rte_eal.h>
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_bus_vdev.h>

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

SIDE_MEMPOOL *
side_mempool_create(const char *name, unsigned int n, unsigned int elt_size,
	unsigned int cache_size)
{
	struct rte_mempool *mp = rte_mempool_create(name, n, elt_size,
		cache_size, 0, NULL, NULL, NULL, NULL, SOCKET_ID_ANY, 0);

	if (mp == NULL)
		fprintf(stderr, "dpdk: rte_mempool_create(%s): %s\n", name,
			rte_strerror(rte_errno));
	return mp;
}

void
side_mempool_free(SIDE_MEMPOOL *mp)
{
	rte_mempool_free(mp);
}

unsigned int
side_mempool_obj_stride(SIDE_MEMPOOL *mp)
{
	return mp->header_size + mp->elt_size + mp->trailer_size;
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

/* ---- ports ------------------------------------------------------------- */

int
side_port_create(const char *vdev, const char *args)
{
	uint16_t port;
	int rc = rte_vdev_init(vdev, args);

	if (rc < 0 || rte_eth_dev_get_port_by_name(vdev, &port) != 0) {
		fprintf(stderr, "cannot create %s: %s\n", vdev, rte_strerror(-rc));
		return -1;
	}
	return port;
}

int
side_port_start(uint16_t port, SIDE_MEMPOOL *mp)
{
	struct rte_eth_conf conf = { 0 };
	int rc = rte_eth_dev_configure(port, 1, 1, &conf);

	if (rc == 0)
		rc = rte_eth_rx_queue_setup(port, 0, 512, SOCKET_ID_ANY, NULL, mp);
	if (rc == 0)
		rc = rte_eth_tx_queue_setup(port, 0, 512, SOCKET_ID_ANY, NULL);
	if (rc == 0)
		rc = rte_eth_dev_start(port);
	if (rc < 0) {
		fprintf(stderr, "cannot start port %u: %s\n", port,
			rte_strerror(-rc));
		return -1;
	}
	return 0;
}

void
side_port_close(const char *vdev)
{
	uint16_t port;

	if (rte_eth_dev_get_port_by_name(vdev, &port) == 0) {
		rte_eth_dev_stop(port);
		rte_eth_dev_close(port);
	}
	rte_vdev_uninit(vdev);
}

int
side_port_find(const char *vdev)
{
	uint16_t port;

	return rte_eth_dev_get_port_by_name(vdev, &port) == 0 ? port : -1;
}

uint64_t
side_eth_imissed(uint16_t port)
{
	struct rte_eth_stats st;

	return rte_eth_stats_get(port, &st) == 0 ? st.imissed : 0;
}
