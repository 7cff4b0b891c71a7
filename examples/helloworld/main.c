/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * helloworld: the smallest dpkit program. It initializes the EAL, runs a
 * function on every lcore, and prints what the EAL found: lcores and their
 * CPUs and sockets, the TSC frequency, the memory layout it got (pages,
 * sizes, IOVA mode and why) and the hugepages left on the machine.
 */

#include <inttypes.h>
#include <stdio.h>

#include <dp_eal.h>
#include <dp_cycles.h>
#include <dp_lcore.h>
#include <dp_memory.h>

static int
lcore_hello(void *arg)
{
	unsigned int *visited = arg;
	unsigned int id = dp_lcore_id();

	__atomic_fetch_add(visited, 1, __ATOMIC_RELAXED);
	printf("hello from lcore %u (CPU %d, socket %d)\n", id,
		dp_lcore_to_cpu_id(id), dp_lcore_to_socket_id(id));
	return (int)id;
}

/* What the library mapped, then what is left on the machine. */
static void
print_memory(void)
{
	struct dp_hugepage_info hp[8];
	int n, i;

	dp_mem_dump(stdout);
	n = dp_mem_hugepage_info(hp, 8);
	if (n == 0)
		printf("hugepages: not supported by this kernel\n");
	for (i = 0; i < n && i < 8; i++)
		printf("hugepages of %" PRIu64 " kB: %u in the pool, %u free, "
			"%u used by this process%s\n", hp[i].size >> 10,
			hp[i].total, hp[i].free, hp[i].used,
			hp[i].mounted ? "" : " (no hugetlbfs mount)");
}

int
main(int argc, char **argv)
{
	unsigned int visited = 0, lcore;
	int ret;

	ret = dp_eal_init(argc, argv);
	if (ret < 0)
		return ret == -DP_EHELP ? 0 : 1;

	printf("%s\n", dp_version());
	printf("lcores: %u, main lcore %u, sockets: %u\n", dp_lcore_count(),
		dp_get_main_lcore(), dp_socket_count());
	printf("TSC: %" PRIu64 " Hz\n", dp_get_tsc_hz());
	print_memory();

	/* Run on every worker, then on the main lcore itself. */
	dp_eal_mp_remote_launch(lcore_hello, &visited, DP_CALL_MAIN);
	DP_LCORE_FOREACH_WORKER(lcore) {
		ret = dp_eal_wait_lcore(lcore);
		if (ret != (int)lcore) {
			fprintf(stderr, "lcore %u returned %d\n", lcore, ret);
			return 1;
		}
	}
	printf("%u of %u lcores said hello\n", visited, dp_lcore_count());

	dp_eal_cleanup();
	return visited == dp_lcore_count() ? 0 : 1;
}
