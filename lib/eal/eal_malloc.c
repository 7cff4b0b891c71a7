/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_malloc() and friends: argument checks, the choice of socket heap
 * (and the fallback when a socket has no memory), zeroing, realloc,
 * statistics. The allocator itself is in eal_malloc_heap.c.
 */

#include <string.h>

#include <dp_lcore.h>

#include "eal_memory_private.h"

static void
format_heap_sockets(char *buf, size_t len)
{
	struct malloc_heap *h;
	size_t off = 0;

	buf[0] = '\0';
	for (h = eal_heap_next(NULL); h && off < len; h = eal_heap_next(h))
		off += snprintf(buf + off, len - off, "%s%d", off ? "," : "",
			eal_heap_socket(h));
}

static void
log_no_room(int socket, size_t size, size_t align, unsigned int flags,
	const char *what)
{
	struct dp_malloc_socket_stats st;
	struct malloc_heap *h;
	size_t largest = 0, fit, total = 0;
	char tot[32], where[16];

	for (h = eal_heap_next(NULL); h; h = eal_heap_next(h)) {
		if (socket != DP_SOCKET_ID_ANY && eal_heap_socket(h) != socket)
			continue;
		fit = eal_heap_largest_fit(h, align, flags);
		largest = DP_MAX(largest, fit);
		eal_heap_stats(h, &st);
		total += st.heap_totalsz_bytes;
	}
	eal_format_size(dp_mem_total(), tot, sizeof(tot));
	if (socket == DP_SOCKET_ID_ANY)
		snprintf(where, sizeof(where), "any socket");
	else
		snprintf(where, sizeof(where), "socket %d", socket);
	DP_LOG(ERR, eal, "%s: no room for %zu bytes%s (alignment %zu) on %s: "
		"the largest %sblock that fits is %zu bytes, %zu bytes managed "
		"of %s of EAL memory; reserve more with -m or --socket-mem%s",
		what, size, (flags & EAL_HEAP_CONTIG) ? " IOVA-contiguous" : "",
		align, where, (flags & EAL_HEAP_CONTIG) ? "contiguous " : "",
		largest, total, tot,
		(flags & EAL_HEAP_CONTIG) && eal_iova_mode == DP_IOVA_PA ?
		" (in PA mode contiguity is physical: IOVA mode VA, or 1 GB "
		"pages, make large contiguous zones possible)" : "");
}

void *
eal_heap_alloc_on(int socket, size_t size, size_t align, unsigned int flags,
	const char *what)
{
	struct malloc_heap *h, *local;
	char sockets[64];
	void *p;

	if (!__atomic_load_n(&eal_mem.ready, __ATOMIC_ACQUIRE)) {
		DP_LOG(ERR, eal, "%s: EAL memory is not set up (call "
			"dp_eal_init() first)", what);
		dp_errno = ENODEV;
		return NULL;
	}
	if (socket != DP_SOCKET_ID_ANY &&
	    (socket < 0 || socket >= DP_MAX_NUMA_NODES)) {
		DP_LOG(ERR, eal, "%s: socket %d is not a NUMA node id (0-%d, "
			"or DP_SOCKET_ID_ANY)", what, socket,
			DP_MAX_NUMA_NODES - 1);
		dp_errno = EINVAL;
		return NULL;
	}
	if (socket != DP_SOCKET_ID_ANY) {
		h = eal_heap_of_socket(socket);
		if (h != NULL) {
			p = eal_heap_alloc(h, size, align, flags);
			if (p == NULL)
				goto no_room;
			return p;
		}
		format_heap_sockets(sockets, sizeof(sockets));
		DP_LOG(WARNING, eal, "%s: socket %d has no EAL memory (it is on "
			"socket %s): using another socket, which is slower for "
			"lcores and devices on socket %d; reserve memory there "
			"with --socket-mem", what, socket, sockets, socket);
	}
	local = eal_heap_of_socket(dp_socket_id());
	if (local != NULL && (p = eal_heap_alloc(local, size, align, flags)))
		return p;
	for (h = eal_heap_next(NULL); h; h = eal_heap_next(h))
		if (h != local && (p = eal_heap_alloc(h, size, align, flags)))
			return p;
	socket = DP_SOCKET_ID_ANY;
no_room:
	log_no_room(socket, size, align < 64 ? 64 : align, flags, what);
	dp_errno = ENOMEM;
	return NULL;
}

static bool
check_args(const char *fn, size_t size, unsigned int align)
{
	if (size == 0) {
		DP_LOG(ERR, eal, "%s: size 0 asked (ask for at least one byte)",
			fn);
		dp_errno = EINVAL;
		return false;
	}
	if (align != 0 && !dp_is_power_of_2(align)) {
		DP_LOG(ERR, eal, "%s: alignment %u is not a power of two", fn,
			align);
		dp_errno = EINVAL;
		return false;
	}
	return true;
}

static void *
malloc_common(const char *fn, size_t size, unsigned int align, int socket,
	bool zero)
{
	void *p;

	if (!check_args(fn, size, align))
		return NULL;
	pthread_mutex_lock(&eal_mem_lock);
	p = eal_heap_alloc_on(socket, size, align, 0, fn);
	pthread_mutex_unlock(&eal_mem_lock);
	if (p != NULL && zero)
		memset(p, 0, size);
	return p;
}

void *
dp_malloc(const char *type, size_t size, unsigned int align)
{
	(void)type;
	return malloc_common("dp_malloc", size, align, DP_SOCKET_ID_ANY, false);
}

void *
dp_zmalloc(const char *type, size_t size, unsigned int align)
{
	(void)type;
	return malloc_common("dp_zmalloc", size, align, DP_SOCKET_ID_ANY, true);
}

