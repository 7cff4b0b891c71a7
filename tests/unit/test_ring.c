/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Ring tests. First on caller memory (dp_ring_init): sizing and bad input with
 * their log lines, full/empty edges, bulk vs burst, every mode and element
 * sizes 4, 8, 16 and 20 checked byte for byte against a reference FIFO,
 * the wrap of the 32-bit indexes, the split copy at the end of the table,
 * zero-copy, count/reset/dump, the publish order of several producers,
 * a multi-thread stress (2 producers, 2 consumers, 10^7 items) that checks
 * no item is lost, duplicated or reordered per producer; then named rings
 * in EAL memory (--no-huge): create, lookup, free, duplicate and bad names,
 * and two threads racing to create the same names.
 */

#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <unistd.h>

#include "test_helpers.h"

#include <dp_eal.h>
#include <dp_memzone.h>
#include <dp_ring.h>

#include "ring_private.h"

/* Modes a test runs an operation in. */
enum mode {
	MODE_SPSC,	/* sp_/sc_ calls */
	MODE_MPMC,	/* mp_/mc_ calls */
	MODE_DEF_S,	/* default calls on a ring created SP/SC */
	MODE_DEF_M,	/* default calls on a ring created MP/MC */
	MODE_COUNT,
};

static unsigned int
mode_flags(enum mode m)
{
	return m == MODE_DEF_S ? DP_RING_F_SP_ENQ | DP_RING_F_SC_DEQ : 0;
}

/* A ring in aligned heap memory, with a guard pattern after the table. */
#define GUARD_BYTES 256
#define GUARD_BYTE 0xa5

struct test_ring {
	struct dp_ring *r;
	size_t memsize;
};

static struct dp_ring *
ring_alloc(struct test_ring *t, const char *name, unsigned int esize,
	unsigned int count, unsigned int flags)
{
	ssize_t sz = dp_ring_get_memsize_elem(esize, count, flags);

	assert_true(sz > 0);
	t->memsize = (size_t)sz;
	t->r = aligned_alloc(DP_CACHE_LINE_SIZE,
		DP_CACHE_LINE_ROUNDUP(t->memsize + GUARD_BYTES));
	assert_non_null(t->r);
	memset(t->r, GUARD_BYTE, t->memsize + GUARD_BYTES);
	assert_int_equal(dp_ring_init_elem(t->r, name, esize, count, flags), 0);
	return t->r;
}

static void
ring_release(struct test_ring *t)
{
	const unsigned char *g = (const unsigned char *)t->r + t->memsize;

	/* No operation ever wrote past the slot table. */
	for (size_t i = 0; i < GUARD_BYTES; i++)
		assert_int_equal(g[i], GUARD_BYTE);
	free(t->r);
	t->r = NULL;
}

/*
 * Operations with a runtime mode, bulk/burst and element size, each of
 * which calls the API with a constant esize (as applications do), so
 * the code under test is the specialised copy for that size.
 */
#define ESIZE_SWITCH(esize, CALL) \
	switch (esize) { \
	case 4: return CALL(4); \
	case 8: return CALL(8); \
	case 16: return CALL(16); \
	case 20: return CALL(20); \
	default: return CALL(esize); \
	}

static unsigned int
op_enq(struct dp_ring *r, enum mode m, bool burst, const void *obj,
	unsigned int esize, unsigned int n, unsigned int *free_space)
{
#define ENQ(es) \
	(m == MODE_SPSC ? (burst ? dp_ring_sp_enqueue_burst_elem(r, obj, es, n, free_space) : \
		dp_ring_sp_enqueue_bulk_elem(r, obj, es, n, free_space)) : \
	 m == MODE_MPMC ? (burst ? dp_ring_mp_enqueue_burst_elem(r, obj, es, n, free_space) : \
		dp_ring_mp_enqueue_bulk_elem(r, obj, es, n, free_space)) : \
	 (burst ? dp_ring_enqueue_burst_elem(r, obj, es, n, free_space) : \
		dp_ring_enqueue_bulk_elem(r, obj, es, n, free_space)))
	ESIZE_SWITCH(esize, ENQ)
#undef ENQ
}

static unsigned int
op_deq(struct dp_ring *r, enum mode m, bool burst, void *obj,
	unsigned int esize, unsigned int n, unsigned int *available)
{
#define DEQ(es) \
	(m == MODE_SPSC ? (burst ? dp_ring_sc_dequeue_burst_elem(r, obj, es, n, available) : \
		dp_ring_sc_dequeue_bulk_elem(r, obj, es, n, available)) : \
	 m == MODE_MPMC ? (burst ? dp_ring_mc_dequeue_burst_elem(r, obj, es, n, available) : \
		dp_ring_mc_dequeue_bulk_elem(r, obj, es, n, available)) : \
	 (burst ? dp_ring_dequeue_burst_elem(r, obj, es, n, available) : \
		dp_ring_dequeue_bulk_elem(r, obj, es, n, available)))
	ESIZE_SWITCH(esize, DEQ)
#undef DEQ
}

static int
op_enq1(struct dp_ring *r, enum mode m, const void *obj, unsigned int esize)
{
#define ENQ1(es) \
	(m == MODE_SPSC ? dp_ring_sp_enqueue_elem(r, obj, es) : \
	 m == MODE_MPMC ? dp_ring_mp_enqueue_elem(r, obj, es) : \
	 dp_ring_enqueue_elem(r, obj, es))
	ESIZE_SWITCH(esize, ENQ1)
#undef ENQ1
}

static int
op_deq1(struct dp_ring *r, enum mode m, void *obj, unsigned int esize)
{
#define DEQ1(es) \
	(m == MODE_SPSC ? dp_ring_sc_dequeue_elem(r, obj, es) : \
	 m == MODE_MPMC ? dp_ring_mc_dequeue_elem(r, obj, es) : \
	 dp_ring_dequeue_elem(r, obj, es))
	ESIZE_SWITCH(esize, DEQ1)
#undef DEQ1
}

/* Element number k of a test stream: every byte depends on k and its offset. */
static void
make_elem(void *dst, unsigned int esize, uint32_t k)
{
	unsigned char *p = dst;

	for (unsigned int i = 0; i < esize; i++)
		p[i] = (unsigned char)(k * 7 + i * 13 + (k >> 8) * 3 + 1);
}

/* ---- sizing and bad input --------------------------------------------- */

static void
test_memsize(void **state)
{
	(void)state;
	assert_int_equal(sizeof(struct dp_ring), 6 * DP_CACHE_LINE_SIZE);
	assert_int_equal(dp_ring_get_memsize(1024, 0),
		sizeof(struct dp_ring) + 1024 * sizeof(void *));
	assert_int_equal(dp_ring_get_memsize_elem(4, 16, 0),
		sizeof(struct dp_ring) + 64);
	/* 20-byte elements: 16 x 20 = 320 bytes, already whole lines. */
	assert_int_equal(dp_ring_get_memsize_elem(20, 16, 0),
		sizeof(struct dp_ring) + 320);
	/* Table rounded up to a whole cache line. */
	assert_int_equal(dp_ring_get_memsize_elem(4, 4, 0),
		sizeof(struct dp_ring) + 64);
	/* Exact size: 1000 elements take a table of 1024 slots. */
	assert_int_equal(dp_ring_get_memsize_elem(16, 1000, DP_RING_F_EXACT_SZ),
		sizeof(struct dp_ring) + 1024 * 16);
	assert_int_equal(dp_ring_get_memsize(1, DP_RING_F_EXACT_SZ),
		sizeof(struct dp_ring) + 64);
	/* The producer and consumer lines each start a 128-byte pair. */
	assert_int_equal(offsetof(struct dp_ring, prod), 2 * DP_CACHE_LINE_SIZE);
	assert_int_equal(offsetof(struct dp_ring, cons), 4 * DP_CACHE_LINE_SIZE);
}

