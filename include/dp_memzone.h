/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DP_MEMZONE_H
#define DP_MEMZONE_H

/**
 * @file
 * Memzones: named, aligned reservations of EAL memory with a known IOVA.
 * Descriptor rings and other memory a device reads take
 * DP_MEMZONE_IOVA_CONTIG, which guarantees the whole zone is contiguous in
 * IOVA space (a plain zone may span pages whose IOVAs are not adjacent).
 */

#include <stdio.h>

#include <dp_common.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Longest memzone name, NUL included. */
#define DP_MEMZONE_NAMESIZE 32

/** The zone must be contiguous in IOVA space. */
#define DP_MEMZONE_IOVA_CONTIG 0x00100000u

/** A reserved zone. */
struct dp_memzone {
	char name[DP_MEMZONE_NAMESIZE];	/**< unique name */
	void *addr;			/**< virtual address */
	dp_iova_t iova;			/**< IOVA of the first byte */
	size_t len;			/**< length in bytes */
	uint64_t hugepage_sz;		/**< page size of the memory under it */
	int socket_id;			/**< NUMA node */
	unsigned int flags;		/**< flags given at reservation */
};

/**
 * Reserve a zone aligned to a cache line.
 *
 * @param name
 *   Unique name (at most DP_MEMZONE_NAMESIZE - 1 characters).
 * @param len
 *   Length in bytes, > 0.
 * @param socket_id
 *   NUMA node, or DP_SOCKET_ID_ANY. A node without EAL memory falls back
 *   to any node, with a warning.
 * @param flags
 *   0 or DP_MEMZONE_IOVA_CONTIG.
 * @return
 *   The zone, or NULL with dp_errno set and the reason logged: EEXIST
 *   (name taken), EINVAL (bad name, length, socket, flags or alignment),
 *   ENOMEM (no room), ENOSPC (too many zones), ENODEV (the EAL is not
 *   initialized). Thread-safe.
 */
const struct dp_memzone *dp_memzone_reserve(const char *name, size_t len,
	int socket_id, unsigned int flags);

/**
 * Same as dp_memzone_reserve() with an alignment.
 *
 * @param align
 *   A power of two (0: a cache line); the zone's address and IOVA are
 *   multiples of it.
 */
const struct dp_memzone *dp_memzone_reserve_aligned(const char *name,
	size_t len, int socket_id, unsigned int flags, unsigned int align);

/**
 * Find a zone by name.
 *
 * @return
 *   The zone, or NULL (dp_errno = ENOENT).
 */
const struct dp_memzone *dp_memzone_lookup(const char *name);

/**
 * Release a zone.
 *
 * @return
 *   0, or -EINVAL if @p mz is not a reserved zone.
 */
int dp_memzone_free(const struct dp_memzone *mz);

/** Call @p fn on every reserved zone. */
void dp_memzone_walk(void (*fn)(const struct dp_memzone *mz, void *arg),
	void *arg);

/** Print every reserved zone (stderr if @p f is NULL). */
void dp_memzone_dump(FILE *f);

#ifdef __cplusplus
}
#endif

#endif /* DP_MEMZONE_H */
