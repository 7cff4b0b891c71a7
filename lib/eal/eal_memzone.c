/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Memzones: named reservations carved from the socket heaps, with an
 * alignment that holds for both the address and the IOVA, and with
 * DP_MEMZONE_IOVA_CONTIG kept inside one memseg (one IOVA-contiguous run).
 * A fixed table of zones keeps every returned pointer valid until the
 * zone is freed or the EAL is cleaned up.
 */

#include <string.h>

#include "eal_memory_private.h"

#define EAL_MEMZONE_MAX 2560

static struct dp_memzone zones[EAL_MEMZONE_MAX];
static unsigned int nb_zones;

static bool
zone_used(const struct dp_memzone *mz)
{
	return mz->name[0] != '\0';
}

static struct dp_memzone *
zone_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < EAL_MEMZONE_MAX; i++)
		if (zone_used(&zones[i]) && strcmp(zones[i].name, name) == 0)
			return &zones[i];
	return NULL;
}

static bool
check_reserve_args(const char *name, size_t len, unsigned int flags,
	unsigned int align)
{
	size_t nlen = name ? strnlen(name, DP_MEMZONE_NAMESIZE) : 0;

	if (nlen == 0 || nlen >= DP_MEMZONE_NAMESIZE) {
		DP_LOG(ERR, eal, "dp_memzone_reserve: name '%.*s%s' must have 1 "
			"to %d characters", DP_MEMZONE_NAMESIZE - 1,
			name ? name : "(null)", nlen >= DP_MEMZONE_NAMESIZE ?
			"..." : "", DP_MEMZONE_NAMESIZE - 1);
		return false;
	}
	if (len == 0) {
		DP_LOG(ERR, eal, "dp_memzone_reserve(%s): length 0 (ask for at "
			"least one byte)", name);
		return false;
	}
	if (align != 0 && !dp_is_power_of_2(align)) {
		DP_LOG(ERR, eal, "dp_memzone_reserve(%s): alignment %u is not a "
			"power of two", name, align);
		return false;
	}
	if (flags & ~DP_MEMZONE_IOVA_CONTIG) {
		DP_LOG(ERR, eal, "dp_memzone_reserve(%s): unknown flags 0x%x "
			"(only DP_MEMZONE_IOVA_CONTIG is defined)", name,
			flags & ~DP_MEMZONE_IOVA_CONTIG);
		return false;
	}
	return true;
}

const struct dp_memzone *
dp_memzone_reserve_aligned(const char *name, size_t len, int socket_id,
	unsigned int flags, unsigned int align)
{
	struct dp_memzone *mz = NULL, *dup;
	const struct dp_memseg *ms;
	char what[DP_MEMZONE_NAMESIZE + 32];
	unsigned int i;
	void *addr;

	if (!check_reserve_args(name, len, flags, align)) {
		dp_errno = EINVAL;
		return NULL;
	}
	if (align == 0)
		align = DP_CACHE_LINE_SIZE;
	snprintf(what, sizeof(what), "dp_memzone_reserve(%s)", name);
	pthread_mutex_lock(&eal_mem_lock);
	dup = zone_find(name);
	if (dup != NULL) {
		pthread_mutex_unlock(&eal_mem_lock);
		DP_LOG(ERR, eal, "%s: a memzone of that name already exists (%zu "
			"bytes on socket %d): pick another name, or use "
			"dp_memzone_lookup()", what, dup->len, dup->socket_id);
		dp_errno = EEXIST;
		return NULL;
	}
	for (i = 0; i < EAL_MEMZONE_MAX; i++)
		if (!zone_used(&zones[i])) {
			mz = &zones[i];
			break;
		}
	if (mz == NULL) {
		pthread_mutex_unlock(&eal_mem_lock);
		DP_LOG(ERR, eal, "%s: all %d memzones are in use: free some with "
			"dp_memzone_free()", what, EAL_MEMZONE_MAX);
		dp_errno = ENOSPC;
		return NULL;
	}
	addr = eal_heap_alloc_on(socket_id, len, align, EAL_HEAP_MEMZONE |
		((flags & DP_MEMZONE_IOVA_CONTIG) ? EAL_HEAP_CONTIG : 0), what);
	if (addr == NULL) {
		pthread_mutex_unlock(&eal_mem_lock);
		return NULL;	/* logged, dp_errno set */
	}
	ms = dp_mem_virt2memseg(addr);
	snprintf(mz->name, sizeof(mz->name), "%s", name);
	mz->addr = addr;
	mz->iova = dp_mem_virt2iova(addr);
	mz->len = len;
	mz->hugepage_sz = ms->hugepage_sz;
	mz->socket_id = ms->socket_id;
	mz->flags = flags;
	nb_zones++;
	pthread_mutex_unlock(&eal_mem_lock);
	return mz;
}

