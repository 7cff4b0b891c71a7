/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DP_MEMPOOL_H
#define DP_MEMPOOL_H

/**
 * @file
 * Mempools: named pools of fixed-size objects in EAL memory (packet
 * buffers, descriptors, anything allocated at a high rate).
 *
 * A pool is populated once, at creation, with all its objects; get and
 * put never allocate memory. Free objects sit in a backend (by default a
 * ring) and, in pools created with a cache size, in a per-lcore cache in
 * front of it: a LIFO stack that serves most gets and puts with a few
 * loads and stores and no atomic instruction, and talks to the backend
 * only in bulk.
 *
 * Every object knows its IOVA (dp_mempool_virt2iova(), a load from the
 * object's header). Unless the pool is created with
 * DP_MEMPOOL_F_NO_IOVA_CONTIG, no object straddles a page boundary whose
 * IOVAs are not contiguous, so a device can DMA into any object.
 *
 * @code
 *   struct dp_mempool *mp = dp_mempool_create("descs", 4095, 64, 256, 0,
 *           NULL, NULL, NULL, NULL, DP_SOCKET_ID_ANY, 0);
 *   void *objs[32];
 *   if (dp_mempool_get_bulk(mp, objs, 32) == 0) {
 *           ...
 *           dp_mempool_put_bulk(mp, objs, 32);
 *   }
 * @endcode
 *
 * Threads: get and put are safe from any thread unless the pool was made
 * with DP_MEMPOOL_F_SC_GET / DP_MEMPOOL_F_SP_PUT. The per-lcore cache of
 * an EAL lcore is used only by that lcore's thread; other threads go to
 * the backend directly or bring their own cache (dp_mempool_cache_create()
 * and the generic functions). Creation, free and lookup are thread-safe;
 * a pool must not be freed while any thread still uses it.
 */

#include <stdio.h>

#include <dp_common.h>
#include <dp_lcore.h>
#include <dp_mempool_core.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Do not align objects to cache lines (pack them 8-byte aligned). */
#define DP_MEMPOOL_F_NO_CACHE_ALIGN 0x0001u
/** Default put is single-producer (one thread puts at a time). */
#define DP_MEMPOOL_F_SP_PUT 0x0004u
/** Default get is single-consumer (one thread gets at a time). */
#define DP_MEMPOOL_F_SC_GET 0x0008u
/**
 * Objects may cross page boundaries whose IOVAs are not contiguous. Only
 * for objects no device reads or writes: it packs them tightly in any
 * memory, but their IOVA then covers only their first page.
 */
#define DP_MEMPOOL_F_NO_IOVA_CONTIG 0x0020u
/** Every flag dp_mempool_create() accepts. */
#define DP_MEMPOOL_F_ALL (DP_MEMPOOL_F_NO_CACHE_ALIGN | DP_MEMPOOL_F_SP_PUT | \
	DP_MEMPOOL_F_SC_GET | DP_MEMPOOL_F_NO_IOVA_CONTIG)

/**
 * Called once per object at creation (dp_mempool_create()) or by
 * dp_mempool_obj_iter().
 *
 * @param mp
 *   The pool.
 * @param opaque
 *   The argument given with the callback.
 * @param obj
 *   The object.
 * @param obj_idx
 *   Index of the object in population order, from 0.
 */
typedef void (dp_mempool_obj_cb_t)(struct dp_mempool *mp, void *opaque,
	void *obj, unsigned int obj_idx);

/** Object constructor: the same as dp_mempool_obj_cb_t. */
typedef dp_mempool_obj_cb_t dp_mempool_obj_ctor_t;

/**
 * Pool constructor, called once before the objects are constructed
 * (typically fills the private area).
 */
typedef void (dp_mempool_ctor_t)(struct dp_mempool *mp, void *arg);

/**
 * Called for each memory chunk by dp_mempool_mem_iter().
 *
 * @param mem_idx
 *   Index of the chunk, from 0.
 */
typedef void (dp_mempool_mem_cb_t)(struct dp_mempool *mp, void *opaque,
	struct dp_mempool_memhdr *memhdr, unsigned int mem_idx);

/* ---- creation ---------------------------------------------------------------- */

