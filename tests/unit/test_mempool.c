/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Mempool tests: creation with its callbacks and private area, lookup,
 * walk and dump; exhausting a pool (exactly N gets, then -ENOENT) with and
 * without a cache, bulk all-or-nothing, the cache refill and flush edges;
 * caches on two EAL lcores and their flush back; a two-lcore plus
 * non-EAL-thread stress that checks no object is lost or handed out
 * twice; every object's IOVA against the memseg lookup; objects never
 * crossing a page boundary whose IOVA breaks (with a test hook that fakes
 * such memory, and on real hugepages in PA mode in the _huge variant);
 * backend selection and a custom backend; user caches; audit (and, in
 * debug builds, double free and overwrite detection); every creation
 * failure with its log line and nothing leaked. Every test ends with its
 * pools' in-use counts at zero and frees them.
 */

#include <inttypes.h>
#include <pthread.h>

#include "test_mempool_common.h"

#include <dp_mempool.h>

#include "mempool_private.h"

#ifndef TEST_HUGE
#define TEST_HUGE 0
#define RUNNER "mempool"
#endif

/* Every pool a test makes ends here: nothing in use, sane, freed. */
static void
pool_done(struct dp_mempool *mp)
{
	assert_int_equal(dp_mempool_in_use_count(mp), 0);
	assert_int_equal(dp_mempool_avail_count(mp), mp->size);
	assert_true(dp_mempool_full(mp));
	assert_int_equal(dp_mempool_audit(mp), 0);
	dp_mempool_free(mp);
}

/* Give every object the calling lcore's cache holds back to the pool. */
static void
flush_local(struct dp_mempool *mp)
{
	dp_mempool_cache_flush(NULL, mp);
}

static int
ptr_cmp(const void *a, const void *b)
{
	uintptr_t x = *(const uintptr_t *)a, y = *(const uintptr_t *)b;

	return x < y ? -1 : x > y;
}

/* All pointers distinct and all objects of @mp. */
static void
assert_distinct_objs(struct dp_mempool *mp, void **objs, unsigned int n)
{
	void **s = malloc(n * sizeof(*s));

	assert_non_null(s);
	memcpy(s, objs, n * sizeof(*s));
	qsort(s, n, sizeof(*s), ptr_cmp);
	for (unsigned int i = 0; i < n; i++) {
		assert_ptr_equal(dp_mempool_from_obj(s[i]), mp);
		if (i > 0)
			assert_true(s[i] != s[i - 1]);
	}
	free(s);
}

/* ---- creation, callbacks, lookup --------------------------------------------- */

struct init_rec {
	unsigned int pool_calls;
	unsigned int obj_calls;
	unsigned int next_idx;
	bool in_order;
};

static void
pool_ctor(struct dp_mempool *mp, void *arg)
{
	struct init_rec *r = arg;

	r->pool_calls++;
	/* Runs before the objects exist: fill the private area. */
	assert_int_equal(mp->populated_size, 0);
	memset(dp_mempool_get_priv(mp), 0x5a, mp->private_data_size);
}

static void
obj_ctor(struct dp_mempool *mp, void *arg, void *obj, unsigned int idx)
{
	struct init_rec *r = arg;

	(void)mp;
	r->in_order &= idx == r->next_idx;
	r->next_idx++;
	r->obj_calls++;
	memset(obj, (int)(idx & 0xff), 40);
	*(uint32_t *)obj = idx;
}

static void
test_create_basic(void **state)
{
	struct init_rec r = { 0, 0, 0, true };
	struct dp_mempool *mp;
	const unsigned char *priv;
	void *objs[1000];

	(void)state;
	mp = dp_mempool_create("mp_basic", 1000, 40, 32, 100, pool_ctor, &r,
		obj_ctor, &r, DP_SOCKET_ID_ANY, 0);
	assert_non_null(mp);
	assert_string_equal(dp_mempool_name(mp), "mp_basic");
	assert_int_equal(mp->size, 1000);
	assert_int_equal(mp->populated_size, 1000);
	assert_int_equal(mp->cache_size, 32);
	assert_int_equal(mp->elt_size, 40);
	assert_int_equal(mp->header_size, DP_CACHE_LINE_SIZE);
	assert_int_equal(mp->header_size + mp->elt_size + mp->trailer_size,
		dp_mempool_calc_obj_size(40, 0));
	assert_int_equal(dp_mempool_calc_obj_size(40, 0), 128);
	assert_string_equal(dp_mempool_ops_name(mp), "ring_mp_mc");
	assert_int_equal(r.pool_calls, 1);
	assert_int_equal(r.obj_calls, 1000);
	assert_true(r.in_order);
	assert_int_equal(dp_mempool_obj_iter(mp, NULL, NULL), 1000);
	priv = dp_mempool_get_priv(mp);
	assert_true(DP_IS_ALIGNED(priv, DP_CACHE_LINE_SIZE));
	for (int i = 0; i < 100; i++)
		assert_int_equal(priv[i], 0x5a);
	assert_int_equal(dp_mempool_avail_count(mp), 1000);
	assert_int_equal(dp_mempool_in_use_count(mp), 0);
	assert_true(dp_mempool_full(mp));
	assert_false(dp_mempool_empty(mp));
	assert_ptr_equal(dp_mempool_lookup("mp_basic"), mp);
	assert_null(dp_mempool_lookup("mp_nothere"));
	assert_int_equal(dp_errno, ENOENT);
	assert_null(dp_mempool_lookup(NULL));
	assert_int_equal(dp_errno, EINVAL);

	/* Every object once, constructed, cache-aligned, 128 bytes apart. */
	assert_int_equal(dp_mempool_get_bulk(mp, objs, 1000), 0);
	assert_distinct_objs(mp, objs, 1000);
	for (int i = 0; i < 1000; i++) {
		uint32_t idx = *(uint32_t *)objs[i];

		assert_true(idx < 1000);
		assert_int_equal(((unsigned char *)objs[i])[39], idx & 0xff);
		assert_true(DP_IS_ALIGNED(objs[i], DP_CACHE_LINE_SIZE));
	}
	assert_int_equal(dp_mempool_in_use_count(mp), 1000);
	assert_true(dp_mempool_empty(mp));
	dp_mempool_put_bulk(mp, objs, 1000);
	flush_local(mp);
	pool_done(mp);
	assert_null(dp_mempool_lookup("mp_basic"));
}

