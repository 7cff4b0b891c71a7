/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DP_MALLOC_H
#define DP_MALLOC_H

/**
 * @file
 * Heap on EAL memory, one per NUMA socket. Memory from it has an IOVA
 * (dp_malloc_virt2iova()) but is only guaranteed IOVA-contiguous within
 * one page: use a memzone with DP_MEMZONE_IOVA_CONTIG for device rings.
 *
 * @p type arguments are a label for statistics and debugging; NULL is fine.
 * @p align is 0 (cache line) or a power of two.
 *
 * Every function is thread-safe (one lock: this is not a fast path; use a
 * mempool for per-packet objects). Failures return NULL with dp_errno set
 * (EINVAL: size 0, bad alignment or socket; ENOMEM: no room; ENODEV: the
 * EAL is not initialized) and log the reason.
 */

#include <stdio.h>

#include <dp_common.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Allocate on the calling lcore's socket (any socket if that one is full). */
void *dp_malloc(const char *type, size_t size, unsigned int align);
/** Same as dp_malloc(), zero-filled. */
void *dp_zmalloc(const char *type, size_t size, unsigned int align);
/** Zero-filled array of @p num elements of @p size bytes (overflow-checked). */
void *dp_calloc(const char *type, size_t num, size_t size, unsigned int align);
/**
 * Resize; the content up to the smaller size is kept. NULL @p ptr acts as
 * dp_malloc(). On failure (including @p size 0, which is refused rather
 * than freeing) the old block is left untouched and NULL returned.
 */
void *dp_realloc(void *ptr, size_t size, unsigned int align);

/**
 * Allocate on a given socket.
 *
 * @param socket
 *   NUMA node, or DP_SOCKET_ID_ANY. A node without EAL memory falls back
 *   to any node, with a warning (memory elsewhere beats no memory).
 * @return
 *   The memory, or NULL with dp_errno = ENOMEM, EINVAL or ENODEV.
 */
void *dp_malloc_socket(const char *type, size_t size, unsigned int align,
	int socket);
/** Same as dp_malloc_socket(), zero-filled. */
void *dp_zmalloc_socket(const char *type, size_t size, unsigned int align,
	int socket);
/** Same as dp_calloc() on a given socket. */
void *dp_calloc_socket(const char *type, size_t num, size_t size,
	unsigned int align, int socket);
/** Same as dp_realloc() on a given socket. */
void *dp_realloc_socket(void *ptr, size_t size, unsigned int align, int socket);

/**
 * Free memory from this heap. NULL is ignored. A pointer that is not a
 * live allocation (double free, foreign pointer) is logged as an error and
 * leaves the heap intact.
 */
void dp_free(void *ptr);

/** IOVA of memory from this heap (DP_BAD_IOVA for other pointers). */
dp_iova_t dp_malloc_virt2iova(const void *ptr);

/** Statistics of one socket's heap. */
struct dp_malloc_socket_stats {
	size_t heap_totalsz_bytes;	/**< bytes the heap manages */
	size_t heap_freesz_bytes;	/**< free bytes */
	size_t heap_allocsz_bytes;	/**< allocated bytes (with overhead) */
	size_t greatest_free_size;	/**< largest free block */
	unsigned int free_count;	/**< free blocks */
	unsigned int alloc_count;	/**< live allocations */
};

/**
 * Statistics of @p socket's heap.
 *
 * @return
 *   0, or -EINVAL for a socket without a heap.
 */
int dp_malloc_get_stats(int socket,
	struct dp_malloc_socket_stats *stats);

/** Print the statistics of every heap (stderr if @p f is NULL). */
void dp_malloc_dump_stats(FILE *f, const char *type);

#ifdef __cplusplus
}
#endif

#endif /* DP_MALLOC_H */