/**
 * Create and populate a pool.
 *
 * @param name
 *   Unique name, at most DP_MEMPOOL_NAMESIZE - 1 characters.
 * @param n
 *   Number of objects. Any count works; the ring backend holds exactly n.
 * @param elt_size
 *   Bytes per object, > 0.
 * @param cache_size
 *   Per-lcore cache size: 0 (no cache) or up to
 *   DP_MEMPOOL_CACHE_MAX_SIZE and up to n / 1.5 (so that the caches
 *   cannot starve each other of the whole pool).
 * @param private_data_size
 *   Bytes of the private area (dp_mempool_get_priv()).
 * @param mp_init
 *   Called once on the pool before the objects are constructed; may be
 *   NULL.
 * @param mp_init_arg
 *   Argument of @p mp_init.
 * @param obj_init
 *   Called once per object; may be NULL.
 * @param obj_init_arg
 *   Argument of @p obj_init.
 * @param socket_id
 *   NUMA node of the memory, or DP_SOCKET_ID_ANY.
 * @param flags
 *   DP_MEMPOOL_F_* flags.
 * @return
 *   The pool, or NULL with dp_errno set and one log line saying why:
 *   EINVAL (bad argument), ENAMETOOLONG, EEXIST (name taken), ENOMEM (not
 *   enough EAL memory; nothing is left allocated), ENOENT (no backend).
 */
struct dp_mempool *dp_mempool_create(const char *name, unsigned int n,
	unsigned int elt_size, unsigned int cache_size,
	unsigned int private_data_size, dp_mempool_ctor_t *mp_init,
	void *mp_init_arg, dp_mempool_obj_cb_t *obj_init, void *obj_init_arg,
	int socket_id, unsigned int flags);

/**
 * Create a pool without memory: the first step of building a pool by
 * hand. Follow with dp_mempool_set_ops_byname() (optional: the default
 * backend comes from the SP/SC flags), your own setup of the private
 * area, dp_mempool_populate_default() and dp_mempool_obj_iter().
 *
 * Arguments and errors as dp_mempool_create().
 */
struct dp_mempool *dp_mempool_create_empty(const char *name, unsigned int n,
	unsigned int elt_size, unsigned int cache_size,
	unsigned int private_data_size, int socket_id, unsigned int flags);

/**
 * Choose the backend of a pool that is not populated yet.
 *
 * @param name
 *   A registered ops name: "ring_mp_mc", "ring_sp_sc", "ring_mp_sc",
 *   "ring_sp_mc", or one registered with DP_MEMPOOL_REGISTER_OPS.
 * @param pool_config
 *   Opaque backend configuration (stored in the pool; the ring backends
 *   ignore it).
 * @return
 *   0, -ENOENT (no such ops, logged), -EEXIST (already populated), or
 *   -EINVAL.
 */
int dp_mempool_set_ops_byname(struct dp_mempool *mp, const char *name,
	void *pool_config);

/**
 * Reserve EAL memory for every object and put the objects in the pool.
 * Objects are packed at a fixed stride; none crosses a page boundary
 * whose IOVA is not contiguous (unless DP_MEMPOOL_F_NO_IOVA_CONTIG). The
 * memory is one IOVA-contiguous zone when EAL can give one, else zones
 * cut into contiguous runs.
 *
 * @return
 *   Objects added (the pool size), or a negative errno: -EEXIST (already
 *   populated), -ENOMEM (not enough memory: the pool is left empty and can
 *   be freed).
 */
int dp_mempool_populate_default(struct dp_mempool *mp);

/**
 * Free a pool: its objects' memory, its backend, its caches. Every object
 * must have been put back and no thread may use the pool any more. NULL
 * is ignored.
 */
void dp_mempool_free(struct dp_mempool *mp);

/**
 * Find a pool by name.
 *
 * @return
 *   The pool, or NULL with dp_errno = ENOENT (or EINVAL for NULL).
 */
struct dp_mempool *dp_mempool_lookup(const char *name);

/** Call @p fn on every pool. */
void dp_mempool_walk(void (*fn)(struct dp_mempool *mp, void *arg), void *arg);

