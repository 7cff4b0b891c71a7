/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DP_RING_H
#define DP_RING_H

/**
 * @file
 * Rings: fixed-size lockless FIFOs of pointers or of elements of any size
 * that is a multiple of 4 bytes, for passing objects between threads
 * (mempool free lists, software queues between lcores, the ring PMD).
 *
 * A ring has a power-of-two number of slots and holds that many elements;
 * with DP_RING_F_EXACT_SZ it holds exactly the count asked for (the slot
 * table is rounded up to a power of two). Producers and consumers may each
 * be one thread (SP/SC: plain loads and stores) or several (MP/MC: a
 * compare-and-swap per operation). The mode is fixed at creation with
 * DP_RING_F_SP_ENQ / DP_RING_F_SC_DEQ and can be overridden on each call
 * with the sp_/mp_/sc_/mc_ variants. Operations come in two behaviours:
 * bulk (all n or nothing) and burst (as many as possible).
 *
 * Rings live in EAL memory under a name (dp_ring_create(), found again by
 * dp_ring_lookup()) or in memory the caller provides (dp_ring_get_memsize()
 * then dp_ring_init()).
 *
 * @code
 *   struct dp_ring *r = dp_ring_create("work", 1024, DP_SOCKET_ID_ANY,
 *           DP_RING_F_SP_ENQ | DP_RING_F_SC_DEQ);
 *   void *objs[32];
 *   unsigned int n = dp_ring_enqueue_burst(r, objs, 32, NULL);
 *   ...
 *   n = dp_ring_dequeue_burst(r, objs, 32, NULL);
 * @endcode
 *
 * The memory-ordering argument is in dp_ring_core.h and docs/ring.md.
 */

#include <stdio.h>
#include <sys/types.h>

#include <dp_common.h>
#include <dp_ring_core.h>
#include <dp_ring_elem.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The default enqueue mode is single-producer. */
#define DP_RING_F_SP_ENQ 0x0001u
/** The default dequeue mode is single-consumer. */
#define DP_RING_F_SC_DEQ 0x0002u
/**
 * The ring holds exactly the count given, which need not be a power of
 * two (the slot table is the next power of two).
 */
#define DP_RING_F_EXACT_SZ 0x0004u
/** Every flag dp_ring_init() and dp_ring_create() accept. */
#define DP_RING_F_ALL (DP_RING_F_SP_ENQ | DP_RING_F_SC_DEQ | DP_RING_F_EXACT_SZ)

/* ---- creation ------------------------------------------------------------ */

/**
 * Bytes needed for a ring of @p count elements of @p esize bytes
 * (structure and slot table).
 *
 * @param esize
 *   Element size: a non-zero multiple of 4.
 * @param count
 *   Elements: a power of two, or with DP_RING_F_EXACT_SZ any value from 1.
 *   At most DP_RING_SIZE_MAX.
 * @param flags
 *   DP_RING_F_* flags (only DP_RING_F_EXACT_SZ changes the size).
 * @return
 *   The size in bytes, or -EINVAL (logged) for a bad argument.
 */
ssize_t dp_ring_get_memsize_elem(unsigned int esize, unsigned int count,
	unsigned int flags);

/**
 * Bytes needed for a pointer ring; dp_ring_get_memsize_elem() with
 * esize = sizeof(void *).
 */
ssize_t dp_ring_get_memsize(unsigned int count, unsigned int flags);

/**
 * Initialize a ring in memory the caller owns. The ring is not registered
 * by name (dp_ring_lookup() will not find it) and is released by freeing
 * the memory, not with dp_ring_free().
 *
 * @param r
 *   At least dp_ring_get_memsize_elem() bytes, aligned to
 *   DP_CACHE_LINE_SIZE.
 * @param name
 *   Name shown by dp_ring_dump(): at most DP_RING_NAMESIZE - 1 characters.
 * @param esize
 *   Element size: a non-zero multiple of 4.
 * @param count
 *   Capacity (see dp_ring_get_memsize_elem()).
 * @param flags
 *   DP_RING_F_SP_ENQ, DP_RING_F_SC_DEQ, DP_RING_F_EXACT_SZ.
 * @return
 *   0, -EINVAL for a bad argument or a misaligned @p r, -ENAMETOOLONG for
 *   a name too long. Every error is logged.
 */
