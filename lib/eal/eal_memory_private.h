/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef EAL_MEMORY_PRIVATE_H
#define EAL_MEMORY_PRIVATE_H

/*
 * Internal state of EAL memory shared by its files: hugepage discovery,
 * the mapped pages and memsegs, the heap and memzones. Not installed.
 *
 * The layout is fixed between dp_eal_init() and dp_eal_cleanup(), so the
 * lookups (virt2iova, iova2virt, virt2memseg) read the tables without a
 * lock. Everything that changes after init (heap, memzones, callbacks)
 * takes eal_mem_lock.
 */

#include <limits.h>
#include <pthread.h>
#include <stdio.h>

#include <dp_memory.h>
#include <dp_memzone.h>
#include <dp_malloc.h>

#include "eal_private.h"

/* ---- hugepage discovery (eal_hugepage_info.c) ------------------------- */

/* Most page sizes a machine offers (x86: 2M and 1G; arm64: up to 4). */
#define EAL_HUGEPAGE_SIZES_MAX 8

/* One hugepage size as the kernel reports it. */
struct eal_hugepage_size {
	uint64_t size;			/* bytes */
	unsigned int nr;		/* nr_hugepages */
	unsigned int free;		/* free_hugepages */
	unsigned int resv;		/* resv_hugepages: promised, not faulted */
	unsigned int node_nr[DP_MAX_NUMA_NODES];
	unsigned int node_free[DP_MAX_NUMA_NODES];
	char mount[PATH_MAX];		/* first hugetlbfs mount, "" if none */
};

/* What the machine offers, read from sysfs, /proc/mounts, /proc/meminfo. */
struct eal_hugepage_info {
	unsigned int nb_sizes;
	struct eal_hugepage_size sizes[EAL_HUGEPAGE_SIZES_MAX];	/* ascending */
	uint64_t default_size;		/* Hugepagesize of /proc/meminfo, 0 = none */
	uint64_t nodes;			/* bit n set: NUMA node n exists */
	bool per_node;			/* node*_free are known */
};

/* Where discovery reads from (tests point these at a fake tree). */
struct eal_hugepage_paths {
	const char *sys;		/* "/sys" */
	const char *mounts;		/* "/proc/mounts" */
	const char *meminfo;		/* "/proc/meminfo" */
};

extern const struct eal_hugepage_paths eal_hugepage_default_paths;

int eal_hugepage_info_read(struct eal_hugepage_info *hi,
	const struct eal_hugepage_paths *paths);
struct eal_hugepage_size *eal_hugepage_find(struct eal_hugepage_info *hi,
	uint64_t size);
/* Pages of a size that can still be taken: free minus reserved. */
unsigned int eal_hugepage_available(const struct eal_hugepage_size *hs);
/* "2048kB" (the kernel's spelling, used in sysfs paths and messages). */
void eal_format_kb(uint64_t bytes, char *buf, size_t len);
/* "2 MB", "1 GB", "4 KB", "300 MB": for people. */
void eal_format_size(uint64_t bytes, char *buf, size_t len);

/* ---- pages and memsegs (eal_memory.c, eal_memseg.c) ------------------- */

/* One mapped hugepage. --no-huge memory keeps no page table. */
struct eal_page {
	dp_iova_t iova;		/* physical address (PA mode) or VA */
	int fd;			/* hugetlbfs file or memfd; -1 when none */
	int file_no;		/* n of <prefix>map_<n>; -1 for a memfd */
	int socket;		/* NUMA node the page really sits on */
	uint32_t seg;		/* index of the memseg that holds it */
};

