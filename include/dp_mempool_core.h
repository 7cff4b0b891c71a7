/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DP_MEMPOOL_CORE_H
#define DP_MEMPOOL_CORE_H

/**
 * @file
 * @internal
 * Mempool internals the inline fast path needs: the pool, cache and
 * object-header structures, the ops table and the cache get/put code.
 * Applications include dp_mempool.h and use the dp_mempool_* functions;
 * the __dp_mempool_* names and the structure layouts may change between
 * releases.
 *
 * Memory of one object (element), header and trailer included:
 *
 * @verbatim
 *   | header_size          | elt_size               | trailer_size |
 *   | ... dp_mempool_objhdr| object (what get hands)| cookie (dbg) |
 *   ^ element start        ^ obj                                  ^ + total
 * @endverbatim
 *
 * The header ends right where the object starts, so the header of any
 * object is one subtraction away; it holds the object's IOVA, written once
 * at populate time.
 */

#include <stdio.h>
#include <string.h>
#include <sys/queue.h>

#include <dp_common.h>
#include <dp_lcore.h>
#include <dp_ring.h>

#ifdef __cplusplus
extern "C" {
#endif

struct dp_memzone;

/** Longest pool name, NUL included (the ring behind it is "MP_" + name). */
#define DP_MEMPOOL_NAMESIZE 24
/** Memzone and ring name prefix of a pool. */
#define DP_MEMPOOL_MZ_PREFIX "MP_"
/** Largest per-lcore cache a pool may ask for. */
#define DP_MEMPOOL_CACHE_MAX_SIZE 512
/** Longest ops name, NUL included. */
#define DP_MEMPOOL_OPS_NAMESIZE 32
/** Most ops (backends) that can be registered. */
#define DP_MEMPOOL_MAX_OPS_IDX 16

/** @internal Set on a pool whose backend is one of the built-in rings. */
#define __DP_MEMPOOL_F_RING_OPS 0x10000u
/** @internal Set once the backend's alloc() has run. */
#define __DP_MEMPOOL_F_POOL_CREATED 0x20000u
/** @internal Flags only the library sets. */
#define __DP_MEMPOOL_F_INTERNAL (__DP_MEMPOOL_F_RING_OPS | \
	__DP_MEMPOOL_F_POOL_CREATED)

#if DP_MEMPOOL_DEBUG
/** @internal Header cookie of an object in the pool (free). */
#define __DP_MEMPOOL_COOKIE_FREE 0xf2eef2eef2eef2eeull
/** @internal Header cookie of an object handed out (allocated). */
#define __DP_MEMPOOL_COOKIE_ALLOC 0xa110ca7eda110ca7ull
/** @internal Trailer cookie, checked for overwrites past the object. */
#define __DP_MEMPOOL_COOKIE_TRAILER 0x7a11e7c00c1e7a11ull
#endif

/**
 * Header in front of every object. Written at populate time, read by
 * dp_mempool_virt2iova() and the iterators; never touched by get/put
 * (except the debug cookie).
 */
struct dp_mempool_objhdr {
	/** Next object of the pool, in population order (dp_mempool_obj_iter). */
	struct dp_mempool_objhdr *next;
	/** Pool the object belongs to. */
	struct dp_mempool *mp;
	/** IOVA of the object's first byte (DP_BAD_IOVA if it has none). */
	dp_iova_t iova;
#if DP_MEMPOOL_DEBUG
	/** __DP_MEMPOOL_COOKIE_FREE or __DP_MEMPOOL_COOKIE_ALLOC. */
	uint64_t cookie;
#endif
};

/**
 * One piece of pool memory that is contiguous in VA and in IOVA
 * (dp_mempool_mem_iter() hands these out, e.g. to DMA-map them).
 */
struct dp_mempool_memhdr {
	STAILQ_ENTRY(dp_mempool_memhdr) next;	/**< next chunk */
	struct dp_mempool *mp;	/**< pool it belongs to */
	void *addr;		/**< first byte */
	dp_iova_t iova;		/**< IOVA of addr (DP_BAD_IOVA: not contiguous) */
	size_t len;		/**< bytes */
	/** Memzone to release with the chunk (only the first chunk of a zone). */
	const struct dp_memzone *mz;
};

/** @internal List of memory chunks. */
STAILQ_HEAD(dp_mempool_memhdr_list, dp_mempool_memhdr);

/**
 * Per-lcore cache: a LIFO stack of free objects in front of the backend.
 * One per EAL lcore in every pool with a cache; applications threads that
 * are not EAL lcores make their own with dp_mempool_cache_create().
 */
struct dp_mempool_cache {
	/** Objects the cache keeps after a flush (the cache size asked for). */
	uint32_t size;
	/** A put that leaves more than this flushes the excess over size. */
	uint32_t flushthresh;
	/** Objects in objs[] now. */
	uint32_t len;
	/** Slots in objs[]: flushthresh + size. */
	uint32_t capacity;
	/** The stack; objs[len - 1] is the most recently put object. */
	void *objs[] __dp_cache_aligned;
};

