/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Mempool backends: the registry of ops tables and the built-in ring
 * backends ("ring_mp_mc", "ring_sp_sc", "ring_mp_sc", "ring_sp_mc").
 * The four ring backends differ only in the modes their ring is created
 * with; the fast path calls the ring inline (dp_mempool_core.h), so the
 * enqueue/dequeue entries here serve other callers of the table.
 */

#include <stdio.h>
#include <string.h>
#include <pthread.h>

#include <dp_ring.h>

#include "mempool_private.h"

struct dp_mempool_ops_table dp_mempool_ops_table;

static pthread_mutex_t ops_lock = PTHREAD_MUTEX_INITIALIZER;

int
dp_mempool_register_ops(const struct dp_mempool_ops *ops)
{
	struct dp_mempool_ops_table *t = &dp_mempool_ops_table;
	size_t nlen;
	uint32_t i;
	int idx;

	if (ops == NULL || ops->alloc == NULL || ops->free == NULL ||
	    ops->enqueue == NULL || ops->dequeue == NULL ||
	    ops->get_count == NULL) {
		DP_LOG(ERR, mempool, "register ops: alloc, free, enqueue, "
			"dequeue and get_count are all required");
		return -EINVAL;
	}
	nlen = strnlen(ops->name, DP_MEMPOOL_OPS_NAMESIZE);
	if (nlen == 0 || nlen >= DP_MEMPOOL_OPS_NAMESIZE) {
		DP_LOG(ERR, mempool, "register ops: the name must have 1 to %d "
			"characters", DP_MEMPOOL_OPS_NAMESIZE - 1);
		return -EINVAL;
	}
	pthread_mutex_lock(&ops_lock);
	for (i = 0; i < t->num_ops; i++)
		if (strcmp(t->ops[i].name, ops->name) == 0) {
			pthread_mutex_unlock(&ops_lock);
			DP_LOG(ERR, mempool, "register ops '%s': already "
				"registered", ops->name);
			return -EEXIST;
		}
	if (t->num_ops >= DP_MEMPOOL_MAX_OPS_IDX) {
		pthread_mutex_unlock(&ops_lock);
		DP_LOG(ERR, mempool, "register ops '%s': the table is full "
			"(%d backends)", ops->name, DP_MEMPOOL_MAX_OPS_IDX);
		return -ENOSPC;
	}
	idx = (int)t->num_ops;
	t->ops[idx] = *ops;
	/* Pools read the entry without the lock: publish it complete. */
	__atomic_store_n(&t->num_ops, t->num_ops + 1, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&ops_lock);
	return idx;
}

int
dp_mempool_ops_lookup(const char *name)
{
	uint32_t n = __atomic_load_n(&dp_mempool_ops_table.num_ops,
		__ATOMIC_ACQUIRE);
	uint32_t i;

	if (name == NULL)
		return -ENOENT;
	for (i = 0; i < n; i++)
		if (strcmp(dp_mempool_ops_table.ops[i].name, name) == 0)
			return (int)i;
	return -ENOENT;
}

const char *
dp_mempool_ops_name(const struct dp_mempool *mp)
{
	return __dp_mempool_get_ops(mp)->name;
}

int
mempool_ops_alloc(struct dp_mempool *mp)
{
	return __dp_mempool_get_ops(mp)->alloc(mp);
}

void
mempool_ops_free(struct dp_mempool *mp)
{
	__dp_mempool_get_ops(mp)->free(mp);
}

unsigned int
mempool_ops_get_count(const struct dp_mempool *mp)
{
	return __dp_mempool_get_ops(mp)->get_count(mp);
}

/* ---- ring backends ------------------------------------------------------- */

static int
ring_alloc(struct dp_mempool *mp, unsigned int ring_flags)
{
	char rname[DP_RING_NAMESIZE];
	struct dp_ring *r;
	int n;

	n = snprintf(rname, sizeof(rname), DP_MEMPOOL_MZ_PREFIX "%s", mp->name);
	if (n < 0 || (size_t)n >= sizeof(rname))
		return -ENAMETOOLONG;	/* names are checked at create */
	/* Exact size: the ring holds the whole pool and never more. */
	r = dp_ring_create(rname, mp->size, mp->socket_id,
		ring_flags | DP_RING_F_EXACT_SZ);
	if (r == NULL)
		return -dp_errno;	/* logged by the ring */
	mp->pool_data = r;
	return 0;
}

static int
ring_alloc_mp_mc(struct dp_mempool *mp)
{
	return ring_alloc(mp, 0);
}

static int
ring_alloc_sp_sc(struct dp_mempool *mp)
{
	return ring_alloc(mp, DP_RING_F_SP_ENQ | DP_RING_F_SC_DEQ);
}

static int
ring_alloc_mp_sc(struct dp_mempool *mp)
{
	return ring_alloc(mp, DP_RING_F_SC_DEQ);
}

static int
ring_alloc_sp_mc(struct dp_mempool *mp)
{
	return ring_alloc(mp, DP_RING_F_SP_ENQ);
}

static void
ring_free(struct dp_mempool *mp)
{
	dp_ring_free(mp->pool_data);
	mp->pool_data = NULL;
}

/* The ring's default modes were set at alloc from the backend's name. */
static int
ring_enqueue(struct dp_mempool *mp, void *const *obj_table, unsigned int n)
{
	return dp_ring_enqueue_bulk(mp->pool_data, obj_table, n, NULL) == n ?
		0 : -ENOBUFS;
}

static int
ring_dequeue(struct dp_mempool *mp, void **obj_table, unsigned int n)
{
	return dp_ring_dequeue_bulk(mp->pool_data, obj_table, n, NULL) == n ?
		0 : -ENOENT;
}

static unsigned int
ring_get_count(const struct dp_mempool *mp)
{
	return dp_ring_count(mp->pool_data);
}

/* The four ring backends differ in name and in the modes of their ring. */
#define RING_OPS(var, opsname, alloc_fn) \
static const struct dp_mempool_ops var = { \
	.name = opsname, \
	.alloc = alloc_fn, \
	.free = ring_free, \
	.enqueue = ring_enqueue, \
	.dequeue = ring_dequeue, \
	.get_count = ring_get_count, \
};

RING_OPS(ops_ring_mp_mc, "ring_mp_mc", ring_alloc_mp_mc)
RING_OPS(ops_ring_sp_sc, "ring_sp_sc", ring_alloc_sp_sc)
RING_OPS(ops_ring_mp_sc, "ring_mp_sc", ring_alloc_mp_sc)
RING_OPS(ops_ring_sp_mc, "ring_sp_mc", ring_alloc_sp_mc)

bool
mempool_ops_is_ring(const struct dp_mempool_ops *ops)
{
	/*
	 * The inline path calls the ring directly; that is only right for
	 * a backend whose pool_data is a ring used in its default modes.
	 */
	return ops->enqueue == ring_enqueue && ops->dequeue == ring_dequeue;
}

DP_MEMPOOL_REGISTER_OPS(ops_ring_mp_mc)
DP_MEMPOOL_REGISTER_OPS(ops_ring_sp_sc)
DP_MEMPOOL_REGISTER_OPS(ops_ring_mp_sc)
DP_MEMPOOL_REGISTER_OPS(ops_ring_sp_mc)
