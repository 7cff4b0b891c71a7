/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Ring slow path: argument checks, sizing, init on caller memory, named
 * rings in EAL memory (create, lookup, free), reset and dump. The fast
 * path (enqueue/dequeue) is inline in dp_ring_core.h and dp_ring_elem.h.
 *
 * A named ring is a memzone called DP_RING_MZ_PREFIX + name holding the
 * ring: the memzone table is the registry, so lookup is a memzone lookup.
 * One lock orders create, lookup and free, so that lookup never returns
 * a ring whose memzone exists but whose header is not yet written.
 */

#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <string.h>

#include <dp_ring.h>
#include <dp_log.h>
#include <dp_memzone.h>

#include "ring_private.h"

DP_LOG_REGISTER(ring, "ring", INFO);

DP_STATIC_ASSERT(sizeof(struct dp_ring) % DP_CACHE_LINE_SIZE == 0,
	"the slot table must start on a cache line");
DP_STATIC_ASSERT(offsetof(struct dp_ring, prod) % (2 * DP_CACHE_LINE_SIZE) ==
	0, "prod must start a 128-byte pair (adjacent-line prefetch)");
DP_STATIC_ASSERT(offsetof(struct dp_ring, cons) % (2 * DP_CACHE_LINE_SIZE) ==
	0, "cons must start a 128-byte pair (adjacent-line prefetch)");
DP_STATIC_ASSERT(sizeof(DP_RING_MZ_PREFIX) - 1 + DP_RING_NAMESIZE ==
	DP_MEMZONE_NAMESIZE, "a ring name plus the prefix fills a memzone name");

static pthread_mutex_t ring_lock = PTHREAD_MUTEX_INITIALIZER;

/* Shown in front of every message: "ring 'name': " or "ring: ". */
#define RING_WHO_FMT "ring%s%s%s: "
#define RING_WHO(name) (name) ? " '" : "", (name) ? (name) : "", \
	(name) ? "'" : ""

/*
 * Check esize, count and flags; on success give the slot count and the
 * capacity. @name is only used in the messages (NULL for memsize).
 */
static int
ring_check_geometry(const char *name, unsigned int esize, unsigned int count,
	unsigned int flags, uint32_t *size, uint32_t *capacity)
{
	if (flags & ~DP_RING_F_ALL) {
		DP_LOG(ERR, ring, RING_WHO_FMT "unknown flags 0x%x (valid: "
			"DP_RING_F_SP_ENQ, DP_RING_F_SC_DEQ, DP_RING_F_EXACT_SZ)",
			RING_WHO(name), flags & ~DP_RING_F_ALL);
		return -EINVAL;
	}
	if (esize == 0) {
		DP_LOG(ERR, ring, RING_WHO_FMT "element size 0: give the size "
			"of one element in bytes (a multiple of 4)",
			RING_WHO(name));
		return -EINVAL;
	}
	if (esize % 4 != 0) {
		DP_LOG(ERR, ring, RING_WHO_FMT "element size %u is not a "
			"multiple of 4 bytes: pad the element to %u bytes",
			RING_WHO(name), esize, DP_ALIGN_CEIL(esize, 4u));
		return -EINVAL;
	}
	if (count == 0) {
		DP_LOG(ERR, ring, RING_WHO_FMT "count 0: a ring holds at least "
			"one element", RING_WHO(name));
		return -EINVAL;
	}
	if (count > DP_RING_SIZE_MAX) {
		DP_LOG(ERR, ring, RING_WHO_FMT "count %u is larger than the "
			"largest ring (%u elements)", RING_WHO(name), count,
			DP_RING_SIZE_MAX);
		return -EINVAL;
	}
	if (flags & DP_RING_F_EXACT_SZ) {
		*size = dp_align32pow2(count);
		*capacity = count;
	} else if (!dp_is_power_of_2(count)) {
		DP_LOG(ERR, ring, RING_WHO_FMT "count %u is not a power of two: "
			"use %u, or pass DP_RING_F_EXACT_SZ to hold exactly %u",
			RING_WHO(name), count, dp_align32pow2(count), count);
		return -EINVAL;
	} else {
		*size = count;
		*capacity = count;
	}
	return 0;
}

/* Bytes for the structure and @size slots; the checks made it fit. */
static size_t
ring_memsize(uint32_t size, unsigned int esize)
{
	return sizeof(struct dp_ring) +
		DP_CACHE_LINE_ROUNDUP((uint64_t)size * esize);
}

