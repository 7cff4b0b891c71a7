/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef MEMPOOL_PRIVATE_H
#define MEMPOOL_PRIVATE_H

/*
 * Internals shared by the mempool files and its unit tests. Not installed.
 */

#include <dp_log.h>
#include <dp_mempool.h>

extern int dp_logtype_mempool;

/* Memzone name of the memory chunks of a pool: "MPM<idx>_<pool name>". */
#define MEMPOOL_CHUNK_MZ_FMT "MPM%u_%s"
/* Most memory zones one pool may use. */
#define MEMPOOL_MAX_ZONES 999

/*
 * How many bytes from @va on are contiguous in IOVA space, at most @max;
 * *iova receives the IOVA of @va. 0 when @va is not EAL memory.
 */
typedef size_t (*mempool_contig_fn_t)(const void *va, size_t max,
	dp_iova_t *iova);

/*
 * Test hook: replace the IOVA lookup populate uses (NULL restores the
 * memseg lookup). Lets a unit test build memory whose pages are not
 * IOVA-contiguous without hugepages in PA mode.
 */
void mempool_set_contig_fn(mempool_contig_fn_t fn);

/* True for the built-in ring backends (inline fast path). */
bool mempool_ops_is_ring(const struct dp_mempool_ops *ops);

/* Backend calls through the table (slow path). */
int mempool_ops_alloc(struct dp_mempool *mp);
void mempool_ops_free(struct dp_mempool *mp);
unsigned int mempool_ops_get_count(const struct dp_mempool *mp);

#endif /* MEMPOOL_PRIVATE_H */