int dp_ring_init_elem(struct dp_ring *r, const char *name, unsigned int esize,
	unsigned int count, unsigned int flags);

/** dp_ring_init_elem() for a pointer ring. */
int dp_ring_init(struct dp_ring *r, const char *name, unsigned int count,
	unsigned int flags);

/**
 * Create a ring in EAL memory (a memzone named DP_RING_MZ_PREFIX + name),
 * findable with dp_ring_lookup(). Thread-safe.
 *
 * @param name
 *   Unique name, at most DP_RING_NAMESIZE - 1 characters.
 * @param esize
 *   Element size: a non-zero multiple of 4.
 * @param count
 *   Capacity (see dp_ring_get_memsize_elem()).
 * @param socket_id
 *   NUMA node for the memory, or DP_SOCKET_ID_ANY.
 * @param flags
 *   DP_RING_F_SP_ENQ, DP_RING_F_SC_DEQ, DP_RING_F_EXACT_SZ.
 * @return
 *   The ring, or NULL with dp_errno set (and a log line): EINVAL (bad
 *   argument), ENAMETOOLONG, EEXIST (a ring of that name exists), ENOMEM
 *   or another error of dp_memzone_reserve() (no EAL memory).
 */
struct dp_ring *dp_ring_create_elem(const char *name, unsigned int esize,
	unsigned int count, int socket_id, unsigned int flags);

/** dp_ring_create_elem() for a pointer ring. */
struct dp_ring *dp_ring_create(const char *name, unsigned int count,
	int socket_id, unsigned int flags);

/**
 * Find a ring made by dp_ring_create().
 *
 * @return
 *   The ring, or NULL with dp_errno = ENOENT (none of that name) or EINVAL
 *   (NULL name).
 */
struct dp_ring *dp_ring_lookup(const char *name);

/**
 * Destroy a ring made by dp_ring_create() and release its memory. No
 * thread may use the ring any more. NULL is ignored; a ring made by
 * dp_ring_init() is left alone (logged: free its memory instead).
 */
void dp_ring_free(struct dp_ring *r);

/**
 * Empty the ring. Not thread-safe: nobody may use the ring meanwhile.
 */
void dp_ring_reset(struct dp_ring *r);

/**
 * Print the ring's settings and indexes.
 *
 * @param f
 *   Destination; stderr if NULL.
 * @param r
 *   The ring.
 */
void dp_ring_dump(FILE *f, const struct dp_ring *r);

/* ---- state --------------------------------------------------------------- */

/**
 * Elements in the ring. Exact when nobody is using it; while producers or
 * consumers run, a value the ring held at some moment during the call.
 */
static inline unsigned int
dp_ring_count(const struct dp_ring *r)
{
	/*
	 * cons.tail first: prod.tail, read later, can only be further
	 * ahead, so the difference never goes below zero; it may exceed
	 * the capacity if producers moved meanwhile, hence the clamp.
	 */
	uint32_t cons_tail = __atomic_load_n(&r->cons.tail, __ATOMIC_ACQUIRE);
	uint32_t prod_tail = __atomic_load_n(&r->prod.tail, __ATOMIC_ACQUIRE);
	uint32_t count = prod_tail - cons_tail;

	return count > r->capacity ? r->capacity : count;
}

/** Free slots: capacity minus dp_ring_count(). */
static inline unsigned int
dp_ring_free_count(const struct dp_ring *r)
{
	return r->capacity - dp_ring_count(r);
}

/** Is the ring full? (1 or 0) */
static inline int
dp_ring_full(const struct dp_ring *r)
{
	return dp_ring_free_count(r) == 0;
}

/** Is the ring empty? (1 or 0) */
static inline int
dp_ring_empty(const struct dp_ring *r)
{
	uint32_t cons_tail = __atomic_load_n(&r->cons.tail, __ATOMIC_ACQUIRE);
	uint32_t prod_tail = __atomic_load_n(&r->prod.tail, __ATOMIC_ACQUIRE);

	return cons_tail == prod_tail;
}

/** Most elements the ring holds. */
static inline unsigned int
dp_ring_get_capacity(const struct dp_ring *r)
{
	return r->capacity;
}

/** Number of slots in the table (a power of two, >= capacity). */
static inline unsigned int
dp_ring_get_size(const struct dp_ring *r)
{
	return r->size;
}