static void
test_no_cache_align(void **state)
{
	struct dp_mempool *mp;
	uint32_t total = dp_mempool_calc_obj_size(20, DP_MEMPOOL_F_NO_CACHE_ALIGN);
	void *objs[64];

	(void)state;
	/* Header (aligned to 8) + 24 (20 rounded to 8) + debug trailer. */
	assert_int_equal(total, DP_ALIGN_CEIL(
		(uint32_t)sizeof(struct dp_mempool_objhdr), 8u) + 24 +
		(DP_MEMPOOL_DEBUG ? 8 : 0));
	mp = dp_mempool_create("mp_nca", 64, 20, 0, 0, NULL, NULL, NULL, NULL,
		DP_SOCKET_ID_ANY, DP_MEMPOOL_F_NO_CACHE_ALIGN);
	assert_non_null(mp);
	assert_int_equal(dp_mempool_get_bulk(mp, objs, 64), 0);
	qsort(objs, 64, sizeof(objs[0]), ptr_cmp);
	for (int i = 0; i < 64; i++) {
		assert_true(DP_IS_ALIGNED(objs[i], 8));
		/* Tightly packed when the memory is contiguous. */
		if (i > 0 && mp->nb_mem_chunks == 1)
			assert_int_equal(DP_PTR_DIFF(objs[i], objs[i - 1]),
				total);
	}
	dp_mempool_put_bulk(mp, objs, 64);
	pool_done(mp);
}

/* ---- exhaustion and bulk semantics ----------------------------------------- */

static void
exhaust(unsigned int n, unsigned int cache, unsigned int flags)
{
	char name[32];
	struct dp_mempool *mp;
	void **objs = calloc(n + 1, sizeof(*objs));
	void *extra;
	unsigned int i;

	assert_non_null(objs);
	snprintf(name, sizeof(name), "mp_ex_%u_%u_%x", n, cache, flags);
	mp = dp_mempool_create(name, n, 64, cache, 0, NULL, NULL, NULL, NULL,
		DP_SOCKET_ID_ANY, flags);
	assert_non_null(mp);
	for (i = 0; i < n; i++) {
		assert_int_equal(dp_mempool_get(mp, &objs[i]), 0);
		assert_int_equal(dp_mempool_in_use_count(mp), i + 1);
		assert_int_equal(dp_mempool_avail_count(mp), n - i - 1);
	}
	assert_int_equal(dp_mempool_get(mp, &extra), -ENOENT);
	assert_int_equal(dp_mempool_get_bulk(mp, &extra, 1), -ENOENT);
	assert_true(dp_mempool_empty(mp));
	assert_int_equal(dp_mempool_in_use_count(mp), n);
	assert_distinct_objs(mp, objs, n);
	/* Back one by one, then all handed out again by bulk. */
	for (i = 0; i < n; i++)
		dp_mempool_put(mp, objs[i]);
	assert_int_equal(dp_mempool_avail_count(mp), n);
	assert_int_equal(dp_mempool_get_bulk(mp, objs, n), 0);
	assert_distinct_objs(mp, objs, n);
	assert_int_equal(dp_mempool_get_bulk(mp, &extra, 1), -ENOENT);
	dp_mempool_put_bulk(mp, objs, n);
	flush_local(mp);
	pool_done(mp);
	free(objs);
}

static void
test_exhaust(void **state)
{
	(void)state;
	exhaust(1, 0, 0);
	exhaust(777, 0, 0);
	exhaust(777, 32, 0);
	exhaust(777, 512, 0);
	exhaust(24, 16, 0);	/* cache as big as allowed: n / 1.5 */
	exhaust(1000, 64, DP_MEMPOOL_F_SP_PUT | DP_MEMPOOL_F_SC_GET);
	exhaust(1000, 64, DP_MEMPOOL_F_SC_GET);
	exhaust(1000, 0, DP_MEMPOOL_F_SP_PUT);
}