void *
dp_malloc_socket(const char *type, size_t size, unsigned int align, int socket)
{
	(void)type;
	return malloc_common("dp_malloc_socket", size, align, socket, false);
}

void *
dp_zmalloc_socket(const char *type, size_t size, unsigned int align, int socket)
{
	(void)type;
	return malloc_common("dp_zmalloc_socket", size, align, socket, true);
}

static void *
calloc_common(const char *fn, size_t num, size_t size, unsigned int align,
	int socket)
{
	if (size != 0 && num > SIZE_MAX / size) {
		DP_LOG(ERR, eal, "%s: %zu elements of %zu bytes overflow the "
			"address space", fn, num, size);
		dp_errno = EINVAL;
		return NULL;
	}
	return malloc_common(fn, num * size, align, socket, true);
}

void *
dp_calloc(const char *type, size_t num, size_t size, unsigned int align)
{
	(void)type;
	return calloc_common("dp_calloc", num, size, align, DP_SOCKET_ID_ANY);
}

void *
dp_calloc_socket(const char *type, size_t num, size_t size, unsigned int align,
	int socket)
{
	(void)type;
	return calloc_common("dp_calloc_socket", num, size, align, socket);
}

static void *
realloc_common(const char *fn, void *ptr, size_t size, unsigned int align,
	int socket)
{
	size_t old;
	void *p;

	if (ptr == NULL)
		return malloc_common(fn, size, align, socket, false);
	if (!check_args(fn, size, align))
		return NULL;
	pthread_mutex_lock(&eal_mem_lock);
	old = eal_heap_usable_size(ptr);
	if (old == 0) {
		pthread_mutex_unlock(&eal_mem_lock);
		DP_LOG(ERR, eal, "%s(%p): not a live allocation from dp_malloc "
			"(foreign pointer or already freed); nothing was changed",
			fn, ptr);
		dp_errno = EINVAL;
		return NULL;
	}
	if (eal_heap_is_memzone(ptr)) {
		/* Resizing would leave the memzone's length wrong and hand
		 * its memory to the next dp_malloc. */
		pthread_mutex_unlock(&eal_mem_lock);
		DP_LOG(ERR, eal, "%s(%p): this is a memzone's memory; it cannot "
			"be resized (reserve a new memzone instead)", fn, ptr);
		dp_errno = EINVAL;
		return NULL;
	}
	if (DP_IS_ALIGNED(ptr, align ? align : 1) &&
	    (socket == DP_SOCKET_ID_ANY || socket == eal_heap_socket_of(ptr)) &&
	    eal_heap_resize(ptr, size) == 0) {
		pthread_mutex_unlock(&eal_mem_lock);
		return ptr;
	}
	p = eal_heap_alloc_on(socket, size, align, 0, fn);
	if (p != NULL) {
		memcpy(p, ptr, DP_MIN(old, size));
		eal_heap_free(ptr, fn, false);
	}
	pthread_mutex_unlock(&eal_mem_lock);
	return p;
}

void *
dp_realloc(void *ptr, size_t size, unsigned int align)
{
	return realloc_common("dp_realloc", ptr, size, align, DP_SOCKET_ID_ANY);
}

void *
dp_realloc_socket(void *ptr, size_t size, unsigned int align, int socket)
{
	return realloc_common("dp_realloc_socket", ptr, size, align, socket);
}

void
dp_free(void *ptr)
{
	if (ptr == NULL)
		return;
	pthread_mutex_lock(&eal_mem_lock);
	eal_heap_free(ptr, "dp_free", false);
	pthread_mutex_unlock(&eal_mem_lock);
}

dp_iova_t
dp_malloc_virt2iova(const void *ptr)
{
	return dp_mem_virt2iova(ptr);
}

int
dp_malloc_get_stats(int socket, struct dp_malloc_socket_stats *stats)
{
	struct malloc_heap *h;

	if (stats == NULL)
		return -EINVAL;
	pthread_mutex_lock(&eal_mem_lock);
	h = __atomic_load_n(&eal_mem.ready, __ATOMIC_ACQUIRE) ?
		eal_heap_of_socket(socket) : NULL;
	if (h != NULL)
		eal_heap_stats(h, stats);
	pthread_mutex_unlock(&eal_mem_lock);
	if (h == NULL) {
		DP_LOG(ERR, eal, "dp_malloc_get_stats: socket %d has no heap "
			"(no EAL memory there, or dp_eal_init() has not run)",
			socket);
		return -EINVAL;
	}
	return 0;
}

void
dp_malloc_dump_stats(FILE *f, const char *type)
{
	struct dp_malloc_socket_stats st;
	struct malloc_heap *h;

	(void)type;
	if (f == NULL)
		f = stderr;
	pthread_mutex_lock(&eal_mem_lock);
	if (!__atomic_load_n(&eal_mem.ready, __ATOMIC_ACQUIRE))
		fprintf(f, "heap: none (dp_eal_init() has not run)\n");
	for (h = eal_heap_next(NULL); h && eal_mem.ready; h = eal_heap_next(h)) {
		eal_heap_stats(h, &st);
		fprintf(f, "heap socket %d: %zu bytes, %zu free in %u blocks "
			"(largest %zu), %zu allocated in %u blocks\n",
			eal_heap_socket(h), st.heap_totalsz_bytes,
			st.heap_freesz_bytes, st.free_count,
			st.greatest_free_size, st.heap_allocsz_bytes,
			st.alloc_count);
	}
	pthread_mutex_unlock(&eal_mem_lock);
	fflush(f);
}
