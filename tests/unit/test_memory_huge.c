/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * EAL memory on real 2 MB hugepages (root only; exits 77 otherwise):
 * files, locks and their removal, memfd (--in-memory), PA mode checked
 * against /proc/self/pagemap page by page, IOVA-contiguous memzones,
 * the errors when pages run out (before and during the reservation),
 * stale-file reclaim next to a live process's file, NUMA placement, and
 * init/cleanup/init leaving nothing behind.
 *
 * Setup: if fewer than HUGE_NEED pages are free, nr_hugepages is raised
 * (never lowered: other processes may use pages); hugetlbfs is mounted
 * in temporary directories (one with a size limit, one with size=0) and
 * unmounted at the end. Page counts are checked through the mount's own
 * size limit (statfs), which other processes on the machine cannot move.
 */

#include <dirent.h>
#include <fcntl.h>
#include <numaif.h>
#include <sched.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test_helpers.h"

#include <dp_eal.h>
#include <dp_malloc.h>
#include <dp_memory.h>
#include <dp_memzone.h>

#include "eal_memory_private.h"

#define MB (1ull << 20)
#define HP (2 * MB)
#define HUGE_NEED 40			/* free pages the tests need */
#define MOUNT_PAGES 36			/* size= of the main test mount */
#define PREFIX "memtest"
#define SYS_2M "/sys/kernel/mm/hugepages/hugepages-2048kB"

static char first_cpu_str[16];
static char mnt[] = "/tmp/dpkit-memory-huge.XXXXXX";	/* size=72M */
static char mnt0[] = "/tmp/dpkit-memory-huge0.XXXXXX";	/* size=0 */
static bool mnt_done, mnt0_done;

/* ---- setup ------------------------------------------------------------------ */

/* 2 MB pages in the pool and free to take, as the EAL reads them. */
static unsigned long
pool_pages(bool free_only)
{
	struct eal_hugepage_info hi;
	struct eal_hugepage_size *hs;

	if (eal_hugepage_info_read(&hi, NULL) != 0 ||
	    (hs = eal_hugepage_find(&hi, HP)) == NULL)
		return 0;
	return free_only ? eal_hugepage_available(hs) : hs->nr;
}

static unsigned long
avail_pages(void)
{
	return pool_pages(true);
}

static void
unmount_all(void)
{
	if (mnt_done && umount2(mnt, MNT_DETACH) == 0)
		rmdir(mnt);
	if (mnt0_done && umount2(mnt0, MNT_DETACH) == 0)
		rmdir(mnt0);
	mnt_done = mnt0_done = false;
}

static void
skip_all(const char *why)
{
	fprintf(stderr, "SKIP: %s\n", why);
	unmount_all();
	exit(TEST_SKIP_EXIT);
}

static void
setup_machine(void)
{
	char opts[64], msg[256];
	unsigned long avail, nr;
	cpu_set_t set;
	FILE *f;
	int c;

	sched_getaffinity(0, sizeof(set), &set);
	for (c = 0; c < CPU_SETSIZE && !CPU_ISSET(c, &set); c++)
		;
	snprintf(first_cpu_str, sizeof(first_cpu_str), "%d", c);

	if (geteuid() != 0)
		skip_all("needs root to reserve hugepages and mount hugetlbfs "
			"(the --no-huge parts run in test_memory)");
	if (access(SYS_2M, F_OK) != 0)
		skip_all("this kernel has no 2 MB hugepages");
	avail = avail_pages();
	if (avail < HUGE_NEED) {
		/* Only ever raise: other processes may hold pages. */
		nr = pool_pages(false) + (HUGE_NEED - avail);
		f = fopen(SYS_2M "/nr_hugepages", "w");
		if (f != NULL) {
			fprintf(f, "%lu\n", nr);
			fclose(f);
		}
		avail = avail_pages();
		fprintf(stderr, "raised nr_hugepages to %lu: %lu free\n", nr, avail);
	}
	if (avail < HUGE_NEED) {
		snprintf(msg, sizeof(msg), "only %lu free 2 MB hugepages, %d "
			"needed (memory too fragmented to reserve more?)", avail,
			HUGE_NEED);
		skip_all(msg);
	}
	if (mkdtemp(mnt) == NULL || mkdtemp(mnt0) == NULL)
		skip_all("cannot create temporary mount points");
	snprintf(opts, sizeof(opts), "pagesize=2M,size=%uM", MOUNT_PAGES * 2);
	if (mount("nodev", mnt, "hugetlbfs", 0, opts) != 0) {
		rmdir(mnt);
		rmdir(mnt0);
		skip_all("cannot mount hugetlbfs");
	}
	mnt_done = true;
	if (mount("nodev", mnt0, "hugetlbfs", 0, "pagesize=2M,size=0") != 0)
		skip_all("cannot mount hugetlbfs with size=0");
	mnt0_done = true;
	atexit(unmount_all);
}