static void
test_bulk_all_or_nothing(void **state)
{
	struct dp_mempool *mp;
	struct dp_mempool_cache *c;
	void *a[100], *b[100];

	(void)state;
	mp = dp_mempool_create("mp_bulk", 100, 64, 16, 0, NULL, NULL, NULL,
		NULL, DP_SOCKET_ID_ANY, 0);
	assert_non_null(mp);
	c = dp_mempool_default_cache(mp, dp_lcore_id());
	assert_non_null(c);
	assert_int_equal(c->size, 16);
	assert_int_equal(c->flushthresh, 24);

	/* A miss refills to size + n, hands n: size stay in the cache. */
	assert_int_equal(dp_mempool_get_bulk(mp, a, 10), 0);
	assert_int_equal(c->len, 16);
	assert_int_equal(dp_mempool_avail_count(mp), 90);
	/* More than the cache size: straight from the backend. */
	assert_int_equal(dp_mempool_get_bulk(mp, a + 10, 60), 0);
	assert_int_equal(c->len, 16);
	assert_int_equal(dp_mempool_avail_count(mp), 30);
	/* 30 left: 31 fails without taking any, 30 succeeds. */
	assert_int_equal(dp_mempool_get_bulk(mp, b, 31), -ENOENT);
	assert_int_equal(dp_mempool_avail_count(mp), 30);
	assert_int_equal(dp_mempool_get_bulk(mp, b, 16), 0);	/* cache */
	assert_int_equal(c->len, 0);
	/* 14 in the backend: a request the refill cannot fully serve. */
	assert_int_equal(dp_mempool_get_bulk(mp, b + 16, 15), -ENOENT);
	assert_int_equal(dp_mempool_get_bulk(mp, b + 16, 14), 0);
	assert_int_equal(dp_mempool_avail_count(mp), 0);
	memcpy(a + 70, b, 30 * sizeof(void *));
	assert_distinct_objs(mp, a, 100);

	/* Puts: up to flushthresh stays cached, above it flushes to size. */
	dp_mempool_put_bulk(mp, a, 16);
	assert_int_equal(c->len, 16);
	dp_mempool_put_bulk(mp, a + 16, 8);
	assert_int_equal(c->len, 24);
	dp_mempool_put(mp, a[24]);
	assert_int_equal(c->len, 16);
	assert_int_equal(dp_mempool_avail_count(mp), 25);
	/* A put larger than the cache goes to the backend. */
	dp_mempool_put_bulk(mp, a + 25, 17);
	assert_int_equal(c->len, 16);
	dp_mempool_put_bulk(mp, a + 42, 58);
	assert_int_equal(dp_mempool_avail_count(mp), 100);
	/* LIFO: the last object put is the first one got back. */
	dp_mempool_cache_flush(c, mp);
	assert_int_equal(c->len, 0);
	assert_int_equal(dp_mempool_get(mp, &b[0]), 0);
	dp_mempool_put(mp, b[0]);
	assert_int_equal(dp_mempool_get(mp, &b[1]), 0);
	assert_ptr_equal(b[0], b[1]);
	dp_mempool_put(mp, b[1]);
	/* n = 0 is a no-op that succeeds. */
	assert_int_equal(dp_mempool_get_bulk(mp, b, 0), 0);
	dp_mempool_put_bulk(mp, b, 0);
	flush_local(mp);
	pool_done(mp);
}

/* ---- caches on several lcores --------------------------------------------- */

struct lcore_job {
	struct dp_mempool *mp;
	unsigned int n;
	void *objs[64];
	int rc;
	unsigned int lcore;
};

static int
job_get_put(void *arg)
{
	struct lcore_job *j = arg;

	j->lcore = dp_lcore_id();
	j->rc = dp_mempool_get_bulk(j->mp, j->objs, j->n);
	if (j->rc == 0)
		dp_mempool_put_bulk(j->mp, j->objs, j->n);
	return j->rc;
}

static int
job_get(void *arg)
{
	struct lcore_job *j = arg;

	j->lcore = dp_lcore_id();
	return j->rc = dp_mempool_get_bulk(j->mp, j->objs, j->n);
}

static int
job_flush(void *arg)
{
	struct lcore_job *j = arg;

	dp_mempool_cache_flush(NULL, j->mp);
	return 0;
}

static void
test_lcore_caches(void **state)
{
	struct lcore_job j = { 0 };
	struct dp_mempool *mp;
	struct dp_mempool_cache *c0, *c1;
	unsigned int main_lcore = dp_lcore_id();
	void *objs[20];

	(void)state;
	if (test_worker == DP_MAX_LCORE)
		skip();
	mp = dp_mempool_create("mp_lc", 200, 64, 32, 0, NULL, NULL, NULL, NULL,
		DP_SOCKET_ID_ANY, 0);
	assert_non_null(mp);
	c0 = dp_mempool_default_cache(mp, main_lcore);
	c1 = dp_mempool_default_cache(mp, test_worker);
	assert_non_null(c0);
	assert_non_null(c1);
	assert_true(c0 != c1);
	/* Only enabled lcores have a cache; non-EAL threads none. */
	assert_null(dp_mempool_default_cache(mp, DP_MAX_LCORE - 1));
	assert_null(dp_mempool_default_cache(mp, DP_LCORE_ID_ANY));

	/* The worker's get/put leaves objects in the worker's cache only. */
	j.mp = mp;
	j.n = 10;
	assert_int_equal(dp_eal_remote_launch(job_get_put, &j, test_worker), 0);
	assert_int_equal(dp_eal_wait_lcore(test_worker), 0);
	assert_int_equal(j.lcore, test_worker);
	/* Refilled to 32 + 10, handed 10, got 10 back. */
	assert_int_equal(c1->len, 42);
	assert_int_equal(c0->len, 0);
	assert_int_equal(dp_mempool_avail_count(mp), 200);
	assert_int_equal(mempool_ops_get_count(mp), 158);

	/* Main takes 20 through its own cache. */
	assert_int_equal(dp_mempool_get_bulk(mp, objs, 20), 0);
	assert_int_equal(c0->len, 32);
	assert_int_equal(dp_mempool_in_use_count(mp), 20);

	/* The worker holds 30 more; counts see both lcores. */
	j.n = 30;
	assert_int_equal(dp_eal_remote_launch(job_get, &j, test_worker), 0);
	assert_int_equal(dp_eal_wait_lcore(test_worker), 0);
	assert_int_equal(c1->len, 12);
	assert_int_equal(dp_mempool_in_use_count(mp), 50);
	/* Freed on the other lcore: main's cache takes them, 62 > 48 flushes. */
	dp_mempool_put_bulk(mp, j.objs, 30);
	assert_int_equal(c0->len, 32);
	dp_mempool_put_bulk(mp, objs, 20);
	assert_int_equal(c0->len, 32);
	assert_int_equal(dp_mempool_in_use_count(mp), 0);

	/* Flush both caches back to the backend. */
	assert_int_equal(dp_eal_remote_launch(job_flush, &j, test_worker), 0);
	assert_int_equal(dp_eal_wait_lcore(test_worker), 0);
	assert_int_equal(c1->len, 0);
	flush_local(mp);
	assert_int_equal(c0->len, 0);
	assert_int_equal(mempool_ops_get_count(mp), 200);
	pool_done(mp);
}

/* ---- stress: no object lost or handed out twice --------------------------------- */

#define STRESS_N 2048
#define STRESS_ITERS 100000

