/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Group "ring": pointer rings of 4096 slots.
 *
 * Single core (TSC cycles per element, enqueue + dequeue): a loop of
 * bulk enqueue of n pointers then bulk dequeue of n pointers, n = 1, 8,
 * 32, with the single-producer/consumer calls on an SP/SC ring and the
 * multi-producer/consumer calls on an MP/MC ring. The bulk size is a
 * compile-time constant, as in an application with a fixed burst size;
 * the *_bulkvar32 figures pass 32 as a run-time value instead (read from a
 * volatile), as a driver whose burst size comes from its caller does.
 *
 * Two cores (Mops/s): the worker lcore enqueues bulks of 32 as fast as it
 * can, the main lcore dequeues bulks of 32 for rep2c_ms; the rate is
 * counted by the consumer. Each repetition is preceded by the cache-line
 * round-trip probe, because the rate depends on where the host placed the
 * two vCPUs (see shared/reference/peer-dpdk-22.11-numbers.md).
 */

#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "side.h"
#include "groups.h"

#define RING_SLOTS 4096
#define MAX_BULK 32

struct ring_1c {
	SIDE_RING *r;
	void *src[MAX_BULK];
	void *dst[MAX_BULK];
	uint64_t fails;
};

/*
 * One kernel per (mode, bulk size). N is read once before the loop: a
 * constant (as both libraries' APIs are meant to be used with a fixed
 * burst size) or, for the bulkvar figures, a volatile the compiler cannot
 * see through. A failed call is counted rather than branched on; there
 * must be none.
 */
#define RING_1C_KERNEL(fn, ENQ, DEQ, N) \
static void \
fn(void *arg, uint64_t iters) \
{ \
	struct ring_1c *c = arg; \
	SIDE_RING *r = c->r; \
	void **src = c->src, **dst = c->dst; \
	const unsigned int n = (N); \
	uint64_t i, fails = 0; \
 \
	for (i = 0; i < iters; i++) { \
		fails += ENQ(r, src, n) != n; \
		fails += DEQ(r, dst, n) != n; \
	} \
	c->fails += fails; \
}

/* The bulk size as a value the compiler cannot see through. */
static volatile unsigned int ring_var_bulk = 32;

RING_1C_KERNEL(k_sp_sc_1, side_ring_sp_enqueue_bulk, side_ring_sc_dequeue_bulk, 1)
RING_1C_KERNEL(k_sp_sc_8, side_ring_sp_enqueue_bulk, side_ring_sc_dequeue_bulk, 8)
RING_1C_KERNEL(k_sp_sc_32, side_ring_sp_enqueue_bulk, side_ring_sc_dequeue_bulk, 32)
RING_1C_KERNEL(k_mp_mc_1, side_ring_mp_enqueue_bulk, side_ring_mc_dequeue_bulk, 1)
RING_1C_KERNEL(k_mp_mc_8, side_ring_mp_enqueue_bulk, side_ring_mc_dequeue_bulk, 8)
RING_1C_KERNEL(k_mp_mc_32, side_ring_mp_enqueue_bulk, side_ring_mc_dequeue_bulk, 32)
RING_1C_KERNEL(k_sp_sc_var, side_ring_sp_enqueue_bulk, side_ring_sc_dequeue_bulk, ring_var_bulk)
RING_1C_KERNEL(k_mp_mc_var, side_ring_mp_enqueue_bulk, side_ring_mc_dequeue_bulk, ring_var_bulk)

static const struct {
	const char *name;
	bench_kernel_t kernel;
	unsigned int bulk;
	bool single;
} ring_1c_figures[] = {
	{ "ring_sp_sc_bulk1", k_sp_sc_1, 1, true },
	{ "ring_sp_sc_bulk8", k_sp_sc_8, 8, true },
	{ "ring_sp_sc_bulk32", k_sp_sc_32, 32, true },
	{ "ring_mp_mc_bulk1", k_mp_mc_1, 1, false },
	{ "ring_mp_mc_bulk8", k_mp_mc_8, 8, false },
	{ "ring_mp_mc_bulk32", k_mp_mc_32, 32, false },
	{ "ring_sp_sc_bulkvar32", k_sp_sc_var, 32, true },
	{ "ring_mp_mc_bulkvar32", k_mp_mc_var, 32, false },
};

/* ---- two cores ------------------------------------------------------------ */

struct ring_2c {
	SIDE_RING *r;
	bool single;
	/* Written by main once per repetition, polled by the producer. */
	volatile int stop __attribute__((aligned(128)));
	void *src[MAX_BULK] __attribute__((aligned(128)));
	void *dst[MAX_BULK] __attribute__((aligned(128)));
};

