/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The dpkit side of the benchmark: EAL, worker lcore, TSC Hz, ring,
 * mempool and mbuf pool setup.
 */

#include <stdio.h>

#include <dp_eal.h>
#include <dp_cycles.h>
#include <dp_lcore.h>

#include "bench.h"
#include <dp_bus_vdev.h>

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

SIDE_MEMPOOL *
side_mempool_create(const char *name, unsigned int n, unsigned int elt_size,
	unsigned int cache_size)
{
	struct dp_mempool *mp = dp_mempool_create(name, n, elt_size,
		cache_size, 0, NULL, NULL, NULL, NULL, DP_SOCKET_ID_ANY, 0);

	if (mp == NULL)
		fprintf(stderr, "dpkit: dp_mempool_create(%s): %s\n", name,
			dp_strerror(dp_errno));
	return mp;
}

void
side_mempool_free(SIDE_MEMPOOL *mp)
{
	dp_mempool_free(mp);
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
	struct dp_mempool *mp = dp_pktmbuf_pool_create(name, n, cache_size, 0,
		DP_MBUF_DEFAULT_BUF_SIZE, DP_SOCKET_ID_ANY);

	if (mp == NULL)
		fprintf(stderr, "dpkit: dp_pktmbuf_pool_create(%s): %s\n", name,
			dp_strerror(dp_errno));
	return mp;
}

/* ---- ports ------------------------------------------------------------- */

int
side_port_create(const char *vdev, const char *args)
{
	uint16_t port;
	int rc = dp_vdev_init(vdev, args);

	if (rc < 0 || dp_eth_dev_get_port_by_name(vdev, &port) != 0) {
		fprintf(stderr, "cannot create %s: %s\n", vdev, dp_strerror(rc));
		return -1;
	}
	return port;
}

int
side_port_start(uint16_t port, SIDE_MEMPOOL *mp)
{
	int rc = dp_eth_dev_configure(port, 1, 1, NULL);

	if (rc == 0)
		rc = dp_eth_rx_queue_setup(port, 0, 512, DP_SOCKET_ID_ANY,
			NULL, mp);
	if (rc == 0)
		rc = dp_eth_tx_queue_setup(port, 0, 512, DP_SOCKET_ID_ANY, NULL);
	if (rc == 0)
		rc = dp_eth_dev_start(port);
	if (rc < 0) {
		fprintf(stderr, "cannot start port %u: %s\n", port,
			dp_strerror(rc));
		return -1;
	}
	return 0;
}

void
side_port_close(const char *vdev)
{
	dp_vdev_uninit(vdev);
}

int
side_port_find(const char *vdev)
{
	uint16_t port;

	return dp_eth_dev_get_port_by_name(vdev, &port) == 0 ? port : -1;
}

uint64_t
side_eth_imissed(uint16_t port)
{
	struct dp_eth_stats st;

	return dp_eth_stats_get(port, &st) == 0 ? st.imissed : 0;
}