struct stress {
	struct dp_mempool *mp;
	uint8_t owned[STRESS_N];	/* one flag per object, set while held */
	unsigned long gets;
};

struct stress_job {
	struct stress *s;
	struct dp_mempool_cache *cache;	/* user cache, or NULL */
	bool use_default;		/* EAL lcore cache */
	unsigned int seed;
	unsigned long errors;
	unsigned long gets;
};

/* Each object holds its index (never written by the threads). */
static void
set_index(struct dp_mempool *mp, void *arg, void *obj, unsigned int idx)
{
	(void)mp;
	(void)arg;
	*(uint32_t *)obj = idx;
}

static size_t
obj_index(const struct stress *s, const void *obj)
{
	(void)s;
	return *(const uint32_t *)obj;
}

static void *
stress_thread(void *arg)
{
	struct stress_job *j = arg;
	struct stress *s = j->s;
	void *objs[64];
	unsigned int held = 0;

	for (unsigned long it = 0; it < STRESS_ITERS; it++) {
		unsigned int n = 1 + rand_r(&j->seed) % 48;
		struct dp_mempool_cache *c = j->use_default ?
			dp_mempool_default_cache(s->mp, dp_lcore_id()) :
			j->cache;

		if (held + n <= DP_DIM(objs) && (rand_r(&j->seed) & 1)) {
			if (dp_mempool_generic_get(s->mp, objs + held, n, c) != 0)
				continue;
			for (unsigned int i = held; i < held + n; i++) {
				size_t k = obj_index(s, objs[i]);

				/* Taken by nobody else at this moment. */
				if (__atomic_exchange_n(&s->owned[k], 1,
				    __ATOMIC_ACQ_REL) != 0)
					j->errors++;
			}
			held += n;
			j->gets += n;
		} else if (held > 0) {
			n = n > held ? held : n;
			held -= n;
			for (unsigned int i = held; i < held + n; i++)
				__atomic_store_n(&s->owned[obj_index(s,
					objs[i])], 0, __ATOMIC_RELEASE);
			dp_mempool_generic_put(s->mp, objs + held, n, c);
		}
	}
	for (unsigned int i = 0; i < held; i++)
		__atomic_store_n(&s->owned[obj_index(s, objs[i])], 0,
			__ATOMIC_RELEASE);
	dp_mempool_generic_put(s->mp, objs, held, j->use_default ?
		dp_mempool_default_cache(s->mp, dp_lcore_id()) : j->cache);
	return NULL;
}

static int
stress_lcore(void *arg)
{
	stress_thread(arg);
	dp_mempool_cache_flush(NULL, ((struct stress_job *)arg)->s->mp);
	return 0;
}

/* The worker lcore's CPU: the non-EAL thread runs there (never 3 on 2). */
static void *
pinned_stress_thread(void *arg)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(dp_lcore_to_cpu_id(test_worker), &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	return stress_thread(arg);
}

/*
 * Two threads at a time, one per CPU: with more threads than CPUs, a
 * thread preempted inside a multi-producer ring operation makes the
 * others spin for a whole time slice (as with any such ring), which only
 * makes the test slow.
 */
static void
stress_run(unsigned int cache_size, unsigned int flags)
{
	static struct stress s;
	struct stress_job jobs[4];
	bool two = test_worker != DP_MAX_LCORE &&
		!(flags & (DP_MEMPOOL_F_SP_PUT | DP_MEMPOOL_F_SC_GET));
	pthread_t th;
	unsigned int i;

	memset(&s, 0, sizeof(s));
	s.mp = dp_mempool_create("mp_stress", STRESS_N, 48, cache_size, 0,
		NULL, NULL, set_index, NULL, DP_SOCKET_ID_ANY, flags);
	assert_non_null(s.mp);
	for (i = 0; i < DP_DIM(jobs); i++)
		jobs[i] = (struct stress_job){ .s = &s, .seed = 1234 + i };
	jobs[0].use_default = true;
	jobs[1].use_default = true;
	jobs[2].cache = dp_mempool_cache_create(32, DP_SOCKET_ID_ANY);
	assert_non_null(jobs[2].cache);
	jobs[3].cache = NULL;

	/* Phase 1: the two EAL lcores, each through its own cache. */
	if (two)
		assert_int_equal(dp_eal_remote_launch(stress_lcore, &jobs[1],
			test_worker), 0);
	stress_lcore(&jobs[0]);
	if (two)
		assert_int_equal(dp_eal_wait_lcore(test_worker), 0);
	/* Phases 2 and 3: a non-EAL thread with a user cache, then none. */
	for (i = 2; two && i < 4; i++) {
		jobs[0].seed += 77;
		assert_int_equal(pthread_create(&th, NULL, pinned_stress_thread,
			&jobs[i]), 0);
		stress_lcore(&jobs[0]);
		pthread_join(th, NULL);
	}
	dp_mempool_cache_flush(jobs[2].cache, s.mp);
	dp_mempool_cache_free(jobs[2].cache);
	for (i = 0; i < DP_DIM(jobs); i++) {
		assert_int_equal(jobs[i].errors, 0);
		s.gets += jobs[i].gets;
	}
	assert_true(s.gets > STRESS_ITERS);
	for (i = 0; i < STRESS_N; i++)
		assert_int_equal(s.owned[i], 0);
	pool_done(s.mp);
}

static void
test_stress(void **state)
{
	(void)state;
	stress_run(64, 0);
	stress_run(0, 0);
	/* Single producer/consumer pools: one thread (the main lcore). */
	stress_run(64, DP_MEMPOOL_F_SP_PUT | DP_MEMPOOL_F_SC_GET);
}

/* ---- IOVA ------------------------------------------------------------------------ */

struct iova_check {
	unsigned int objs;
	unsigned int bad;
	size_t elt;
	unsigned int straddling;	/* objects across a hugepage end */
};

