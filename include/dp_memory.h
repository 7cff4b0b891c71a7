/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DP_MEMORY_H
#define DP_MEMORY_H

/**
 * @file
 * EAL memory: the hugepage (or --no-huge 4 KB) memory every device-visible
 * object lives in, described as memory segments (memsegs). A memseg is a
 * run of pages that is contiguous both in virtual address and in IOVA and
 * sits on one NUMA socket. IOVA lookups are table lookups: no file is ever
 * read after dp_eal_init().
 */

#include <stdio.h>

#include <dp_common.h>
#include <dp_eal.h>

#ifdef __cplusplus
extern "C" {
#endif

/** One run of VA- and IOVA-contiguous pages on one socket. */
struct dp_memseg {
	void *addr;		/**< virtual address of the first byte */
	dp_iova_t iova;		/**< IOVA of the first byte */
	size_t len;		/**< length in bytes (a whole number of pages) */
	uint64_t hugepage_sz;	/**< page size: 4K (--no-huge), 2M or 1G */
	int socket_id;		/**< NUMA node of the pages */
	uint32_t nb_pages;	/**< pages in the run */
};

/**
 * Callback of dp_memseg_walk().
 *
 * @return
 *   0 to continue, a positive value to stop the walk (returned by the
 *   walk), a negative value to stop with an error.
 */
typedef int (*dp_memseg_walk_t)(const struct dp_memseg *ms, void *arg);

/**
 * Call @p fn on every memseg, in address order.
 *
 * @return
 *   0 when every memseg was visited, else what @p fn returned to stop.
 */
int dp_memseg_walk(dp_memseg_walk_t fn, void *arg);

/**
 * The memseg that contains @p addr.
 *
 * @return
 *   The memseg, or NULL if @p addr is not EAL memory.
 */
const struct dp_memseg *dp_mem_virt2memseg(const void *addr);

/**
 * IOVA of a virtual address in EAL memory (a lookup, never a file read).
 *
 * @return
 *   The IOVA, or DP_BAD_IOVA when @p addr is not EAL memory.
 */
dp_iova_t dp_mem_virt2iova(const void *addr);

/**
 * Virtual address of an IOVA in EAL memory.
 *
 * @return
 *   The address, or NULL when @p iova is not in EAL memory.
 */
void *dp_mem_iova2virt(dp_iova_t iova);

/**
 * Physical address of any mapped, present page of this process, read from
 * /proc/self/pagemap (needs CAP_SYS_ADMIN). A slow path for diagnostics
 * and tests; the data path uses dp_mem_virt2iova().
 *
 * @return
 *   The physical address, or DP_BAD_IOVA (dp_errno says why: EPERM
 *   without CAP_SYS_ADMIN, ENOENT for a page that is not present).
 */
dp_iova_t dp_mem_virt2phy(const void *addr);

/** Kinds of memory events. */
enum dp_mem_event {
	DP_MEM_EVENT_ALLOC,	/**< a memseg was added: map it for DMA */
	DP_MEM_EVENT_FREE,	/**< a memseg is about to be removed: unmap it */
};

/**
 * Memory event callback (the VFIO bus uses it to DMA-map memory).
 */
typedef void (*dp_mem_event_callback_t)(enum dp_mem_event event,
	const struct dp_memseg *ms, void *arg);

/**
 * Be told about memsegs added or removed from now on. Existing memsegs
 * are not replayed: walk them with dp_memseg_walk() first.
 *
 * @param name
 *   Identifies the registration (with @p arg) for unregistering.
 * @return
 *   0, -EEXIST for the same name and arg twice, -ENOMEM, -EINVAL.
 */
int dp_mem_event_callback_register(const char *name,
	dp_mem_event_callback_t cb, void *arg);

/**
 * Stop the callbacks registered with @p name and @p arg.
 *
 * @return
 *   0, or -ENOENT.
 */
int dp_mem_event_callback_unregister(const char *name, void *arg);

/** Total bytes of EAL memory (0 before dp_eal_init()). */
size_t dp_mem_total(void);

/**
 * Why the IOVA mode was chosen, e.g. "no device needs physical
 * addresses" or "forced by --iova-mode=pa" ("" before dp_eal_init()).
 */
const char *dp_mem_iova_reason(void);

/** One hugepage size the machine offers, as the kernel reports it now. */
struct dp_hugepage_info {
	uint64_t size;		/**< page size in bytes */
	unsigned int total;	/**< pages in the kernel pool (nr_hugepages) */
	unsigned int free;	/**< pages nobody holds or has reserved yet */
	unsigned int used;	/**< pages of this size this process maps */
	bool mounted;		/**< a hugetlbfs mount of this size exists */
};

/**
 * The hugepage sizes of the machine, smallest first, with their counts.
 * Reads sysfs and /proc/mounts (a slow path for tools and demos).
 *
 * @param info
 *   Filled with up to @p n sizes.
 * @return
 *   The number of sizes the machine offers (may exceed @p n; 0 when the
 *   kernel has no hugepage support).
 */
int dp_mem_hugepage_info(struct dp_hugepage_info *info, unsigned int n);

/**
 * Print the memory layout: what backs it (page size and files, memfd or
 * anonymous memory), every memseg with VA, IOVA, size, pages and socket,
 * the IOVA mode and why it was chosen.
 *
 * @param f
 *   Destination (stderr if NULL).
 */
void dp_mem_dump(FILE *f);

#ifdef __cplusplus
}
#endif

#endif /* DP_MEMORY_H */