struct bad_geometry {
	unsigned int esize, count, flags;
	const char *msg;	/* after "ring 'bad': " (init) or "ring: " */
};

static void
test_bad_input(void **state)
{
	const struct bad_geometry cases[] = {
		{ 8, 0, 0, "count 0: a ring holds at least one element" },
		{ 8, 0, DP_RING_F_EXACT_SZ, "count 0: a ring holds at least one element" },
		{ 8, 1000, 0, "count 1000 is not a power of two: use 1024, "
			"or pass DP_RING_F_EXACT_SZ to hold exactly 1000" },
		{ 8, 3, DP_RING_F_SP_ENQ, "count 3 is not a power of two: use 4, "
			"or pass DP_RING_F_EXACT_SZ to hold exactly 3" },
		{ 8, 0x80000001u, DP_RING_F_EXACT_SZ, "count 2147483649 is larger "
			"than the largest ring (2147483648 elements)" },
		{ 8, 0xffffffffu, 0, "count 4294967295 is larger than the largest "
			"ring (2147483648 elements)" },
		{ 6, 16, 0, "element size 6 is not a multiple of 4 bytes: pad the "
			"element to 8 bytes" },
		{ 2, 16, 0, "element size 2 is not a multiple of 4 bytes: pad the "
			"element to 4 bytes" },
		{ 0, 16, 0, "element size 0: give the size of one element in "
			"bytes (a multiple of 4)" },
		{ 8, 16, 0x10, "unknown flags 0x10 (valid: DP_RING_F_SP_ENQ, "
			"DP_RING_F_SC_DEQ, DP_RING_F_EXACT_SZ)" },
	};
	char *mem, line[256];
	size_t i;
	int rc;

	(void)state;
	mem = aligned_alloc(DP_CACHE_LINE_SIZE, 4096);
	assert_non_null(mem);
	for (i = 0; i < DP_DIM(cases); i++) {
		/* memsize: the same check and message, without a name. */
		test_log_capture();
		assert_int_equal(dp_ring_get_memsize_elem(cases[i].esize,
			cases[i].count, cases[i].flags), -EINVAL);
		assert_int_equal(test_log_buf.lines, 1);
		snprintf(line, sizeof(line), "ring: ring: %s", cases[i].msg);
		assert_logged(line);

		/* init: -EINVAL, one line, and the memory untouched. */
		memset(mem, 0x5a, 4096);
		test_log_capture();
		rc = dp_ring_init_elem((struct dp_ring *)mem, "bad",
			cases[i].esize, cases[i].count, cases[i].flags);
		assert_int_equal(rc, -EINVAL);
		assert_int_equal(test_log_buf.lines, 1);
		snprintf(line, sizeof(line), "ring: ring 'bad': %s", cases[i].msg);
		assert_logged(line);
		for (size_t b = 0; b < 4096; b++)
			assert_int_equal((unsigned char)mem[b], 0x5a);
	}

	/* Names. */
	test_log_capture();
	assert_int_equal(dp_ring_init((struct dp_ring *)mem, NULL, 16, 0), -EINVAL);
	assert_logged("ring name is NULL: give the ring a name");
	test_log_capture();
	assert_int_equal(dp_ring_init((struct dp_ring *)mem, "", 16, 0), -EINVAL);
	assert_logged("ring name is empty");
	test_log_capture();
	assert_int_equal(dp_ring_init((struct dp_ring *)mem,
		"abcdefghijklmnopqrstuvwxyz0", 16, 0), -ENAMETOOLONG);
	assert_logged("ring name 'abcdefghijklmnopqrstuvwxyz0' is too long: at "
		"most 26 characters");
	/* 26 characters is fine. */
	test_log_capture();
	assert_int_equal(dp_ring_init((struct dp_ring *)mem,
		"abcdefghijklmnopqrstuvwxyz", 16, 0), 0);
	assert_string_equal(dp_ring_get_name((struct dp_ring *)mem),
		"abcdefghijklmnopqrstuvwxyz");
	assert_int_equal(test_log_buf.lines, 0);

	/* Memory. */
	test_log_capture();
	assert_int_equal(dp_ring_init((struct dp_ring *)(mem + 8), "mis", 16, 0),
		-EINVAL);
	assert_logged("ring 'mis': memory at ");
	assert_logged("is not aligned to 64 bytes");
	test_log_capture();
	assert_int_equal(dp_ring_init(NULL, "null", 16, 0), -EINVAL);
	assert_logged("ring 'null': memory at (nil) is not aligned");
	test_log_release();
	free(mem);
}

static void
test_init_fields(void **state)
{
	struct test_ring t;
	struct dp_ring *r;

	(void)state;
	r = ring_alloc(&t, "fields", 8, 64, DP_RING_F_SP_ENQ);
	assert_string_equal(dp_ring_get_name(r), "fields");
	assert_int_equal(dp_ring_get_size(r), 64);
	assert_int_equal(dp_ring_get_capacity(r), 64);
	assert_int_equal(r->mask, 63);
	assert_int_equal(dp_ring_get_esize(r), 8);
	assert_int_equal(dp_ring_get_flags(r), DP_RING_F_SP_ENQ);
	assert_int_equal(r->prod.single, 1);
	assert_int_equal(r->cons.single, 0);
	assert_null(r->memzone);
	assert_int_equal(dp_ring_count(r), 0);
	assert_int_equal(dp_ring_free_count(r), 64);
	assert_true(dp_ring_empty(r));
	assert_false(dp_ring_full(r));
	ring_release(&t);

	r = ring_alloc(&t, "exact", 20, 1000,
		DP_RING_F_EXACT_SZ | DP_RING_F_SC_DEQ);
	assert_int_equal(dp_ring_get_size(r), 1024);
	assert_int_equal(dp_ring_get_capacity(r), 1000);
	assert_int_equal(dp_ring_free_count(r), 1000);
	assert_int_equal(r->prod.single, 0);
	assert_int_equal(r->cons.single, 1);
	ring_release(&t);

	/* Exact size of a power of two: the same table, the same capacity. */
	r = ring_alloc(&t, "exact64", 8, 64, DP_RING_F_EXACT_SZ);
	assert_int_equal(dp_ring_get_size(r), 64);
	assert_int_equal(dp_ring_get_capacity(r), 64);
	ring_release(&t);

	/* A ring of one. */
	r = ring_alloc(&t, "one", 4, 1, 0);
	assert_int_equal(dp_ring_get_capacity(r), 1);
	ring_release(&t);
}

/* ---- full / empty edges, bulk vs burst ------------------------------------- */