static void
check_obj_iova(struct dp_mempool *mp, void *arg, void *obj, unsigned int idx)
{
	struct iova_check *c = arg;
	dp_iova_t iova = dp_mempool_virt2iova(obj);

	(void)idx;
	c->objs++;
	if (iova == DP_BAD_IOVA || iova != dp_mem_virt2iova(obj))
		c->bad++;
	/* The whole object is contiguous in IOVA space. */
	if (dp_mem_virt2iova((char *)obj + mp->elt_size - 1) !=
	    iova + mp->elt_size - 1)
		c->bad++;
	/* Header to trailer within one hugepage (not for 4 KB pages). */
	{
		const struct dp_memseg *ms = dp_mem_virt2memseg(obj);
		uintptr_t first = (uintptr_t)obj - mp->header_size;
		uintptr_t last = (uintptr_t)obj + mp->elt_size +
			mp->trailer_size - 1;

		if (ms != NULL && ms->hugepage_sz > 4096 &&
		    first / ms->hugepage_sz != last / ms->hugepage_sz)
			c->straddling++;
	}
}

static void
check_chunk_iova(struct dp_mempool *mp, void *arg,
	struct dp_mempool_memhdr *h, unsigned int idx)
{
	struct iova_check *c = arg;

	(void)mp;
	(void)idx;
	if (h->iova != dp_mem_virt2iova(h->addr) ||
	    dp_mem_virt2iova((char *)h->addr + h->len - 1) !=
	    h->iova + h->len - 1)
		c->bad++;
}

static void
test_iova(void **state)
{
	struct iova_check c = { 0, 0, 0, 0 };
	struct dp_mempool *mp;

	(void)state;
	/* 2368-byte elements, like mbufs: several per page, some across. */
	mp = dp_mempool_create("mp_iova", 4000, 2304, 0, 0, NULL, NULL, NULL,
		NULL, DP_SOCKET_ID_ANY, 0);
	assert_non_null(mp);
	assert_int_equal(dp_mempool_obj_iter(mp, check_obj_iova, &c), 4000);
	assert_int_equal(c.objs, 4000);
	assert_int_equal(c.bad, 0);
	/* 9.4 MB of objects span several hugepages: none straddles one. */
	assert_int_equal(c.straddling, 0);
	assert_true(dp_mempool_mem_iter(mp, check_chunk_iova, &c) >= 1);
	assert_int_equal(c.bad, 0);
	if (!TEST_HUGE)
		/* 4 KB pages, IOVA = VA: one chunk, objects packed tightly. */
		assert_int_equal(mp->nb_mem_chunks, 1);
	else
		/* At least one chunk per hugepage the objects span. */
		assert_true(mp->nb_mem_chunks >= 4000 * 2368 / (2u << 20));
	fprintf(stderr, "  mp_iova: %u chunks, PA mode %d\n", mp->nb_mem_chunks,
		test_pa_mode);
	pool_done(mp);

	if (!TEST_HUGE)
		return;
	/* Objects of a third of a hugepage: two per page, the zone sized
	 * in whole pages, so one memory zone holds them all. */
	memset(&c, 0, sizeof(c));
	mp = dp_mempool_create("mp_big", 20, 700000, 0, 0, NULL, NULL, NULL,
		NULL, DP_SOCKET_ID_ANY, 0);
	assert_non_null(mp);
	assert_int_equal(dp_mempool_obj_iter(mp, check_obj_iova, &c), 20);
	assert_int_equal(c.bad + c.straddling, 0);
	assert_non_null(dp_memzone_lookup("MPM0_mp_big"));
	assert_null(dp_memzone_lookup("MPM1_mp_big"));
	pool_done(mp);
}

/*
 * Fake memory whose 4 KB pages are scattered in IOVA space: page k of
 * the fake layout maps to IOVA (k * 7919 % 1024) * 4096 + 2^40, so no
 * two neighbouring pages are contiguous, except where listed.
 */
#define FAKE_PG 4096ul

static dp_iova_t
fake_iova(const void *va)
{
	uintptr_t page = (uintptr_t)va / FAKE_PG;
	/* Pages in pairs are contiguous (0-1, 2-3, ...), pairs are not. */
	uintptr_t pair = page / 2;

	return (1ull << 40) + ((pair * 7919) % 100003) * 2 * FAKE_PG +
		(page % 2) * FAKE_PG + (uintptr_t)va % FAKE_PG;
}

static size_t
fake_contig(const void *va, size_t max, dp_iova_t *iova)
{
	uintptr_t p = (uintptr_t)va;
	size_t len = FAKE_PG - p % FAKE_PG;

	*iova = fake_iova(va);
	while (len < max && fake_iova((const char *)va + len) == *iova + len)
		len += FAKE_PG;
	return len < max ? len : max;
}

struct fake_check {
	unsigned int objs;
	unsigned int crossing;
	unsigned int bad_iova;
	size_t span;
};

static void
check_fake(struct dp_mempool *mp, void *arg, void *obj, unsigned int idx)
{
	struct fake_check *c = arg;
	dp_iova_t iova;

	(void)idx;
	c->objs++;
	if (dp_mempool_virt2iova(obj) != fake_iova(obj))
		c->bad_iova++;
	/* The whole element, header to trailer, inside one run. */
	if (fake_contig((char *)obj - mp->header_size, c->span, &iova) <
	    c->span)
		c->crossing++;
}

