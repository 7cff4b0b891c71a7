/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TEST_MEMPOOL_COMMON_H
#define TEST_MEMPOOL_COMMON_H

/*
 * EAL set-up shared by the mempool and mbuf runners: two lcores when the
 * machine has two CPUs, --no-huge by default, or real 2 MB hugepages
 * (in memory, IOVA as PA when root can read the page map) for the _huge
 * variants, which exit 77 when hugepages cannot be had. Also the leak
 * counters (heap allocations and memzones) the failure tests compare.
 */

#include <sched.h>
#include <unistd.h>

#include "test_helpers.h"

#include <dp_eal.h>
#include <dp_lcore.h>
#include <dp_malloc.h>
#include <dp_memory.h>
#include <dp_memzone.h>

#define TEST_SYS_2M "/sys/kernel/mm/hugepages/hugepages-2048kB"
/* 2 MB pages the huge variants need free (64 MB of EAL memory). */
#define TEST_HUGE_PAGES 40

static unsigned int test_worker = DP_MAX_LCORE;	/* DP_MAX_LCORE: none */
static bool test_pa_mode;

static unsigned long
read_ulong(const char *path)
{
	unsigned long v = 0;
	FILE *f = fopen(path, "r");

	if (f == NULL)
		return 0;
	if (fscanf(f, "%lu", &v) != 1)
		v = 0;
	fclose(f);
	return v;
}

/* Make TEST_HUGE_PAGES free 2 MB pages available (only ever raising). */
static bool
test_get_hugepages(void)
{
	unsigned long nr = read_ulong(TEST_SYS_2M "/nr_hugepages");
	unsigned long fr = read_ulong(TEST_SYS_2M "/free_hugepages");
	FILE *f;

	if (fr >= TEST_HUGE_PAGES)
		return true;
	if (geteuid() != 0)
		return false;
	f = fopen("/proc/sys/vm/nr_hugepages", "w");
	if (f == NULL)
		return false;
	fprintf(f, "%lu\n", nr + TEST_HUGE_PAGES - fr);
	fclose(f);
	return read_ulong(TEST_SYS_2M "/free_hugepages") >= TEST_HUGE_PAGES;
}

/* Initialize the EAL; exits 77 (skip) for the huge variant without pages. */
static int
test_eal_setup(bool huge, const char *runner)
{
	char lcores[32];
	const char *args[16];
	struct test_argv a;
	cpu_set_t set;
	int cpus[2], n = 0, rc, i = 0;

	CPU_ZERO(&set);
	sched_getaffinity(0, sizeof(set), &set);
	for (int c = 0; c < CPU_SETSIZE && c < DP_MAX_LCORE && n < 2; c++)
		if (CPU_ISSET(c, &set))
			cpus[n++] = c;
	if (n == 2)
		snprintf(lcores, sizeof(lcores), "0@%d,1@%d", cpus[0], cpus[1]);
	else
		snprintf(lcores, sizeof(lcores), "0@%d", cpus[0]);
	args[i++] = "--lcores";
	args[i++] = lcores;
	args[i++] = "--no-pci";
	args[i++] = "--log-level=warning";
	if (huge) {
		if (!test_get_hugepages()) {
			fprintf(stderr, "%s: SKIP: needs %d free 2 MB hugepages "
				"(run as root, or reserve them: echo N > "
				"/proc/sys/vm/nr_hugepages)\n", runner,
				TEST_HUGE_PAGES);
			exit(TEST_SKIP_EXIT);
		}
		args[i++] = "--in-memory";
		args[i++] = "--file-prefix=mbuf";
		args[i++] = "-m";
		args[i++] = "64";
		/* PA mode shows real IOVA breaks between pages; the
		 * mempool_huge_va run (DPKIT_TEST_IOVA=va) keeps IOVA = VA, as
		 * under vfio-pci, where only hugepage ends cut the memory. */
		test_pa_mode = geteuid() == 0 &&
			!(getenv("DPKIT_TEST_IOVA") &&
			  strcmp(getenv("DPKIT_TEST_IOVA"), "va") == 0);
		if (test_pa_mode)
			args[i++] = "--iova-mode=pa";
	} else {
		args[i++] = "--no-huge";
		args[i++] = "-m";
		args[i++] = "256";
	}
	args[i] = NULL;
	test_argv_build(&a, args);
	rc = dp_eal_init(a.argc, a.argv);
	test_argv_free(&a);
	if (rc < 0) {
		fprintf(stderr, "%s: EAL init failed: %s\n", runner,
			dp_strerror(rc));
		if (huge)
			exit(TEST_SKIP_EXIT);
		return -1;
	}
	if (n == 2)
		test_worker = 1;
	return 0;
}

static int
test_eal_teardown(void **state)
{
	(void)state;
	dp_eal_cleanup();
	return 0;
}

/* What a failed creation must give back: heap blocks and memzones. */
struct test_usage {
	unsigned int heap_allocs;
	size_t heap_bytes;
	unsigned int zones;
};

static void
count_zone(const struct dp_memzone *mz, void *arg)
{
	(void)mz;
	(*(unsigned int *)arg)++;
}

static struct test_usage
test_usage_now(void)
{
	struct test_usage u = { 0, 0, 0 };
	struct dp_malloc_socket_stats st;

	for (unsigned int i = 0; i < dp_socket_count(); i++)
		if (dp_malloc_get_stats(dp_socket_id_by_idx(i), &st) == 0) {
			u.heap_allocs += st.alloc_count;
			u.heap_bytes += st.heap_allocsz_bytes;
		}
	dp_memzone_walk(count_zone, &u.zones);
	return u;
}

#define assert_usage_equal(a, b) do { \
	assert_int_equal((a).heap_allocs, (b).heap_allocs); \
	assert_int_equal((a).heap_bytes, (b).heap_bytes); \
	assert_int_equal((a).zones, (b).zones); \
} while (0)

#endif /* TEST_MEMPOOL_COMMON_H */