/* ---- helpers ------------------------------------------------------------------ */

/* Init with the log captured; INIT_OK means any success. */
#define INIT_OK TEST_INIT_OK

static void
mem_init_expect(const char *const *extra, int expect)
{
	test_eal_init_expect((const char *[]){ "-l", first_cpu_str, "--no-pci",
		"--huge-dir", mnt, "--file-prefix", PREFIX, NULL }, extra, expect);
}

/* Pages the main mount can still hand out (its size= limit). */
static unsigned long
mount_free(const char *dir)
{
	struct statfs s;

	assert_int_equal(statfs(dir, &s), 0);
	return s.f_bfree;
}

/* Files in @p dir whose name starts with @p prefix. */
static unsigned int
count_files(const char *dir, const char *prefix)
{
	unsigned int n = 0;
	struct dirent *e;
	DIR *d = opendir(dir);

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.' &&
		    strncmp(e->d_name, prefix, strlen(prefix)) == 0)
			n++;
	closedir(d);
	return n;
}

/* Physical address from pagemap, written here independently of the EAL. */
static uint64_t
pagemap_pa(int fd, const void *va)
{
	uint64_t e = 0;

	if (pread(fd, &e, 8, (off_t)((uintptr_t)va / 4096) * 8) != 8 ||
	    !(e >> 63) || (e & ((1ull << 55) - 1)) == 0)
		return 0;
	return (e & ((1ull << 55) - 1)) * 4096 + (uintptr_t)va % 4096;
}

/* Lines of /proc/self/maps that map a file under @p dir. */
static unsigned int
count_maps(const char *dir)
{
	char line[512];
	unsigned int n = 0;
	FILE *f = fopen("/proc/self/maps", "r");

	assert_non_null(f);
	while (fgets(line, sizeof(line), f) != NULL)
		if (strstr(line, dir) != NULL)
			n++;
	fclose(f);
	return n;
}

static bool
is_mapped(const void *p)
{
	void *page = (void *)((uintptr_t)p & ~(uintptr_t)4095);

	return msync(page, 4096, MS_ASYNC) == 0 || errno != ENOMEM;
}

struct seg_list {
	unsigned int n;
	struct dp_memseg seg[64];
};

static int
collect(const struct dp_memseg *ms, void *arg)
{
	struct seg_list *l = arg;

	if (l->n < DP_DIM(l->seg))
		l->seg[l->n++] = *ms;
	return 0;
}

static int
node_of(const void *addr)
{
	int node = -1;

	if (get_mempolicy(&node, NULL, 0, (void *)(uintptr_t)addr,
			MPOL_F_NODE | MPOL_F_ADDR) != 0)
		return 0;	/* no NUMA in this kernel: everything is node 0 */
	return node;
}

static int
test_teardown(void **state)
{
	(void)state;
	eal_mem_test_dry_after = 0;
	if (dp_eal_is_initialized())
		dp_eal_cleanup();
	return 0;
}