static void
test_iova_breaks(void **state)
{
	struct fake_check c = { 0, 0, 0, 0 };
	struct dp_mempool *mp;
	struct test_usage u0 = test_usage_now(), u1;
	uint32_t total;

	(void)state;
	mempool_set_contig_fn(fake_contig);
	/* 1600-byte elements: 5 per 8 KB run, 1.6 KB lost per run. */
	mp = dp_mempool_create("mp_brk", 1000, 1500, 0, 0, NULL, NULL, NULL,
		NULL, DP_SOCKET_ID_ANY, 0);
	assert_non_null(mp);
	total = dp_mempool_calc_obj_size(1500, 0);
	c.span = total;
	assert_int_equal(dp_mempool_obj_iter(mp, check_fake, &c), 1000);
	assert_int_equal(c.crossing, 0);
	assert_int_equal(c.bad_iova, 0);
	/* Chunks are runs: at most 5 objects each. */
	assert_true(mp->nb_mem_chunks >= 1000 / 5);
	pool_done(mp);

	/* NO_IOVA_CONTIG packs across the breaks: one chunk, no IOVA. */
	mp = dp_mempool_create("mp_brk2", 1000, 1500, 0, 0, NULL, NULL, NULL,
		NULL, DP_SOCKET_ID_ANY, DP_MEMPOOL_F_NO_IOVA_CONTIG);
	assert_non_null(mp);
	assert_int_equal(mp->nb_mem_chunks, 1);
	assert_int_equal(STAILQ_FIRST(&mp->mem_list)->iova, DP_BAD_IOVA);
	assert_int_equal(STAILQ_FIRST(&mp->mem_list)->len, 1000 * total);
	c = (struct fake_check){ 0, 0, 0, total };
	dp_mempool_obj_iter(mp, check_fake, &c);
	assert_int_equal(c.bad_iova, 0);	/* IOVA of the first byte */
	assert_true(c.crossing > 0);
	pool_done(mp);

	/* Objects larger than any run cannot be placed: clear error. */
	test_log_capture();
	mp = dp_mempool_create("mp_brk3", 10, 9000, 0, 0, NULL, NULL, NULL,
		NULL, DP_SOCKET_ID_ANY, 0);
	assert_null(mp);
	assert_int_equal(dp_errno, ENOMEM);
	assert_logged("do not fit in the IOVA-contiguous runs");
	test_log_release();
	mempool_set_contig_fn(NULL);
	u1 = test_usage_now();
	assert_usage_equal(u0, u1);
}

/* ---- backends ------------------------------------------------------------------------ */

/* A LIFO stack backend, to show the table path works. */
struct test_stack {
	pthread_mutex_t lock;
	unsigned int len;
	void *objs[];
};

static unsigned int stack_allocs, stack_frees;

static int
stack_alloc(struct dp_mempool *mp)
{
	struct test_stack *s = calloc(1, sizeof(*s) + mp->size * sizeof(void *));

	if (s == NULL)
		return -ENOMEM;
	pthread_mutex_init(&s->lock, NULL);
	mp->pool_data = s;
	stack_allocs++;
	return 0;
}

static void
stack_free(struct dp_mempool *mp)
{
	free(mp->pool_data);
	stack_frees++;
}

static int
stack_enqueue(struct dp_mempool *mp, void *const *objs, unsigned int n)
{
	struct test_stack *s = mp->pool_data;

	pthread_mutex_lock(&s->lock);
	memcpy(&s->objs[s->len], objs, n * sizeof(void *));
	s->len += n;
	pthread_mutex_unlock(&s->lock);
	return 0;
}

static int
stack_dequeue(struct dp_mempool *mp, void **objs, unsigned int n)
{
	struct test_stack *s = mp->pool_data;
	int rc = -ENOENT;

	pthread_mutex_lock(&s->lock);
	if (n <= s->len) {
		s->len -= n;
		memcpy(objs, &s->objs[s->len], n * sizeof(void *));
		rc = 0;
	}
	pthread_mutex_unlock(&s->lock);
	return rc;
}

static unsigned int
stack_count(const struct dp_mempool *mp)
{
	return ((struct test_stack *)mp->pool_data)->len;
}

static const struct dp_mempool_ops test_stack_ops = {
	.name = "test_stack",
	.alloc = stack_alloc,
	.free = stack_free,
	.enqueue = stack_enqueue,
	.dequeue = stack_dequeue,
	.get_count = stack_count,
};

DP_MEMPOOL_REGISTER_OPS(test_stack_ops)

static void
test_backends(void **state)
{
	static const struct {
		unsigned int flags;
		const char *ops;
	} sel[] = {
		{ 0, "ring_mp_mc" },
		{ DP_MEMPOOL_F_SP_PUT | DP_MEMPOOL_F_SC_GET, "ring_sp_sc" },
		{ DP_MEMPOOL_F_SP_PUT, "ring_sp_mc" },
		{ DP_MEMPOOL_F_SC_GET, "ring_mp_sc" },
	};
	struct dp_mempool_ops bad = { .name = "x" };
	struct dp_mempool *mp;
	void *objs[50];

	(void)state;
	for (size_t i = 0; i < DP_DIM(sel); i++) {
		mp = dp_mempool_create("mp_sel", 64, 8, 0, 0, NULL, NULL, NULL,
			NULL, DP_SOCKET_ID_ANY, sel[i].flags);
		assert_non_null(mp);
		assert_string_equal(dp_mempool_ops_name(mp), sel[i].ops);
		assert_true(mp->flags & __DP_MEMPOOL_F_RING_OPS);
		pool_done(mp);
	}
	assert_true(dp_mempool_ops_lookup("test_stack") >= 0);
	assert_int_equal(dp_mempool_ops_lookup("nope"), -ENOENT);

	/* Built in steps with the custom backend. */
	mp = dp_mempool_create_empty("mp_stack", 50, 32, 8, 0,
		DP_SOCKET_ID_ANY, 0);
	assert_non_null(mp);
	test_log_capture();
	assert_int_equal(dp_mempool_set_ops_byname(mp, "nope", NULL), -ENOENT);
	assert_logged("no backend named 'nope'");
	test_log_release();
	assert_int_equal(dp_mempool_set_ops_byname(mp, "test_stack", NULL), 0);
	assert_false(mp->flags & __DP_MEMPOOL_F_RING_OPS);
	assert_int_equal(dp_mempool_populate_default(mp), 50);
	assert_int_equal(stack_allocs, 1);
	test_log_capture();
	assert_int_equal(dp_mempool_populate_default(mp), -EEXIST);
	assert_logged("already populated");
	assert_int_equal(dp_mempool_set_ops_byname(mp, "ring_mp_mc", NULL),
		-EEXIST);
	assert_logged("already has its backend");
	test_log_release();
	assert_string_equal(dp_mempool_ops_name(mp), "test_stack");
	assert_int_equal(dp_mempool_get_bulk(mp, objs, 50), 0);
	assert_distinct_objs(mp, objs, 50);
	assert_int_equal(dp_mempool_get_bulk(mp, objs, 1), -ENOENT);
	dp_mempool_put_bulk(mp, objs, 50);
	flush_local(mp);
	assert_int_equal(stack_count(mp), 50);
	pool_done(mp);
	assert_int_equal(stack_frees, 1);

	/* Registration errors. */
	test_log_capture();
	assert_int_equal(dp_mempool_register_ops(&bad), -EINVAL);
	assert_logged("all required");
	assert_int_equal(dp_mempool_register_ops(&test_stack_ops), -EEXIST);
	assert_logged("already registered");
	test_log_release();
}