static int
ring_check_name(const char *name)
{
	if (name == NULL || name[0] == '\0') {
		DP_LOG(ERR, ring, "ring name is %s: give the ring a name",
			name == NULL ? "NULL" : "empty");
		return -EINVAL;
	}
	if (strlen(name) >= DP_RING_NAMESIZE) {
		DP_LOG(ERR, ring, "ring name '%s' is too long: at most %d "
			"characters", name, DP_RING_NAMESIZE - 1);
		return -ENAMETOOLONG;
	}
	return 0;
}

ssize_t
dp_ring_get_memsize_elem(unsigned int esize, unsigned int count,
	unsigned int flags)
{
	uint32_t size, capacity;
	size_t sz;
	int rc;

	rc = ring_check_geometry(NULL, esize, count, flags, &size, &capacity);
	if (rc < 0)
		return rc;
	sz = ring_memsize(size, esize);
	if (sz > (size_t)SSIZE_MAX) {
		DP_LOG(ERR, ring, "ring: %u elements of %u bytes do not fit in "
			"memory", count, esize);
		return -EINVAL;
	}
	return (ssize_t)sz;
}

ssize_t
dp_ring_get_memsize(unsigned int count, unsigned int flags)
{
	return dp_ring_get_memsize_elem(sizeof(void *), count, flags);
}

int
dp_ring_init_elem(struct dp_ring *r, const char *name, unsigned int esize,
	unsigned int count, unsigned int flags)
{
	uint32_t size, capacity;
	int rc;

	rc = ring_check_name(name);
	if (rc < 0)
		return rc;
	rc = ring_check_geometry(name, esize, count, flags, &size, &capacity);
	if (rc < 0)
		return rc;
	if (r == NULL || !DP_IS_ALIGNED(r, DP_CACHE_LINE_SIZE)) {
		DP_LOG(ERR, ring, "ring '%s': memory at %p is not aligned to "
			"%d bytes: allocate it with aligned_alloc() or "
			"dp_malloc()", name, (void *)r, DP_CACHE_LINE_SIZE);
		return -EINVAL;
	}

	/* The slots need no init: only [cons.tail, prod.tail) is ever read. */
	memset(r, 0, sizeof(*r));
	memcpy(r->name, name, strlen(name) + 1);
	r->flags = flags;
	r->size = size;
	r->mask = size - 1;
	r->capacity = capacity;
	r->esize = esize;
	r->prod.single = !!(flags & DP_RING_F_SP_ENQ);
	r->cons.single = !!(flags & DP_RING_F_SC_DEQ);
	return 0;
}

int
dp_ring_init(struct dp_ring *r, const char *name, unsigned int count,
	unsigned int flags)
{
	return dp_ring_init_elem(r, name, sizeof(void *), count, flags);
}

/* The memzone name of ring @name (which ring_check_name() accepted). */
static void
ring_mz_name(char *buf, const char *name)
{
	snprintf(buf, DP_MEMZONE_NAMESIZE, "%s%s", DP_RING_MZ_PREFIX, name);
}

struct dp_ring *
dp_ring_create_elem(const char *name, unsigned int esize, unsigned int count,
	int socket_id, unsigned int flags)
{
	char mz_name[DP_MEMZONE_NAMESIZE];
	const struct dp_memzone *mz;
	uint32_t size, capacity;
	struct dp_ring *r;
	size_t memsize;
	int rc;

	rc = ring_check_name(name);
	if (rc == 0)
		rc = ring_check_geometry(name, esize, count, flags, &size,
			&capacity);
	if (rc < 0) {
		dp_errno = -rc;
		return NULL;
	}
	memsize = ring_memsize(size, esize);
	ring_mz_name(mz_name, name);

	pthread_mutex_lock(&ring_lock);
	if (dp_memzone_lookup(mz_name) != NULL) {
		pthread_mutex_unlock(&ring_lock);
		DP_LOG(ERR, ring, "ring '%s' already exists: pick another name, "
			"or find it with dp_ring_lookup()", name);
		dp_errno = EEXIST;
		return NULL;
	}
	mz = dp_memzone_reserve(mz_name, memsize, socket_id, 0);
	if (mz == NULL) {
		rc = dp_errno;
		pthread_mutex_unlock(&ring_lock);
		/* The memzone layer logged why; say which ring it was for. */
		DP_LOG(ERR, ring, "ring '%s': cannot reserve %zu bytes of EAL "
			"memory: %s", name, memsize, dp_strerror(rc));
		dp_errno = rc;
		return NULL;
	}
	r = mz->addr;
	/* Cannot fail: the arguments were checked, memzones are aligned. */
	dp_ring_init_elem(r, name, esize, count, flags);
	r->memzone = mz;
	pthread_mutex_unlock(&ring_lock);
	DP_LOG(DEBUG, ring, "ring '%s' created: %u slots of %u bytes, capacity "
		"%u, socket %d", name, size, esize, capacity, mz->socket_id);
	return r;
}