/* ---- files, VA mode ------------------------------------------------------------- */

static void
test_files_va(void **state)
{
	unsigned long before = mount_free(mnt);
	struct dp_hugepage_info hp[8];
	struct seg_list l = { 0 };
	char path[256], *text;
	unsigned int i, pages = 0;
	int fd, n;
	void *base;

	(void)state;
	assert_int_equal(before, MOUNT_PAGES);
	mem_init_expect((const char *[]){ "-m", "32", "--log-level=eal:info",
		NULL }, INIT_OK);
	assert_true(dp_eal_has_hugepages());
	assert_int_equal(dp_eal_iova_mode(), DP_IOVA_VA);
	assert_string_equal(dp_mem_iova_reason(),
		"no device needs physical addresses");
	assert_logged("IOVA mode VA: no device needs physical addresses");
	assert_logged("memory: 32 MB in 16 pages of 2 MB from files ");
	assert_int_equal(dp_mem_total(), 32 * MB);

	/* One file per page, each holding one page of the mount, locked. */
	assert_int_equal(count_files(mnt, PREFIX "map_"), 16);
	assert_int_equal(mount_free(mnt), before - 16);
	for (i = 0; i < 16; i++) {
		struct stat st;

		snprintf(path, sizeof(path), "%s/" PREFIX "map_%u", mnt, i);
		assert_int_equal(stat(path, &st), 0);
		assert_int_equal(st.st_size, HP);
		fd = open(path, O_RDWR);
		assert_true(fd >= 0);
		assert_int_equal(flock(fd, LOCK_EX | LOCK_NB), -1);
		assert_int_equal(errno, EWOULDBLOCK);
		close(fd);
	}

	/* IOVA = VA, 2 MB pages, every page on the node its memseg says. */
	dp_memseg_walk(collect, &l);
	assert_true(l.n >= 1);
	base = l.seg[0].addr;
	for (i = 0; i < l.n; i++) {
		const struct dp_memseg *s = &l.seg[i];

		assert_int_equal(s->hugepage_sz, HP);
		assert_int_equal(s->iova, (uintptr_t)s->addr);
		assert_int_equal(s->len, (size_t)s->nb_pages * HP);
		pages += s->nb_pages;
		for (size_t off = 0; off < s->len; off += HP) {
			assert_int_equal(node_of((char *)s->addr + off),
				s->socket_id);
			assert_int_equal(dp_mem_virt2iova((char *)s->addr + off + 5),
				(uintptr_t)s->addr + off + 5);
		}
	}
	assert_int_equal(pages, 16);

	n = dp_mem_hugepage_info(hp, 8);
	assert_true(n >= 1);
	for (i = 0; i < (unsigned int)n; i++)
		if (hp[i].size == HP)
			assert_int_equal(hp[i].used, 16);

	text = test_capture_output(dp_mem_dump);
	assert_non_null(strstr(text, "EAL memory: 32 MB in 16 pages of 2 MB from "
		"files /tmp/dpkit-memory-huge."));
	assert_non_null(strstr(text, "/" PREFIX "map_*"));
	assert_non_null(strstr(text, "IOVA mode VA: no device needs physical"));
	free(text);
	assert_int_equal(count_maps(mnt), 16);

	assert_int_equal(dp_eal_cleanup(), 0);
	assert_int_equal(count_files(mnt, PREFIX), 0);
	assert_int_equal(mount_free(mnt), before);
	assert_false(is_mapped(base));
}

/* ---- PA mode ------------------------------------------------------------------- */

