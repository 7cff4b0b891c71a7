/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Group "mempool": pools of 8191 objects of 64 bytes, default (multi-
 * producer/consumer ring) backend, per-lcore cache of 0, 256 or 512.
 *
 * Single core, TSC cycles per object (get + put): a loop of bulk get of n
 * objects then bulk put of the same n, n = 1 and 32, a compile-time
 * constant as in an application with a fixed burst. With a cache both
 * calls are served by the calling lcore's cache (it never flushes: n is
 * far below the cache size); without one, every call goes to the ring.
 * The *_bulkvar* figures pass the count as a run-time value (read from a
 * volatile), as a driver whose burst size comes from its caller does.
 */

#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "side.h"
#include "groups.h"

#define MP_OBJS 8191
#define MP_ELT 64
#define MP_MAX_BULK 32

struct mp_ctx {
	SIDE_MEMPOOL *mp;
	uint64_t fails;
};

/* Counts the compiler cannot see through (the *_bulkvar* figures). */
static volatile unsigned int mp_var_bulk1 = 1, mp_var_bulk32 = 32;

/*
 * One kernel per count: a literal count stays a compile-time constant
 * inside (n is never written), a volatile one is read once, at run time.
 * A failed get is counted (and skips the put); there must be none. The
 * object table is the kernel's own, as in an application.
 */
#define MP_KERNEL(fn, COUNT) \
static void \
fn(void *arg, uint64_t iters) \
{ \
	struct mp_ctx *c = arg; \
	SIDE_MEMPOOL *mp = c->mp; \
	void *objs[MP_MAX_BULK] __attribute__((aligned(64))); \
	const unsigned int n = (COUNT); \
	uint64_t i, fails = 0; \
 \
	for (i = 0; i < iters; i++) { \
		if (__builtin_expect(side_mempool_get_bulk(mp, objs, n) != 0, \
		    0)) { \
			fails++; \
			continue; \
		} \
		side_mempool_put_bulk(mp, objs, n); \
	} \
	c->fails += fails; \
}

MP_KERNEL(k_bulk1, 1)
MP_KERNEL(k_bulk32, 32)
MP_KERNEL(k_bulkvar1, mp_var_bulk1)
MP_KERNEL(k_bulkvar32, mp_var_bulk32)

static const struct {
	const char *name;
	unsigned int cache;
	bench_kernel_t kernel;
	unsigned int bulk;
} mp_figures[] = {
	{ "mempool_nocache_bulk1", 0, k_bulk1, 1 },
	{ "mempool_nocache_bulk32", 0, k_bulk32, 32 },
	{ "mempool_cache256_bulk1", 256, k_bulk1, 1 },
	{ "mempool_cache256_bulk32", 256, k_bulk32, 32 },
	{ "mempool_cache512_bulk1", 512, k_bulk1, 1 },
	{ "mempool_cache512_bulk32", 512, k_bulk32, 32 },
	{ "mempool_cache256_bulkvar1", 256, k_bulkvar1, 1 },
	{ "mempool_cache256_bulkvar32", 256, k_bulkvar32, 32 },
};

int
bench_group_mempool(void)
{
	static struct mp_ctx ctx[3];	/* cache 0, 256, 512 */
	static const unsigned int caches[3] = { 0, 256, 512 };
	char name[32];
	unsigned int i, k;
	int rc = 0;

	for (k = 0; k < 3; k++) {
		snprintf(name, sizeof(name), "bench_mp_%u", caches[k]);
		ctx[k].mp = side_mempool_create(name, MP_OBJS, MP_ELT,
			caches[k]);
		if (ctx[k].mp == NULL) {
			bench_comment("mempool: cannot create the pools");
			rc = -1;
			goto out;
		}
	}
	bench_comment("mempool: %u objects of %u bytes, object stride %u",
		MP_OBJS, MP_ELT, side_mempool_obj_stride(ctx[0].mp));
	for (i = 0; i < sizeof(mp_figures) / sizeof(mp_figures[0]); i++) {
		for (k = 0; caches[k] != mp_figures[i].cache; k++)
			;
		bench_cycles_per_elem(mp_figures[i].name, "cyc/obj",
			mp_figures[i].kernel, &ctx[k], mp_figures[i].bulk);
	}
	for (k = 0; k < 3; k++)
		if (ctx[k].fails) {
			bench_comment("mempool: %llu gets failed: figures are "
				"wrong", (unsigned long long)ctx[k].fails);
			rc = -1;
		}
out:
	for (k = 0; k < 3; k++)
		if (ctx[k].mp != NULL)
			side_mempool_free(ctx[k].mp);
	return rc;
}