static void
edges_one(enum mode m, unsigned int esize, unsigned int cap, unsigned int flags)
{
	unsigned char in[64 * 20], out[64 * 20], e[64];
	unsigned int free_space = 12345, avail = 12345, i, n;
	struct test_ring t;
	struct dp_ring *r;

	r = ring_alloc(&t, "edges", esize, cap, flags | mode_flags(m));
	cap = dp_ring_get_capacity(r);
	for (i = 0; i < cap; i++)
		make_elem(in + i * esize, esize, i);

	/* Empty: every dequeue fails and reports 0 available. */
	assert_int_equal(op_deq(r, m, false, out, esize, 1, &avail), 0);
	assert_int_equal(avail, 0);
	assert_int_equal(op_deq(r, m, true, out, esize, 4, &avail), 0);
	assert_int_equal(avail, 0);
	assert_int_equal(op_deq1(r, m, out, esize), -ENOENT);

	/* Fill one by one; free space goes down by one each time. */
	for (i = 0; i < cap; i++) {
		assert_int_equal(op_enq(r, m, i % 2, in + i * esize, esize, 1,
			&free_space), 1);
		assert_int_equal(free_space, cap - i - 1);
		assert_int_equal(dp_ring_count(r), i + 1);
	}
	assert_true(dp_ring_full(r));
	assert_false(dp_ring_empty(r));
	assert_int_equal(dp_ring_free_count(r), 0);

	/* Full: every enqueue fails and reports 0 free. */
	make_elem(e, esize, 999);
	free_space = 12345;
	assert_int_equal(op_enq(r, m, false, e, esize, 1, &free_space), 0);
	assert_int_equal(free_space, 0);
	assert_int_equal(op_enq(r, m, true, e, esize, 1, &free_space), 0);
	assert_int_equal(op_enq1(r, m, e, esize), -ENOBUFS);
	assert_int_equal(dp_ring_count(r), cap);

	/* Empty it in FIFO order, one by one. */
	for (i = 0; i < cap; i++) {
		memset(out, 0, esize);
		if (i % 3 == 0) {
			assert_int_equal(op_deq1(r, m, out, esize), 0);
		} else {
			assert_int_equal(op_deq(r, m, i % 3 == 1, out, esize, 1,
				&avail), 1);
			assert_int_equal(avail, cap - i - 1);
		}
		assert_memory_equal(out, in + i * esize, esize);
	}
	assert_true(dp_ring_empty(r));
	assert_int_equal(op_deq(r, m, true, out, esize, cap, &avail), 0);

	/* Bulk is all or nothing, burst takes what fits. */
	n = cap / 2 + 1;
	assert_int_equal(op_enq(r, m, false, in, esize, n, &free_space), n);
	assert_int_equal(free_space, cap - n);
	assert_int_equal(op_enq(r, m, false, in, esize, n, &free_space), 0);
	assert_int_equal(free_space, cap - n);	/* what was free, unchanged */
	assert_int_equal(dp_ring_count(r), n);
	assert_int_equal(op_enq(r, m, true, in + n * esize, esize, n,
		&free_space), cap - n);
	assert_int_equal(free_space, 0);
	assert_true(dp_ring_full(r));

	/* Dequeue bulk of more than there is: nothing moves. */
	memset(out, 0, sizeof(out));
	assert_int_equal(op_deq(r, m, false, out, esize, cap + 1, &avail), 0);
	assert_int_equal(avail, cap);
	assert_int_equal(dp_ring_count(r), cap);
	for (i = 0; i < sizeof(out); i++)
		assert_int_equal(out[i], 0);	/* and nothing was written */
	/* Bulk of n, then burst of "everything": gets the rest. */
	assert_int_equal(op_deq(r, m, false, out, esize, n, &avail), n);
	assert_int_equal(avail, cap - n);
	assert_memory_equal(out, in, (size_t)n * esize);
	assert_int_equal(op_deq(r, m, true, out, esize, cap, &avail), cap - n);
	assert_int_equal(avail, 0);
	assert_memory_equal(out, in + n * esize, (size_t)(cap - n) * esize);
	/* n = 0 is a no-op that still reports the state. */
	assert_int_equal(op_enq(r, m, false, in, esize, 0, &free_space), 0);
	assert_int_equal(free_space, cap);
	assert_int_equal(op_deq(r, m, true, out, esize, 0, &avail), 0);
	assert_int_equal(avail, 0);
	/* NULL free_space / available pointers are fine. */
	assert_int_equal(op_enq(r, m, true, in, esize, 2, NULL), 2);
	assert_int_equal(op_deq(r, m, false, out, esize, 2, NULL), 2);
	ring_release(&t);
}

static void
test_full_empty_edges(void **state)
{
	static const unsigned int esizes[] = { 4, 8, 16, 20 };

	(void)state;
	for (int m = 0; m < MODE_COUNT; m++)
		for (size_t e = 0; e < DP_DIM(esizes); e++) {
			edges_one(m, esizes[e], 16, 0);
			edges_one(m, esizes[e], 13, DP_RING_F_EXACT_SZ);
			edges_one(m, esizes[e], 2, 0);
		}
}

/* ---- every mode and element size against a reference FIFO ------------------ */

struct ref_fifo {
	uint32_t next_in, next_out;	/* element numbers */
};

/*
 * Random walk of enqueues and dequeues (n from 0 to capacity + 2, bulk and
 * burst mixed) on a small ring, so that runs split at every position of
 * the table end; starting the indexes at @start crosses the 2^32 wrap.
 */
static void
walk_one(enum mode m, unsigned int esize, unsigned int count,
	unsigned int flags, uint32_t start, unsigned int steps)
{
	unsigned char in[40 * 36], out[40 * 36 + 36];
	struct ref_fifo f = { 0, 0 };
	uint32_t rnd = 12345 + esize * 7 + m;
	unsigned int cap, i, k, n, got, left;
	struct test_ring t;
	struct dp_ring *r;
	bool burst;

	r = ring_alloc(&t, "walk", esize, count, flags | mode_flags(m));
	cap = dp_ring_get_capacity(r);
	ring_reset_to_index(r, start);
	for (i = 0; i < steps; i++) {
		rnd = rnd * 1103515245u + 12345u;
		n = (rnd >> 16) % (cap + 3);
		burst = (rnd >> 8) & 1;
		if ((rnd >> 12) & 1) {
			for (k = 0; k < n; k++)
				make_elem(in + k * esize, esize, f.next_in + k);
			got = op_enq(r, m, burst, in, esize, n, &left);
			if (burst)
				assert_int_equal(got, DP_MIN(n, cap - (f.next_in -
					f.next_out)));
			else
				assert_int_equal(got, n <= cap - (f.next_in -
					f.next_out) ? n : 0);
			f.next_in += got;
			assert_int_equal(left, cap - (f.next_in - f.next_out));
		} else {
			/* A canary after the n elements must stay untouched. */
			memset(out, 0xee, sizeof(out));
			got = op_deq(r, m, burst, out, esize, n, &left);
			if (burst)
				assert_int_equal(got, DP_MIN(n, f.next_in - f.next_out));
			else
				assert_int_equal(got, n <= f.next_in - f.next_out ?
					n : 0);
			for (k = 0; k < got; k++) {
				unsigned char want[36];

				make_elem(want, esize, f.next_out + k);
				assert_memory_equal(out + k * esize, want, esize);
			}
			for (k = got * esize; k < sizeof(out); k++)
				assert_int_equal(out[k], 0xee);
			f.next_out += got;
			assert_int_equal(left, f.next_in - f.next_out);
		}
		assert_int_equal(dp_ring_count(r), f.next_in - f.next_out);
		assert_int_equal(__atomic_load_n(&r->prod.tail, __ATOMIC_RELAXED),
			start + f.next_in);
		assert_int_equal(__atomic_load_n(&r->cons.tail, __ATOMIC_RELAXED),
			start + f.next_out);
		assert_int_equal(r->prod.head, r->prod.tail);
		assert_int_equal(r->cons.head, r->cons.tail);
	}
	ring_release(&t);
}

