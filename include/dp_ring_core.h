/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DP_RING_CORE_H
#define DP_RING_CORE_H

/**
 * @file
 * @internal
 * Ring internals needed by the inline fast path: the ring structure, the
 * head/tail protocol and the element copies. Applications include
 * dp_ring.h and never use the __dp_ring_* names directly; they may change
 * between releases.
 *
 * The protocol, for one side (producer shown; the consumer is the mirror
 * image with the roles of the two tails swapped):
 *
 *   1. reserve: read our head and the other side's tail, compute how many
 *      slots are free, and move our head past the slots we take (a plain
 *      store for a single producer, a compare-and-swap for several);
 *   2. copy the elements into the reserved slots;
 *   3. publish: wait until every producer that reserved before us has
 *      published (several producers only), then store-release our tail.
 *
 * Indexes are free-running 32-bit counters: they are masked only to find a
 * slot, and unsigned subtraction modulo 2^32 gives counts, so a ring of
 * size 2^k holds up to 2^k elements and wrap-around of the counters needs
 * no special case. Every edge that orders memory between threads is
 * commented with the edge it pairs with:
 *
 *   P-ACQ  producer's acquire load of cons.tail  <->  C-REL
 *   C-REL  consumer's release store of cons.tail: its slot reads are done
 *   C-ACQ  consumer's acquire load of prod.tail  <->  P-REL
 *   P-REL  producer's release store of prod.tail: its slot writes are visible
 *   H-ACQ  acquire load of our own head (several producers/consumers only):
 *          the other side's tail is read after it, never before
 *   W-ACQ  acquire load of our own tail while waiting for earlier
 *          producers/consumers  <->  their P-REL/C-REL
 */

#include <string.h>

#include <dp_common.h>

