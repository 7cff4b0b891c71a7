/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Hugepage discovery: the page sizes the kernel offers and how many pages
 * of each are reserved and free (globally and per NUMA node, from sysfs),
 * the hugetlbfs mounts and their page size (/proc/mounts), and the default
 * page size (/proc/meminfo). Read-only: nothing here changes the machine.
 * The paths are parameters so that tests can feed a fake tree.
 */

#include <ctype.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "eal_memory_private.h"

const struct eal_hugepage_paths eal_hugepage_default_paths = {
	.sys = "/sys",
	.mounts = "/proc/mounts",
	.meminfo = "/proc/meminfo",
};

/* "2048kB"-style name of a size, as sysfs spells it. */
void
eal_format_kb(uint64_t bytes, char *buf, size_t len)
{
	snprintf(buf, len, "%" PRIu64 "kB", bytes >> 10);
}

void
eal_format_size(uint64_t bytes, char *buf, size_t len)
{
	if (bytes >= (1ull << 30) && bytes % (1ull << 30) == 0)
		snprintf(buf, len, "%" PRIu64 " GB", bytes >> 30);
	else if (bytes >= (1ull << 20) && bytes % (1ull << 20) == 0)
		snprintf(buf, len, "%" PRIu64 " MB", bytes >> 20);
	else if (bytes >= (1ull << 10) && bytes % (1ull << 10) == 0)
		snprintf(buf, len, "%" PRIu64 " KB", bytes >> 10);
	else
		snprintf(buf, len, "%" PRIu64 " bytes", bytes);
}

static unsigned int
read_count(const char *dir, const char *file)
{
	char path[PATH_MAX + 64];
	unsigned long v = 0;
	FILE *f;

	if (snprintf(path, sizeof(path), "%s/%s", dir, file) >= (int)sizeof(path))
		return 0;
	f = fopen(path, "r");
	if (f == NULL)
		return 0;
	if (fscanf(f, "%lu", &v) != 1)
		v = 0;
	fclose(f);
	return v > UINT_MAX ? UINT_MAX : (unsigned int)v;
}

struct eal_hugepage_size *
eal_hugepage_find(struct eal_hugepage_info *hi, uint64_t size)
{
	unsigned int i;

	for (i = 0; i < hi->nb_sizes; i++)
		if (hi->sizes[i].size == size)
			return &hi->sizes[i];
	return NULL;
}

unsigned int
eal_hugepage_available(const struct eal_hugepage_size *hs)
{
	return hs->free > hs->resv ? hs->free - hs->resv : 0;
}

/* Add a size in ascending order; NULL when the table is full. */
static struct eal_hugepage_size *
add_size(struct eal_hugepage_info *hi, uint64_t size)
{
	struct eal_hugepage_size *hs;
	unsigned int i;

	hs = eal_hugepage_find(hi, size);
	if (hs != NULL)
		return hs;
	if (hi->nb_sizes == EAL_HUGEPAGE_SIZES_MAX)
		return NULL;
	for (i = hi->nb_sizes; i > 0 && hi->sizes[i - 1].size > size; i--)
		hi->sizes[i] = hi->sizes[i - 1];
	hs = &hi->sizes[i];
	memset(hs, 0, sizeof(*hs));
	hs->size = size;
	hi->nb_sizes++;
	return hs;
}

/* Size from a "hugepages-2048kB" directory name; 0 if it is not one. */
static uint64_t
dir_size(const char *name)
{
	char *end;
	unsigned long long kb;

	if (strncmp(name, "hugepages-", 10) != 0 || !isdigit((unsigned char)name[10]))
		return 0;
	kb = strtoull(name + 10, &end, 10);
	if (strcmp(end, "kB") != 0 || kb == 0)
		return 0;
	return (uint64_t)kb << 10;
}

static void
read_global_sizes(struct eal_hugepage_info *hi, const char *sys)
{
	char root[PATH_MAX], dir[PATH_MAX + 300];
	struct eal_hugepage_size *hs;
	struct dirent *e;
	uint64_t size;
	DIR *d;

	if (snprintf(root, sizeof(root), "%s/kernel/mm/hugepages", sys) >=
			(int)sizeof(root))
		return;
	d = opendir(root);
	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		size = dir_size(e->d_name);
		if (size == 0 || (hs = add_size(hi, size)) == NULL)
			continue;
		if (snprintf(dir, sizeof(dir), "%s/%s", root, e->d_name) >=
				(int)sizeof(dir))
			continue;
		hs->nr = read_count(dir, "nr_hugepages");
		hs->free = read_count(dir, "free_hugepages");
		hs->resv = read_count(dir, "resv_hugepages");
	}
	closedir(d);
}