const struct dp_memzone *
dp_memzone_reserve(const char *name, size_t len, int socket_id,
	unsigned int flags)
{
	return dp_memzone_reserve_aligned(name, len, socket_id, flags,
		DP_CACHE_LINE_SIZE);
}

const struct dp_memzone *
dp_memzone_lookup(const char *name)
{
	struct dp_memzone *mz;

	if (name == NULL) {
		dp_errno = EINVAL;
		return NULL;
	}
	pthread_mutex_lock(&eal_mem_lock);
	mz = zone_find(name);
	pthread_mutex_unlock(&eal_mem_lock);
	if (mz == NULL)
		dp_errno = ENOENT;
	return mz;
}

int
dp_memzone_free(const struct dp_memzone *mz)
{
	struct dp_memzone *z = (struct dp_memzone *)(uintptr_t)mz;
	int rc;

	pthread_mutex_lock(&eal_mem_lock);
	if (z < &zones[0] || z >= &zones[EAL_MEMZONE_MAX] ||
	    ((uintptr_t)z - (uintptr_t)zones) % sizeof(*z) != 0 || !zone_used(z)) {
		pthread_mutex_unlock(&eal_mem_lock);
		DP_LOG(ERR, eal, "dp_memzone_free(%p): not a reserved memzone "
			"(freed twice, or never returned by dp_memzone_reserve)",
			(const void *)mz);
		return -EINVAL;
	}
	rc = eal_heap_free(z->addr, "dp_memzone_free", true);
	if (rc == 0) {
		memset(z, 0, sizeof(*z));
		nb_zones--;
	}
	pthread_mutex_unlock(&eal_mem_lock);
	return rc;
}

void
dp_memzone_walk(void (*fn)(const struct dp_memzone *mz, void *arg), void *arg)
{
	unsigned int i;

	if (fn == NULL)
		return;
	/* The lock is recursive: fn may reserve, free or look up zones. */
	pthread_mutex_lock(&eal_mem_lock);
	for (i = 0; i < EAL_MEMZONE_MAX; i++)
		if (zone_used(&zones[i]))
			fn(&zones[i], arg);
	pthread_mutex_unlock(&eal_mem_lock);
}

static void
dump_one(const struct dp_memzone *mz, void *arg)
{
	FILE *f = arg;

	fprintf(f, "  memzone %-31s VA %p IOVA 0x%" PRIx64 " len %zu socket "
		"%d page %" PRIu64 "kB%s\n", mz->name, mz->addr, mz->iova,
		mz->len, mz->socket_id, mz->hugepage_sz >> 10,
		(mz->flags & DP_MEMZONE_IOVA_CONTIG) ? " IOVA-contiguous" : "");
}

void
dp_memzone_dump(FILE *f)
{
	if (f == NULL)
		f = stderr;
	pthread_mutex_lock(&eal_mem_lock);
	fprintf(f, "memzones: %u\n", nb_zones);
	dp_memzone_walk(dump_one, f);
	pthread_mutex_unlock(&eal_mem_lock);
	fflush(f);
}

void
eal_memzone_reset(void)
{
	pthread_mutex_lock(&eal_mem_lock);
	memset(zones, 0, sizeof(zones));
	nb_zones = 0;
	pthread_mutex_unlock(&eal_mem_lock);
}