struct dp_ring *
dp_ring_create(const char *name, unsigned int count, int socket_id,
	unsigned int flags)
{
	return dp_ring_create_elem(name, sizeof(void *), count, socket_id,
		flags);
}

struct dp_ring *
dp_ring_lookup(const char *name)
{
	char mz_name[DP_MEMZONE_NAMESIZE];
	const struct dp_memzone *mz;

	if (name == NULL) {
		dp_errno = EINVAL;
		return NULL;
	}
	/* A name too long for a ring cannot name one. */
	if (strlen(name) >= DP_RING_NAMESIZE) {
		dp_errno = ENOENT;
		return NULL;
	}
	ring_mz_name(mz_name, name);
	pthread_mutex_lock(&ring_lock);
	mz = dp_memzone_lookup(mz_name);
	pthread_mutex_unlock(&ring_lock);
	if (mz == NULL) {
		dp_errno = ENOENT;
		return NULL;
	}
	return mz->addr;
}

void
dp_ring_free(struct dp_ring *r)
{
	const struct dp_memzone *mz;

	if (r == NULL)
		return;
	mz = r->memzone;
	if (mz == NULL) {
		DP_LOG(ERR, ring, "dp_ring_free: ring '%s' was made by "
			"dp_ring_init() on caller memory: release that memory "
			"instead", r->name);
		return;
	}
	pthread_mutex_lock(&ring_lock);
	if (mz->addr != (void *)r || dp_memzone_free(mz) < 0) {
		pthread_mutex_unlock(&ring_lock);
		DP_LOG(ERR, ring, "dp_ring_free(%p): not a ring made by "
			"dp_ring_create() (freed twice?)", (void *)r);
		return;
	}
	pthread_mutex_unlock(&ring_lock);
}

void
ring_reset_to_index(struct dp_ring *r, uint32_t idx)
{
	__atomic_store_n(&r->prod.head, idx, __ATOMIC_RELAXED);
	__atomic_store_n(&r->prod.tail, idx, __ATOMIC_RELAXED);
	__atomic_store_n(&r->cons.head, idx, __ATOMIC_RELAXED);
	__atomic_store_n(&r->cons.tail, idx, __ATOMIC_RELAXED);
}

void
dp_ring_reset(struct dp_ring *r)
{
	ring_reset_to_index(r, 0);
}

void
dp_ring_dump(FILE *f, const struct dp_ring *r)
{
	if (f == NULL)
		f = stderr;
	if (r == NULL) {
		fprintf(f, "ring: NULL\n");
		return;
	}
	fprintf(f, "ring '%s' at %p\n", r->name, (const void *)r);
	fprintf(f, "  flags=0x%x (%s enqueue, %s dequeue%s)\n", r->flags,
		r->prod.single ? "single-producer" : "multi-producer",
		r->cons.single ? "single-consumer" : "multi-consumer",
		(r->flags & DP_RING_F_EXACT_SZ) ? ", exact size" : "");
	fprintf(f, "  size=%" PRIu32 " capacity=%" PRIu32 " esize=%" PRIu32
		" memzone=%s\n", r->size, r->capacity, r->esize,
		r->memzone != NULL ? "yes" : "no (caller memory)");
	fprintf(f, "  prod.head=%" PRIu32 " prod.tail=%" PRIu32 "\n",
		__atomic_load_n(&r->prod.head, __ATOMIC_RELAXED),
		__atomic_load_n(&r->prod.tail, __ATOMIC_RELAXED));
	fprintf(f, "  cons.head=%" PRIu32 " cons.tail=%" PRIu32 "\n",
		__atomic_load_n(&r->cons.head, __ATOMIC_RELAXED),
		__atomic_load_n(&r->cons.tail, __ATOMIC_RELAXED));
	fprintf(f, "  used=%u free=%u\n", dp_ring_count(r),
		dp_ring_free_count(r));
}