/**
 * A mempool. Created with dp_mempool_create() (or in steps with
 * dp_mempool_create_empty(), dp_mempool_set_ops_byname(),
 * dp_mempool_populate_default()); read the fields through the dp_mempool_*
 * functions. The private area (dp_mempool_get_priv()) follows the
 * structure, the per-lcore caches follow the private area, all in the
 * memzone DP_MEMPOOL_MZ_PREFIX + name.
 */
struct dp_mempool {
	/** Name, unique among pools. */
	char name[DP_MEMPOOL_NAMESIZE] __dp_cache_aligned;
	/** Backend state (the ring for the ring backends). */
	void *pool_data;
	/** Backend configuration given to dp_mempool_set_ops_byname(). */
	void *pool_config;
	/** DP_MEMPOOL_F_* flags given at creation, plus internal ones. */
	uint32_t flags;
	/** Index of the backend in dp_mempool_ops_table. */
	int32_t ops_index;
	/** Number of objects the pool holds once populated. */
	uint32_t size;
	/** Per-lcore cache size (0: no cache). */
	uint32_t cache_size;
	/** Object size asked for, rounded as the flags say. */
	uint32_t elt_size;
	/** Bytes in front of each object (dp_mempool_objhdr and padding). */
	uint32_t header_size;
	/** Bytes after each object (debug cookie and padding). */
	uint32_t trailer_size;
	/** Size of the private area behind the structure. */
	uint32_t private_data_size;
	/** NUMA socket of the memory (DP_SOCKET_ID_ANY if any). */
	int socket_id;
	/** Objects populated so far. */
	uint32_t populated_size;
	/** Number of entries in mem_list. */
	uint32_t nb_mem_chunks;
	/** Memory chunks (VA- and IOVA-contiguous runs). */
	struct dp_mempool_memhdr_list mem_list;
	/** First object, in population order. */
	struct dp_mempool_objhdr *obj_head;
	/** Last object (where populate appends). */
	struct dp_mempool_objhdr *obj_tail;
	/** Memzone holding this structure, the private area and the caches. */
	const struct dp_memzone *mz;
	/**
	 * Cache of each lcore, indexed by dp_lcore_id(); NULL for lcores
	 * that are not enabled and for every lcore when cache_size is 0.
	 */
	struct dp_mempool_cache *local_cache[DP_MAX_LCORE] __dp_cache_aligned;
};

/* ---- ops (backends) ------------------------------------------------------- */

/**
 * A backend: where objects live while no cache holds them. Called with
 * the pool; the backend keeps its state in mp->pool_data.
 */
struct dp_mempool_ops {
	/** Name used by dp_mempool_set_ops_byname(). */
	char name[DP_MEMPOOL_OPS_NAMESIZE];
	/** Create the backend for mp->size objects. 0 or a negative errno. */
	int (*alloc)(struct dp_mempool *mp);
	/** Release what alloc() created. */
	void (*free)(struct dp_mempool *mp);
	/** Store @p n objects, all or none: 0 or a negative errno. */
	int (*enqueue)(struct dp_mempool *mp, void *const *obj_table,
		unsigned int n);
	/** Take @p n objects, all or none: 0 or -ENOENT. */
	int (*dequeue)(struct dp_mempool *mp, void **obj_table,
		unsigned int n);
	/** Objects the backend holds now. */
	unsigned int (*get_count)(const struct dp_mempool *mp);
};

/** Every registered backend; a pool stores an index into ops[]. */
struct dp_mempool_ops_table {
	uint32_t num_ops;	/**< registered entries */
	/** The backends, in registration order. */
	struct dp_mempool_ops ops[DP_MEMPOOL_MAX_OPS_IDX];
};

/** @internal The backend registry. */
extern struct dp_mempool_ops_table dp_mempool_ops_table;

/** @internal The backend of a pool. */
static __dp_always_inline const struct dp_mempool_ops *
__dp_mempool_get_ops(const struct dp_mempool *mp)
{
	return &dp_mempool_ops_table.ops[mp->ops_index];
}

/**
 * @internal
 * Take @p n objects from the backend, all or none. The built-in ring
 * backends are called inline (no indirect call: the ring's own default
 * mode, chosen from the pool flags, selects SC or MC); others through the
 * table.
 */
static __dp_always_inline int
__dp_mempool_ops_dequeue(struct dp_mempool *mp, void **obj_table,
	unsigned int n)
{
	if (likely(mp->flags & __DP_MEMPOOL_F_RING_OPS))
		return dp_ring_dequeue_bulk((struct dp_ring *)mp->pool_data,
			obj_table, n, NULL) == n ? 0 : -ENOENT;
	return __dp_mempool_get_ops(mp)->dequeue(mp, obj_table, n);
}

