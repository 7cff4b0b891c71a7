/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * helloworld: the smallest dpkit program. It initializes the EAL, runs a
 * function on every lcore, and prints what the EAL found: lcores and their
 * CPUs and sockets, the TSC frequency and the hugepage state.
 */

#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dp_eal.h>
#include <dp_cycles.h>
#include <dp_lcore.h>

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

static unsigned long
read_ulong(const char *dir, const char *file)
{
	char path[1024];
	unsigned long v = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "r");
	if (f == NULL)
		return 0;
	if (fscanf(f, "%lu", &v) != 1)
		v = 0;
	fclose(f);
	return v;
}

static void
print_hugepages(void)
{
	const char *root = "/sys/kernel/mm/hugepages";
	struct dirent *e;
	char dir[512];
	DIR *d = opendir(root);

	if (d == NULL) {
		printf("hugepages: not supported by this kernel\n");
		return;
	}
	while ((e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, "hugepages-", 10) != 0)
			continue;
		snprintf(dir, sizeof(dir), "%s/%s", root, e->d_name);
		printf("hugepages %-10s total %lu, free %lu\n", e->d_name + 10,
			read_ulong(dir, "nr_hugepages"),
			read_ulong(dir, "free_hugepages"));
	}
	closedir(d);
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
	printf("IOVA mode: %s\n", dp_iova_mode_name(dp_eal_iova_mode()));
	print_hugepages();

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
