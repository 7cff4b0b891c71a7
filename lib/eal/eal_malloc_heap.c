/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The heap allocator under dp_malloc() and memzones: one heap per socket,
 * each made of regions (runs of memsegs of that socket). A region is a
 * chain of elements, each with a 64-byte header; free elements also sit
 * in size-class free lists. Allocation is first fit over the free lists
 * with any power-of-two alignment (and, for IOVA-contiguous requests,
 * within one memseg); freeing coalesces with both neighbours.
 *
 * Frees are validated before anything is written: the pointer must be in
 * EAL memory, the header's magic (which depends on its address) must
 * match, the element must be busy and its neighbours must point back at
 * it. A double free or a foreign pointer is logged and changes nothing.
 *
 * Callers hold eal_mem_lock.
 */

#include <string.h>

#include "eal_memory_private.h"

#define ELEM_HDR	64u			/* header size = minimum alignment */
#define ELEM_MAGIC	0x64706d65u		/* "dpme" */
#define HEAP_NB_BINS	48

enum elem_state {
	ELEM_FREE = 0x46524545u,	/* "FREE" */
	ELEM_BUSY = 0x42555359u,	/* "BUSY" */
	ELEM_END = 0x454e4421u,		/* "END!": last element of a region */
};

struct malloc_elem {
	struct malloc_elem *prev;	/* element just below, NULL if first */
	size_t size;			/* bytes from this header to the next */
	struct malloc_heap *heap;
	uint32_t state;			/* enum elem_state */
	uint32_t magic;			/* ELEM_MAGIC mixed with the address */
	size_t req;			/* bytes asked for (busy elements) */
	struct malloc_elem *fl_next;	/* free list (free elements) */
	struct malloc_elem *fl_prev;
	uint32_t flags;			/* EAL_HEAP_MEMZONE */
	uint32_t pad;
};
DP_STATIC_ASSERT(sizeof(struct malloc_elem) == ELEM_HDR,
	"element header must be one cache line");

struct malloc_heap {
	int socket;
	unsigned int nb_regions;
	struct malloc_elem *bins[HEAP_NB_BINS];
	size_t free_bytes;
	size_t alloc_bytes;
	unsigned int free_count;
	unsigned int alloc_count;
};

static struct malloc_heap heaps[DP_MAX_NUMA_NODES];

/* ---- helpers ----------------------------------------------------------- */

static uint32_t
elem_magic(const struct malloc_elem *e)
{
	return ELEM_MAGIC ^ (uint32_t)((uintptr_t)e >> 6);
}

static struct malloc_elem *
elem_next(const struct malloc_elem *e)
{
	return (struct malloc_elem *)((char *)e + e->size);
}

static void *
elem_data(const struct malloc_elem *e)
{
	return (char *)e + ELEM_HDR;
}

static unsigned int
bin_of(size_t size)
{
	unsigned int b = dp_log2_u64(size);

	b = b > 6 ? b - 6 : 0;
	return b < HEAP_NB_BINS ? b : HEAP_NB_BINS - 1;
}

static void
fl_insert(struct malloc_heap *h, struct malloc_elem *e)
{
	unsigned int b = bin_of(e->size);

	e->fl_prev = NULL;
	e->fl_next = h->bins[b];
	if (e->fl_next)
		e->fl_next->fl_prev = e;
	h->bins[b] = e;
}

static void
fl_remove(struct malloc_heap *h, struct malloc_elem *e)
{
	if (e->fl_prev)
		e->fl_prev->fl_next = e->fl_next;
	else
		h->bins[bin_of(e->size)] = e->fl_next;
	if (e->fl_next)
		e->fl_next->fl_prev = e->fl_prev;
	e->fl_next = e->fl_prev = NULL;
}

static void
elem_init(struct malloc_elem *e, struct malloc_heap *h,
	struct malloc_elem *prev, size_t size, uint32_t state)
{
	e->prev = prev;
	e->size = size;
	e->heap = h;
	e->state = state;
	e->magic = elem_magic(e);
	e->req = 0;
	e->fl_next = e->fl_prev = NULL;
	e->flags = 0;
	e->pad = 0;
}