static void
test_modes_and_sizes(void **state)
{
	static const unsigned int esizes[] = { 4, 8, 16, 20, 12, 36 };

	(void)state;
	for (int m = 0; m < MODE_COUNT; m++)
		for (size_t e = 0; e < DP_DIM(esizes); e++) {
			walk_one(m, esizes[e], 32, 0, 0, 3000);
			walk_one(m, esizes[e], 27, DP_RING_F_EXACT_SZ, 0, 2000);
		}
}

/* The free-running indexes cross 2^32 in the middle of the test. */
static void
test_index_wrap(void **state)
{
	static const unsigned int esizes[] = { 4, 8, 16, 20 };

	(void)state;
	for (int m = 0; m < MODE_COUNT; m++)
		for (size_t e = 0; e < DP_DIM(esizes); e++) {
			walk_one(m, esizes[e], 32, 0, UINT32_MAX - 100, 3000);
			walk_one(m, esizes[e], 20, DP_RING_F_EXACT_SZ,
				UINT32_MAX - 7, 1000);
			/* Full ring straddling the wrap. */
			walk_one(m, esizes[e], 4, 0, UINT32_MAX - 1, 500);
		}
}

/*
 * Pointer rings with constant bulk sizes (the compiler specialises the
 * copy for them): every start position in the table, so the run is
 * split at every place, and counts across the wrap of the indexes.
 */
#define PTR_CONST_ROUND(N) do { \
	void *src[N], *dst[N + 1]; \
	unsigned int fs, av; \
	for (k = 0; k < (N); k++) \
		src[k] = (void *)(uintptr_t)(base + k + 1); \
	dst[N] = (void *)(uintptr_t)0xdead; \
	if (m == MODE_SPSC) { \
		assert_int_equal(dp_ring_sp_enqueue_bulk(r, src, N, &fs), N); \
		assert_int_equal(dp_ring_sc_dequeue_bulk(r, dst, N, &av), N); \
	} else if (m == MODE_MPMC) { \
		assert_int_equal(dp_ring_mp_enqueue_bulk(r, src, N, &fs), N); \
		assert_int_equal(dp_ring_mc_dequeue_bulk(r, dst, N, &av), N); \
	} else { \
		assert_int_equal(dp_ring_enqueue_burst(r, src, N, &fs), N); \
		assert_int_equal(dp_ring_dequeue_burst(r, dst, N, &av), N); \
	} \
	assert_int_equal(fs, 64 - (N)); \
	assert_int_equal(av, 0); \
	for (k = 0; k < (N); k++) \
		assert_ptr_equal(dst[k], src[k]); \
	assert_ptr_equal(dst[N], (void *)(uintptr_t)0xdead); \
} while (0)

static void
test_pointer_const_bulk(void **state)
{
	static const uint32_t starts[] = { 0, UINT32_MAX - 40 };
	void *one = (void *)(uintptr_t)0x77, *got;
	struct test_ring t;
	struct dp_ring *r;
	unsigned int k, pos;

	(void)state;
	for (int m = 0; m < MODE_COUNT; m++) {
		for (size_t s = 0; s < DP_DIM(starts); s++) {
			r = ring_alloc(&t, "ptr", sizeof(void *), 64,
				mode_flags(m));
			ring_reset_to_index(r, starts[s]);
			for (pos = 0; pos < 200; pos++) {
				uintptr_t base = pos * 100;

				/*
				 * 42 slots per round, 43 on odd rounds: the
				 * bulk runs start at every slot of the 64.
				 */
				if (pos & 1) {
					assert_int_equal(dp_ring_enqueue(r, one), 0);
					assert_int_equal(dp_ring_dequeue(r, &got), 0);
				}
				if (m == MODE_SPSC) {
					assert_int_equal(dp_ring_sp_enqueue(r, one), 0);
					assert_int_equal(dp_ring_sc_dequeue(r, &got), 0);
				} else if (m == MODE_MPMC) {
					assert_int_equal(dp_ring_mp_enqueue(r, one), 0);
					assert_int_equal(dp_ring_mc_dequeue(r, &got), 0);
				} else {
					assert_int_equal(dp_ring_enqueue(r, one), 0);
					assert_int_equal(dp_ring_dequeue(r, &got), 0);
				}
				assert_ptr_equal(got, one);
				PTR_CONST_ROUND(1);
				PTR_CONST_ROUND(8);
				PTR_CONST_ROUND(32);
			}
			assert_int_equal(dp_ring_sc_dequeue(r, &got), -ENOENT);
			assert_int_equal(dp_ring_count(r), 0);
			ring_release(&t);
		}
	}
}

/* ---- zero copy ------------------------------------------------------------ */

static void
test_zero_copy(void **state)
{
	struct dp_ring_zc_data zcd;
	unsigned int free_space, avail, i;
	struct test_ring t;
	struct dp_ring *r;
	uint32_t *p1, *p2, v;

	(void)state;
	r = ring_alloc(&t, "zc", 4, 16, DP_RING_F_SP_ENQ | DP_RING_F_SC_DEQ);
	ring_reset_to_index(r, UINT32_MAX - 2);	/* slot 13 of 16 */

	/* 10 slots from slot 13: 3 at the end, 7 from slot 0. */
	assert_int_equal(dp_ring_enqueue_zc_bulk_elem_start(r, 4, 10, &zcd,
		&free_space), 10);
	assert_int_equal(free_space, 6);
	assert_int_equal(zcd.n1, 3);
	assert_ptr_equal(zcd.ptr1, (char *)(r + 1) + 13 * 4);
	assert_ptr_equal(zcd.ptr2, (char *)(r + 1));
	/* Nothing is visible to the consumer before finish. */
	assert_int_equal(dp_ring_count(r), 0);
	assert_int_equal(dp_ring_sc_dequeue_elem(r, &v, 4), -ENOENT);
	p1 = zcd.ptr1;
	p2 = zcd.ptr2;
	for (i = 0; i < 10; i++) {
		if (i < zcd.n1)
			p1[i] = 100 + i;
		else
			p2[i - zcd.n1] = 100 + i;
	}
	/* Publish only 8 of the 10. */
	dp_ring_enqueue_zc_finish(r, 8);
	assert_int_equal(dp_ring_count(r), 8);
	assert_int_equal(r->prod.head, r->prod.tail);

	/* Bulk too large: nothing reserved, zcd untouched. */
	memset(&zcd, 0x11, sizeof(zcd));
	assert_int_equal(dp_ring_enqueue_zc_bulk_elem_start(r, 4, 9, &zcd,
		&free_space), 0);
	assert_int_equal(free_space, 8);
	assert_ptr_equal(zcd.ptr1, (void *)(uintptr_t)0x1111111111111111ull);
	/* Burst: takes the 8 that fit, contiguous from slot 5. */
	assert_int_equal(dp_ring_enqueue_zc_burst_elem_start(r, 4, 9, &zcd,
		&free_space), 8);
	assert_int_equal(free_space, 0);
	assert_int_equal(zcd.n1, 8);
	assert_null(zcd.ptr2);
	for (i = 0; i < 8; i++)
		((uint32_t *)zcd.ptr1)[i] = 200 + i;
	dp_ring_enqueue_zc_finish(r, 8);
	assert_true(dp_ring_full(r));

	/* Dequeue in place: the first 8 (100..107) wrap, then 200..207. */
	assert_int_equal(dp_ring_dequeue_zc_bulk_elem_start(r, 4, 17, &zcd,
		&avail), 0);
	assert_int_equal(avail, 16);
	assert_int_equal(dp_ring_dequeue_zc_burst_elem_start(r, 4, 5, &zcd,
		&avail), 5);
	assert_int_equal(avail, 11);
	assert_int_equal(zcd.n1, 3);
	p1 = zcd.ptr1;
	p2 = zcd.ptr2;
	assert_int_equal(p1[0], 100);
	assert_int_equal(p1[2], 102);
	assert_int_equal(p2[0], 103);
	assert_int_equal(p2[1], 104);
	/* Release only 2: 102 stays first in line. */
	dp_ring_dequeue_zc_finish(r, 2);
	assert_int_equal(dp_ring_count(r), 14);
	assert_int_equal(dp_ring_sc_dequeue_elem(r, &v, 4), 0);
	assert_int_equal(v, 102);
	for (i = 3; i < 8; i++) {
		assert_int_equal(dp_ring_dequeue_elem(r, &v, 4), 0);
		assert_int_equal(v, 100 + i);
	}
	assert_int_equal(dp_ring_dequeue_zc_bulk_elem_start(r, 4, 8, &zcd,
		&avail), 8);
	assert_int_equal(avail, 0);
	for (i = 0; i < 8; i++)
		assert_int_equal(((uint32_t *)zcd.ptr1)[i], 200 + i);
	dp_ring_dequeue_zc_finish(r, 8);
	assert_true(dp_ring_empty(r));
	ring_release(&t);

	/* Pointer-ring shorthands. */
	r = ring_alloc(&t, "zcp", sizeof(void *), 8, 0);
	assert_int_equal(dp_ring_enqueue_zc_bulk_start(r, 3, &zcd, NULL), 3);
	((void **)zcd.ptr1)[0] = &t;
	((void **)zcd.ptr1)[1] = r;
	((void **)zcd.ptr1)[2] = NULL;
	dp_ring_enqueue_zc_finish(r, 3);
	assert_int_equal(dp_ring_enqueue_zc_burst_start(r, 10, &zcd,
		&free_space), 5);
	dp_ring_enqueue_zc_finish(r, 0);	/* give all 5 back */
	assert_int_equal(dp_ring_count(r), 3);
	assert_int_equal(dp_ring_dequeue_zc_bulk_start(r, 4, &zcd, &avail), 0);
	assert_int_equal(dp_ring_dequeue_zc_burst_start(r, 4, &zcd, &avail), 3);
	assert_ptr_equal(((void **)zcd.ptr1)[0], &t);
	assert_ptr_equal(((void **)zcd.ptr1)[1], r);
	dp_ring_dequeue_zc_finish(r, 3);
	assert_true(dp_ring_empty(r));
	ring_release(&t);
}

