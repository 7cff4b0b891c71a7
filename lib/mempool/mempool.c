/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Mempool slow path: creation (argument checks, the pool's memzone with
 * its private area and per-lcore caches), population (object layout in
 * EAL memory cut into IOVA-contiguous runs), free, lookup, iterators,
 * counts, dump, audit, the cache refill/flush that the inline fast path
 * calls on a miss, and the debug cookie checks.
 */

#include <inttypes.h>
#include <pthread.h>
#include <string.h>

#include <dp_malloc.h>
#include <dp_memory.h>
#include <dp_memzone.h>

#include "mempool_private.h"

DP_LOG_REGISTER(mempool, "mempool", INFO);

DP_STATIC_ASSERT(sizeof(struct dp_mempool_cache) == DP_CACHE_LINE_SIZE,
	"the cache's object stack must start on its own cache line");
DP_STATIC_ASSERT(offsetof(struct dp_mempool, local_cache) %
	DP_CACHE_LINE_SIZE == 0, "local_cache starts a cache line");

/* Serializes create/free against lookup and walk. */
static pthread_mutex_t mempool_lock = PTHREAD_MUTEX_INITIALIZER;

#define MP_LOG(level, name, fmt, ...) \
	DP_LOG(level, mempool, "mempool '%s': " fmt, (name), ##__VA_ARGS__)

/* ---- IOVA runs ---------------------------------------------------------------- */

/* Memsegs are IOVA-contiguous; neighbours may continue each other. */
static size_t
contig_len_memseg(const void *va, size_t max, dp_iova_t *iova)
{
	const struct dp_memseg *ms = dp_mem_virt2memseg(va);
	size_t len;

	if (ms == NULL)
		return 0;
	*iova = ms->iova + DP_PTR_DIFF(va, ms->addr);
	len = (size_t)DP_PTR_DIFF(DP_PTR_ADD(ms->addr, ms->len), va);
	while (len < max) {
		const struct dp_memseg *nx = dp_mem_virt2memseg(
			DP_PTR_ADD(va, len));

		if (nx == NULL || ms->iova == DP_BAD_IOVA ||
		    nx->iova != *iova + len)
			break;
		len += nx->len;
	}
	return len < max ? len : max;
}

static mempool_contig_fn_t contig_fn = contig_len_memseg;

/*
 * Bytes from @p va to the end of its hugepage, when an object of @p total
 * bytes must not cross that end; SIZE_MAX when it may. Objects never
 * straddle a hugepage (as in DPDK since 19.11): a device or IOMMU model
 * that maps DMA one page at a time (QEMU's igb TX behind a vIOMMU drops
 * such a frame) then never meets a buffer split across two pages, for at
 * most one object lost per hugepage. Small pages (--no-huge) are packed
 * tightly: one 2 KB mbuf per 4 KB page would waste almost half.
 */
static size_t
room_in_page(const void *va, size_t total)
{
	const struct dp_memseg *ms = dp_mem_virt2memseg(va);
	uint64_t pg = ms != NULL ? ms->hugepage_sz : 0;

	if (pg <= 4096 || total > pg)
		return SIZE_MAX;
	return (size_t)(pg - ((uintptr_t)va & (pg - 1)));
}

void
mempool_set_contig_fn(mempool_contig_fn_t fn)
{
	contig_fn = fn != NULL ? fn : contig_len_memseg;
}

/* ---- sizes --------------------------------------------------------------------- */

uint32_t
dp_mempool_calc_obj_size(uint32_t elt_size, uint32_t flags)
{
	uint32_t align = (flags & DP_MEMPOOL_F_NO_CACHE_ALIGN) ?
		sizeof(void *) : DP_CACHE_LINE_SIZE;
	uint64_t hdr = DP_ALIGN_CEIL((uint64_t)sizeof(struct dp_mempool_objhdr),
		(uint64_t)align);
	uint64_t elt = DP_ALIGN_CEIL((uint64_t)elt_size, (uint64_t)sizeof(void *));
	uint64_t trailer = DP_MEMPOOL_DEBUG ? sizeof(uint64_t) : 0;
	uint64_t total = DP_ALIGN_CEIL(hdr + elt + trailer, (uint64_t)align);

	return total > UINT32_MAX ? 0 : (uint32_t)total;
}

/* Bytes of one lcore cache of @size objects (header + stack). */
static size_t
cache_bytes(uint32_t size)
{
	return DP_CACHE_LINE_ROUNDUP(sizeof(struct dp_mempool_cache) +
		(size_t)(size + size / 2 + size) * sizeof(void *));
}

static void
cache_init(struct dp_mempool_cache *cache, uint32_t size)
{
	cache->size = size;
	/*
	 * 1.5 x size: a lcore that alternates gets and puts of up to size/2
	 * objects never touches the backend, and a flush hands at least
	 * size/2 objects over in one bulk.
	 */
	cache->flushthresh = size + size / 2;
	cache->len = 0;
	cache->capacity = cache->flushthresh + size;
}

/* ---- lookup and walk ------------------------------------------------------ */

/* The pool in a memzone, if the zone holds one (caller holds the lock). */
static struct dp_mempool *
mz_to_pool(const struct dp_memzone *mz)
{
	struct dp_mempool *mp;

	if (mz == NULL || strncmp(mz->name, DP_MEMPOOL_MZ_PREFIX,
	    sizeof(DP_MEMPOOL_MZ_PREFIX) - 1) != 0 ||
	    mz->len < sizeof(struct dp_mempool))
		return NULL;
	mp = mz->addr;
	if (mp->mz != mz || strcmp(mp->name,
	    mz->name + sizeof(DP_MEMPOOL_MZ_PREFIX) - 1) != 0)
		return NULL;
	return mp;
}

struct dp_mempool *
dp_mempool_lookup(const char *name)
{
	char mzname[DP_MEMZONE_NAMESIZE];
	struct dp_mempool *mp;

	if (name == NULL) {
		dp_errno = EINVAL;
		return NULL;
	}
	snprintf(mzname, sizeof(mzname), DP_MEMPOOL_MZ_PREFIX "%s", name);
	pthread_mutex_lock(&mempool_lock);
	mp = mz_to_pool(dp_memzone_lookup(mzname));
	pthread_mutex_unlock(&mempool_lock);
	if (mp == NULL)
		dp_errno = ENOENT;
	return mp;
}

struct walk_ctx {
	void (*fn)(struct dp_mempool *mp, void *arg);
	void *arg;
	struct dp_mempool *pools[64];
	unsigned int n;
	unsigned int more;
};

static void
walk_collect(const struct dp_memzone *mz, void *arg)
{
	struct walk_ctx *w = arg;
	struct dp_mempool *mp = mz_to_pool(mz);

	if (mp == NULL)
		return;
	if (w->n < DP_DIM(w->pools))
		w->pools[w->n++] = mp;
	else
		w->more++;
}

void
dp_mempool_walk(void (*fn)(struct dp_mempool *mp, void *arg), void *arg)
{
	struct walk_ctx w = { .fn = fn, .arg = arg };
	unsigned int i;

	if (fn == NULL)
		return;
	/*
	 * Collect first, call after: the callback may take memzone or
	 * mempool locks itself.
	 */
	pthread_mutex_lock(&mempool_lock);
	dp_memzone_walk(walk_collect, &w);
	pthread_mutex_unlock(&mempool_lock);
	for (i = 0; i < w.n; i++)
		fn(w.pools[i], arg);
	if (w.more)
		DP_LOG(WARNING, mempool, "dp_mempool_walk: %u more pools not "
			"visited (at most %zu per walk)", w.more,
			DP_DIM(w.pools));
}

/* ---- create ------------------------------------------------------------------------ */

static int
check_create_args(const char *name, unsigned int n, unsigned int elt_size,
	unsigned int cache_size, int socket_id, unsigned int flags)
{
	size_t nlen;

	if (name == NULL || name[0] == '\0') {
		DP_LOG(ERR, mempool, "mempool create: a name is required");
		return -EINVAL;
	}
	nlen = strnlen(name, DP_MEMPOOL_NAMESIZE);
	if (nlen >= DP_MEMPOOL_NAMESIZE) {
		DP_LOG(ERR, mempool, "mempool create: name '%s' is longer than "
			"%d characters", name, DP_MEMPOOL_NAMESIZE - 1);
		return -ENAMETOOLONG;
	}
	if (flags & ~DP_MEMPOOL_F_ALL) {
		MP_LOG(ERR, name, "unknown flags 0x%x (valid: NO_CACHE_ALIGN, "
			"SP_PUT, SC_GET, NO_IOVA_CONTIG)", flags & ~DP_MEMPOOL_F_ALL);
		return -EINVAL;
	}
	if (n == 0) {
		MP_LOG(ERR, name, "0 objects: a pool holds at least one");
		return -EINVAL;
	}
	if (n > DP_RING_SIZE_MAX - 1) {
		MP_LOG(ERR, name, "%u objects: at most %u", n,
			DP_RING_SIZE_MAX - 1);
		return -EINVAL;
	}
	if (elt_size == 0) {
		MP_LOG(ERR, name, "object size 0: give the size of one object "
			"in bytes");
		return -EINVAL;
	}
	if (dp_mempool_calc_obj_size(elt_size, flags) == 0) {
		MP_LOG(ERR, name, "object size %u is too large", elt_size);
		return -EINVAL;
	}
	if (cache_size > DP_MEMPOOL_CACHE_MAX_SIZE) {
		MP_LOG(ERR, name, "cache size %u is above the maximum %d: use a "
			"smaller cache", cache_size, DP_MEMPOOL_CACHE_MAX_SIZE);
		return -EINVAL;
	}
	if ((uint64_t)cache_size * 3 > (uint64_t)n * 2) {
		MP_LOG(ERR, name, "cache size %u is more than n / 1.5 = %u: "
			"the lcore caches could hold the whole pool between them; "
			"use a cache of at most %u or more objects", cache_size,
			(unsigned int)((uint64_t)n * 2 / 3),
			(unsigned int)((uint64_t)n * 2 / 3));
		return -EINVAL;
	}
	if (socket_id != DP_SOCKET_ID_ANY &&
	    (socket_id < 0 || socket_id >= DP_MAX_NUMA_NODES)) {
		MP_LOG(ERR, name, "socket %d is not a NUMA node id (0-%d or "
			"DP_SOCKET_ID_ANY)", socket_id, DP_MAX_NUMA_NODES - 1);
		return -EINVAL;
	}
	return 0;
}

/* The backend the SP/SC flags ask for. */
static const char *
default_ops_name(unsigned int flags)
{
	bool sp = flags & DP_MEMPOOL_F_SP_PUT, sc = flags & DP_MEMPOOL_F_SC_GET;

	if (sp && sc)
		return "ring_sp_sc";
	if (sp)
		return "ring_sp_mc";
	if (sc)
		return "ring_mp_sc";
	return "ring_mp_mc";
}

static void
set_ops_index(struct dp_mempool *mp, int idx)
{
	mp->ops_index = idx;
	if (mempool_ops_is_ring(&dp_mempool_ops_table.ops[idx]))
		mp->flags |= __DP_MEMPOOL_F_RING_OPS;
	else
		mp->flags &= ~__DP_MEMPOOL_F_RING_OPS;
}

struct dp_mempool *
dp_mempool_create_empty(const char *name, unsigned int n,
	unsigned int elt_size, unsigned int cache_size,
	unsigned int private_data_size, int socket_id, unsigned int flags)
{
	char mzname[DP_MEMZONE_NAMESIZE];
	const struct dp_memzone *mz;
	struct dp_mempool *mp;
	size_t head, len, cbytes = 0;
	unsigned int lcore, nb_caches = 0;
	uint32_t total;
	char *cmem;
	int ops, rc;

	rc = check_create_args(name, n, elt_size, cache_size, socket_id, flags);
	if (rc < 0) {
		dp_errno = -rc;
		return NULL;
	}
	ops = dp_mempool_ops_lookup(default_ops_name(flags));
	if (ops < 0) {
		MP_LOG(ERR, name, "backend '%s' is not registered (is the "
			"library linked whole?)", default_ops_name(flags));
		dp_errno = ENOENT;
		return NULL;
	}
	head = DP_CACHE_LINE_ROUNDUP(sizeof(*mp)) +
		DP_CACHE_LINE_ROUNDUP((size_t)private_data_size);
	if (cache_size > 0) {
		cbytes = cache_bytes(cache_size);
		for (lcore = 0; lcore < DP_MAX_LCORE; lcore++)
			nb_caches += dp_lcore_is_enabled(lcore) ? 1 : 0;
	}
	len = head + nb_caches * cbytes;
	snprintf(mzname, sizeof(mzname), DP_MEMPOOL_MZ_PREFIX "%s", name);

	pthread_mutex_lock(&mempool_lock);
	mz = dp_memzone_reserve(mzname, len, socket_id, 0);
	if (mz == NULL) {
		int err = dp_errno;

		pthread_mutex_unlock(&mempool_lock);
		if (err == EEXIST)
			MP_LOG(ERR, name, "a pool of that name already exists: "
				"pick another name, or dp_mempool_lookup() it");
		else
			MP_LOG(ERR, name, "cannot reserve %zu bytes for the pool "
				"structure and caches: %s", len, dp_strerror(err));
		dp_errno = err;
		return NULL;
	}
	mp = mz->addr;
	memset(mp, 0, len);
	snprintf(mp->name, sizeof(mp->name), "%s", name);
	mp->mz = mz;
	mp->flags = flags;
	mp->size = n;
	mp->cache_size = cache_size;
	total = dp_mempool_calc_obj_size(elt_size, flags);
	mp->header_size = (flags & DP_MEMPOOL_F_NO_CACHE_ALIGN) ?
		DP_ALIGN_CEIL((uint32_t)sizeof(struct dp_mempool_objhdr),
			(uint32_t)sizeof(void *)) :
		(uint32_t)DP_CACHE_LINE_ROUNDUP(sizeof(struct dp_mempool_objhdr));
	mp->elt_size = DP_ALIGN_CEIL(elt_size, (uint32_t)sizeof(void *));
	mp->trailer_size = total - mp->header_size - mp->elt_size;
	mp->private_data_size = private_data_size;
	mp->socket_id = socket_id;
	STAILQ_INIT(&mp->mem_list);
	set_ops_index(mp, ops);
	cmem = (char *)mp + head;
	for (lcore = 0; cache_size > 0 && lcore < DP_MAX_LCORE; lcore++) {
		if (!dp_lcore_is_enabled(lcore))
			continue;
		mp->local_cache[lcore] = (struct dp_mempool_cache *)cmem;
		cache_init(mp->local_cache[lcore], cache_size);
		cmem += cbytes;
	}
	pthread_mutex_unlock(&mempool_lock);
	DP_LOG(DEBUG, mempool, "mempool '%s': %u objects of %u bytes (%u with "
		"header and trailer), cache %u on %u lcores", name, n, elt_size,
		total, cache_size, nb_caches);
	return mp;
}

int
dp_mempool_set_ops_byname(struct dp_mempool *mp, const char *name,
	void *pool_config)
{
	int idx;

	if (mp == NULL)
		return -EINVAL;
	if (mp->flags & __DP_MEMPOOL_F_POOL_CREATED) {
		MP_LOG(ERR, mp->name, "set ops '%s': the pool already has its "
			"backend (set the ops before populating)",
			name ? name : "(null)");
		return -EEXIST;
	}
	idx = dp_mempool_ops_lookup(name);
	if (idx < 0) {
		MP_LOG(ERR, mp->name, "set ops: no backend named '%s' (built "
			"in: ring_mp_mc, ring_sp_sc, ring_mp_sc, ring_sp_mc)",
			name ? name : "(null)");
		return -ENOENT;
	}
	set_ops_index(mp, idx);
	mp->pool_config = pool_config;
	return 0;
}

/* ---- populate -------------------------------------------------------------------- */

static int
ensure_backend(struct dp_mempool *mp)
{
	int rc;

	if (mp->flags & __DP_MEMPOOL_F_POOL_CREATED)
		return 0;
	rc = mempool_ops_alloc(mp);
	if (rc < 0) {
		MP_LOG(ERR, mp->name, "backend '%s' could not be created: %s",
			dp_mempool_ops_name(mp), dp_strerror(rc));
		return rc;
	}
	mp->flags |= __DP_MEMPOOL_F_POOL_CREATED;
	return 0;
}

/* Release every memory chunk (and its zone); the pool is empty after. */
static void
free_mem_chunks(struct dp_mempool *mp)
{
	struct dp_mempool_memhdr *hdr;

	while ((hdr = STAILQ_FIRST(&mp->mem_list)) != NULL) {
		STAILQ_REMOVE_HEAD(&mp->mem_list, next);
		if (hdr->mz != NULL)
			dp_memzone_free(hdr->mz);
		dp_free(hdr);
	}
	mp->nb_mem_chunks = 0;
	mp->populated_size = 0;
	mp->obj_head = mp->obj_tail = NULL;
}

static struct dp_mempool_memhdr *
add_mem_chunk(struct dp_mempool *mp, void *addr, dp_iova_t iova, size_t len,
	const struct dp_memzone *mz)
{
	struct dp_mempool_memhdr *hdr;

	hdr = dp_zmalloc("mempool_memhdr", sizeof(*hdr), 0);
	if (hdr == NULL)
		return NULL;
	hdr->mp = mp;
	hdr->addr = addr;
	hdr->iova = iova;
	hdr->len = len;
	hdr->mz = mz;
	STAILQ_INSERT_TAIL(&mp->mem_list, hdr, next);
	mp->nb_mem_chunks++;
	return hdr;
}

/* Set up the object @obj (IOVA @iova) and link it. */
static void *
place_object(struct dp_mempool *mp, char *obj, dp_iova_t iova)
{
	struct dp_mempool_objhdr *hdr = __dp_mempool_get_header(obj);

	hdr->next = NULL;
	hdr->mp = mp;
	hdr->iova = iova;
#if DP_MEMPOOL_DEBUG
	hdr->cookie = __DP_MEMPOOL_COOKIE_FREE;
	memcpy(obj + mp->elt_size, &(uint64_t){ __DP_MEMPOOL_COOKIE_TRAILER },
		sizeof(uint64_t));
#endif
	if (mp->obj_tail != NULL)
		mp->obj_tail->next = hdr;
	else
		mp->obj_head = hdr;
	mp->obj_tail = hdr;
	mp->populated_size++;
	return obj;
}

/* Enqueue a batch of new objects: cannot fail (the backend holds size). */
static int
flush_new(struct dp_mempool *mp, void **batch, unsigned int *nb)
{
	int rc = 0;

	if (*nb > 0)
		rc = __dp_mempool_get_ops(mp)->enqueue(mp, batch, *nb);
	*nb = 0;
	return rc;
}

/*
 * Lay objects out in the zone @mz: cut it into IOVA-contiguous runs and
 * pack whole objects into each run (with DP_MEMPOOL_F_NO_IOVA_CONTIG, the
 * whole zone is one run). Returns the objects placed, or a negative errno.
 * The zone belongs to the first chunk made from it; if none was made, it
 * is released here.
 */
static int
populate_zone(struct dp_mempool *mp, const struct dp_memzone *mz)
{
	size_t total = (size_t)mp->header_size + mp->elt_size + mp->trailer_size;
	char *p = mz->addr, *end = p + mz->len;
	const struct dp_memzone *owner = mz;
	bool pack = mp->flags & DP_MEMPOOL_F_NO_IOVA_CONTIG;
	void *batch[256];
	unsigned int nb = 0;
	int placed = 0, rc = 0;

	while (p + total <= end && mp->populated_size < mp->size) {
		dp_iova_t iova = DP_BAD_IOVA, eiova;
		size_t run, k, cnt;

		run = contig_fn(p, (size_t)(end - p), &iova);
		if (run == 0) {
			MP_LOG(ERR, mp->name, "memory at %p has no IOVA", p);
			rc = -EFAULT;
			goto out;
		}
		if (pack) {
			/* One chunk; its IOVA only if it happens to be contiguous. */
			if (run < (size_t)(end - p))
				iova = DP_BAD_IOVA;
			run = (size_t)(end - p);
		} else {
			run = DP_MIN(run, room_in_page(p, total));
			if (run < total) {
				/* Too short for one object: go to the next
				 * run (or hugepage). */
				p += run;
				continue;
			}
		}
		cnt = run / total;
		if (cnt > mp->size - mp->populated_size)
			cnt = mp->size - mp->populated_size;
		if (add_mem_chunk(mp, p, iova, cnt * total, owner) == NULL) {
			rc = -ENOMEM;
			goto out;
		}
		owner = NULL;
		for (k = 0; k < cnt; k++) {
			char *obj = p + k * total + mp->header_size;

			if (!pack)
				eiova = iova + k * total + mp->header_size;
			else if (contig_fn(obj, 1, &eiova) == 0)
				eiova = DP_BAD_IOVA;
			batch[nb++] = place_object(mp, obj, eiova);
			if (nb == DP_DIM(batch) &&
			    (rc = flush_new(mp, batch, &nb)) < 0)
				goto out;
		}
		placed += (int)cnt;
		/* What is left of the run is shorter than an object. */
		p += pack ? cnt * total : run;
	}
	rc = flush_new(mp, batch, &nb);
out:
	if (owner != NULL)
		dp_memzone_free(mz);
	return rc < 0 ? rc : placed;
}

struct largest_seg {
	int socket;
	size_t len;
};

static int
largest_seg_cb(const struct dp_memseg *ms, void *arg)
{
	struct largest_seg *l = arg;

	if ((l->socket == DP_SOCKET_ID_ANY || ms->socket_id == l->socket) &&
	    ms->len > l->len)
		l->len = ms->len;
	return 0;
}

/* Smallest page size of EAL memory: the worst case for run breaks. */
static int
min_page_cb(const struct dp_memseg *ms, void *arg)
{
	uint64_t *pg = arg;

	if (*pg == 0 || ms->hugepage_sz < *pg)
		*pg = ms->hugepage_sz;
	return 0;
}

/*
 * Reserve the next memory zone for the @remaining objects, plus @boost
 * bytes: one IOVA-contiguous zone when a memseg is big enough for it, else
 * a plain zone with room for the bytes lost at page breaks.
 */
static const struct dp_memzone *
reserve_zone(struct dp_mempool *mp, unsigned int idx, size_t remaining,
	size_t boost, uint64_t pg)
{
	size_t total = (size_t)mp->header_size + mp->elt_size + mp->trailer_size;
	size_t need = remaining * total + boost, per;
	struct largest_seg l = { .socket = mp->socket_id, .len = 0 };
	char mzname[DP_MEMZONE_NAMESIZE];
	const struct dp_memzone *mz;
	unsigned int align = DP_CACHE_LINE_SIZE;

	snprintf(mzname, sizeof(mzname), MEMPOOL_CHUNK_MZ_FMT, idx, mp->name);
	if (mp->flags & DP_MEMPOOL_F_NO_IOVA_CONTIG)
		return dp_memzone_reserve(mzname, need, mp->socket_id, 0);
	if (pg > 4096 && total <= pg) {
		/*
		 * No object across a hugepage end (room_in_page): a zone of
		 * several pages starts on a page and holds `per` objects in
		 * each; a smaller one may cross one page end, losing at most
		 * an object there.
		 */
		per = pg / total;
		if (need > pg) {
			need = (remaining + per - 1) / per * pg + boost;
			align = (unsigned int)DP_MIN(pg, 1ull << 30);
		} else {
			need += total;
		}
	} else {
		/* Each IOVA break between small pages can waste an object. */
		need += (need / pg + 1) * total;
	}
	dp_memseg_walk(largest_seg_cb, &l);
	if (l.len >= need) {
		mz = dp_memzone_reserve_aligned(mzname, need, mp->socket_id,
			DP_MEMZONE_IOVA_CONTIG, align);
		if (mz != NULL || dp_errno != ENOMEM)
			return mz;
		MP_LOG(INFO, mp->name, "no IOVA-contiguous zone of %zu bytes: "
			"cutting plain memory into contiguous runs", need);
	}
	return dp_memzone_reserve_aligned(mzname, need, mp->socket_id, 0,
		align);
}

int
dp_mempool_populate_default(struct dp_mempool *mp)
{
	size_t total, boost = 0, zone_len;
	unsigned int zones = 0;
	uint64_t pg = 0;
	int rc;

	if (mp == NULL)
		return -EINVAL;
	if (mp->populated_size > 0) {
		MP_LOG(ERR, mp->name, "already populated with %u objects",
			mp->populated_size);
		return -EEXIST;
	}
	rc = ensure_backend(mp);
	if (rc < 0)
		return rc;
	total = (size_t)mp->header_size + mp->elt_size + mp->trailer_size;
	dp_memseg_walk(min_page_cb, &pg);
	if (pg == 0)
		pg = 4096;
	while (mp->populated_size < mp->size) {
		const struct dp_memzone *mz;
		size_t remaining = mp->size - mp->populated_size;

		if (zones >= MEMPOOL_MAX_ZONES) {
			MP_LOG(ERR, mp->name, "populated %u of %u objects in %u "
				"memory zones and gave up: use hugepages or "
				"IOVA mode VA", mp->populated_size, mp->size,
				zones);
			rc = -ENOMEM;
			goto fail;
		}
		mz = reserve_zone(mp, zones, remaining, boost, pg);
		if (mz == NULL) {
			rc = -dp_errno;
			MP_LOG(ERR, mp->name, "not enough EAL memory for %zu "
				"objects of %zu bytes (%s): reserve more with -m "
				"or --socket-mem, or make the pool smaller",
				remaining, total, dp_strerror(rc));
			goto fail;
		}
		zones++;
		zone_len = mz->len;	/* populate_zone() may free mz */
		rc = populate_zone(mp, mz);
		if (rc < 0) {
			MP_LOG(ERR, mp->name, "populate failed: %s",
				dp_strerror(rc));
			goto fail;
		}
		if (rc > 0) {
			boost = 0;
			continue;
		}
		/*
		 * A small zone can fall between IOVA breaks: grow it. A zone
		 * far larger than an object and a page that still holds none
		 * means no contiguous run is large enough for one object.
		 */
		if (zone_len > 4 * (total + pg)) {
			MP_LOG(ERR, mp->name, "objects of %zu bytes do not fit "
				"in the IOVA-contiguous runs of this memory: use "
				"hugepages, or DP_MEMPOOL_F_NO_IOVA_CONTIG if no "
				"device touches them", total);
			rc = -ENOMEM;
			goto fail;
		}
		boost = boost ? 2 * boost : total + pg;
	}
	return (int)mp->populated_size;
fail:
	/* Leave the pool empty (the backend must forget the objects). */
	if (mp->flags & __DP_MEMPOOL_F_RING_OPS) {
		dp_ring_reset(mp->pool_data);
	} else {
		mempool_ops_free(mp);
		mp->flags &= ~__DP_MEMPOOL_F_POOL_CREATED;
	}
	free_mem_chunks(mp);
	return rc;
}

struct dp_mempool *
dp_mempool_create(const char *name, unsigned int n, unsigned int elt_size,
	unsigned int cache_size, unsigned int private_data_size,
	dp_mempool_ctor_t *mp_init, void *mp_init_arg,
	dp_mempool_obj_cb_t *obj_init, void *obj_init_arg, int socket_id,
	unsigned int flags)
{
	struct dp_mempool *mp;
	int rc;

	mp = dp_mempool_create_empty(name, n, elt_size, cache_size,
		private_data_size, socket_id, flags);
	if (mp == NULL)
		return NULL;
	if (mp_init != NULL)
		mp_init(mp, mp_init_arg);
	rc = dp_mempool_populate_default(mp);
	if (rc < 0) {
		dp_mempool_free(mp);
		dp_errno = -rc;
		return NULL;
	}
	if (obj_init != NULL)
		dp_mempool_obj_iter(mp, obj_init, obj_init_arg);
	return mp;
}

void
dp_mempool_free(struct dp_mempool *mp)
{
	if (mp == NULL)
		return;
	pthread_mutex_lock(&mempool_lock);
	if (mp->flags & __DP_MEMPOOL_F_POOL_CREATED)
		mempool_ops_free(mp);
	free_mem_chunks(mp);
	dp_memzone_free(mp->mz);
	pthread_mutex_unlock(&mempool_lock);
}

/* ---- iterators, counts ---------------------------------------------------------- */

uint32_t
dp_mempool_obj_iter(struct dp_mempool *mp, dp_mempool_obj_cb_t *obj_cb,
	void *obj_cb_arg)
{
	struct dp_mempool_objhdr *hdr;
	uint32_t n = 0;

	for (hdr = mp->obj_head; hdr != NULL; hdr = hdr->next) {
		if (obj_cb != NULL)
			obj_cb(mp, obj_cb_arg, hdr + 1, n);
		n++;
	}
	return n;
}

uint32_t
dp_mempool_mem_iter(struct dp_mempool *mp, dp_mempool_mem_cb_t *mem_cb,
	void *mem_cb_arg)
{
	struct dp_mempool_memhdr *hdr;
	uint32_t n = 0;

	STAILQ_FOREACH(hdr, &mp->mem_list, next) {
		if (mem_cb != NULL)
			mem_cb(mp, mem_cb_arg, hdr, n);
		n++;
	}
	return n;
}

static unsigned int
caches_len(const struct dp_mempool *mp)
{
	unsigned int lcore, n = 0;

	if (mp->cache_size == 0)
		return 0;
	for (lcore = 0; lcore < DP_MAX_LCORE; lcore++)
		if (mp->local_cache[lcore] != NULL)
			n += __atomic_load_n(&mp->local_cache[lcore]->len,
				__ATOMIC_RELAXED);
	return n;
}

unsigned int
dp_mempool_avail_count(const struct dp_mempool *mp)
{
	unsigned int n;

	if (!(mp->flags & __DP_MEMPOOL_F_POOL_CREATED))
		return 0;
	n = mempool_ops_get_count(mp) + caches_len(mp);
	/* Counts read while lcores work can briefly add up to more. */
	return n > mp->size ? mp->size : n;
}

unsigned int
dp_mempool_in_use_count(const struct dp_mempool *mp)
{
	return mp->populated_size - dp_mempool_avail_count(mp);
}

/* ---- caches ------------------------------------------------------------------------- */

struct dp_mempool_cache *
dp_mempool_cache_create(uint32_t size, int socket_id)
{
	struct dp_mempool_cache *cache;

	if (size == 0 || size > DP_MEMPOOL_CACHE_MAX_SIZE) {
		DP_LOG(ERR, mempool, "cache create: size %u is outside 1..%d",
			size, DP_MEMPOOL_CACHE_MAX_SIZE);
		dp_errno = EINVAL;
		return NULL;
	}
	cache = dp_zmalloc_socket("mempool_cache", cache_bytes(size),
		DP_CACHE_LINE_SIZE, socket_id);
	if (cache == NULL) {
		DP_LOG(ERR, mempool, "cache create: no memory for a cache of %u "
			"objects", size);
		dp_errno = ENOMEM;
		return NULL;
	}
	cache_init(cache, size);
	return cache;
}

void
dp_mempool_cache_free(struct dp_mempool_cache *cache)
{
	if (cache != NULL && cache->len != 0)
		DP_LOG(WARNING, mempool, "cache free: %u objects are still in "
			"the cache and are lost to their pool (flush it first)",
			cache->len);
	dp_free(cache);
}

void
dp_mempool_cache_flush(struct dp_mempool_cache *cache, struct dp_mempool *mp)
{
	if (cache == NULL)
		cache = dp_mempool_default_cache(mp, dp_lcore_id());
	if (cache == NULL || cache->len == 0)
		return;
	(void)__dp_mempool_ops_enqueue(mp, cache->objs, cache->len);
	cache->len = 0;
}

int
__dp_mempool_cache_get_slow(struct dp_mempool *mp,
	struct dp_mempool_cache *cache, void **obj_table, unsigned int n)
{
	uint32_t len = cache->len;
	uint32_t req;

	if (n > cache->size) {
		/*
		 * The backend alone was short (the caller tried it): the
		 * cache's objects make up the rest, so that a pool always
		 * hands out everything it holds.
		 */
		if (len >= n)
			req = 0;
		else if (__dp_mempool_ops_dequeue(mp, obj_table, n - len) != 0)
			return -ENOENT;
		else
			req = n - len;
		__dp_mempool_copy_ptrs(obj_table + req, &cache->objs[len -
			(n - req)], n - req);
		cache->len = len - (n - req);
		return 0;
	}
	/*
	 * Refill so that handing out n leaves size objects. When the
	 * backend is short of that, take only what this request lacks:
	 * a pool must give out its last objects too.
	 */
	req = cache->size - len + n;
	if (__dp_mempool_ops_dequeue(mp, &cache->objs[len], req) == 0) {
		len += req;
	} else {
		req = n - len;
		if (__dp_mempool_ops_dequeue(mp, &cache->objs[len], req) != 0)
			return -ENOENT;
		len += req;
	}
	len -= n;
	__dp_mempool_copy_ptrs(obj_table, &cache->objs[len], n);
	cache->len = len;
	return 0;
}

void
__dp_mempool_cache_flush_excess(struct dp_mempool *mp,
	struct dp_mempool_cache *cache)
{
	(void)__dp_mempool_ops_enqueue(mp, &cache->objs[cache->size],
		cache->len - cache->size);
	cache->len = cache->size;
}

/* ---- debug cookies ----------------------------------------------------------------- */

#if DP_MEMPOOL_DEBUG
static uint64_t
trailer_cookie(const struct dp_mempool *mp, const void *obj)
{
	uint64_t v;

	memcpy(&v, (const char *)obj + mp->elt_size, sizeof(v));
	return v;
}

/* Why @obj may not enter (is_get = 0) or leave the pool, or NULL. */
static const char *
cookie_problem(const struct dp_mempool *mp, const void *obj, int is_get)
{
	const struct dp_mempool_objhdr *hdr = __dp_mempool_get_header(obj);

	if (hdr->mp != mp)
		return "belongs to another pool or to none (header overwritten?)";
	if (trailer_cookie(mp, obj) != __DP_MEMPOOL_COOKIE_TRAILER)
		return "was written past its end (trailer cookie overwritten)";
	if (is_get) {
		if (hdr->cookie != __DP_MEMPOOL_COOKIE_FREE)
			return "was handed out while in use or its header was "
				"overwritten (free cookie wrong)";
	} else if (hdr->cookie == __DP_MEMPOOL_COOKIE_FREE) {
		return "is already free (double free)";
	} else if (hdr->cookie != __DP_MEMPOOL_COOKIE_ALLOC) {
		return "has a corrupt header cookie";
	}
	return NULL;
}

unsigned int
__dp_mempool_check_cookies(struct dp_mempool *mp, void *const *obj_table,
	unsigned int n, int is_get)
{
	unsigned int i, bad = 0;

	for (i = 0; i < n; i++) {
		const char *why = cookie_problem(mp, obj_table[i], is_get);

		if (why != NULL) {
			MP_LOG(ERR, mp->name, "%s: object %p %s",
				is_get ? "get" : "put", obj_table[i], why);
			bad++;
		}
	}
	if (bad == 0 || is_get) {
		for (i = 0; i < n; i++)
			__dp_mempool_get_header(obj_table[i])->cookie = is_get ?
				__DP_MEMPOOL_COOKIE_ALLOC : __DP_MEMPOOL_COOKIE_FREE;
		return n;
	}
	/* Keep the bad ones out: a double free must not hand one out twice. */
	for (i = 0; i < n; i++) {
		void *obj = obj_table[i];

		if (cookie_problem(mp, obj, 0) != NULL)
			continue;
		__dp_mempool_get_header(obj)->cookie = __DP_MEMPOOL_COOKIE_FREE;
		(void)__dp_mempool_ops_enqueue(mp, &obj, 1);
	}
	return 0;
}
#endif

/* ---- dump, audit ---------------------------------------------------------------- */

static void
dump_chunk(struct dp_mempool *mp, void *opaque, struct dp_mempool_memhdr *h,
	unsigned int idx)
{
	FILE *f = opaque;

	(void)mp;
	fprintf(f, "    chunk %u: va=%p iova=0x%" PRIx64 " len=%zu%s\n", idx,
		h->addr, h->iova, h->len, h->mz ? " (zone start)" : "");
}

void
dp_mempool_dump(FILE *f, struct dp_mempool *mp)
{
	unsigned int lcore, avail;

	if (f == NULL)
		f = stderr;
	if (mp == NULL) {
		fprintf(f, "mempool <NULL>\n");
		return;
	}
	avail = dp_mempool_avail_count(mp);
	fprintf(f, "mempool <%s>@%p\n", mp->name, (void *)mp);
	fprintf(f, "  flags=0x%x ops=%s socket=%d\n", mp->flags,
		dp_mempool_ops_name(mp), mp->socket_id);
	fprintf(f, "  size=%u populated=%u elt_size=%u header=%u trailer=%u "
		"total_obj_size=%u private_data_size=%u\n", mp->size,
		mp->populated_size, mp->elt_size, mp->header_size,
		mp->trailer_size, mp->header_size + mp->elt_size +
		mp->trailer_size, mp->private_data_size);
	fprintf(f, "  memory chunks: %u\n", mp->nb_mem_chunks);
	dp_mempool_mem_iter(mp, dump_chunk, f);
	fprintf(f, "  cache_size=%u\n", mp->cache_size);
	for (lcore = 0; lcore < DP_MAX_LCORE; lcore++)
		if (mp->local_cache[lcore] != NULL)
			fprintf(f, "    lcore %u: cache len=%u\n", lcore,
				mp->local_cache[lcore]->len);
	fprintf(f, "  backend count=%u caches=%u avail=%u in_use=%u\n",
		(mp->flags & __DP_MEMPOOL_F_POOL_CREATED) ?
		mempool_ops_get_count(mp) : 0, caches_len(mp), avail,
		mp->populated_size - avail);
}

static void
list_dump_one(struct dp_mempool *mp, void *arg)
{
	dp_mempool_dump(arg, mp);
}

void
dp_mempool_list_dump(FILE *f)
{
	dp_mempool_walk(list_dump_one, f != NULL ? f : stderr);
}

struct audit_ctx {
	unsigned int bad;
	unsigned int free_cookies;
};

static void
audit_obj(struct dp_mempool *mp, void *opaque, void *obj, unsigned int idx)
{
	struct audit_ctx *a = opaque;
	const struct dp_mempool_objhdr *hdr = __dp_mempool_get_header(obj);

	if (hdr->mp != mp) {
		MP_LOG(ERR, mp->name, "audit: object %u (%p): header names "
			"another pool (overwritten?)", idx, obj);
		a->bad++;
		return;
	}
#if DP_MEMPOOL_DEBUG
	if (trailer_cookie(mp, obj) != __DP_MEMPOOL_COOKIE_TRAILER) {
		MP_LOG(ERR, mp->name, "audit: object %u (%p) was written past "
			"its end", idx, obj);
		a->bad++;
	}
	if (hdr->cookie == __DP_MEMPOOL_COOKIE_FREE)
		a->free_cookies++;
	else if (hdr->cookie != __DP_MEMPOOL_COOKIE_ALLOC) {
		MP_LOG(ERR, mp->name, "audit: object %u (%p) has a corrupt "
			"header cookie", idx, obj);
		a->bad++;
	}
#endif
}

int
dp_mempool_audit(struct dp_mempool *mp)
{
	struct audit_ctx a = { 0, 0 };
	unsigned int lcore, count, avail;

	if (mp == NULL)
		return -EINVAL;
	for (lcore = 0; lcore < DP_MAX_LCORE; lcore++) {
		const struct dp_mempool_cache *c = mp->local_cache[lcore];

		if (c == NULL)
			continue;
		if (c->size != mp->cache_size || c->len > c->capacity ||
		    c->len > mp->size) {
			MP_LOG(ERR, mp->name, "audit: cache of lcore %u is "
				"corrupt (size %u, len %u, capacity %u)", lcore,
				c->size, c->len, c->capacity);
			a.bad++;
		}
	}
	count = dp_mempool_obj_iter(mp, audit_obj, &a);
	if (count != mp->populated_size) {
		MP_LOG(ERR, mp->name, "audit: %u objects in the list, %u "
			"populated", count, mp->populated_size);
		a.bad++;
	}
	if (mp->flags & __DP_MEMPOOL_F_POOL_CREATED) {
		count = mempool_ops_get_count(mp) + caches_len(mp);
		if (count > mp->populated_size) {
			MP_LOG(ERR, mp->name, "audit: %u objects free but only %u "
				"exist (an object was put twice?)", count,
				mp->populated_size);
			a.bad++;
		}
	}
	avail = dp_mempool_avail_count(mp);
#if DP_MEMPOOL_DEBUG
	/* Objects in user caches are free but not counted. */
	if (a.free_cookies < avail) {
		MP_LOG(ERR, mp->name, "audit: %u objects are in the pool but "
			"only %u are marked free", avail, a.free_cookies);
		a.bad++;
	}
#else
	(void)avail;
#endif
	return a.bad ? -EFAULT : 0;
}
