/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef BENCH_H
#define BENCH_H

/*
 * The measurement core shared by dpkit's benchmark program and the DPDK
 * peer program. It knows nothing about either library: a "side"
 * (bench/side/LIB/side.h) gives it the library's init, its lcore launch
 * and its TSC frequency; the groups (bench/groups/GROUP.c) give it
 * kernels. Both programs are built from the same core and group sources,
 * so both do exactly the same work around the library calls.
 *
 * Output: one figure per line, "name value unit", on stdout; lines that
 * start with '#' are comments. Cycle figures are TSC cycles (the same
 * clock on both sides); rates are converted with the TSC frequency this
 * core measures against CLOCK_MONOTONIC_RAW, never with a library's
 * rounded estimate.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- what a side provides (bench/side/LIB/side.c) ------------------------ */

/* Library name as printed ("dpkit", "dpdk"). */
extern const char side_name[];

/*
 * Initialize the library from the EAL-style arguments in front of "--".
 * Returns how many arguments were consumed, or < 0 on failure.
 */
int side_init(int argc, char **argv);
void side_fini(void);
/* The library's own TSC frequency (printed next to the measured one). */
uint64_t side_tsc_hz(void);
/* Run fn(arg) on the worker lcore (the second of -l 0,1). */
int side_launch_worker(int (*fn)(void *), void *arg);
/* Wait for the worker; returns fn's result. */
int side_wait_worker(void);
/* Is there a worker lcore? */
bool side_has_worker(void);

/* ---- options ------------------------------------------------------------- */

struct bench_opts {
	unsigned int reps;	/* timed repetitions per figure */
	unsigned int rep_ms;	/* length of one single-core repetition */
	unsigned int rep2c_ms;	/* length of one two-core repetition */
	unsigned int reps2c;	/* repetitions of a two-core figure */
	const char *groups;	/* comma-separated, NULL = all */
	const char *only;	/* comma-separated figure names, NULL = all */
};

extern struct bench_opts bench_opts;

/* ---- time ------------------------------------------------------------------ */

/* Read the TSC, ordered after earlier instructions. */
static inline uint64_t
bench_tsc(void)
{
#if defined(__x86_64__) || defined(__i386__)
	uint32_t lo, hi;

	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) :: "memory");
	return ((uint64_t)hi << 32) | lo;
#elif defined(__aarch64__)
	uint64_t v;

	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v) :: "memory");
	return v;
#else
#error "bench_tsc: unsupported architecture"
#endif
}

/* Spin-wait hint, same instruction on both sides. */
static inline void
bench_pause(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__asm__ volatile("pause" ::: "memory");
#elif defined(__aarch64__)
	__asm__ volatile("yield" ::: "memory");
#endif
}

/* TSC Hz measured against CLOCK_MONOTONIC_RAW at start-up. */
double bench_tsc_hz(void);

/* ---- figures ----------------------------------------------------------------- */

/* Does --only select this figure? */
bool bench_figure_selected(const char *name);

/* Print one figure line. */
void bench_print(const char *name, double value, const char *unit);

/* A kernel runs @iters iterations of the measured operation. */
typedef void (*bench_kernel_t)(void *arg, uint64_t iters);

/*
 * Single-core figure in TSC cycles per element: calibrate the iteration
 * count so one repetition lasts rep_ms, ten untimed warm-up repetitions,
 * then opts.reps timed ones; prints the median (quartiles and extremes in
 * a comment).
 */
void bench_cycles_per_elem(const char *name, const char *unit,
	bench_kernel_t kernel, void *arg, double elems_per_iter);

/* The same measurement printed as a rate: millions of elements per second
 * (TSC Hz measured against CLOCK_MONOTONIC_RAW / cycles per element). */
void bench_mpps(const char *name, bench_kernel_t kernel, void *arg,
	double elems_per_iter);

/*
 * Two-core figure. For each repetition: probe the cache-line round trip
 * between the two lcores, then run worker(arg) on the worker lcore and
 * main_fn(arg, deadline_tsc) here; main_fn returns the elements it moved
 * and sets *t0 and *t1 to the TSC of its first and last one. Prints
 * name_c2c_rtt (ns) and name (Mops/s) as medians, with one "# raw" comment
 * per repetition so the two placements can be told apart.
 */
struct bench_2c {
	int (*worker)(void *arg);
	uint64_t (*main_fn)(void *arg, uint64_t deadline, uint64_t *t0,
		uint64_t *t1);
	void (*reset)(void *arg);	/* between repetitions, both idle */
	void *arg;
};

void bench_two_core_rate(const char *name, const struct bench_2c *b);

/* Cache-line round trip main <-> worker, in ns (median of 5 probes). */
double bench_c2c_rtt_ns(void);

/* ---- groups ------------------------------------------------------------------ */

struct bench_group {
	const char *name;
	const char *what;
	int (*run)(void);	/* 0, or < 0 if the group failed */
};

/* Every group, NULL-terminated (bench/main.c). */
extern const struct bench_group bench_groups[];

/* Run the program: parse options after the side's, run the groups. */
int bench_main(int argc, char **argv);

/* Print a "# " comment line. */
void bench_comment(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Median of @n doubles (sorts @v). */
double bench_median(double *v, unsigned int n);

#endif /* BENCH_H */