/* ---- count, reset, dump ----------------------------------------------------- */

/* What dp_ring_dump() prints, as a string to free(). */
static char *
dump_text(const struct dp_ring *r)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	dp_ring_dump(f, r);
	fclose(f);
	assert_non_null(text);
	return text;
}

static void
test_count_reset_dump(void **state)
{
	void *objs[8] = { 0 };
	struct test_ring t;
	struct dp_ring *r;
	char *text;

	(void)state;
	r = ring_alloc(&t, "dumpme", sizeof(void *), 8, DP_RING_F_SP_ENQ);
	assert_int_equal(dp_ring_enqueue_bulk(r, objs, 5, NULL), 5);
	assert_int_equal(dp_ring_dequeue_bulk(r, objs, 2, NULL), 2);
	assert_int_equal(dp_ring_count(r), 3);
	assert_int_equal(dp_ring_free_count(r), 5);

	text = dump_text(r);
	assert_non_null(strstr(text, "ring 'dumpme'"));
	assert_non_null(strstr(text, "single-producer enqueue, multi-consumer dequeue"));
	assert_non_null(strstr(text, "size=8 capacity=8 esize=8"));
	assert_non_null(strstr(text, "memzone=no (caller memory)"));
	assert_non_null(strstr(text, "prod.head=5 prod.tail=5"));
	assert_non_null(strstr(text, "cons.head=2 cons.tail=2"));
	assert_non_null(strstr(text, "used=3 free=5"));
	free(text);

	text = dump_text(NULL);
	assert_string_equal(text, "ring: NULL\n");
	free(text);

	dp_ring_reset(r);
	assert_int_equal(dp_ring_count(r), 0);
	assert_true(dp_ring_empty(r));
	assert_int_equal(r->prod.head, 0);
	assert_int_equal(r->cons.tail, 0);
	assert_int_equal(dp_ring_enqueue_burst(r, objs, 8, NULL), 8);
	assert_true(dp_ring_full(r));
	ring_release(&t);
}

/* ---- several producers/consumers publish in reservation order ------------ */

struct late_publish {
	struct dp_ring_headtail *ht;
	uint32_t old_head, new_head;
	int done;
};