/**
 * Bytes one object takes in memory (header + object + trailer) for an
 * object of @p elt_size bytes and the given flags.
 */
uint32_t dp_mempool_calc_obj_size(uint32_t elt_size, uint32_t flags);

/* ---- caches -------------------------------------------------------------------- */

/**
 * The cache of @p lcore_id in @p mp.
 *
 * @return
 *   The cache, or NULL if the pool has no cache or @p lcore_id is not an
 *   enabled EAL lcore (DP_LCORE_ID_ANY for example).
 */
static __dp_always_inline struct dp_mempool_cache *
dp_mempool_default_cache(struct dp_mempool *mp, unsigned int lcore_id)
{
	if (unlikely(lcore_id >= DP_MAX_LCORE))
		return NULL;
	return mp->local_cache[lcore_id];
}

/**
 * Create a cache for a thread that is not an EAL lcore (use it with the
 * generic get/put functions). A cache can serve any pool, but only one
 * at a time: flush it (dp_mempool_cache_flush()) before switching pools
 * or freeing it.
 *
 * @param size
 *   1..DP_MEMPOOL_CACHE_MAX_SIZE.
 * @param socket_id
 *   NUMA node of its memory, or DP_SOCKET_ID_ANY.
 * @return
 *   The cache, or NULL with dp_errno = EINVAL or ENOMEM.
 */
struct dp_mempool_cache *dp_mempool_cache_create(uint32_t size,
	int socket_id);

/** Free a cache from dp_mempool_cache_create() (flush it first). */
void dp_mempool_cache_free(struct dp_mempool_cache *cache);

/**
 * Give every object of @p cache back to @p mp's backend.
 *
 * @param cache
 *   A cache; NULL means the calling lcore's cache of @p mp.
 */
void dp_mempool_cache_flush(struct dp_mempool_cache *cache,
	struct dp_mempool *mp);

/* ---- get / put --------------------------------------------------------------- */

/**
 * Get @p n objects through an explicit cache: all or none.
 *
 * @param cache
 *   A cache (the lcore's, or one from dp_mempool_cache_create()), or NULL
 *   to go to the backend.
 * @return
 *   0, or -ENOENT when fewer than @p n objects are available (nothing is
 *   taken then).
 */
static __dp_always_inline int
dp_mempool_generic_get(struct dp_mempool *mp, void **obj_table, unsigned int n,
	struct dp_mempool_cache *cache)
{
	return __dp_mempool_do_get(mp, obj_table, n, cache);
}

/**
 * Put @p n objects back through an explicit cache.
 *
 * @param cache
 *   As for dp_mempool_generic_get().
 */
static __dp_always_inline void
dp_mempool_generic_put(struct dp_mempool *mp, void *const *obj_table,
	unsigned int n, struct dp_mempool_cache *cache)
{
	__dp_mempool_do_put(mp, obj_table, n, cache);
}

/**
 * Get @p n objects, all or none, through the calling lcore's cache.
 *
 * @return
 *   0, or -ENOENT (nothing taken).
 */
static __dp_always_inline int
dp_mempool_get_bulk(struct dp_mempool *mp, void **obj_table, unsigned int n)
{
	return __dp_mempool_do_get(mp, obj_table, n,
		dp_mempool_default_cache(mp, dp_lcore_id()));
}

/** Put @p n objects back through the calling lcore's cache. */
static __dp_always_inline void
dp_mempool_put_bulk(struct dp_mempool *mp, void *const *obj_table,
	unsigned int n)
{
	__dp_mempool_do_put(mp, obj_table, n,
		dp_mempool_default_cache(mp, dp_lcore_id()));
}

/**
 * Get one object.
 *
 * @return
 *   0, or -ENOENT when the pool is empty.
 */
static __dp_always_inline int
dp_mempool_get(struct dp_mempool *mp, void **obj_p)
{
	return dp_mempool_get_bulk(mp, obj_p, 1);
}

/** Put one object back. */
static __dp_always_inline void
dp_mempool_put(struct dp_mempool *mp, void *obj)
{
	dp_mempool_put_bulk(mp, &obj, 1);
}

/* ---- objects ---------------------------------------------------------------------- */