/** Element size in bytes. */
static inline unsigned int
dp_ring_get_esize(const struct dp_ring *r)
{
	return r->esize;
}

/** Flags given at creation. */
static inline unsigned int
dp_ring_get_flags(const struct dp_ring *r)
{
	return r->flags;
}

/** Name given at creation. */
static inline const char *
dp_ring_get_name(const struct dp_ring *r)
{
	return r->name;
}

/* ---- pointer rings ------------------------------------------------------------
 *
 * The same operations for rings of pointers (created with dp_ring_create(),
 * dp_ring_init(), or esize = sizeof(void *)). Semantics as the _elem
 * functions in dp_ring_elem.h.
 */

/** Enqueue @p n pointers, all or none, several producers. @return n or 0. */
static __dp_always_inline unsigned int
dp_ring_mp_enqueue_bulk(struct dp_ring *r, void *const *obj_table,
	unsigned int n, unsigned int *free_space)
{
	return dp_ring_mp_enqueue_bulk_elem(r, obj_table, sizeof(void *), n,
		free_space);
}

/** Enqueue @p n pointers, all or none, single producer. @return n or 0. */
static __dp_always_inline unsigned int
dp_ring_sp_enqueue_bulk(struct dp_ring *r, void *const *obj_table,
	unsigned int n, unsigned int *free_space)
{
	return dp_ring_sp_enqueue_bulk_elem(r, obj_table, sizeof(void *), n,
		free_space);
}

/** Enqueue @p n pointers, all or none, default mode. @return n or 0. */
static __dp_always_inline unsigned int
dp_ring_enqueue_bulk(struct dp_ring *r, void *const *obj_table,
	unsigned int n, unsigned int *free_space)
{
	return dp_ring_enqueue_bulk_elem(r, obj_table, sizeof(void *), n,
		free_space);
}

/** Enqueue up to @p n pointers, several producers. @return 0..n. */
static __dp_always_inline unsigned int
dp_ring_mp_enqueue_burst(struct dp_ring *r, void *const *obj_table,
	unsigned int n, unsigned int *free_space)
{
	return dp_ring_mp_enqueue_burst_elem(r, obj_table, sizeof(void *), n,
		free_space);
}

/** Enqueue up to @p n pointers, single producer. @return 0..n. */
static __dp_always_inline unsigned int
dp_ring_sp_enqueue_burst(struct dp_ring *r, void *const *obj_table,
	unsigned int n, unsigned int *free_space)
{
	return dp_ring_sp_enqueue_burst_elem(r, obj_table, sizeof(void *), n,
		free_space);
}

/** Enqueue up to @p n pointers, default mode. @return 0..n. */
static __dp_always_inline unsigned int
dp_ring_enqueue_burst(struct dp_ring *r, void *const *obj_table,
	unsigned int n, unsigned int *free_space)
{
	return dp_ring_enqueue_burst_elem(r, obj_table, sizeof(void *), n,
		free_space);
}

/** Enqueue one pointer, several producers. @return 0 or -ENOBUFS. */
static __dp_always_inline int
dp_ring_mp_enqueue(struct dp_ring *r, void *obj)
{
	return dp_ring_mp_enqueue_elem(r, &obj, sizeof(void *));
}

/** Enqueue one pointer, single producer. @return 0 or -ENOBUFS. */
static __dp_always_inline int
dp_ring_sp_enqueue(struct dp_ring *r, void *obj)
{
	return dp_ring_sp_enqueue_elem(r, &obj, sizeof(void *));
}

/** Enqueue one pointer, default mode. @return 0 or -ENOBUFS. */
static __dp_always_inline int
dp_ring_enqueue(struct dp_ring *r, void *obj)
{
	return dp_ring_enqueue_elem(r, &obj, sizeof(void *));
}

/** Dequeue @p n pointers, all or none, several consumers. @return n or 0. */
static __dp_always_inline unsigned int
dp_ring_mc_dequeue_bulk(struct dp_ring *r, void **obj_table, unsigned int n,
	unsigned int *available)
{
	return dp_ring_mc_dequeue_bulk_elem(r, obj_table, sizeof(void *), n,
		available);
}