#ifdef __cplusplus
extern "C" {
#endif

struct dp_memzone;

/** Longest ring name, NUL included (memzone name minus the "ring:" prefix). */
#define DP_RING_NAMESIZE 27

/** Memzone name prefix of rings created by dp_ring_create(). */
#define DP_RING_MZ_PREFIX "ring:"

/** Largest number of slots a ring may have (2^31). */
#define DP_RING_SIZE_MAX 0x80000000u

/**
 * @internal
 * One side of the ring: producers or consumers.
 */
struct dp_ring_headtail {
	/** Next index this side will reserve; slots [tail, head) are being
	 *  filled (producer) or emptied (consumer). */
	uint32_t head;
	/** Every index before it is published to the other side. */
	uint32_t tail;
	/** Default mode of this side: 1 single thread, 0 several threads. */
	uint32_t single;
};

/**
 * A ring. The slot table follows the structure in memory (at r + 1).
 * Producer and consumer indexes live on their own cache lines, each
 * followed by an empty guard line so that the adjacent-line prefetcher
 * (which pulls cache lines in 128-byte pairs) never drags one side's line
 * into the other side's core. Read it through the dp_ring_* functions.
 */
struct dp_ring {
	/** Name given at init or create. */
	char name[DP_RING_NAMESIZE] __dp_cache_aligned;
	/** DP_RING_F_* flags given at init or create. */
	unsigned int flags;
	/** Memzone holding the ring (dp_ring_create), NULL for dp_ring_init. */
	const struct dp_memzone *memzone;
	/** Number of slots: a power of two. */
	uint32_t size;
	/** size - 1: turns a free-running index into a slot number. */
	uint32_t mask;
	/** Most elements the ring holds: size, or the exact count asked for. */
	uint32_t capacity;
	/** Bytes per element: a multiple of 4. */
	uint32_t esize;

	/** @internal Guard line: keeps prod off the header's 128-byte pair. */
	char guard0[DP_CACHE_LINE_SIZE] __dp_cache_aligned;
	/** @internal Producer side, written by producers only. */
	struct dp_ring_headtail prod __dp_cache_aligned;
	/** @internal Guard line between the two sides. */
	char guard1[DP_CACHE_LINE_SIZE] __dp_cache_aligned;
	/** @internal Consumer side, written by consumers only. */
	struct dp_ring_headtail cons __dp_cache_aligned;
	/** @internal Guard line between cons and the first slots. */
	char guard2[DP_CACHE_LINE_SIZE] __dp_cache_aligned;
};

/** @internal All or nothing (bulk) or as many as possible (burst). */
enum dp_ring_queue_behavior {
	DP_RING_QUEUE_FIXED = 0,	/**< bulk: n elements or none */
	DP_RING_QUEUE_VARIABLE = 1,	/**< burst: up to n elements */
};

/** @internal First slot of the table. */
static __dp_always_inline void *
__dp_ring_table(const struct dp_ring *r)
{
	return (void *)(uintptr_t)(r + 1);
}

/**
 * @internal
 * Copy @p len bytes (a multiple of 4) between a caller table and ring
 * slots; the two never overlap. A constant length (constant esize and a
 * constant bulk count) becomes straight-line vector moves. Otherwise the
 * loop moves 64 bytes per round as fixed-size copies, which the compiler
 * turns into vector loads and stores: with element-at-a-time copies the
 * compiler must assume each store may alias the next load and issues
 * them one by one.
 */
static __dp_always_inline void
__dp_ring_copy(void *dst, const void *src, size_t len)
{
	char *d = (char *)dst;
	const char *s = (const char *)src;

	if (__builtin_constant_p(len)) {
		__builtin_memcpy(d, s, len);
		return;
	}
	while (len >= 64) {
		__builtin_memcpy(d, s, 64);
		d += 64;
		s += 64;
		len -= 64;
	}
	if (len & 32) {
		__builtin_memcpy(d, s, 32);
		d += 32;
		s += 32;
	}
	if (len & 16) {
		__builtin_memcpy(d, s, 16);
		d += 16;
		s += 16;
	}
	if (len & 8) {
		__builtin_memcpy(d, s, 8);
		d += 8;
		s += 8;
	}
	if (len & 4)
		__builtin_memcpy(d, s, 4);
}

/**
 * @internal
 * The run of @p n elements at slot @p idx passes the end of the table:
 * copy it in two pieces. Out of line and cold: it runs once per trip
 * around the ring, and keeping it out of the fast path keeps the fast
 * path's registers free.
 */
static __attribute__((noinline, cold, unused)) void
__dp_ring_copy_in_wrap(char *table, uint32_t size, uint32_t idx,
	const char *obj, uint32_t esize, uint32_t n)
{
	uint32_t first = size - idx;

	memcpy(table + (size_t)idx * esize, obj, (size_t)first * esize);
	memcpy(table, obj + (size_t)first * esize, (size_t)(n - first) * esize);
}

/** @internal Mirror of __dp_ring_copy_in_wrap(): slots to @p obj. */
static __attribute__((noinline, cold, unused)) void
__dp_ring_copy_out_wrap(const char *table, uint32_t size, uint32_t idx,
	char *obj, uint32_t esize, uint32_t n)
{
	uint32_t first = size - idx;

	memcpy(obj, table + (size_t)idx * esize, (size_t)first * esize);
	memcpy(obj + (size_t)first * esize, table, (size_t)(n - first) * esize);
}

/**
 * @internal
 * Copy @p n elements from @p obj into the slots starting at index @p head.
 * A single element never wraps (idx < size); a longer run may pass the
 * end of the table and is then split by the cold helper.
 */
static __dp_always_inline void
__dp_ring_copy_in(struct dp_ring *r, uint32_t size, uint32_t mask,
	uint32_t head, const void *obj, uint32_t esize, uint32_t n)
{
	uint32_t idx = head & mask;
	char *table = (char *)__dp_ring_table(r);

	if ((__builtin_constant_p(n) && n == 1) || likely(idx + n <= size))
		__dp_ring_copy(table + (size_t)idx * esize, obj, (size_t)n * esize);
	else
		__dp_ring_copy_in_wrap(table, size, idx, (const char *)obj,
			esize, n);
}

/** @internal Mirror of __dp_ring_copy_in(): slots to @p obj. */
static __dp_always_inline void
__dp_ring_copy_out(const struct dp_ring *r, uint32_t size, uint32_t mask,
	uint32_t head, void *obj, uint32_t esize, uint32_t n)
{
	uint32_t idx = head & mask;
	const char *table = (const char *)__dp_ring_table(r);

	if ((__builtin_constant_p(n) && n == 1) || likely(idx + n <= size))
		__dp_ring_copy(obj, table + (size_t)idx * esize, (size_t)n * esize);
	else
		__dp_ring_copy_out_wrap(table, size, idx, (char *)obj, esize,
			n);
}

/**
 * @internal
 * Step 1, both sides: reserve. Producers take free slots, consumers take
 * elements; only what counts as available differs:
 *   producer: capacity + cons.tail - prod.head   (@p base = capacity)
 *   consumer:            prod.tail - cons.head   (@p base = 0)
 *
 * @param own
 *   This side's indexes (prod or cons).
 * @param other_tail
 *   The other side's tail (cons.tail or prod.tail).
 * @param base
 *   capacity for producers, 0 for consumers.
 * @param n
 *   Elements wanted.
 * @param behavior
 *   DP_RING_QUEUE_FIXED: reserve n or nothing (and the result is then
 *   provably n or 0, which keeps a constant n constant for the copy).
 * @param single
 *   Only one thread on this side: a plain store of the head, no CAS.
 * @param[out] old_head
 *   First reserved index (set only when something was reserved).
 * @param[out] seen
 *   Free slots (producer) or elements (consumer) seen before reserving.
 * @return
 *   How many were reserved.
 */
static __dp_always_inline uint32_t
__dp_ring_move_head(struct dp_ring_headtail *own, const uint32_t *other_tail,
	uint32_t base, uint32_t n, enum dp_ring_queue_behavior behavior,
	int single, uint32_t *old_head, uint32_t *seen)
{
	uint32_t head, avail, cnt;

	if (single) {
		/* Only this thread writes our head: no ordering needed. */
		head = __atomic_load_n(&own->head, __ATOMIC_RELAXED);
	} else {
		/*
		 * H-ACQ: the other side's tail must be read after our head.
		 * Read the other way round, a tail older than the head could
		 * make the difference wrap below zero and look huge.
		 */
		head = __atomic_load_n(&own->head, __ATOMIC_ACQUIRE);
	}
	for (;;) {
		/*
		 * Producer, P-ACQ pairs with C-REL: consumers that moved
		 * cons.tail past a slot have finished reading it, so our
		 * write to it cannot race with their read.
		 * Consumer, C-ACQ pairs with P-REL: the elements of every
		 * slot before prod.tail were written before it was
		 * published, so our reads see them.
		 */
		avail = base + __atomic_load_n(other_tail, __ATOMIC_ACQUIRE) -
			head;
		cnt = n;
		if (unlikely(cnt > avail)) {
			*seen = avail;
			if (behavior == DP_RING_QUEUE_FIXED || avail == 0)
				return 0;
			cnt = avail;
		}
		if (single) {
			/*
			 * Nobody else reserves on this side, and the other
			 * side never reads our head (only our tail): a
			 * relaxed store.
			 */
			__atomic_store_n(&own->head, head + cnt, __ATOMIC_RELAXED);
			break;
		}
		/*
		 * Several threads: claim [head, head + cnt) if nobody moved
		 * the head since we read it. On failure the fresh head is
		 * loaded with H-ACQ, for the same reason as the first load.
		 * Success needs no order of its own (slot accesses are
		 * ordered by the acquire above and published by the release
		 * of our tail), but C11 forbids a failure order stronger
		 * than the success one; on x86 and arm64 the locked
		 * instruction is the same either way.
		 */
		if (likely(__atomic_compare_exchange_n(&own->head, &head,
				head + cnt, 0, __ATOMIC_ACQUIRE,
				__ATOMIC_ACQUIRE)))
			break;
		dp_pause();
	}
	*old_head = head;
	*seen = avail;
	return cnt;
}

/** @internal Producer step 1: reserve free slots (see __dp_ring_move_head). */
static __dp_always_inline uint32_t
__dp_ring_prod_reserve(struct dp_ring *r, uint32_t n,
	enum dp_ring_queue_behavior behavior, int is_sp, uint32_t *old_head,
	uint32_t *free_entries)
{
	return __dp_ring_move_head(&r->prod, &r->cons.tail, r->capacity, n,
		behavior, is_sp, old_head, free_entries);
}

/** @internal Consumer step 1: reserve elements (see __dp_ring_move_head). */
static __dp_always_inline uint32_t
__dp_ring_cons_reserve(struct dp_ring *r, uint32_t n,
	enum dp_ring_queue_behavior behavior, int is_sc, uint32_t *old_head,
	uint32_t *entries)
{
	return __dp_ring_move_head(&r->cons, &r->prod.tail, 0, n, behavior,
		is_sc, old_head, entries);
}

/**
 * @internal
 * Wait until the threads of this side that reserved before us have
 * published: the tail reaches @p old_head. Spins with dp_pause(); it ends
 * as soon as the earlier thread runs again, even on an oversubscribed
 * CPU. Out of line: the fast path only tests once.
 */
static __attribute__((noinline, cold, unused)) void
__dp_ring_wait_tail(struct dp_ring_headtail *ht, uint32_t old_head)
{
	/* W-ACQ, as in __dp_ring_publish(). */
	while (__atomic_load_n(&ht->tail, __ATOMIC_ACQUIRE) != old_head)
		dp_pause();
}

/**
 * @internal
 * Step 3, both sides: publish [old_head, new_head) by moving our tail.
 * With several threads on this side, tails move in reservation order, so
 * we first wait for the tail to reach our old head.
 */
static __dp_always_inline void
__dp_ring_publish(struct dp_ring_headtail *ht, uint32_t old_head,
	uint32_t new_head, int single)
{
	/*
	 * W-ACQ, pairs with the earlier thread's P-REL/C-REL: its slot
	 * accesses happen before ours are published, so a thread that
	 * acquires our tail also sees theirs (C11 does not carry that
	 * through a relaxed load).
	 */
	if (!single && unlikely(__atomic_load_n(&ht->tail, __ATOMIC_ACQUIRE) !=
			old_head))
		__dp_ring_wait_tail(ht, old_head);
	/*
	 * P-REL (producer): the slot writes above become visible no later
	 * than the new tail. C-REL (consumer): the slot reads above are
	 * complete before producers may reuse the slots.
	 */
	__atomic_store_n(&ht->tail, new_head, __ATOMIC_RELEASE);
}

/**
 * @internal
 * Enqueue: reserve, copy, publish. Every argument but @p r, @p obj and
 * @p free_space is normally a compile-time constant after inlining.
 */
static __dp_always_inline unsigned int
__dp_ring_do_enqueue(struct dp_ring *r, const void *obj, uint32_t esize,
	uint32_t n, enum dp_ring_queue_behavior behavior, int is_sp,
	unsigned int *free_space)
{
	uint32_t head, free_entries, cnt;

	cnt = __dp_ring_prod_reserve(r, n, behavior, is_sp, &head,
		&free_entries);
	if (likely(cnt != 0)) {
		if (behavior == DP_RING_QUEUE_FIXED)
			cnt = n;	/* lets a constant n reach the copy */
		__dp_ring_copy_in(r, r->size, r->mask, head, obj, esize, cnt);
		__dp_ring_publish(&r->prod, head, head + cnt, is_sp);
	}
	if (free_space != NULL)
		*free_space = free_entries - cnt;
	return cnt;
}

/** @internal Dequeue: reserve, copy, publish. */
static __dp_always_inline unsigned int
__dp_ring_do_dequeue(struct dp_ring *r, void *obj, uint32_t esize,
	uint32_t n, enum dp_ring_queue_behavior behavior, int is_sc,
	unsigned int *available)
{
	uint32_t head, entries, cnt;

	cnt = __dp_ring_cons_reserve(r, n, behavior, is_sc, &head, &entries);
	if (likely(cnt != 0)) {
		if (behavior == DP_RING_QUEUE_FIXED)
			cnt = n;
		__dp_ring_copy_out(r, r->size, r->mask, head, obj, esize, cnt);
		__dp_ring_publish(&r->cons, head, head + cnt, is_sc);
	}
	if (available != NULL)
		*available = entries - cnt;
	return cnt;
}

/**
 * Where a zero-copy operation reads or writes: the reserved slots, as at
 * most two runs (the second one starts at slot 0 when the reservation
 * passes the end of the table).
 */
struct dp_ring_zc_data {
	/** First reserved slot. */
	void *ptr1;
	/** Slot 0 when the reservation wraps, else NULL. */
	void *ptr2;
	/** Elements at ptr1; the other n - n1 are at ptr2. */
	unsigned int n1;
};

/** @internal Describe [head, head + n) as one or two runs of slots. */
static __dp_always_inline void
__dp_ring_zc_fill(const struct dp_ring *r, uint32_t head, uint32_t esize,
	uint32_t n, struct dp_ring_zc_data *zcd)
{
	uint32_t idx = head & r->mask;
	char *table = (char *)__dp_ring_table(r);

	zcd->ptr1 = table + (size_t)idx * esize;
	if (likely(idx + n <= r->size)) {
		zcd->n1 = n;
		zcd->ptr2 = NULL;
	} else {
		zcd->n1 = r->size - idx;
		zcd->ptr2 = table;
	}
}

/**
 * @internal
 * Zero-copy start, producer or consumer (single thread on that side):
 * reserve like a normal operation, but describe the slots instead of
 * copying. The reservation is only visible to the other side after
 * __dp_ring_zc_finish().
 */
static __dp_always_inline unsigned int
__dp_ring_zc_start(struct dp_ring *r, int is_prod, uint32_t esize, uint32_t n,
	enum dp_ring_queue_behavior behavior, struct dp_ring_zc_data *zcd,
	unsigned int *left)
{
	uint32_t head, seen, cnt;

	if (is_prod)
		cnt = __dp_ring_prod_reserve(r, n, behavior, 1, &head, &seen);
	else
		cnt = __dp_ring_cons_reserve(r, n, behavior, 1, &head, &seen);
	if (likely(cnt != 0))
		__dp_ring_zc_fill(r, head, esize, cnt, zcd);
	if (left != NULL)
		*left = seen - cnt;
	return cnt;
}

/**
 * @internal
 * Zero-copy finish: publish the first @p n reserved elements (n may be
 * smaller than what start reserved; the rest is given back).
 */
static __dp_always_inline void
__dp_ring_zc_finish(struct dp_ring_headtail *ht, uint32_t n)
{
	/* Only this thread moves this side: its own tail needs no order. */
	uint32_t tail = __atomic_load_n(&ht->tail, __ATOMIC_RELAXED);

	__atomic_store_n(&ht->head, tail + n, __ATOMIC_RELAXED);
	/* P-REL or C-REL, as in a normal operation. */
	__dp_ring_publish(ht, tail, tail + n, 1);
}

#ifdef __cplusplus
}
#endif

#endif /* DP_RING_CORE_H */
