/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Benchmark measurement core: options, TSC calibration, core clock
 * estimate, repetition and median, the two-core harness with its
 * cache-line round-trip probe, and output. Compiled into both the dpkit
 * program and the DPDK peer, unchanged.
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <getopt.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"

/*
 * Many short single-core repetitions: on a shared machine another
 * process takes the CPU for milliseconds at a time, so a 2 ms repetition
 * is either clean or visibly hit, and the median of 51 of them is the
 * clean value as long as fewer than half are hit.
 */
struct bench_opts bench_opts = {
	.reps = 51,
	.rep_ms = 2,
	.rep2c_ms = 300,
	.reps2c = 3,
	.groups = NULL,
	.only = NULL,
};

/* Is @name one of the comma-separated words of @list? */
static bool
in_list(const char *list, const char *name)
{
	size_t len = strlen(name);
	const char *p = list;

	while (p != NULL && *p) {
		if (strncmp(p, name, len) == 0 && (p[len] == ',' || !p[len]))
			return true;
		p = strchr(p, ',');
		if (p != NULL)
			p++;
	}
	return false;
}

/* --only: run only the figures named in the list. */
bool
bench_figure_selected(const char *name)
{
	return bench_opts.only == NULL || in_list(bench_opts.only, name);
}

static double tsc_hz_measured;

void
bench_comment(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	fflush(stdout);
}