static void
test_pa_mode(void **state)
{
	struct seg_list l = { 0 };
	const struct dp_memzone *mz;
	size_t largest = 0, off, sub;
	unsigned int i;
	uint64_t pa;
	int fd;

	(void)state;
	mem_init_expect((const char *[]){ "-m", "64", "--iova-mode=pa", NULL },
		INIT_OK);
	assert_int_equal(dp_eal_iova_mode(), DP_IOVA_PA);
	assert_string_equal(dp_mem_iova_reason(), "forced by --iova-mode=pa");
	fd = open("/proc/self/pagemap", O_RDONLY);
	assert_true(fd >= 0);
	dp_memseg_walk(collect, &l);
	for (i = 0; i < l.n; i++) {
		const struct dp_memseg *s = &l.seg[i];

		largest = DP_MAX(largest, s->len);
		/* Memsegs are sorted by IOVA and only split where needed. */
		if (i > 0) {
			assert_true(s->iova > l.seg[i - 1].iova);
			assert_true(s->socket_id != l.seg[i - 1].socket_id ||
				s->iova != l.seg[i - 1].iova + l.seg[i - 1].len);
			assert_ptr_equal(s->addr, (char *)l.seg[i - 1].addr +
				l.seg[i - 1].len);
		}
		for (off = 0; off < s->len; off += HP) {
			const char *page = (char *)s->addr + off;

			/* The cached IOVA is the physical address... */
			pa = pagemap_pa(fd, page);
			assert_int_not_equal(pa, 0);
			assert_int_equal(dp_mem_virt2iova(page), pa);
			assert_int_equal(dp_mem_virt2phy(page), pa);
			/* ...the memseg is physically contiguous... */
			assert_int_equal(pa, s->iova + off);
			/* ...and so is every 4 KB inside the 2 MB page. */
			for (sub = 0; sub < HP; sub += 4096)
				assert_int_equal(pagemap_pa(fd, page + sub),
					pa + sub);
			assert_ptr_equal(dp_mem_iova2virt(pa + 12345), page + 12345);
		}
	}
	fprintf(stderr, "  %u memsegs, the largest %zu MB\n", l.n, largest >> 20);

	/* An IOVA-contiguous zone never spans two memsegs... */
	test_log_capture();
	dp_errno = 0;
	mz = dp_memzone_reserve("toobig", largest + 4096, DP_SOCKET_ID_ANY,
		DP_MEMZONE_IOVA_CONTIG);
	test_log_release();
	assert_null(mz);
	assert_int_equal(dp_errno, ENOMEM);
	assert_logged("IOVA-contiguous");
	assert_logged("in PA mode contiguity is physical");

	/* ...and the largest run takes one as big as itself (minus a header). */
	mz = dp_memzone_reserve_aligned("ring", largest - 4096, DP_SOCKET_ID_ANY,
		DP_MEMZONE_IOVA_CONTIG, 4096);
	assert_non_null(mz);
	assert_int_equal(mz->iova, pagemap_pa(fd, mz->addr));
	for (off = 0; off < mz->len; off += 4096)
		assert_int_equal(pagemap_pa(fd, (char *)mz->addr + off),
			mz->iova + off);
	assert_int_equal(dp_memzone_free(mz), 0);

	/* Alignment above the page size holds for the IOVA too. A page
	 * whose VA and PA are both 4 MB-aligned may not exist in PA mode;
	 * then the only right answer is a clean ENOMEM. */
	dp_errno = 0;
	mz = dp_memzone_reserve_aligned("aligned", 4096, DP_SOCKET_ID_ANY, 0,
		4 * MB);
	if (mz != NULL) {
		assert_int_equal(mz->iova % (4 * MB), 0);
		assert_int_equal((uintptr_t)mz->addr % (4 * MB), 0);
		assert_int_equal(dp_memzone_free(mz), 0);
	} else {
		assert_int_equal(dp_errno, ENOMEM);
		print_message("no page both VA- and PA-aligned to 4 MB: "
			"ENOMEM, as it should\n");
	}
	close(fd);
	assert_int_equal(dp_eal_cleanup(), 0);
	assert_int_equal(count_files(mnt, PREFIX), 0);
}