struct eal_mem {
	bool ready;		/* lookups may be served */
	bool no_huge;
	bool in_memory;		/* memfd: no file in any directory */
	void *base;		/* the reserved VA area */
	size_t len;		/* its length (pages * page_sz) */
	uint64_t page_sz;
	unsigned int page_shift;
	unsigned int nb_pages;	/* hugepages mapped (0 with --no-huge) */
	unsigned int nb_pages_max;	/* size of pages[] */
	struct eal_page *pages;
	char dir[PATH_MAX];	/* hugetlbfs directory of the files */
	char prefix[EAL_FILE_PREFIX_MAX];	/* --file-prefix of the files */
	struct dp_memseg *segs;	/* address order */
	unsigned int nb_segs;
	uint32_t *segs_by_iova;	/* indices into segs, IOVA order */
	bool segs_announced;	/* ALLOC callbacks have been fired */
	char source[PATH_MAX + EAL_FILE_PREFIX_MAX + 96];	/* for dumps */
};

extern struct eal_mem eal_mem;

/* Tests: act as if the pool ran dry after this many pages (0: never). */
extern unsigned int eal_mem_test_dry_after;

/* Guards the heap, the memzones and the callback list. */
extern pthread_mutex_t eal_mem_lock;

/* Is @p p inside the VA area? */
static inline bool
eal_mem_contains(const void *p)
{
	return __atomic_load_n(&eal_mem.ready, __ATOMIC_ACQUIRE) &&
		(uintptr_t)p >= (uintptr_t)eal_mem.base &&
		(uintptr_t)p - (uintptr_t)eal_mem.base < eal_mem.len;
}

/* Build memsegs from the page table (or the whole --no-huge area). */
int eal_memseg_build(int no_huge_socket);
void eal_memseg_clear(void);
void eal_mem_event_fire(enum dp_mem_event ev);

/* pagemap: physical address of a present page, using an open fd. */
int eal_pagemap_read(int fd, const void *va, uint64_t *pa);

/* ---- heap (eal_malloc_heap.c) ------------------------------------------ */

struct malloc_heap;

int eal_heap_add_region(int socket, void *start, size_t len);
void eal_heap_reset(void);
struct malloc_heap *eal_heap_of_socket(int socket);
/* Allocation flags of eal_heap_alloc(). */
#define EAL_HEAP_CONTIG		0x1u	/* data must lie in one memseg */
#define EAL_HEAP_MEMZONE	0x2u	/* owned by a memzone: dp_free refuses */
void *eal_heap_alloc(struct malloc_heap *heap, size_t size, size_t align,
	unsigned int flags);
/*
 * 0, or -EINVAL with the error logged (caller name in the message).
 * A memzone's memory is only freed when @p zone_free says it is one.
 */
int eal_heap_free(void *ptr, const char *caller, bool zone_free);
/* Size of a live dp_malloc block (data bytes usable), 0 if not one. */
size_t eal_heap_usable_size(const void *ptr);
/* Grow or shrink in place; 0 if done, -ENOMEM if it cannot. */
int eal_heap_resize(void *ptr, size_t size);
int eal_heap_socket_of(const void *ptr);
/* Is @p ptr the start of a memzone's memory (which only its memzone frees)? */
bool eal_heap_is_memzone(const void *ptr);
void eal_heap_stats(const struct malloc_heap *heap,
	struct dp_malloc_socket_stats *st);
/* Largest block eal_heap_alloc() could return with these constraints. */
size_t eal_heap_largest_fit(const struct malloc_heap *heap, size_t align,
	unsigned int flags);
/*
 * Allocate on @p socket (DP_SOCKET_ID_ANY: the caller's socket first,
 * then any). A socket without memory falls back to any with a warning.
 * NULL with dp_errno set and the reason logged, @p what naming the caller.
 */
void *eal_heap_alloc_on(int socket, size_t size, size_t align,
	unsigned int flags, const char *what);
/* Next heap after @p prev (NULL to start), socket order. */
struct malloc_heap *eal_heap_next(struct malloc_heap *prev);
int eal_heap_socket(const struct malloc_heap *heap);

/* ---- memzones (eal_memzone.c) ----------------------------------------- */

void eal_memzone_reset(void);

#endif /* EAL_MEMORY_PRIVATE_H */