/**
 * IOVA of an object of a pool (stored in its header at populate time).
 *
 * @return
 *   The IOVA of the object's first byte, or DP_BAD_IOVA if its memory has
 *   none.
 */
static inline dp_iova_t
dp_mempool_virt2iova(const void *obj)
{
	return __dp_mempool_get_header(obj)->iova;
}

/** Pool an object belongs to. */
static inline struct dp_mempool *
dp_mempool_from_obj(const void *obj)
{
	return __dp_mempool_get_header(obj)->mp;
}

/**
 * Call @p obj_cb on every object of the pool, in population order, free
 * or not.
 *
 * @return
 *   Number of objects visited.
 */
uint32_t dp_mempool_obj_iter(struct dp_mempool *mp,
	dp_mempool_obj_cb_t *obj_cb, void *obj_cb_arg);

/**
 * Call @p mem_cb on every memory chunk of the pool (runs contiguous in VA
 * and IOVA, e.g. to register them with a device).
 *
 * @return
 *   Number of chunks visited.
 */
uint32_t dp_mempool_mem_iter(struct dp_mempool *mp, dp_mempool_mem_cb_t *mem_cb,
	void *mem_cb_arg);

/* ---- state -------------------------------------------------------------------- */

/** The private area (private_data_size bytes, cache-line aligned). */
static inline void *
dp_mempool_get_priv(struct dp_mempool *mp)
{
	return (char *)mp + DP_CACHE_LINE_ROUNDUP(sizeof(*mp));
}

/** Name of the pool. */
static inline const char *
dp_mempool_name(const struct dp_mempool *mp)
{
	return mp->name;
}

/**
 * Objects available: in the backend and in the lcore caches (objects in
 * caches from dp_mempool_cache_create() are not seen). Exact when no
 * thread uses the pool.
 */
unsigned int dp_mempool_avail_count(const struct dp_mempool *mp);

/** Objects handed out: size minus dp_mempool_avail_count(). */
unsigned int dp_mempool_in_use_count(const struct dp_mempool *mp);

/** Is every object in the pool (none handed out)? 1 or 0. */
static inline int
dp_mempool_full(const struct dp_mempool *mp)
{
	return dp_mempool_avail_count(mp) == mp->size;
}

/** Is every object handed out? 1 or 0. */
static inline int
dp_mempool_empty(const struct dp_mempool *mp)
{
	return dp_mempool_avail_count(mp) == 0;
}

/**
 * Print the pool: sizes, flags, backend, memory chunks, per-lcore cache
 * fill and counts.
 *
 * @param f
 *   Destination (stderr if NULL).
 */
void dp_mempool_dump(FILE *f, struct dp_mempool *mp);

/** dp_mempool_dump() of every pool. */
void dp_mempool_list_dump(FILE *f);

/**
 * Check a pool's consistency: cache lengths within bounds, counts adding
 * up, every object's header naming this pool; in a build with
 * -Dmempool_debug, also every object's cookies (double free, writes past
 * the end of an object). Each problem is logged. Never aborts.
 *
 * @return
 *   0 if the pool is sane, -EFAULT if a problem was found.
 */
int dp_mempool_audit(struct dp_mempool *mp);

/* ---- backends ------------------------------------------------------------------ */

/**
 * Register a backend (normally through DP_MEMPOOL_REGISTER_OPS).
 *
 * @return
 *   Its index, or -EINVAL (incomplete ops), -EEXIST (name taken),
 *   -ENOSPC (table full).
 */
int dp_mempool_register_ops(const struct dp_mempool_ops *ops);

/** Register backend @p ops (a struct dp_mempool_ops) before main(). */
#define DP_MEMPOOL_REGISTER_OPS(ops) \
	DP_INIT(dp_mempool_register_##ops) \
	{ \
		(void)dp_mempool_register_ops(&(ops)); \
	}

/**
 * Index of a registered backend.
 *
 * @return
 *   The index, or -ENOENT.
 */
int dp_mempool_ops_lookup(const char *name);

/** Name of the backend of @p mp. */
const char *dp_mempool_ops_name(const struct dp_mempool *mp);

#ifdef __cplusplus
}
#endif

#endif /* DP_MEMPOOL_H */