#define RING_2C_PRODUCER(fn, ENQ) \
static int \
fn(void *arg) \
{ \
	struct ring_2c *c = arg; \
	SIDE_RING *r = c->r; \
	void **src = c->src; \
 \
	while (!__atomic_load_n(&c->stop, __ATOMIC_RELAXED)) \
		if (ENQ(r, src, MAX_BULK) == 0) \
			bench_pause(); \
	return 0; \
}

#define RING_2C_CONSUMER(fn, DEQ) \
static uint64_t \
fn(void *arg, uint64_t deadline, uint64_t *t0, uint64_t *t1) \
{ \
	struct ring_2c *c = arg; \
	SIDE_RING *r = c->r; \
	void **dst = c->dst; \
	uint64_t moved = 0; \
	unsigned int k = 0; \
 \
	/* The clock starts at the first bulk that arrives. */ \
	while (DEQ(r, dst, MAX_BULK) == 0) \
		bench_pause(); \
	*t0 = bench_tsc(); \
	for (;;) { \
		if (DEQ(r, dst, MAX_BULK) != 0) \
			moved += MAX_BULK; \
		else \
			bench_pause(); \
		if ((++k & 63) == 0 && bench_tsc() >= deadline) \
			break; \
	} \
	*t1 = bench_tsc(); \
	__atomic_store_n(&c->stop, 1, __ATOMIC_RELAXED); \
	return moved; \
}

RING_2C_PRODUCER(p_sp, side_ring_sp_enqueue_bulk)
RING_2C_PRODUCER(p_mp, side_ring_mp_enqueue_bulk)
RING_2C_CONSUMER(c_sc, side_ring_sc_dequeue_bulk)
RING_2C_CONSUMER(c_mc, side_ring_mc_dequeue_bulk)

/* Between repetitions, both lcores idle: empty ring, producer may run. */
static void
ring_2c_reset(void *arg)
{
	struct ring_2c *c = arg;

	side_ring_reset(c->r);
	c->stop = 0;
}

static int
ring_two_core(const char *name, bool single)
{
	static struct ring_2c c;
	struct bench_2c b = {
		.worker = single ? p_sp : p_mp,
		.main_fn = single ? c_sc : c_mc,
		.reset = ring_2c_reset,
		.arg = &c,
	};
	unsigned int i;

	memset(&c, 0, sizeof(c));
	c.single = single;
	c.r = side_ring_create(single ? "bench_2c_s" : "bench_2c_m",
		RING_SLOTS, single, single);
	if (c.r == NULL)
		return -1;
	for (i = 0; i < MAX_BULK; i++)
		c.src[i] = (void *)(uintptr_t)(0x1000 + i);
	bench_two_core_rate(name, &b);
	side_ring_free(c.r);
	return 0;
}

int
bench_group_ring(void)
{
	static struct ring_1c ctx_s, ctx_m;
	unsigned int i;
	int rc = 0;

	ctx_s.r = side_ring_create("bench_1c_s", RING_SLOTS, true, true);
	ctx_m.r = side_ring_create("bench_1c_m", RING_SLOTS, false, false);
	if (ctx_s.r == NULL || ctx_m.r == NULL) {
		bench_comment("ring: cannot create the rings");
		if (ctx_s.r != NULL)
			side_ring_free(ctx_s.r);
		if (ctx_m.r != NULL)
			side_ring_free(ctx_m.r);
		return -1;
	}
	for (i = 0; i < MAX_BULK; i++) {
		ctx_s.src[i] = (void *)(uintptr_t)(0x1000 + i);
		ctx_m.src[i] = (void *)(uintptr_t)(0x1000 + i);
	}
	for (i = 0; i < sizeof(ring_1c_figures) / sizeof(ring_1c_figures[0]);
	     i++) {
		struct ring_1c *c = ring_1c_figures[i].single ? &ctx_s : &ctx_m;

		bench_cycles_per_elem(ring_1c_figures[i].name, "cyc/elem",
			ring_1c_figures[i].kernel, c, ring_1c_figures[i].bulk);
	}
	if (ctx_s.fails || ctx_m.fails) {
		bench_comment("ring: %llu calls failed: figures are wrong",
			(unsigned long long)(ctx_s.fails + ctx_m.fails));
		rc = -1;
	}
	side_ring_free(ctx_s.r);
	side_ring_free(ctx_m.r);

	if (ring_two_core("ring2c_sp_sc_bulk32", true) < 0 ||
	    ring_two_core("ring2c_mp_mc_bulk32", false) < 0)
		rc = -1;
	return rc;
}