/* Make [e, e + size) a free element, inserted in its list. */
static void
make_free(struct malloc_heap *h, struct malloc_elem *e,
	struct malloc_elem *prev, size_t size)
{
	elem_init(e, h, prev, size, ELEM_FREE);
	elem_next(e)->prev = e;
	fl_insert(h, e);
	h->free_bytes += size;
	h->free_count++;
}

/* ---- heaps --------------------------------------------------------------- */

struct malloc_heap *
eal_heap_of_socket(int socket)
{
	if (socket < 0 || socket >= DP_MAX_NUMA_NODES ||
	    heaps[socket].nb_regions == 0)
		return NULL;
	return &heaps[socket];
}

struct malloc_heap *
eal_heap_next(struct malloc_heap *prev)
{
	int s = prev ? prev->socket + 1 : 0;

	for (; s < DP_MAX_NUMA_NODES; s++)
		if (heaps[s].nb_regions)
			return &heaps[s];
	return NULL;
}

int
eal_heap_socket(const struct malloc_heap *heap)
{
	return heap->socket;
}

int
eal_heap_add_region(int socket, void *start, size_t len)
{
	struct malloc_heap *h;
	struct malloc_elem *first, *end;
	uintptr_t s = DP_ALIGN_CEIL((uintptr_t)start, (uintptr_t)ELEM_HDR);
	uintptr_t e = DP_ALIGN_FLOOR((uintptr_t)start + len, (uintptr_t)ELEM_HDR);

	if (socket < 0 || socket >= DP_MAX_NUMA_NODES) {
		DP_LOG(ERR, eal, "memory on NUMA node %d is beyond this build's "
			"limit of %d nodes (rebuild with -Dmax_numa_nodes=N)",
			socket, DP_MAX_NUMA_NODES);
		return -ERANGE;
	}
	if (e <= s || e - s < 2 * ELEM_HDR)
		return 0;	/* too small to hold anything */
	h = &heaps[socket];
	h->socket = socket;
	first = (struct malloc_elem *)s;
	end = (struct malloc_elem *)(e - ELEM_HDR);
	/* The end marker is never freed: a region's last element's next. */
	elem_init(end, h, first, ELEM_HDR, ELEM_END);
	make_free(h, first, NULL, (size_t)((uintptr_t)end - s));
	h->nb_regions++;
	return 0;
}

void
eal_heap_reset(void)
{
	memset(heaps, 0, sizeof(heaps));
}

/* ---- allocation ----------------------------------------------------------- */

/*
 * Lowest data address in free element @p e where @p need bytes fit with
 * both VA and IOVA aligned to @p align and, with EAL_HEAP_CONTIG, inside
 * one memseg. 0 if there is none.
 */
static uintptr_t
elem_fit(const struct malloc_elem *e, size_t need, size_t align,
	unsigned int flags)
{
	uintptr_t end = (uintptr_t)e + e->size;
	uintptr_t d = DP_ALIGN_CEIL((uintptr_t)e + ELEM_HDR, (uintptr_t)align);

	while (d < end && end - d >= need) {
		const struct dp_memseg *s;

		/* VA and IOVA share the offset inside a page, so this only
		 * moves for alignments above the page size in PA mode. */
		if (dp_mem_virt2iova((void *)d) % align != 0) {
			d += align;
			continue;
		}
		if (flags & EAL_HEAP_CONTIG) {
			s = dp_mem_virt2memseg((void *)d);
			if (s == NULL)
				return 0;
			if ((uintptr_t)s->addr + s->len - d < need) {
				d = DP_ALIGN_CEIL((uintptr_t)s->addr + s->len,
					(uintptr_t)align);
				continue;
			}
		}
		return d;
	}
	return 0;
}

/* Take [d - HDR, d + need) out of free element @p e. */
static struct malloc_elem *
elem_carve(struct malloc_heap *h, struct malloc_elem *e, uintptr_t d,
	size_t need)
{
	struct malloc_elem *b = (struct malloc_elem *)(d - ELEM_HDR);
	struct malloc_elem *next = elem_next(e), *prev;
	uintptr_t tail = d + need;

	fl_remove(h, e);
	h->free_bytes -= e->size;
	h->free_count--;
	prev = e->prev;
	if (b != e) {
		/* The front part stays free (a multiple of ELEM_HDR). */
		make_free(h, e, prev, (uintptr_t)b - (uintptr_t)e);
		prev = e;
	}
	elem_init(b, h, prev, tail - (uintptr_t)b, ELEM_BUSY);
	next->prev = b;
	if (tail < (uintptr_t)next)
		make_free(h, (struct malloc_elem *)tail, b,
			(uintptr_t)next - tail);
	h->alloc_bytes += b->size;
	h->alloc_count++;
	return b;
}