/* ---- user caches ---------------------------------------------------------------------- */

static void *
user_cache_thread(void *arg)
{
	struct dp_mempool *mp = arg;
	struct dp_mempool_cache *c = dp_mempool_cache_create(16, DP_SOCKET_ID_ANY);
	void *objs[8];
	intptr_t ok = 1;

	/* Not an EAL thread: no default cache. */
	ok &= dp_lcore_id() == DP_LCORE_ID_ANY;
	ok &= dp_mempool_default_cache(mp, dp_lcore_id()) == NULL;
	ok &= dp_mempool_generic_get(mp, objs, 8, c) == 0;
	ok &= c->len == 16;	/* refilled to size + 8, handed 8 */
	dp_mempool_generic_put(mp, objs, 8, c);
	ok &= c->len == 24;
	/* The default calls go straight to the backend here. */
	ok &= dp_mempool_get_bulk(mp, objs, 8) == 0;
	dp_mempool_put_bulk(mp, objs, 8);
	dp_mempool_cache_flush(c, mp);
	ok &= c->len == 0;
	dp_mempool_cache_free(c);
	return (void *)ok;
}

static void
test_user_cache(void **state)
{
	struct dp_mempool *mp;
	pthread_t th;
	void *ok;

	(void)state;
	mp = dp_mempool_create("mp_uc", 100, 16, 0, 0, NULL, NULL, NULL, NULL,
		DP_SOCKET_ID_ANY, 0);
	assert_non_null(mp);
	assert_int_equal(pthread_create(&th, NULL, user_cache_thread, mp), 0);
	pthread_join(th, &ok);
	assert_true((intptr_t)ok == 1);
	test_log_capture();
	assert_null(dp_mempool_cache_create(0, DP_SOCKET_ID_ANY));
	assert_int_equal(dp_errno, EINVAL);
	assert_null(dp_mempool_cache_create(DP_MEMPOOL_CACHE_MAX_SIZE + 1,
		DP_SOCKET_ID_ANY));
	assert_logged("outside 1..512");
	test_log_release();
	pool_done(mp);
}

/* ---- audit, debug cookies, dump, walk --------------------------------------------- */

static void
test_audit(void **state)
{
	struct dp_mempool *mp;
	struct dp_mempool_cache *c;
	void *objs[4];
	uint32_t saved;

	(void)state;
	mp = dp_mempool_create("mp_audit", 64, 40, 8, 0, NULL, NULL, NULL,
		NULL, DP_SOCKET_ID_ANY, 0);
	assert_non_null(mp);
	assert_int_equal(dp_mempool_audit(mp), 0);
	c = dp_mempool_default_cache(mp, dp_lcore_id());
	saved = c->len;
	c->len = c->capacity + 1;
	test_log_capture();
	assert_int_equal(dp_mempool_audit(mp), -EFAULT);
	assert_logged("is corrupt");
	test_log_release();
	c->len = saved;
	assert_int_equal(dp_mempool_audit(mp), 0);
	assert_int_equal(dp_mempool_audit(NULL), -EINVAL);

#if DP_MEMPOOL_DEBUG
	/* Double free: logged, and the object is not in the pool twice. */
	assert_int_equal(dp_mempool_get_bulk(mp, objs, 4), 0);
	dp_mempool_put(mp, objs[0]);
	test_log_capture();
	dp_mempool_put(mp, objs[0]);
	assert_logged("is already free (double free)");
	test_log_release();
	assert_int_equal(dp_mempool_in_use_count(mp), 3);
	/* A write past the end: put refuses it, audit reports it. */
	memset(objs[1], 0xee, 48);
	test_log_capture();
	dp_mempool_put_bulk(mp, objs + 1, 3);
	assert_logged("was written past its end");
	assert_int_equal(dp_mempool_audit(mp), -EFAULT);
	assert_logged("audit: object");
	test_log_release();
	/* objs[2], objs[3] went back; repair objs[1] and give it back. */
	assert_int_equal(dp_mempool_in_use_count(mp), 1);
	{
		uint64_t t = __DP_MEMPOOL_COOKIE_TRAILER;

		memcpy((char *)objs[1] + mp->elt_size, &t, sizeof(t));
	}
	dp_mempool_put(mp, objs[1]);
	flush_local(mp);
#else
	(void)objs;
	fprintf(stderr, "  (cookie checks not built: -Dmempool_debug=true)\n");
#endif
	pool_done(mp);
}

static void
collect_pool(struct dp_mempool *mp, void *arg)
{
	unsigned int *n = arg;

	if (strncmp(mp->name, "mp_walk", 7) == 0)
		(*n)++;
}