static void *
late_publisher(void *arg)
{
	struct late_publish *lp = arg;

	__dp_ring_publish(lp->ht, lp->old_head, lp->new_head, 0);
	__atomic_store_n(&lp->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/*
 * Two reservations A then B on one side; B publishes first and must wait
 * (the tail stays at A's start) until A publishes. Deterministic: if B did
 * not wait, the tail would move while we sleep.
 */
static void
publish_order_one(bool prod)
{
	uint32_t head_a = 0, head_b = 0, seen, n;
	struct late_publish lp;
	struct test_ring t;
	struct dp_ring *r;
	struct dp_ring_headtail *ht;
	void *objs[8] = { 0 };
	pthread_t tid;

	r = ring_alloc(&t, "order", sizeof(void *), 16, 0);
	ring_reset_to_index(r, UINT32_MAX - 3);
	if (!prod)
		assert_int_equal(dp_ring_mp_enqueue_bulk(r, objs, 8, NULL), 8);
	ht = prod ? &r->prod : &r->cons;
	if (prod) {
		n = __dp_ring_prod_reserve(r, 3, DP_RING_QUEUE_FIXED, 0,
			&head_a, &seen);
		assert_int_equal(n, 3);
		n = __dp_ring_prod_reserve(r, 2, DP_RING_QUEUE_FIXED, 0,
			&head_b, &seen);
	} else {
		n = __dp_ring_cons_reserve(r, 3, DP_RING_QUEUE_FIXED, 0,
			&head_a, &seen);
		assert_int_equal(n, 3);
		n = __dp_ring_cons_reserve(r, 2, DP_RING_QUEUE_FIXED, 0,
			&head_b, &seen);
	}
	assert_int_equal(n, 2);
	assert_int_equal(head_b, head_a + 3);
	assert_int_equal(ht->head, head_a + 5);
	assert_int_equal(ht->tail, head_a);

	lp = (struct late_publish){ ht, head_b, head_b + 2, 0 };
	assert_int_equal(pthread_create(&tid, NULL, late_publisher, &lp), 0);
	usleep(50000);
	/* B is still waiting for A: nothing published. */
	assert_int_equal(__atomic_load_n(&lp.done, __ATOMIC_ACQUIRE), 0);
	assert_int_equal(__atomic_load_n(&ht->tail, __ATOMIC_ACQUIRE), head_a);
	__dp_ring_publish(ht, head_a, head_a + 3, 0);
	pthread_join(tid, NULL);
	assert_int_equal(lp.done, 1);
	assert_int_equal(ht->tail, head_a + 5);
	assert_int_equal(dp_ring_count(r), prod ? 5 : 3);
	ring_release(&t);
}

static void
test_publish_order(void **state)
{
	(void)state;
	publish_order_one(true);
	publish_order_one(false);
}

/* ---- multi-thread stress ------------------------------------------------------ */

#define STRESS_PRODUCERS 2
#define STRESS_CONSUMERS 2
#define STRESS_PER_PRODUCER 5000000u	/* 10^7 items in all */
#define STRESS_ID_SHIFT 40

struct stress {
	struct dp_ring *r;
	uint32_t per_producer;
	uint64_t total;
	uint64_t consumed;		/* atomic */
	/* Per consumer and producer: bitmap of sequence numbers seen. */
	uint64_t *seen[STRESS_CONSUMERS][STRESS_PRODUCERS];
	uint64_t reordered[STRESS_CONSUMERS];
	uint64_t dup[STRESS_CONSUMERS];
	uint64_t bad_id[STRESS_CONSUMERS];
	bool sp;	/* single producer and single consumer */
};

struct stress_thread {
	struct stress *s;
	unsigned int id;
	pthread_t tid;
};

/* Back off while the ring is full or empty: yield now and then so that
 * the thread that can make progress gets the CPU on an oversubscribed
 * machine (4 threads on 2 cores). */
static void
stress_backoff(unsigned int *spins)
{
	if (++*spins % 64 == 0)
		sched_yield();
	else
		dp_pause();
}

/*
 * One operation of a stress thread, chosen by @rnd among the flavours:
 * explicit-mode bulk, explicit-mode burst, default-mode burst, single.
 */
static unsigned int
stress_op(struct stress *s, uint32_t rnd, bool enqueue, void **batch,
	unsigned int n)
{
	enum mode explicit = s->sp ? MODE_SPSC : MODE_MPMC;
	enum mode dflt = s->sp ? MODE_DEF_S : MODE_DEF_M;
	const unsigned int es = sizeof(void *);

	switch ((rnd >> 8) % 4) {
	case 0:
		return enqueue ? op_enq(s->r, explicit, false, batch, es, n, NULL) :
			op_deq(s->r, explicit, false, batch, es, n, NULL);
	case 1:
		return enqueue ? op_enq(s->r, explicit, true, batch, es, n, NULL) :
			op_deq(s->r, explicit, true, batch, es, n, NULL);
	case 2:
		return enqueue ? op_enq(s->r, dflt, true, batch, es, n, NULL) :
			op_deq(s->r, dflt, true, batch, es, n, NULL);
	default:
		return enqueue ? op_enq1(s->r, dflt, batch, es) == 0 :
			op_deq1(s->r, dflt, batch, es) == 0;
	}
}

static void *
stress_producer(void *arg)
{
	struct stress_thread *th = arg;
	struct stress *s = th->s;
	uint64_t id = (uint64_t)(th->id + 1) << STRESS_ID_SHIFT;
	uint32_t seq = 0, rnd = 77 + th->id, spins = 0;
	void *batch[32];

	while (seq < s->per_producer) {
		unsigned int n, k, done;

		rnd = rnd * 1664525u + 1013904223u;
		n = 1 + (rnd >> 20) % 32;
		if (n > s->per_producer - seq)
			n = s->per_producer - seq;
		for (k = 0; k < n; k++)
			batch[k] = (void *)(uintptr_t)(id | (seq + k));
		done = stress_op(s, rnd, true, batch, n);
		if (done == 0)
			stress_backoff(&spins);
		seq += done;
	}
	return NULL;
}

static void *
stress_consumer(void *arg)
{
	struct stress_thread *th = arg;
	struct stress *s = th->s;
	unsigned int c = th->id, spins = 0;
	int64_t last[STRESS_PRODUCERS];
	uint32_t rnd = 999 + c;
	void *batch[32];

	for (unsigned int p = 0; p < STRESS_PRODUCERS; p++)
		last[p] = -1;
	while (__atomic_load_n(&s->consumed, __ATOMIC_RELAXED) < s->total) {
		unsigned int n, k, done;

		rnd = rnd * 1664525u + 1013904223u;
		n = 1 + (rnd >> 20) % 32;
		done = stress_op(s, rnd, false, batch, n);
		if (done == 0) {
			stress_backoff(&spins);
			continue;
		}
		for (k = 0; k < done; k++) {
			uint64_t v = (uint64_t)(uintptr_t)batch[k];
			uint64_t p = (v >> STRESS_ID_SHIFT) - 1;
			uint32_t seq = (uint32_t)(v & ((1ull << STRESS_ID_SHIFT) - 1));
			uint64_t bit;

			if (p >= STRESS_PRODUCERS || seq >= s->per_producer) {
				s->bad_id[c]++;
				continue;
			}
			/* One consumer sees each producer's items in order. */
			if ((int64_t)seq <= last[p])
				s->reordered[c]++;
			last[p] = seq;
			bit = 1ull << (seq % 64);
			if (s->seen[c][p][seq / 64] & bit)
				s->dup[c]++;
			s->seen[c][p][seq / 64] |= bit;
		}
		__atomic_fetch_add(&s->consumed, done, __ATOMIC_RELAXED);
	}
	return NULL;
}

static void
stress_run(const char *name, unsigned int nprod, unsigned int ncons,
	uint32_t per_producer, unsigned int slots, unsigned int flags)
{
	struct stress_thread prod[STRESS_PRODUCERS], cons[STRESS_CONSUMERS];
	size_t words = (per_producer + 63) / 64;
	struct stress s = { 0 };
	struct test_ring t;
	uint64_t lost = 0, dups = 0, reord = 0, bad = 0;
	uint32_t start = UINT32_MAX - 1000;
	unsigned int i, p, c;

	s.r = ring_alloc(&t, name, sizeof(void *), slots, flags);
	s.per_producer = per_producer;
	s.total = (uint64_t)per_producer * nprod;
	s.sp = flags & DP_RING_F_SP_ENQ;
	assert_int_equal(!!(flags & DP_RING_F_SC_DEQ), s.sp);
	/* The indexes cross 2^32 while the threads run. */
	ring_reset_to_index(s.r, start);
	for (c = 0; c < ncons; c++)
		for (p = 0; p < nprod; p++) {
			s.seen[c][p] = calloc(words, sizeof(uint64_t));
			assert_non_null(s.seen[c][p]);
		}
	for (i = 0; i < ncons; i++) {
		cons[i] = (struct stress_thread){ .s = &s, .id = i };
		assert_int_equal(pthread_create(&cons[i].tid, NULL,
			stress_consumer, &cons[i]), 0);
	}
	for (i = 0; i < nprod; i++) {
		prod[i] = (struct stress_thread){ .s = &s, .id = i };
		assert_int_equal(pthread_create(&prod[i].tid, NULL,
			stress_producer, &prod[i]), 0);
	}
	for (i = 0; i < nprod; i++)
		pthread_join(prod[i].tid, NULL);
	for (i = 0; i < ncons; i++)
		pthread_join(cons[i].tid, NULL);

	for (c = 0; c < ncons; c++) {
		dups += s.dup[c];
		reord += s.reordered[c];
		bad += s.bad_id[c];
	}
	/* Across consumers: every item seen exactly once. */
	for (p = 0; p < nprod; p++)
		for (size_t w = 0; w < words; w++) {
			uint64_t all = 0, want = ~0ull;

			for (c = 0; c < ncons; c++) {
				dups += __builtin_popcountll(all & s.seen[c][p][w]);
				all |= s.seen[c][p][w];
			}
			if (w == words - 1 && per_producer % 64)
				want = (1ull << (per_producer % 64)) - 1;
			lost += __builtin_popcountll(want & ~all);
		}
	fprintf(stderr, "  %s: %u producers, %u consumers, %" PRIu64 " items: "
		"lost %" PRIu64 ", duplicated %" PRIu64 ", reordered %" PRIu64
		", bad %" PRIu64 "\n", name, nprod, ncons, s.total, lost, dups,
		reord, bad);
	assert_int_equal(s.consumed, s.total);
	assert_int_equal(lost, 0);
	assert_int_equal(dups, 0);
	assert_int_equal(reord, 0);
	assert_int_equal(bad, 0);
	assert_true(dp_ring_empty(s.r));
	assert_int_equal(s.r->prod.tail, (uint32_t)(start + s.total));
	assert_int_equal(s.r->cons.tail, (uint32_t)(start + s.total));
	for (c = 0; c < ncons; c++)
		for (p = 0; p < nprod; p++)
			free(s.seen[c][p]);
	ring_release(&t);
}

static void
test_stress_mpmc(void **state)
{
	(void)state;
	stress_run("stress_mpmc", STRESS_PRODUCERS, STRESS_CONSUMERS,
		STRESS_PER_PRODUCER, 512, 0);
}

static void
test_stress_spsc(void **state)
{
	(void)state;
	stress_run("stress_spsc", 1, 1, 2000000, 256,
		DP_RING_F_SP_ENQ | DP_RING_F_SC_DEQ);
}

/* SP/SC zero copy across two threads: 16-byte elements written in place. */
struct zc_stress {
	struct dp_ring *r;
	uint32_t total;
	uint64_t errors;
};

/* Element k of a zero-copy reservation of 16-byte elements. */
static uint32_t *
zc_elem(const struct dp_ring_zc_data *zcd, unsigned int k)
{
	return k < zcd->n1 ? (uint32_t *)zcd->ptr1 + 4 * k :
		(uint32_t *)zcd->ptr2 + 4 * (k - zcd->n1);
}

static void *
zc_producer(void *arg)
{
	struct zc_stress *z = arg;
	struct dp_ring_zc_data zcd;
	uint32_t next = 0, rnd = 5, spins = 0;

	while (next < z->total) {
		unsigned int n, got, k;

		rnd = rnd * 1664525u + 1013904223u;
		n = DP_MIN(1 + (rnd >> 20) % 24, z->total - next);
		got = dp_ring_enqueue_zc_burst_elem_start(z->r, 16, n, &zcd, NULL);
		if (got == 0) {
			stress_backoff(&spins);
			continue;
		}
		for (k = 0; k < got; k++) {
			uint32_t *e = zc_elem(&zcd, k);

			e[0] = next + k;
			e[1] = ~(next + k);
			e[2] = (next + k) * 3;
			e[3] = 0x5a5a5a5a;
		}
		/* Sometimes publish fewer than reserved. */
		if (got > 1 && (rnd & 3) == 0)
			got--;
		dp_ring_enqueue_zc_finish(z->r, got);
		next += got;
	}
	return NULL;
}

static void *
zc_consumer(void *arg)
{
	struct zc_stress *z = arg;
	struct dp_ring_zc_data zcd;
	uint32_t next = 0, rnd = 9, spins = 0;

	while (next < z->total) {
		unsigned int n, got, k;

		rnd = rnd * 1664525u + 1013904223u;
		n = 1 + (rnd >> 20) % 24;
		got = dp_ring_dequeue_zc_burst_elem_start(z->r, 16, n, &zcd, NULL);
		if (got == 0) {
			stress_backoff(&spins);
			continue;
		}
		if (got > 1 && (rnd & 3) == 0)
			got--;
		for (k = 0; k < got; k++) {
			const uint32_t *e = zc_elem(&zcd, k);

			if (e[0] != next + k || e[1] != ~(next + k) ||
			    e[2] != (next + k) * 3 || e[3] != 0x5a5a5a5a)
				z->errors++;
		}
		dp_ring_dequeue_zc_finish(z->r, got);
		next += got;
	}
	return NULL;
}

static void
test_stress_zero_copy(void **state)
{
	struct zc_stress z = { .total = 2000000 };
	struct test_ring t;
	pthread_t a, b;

	(void)state;
	z.r = ring_alloc(&t, "zc_stress", 16, 64,
		DP_RING_F_SP_ENQ | DP_RING_F_SC_DEQ);
	ring_reset_to_index(z.r, UINT32_MAX - 50);
	assert_int_equal(pthread_create(&b, NULL, zc_consumer, &z), 0);
	assert_int_equal(pthread_create(&a, NULL, zc_producer, &z), 0);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	fprintf(stderr, "  zero copy: %u elements of 16 bytes, %" PRIu64
		" wrong\n", z.total, z.errors);
	assert_int_equal(z.errors, 0);
	assert_true(dp_ring_empty(z.r));
	ring_release(&t);
}

/* ---- named rings in EAL memory --------------------------------------------- */

static void
count_zone(const struct dp_memzone *mz, void *arg)
{
	(void)mz;
	(*(unsigned int *)arg)++;
}

static unsigned int
memzone_count(void)
{
	unsigned int n = 0;

	dp_memzone_walk(count_zone, &n);
	return n;
}

static void
eal_up(void)
{
	char cpu[16];
	const char *args[] = { "-l", cpu, "--no-pci", "--no-huge", "-m", "64",
		"--log-level=eal:warning", NULL };
	struct test_argv a;
	cpu_set_t set;
	int c, rc;

	sched_getaffinity(0, sizeof(set), &set);
	for (c = 0; c < CPU_SETSIZE && !CPU_ISSET(c, &set); c++)
		;
	snprintf(cpu, sizeof(cpu), "%d", c);
	test_argv_build(&a, args);
	rc = dp_eal_init(a.argc, a.argv);
	test_argv_free(&a);
	assert_true(rc > 0);
}

static int
eal_down(void **state)
{
	(void)state;
	if (dp_eal_is_initialized())
		dp_eal_cleanup();
	test_log_release();
	return 0;
}

static void
test_named_rings(void **state)
{
	struct dp_ring *r, *r2, *e;
	void *objs[4] = { &r, &r2, &e, NULL }, *out[4];
	unsigned int zones;
	struct test_ring t;
	char *text;

	(void)state;
	/* No EAL, no EAL memory. */
	test_log_capture();
	assert_null(dp_ring_create("early", 64, DP_SOCKET_ID_ANY, 0));
	assert_int_equal(dp_errno, ENODEV);
	assert_logged("EAL memory is not set up (call dp_eal_init() first)");
	assert_logged("ring: ring 'early': cannot reserve");

	eal_up();
	zones = memzone_count();

	test_log_capture();
	r = dp_ring_create("named", 1024, DP_SOCKET_ID_ANY,
		DP_RING_F_SP_ENQ | DP_RING_F_SC_DEQ);
	assert_non_null(r);
	assert_int_equal(test_log_buf.lines, 0);
	assert_non_null(r->memzone);
	assert_string_equal(r->memzone->name, "ring:named");
	assert_ptr_equal(r->memzone->addr, r);
	assert_true(r->memzone->len >= (size_t)dp_ring_get_memsize(1024, 0));
	assert_true(DP_IS_ALIGNED(r, DP_CACHE_LINE_SIZE));
	assert_int_equal(dp_ring_get_capacity(r), 1024);
	assert_ptr_equal(dp_ring_lookup("named"), r);
	assert_int_equal(memzone_count(), zones + 1);
	assert_int_equal(dp_ring_enqueue_bulk(r, objs, 4, NULL), 4);
	assert_int_equal(dp_ring_dequeue_bulk(r, out, 4, NULL), 4);
	assert_memory_equal(out, objs, sizeof(objs));

	text = dump_text(r);
	assert_non_null(strstr(text, "memzone=yes"));
	free(text);

	e = dp_ring_create_elem("named_e", 20, 100, DP_SOCKET_ID_ANY,
		DP_RING_F_EXACT_SZ);
	assert_non_null(e);
	assert_int_equal(dp_ring_get_capacity(e), 100);
	assert_int_equal(dp_ring_get_size(e), 128);
	assert_int_equal(dp_ring_get_esize(e), 20);
	assert_ptr_equal(dp_ring_lookup("named_e"), e);
	assert_int_equal(memzone_count(), zones + 2);

	/* Duplicate name: EEXIST, one line, nothing reserved, original intact. */
	test_log_capture();
	dp_errno = 0;
	assert_null(dp_ring_create("named", 64, DP_SOCKET_ID_ANY, 0));
	assert_int_equal(dp_errno, EEXIST);
	assert_int_equal(test_log_buf.lines, 1);
	assert_logged("ring: ring 'named' already exists: pick another name, or "
		"find it with dp_ring_lookup()");
	assert_int_equal(memzone_count(), zones + 2);
	assert_ptr_equal(dp_ring_lookup("named"), r);
	assert_int_equal(dp_ring_get_capacity(r), 1024);

	/* Name too long (27 characters): ENAMETOOLONG before any memory. */
	test_log_capture();
	assert_null(dp_ring_create("abcdefghijklmnopqrstuvwxyz0", 64,
		DP_SOCKET_ID_ANY, 0));
	assert_int_equal(dp_errno, ENAMETOOLONG);
	assert_int_equal(test_log_buf.lines, 1);
	assert_logged("ring name 'abcdefghijklmnopqrstuvwxyz0' is too long: at "
		"most 26 characters");
	test_log_capture();
	assert_null(dp_ring_create(NULL, 64, DP_SOCKET_ID_ANY, 0));
	assert_int_equal(dp_errno, EINVAL);
	assert_logged("ring name is NULL");
	/* Bad geometry: EINVAL, logged, nothing reserved. */
	test_log_capture();
	assert_null(dp_ring_create("odd", 100, DP_SOCKET_ID_ANY, 0));
	assert_int_equal(dp_errno, EINVAL);
	assert_logged("ring 'odd': count 100 is not a power of two: use 128");
	test_log_capture();
	assert_null(dp_ring_create_elem("odd", 6, 64, DP_SOCKET_ID_ANY, 0));
	assert_int_equal(dp_errno, EINVAL);
	assert_logged("ring 'odd': element size 6 is not a multiple of 4 bytes");
	/* More than the 64 MB of EAL memory: ENOMEM, the ring named. */
	test_log_capture();
	assert_null(dp_ring_create("huge", 1u << 24, DP_SOCKET_ID_ANY, 0));
	assert_int_equal(dp_errno, ENOMEM);
	assert_logged("ring: ring 'huge': cannot reserve 134218112 bytes of EAL "
		"memory");
	assert_int_equal(memzone_count(), zones + 2);

	/* Lookups that find nothing. */
	dp_errno = 0;
	assert_null(dp_ring_lookup("nothere"));
	assert_int_equal(dp_errno, ENOENT);
	assert_null(dp_ring_lookup("abcdefghijklmnopqrstuvwxyz0123456789"));
	assert_int_equal(dp_errno, ENOENT);
	assert_null(dp_ring_lookup(NULL));
	assert_int_equal(dp_errno, EINVAL);

	/* Free: gone from lookup, memory back, the name reusable. */
	test_log_capture();
	dp_ring_free(r);
	assert_int_equal(test_log_buf.lines, 0);
	dp_errno = 0;
	assert_null(dp_ring_lookup("named"));
	assert_int_equal(dp_errno, ENOENT);
	assert_int_equal(memzone_count(), zones + 1);
	r2 = dp_ring_create("named", 64, DP_SOCKET_ID_ANY, 0);
	assert_non_null(r2);
	assert_int_equal(dp_ring_get_capacity(r2), 64);
	assert_ptr_equal(dp_ring_lookup("named"), r2);
	dp_ring_free(r2);
	dp_ring_free(e);
	assert_null(dp_ring_lookup("named_e"));
	assert_int_equal(memzone_count(), zones);
	dp_ring_free(NULL);

	/* A ring on caller memory is not dp_ring_free()'s to release. */
	r = ring_alloc(&t, "mine", sizeof(void *), 8, 0);
	test_log_capture();
	dp_ring_free(r);
	assert_logged("dp_ring_free: ring 'mine' was made by dp_ring_init() on "
		"caller memory: release that memory instead");
	assert_int_equal(dp_ring_enqueue(r, objs[0]), 0);
	assert_null(dp_ring_lookup("mine"));
	ring_release(&t);
	test_log_release();
}

/* Two threads create and free the same names: each create succeeds once. */
struct create_race {
	unsigned int created, exists;
	struct dp_ring *rings[64];
};

static void *
create_racer(void *arg)
{
	struct create_race *cr = arg;
	char name[16];

	for (unsigned int i = 0; i < 64; i++) {
		struct dp_ring *r;

		snprintf(name, sizeof(name), "race%u", i);
		r = dp_ring_create(name, 16, DP_SOCKET_ID_ANY, 0);
		if (r != NULL) {
			cr->rings[i] = r;
			cr->created++;
		} else if (dp_errno == EEXIST) {
			cr->exists++;
		}
	}
	return NULL;
}

static void
test_named_create_race(void **state)
{
	struct create_race a = { 0 }, b = { 0 };
	unsigned int zones;
	pthread_t ta, tb;

	(void)state;
	eal_up();
	zones = memzone_count();
	test_log_capture();	/* the EEXIST lines */
	assert_int_equal(pthread_create(&ta, NULL, create_racer, &a), 0);
	assert_int_equal(pthread_create(&tb, NULL, create_racer, &b), 0);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	test_log_release();
	assert_int_equal(a.created + b.created, 64);
	assert_int_equal(a.exists + b.exists, 64);
	assert_int_equal(memzone_count(), zones + 64);
	for (unsigned int i = 0; i < 64; i++) {
		struct dp_ring *r = a.rings[i] ? a.rings[i] : b.rings[i];
		char name[16];

		assert_true((a.rings[i] == NULL) != (b.rings[i] == NULL));
		snprintf(name, sizeof(name), "race%u", i);
		assert_ptr_equal(dp_ring_lookup(name), r);
		dp_ring_free(r);
	}
	assert_int_equal(memzone_count(), zones);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memsize),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_init_fields),
		cmocka_unit_test(test_full_empty_edges),
		cmocka_unit_test(test_modes_and_sizes),
		cmocka_unit_test(test_index_wrap),
		cmocka_unit_test(test_pointer_const_bulk),
		cmocka_unit_test(test_zero_copy),
		cmocka_unit_test(test_count_reset_dump),
		cmocka_unit_test(test_publish_order),
		cmocka_unit_test(test_stress_mpmc),
		cmocka_unit_test(test_stress_spsc),
		cmocka_unit_test(test_stress_zero_copy),
		cmocka_unit_test_teardown(test_named_rings, eal_down),
		cmocka_unit_test_teardown(test_named_create_race, eal_down),
	};

	return cmocka_run_group_tests_name("ring", tests, NULL, NULL);
}