/* ---- memfd ------------------------------------------------------------------------ */

static void
test_in_memory(void **state)
{
	unsigned int fds = test_count_fds(NULL);
	struct seg_list l = { 0 };

	(void)state;
	mem_init_expect((const char *[]){ "-m", "16", "--in-memory",
		"--file-prefix", "memtest-inmem", NULL }, INIT_OK);
	assert_int_equal(dp_mem_total(), 16 * MB);
	dp_memseg_walk(collect, &l);
	assert_int_equal(l.seg[0].hugepage_sz, HP);
	/* No file anywhere: only memfds, one per page. */
	assert_int_equal(count_files(mnt, "memtest"), 0);
	assert_int_equal(test_count_fds("/memfd:memtest-inmemmap_"), 8);
	assert_int_equal(mount_free(mnt), MOUNT_PAGES);
	assert_int_equal(dp_eal_cleanup(), 0);
	assert_int_equal(test_count_fds(NULL), fds);
	assert_int_equal(count_files(mnt, "memtest"), 0);
}

/* ---- running out of pages ------------------------------------------------------- */

static void
test_no_free_pages(void **state)
{
	unsigned int fds = test_count_fds(NULL);
	char big[32];

	(void)state;
	/* The mount's size= limit is checked before anything is touched. */
	mem_init_expect((const char *[]){ "-m", "80", NULL }, -ENOMEM);
	assert_logged("has room for 36 more 2048kB pages (its size= limit), "
		"40 needed: remount it with a larger size=, use another "
		"--huge-dir, or --in-memory");
	assert_int_equal(count_files(mnt, PREFIX), 0);

	/* More than the pool has free: the exact command that fixes it. */
	snprintf(big, sizeof(big), "%luM", (avail_pages() + 1000) * 2);
	mem_init_expect((const char *[]){ "-m", big, "--in-memory", NULL },
		-ENOMEM);
	assert_logged("not enough free 2048kB hugepages: ");
	assert_logged("reserve more with 'echo ");
	assert_logged(" > /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages' "
		"(as root) or usertools/dpkit-hugepages.py --setup");
	assert_logged("ask for less with -m, or run without hugepages with "
		"--no-huge");

	/* A size=0 mount looks unlimited but gives nothing: the shortage is
	 * found while reserving, and reported with what was got. */
	{
		const char *args[] = { "--huge-dir", mnt0, "-m", "16", NULL };

		mem_init_expect(args, -ENOMEM);
	}
	assert_logged("hugepages: got 0 of the 8 2048kB pages needed: the "
		"hugetlbfs mount /tmp/dpkit-memory-huge0.");
	assert_logged("refused more");
	assert_logged("initialization failed at stage 'memory'");
	assert_int_equal(count_files(mnt0, ""), 0);

	/* The pool running dry half way: pages already mapped are undone. */
	eal_mem_test_dry_after = 5;
	mem_init_expect((const char *[]){ "-m", "32", NULL }, -ENOMEM);
	eal_mem_test_dry_after = 0;
	assert_logged("hugepages: got 5 of the 16 2048kB pages needed");
	assert_int_equal(count_maps(mnt), 0);
	assert_int_equal(count_files(mnt, PREFIX), 0);
	assert_int_equal(mount_free(mnt), MOUNT_PAGES);
	assert_int_equal(test_count_fds(NULL), fds);
	assert_int_equal(dp_mem_total(), 0);
	assert_false(dp_eal_is_initialized());

	/* And the next init works. */
	mem_init_expect((const char *[]){ "-m", "8", NULL }, INIT_OK);
	assert_int_equal(dp_eal_cleanup(), 0);
}

/* ---- stale files ------------------------------------------------------------------ */

/* A process that holds a file locked until quit_fd is closed. */
struct holder {
	pid_t pid;
	int quit_fd;
};