void
bench_print(const char *name, double value, const char *unit)
{
	printf("%s %.*f %s\n", name, value >= 1000 ? 0 : value >= 100 ? 1 :
		value >= 10 ? 2 : 3, value, unit);
	fflush(stdout);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double
bench_median(double *v, unsigned int n)
{
	if (n == 0)
		return 0;
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static uint64_t
mono_raw_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* TSC ticks per second over 3 windows of 50 ms; the median. */
static double
measure_tsc_hz(void)
{
	double w[3];
	unsigned int i;

	for (i = 0; i < 3; i++) {
		uint64_t n0 = mono_raw_ns(), c0 = bench_tsc(), n1, c1;

		do
			n1 = mono_raw_ns();
		while (n1 - n0 < 50000000ull);
		c1 = bench_tsc();
		w[i] = (double)(c1 - c0) * 1e9 / (double)(n1 - n0);
	}
	return bench_median(w, 3);
}

double
bench_tsc_hz(void)
{
	return tsc_hz_measured;
}

/*
 * Core clock from a chain of dependent adds (one per cycle on every x86
 * core of the last decade): shows when the vCPU ran slowed down, which
 * makes every figure of that process suspect.
 */
static double
core_ghz_est(void)
{
	const uint64_t n = 50000000;
	double best = 0;
	int k;

	for (k = 0; k < 3; k++) {
		uint64_t x = 0, i, t0, t1;

		t0 = mono_raw_ns();
		for (i = 0; i < n; i += 8) {
#if defined(__x86_64__)
			__asm__ volatile("add $1, %0; add $1, %0; add $1, %0; "
				"add $1, %0; add $1, %0; add $1, %0; "
				"add $1, %0; add $1, %0" : "+r"(x));
#else
			__asm__ volatile("" : "+r"(x));
			x += 8;
#endif
		}
		t1 = mono_raw_ns();
		if ((double)n / (double)(t1 - t0) > best)
			best = (double)n / (double)(t1 - t0);
	}
	return best;
}

/* ---- what else ran ---------------------------------------------------------- */

#define BENCH_MAX_CPUS 64

/* Per-CPU busy and total ticks from /proc/stat (10 ms resolution). */
struct cpu_ticks {
	unsigned long long busy[BENCH_MAX_CPUS];
	unsigned long long total[BENCH_MAX_CPUS];
	unsigned long long steal[BENCH_MAX_CPUS];
};

static void
read_cpu_ticks(struct cpu_ticks *t)
{
	char line[512];
	FILE *f = fopen("/proc/stat", "r");

	memset(t, 0, sizeof(*t));
	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		unsigned long long v[10] = { 0 }, sum = 0;
		int cpu, k;

		if (sscanf(line, "cpu%d %llu %llu %llu %llu %llu %llu %llu %llu",
				&cpu, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
				&v[6], &v[7]) < 5 || cpu < 0 ||
		    cpu >= BENCH_MAX_CPUS)
			continue;
		for (k = 0; k < 8; k++)
			sum += v[k];
		t->total[cpu] = sum;
		t->busy[cpu] = sum - v[3] - v[4];	/* minus idle, iowait */
		t->steal[cpu] = v[7];
	}
	fclose(f);
}

/*
 * How busy the other CPUs were between two snapshots (the largest, in %),
 * and the steal time of ours. On a two-vCPU VM whose vCPUs may be SMT
 * siblings, work on the other vCPU slows this one down, so a figure
 * measured while it was busy is flagged.
 */
static void
cpu_load_between(const struct cpu_ticks *a, const struct cpu_ticks *b,
	int self, double *other_busy, double *self_steal)
{
	int c;

	*other_busy = 0;
	*self_steal = 0;
	for (c = 0; c < BENCH_MAX_CPUS; c++) {
		unsigned long long dt = b->total[c] - a->total[c];

		if (dt == 0)
			continue;
		if (c == self)
			*self_steal = 100.0 * (double)(b->steal[c] - a->steal[c]) /
				(double)dt;
		else if (100.0 * (double)(b->busy[c] - a->busy[c]) / (double)dt >
				*other_busy)
			*other_busy = 100.0 * (double)(b->busy[c] - a->busy[c]) /
				(double)dt;
	}
}

/* ---- single core ---------------------------------------------------------- */

static double
run_once(bench_kernel_t kernel, void *arg, uint64_t iters)
{
	uint64_t t0, t1;

	t0 = bench_tsc();
	kernel(arg, iters);
	t1 = bench_tsc();
	return (double)(t1 - t0);
}

#define BENCH_MAX_REPS 1001

/*
 * Measure @kernel in TSC cycles per element: calibrate the iteration
 * count so one repetition lasts rep_ms, ten untimed warm-up repetitions,
 * then opts.reps timed ones, sorted into @v. Returns the repetitions.
 */
static unsigned int
measure_cycles_per_elem(bench_kernel_t kernel, void *arg,
	double elems_per_iter, double *v, uint64_t *iters_out,
	double *other_busy, double *steal)
{
	double target = tsc_hz_measured * bench_opts.rep_ms / 1000.0;
	uint64_t iters = 1000;
	unsigned int i, reps = bench_opts.reps;
	struct cpu_ticks t0, t1;

	if (reps > BENCH_MAX_REPS)
		reps = BENCH_MAX_REPS;
	/* Calibrate: grow until one run takes >= 1/10 of a repetition. */
	for (;;) {
		double c = run_once(kernel, arg, iters);

		if (c >= target / 10 || iters >= (1ull << 40)) {
			iters = (uint64_t)((double)iters * target / (c > 0 ? c : 1));
			break;
		}
		iters *= 4;
	}
	if (iters == 0)
		iters = 1;
	/* Warm-up: caches, TLB, branch predictors, the core's clock. */
	for (i = 0; i < 10; i++)
		run_once(kernel, arg, iters);
	read_cpu_ticks(&t0);
	for (i = 0; i < reps; i++)
		v[i] = run_once(kernel, arg, iters) /
			((double)iters * elems_per_iter);
	read_cpu_ticks(&t1);
	cpu_load_between(&t0, &t1, sched_getcpu(), other_busy, steal);
	bench_median(v, reps);	/* sorts v */
	*iters_out = iters;
	return reps;
}

/* The spread of a figure's repetitions, as a comment line. */
static void
comment_spread(const char *name, const char *what, const double *v,
	unsigned int reps, uint64_t iters, double other_busy, double steal)
{
	bench_comment("%s: %sn=%u min=%.3f p25=%.3f p75=%.3f max=%.3f "
		"iters=%llu other_busy=%.0f%% steal=%.0f%%", name, what, reps,
		v[0], v[reps / 4], v[reps * 3 / 4], v[reps - 1],
		(unsigned long long)iters, other_busy, steal);
}

void
bench_cycles_per_elem(const char *name, const char *unit,
	bench_kernel_t kernel, void *arg, double elems_per_iter)
{
	static double v[BENCH_MAX_REPS];
	double other_busy, steal;
	unsigned int reps;
	uint64_t iters;

	if (!bench_figure_selected(name))
		return;
	reps = measure_cycles_per_elem(kernel, arg, elems_per_iter, v, &iters,
		&other_busy, &steal);
	bench_print(name, bench_median(v, reps), unit);
	comment_spread(name, "", v, reps, iters, other_busy, steal);
}

void
bench_mpps(const char *name, bench_kernel_t kernel, void *arg,
	double elems_per_iter)
{
	static double v[BENCH_MAX_REPS];
	double other_busy, steal, med;
	unsigned int reps;
	uint64_t iters;

	if (!bench_figure_selected(name))
		return;
	reps = measure_cycles_per_elem(kernel, arg, elems_per_iter, v, &iters,
		&other_busy, &steal);
	med = bench_median(v, reps);
	bench_print(name, tsc_hz_measured / med / 1e6, "Mpps");
	comment_spread(name, "cyc/pkt ", v, reps, iters, other_busy, steal);
}

/* ---- two cores ------------------------------------------------------------ */

/* The probe's cache line, written by both lcores in turn. */
static struct {
	uint64_t seq __attribute__((aligned(128)));
	char pad[128 - sizeof(uint64_t)];
} c2c_line;

#define C2C_ROUNDS 2000

static int
c2c_worker(void *arg)
{
	uint64_t i;

	(void)arg;
	for (i = 1; i <= C2C_ROUNDS; i++) {
		while (__atomic_load_n(&c2c_line.seq, __ATOMIC_ACQUIRE) !=
				2 * i - 1)
			bench_pause();
		__atomic_store_n(&c2c_line.seq, 2 * i, __ATOMIC_RELEASE);
	}
	return 0;
}

static double
c2c_probe_once(void)
{
	uint64_t i, t0, t1;

	__atomic_store_n(&c2c_line.seq, 0, __ATOMIC_RELEASE);
	if (side_launch_worker(c2c_worker, NULL) < 0)
		return -1;
	t0 = bench_tsc();
	for (i = 1; i <= C2C_ROUNDS; i++) {
		__atomic_store_n(&c2c_line.seq, 2 * i - 1, __ATOMIC_RELEASE);
		while (__atomic_load_n(&c2c_line.seq, __ATOMIC_ACQUIRE) != 2 * i)
			bench_pause();
	}
	t1 = bench_tsc();
	side_wait_worker();
	return (double)(t1 - t0) / C2C_ROUNDS * 1e9 / tsc_hz_measured;
}

double
bench_c2c_rtt_ns(void)
{
	double v[5];
	unsigned int i;

	for (i = 0; i < 5; i++)
		v[i] = c2c_probe_once();
	return bench_median(v, 5);
}

void
bench_two_core_rate(const char *name, const struct bench_2c *b)
{
	double rate[16], rtt[16], r_sorted[16], t_sorted[16];
	char c2c_name[128];
	unsigned int i, reps = bench_opts.reps2c;

	if (!bench_figure_selected(name))
		return;
	if (!side_has_worker()) {
		bench_comment("%s: skipped, needs two lcores (-l 0,1)", name);
		return;
	}
	if (reps > 16)
		reps = 16;
	for (i = 0; i < reps; i++) {
		uint64_t deadline, t0 = 0, t1 = 0, moved;

		rtt[i] = bench_c2c_rtt_ns();
		b->reset(b->arg);
		if (side_launch_worker(b->worker, b->arg) < 0) {
			bench_comment("%s: cannot launch the worker", name);
			return;
		}
		deadline = bench_tsc() +
			(uint64_t)(tsc_hz_measured * bench_opts.rep2c_ms / 1000);
		moved = b->main_fn(b->arg, deadline, &t0, &t1);
		side_wait_worker();
		rate[i] = t1 > t0 ? (double)moved * tsc_hz_measured /
			(double)(t1 - t0) / 1e6 : 0;
		bench_comment("raw %s %u %.2f Mops/s c2c=%.0f", name, i, rate[i],
			rtt[i]);
	}
	memcpy(r_sorted, rate, sizeof(rate[0]) * reps);
	memcpy(t_sorted, rtt, sizeof(rtt[0]) * reps);
	snprintf(c2c_name, sizeof(c2c_name), "%s_c2c_rtt", name);
	bench_print(c2c_name, bench_median(t_sorted, reps), "ns");
	bench_print(name, bench_median(r_sorted, reps), "Mops/s");
}

/* ---- main ------------------------------------------------------------------ */

static void
usage(const char *prg)
{
	fprintf(stderr,
		"usage: %s [EAL options] -- [--reps N] [--rep-ms M] "
		"[--reps2c N] [--rep2c-ms M] [--only FIG,...] [--list] [group...]\n", prg);
}

static bool
group_selected(const char *name)
{
	return bench_opts.groups == NULL || in_list(bench_opts.groups, name);
}

int
bench_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "reps", required_argument, NULL, 'r' },
		{ "rep-ms", required_argument, NULL, 'm' },
		{ "reps2c", required_argument, NULL, 'R' },
		{ "rep2c-ms", required_argument, NULL, 'M' },
		{ "only", required_argument, NULL, 'o' },
		{ "list", no_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static char groups[256];
	const struct bench_group *g;
	int n, c, rc = 0;
	size_t glen = 0;

	n = side_init(argc, argv);
	if (n < 0) {
		fprintf(stderr, "%s: library initialization failed\n", side_name);
		return 1;
	}
	argc -= n;
	argv += n;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			bench_opts.reps = (unsigned int)atoi(optarg);
			break;
		case 'm':
			bench_opts.rep_ms = (unsigned int)atoi(optarg);
			break;
		case 'R':
			bench_opts.reps2c = (unsigned int)atoi(optarg);
			break;
		case 'M':
			bench_opts.rep2c_ms = (unsigned int)atoi(optarg);
			break;
		case 'o':
			bench_opts.only = optarg;
			break;
		case 'l':
			for (g = bench_groups; g->name != NULL; g++)
				printf("%s\t%s\n", g->name, g->what);
			side_fini();
			return 0;
		default:
			usage(argv[0]);
			side_fini();
			return c == 'h' ? 0 : 1;
		}
	}
	if (bench_opts.reps == 0 || bench_opts.rep_ms == 0 ||
	    bench_opts.reps2c == 0 || bench_opts.rep2c_ms == 0) {
		fprintf(stderr, "%s: --reps, --rep-ms, --reps2c and --rep2c-ms "
			"must be > 0\n", side_name);
		side_fini();
		return 1;
	}
	for (; optind < argc; optind++) {
		for (g = bench_groups; g->name != NULL; g++)
			if (strcmp(g->name, argv[optind]) == 0)
				break;
		if (g->name == NULL || glen + strlen(argv[optind]) + 2 >
				sizeof(groups)) {
			fprintf(stderr, "%s: unknown group '%s' (--list shows "
				"them)\n", side_name, argv[optind]);
			side_fini();
			return 1;
		}
		glen += (size_t)snprintf(groups + glen, sizeof(groups) - glen,
			"%s%s", glen ? "," : "", argv[optind]);
	}
	if (glen)
		bench_opts.groups = groups;

	tsc_hz_measured = measure_tsc_hz();
	bench_comment("%s bench: reps=%u rep_ms=%u reps2c=%u rep2c_ms=%u, main "
		"lcore on CPU %d", side_name, bench_opts.reps, bench_opts.rep_ms,
		bench_opts.reps2c, bench_opts.rep2c_ms, sched_getcpu());
	bench_print("tsc_hz", (double)side_tsc_hz(), "Hz");
	bench_print("tsc_hz_measured", tsc_hz_measured, "Hz");
	bench_print("cpu_core_ghz_est", core_ghz_est(), "GHz");
	for (g = bench_groups; g->name != NULL; g++) {
		if (!group_selected(g->name))
			continue;
		bench_comment("group %s: %s", g->name, g->what);
		if (g->run() < 0) {
			bench_comment("group %s failed", g->name);
			rc = 1;
		}
	}
	bench_print("cpu_core_ghz_est_end", core_ghz_est(), "GHz");
	side_fini();
	return rc;
}