void *
eal_heap_alloc(struct malloc_heap *h, size_t size, size_t align,
	unsigned int flags)
{
	struct malloc_elem *e, *b;
	unsigned int bin;
	size_t need;
	uintptr_t d;

	if (align < ELEM_HDR)
		align = ELEM_HDR;
	if (size == 0 || size > SIZE_MAX / 2 || align > SIZE_MAX / 4)
		return NULL;
	need = DP_ALIGN_CEIL(size, (size_t)ELEM_HDR);
	for (bin = bin_of(need + ELEM_HDR); bin < HEAP_NB_BINS; bin++)
		for (e = h->bins[bin]; e != NULL; e = e->fl_next) {
			if (e->size < need + ELEM_HDR)
				continue;
			d = elem_fit(e, need, align, flags);
			if (d == 0)
				continue;
			b = elem_carve(h, e, d, need);
			b->req = size;
			b->flags = flags & EAL_HEAP_MEMZONE;
			return elem_data(b);
		}
	return NULL;
}

/* ---- validation and free ------------------------------------------------- */

static bool
elem_ptr_ok(const void *p)
{
	return eal_mem_contains(p) && DP_IS_ALIGNED(p, ELEM_HDR) &&
		eal_mem_contains((const char *)p + ELEM_HDR - 1);
}

/*
 * The element of a live allocation at @p ptr, or NULL with *why set.
 * Reads only EAL memory, checked before each read.
 */
static struct malloc_elem *
elem_of(const void *ptr, const char **why)
{
	struct malloc_elem *e, *next;

	*why = "not memory from dp_malloc (foreign pointer)";
	if (!eal_mem_contains(ptr) || !DP_IS_ALIGNED(ptr, ELEM_HDR) ||
	    (uintptr_t)ptr - (uintptr_t)eal_mem.base < ELEM_HDR)
		return NULL;
	e = (struct malloc_elem *)((uintptr_t)ptr - ELEM_HDR);
	if (e->magic != elem_magic(e))
		return NULL;
	if (e->state == ELEM_FREE) {
		*why = "already freed (double free)";
		return NULL;
	}
	if (e->state != ELEM_BUSY || e->heap < &heaps[0] ||
	    e->heap >= &heaps[DP_MAX_NUMA_NODES] ||
	    e->size < ELEM_HDR || e->size % ELEM_HDR != 0)
		return NULL;
	next = elem_next(e);
	if (!elem_ptr_ok(next) || next->magic != elem_magic(next) ||
	    next->prev != e)
		return NULL;
	if (e->prev != NULL && (!elem_ptr_ok(e->prev) ||
	    e->prev->magic != elem_magic(e->prev) || elem_next(e->prev) != e))
		return NULL;
	return e;
}

/* Free a busy element, merging it with free neighbours. */
static void
elem_release(struct malloc_elem *e)
{
	struct malloc_heap *h = e->heap;
	struct malloc_elem *next = elem_next(e), *prev = e->prev;
	size_t size = e->size;

	h->alloc_bytes -= size;
	h->alloc_count--;
	e->state = ELEM_FREE;	/* kept even once merged: double frees show */
	e->flags = 0;
	if (next->state == ELEM_FREE) {
		fl_remove(h, next);
		h->free_bytes -= next->size;
		h->free_count--;
		size += next->size;
	}
	if (prev != NULL && prev->state == ELEM_FREE) {
		fl_remove(h, prev);
		h->free_bytes -= prev->size;
		h->free_count--;
		size += prev->size;
		e = prev;
		prev = e->prev;
	}
	make_free(h, e, prev, size);
}

int
eal_heap_free(void *ptr, const char *caller, bool zone_free)
{
	struct malloc_elem *e;
	const char *why;

	e = elem_of(ptr, &why);
	if (e == NULL) {
		DP_LOG(ERR, eal, "%s(%p): %s; nothing was freed", caller, ptr,
			why);
		return -EINVAL;
	}
	if ((e->flags & EAL_HEAP_MEMZONE) && !zone_free) {
		DP_LOG(ERR, eal, "%s(%p): this is a memzone's memory; release "
			"it with dp_memzone_free()", caller, ptr);
		return -EINVAL;
	}
	elem_release(e);
	return 0;
}