/** @internal Give @p n objects back to the backend. */
static __dp_always_inline int
__dp_mempool_ops_enqueue(struct dp_mempool *mp, void *const *obj_table,
	unsigned int n)
{
	if (likely(mp->flags & __DP_MEMPOOL_F_RING_OPS))
		return dp_ring_enqueue_bulk((struct dp_ring *)mp->pool_data,
			obj_table, n, NULL) == n ? 0 : -ENOBUFS;
	return __dp_mempool_get_ops(mp)->enqueue(mp, obj_table, n);
}

/* ---- object header ------------------------------------------------------- */

/** @internal Header of an object. */
static __dp_always_inline struct dp_mempool_objhdr *
__dp_mempool_get_header(const void *obj)
{
	return (struct dp_mempool_objhdr *)(uintptr_t)obj - 1;
}

#if DP_MEMPOOL_DEBUG
/**
 * @internal
 * Debug builds: check and flip the cookies of objects leaving (is_get) or
 * entering the pool. Every bad object (double free, object of another
 * pool, overwritten header or trailer) is logged. A get always returns
 * @p n. A put returns @p n when every object is good; otherwise it puts
 * the good objects back itself, keeps the bad ones out of the pool (so a
 * double free never hands one object out twice) and returns 0.
 */
unsigned int __dp_mempool_check_cookies(struct dp_mempool *mp,
	void *const *obj_table, unsigned int n, int is_get);
#endif

/* ---- cache ------------------------------------------------------------------ */

/**
 * @internal
 * Copy @p n object pointers. A constant @p n (bulk 1, 32, ...) becomes
 * straight-line moves. A run-time @p n gets a plain loop, which the
 * compiler vectorizes with a scalar remainder: measured, it costs a
 * single-object get+put half of what a ladder of 64/32/16/8-byte copies
 * does (each step a branch and, for n = 1, all of them taken in turn).
 */
static __dp_always_inline void
__dp_mempool_copy_ptrs(void **dst, void *const *src, unsigned int n)
{
	if (__builtin_constant_p(n)) {
		__builtin_memcpy(dst, src, (size_t)n * sizeof(void *));
		return;
	}
	for (unsigned int i = 0; i < n; i++)
		dst[i] = src[i];
}

/**
 * @internal
 * Cache miss of a get: refill the cache from the backend and hand out
 * @p n objects (n > size: the backend was short, add the cache's own
 * objects). Out of line: it runs once per cache-size worth of gets.
 */
int __dp_mempool_cache_get_slow(struct dp_mempool *mp,
	struct dp_mempool_cache *cache, void **obj_table, unsigned int n);

/**
 * @internal
 * The cache went over its flush threshold: give everything above size
 * back to the backend.
 */
void __dp_mempool_cache_flush_excess(struct dp_mempool *mp,
	struct dp_mempool_cache *cache);

/**
 * @internal
 * Get @p n objects through @p cache (may be NULL): all or none.
 */
static __dp_always_inline int
__dp_mempool_do_get(struct dp_mempool *mp, void **obj_table, unsigned int n,
	struct dp_mempool_cache *cache)
{
	int ret;

	/*
	 * A cache always has a size of at least 1, so a constant n of 1
	 * needs no size check.
	 */
	if (unlikely(cache == NULL ||
	    (!(__builtin_constant_p(n) && n == 1) && n > cache->size))) {
		ret = __dp_mempool_ops_dequeue(mp, obj_table, n);
		/* Short: the cache's objects count too. */
		if (unlikely(ret != 0) && cache != NULL && cache->len > 0)
			ret = __dp_mempool_cache_get_slow(mp, cache, obj_table,
				n);
	} else if (likely(n <= cache->len)) {
		uint32_t len = cache->len - n;

		/* The top n objects, the most recently put, in one copy. */
		__dp_mempool_copy_ptrs(obj_table, &cache->objs[len], n);
		cache->len = len;
		ret = 0;
	} else {
		ret = __dp_mempool_cache_get_slow(mp, cache, obj_table, n);
	}
#if DP_MEMPOOL_DEBUG
	if (ret == 0)
		__dp_mempool_check_cookies(mp, obj_table, n, 1);
#endif
	return ret;
}

/**
 * @internal
 * Put @p n objects through @p cache (may be NULL).
 */
static __dp_always_inline void
__dp_mempool_do_put(struct dp_mempool *mp, void *const *obj_table,
	unsigned int n, struct dp_mempool_cache *cache)
{
#if DP_MEMPOOL_DEBUG
	n = __dp_mempool_check_cookies(mp, obj_table, n, 0);
	if (n == 0)
		return;
#endif
	if (unlikely(cache == NULL ||
	    (!(__builtin_constant_p(n) && n == 1) && n > cache->size))) {
		/* Cannot fail: the backend holds every object of the pool. */
		(void)__dp_mempool_ops_enqueue(mp, obj_table, n);
		return;
	}
	__dp_mempool_copy_ptrs(&cache->objs[cache->len], obj_table, n);
	cache->len += n;
	if (unlikely(cache->len > cache->flushthresh))
		__dp_mempool_cache_flush_excess(mp, cache);
}

#ifdef __cplusplus
}
#endif

#endif /* DP_MEMPOOL_CORE_H */