/* A file holding one hugepage; with @p h, a child keeps it locked. */
static void
make_file(const char *name, struct holder *h, ino_t *ino)
{
	int fd, ready[2], quit[2];
	char path[256], c;
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", mnt, name);
	fd = open(path, O_CREAT | O_RDWR, 0600);
	assert_true(fd >= 0);
	assert_int_equal(fallocate(fd, 0, 0, HP), 0);
	assert_int_equal(fstat(fd, &st), 0);
	*ino = st.st_ino;
	if (h != NULL) {
		assert_int_equal(pipe(ready), 0);
		assert_int_equal(pipe(quit), 0);
		h->pid = fork();
		assert_true(h->pid >= 0);
		if (h->pid == 0) {
			close(ready[0]);
			close(quit[1]);
			if (flock(fd, LOCK_SH) != 0 || write(ready[1], "x", 1) != 1)
				_exit(1);
			/* Hold the lock until the parent closes its end. */
			while (read(quit[0], &c, 1) > 0)
				;
			_exit(0);
		}
		close(ready[1]);
		close(quit[0]);
		assert_int_equal(read(ready[0], &c, 1), 1);
		close(ready[0]);
		h->quit_fd = quit[1];
	}
	close(fd);
}

static void
test_stale_reclaim(void **state)
{
	char path[256];
	ino_t stale_ino, live_ino, other_ino, odd_ino;
	struct holder live;
	struct stat st;
	int status;

	(void)state;
	make_file(PREFIX "map_0", NULL, &stale_ino);
	make_file(PREFIX "map_3", &live, &live_ino);
	make_file("othermap_1", NULL, &other_ino);
	make_file(PREFIX "map_x", NULL, &odd_ino);
	assert_int_equal(mount_free(mnt), MOUNT_PAGES - 4);

	mem_init_expect((const char *[]){ "-m", "8", "--log-level=eal:info",
		NULL }, INIT_OK);
	/* The dead process's file is gone (and its page is free again)... */
	assert_logged("removed stale hugepage file /tmp/dpkit-memory-huge.");
	assert_logged("/" PREFIX "map_0 (the process that made it is gone)");
	assert_logged("1 hugepage files with prefix '" PREFIX "' in ");
	assert_logged("belong to another running process");
	snprintf(path, sizeof(path), "%s/" PREFIX "map_0", mnt);
	assert_int_equal(stat(path, &st), 0);
	assert_int_not_equal(st.st_ino, stale_ino);	/* ours now */
	/* ...the live one is kept and skipped: ours are 0, 1, 2 and 4. */
	snprintf(path, sizeof(path), "%s/" PREFIX "map_3", mnt);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_ino, live_ino);
	snprintf(path, sizeof(path), "%s/" PREFIX "map_4", mnt);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(count_files(mnt, PREFIX "map_"), 6);
	/* 3 foreign pages + our 4 */
	assert_int_equal(mount_free(mnt), MOUNT_PAGES - 3 - 4);
	assert_int_equal(dp_eal_cleanup(), 0);

	/* Cleanup removed ours only. */
	assert_int_equal(count_files(mnt, PREFIX "map_"), 2);	/* _3 and _x */
	assert_int_equal(count_files(mnt, "othermap_1"), 1);
	assert_int_equal(mount_free(mnt), MOUNT_PAGES - 3);

	close(live.quit_fd);
	assert_int_equal(waitpid(live.pid, &status, 0), live.pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	snprintf(path, sizeof(path), "%s/" PREFIX "map_3", mnt);
	unlink(path);
	snprintf(path, sizeof(path), "%s/" PREFIX "map_x", mnt);
	unlink(path);
	snprintf(path, sizeof(path), "%s/othermap_1", mnt);
	unlink(path);
	assert_int_equal(mount_free(mnt), MOUNT_PAGES);
}

/* ---- NUMA ----------------------------------------------------------------------- */