static void
read_node_sizes(struct eal_hugepage_info *hi, const char *sys)
{
	char root[PATH_MAX], dir[PATH_MAX + 300];
	struct eal_hugepage_size *hs;
	struct dirent *e;
	unsigned long node;
	unsigned int i;
	char *end;
	DIR *d;

	if (snprintf(root, sizeof(root), "%s/devices/system/node", sys) >=
			(int)sizeof(root))
		return;
	d = opendir(root);
	if (d == NULL) {
		/* A kernel without NUMA: everything is on node 0. */
		hi->nodes = 1;
		return;
	}
	while ((e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, "node", 4) != 0 ||
		    !isdigit((unsigned char)e->d_name[4]))
			continue;
		node = strtoul(e->d_name + 4, &end, 10);
		if (*end != '\0' || node >= DP_MAX_NUMA_NODES)
			continue;
		hi->nodes |= 1ull << node;
		for (i = 0; i < hi->nb_sizes; i++) {
			hs = &hi->sizes[i];
			if (snprintf(dir, sizeof(dir), "%s/%s/hugepages/hugepages-%"
					PRIu64 "kB", root, e->d_name, hs->size >> 10) >=
					(int)sizeof(dir))
				continue;
			hs->node_nr[node] = read_count(dir, "nr_hugepages");
			hs->node_free[node] = read_count(dir, "free_hugepages");
		}
		hi->per_node = true;
	}
	closedir(d);
	if (hi->nodes == 0)
		hi->nodes = 1;
}

static uint64_t
read_default_size(const char *meminfo)
{
	char line[256];
	unsigned long long kb;
	uint64_t size = 0;
	FILE *f = fopen(meminfo, "r");

	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "Hugepagesize: %llu kB", &kb) == 1) {
			size = (uint64_t)kb << 10;
			break;
		}
	fclose(f);
	return size;
}

/* Undo the octal escapes /proc/mounts uses for blanks and backslashes. */
static void
unescape_mount_path(char *s)
{
	char *w = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' &&
		    s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*w++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 +
				(s[3] - '0'));
			s += 3;
		} else {
			*w++ = *s;
		}
	}
	*w = '\0';
}

static void
read_mounts(struct eal_hugepage_info *hi, const char *mounts)
{
	char line[PATH_MAX * 2], dev[256], path[PATH_MAX], type[64];
	char opts[1024], *o, *save;
	struct eal_hugepage_size *hs;
	uint64_t size;
	FILE *f = fopen(mounts, "r");

	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "%255s %4095s %63s %1023s", dev, path, type,
				opts) != 4 || strcmp(type, "hugetlbfs") != 0)
			continue;
		unescape_mount_path(path);
		size = hi->default_size;
		for (o = strtok_r(opts, ",", &save); o;
		     o = strtok_r(NULL, ",", &save))
			if (strncmp(o, "pagesize=", 9) == 0 &&
			    eal_parse_size(o + 9, 1, &size) != 0)
				size = 0;
		hs = size ? eal_hugepage_find(hi, size) : NULL;
		/* The first mount of a size is the one used by default. */
		if (hs != NULL && hs->mount[0] == '\0')
			snprintf(hs->mount, sizeof(hs->mount), "%s", path);
	}
	fclose(f);
}

int
eal_hugepage_info_read(struct eal_hugepage_info *hi,
	const struct eal_hugepage_paths *paths)
{
	if (paths == NULL)
		paths = &eal_hugepage_default_paths;
	memset(hi, 0, sizeof(*hi));
	hi->default_size = read_default_size(paths->meminfo);
	read_global_sizes(hi, paths->sys);
	read_node_sizes(hi, paths->sys);
	read_mounts(hi, paths->mounts);
	return hi->nb_sizes > 0 ? 0 : -ENOENT;
}

int
dp_mem_hugepage_info(struct dp_hugepage_info *info, unsigned int n)
{
	struct eal_hugepage_info hi;
	unsigned int i;

	if (eal_hugepage_info_read(&hi, NULL) != 0)
		return 0;
	for (i = 0; i < hi.nb_sizes && i < n && info != NULL; i++) {
		const struct eal_hugepage_size *hs = &hi.sizes[i];

		info[i].size = hs->size;
		info[i].total = hs->nr;
		info[i].free = eal_hugepage_available(hs);
		info[i].used = __atomic_load_n(&eal_mem.ready, __ATOMIC_ACQUIRE) &&
			!eal_mem.no_huge && eal_mem.page_sz == hs->size ?
			eal_mem.nb_pages : 0;
		info[i].mounted = hs->mount[0] != '\0';
	}
	return (int)hi.nb_sizes;
}