size_t
eal_heap_usable_size(const void *ptr)
{
	const char *why;
	struct malloc_elem *e = elem_of(ptr, &why);

	return e ? e->size - ELEM_HDR : 0;
}

bool
eal_heap_is_memzone(const void *ptr)
{
	const char *why;
	struct malloc_elem *e = elem_of(ptr, &why);

	return e != NULL && (e->flags & EAL_HEAP_MEMZONE);
}

int
eal_heap_socket_of(const void *ptr)
{
	const char *why;
	struct malloc_elem *e = elem_of(ptr, &why);

	return e ? e->heap->socket : -1;
}

/* Give the tail of busy element @p b beyond @p keep bytes back. */
static void
elem_shrink(struct malloc_elem *b, size_t keep)
{
	struct malloc_heap *h = b->heap;
	struct malloc_elem *tail;
	size_t cut = b->size - keep;

	if (cut == 0)
		return;
	tail = (struct malloc_elem *)((char *)b + keep);
	b->size = keep;
	/* The tail becomes a busy element of its own, then is freed (which
	 * merges it with a free next neighbour and fixes the counters). */
	elem_init(tail, h, b, cut, ELEM_BUSY);
	elem_next(tail)->prev = tail;
	h->alloc_count++;
	elem_release(tail);
}

int
eal_heap_resize(void *ptr, size_t size)
{
	const char *why;
	struct malloc_elem *b = elem_of(ptr, &why), *next;
	struct malloc_heap *h;
	size_t need, have;

	if (b == NULL || size == 0 || size > SIZE_MAX / 2)
		return -EINVAL;
	h = b->heap;
	need = DP_ALIGN_CEIL(size, (size_t)ELEM_HDR) + ELEM_HDR;
	have = b->size;
	if (need > have) {
		next = elem_next(b);
		if (next->state != ELEM_FREE || have + next->size < need)
			return -ENOMEM;
		/* Swallow the free neighbour, then give back what is extra. */
		fl_remove(h, next);
		h->free_bytes -= next->size;
		h->free_count--;
		b->size += next->size;
		h->alloc_bytes += next->size;
		elem_next(b)->prev = b;
	}
	elem_shrink(b, need);
	b->req = size;
	return 0;
}

/* ---- statistics ----------------------------------------------------------- */

void
eal_heap_stats(const struct malloc_heap *h, struct dp_malloc_socket_stats *st)
{
	const struct malloc_elem *e;
	unsigned int b;

	memset(st, 0, sizeof(*st));
	st->heap_freesz_bytes = h->free_bytes;
	st->heap_allocsz_bytes = h->alloc_bytes;
	st->heap_totalsz_bytes = h->free_bytes + h->alloc_bytes;
	st->free_count = h->free_count;
	st->alloc_count = h->alloc_count;
	for (b = 0; b < HEAP_NB_BINS; b++)
		for (e = h->bins[b]; e; e = e->fl_next)
			if (e->size - ELEM_HDR > st->greatest_free_size)
				st->greatest_free_size = e->size - ELEM_HDR;
}

/* Usable size of the largest piece elem_fit() could hand out. */
size_t
eal_heap_largest_fit(const struct malloc_heap *h, size_t align,
	unsigned int flags)
{
	const struct malloc_elem *e;
	size_t best = 0, lo, hi, mid;
	unsigned int b;

	if (align < ELEM_HDR)
		align = ELEM_HDR;
	for (b = 0; b < HEAP_NB_BINS; b++)
		for (e = h->bins[b]; e; e = e->fl_next) {
			if (e->size <= ELEM_HDR)
				continue;
			/* Largest multiple of ELEM_HDR that fits: bisect. */
			lo = 0;
			hi = (e->size - ELEM_HDR) / ELEM_HDR;
			while (lo < hi) {
				mid = lo + (hi - lo + 1) / 2;
				if (elem_fit(e, mid * ELEM_HDR, align, flags))
					lo = mid;
				else
					hi = mid - 1;
			}
			if (lo * ELEM_HDR > best)
				best = lo * ELEM_HDR;
		}
	return best;
}