static void
test_numa_placement(void **state)
{
	struct eal_hugepage_info hi;
	const struct dp_memzone *mz;
	char mem[64];
	unsigned int node, i, tested = 0;
	size_t off;

	(void)state;
	assert_int_equal(eal_hugepage_info_read(&hi, NULL), 0);
	for (node = 0; node < DP_MAX_NUMA_NODES; node++) {
		struct seg_list l = { 0 };
		size_t o = 0;

		if (!(hi.nodes & (1ull << node)) ||
		    eal_hugepage_find(&hi, HP)->node_free[node] < 8)
			continue;
		for (i = 0; i < node; i++)
			o += snprintf(mem + o, sizeof(mem) - o, "0,");
		snprintf(mem + o, sizeof(mem) - o, "8");
		mem_init_expect((const char *[]){ "--socket-mem", mem, NULL }, INIT_OK);
		dp_memseg_walk(collect, &l);
		for (i = 0; i < l.n; i++) {
			assert_int_equal(l.seg[i].socket_id, (int)node);
			for (off = 0; off < l.seg[i].len; off += HP)
				assert_int_equal(node_of((char *)l.seg[i].addr +
					off), (int)node);
		}
		mz = dp_memzone_reserve("numa", 4096, (int)node, 0);
		assert_non_null(mz);
		assert_int_equal(mz->socket_id, (int)node);
		assert_int_equal(node_of(mz->addr), (int)node);
		assert_int_equal(dp_eal_cleanup(), 0);
		tested++;
	}
	fprintf(stderr, "  placement checked on %u node(s)\n", tested);
	assert_true(tested >= 1);
}

/* ---- default size, init/cleanup/init ------------------------------------------ */

static void
test_default_size(void **state)
{
	unsigned long pages;
	char line[160];

	(void)state;
	/* No -m: 256 MB or what is free (here: what the mount allows). */
	mem_init_expect((const char *[]){ "--log-level=eal:info", NULL }, INIT_OK);
	pages = dp_mem_total() / HP;
	assert_true(pages >= 1 && pages <= MOUNT_PAGES);
	snprintf(line, sizeof(line), "memory: %lu MB in %lu pages of 2048kB "
		"(default: 256 MB or what is free, whichever is smaller; -m or "
		"--socket-mem changes it)", pages * 2, pages);
	assert_logged(line);
	assert_int_equal(dp_eal_cleanup(), 0);
	assert_int_equal(mount_free(mnt), MOUNT_PAGES);
}

static void
test_init_cleanup_init(void **state)
{
	unsigned int fds = test_count_fds(NULL), round;
	void *p;

	(void)state;
	for (round = 0; round < 3; round++) {
		mem_init_expect((const char *[]){ "-m", "16", round == 1 ?
			"--iova-mode=pa" : "--iova-mode=va", NULL }, INIT_OK);
		p = dp_malloc(NULL, 3 * MB, 0);
		assert_non_null(p);
		memset(p, 0x77, 3 * MB);
		assert_int_equal(count_files(mnt, PREFIX), 8);
		assert_int_equal(dp_eal_cleanup(), 0);
		assert_int_equal(count_files(mnt, PREFIX), 0);
		assert_int_equal(mount_free(mnt), MOUNT_PAGES);
		assert_int_equal(test_count_fds(NULL), fds);
		assert_false(is_mapped(p));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_files_va, test_teardown),
		cmocka_unit_test_teardown(test_pa_mode, test_teardown),
		cmocka_unit_test_teardown(test_in_memory, test_teardown),
		cmocka_unit_test_teardown(test_no_free_pages, test_teardown),
		cmocka_unit_test_teardown(test_stale_reclaim, test_teardown),
		cmocka_unit_test_teardown(test_numa_placement, test_teardown),
		cmocka_unit_test_teardown(test_default_size, test_teardown),
		cmocka_unit_test_teardown(test_init_cleanup_init, test_teardown),
	};
	int rc;

	setup_machine();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	unmount_all();
	return rc;
}