/** Dequeue @p n pointers, all or none, single consumer. @return n or 0. */
static __dp_always_inline unsigned int
dp_ring_sc_dequeue_bulk(struct dp_ring *r, void **obj_table, unsigned int n,
	unsigned int *available)
{
	return dp_ring_sc_dequeue_bulk_elem(r, obj_table, sizeof(void *), n,
		available);
}

/** Dequeue @p n pointers, all or none, default mode. @return n or 0. */
static __dp_always_inline unsigned int
dp_ring_dequeue_bulk(struct dp_ring *r, void **obj_table, unsigned int n,
	unsigned int *available)
{
	return dp_ring_dequeue_bulk_elem(r, obj_table, sizeof(void *), n,
		available);
}

/** Dequeue up to @p n pointers, several consumers. @return 0..n. */
static __dp_always_inline unsigned int
dp_ring_mc_dequeue_burst(struct dp_ring *r, void **obj_table, unsigned int n,
	unsigned int *available)
{
	return dp_ring_mc_dequeue_burst_elem(r, obj_table, sizeof(void *), n,
		available);
}

/** Dequeue up to @p n pointers, single consumer. @return 0..n. */
static __dp_always_inline unsigned int
dp_ring_sc_dequeue_burst(struct dp_ring *r, void **obj_table, unsigned int n,
	unsigned int *available)
{
	return dp_ring_sc_dequeue_burst_elem(r, obj_table, sizeof(void *), n,
		available);
}

/** Dequeue up to @p n pointers, default mode. @return 0..n. */
static __dp_always_inline unsigned int
dp_ring_dequeue_burst(struct dp_ring *r, void **obj_table, unsigned int n,
	unsigned int *available)
{
	return dp_ring_dequeue_burst_elem(r, obj_table, sizeof(void *), n,
		available);
}

/** Dequeue one pointer, several consumers. @return 0 or -ENOENT. */
static __dp_always_inline int
dp_ring_mc_dequeue(struct dp_ring *r, void **obj_p)
{
	return dp_ring_mc_dequeue_elem(r, obj_p, sizeof(void *));
}

/** Dequeue one pointer, single consumer. @return 0 or -ENOENT. */
static __dp_always_inline int
dp_ring_sc_dequeue(struct dp_ring *r, void **obj_p)
{
	return dp_ring_sc_dequeue_elem(r, obj_p, sizeof(void *));
}

/** Dequeue one pointer, default mode. @return 0 or -ENOENT. */
static __dp_always_inline int
dp_ring_dequeue(struct dp_ring *r, void **obj_p)
{
	return dp_ring_dequeue_elem(r, obj_p, sizeof(void *));
}

/**
 * Reserve @p n pointer slots for writing in place, all or none (see the
 * zero-copy section of dp_ring_elem.h). @return n or 0.
 */
static __dp_always_inline unsigned int
dp_ring_enqueue_zc_bulk_start(struct dp_ring *r, unsigned int n,
	struct dp_ring_zc_data *zcd, unsigned int *free_space)
{
	return dp_ring_enqueue_zc_bulk_elem_start(r, sizeof(void *), n, zcd,
		free_space);
}

/** Reserve up to @p n pointer slots for writing in place. @return 0..n. */
static __dp_always_inline unsigned int
dp_ring_enqueue_zc_burst_start(struct dp_ring *r, unsigned int n,
	struct dp_ring_zc_data *zcd, unsigned int *free_space)
{
	return dp_ring_enqueue_zc_burst_elem_start(r, sizeof(void *), n, zcd,
		free_space);
}

/** Reserve @p n pointers for reading in place, all or none. @return n or 0. */
static __dp_always_inline unsigned int
dp_ring_dequeue_zc_bulk_start(struct dp_ring *r, unsigned int n,
	struct dp_ring_zc_data *zcd, unsigned int *available)
{
	return dp_ring_dequeue_zc_bulk_elem_start(r, sizeof(void *), n, zcd,
		available);
}

/** Reserve up to @p n pointers for reading in place. @return 0..n. */
static __dp_always_inline unsigned int
dp_ring_dequeue_zc_burst_start(struct dp_ring *r, unsigned int n,
	struct dp_ring_zc_data *zcd, unsigned int *available)
{
	return dp_ring_dequeue_zc_burst_elem_start(r, sizeof(void *), n, zcd,
		available);
}

#ifdef __cplusplus
}
#endif

#endif /* DP_RING_H */