static void
test_dump_walk(void **state)
{
	struct dp_mempool *a, *b;
	char *text = NULL;
	size_t len = 0;
	unsigned int n = 0;
	FILE *f;

	(void)state;
	a = dp_mempool_create("mp_walk1", 10, 8, 0, 16, NULL, NULL, NULL, NULL,
		DP_SOCKET_ID_ANY, 0);
	b = dp_mempool_create("mp_walk2", 20, 8, 0, 0, NULL, NULL, NULL, NULL,
		DP_SOCKET_ID_ANY, 0);
	assert_non_null(a);
	assert_non_null(b);
	dp_mempool_walk(collect_pool, &n);
	assert_int_equal(n, 2);
	f = open_memstream(&text, &len);
	assert_non_null(f);
	dp_mempool_dump(f, b);
	dp_mempool_list_dump(f);
	fclose(f);
	assert_non_null(strstr(text, "mempool <mp_walk2>"));
	assert_non_null(strstr(text, "mempool <mp_walk1>"));
	assert_non_null(strstr(text, "size=20 populated=20"));
	assert_non_null(strstr(text, "ops=ring_mp_mc"));
	assert_non_null(strstr(text, "avail=20 in_use=0"));
	free(text);
	pool_done(a);
	pool_done(b);
}

/* ---- creation failures ------------------------------------------------------------------ */

struct bad_create {
	const char *name;
	unsigned int n, elt, cache, flags;
	int socket;
	int err;
	const char *msg;
};

static void
test_create_failures(void **state)
{
	char longname[64];
	const struct bad_create cases[] = {
		{ NULL, 10, 8, 0, 0, DP_SOCKET_ID_ANY, EINVAL, "a name is required" },
		{ "", 10, 8, 0, 0, DP_SOCKET_ID_ANY, EINVAL, "a name is required" },
		{ longname, 10, 8, 0, 0, DP_SOCKET_ID_ANY, ENAMETOOLONG,
		  "is longer than 23 characters" },
		{ "mp_bad", 0, 8, 0, 0, DP_SOCKET_ID_ANY, EINVAL,
		  "0 objects: a pool holds at least one" },
		{ "mp_bad", 10, 0, 0, 0, DP_SOCKET_ID_ANY, EINVAL, "object size 0" },
		{ "mp_bad", 10, UINT32_MAX - 8, 0, 0, DP_SOCKET_ID_ANY, EINVAL,
		  "is too large" },
		{ "mp_bad", 10000, 8, 513, 0, DP_SOCKET_ID_ANY, EINVAL,
		  "cache size 513 is above the maximum 512" },
		{ "mp_bad", 100, 8, 67, 0, DP_SOCKET_ID_ANY, EINVAL,
		  "cache size 67 is more than n / 1.5 = 66" },
		{ "mp_bad", 10, 8, 0, 0x8000, DP_SOCKET_ID_ANY, EINVAL,
		  "unknown flags 0x8000" },
		{ "mp_bad", 10, 8, 0, 0, DP_MAX_NUMA_NODES, EINVAL,
		  "is not a NUMA node id" },
		/* 4 GB of objects in 256 MB (64 MB with hugepages). */
		{ "mp_bad", 2000000, 2048, 0, 0, DP_SOCKET_ID_ANY, ENOMEM,
		  "not enough EAL memory" },
	};
	struct test_usage u0, u1;
	struct dp_mempool *mp, *dup;

	(void)state;
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	longname[DP_MEMPOOL_NAMESIZE] = '\0';
	u0 = test_usage_now();
	for (size_t i = 0; i < DP_DIM(cases); i++) {
		const struct bad_create *b = &cases[i];

		test_log_capture();
		dp_errno = 0;
		mp = dp_mempool_create(b->name, b->n, b->elt, b->cache, 0, NULL,
			NULL, NULL, NULL, b->socket, b->flags);
		assert_null(mp);
		assert_int_equal(dp_errno, b->err);
		assert_logged(b->msg);
		test_log_release();
		u1 = test_usage_now();
		assert_usage_equal(u0, u1);
	}
	/* Duplicate name: the first pool is untouched. */
	mp = dp_mempool_create("mp_dup", 10, 8, 0, 0, NULL, NULL, NULL, NULL,
		DP_SOCKET_ID_ANY, 0);
	assert_non_null(mp);
	u0 = test_usage_now();
	test_log_capture();
	dup = dp_mempool_create("mp_dup", 10, 8, 0, 0, NULL, NULL, NULL, NULL,
		DP_SOCKET_ID_ANY, 0);
	assert_null(dup);
	assert_int_equal(dp_errno, EEXIST);
	assert_logged("mempool 'mp_dup': a pool of that name already exists");
	test_log_release();
	u1 = test_usage_now();
	assert_usage_equal(u0, u1);
	assert_ptr_equal(dp_mempool_lookup("mp_dup"), mp);
	pool_done(mp);

	/* Memory runs out half-way: earlier zones are given back too. */
	u0 = test_usage_now();
	mempool_set_contig_fn(fake_contig);
	test_log_capture();
	/* 3 objects per 8 KB run: the first zone holds 80% of them. */
	mp = dp_mempool_create("mp_half", 100000, 2100, 0, 0, NULL, NULL, NULL,
		NULL, DP_SOCKET_ID_ANY, 0);
	test_log_release();
	mempool_set_contig_fn(NULL);
	assert_null(mp);
	assert_int_equal(dp_errno, ENOMEM);
	u1 = test_usage_now();
	assert_usage_equal(u0, u1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_basic),
		cmocka_unit_test(test_no_cache_align),
		cmocka_unit_test(test_exhaust),
		cmocka_unit_test(test_bulk_all_or_nothing),
		cmocka_unit_test(test_lcore_caches),
		cmocka_unit_test(test_stress),
		cmocka_unit_test(test_iova),
		cmocka_unit_test(test_iova_breaks),
		cmocka_unit_test(test_backends),
		cmocka_unit_test(test_user_cache),
		cmocka_unit_test(test_audit),
		cmocka_unit_test(test_dump_walk),
		cmocka_unit_test(test_create_failures),
	};

	if (test_eal_setup(TEST_HUGE, RUNNER) < 0)
		return 1;
	return cmocka_run_group_tests_name(RUNNER, tests, NULL,
		test_eal_teardown);
}
