/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * EAL memory without hugepages or root (--no-huge): memsegs and lookups,
 * IOVA mode selection (with a fake bus, and without CAP_SYS_ADMIN in a
 * child), memzones (alignment, IOVA-contiguity, names, limits), the heap
 * (alignment, validation of frees, realloc, a random stress test, two
 * threads), memory event callbacks, init/cleanup/init without leaks, and
 * every bad input with its log line. Hugepage behaviour is in
 * test_memory_huge.c.
 */

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/capability.h>

#include "test_helpers.h"

#include <dp_bus.h>
#include <dp_eal.h>
#include <dp_malloc.h>
#include <dp_memory.h>
#include <dp_memzone.h>

#include "eal_memory_private.h"

#define MB (1ull << 20)

static char first_cpu_str[16];

/* A bus whose devices want whatever IOVA mode a test says. */
static enum dp_iova_mode fake_class = DP_IOVA_DC;

static enum dp_iova_mode
fake_iommu_class(void)
{
	return fake_class;
}

static struct dp_bus fake_bus = {
	.name = "memtest",
	.get_iommu_class = fake_iommu_class,
};
DP_REGISTER_BUS(memtest, fake_bus);

/* dp_eal_init() on one lcore, no PCI, plus @p extra; returns its result. */
#define MEM_INIT_ARGS (const char *[]){ "-l", first_cpu_str, "--no-pci", NULL }

static int
mem_init(const char *const *extra)
{
	return test_eal_init_args(MEM_INIT_ARGS, extra);
}

/* Init with the log captured; asserts the result. */
static void
mem_init_expect(const char *const *extra, int expect)
{
	test_eal_init_expect(MEM_INIT_ARGS, extra, expect);
}

static void
mem_init_ok(const char *const *extra)
{
	int rc = mem_init(extra);

	if (rc < 0)
		fail_msg("dp_eal_init failed: %d", rc);
}

static bool
is_mapped(const void *p)
{
	void *page = (void *)((uintptr_t)p & ~(uintptr_t)4095);

	return msync(page, 4096, MS_ASYNC) == 0 || errno != ENOMEM;
}

static int
group_setup(void **state)
{
	cpu_set_t set;
	int c;

	(void)state;
	sched_getaffinity(0, sizeof(set), &set);
	for (c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, &set))
			break;
	snprintf(first_cpu_str, sizeof(first_cpu_str), "%d", c);
	return 0;
}

/* Each test starts and ends without an EAL. */
static int
test_teardown(void **state)
{
	(void)state;
	fake_class = DP_IOVA_DC;
	if (dp_eal_is_initialized())
		dp_eal_cleanup();
	return 0;
}

/* ---- layout and lookups ------------------------------------------------- */

struct walk_rec {
	unsigned int calls;
	struct dp_memseg last;
	int stop_with;
};

static int
walk_cb(const struct dp_memseg *ms, void *arg)
{
	struct walk_rec *w = arg;

	w->calls++;
	w->last = *ms;
	return w->stop_with;
}

static void
test_layout_no_huge(void **state)
{
	struct walk_rec w = { 0 };
	const struct dp_memseg *ms;
	char *base, *text;
	int stack_var = 0;

	(void)state;
	mem_init_ok((const char *[]){ "--no-huge", "-m", "64", NULL });
	assert_int_equal(dp_mem_total(), 64 * MB);
	assert_false(dp_eal_has_hugepages());
	assert_int_equal(dp_eal_iova_mode(), DP_IOVA_VA);
	assert_non_null(strstr(dp_mem_iova_reason(), "--no-huge"));

	assert_int_equal(dp_memseg_walk(walk_cb, &w), 0);
	assert_int_equal(w.calls, 1);
	assert_int_equal(w.last.len, 64 * MB);
	assert_int_equal(w.last.hugepage_sz, 4096);
	assert_int_equal(w.last.nb_pages, 64 * MB / 4096);
	assert_int_equal(w.last.iova, (uintptr_t)w.last.addr);
	assert_true(w.last.socket_id >= 0);
	base = w.last.addr;

	/* The walk stops with what the callback returns. */
	w.stop_with = 7;
	w.calls = 0;
	assert_int_equal(dp_memseg_walk(walk_cb, &w), 7);
	assert_int_equal(w.calls, 1);
	assert_int_equal(dp_memseg_walk(NULL, NULL), -EINVAL);

	ms = dp_mem_virt2memseg(base + 64 * MB - 1);
	assert_non_null(ms);
	assert_ptr_equal(ms->addr, base);
	assert_null(dp_mem_virt2memseg(base + 64 * MB));
	assert_null(dp_mem_virt2memseg(base - 1));
	assert_null(dp_mem_virt2memseg(&stack_var));

	assert_int_equal(dp_mem_virt2iova(base + 12345), (uintptr_t)base + 12345);
	assert_int_equal(dp_mem_virt2iova(base + 64 * MB), DP_BAD_IOVA);
	assert_int_equal(dp_mem_virt2iova(&stack_var), DP_BAD_IOVA);
	assert_ptr_equal(dp_mem_iova2virt((uintptr_t)base + 100), base + 100);
	assert_ptr_equal(dp_mem_iova2virt((uintptr_t)base + 64 * MB - 1),
		base + 64 * MB - 1);
	assert_null(dp_mem_iova2virt((uintptr_t)base + 64 * MB));
	assert_null(dp_mem_iova2virt((uintptr_t)base - 1));
	assert_null(dp_mem_iova2virt(0));

	/* The memory is usable at both ends. */
	base[0] = 1;
	base[64 * MB - 1] = 2;

	text = test_capture_output(dp_mem_dump);
	assert_non_null(strstr(text, "EAL memory: 64 MB in 16384 pages of 4 KB"));
	assert_non_null(strstr(text, "IOVA mode VA: --no-huge"));
	assert_non_null(strstr(text, "memseg 0:"));
	assert_non_null(strstr(text, "(16384 pages)"));
	free(text);
	assert_int_equal(dp_eal_cleanup(), 0);

	/* Cleanup left nothing mapped and nothing to look up. */
	assert_false(is_mapped(base));
	assert_int_equal(dp_mem_total(), 0);
	assert_null(dp_mem_virt2memseg(base));
	assert_int_equal(dp_mem_virt2iova(base), DP_BAD_IOVA);
	assert_null(dp_mem_iova2virt((uintptr_t)base));
	w.calls = 0;
	w.stop_with = 0;
	assert_int_equal(dp_memseg_walk(walk_cb, &w), 0);
	assert_int_equal(w.calls, 0);
}

static void
test_default_size_no_huge(void **state)
{
	(void)state;
	mem_init_expect((const char *[]){ "--no-huge", "--log-level=eal:info",
		NULL }, 5);
	assert_int_equal(dp_mem_total(), 256 * MB);
	assert_logged("memory: 256 MB of ordinary 4 KB pages (--no-huge default");
	assert_logged("IOVA mode VA: --no-huge");
	assert_int_equal(dp_eal_cleanup(), 0);

	/* -m rounds up to whole pages. */
	mem_init_ok((const char *[]){ "--no-huge", "-m", "1000K", NULL });
	assert_int_equal(dp_mem_total(), 1000 * 1024);
	assert_int_equal(dp_eal_cleanup(), 0);
}

/* ---- IOVA mode ------------------------------------------------------------ */

static void
test_iova_mode_selection(void **state)
{
	(void)state;
	mem_init_expect((const char *[]){ "--no-huge", "--iova-mode=pa", NULL },
		-EINVAL);
	assert_logged("--iova-mode=pa cannot be used with --no-huge");
	assert_false(dp_eal_is_initialized());

	mem_init_expect((const char *[]){ "--no-huge", "--iova-mode=va",
		"--log-level=eal:info", NULL }, 6);
	assert_int_equal(dp_eal_iova_mode(), DP_IOVA_VA);
	assert_string_equal(dp_mem_iova_reason(),
		"forced by --iova-mode=va (and --no-huge)");
	assert_logged("IOVA mode VA: forced by --iova-mode=va");
	assert_int_equal(dp_eal_cleanup(), 0);
	assert_int_equal(dp_eal_iova_mode(), DP_IOVA_DC);
	assert_string_equal(dp_mem_iova_reason(), "");

	/* A device that needs physical addresses cannot use --no-huge. */
	fake_class = DP_IOVA_PA;
	mem_init_expect((const char *[]){ "--no-huge", NULL }, -EINVAL);
	assert_logged("a device needs physical addresses (uio, or vfio without "
		"an IOMMU) but --no-huge memory has none");
	assert_logged("initialization failed at stage 'iova mode'");
	mem_init_expect((const char *[]){ "--iova-mode=va", NULL }, -EINVAL);
	assert_logged("--iova-mode=va, but a device needs physical addresses");

	/* Devices behind an IOMMU: VA, whatever the memory. */
	fake_class = DP_IOVA_VA;
	mem_init_ok((const char *[]){ "--no-huge", "-m", "8", NULL });
	assert_int_equal(dp_eal_iova_mode(), DP_IOVA_VA);
	assert_int_equal(dp_eal_cleanup(), 0);
}

/* Drop CAP_SYS_ADMIN from this (child) process: pagemap PFNs read 0. */
static int
drop_sys_admin(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &hdr, data) != 0)
		return -1;
	data[0].effective &= ~(1u << CAP_SYS_ADMIN);
	data[0].permitted &= ~(1u << CAP_SYS_ADMIN);
	data[0].inheritable &= ~(1u << CAP_SYS_ADMIN);
	return (int)syscall(SYS_capset, &hdr, data);
}

/* In a child without CAP_SYS_ADMIN; exit status 0 = every check held. */
static int
child_pa_without_cap(void)
{
	int x = 1, rc;

	if (drop_sys_admin() != 0)
		return 10;
	if (dp_mem_virt2phy(&x) != DP_BAD_IOVA || dp_errno != EPERM)
		return 11;
	if (eal_pagemap_readable())
		return 12;

	/* Forced PA: the error names root / CAP_SYS_ADMIN and VA. */
	test_log_capture();
	rc = mem_init((const char *[]){ "--iova-mode=pa", NULL });
	test_log_release();
	if (rc != -EPERM ||
	    !test_log_contains("IOVA mode PA (forced by --iova-mode=pa) needs "
		"physical addresses, but /proc/self/pagemap shows PFN 0 (no "
		"CAP_SYS_ADMIN): run as root (or with CAP_SYS_ADMIN), or use "
		"vfio with an IOMMU and --iova-mode=va"))
		return 13;
	if (dp_eal_is_initialized() || dp_mem_total() != 0)
		return 14;

	/* A device that needs PA: the same, naming vfio with an IOMMU. */
	fake_class = DP_IOVA_PA;
	test_log_capture();
	rc = mem_init(NULL);
	test_log_release();
	if (rc != -EPERM ||
	    !test_log_contains("IOVA mode PA (a device needs physical "
		"addresses (uio, or vfio without an IOMMU)) needs physical "
		"addresses") ||
	    !test_log_contains("bind the device to vfio-pci with an IOMMU"))
		return 15;

	/* Nobody needs PA: VA is chosen without looking at pagemap. */
	fake_class = DP_IOVA_DC;
	rc = mem_init((const char *[]){ "--no-huge", "-m", "4", NULL });
	if (rc < 0 || dp_eal_iova_mode() != DP_IOVA_VA)
		return 16;
	dp_eal_cleanup();
	return 0;
}

static void
test_pa_needs_pagemap(void **state)
{
	int status = -1;
	pid_t pid;

	(void)state;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(child_pa_without_cap());
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) != 0)
		fail_msg("check %d failed in the child without CAP_SYS_ADMIN",
			WEXITSTATUS(status));

	/* With the capability (root), pagemap gives real addresses. */
	if (geteuid() == 0) {
		int x = 1;
		dp_iova_t pa = dp_mem_virt2phy(&x);

		assert_int_not_equal(pa, DP_BAD_IOVA);
		assert_int_equal(pa & 4095, (uintptr_t)&x & 4095);
		assert_true(eal_pagemap_readable());
	}
}

/* ---- memzones --------------------------------------------------------------- */

static int heap_socket;
static struct dp_malloc_socket_stats heap_initial;

static void
heap_start(const char *mb)
{
	void *p;

	mem_init_ok((const char *[]){ "--no-huge", "-m", mb, NULL });
	p = dp_malloc(NULL, 1, 0);
	assert_non_null(p);
	heap_socket = dp_mem_virt2memseg(p)->socket_id;
	dp_free(p);
	assert_int_equal(dp_malloc_get_stats(heap_socket, &heap_initial), 0);
	assert_int_equal(heap_initial.alloc_count, 0);
	assert_int_equal(heap_initial.free_count, 1);
}

static void
assert_heap_initial(void)
{
	struct dp_malloc_socket_stats st;

	assert_int_equal(dp_malloc_get_stats(heap_socket, &st), 0);
	assert_int_equal(st.alloc_count, 0);
	assert_int_equal(st.heap_allocsz_bytes, 0);
	assert_memory_equal(&st, &heap_initial, sizeof(st));
}


static void
test_memzone_basic(void **state)
{
	const struct dp_memzone *mz, *mz2;
	struct dp_malloc_socket_stats before, after;
	const struct dp_memseg *ms;
	int socket;

	(void)state;
	mem_init_ok((const char *[]){ "--no-huge", "-m", "32", NULL });
	mz = dp_memzone_reserve("probe", 1, DP_SOCKET_ID_ANY, 0);
	assert_non_null(mz);
	socket = mz->socket_id;
	assert_int_equal(dp_memzone_free(mz), 0);
	assert_int_equal(dp_malloc_get_stats(socket, &before), 0);

	mz = dp_memzone_reserve("mz_a", 1000, DP_SOCKET_ID_ANY, 0);
	assert_non_null(mz);
	assert_string_equal(mz->name, "mz_a");
	assert_int_equal(mz->len, 1000);
	assert_true(DP_IS_ALIGNED(mz->addr, DP_CACHE_LINE_SIZE));
	assert_int_equal(mz->iova, dp_mem_virt2iova(mz->addr));
	assert_int_equal(mz->hugepage_sz, 4096);
	ms = dp_mem_virt2memseg(mz->addr);
	assert_int_equal(mz->socket_id, ms->socket_id);
	assert_int_equal(mz->flags, 0);
	memset(mz->addr, 0x5a, mz->len);
	assert_ptr_equal(dp_memzone_lookup("mz_a"), mz);
	assert_int_equal(dp_malloc_get_stats(socket, &after), 0);
	assert_int_equal(after.alloc_count, before.alloc_count + 1);

	/* Duplicate name. */
	test_log_capture();
	dp_errno = 0;
	mz2 = dp_memzone_reserve("mz_a", 64, DP_SOCKET_ID_ANY, 0);
	test_log_release();
	assert_null(mz2);
	assert_int_equal(dp_errno, EEXIST);
	assert_logged("dp_memzone_reserve(mz_a): a memzone of that name already "
		"exists (1000 bytes on socket");

	/* dp_free() refuses a zone's memory. */
	test_log_capture();
	dp_free(mz->addr);
	test_log_release();
	assert_logged("this is a memzone's memory; release it with "
		"dp_memzone_free()");
	assert_ptr_equal(dp_memzone_lookup("mz_a"), mz);
	assert_int_equal(((unsigned char *)mz->addr)[999], 0x5a);

	/* Lookup miss. */
	dp_errno = 0;
	assert_null(dp_memzone_lookup("nope"));
	assert_int_equal(dp_errno, ENOENT);
	dp_errno = 0;
	assert_null(dp_memzone_lookup(NULL));
	assert_int_equal(dp_errno, EINVAL);

	assert_int_equal(dp_memzone_free(mz), 0);
	assert_null(dp_memzone_lookup("mz_a"));
	assert_int_equal(dp_malloc_get_stats(socket, &after), 0);
	assert_memory_equal(&after, &before, sizeof(after));

	test_log_capture();
	assert_int_equal(dp_memzone_free(mz), -EINVAL);
	assert_int_equal(dp_memzone_free(NULL), -EINVAL);
	assert_int_equal(dp_memzone_free((const void *)&before), -EINVAL);
	test_log_release();
	assert_logged("not a reserved memzone");
	assert_int_equal(test_log_buf.lines, 3);
	assert_int_equal(dp_malloc_get_stats(socket, &after), 0);
	assert_memory_equal(&after, &before, sizeof(after));

	/* The name is free again. */
	mz = dp_memzone_reserve("mz_a", 10, socket, 0);
	assert_non_null(mz);
	assert_int_equal(mz->socket_id, socket);
	assert_int_equal(dp_memzone_free(mz), 0);
	assert_int_equal(dp_eal_cleanup(), 0);
}

static void
test_memzone_alignment(void **state)
{
	const struct dp_memzone *mz[16];
	unsigned int i;
	char name[32];
	size_t align;

	(void)state;
	mem_init_ok((const char *[]){ "--no-huge", "-m", "64", NULL });
	/* 64 bytes to 2 MB. */
	for (i = 0; i < 16; i++) {
		align = 1ull << (i + 6);
		snprintf(name, sizeof(name), "align%u", i);
		/* An odd length, so the next zone starts unaligned. */
		mz[i] = dp_memzone_reserve_aligned(name, 100 + 17 * i,
			DP_SOCKET_ID_ANY, 0, (unsigned int)align);
		if (mz[i] == NULL)
			fail_msg("align %zu: %s", align, dp_strerror(dp_errno));
		assert_true(DP_IS_ALIGNED(mz[i]->addr, align));
		assert_true(DP_IS_ALIGNED(mz[i]->iova, align));
	}
	/* Alignment 0 means one cache line. */
	assert_true(DP_IS_ALIGNED(dp_memzone_reserve_aligned("alignzero", 1,
		DP_SOCKET_ID_ANY, 0, 0)->addr, DP_CACHE_LINE_SIZE));
	for (i = 0; i < 16; i++)
		assert_int_equal(dp_memzone_free(mz[i]), 0);
	assert_int_equal(dp_memzone_free(dp_memzone_lookup("alignzero")), 0);
	assert_int_equal(dp_eal_cleanup(), 0);
}

struct bad_zone {
	const char *name;
	size_t len;
	int socket;
	unsigned int flags;
	unsigned int align;
	int err;
	const char *msg;
};

static void
test_memzone_bad_args(void **state)
{
	static const char long_name[] = "0123456789abcdef0123456789abcdef";
	const struct bad_zone cases[] = {
		{ NULL, 64, DP_SOCKET_ID_ANY, 0, 64, EINVAL,
		  "name '(null)' must have 1 to 31 characters" },
		{ "", 64, DP_SOCKET_ID_ANY, 0, 64, EINVAL,
		  "name '' must have 1 to 31 characters" },
		{ long_name, 64, DP_SOCKET_ID_ANY, 0, 64, EINVAL,
		  "must have 1 to 31 characters" },
		{ "zlen", 0, DP_SOCKET_ID_ANY, 0, 64, EINVAL,
		  "dp_memzone_reserve(zlen): length 0" },
		{ "zalign", 64, DP_SOCKET_ID_ANY, 0, 3, EINVAL,
		  "dp_memzone_reserve(zalign): alignment 3 is not a power of two" },
		{ "zflags", 64, DP_SOCKET_ID_ANY, 0x1, 64, EINVAL,
		  "dp_memzone_reserve(zflags): unknown flags 0x1" },
		{ "zsock", 64, 99, 0, 64, EINVAL,
		  "dp_memzone_reserve(zsock): socket 99 is not a NUMA node id" },
		{ "zsock2", 64, -5, 0, 64, EINVAL,
		  "socket -5 is not a NUMA node id" },
		{ "zbig", 1ull << 30, DP_SOCKET_ID_ANY, 0, 64, ENOMEM,
		  "dp_memzone_reserve(zbig): no room for 1073741824 bytes" },
		{ "zhuge", SIZE_MAX, DP_SOCKET_ID_ANY, 0, 64, ENOMEM,
		  "dp_memzone_reserve(zhuge): no room" },
		{ "zbigc", 40 * MB, DP_SOCKET_ID_ANY, DP_MEMZONE_IOVA_CONTIG, 64,
		  ENOMEM, "no room for 41943040 bytes IOVA-contiguous" },
	};
	struct dp_malloc_socket_stats before, after;
	const struct dp_memzone *mz;
	size_t i;

	(void)state;
	/* Before init: no memory at all. */
	test_log_capture();
	dp_errno = 0;
	assert_null(dp_memzone_reserve("early", 64, DP_SOCKET_ID_ANY, 0));
	test_log_release();
	assert_int_equal(dp_errno, ENODEV);
	assert_logged("EAL memory is not set up (call dp_eal_init() first)");

	heap_start("32");
	before = heap_initial;
	for (i = 0; i < DP_DIM(cases); i++) {
		const struct bad_zone *c = &cases[i];

		test_log_capture();
		dp_errno = 0;
		mz = dp_memzone_reserve_aligned(c->name, c->len, c->socket,
			c->flags, c->align);
		test_log_release();
		if (mz != NULL)
			fail_msg("case %zu (%s): reserved", i, c->name);
		if (dp_errno != c->err)
			fail_msg("case %zu (%s): errno %d, expected %d", i,
				c->name, dp_errno, c->err);
		assert_logged(c->msg);
		assert_int_equal(test_log_buf.lines, 1);
	}
	assert_int_equal(dp_malloc_get_stats(heap_socket, &after), 0);
	assert_memory_equal(&after, &before, sizeof(after));
	assert_int_equal(dp_eal_cleanup(), 0);
}

static void
test_memzone_socket_fallback(void **state)
{
	const struct dp_memzone *mz;
	int real, absent = -1, s;

	(void)state;
	mem_init_ok((const char *[]){ "--no-huge", "-m", "16", NULL });
	real = dp_mem_virt2memseg(dp_memzone_reserve("where", 1,
		DP_SOCKET_ID_ANY, 0)->addr)->socket_id;
	for (s = 0; s < DP_MAX_NUMA_NODES; s++)
		if (s != real) {
			absent = s;
			break;
		}
	if (absent < 0)
		skip();
	test_log_capture();
	mz = dp_memzone_reserve("elsewhere", 4096, absent, 0);
	test_log_release();
	assert_non_null(mz);
	assert_int_equal(mz->socket_id, real);
	assert_logged("has no EAL memory (it is on socket");
	assert_logged("reserve memory there with --socket-mem");
	assert_int_equal(dp_eal_cleanup(), 0);
}

static void
test_memzone_iova_contig(void **state)
{
	const struct dp_memzone *mz;
	size_t off;

	(void)state;
	mem_init_ok((const char *[]){ "--no-huge", "-m", "16", NULL });
	mz = dp_memzone_reserve_aligned("ring", 3 * MB, DP_SOCKET_ID_ANY,
		DP_MEMZONE_IOVA_CONTIG, 4096);
	assert_non_null(mz);
	assert_int_equal(mz->flags, DP_MEMZONE_IOVA_CONTIG);
	for (off = 0; off < mz->len; off += 4096)
		assert_int_equal(dp_mem_virt2iova((char *)mz->addr + off),
			mz->iova + off);
	assert_ptr_equal(dp_mem_virt2memseg(mz->addr),
		dp_mem_virt2memseg((char *)mz->addr + mz->len - 1));
	assert_int_equal(dp_memzone_free(mz), 0);
	assert_int_equal(dp_eal_cleanup(), 0);
}

struct zone_walk {
	unsigned int seen;
	unsigned int mask;
};

static void
zone_walk_cb(const struct dp_memzone *mz, void *arg)
{
	struct zone_walk *w = arg;

	w->seen++;
	if (strncmp(mz->name, "walk", 4) == 0)
		w->mask |= 1u << (mz->name[4] - '0');
}

static void
test_memzone_walk_dump_limit(void **state)
{
	struct zone_walk w = { 0 };
	const struct dp_memzone *mz;
	char name[32], *text;
	unsigned int i, n;

	(void)state;
	mem_init_ok((const char *[]){ "--no-huge", "-m", "32", NULL });
	for (i = 0; i < 3; i++) {
		snprintf(name, sizeof(name), "walk%u", i);
		assert_non_null(dp_memzone_reserve(name, 128 * (i + 1),
			DP_SOCKET_ID_ANY, i == 2 ? DP_MEMZONE_IOVA_CONTIG : 0));
	}
	dp_memzone_walk(zone_walk_cb, &w);
	assert_int_equal(w.seen, 3);
	assert_int_equal(w.mask, 7);
	dp_memzone_walk(NULL, NULL);	/* ignored */

	text = test_capture_output(dp_memzone_dump);
	assert_non_null(strstr(text, "memzones: 3\n"));
	assert_non_null(strstr(text, "walk0"));
	assert_non_null(strstr(text, "len 256"));
	assert_non_null(strstr(text, "walk2"));
	assert_non_null(strstr(text, "IOVA-contiguous"));
	free(text);

	/* Fill the table: the next one is ENOSPC, with a log line. */
	for (n = 3;; n++) {
		snprintf(name, sizeof(name), "fill%u", n);
		test_log_capture();
		dp_errno = 0;
		mz = dp_memzone_reserve(name, 1, DP_SOCKET_ID_ANY, 0);
		test_log_release();
		if (mz == NULL)
			break;
	}
	assert_int_equal(dp_errno, ENOSPC);
	assert_logged("memzones are in use: free some with dp_memzone_free()");
	assert_int_equal(n, 2560);
	for (i = 3; i < n; i++) {
		snprintf(name, sizeof(name), "fill%u", i);
		assert_int_equal(dp_memzone_free(dp_memzone_lookup(name)), 0);
	}
	assert_non_null(dp_memzone_reserve("after", 1, DP_SOCKET_ID_ANY, 0));
	assert_int_equal(dp_eal_cleanup(), 0);

	/* Cleanup forgets every zone. */
	mem_init_ok((const char *[]){ "--no-huge", "-m", "8", NULL });
	assert_null(dp_memzone_lookup("walk0"));
	w.seen = 0;
	dp_memzone_walk(zone_walk_cb, &w);
	assert_int_equal(w.seen, 0);
	assert_int_equal(dp_eal_cleanup(), 0);
}

/* ---- heap ------------------------------------------------------------------- */

static void
test_malloc_basic(void **state)
{
	struct dp_malloc_socket_stats st;
	unsigned char *p, *z, *c;
	size_t i;

	(void)state;
	heap_start("16");
	p = dp_malloc("test", 100, 0);
	assert_non_null(p);
	assert_true(DP_IS_ALIGNED(p, DP_CACHE_LINE_SIZE));
	assert_int_equal(dp_malloc_virt2iova(p), dp_mem_virt2iova(p));
	assert_int_not_equal(dp_malloc_virt2iova(p), DP_BAD_IOVA);
	memset(p, 0xaa, 4096 > 100 ? 100 : 4096);
	assert_int_equal(dp_malloc_get_stats(heap_socket, &st), 0);
	assert_int_equal(st.alloc_count, 1);
	assert_true(st.heap_allocsz_bytes >= 100);
	assert_int_equal(st.heap_totalsz_bytes, heap_initial.heap_totalsz_bytes);
	dp_free(p);

	/* Dirty memory, then zmalloc/calloc over it: zeroes. */
	p = dp_malloc(NULL, 8192, 0);
	memset(p, 0xee, 8192);
	dp_free(p);
	z = dp_zmalloc(NULL, 8192, 0);
	assert_ptr_equal(z, p);	/* first fit reuses the block */
	for (i = 0; i < 8192; i++)
		assert_int_equal(z[i], 0);
	memset(z, 0xee, 8192);
	dp_free(z);
	c = dp_calloc(NULL, 64, 128, 0);
	assert_non_null(c);
	for (i = 0; i < 64 * 128; i++)
		assert_int_equal(c[i], 0);
	dp_free(c);
	c = dp_zmalloc_socket(NULL, 10, 0, heap_socket);
	assert_non_null(c);
	dp_free(c);
	c = dp_calloc_socket(NULL, 3, 7, 128, heap_socket);
	assert_non_null(c);
	assert_true(DP_IS_ALIGNED(c, 128));
	dp_free(c);
	dp_free(NULL);
	assert_heap_initial();
	assert_int_equal(dp_eal_cleanup(), 0);
}

static void
test_malloc_bad_args(void **state)
{
	void *p;

	(void)state;
	heap_start("8");
	test_log_capture();
	dp_errno = 0;
	assert_null(dp_malloc(NULL, 0, 0));
	assert_int_equal(dp_errno, EINVAL);
	assert_logged("dp_malloc: size 0 asked");

	dp_errno = 0;
	assert_null(dp_zmalloc(NULL, 64, 48));
	assert_int_equal(dp_errno, EINVAL);
	assert_logged("dp_zmalloc: alignment 48 is not a power of two");

	dp_errno = 0;
	assert_null(dp_calloc(NULL, SIZE_MAX / 2, 4, 0));
	assert_int_equal(dp_errno, EINVAL);
	assert_logged("dp_calloc: 9223372036854775807 elements of 4 bytes overflow");

	dp_errno = 0;
	assert_null(dp_malloc_socket(NULL, 64, 0, 99));
	assert_int_equal(dp_errno, EINVAL);
	assert_logged("dp_malloc_socket: socket 99 is not a NUMA node id");

	dp_errno = 0;
	assert_null(dp_malloc(NULL, 64 * MB, 0));
	assert_int_equal(dp_errno, ENOMEM);
	assert_logged("dp_malloc: no room for 67108864 bytes (alignment 64) on "
		"any socket");
	test_log_release();
	assert_int_equal(test_log_buf.lines, 5);

	assert_int_equal(dp_malloc_get_stats(heap_socket, NULL), -EINVAL);
	test_log_capture();
	assert_int_equal(dp_malloc_get_stats(99,
		&(struct dp_malloc_socket_stats){ 0 }), -EINVAL);
	test_log_release();
	assert_logged("dp_malloc_get_stats: socket 99 has no heap");

	/* The largest block that fits is reported and really fits. */
	p = dp_malloc(NULL, heap_initial.greatest_free_size, 0);
	assert_non_null(p);
	dp_free(p);
	assert_heap_initial();
	assert_int_equal(dp_eal_cleanup(), 0);

	test_log_capture();
	dp_errno = 0;
	assert_null(dp_malloc(NULL, 64, 0));
	test_log_release();
	assert_int_equal(dp_errno, ENODEV);
	assert_logged("dp_malloc: EAL memory is not set up");
}

static void
test_free_validation(void **state)
{
	struct dp_malloc_socket_stats st;
	char *p, *q, *libc;
	int on_stack;

	(void)state;
	heap_start("8");
	p = dp_malloc(NULL, 1000, 0);
	q = dp_malloc(NULL, 1000, 0);
	memset(q, 0x11, 1000);
	dp_free(p);
	assert_int_equal(dp_malloc_get_stats(heap_socket, &st), 0);

	test_log_capture();
	dp_free(p);
	test_log_release();
	assert_logged("dp_free(");
	assert_logged("already freed (double free); nothing was freed");

	libc = malloc(64);
	test_log_capture();
	dp_free(&on_stack);
	dp_free(libc);
	dp_free(q + 64);	/* inside a live block */
	dp_free(q + 1);
	test_log_release();
	free(libc);
	assert_int_equal(test_log_buf.lines, 4);
	assert_logged("not memory from dp_malloc (foreign pointer); nothing was "
		"freed");

	/* Nothing changed: same counters, q intact and still freeable. */
	{
		struct dp_malloc_socket_stats now;

		assert_int_equal(dp_malloc_get_stats(heap_socket, &now), 0);
		assert_memory_equal(&now, &st, sizeof(now));
	}
	for (int i = 0; i < 1000; i++)
		assert_int_equal((unsigned char)q[i], 0x11);
	test_log_capture();
	dp_free(q);
	test_log_release();
	assert_int_equal(test_log_buf.lines, 0);
	assert_heap_initial();

	/* A freed block merged into its neighbour still reads as freed. */
	test_log_capture();
	dp_free(q);
	test_log_release();
	assert_logged("double free");
	assert_heap_initial();
	assert_int_equal(dp_eal_cleanup(), 0);

	/* After cleanup every old pointer is foreign. */
	test_log_capture();
	dp_free(q);
	test_log_release();
	assert_logged("foreign pointer");
}

static void
fill(unsigned char *p, size_t n, unsigned int seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(seed * 31 + i * 7);
}

static bool
check(const unsigned char *p, size_t n, unsigned int seed)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != (unsigned char)(seed * 31 + i * 7))
			return false;
	return true;
}

static void
test_dp_realloc(void **state)
{
	unsigned char *p, *q, *r;
	char x;

	(void)state;
	heap_start("16");
	p = dp_realloc(NULL, 300, 0);	/* = dp_malloc */
	assert_non_null(p);
	fill(p, 300, 1);

	/* Grow in place (the rest of the heap is free behind it). */
	q = dp_realloc(p, 5000, 0);
	assert_ptr_equal(q, p);
	assert_true(check(q, 300, 1));
	fill(q, 5000, 2);

	/* Block the way, then grow: it moves and keeps the content. */
	r = dp_malloc(NULL, 64, 0);
	assert_non_null(r);
	p = dp_realloc(q, 20000, 0);
	assert_non_null(p);
	assert_ptr_not_equal(p, q);
	assert_true(check(p, 5000, 2));
	fill(p, 20000, 3);

	/* Shrink in place. */
	q = dp_realloc(p, 100, 0);
	assert_ptr_equal(q, p);
	assert_true(check(q, 100, 3));

	/* A stricter alignment moves the block. */
	p = dp_realloc(q, 100, 1 << 16);
	assert_non_null(p);
	assert_true(DP_IS_ALIGNED(p, 1 << 16));
	assert_true(check(p, 100, 3));

	/* Bad input leaves the block alone. */
	test_log_capture();
	dp_errno = 0;
	assert_null(dp_realloc(p, 0, 0));
	assert_int_equal(dp_errno, EINVAL);
	assert_logged("dp_realloc: size 0 asked");
	assert_null(dp_realloc(&x, 10, 0));
	assert_logged("dp_realloc(");
	assert_logged("not a live allocation from dp_malloc");
	assert_null(dp_realloc_socket(p, 10, 0, 99));
	assert_logged("dp_realloc_socket: socket 99 is not a NUMA node id");
	assert_null(dp_realloc(p, 64 * MB, 0));
	assert_logged("dp_realloc: no room");
	test_log_release();
	assert_true(check(p, 100, 3));

	/* A memzone's memory is not the caller's to resize: neither shrunk
	 * (its tail would go back to the heap) nor moved. */
	{
		const struct dp_memzone *mz = dp_memzone_reserve("realloc_mz",
			MB, DP_SOCKET_ID_ANY, 0);
		struct dp_malloc_socket_stats before, after;

		assert_non_null(mz);
		assert_int_equal(dp_malloc_get_stats(heap_socket, &before), 0);
		test_log_capture();
		dp_errno = 0;
		assert_null(dp_realloc(mz->addr, 64, 0));
		assert_int_equal(dp_errno, EINVAL);
		assert_logged("this is a memzone's memory; it cannot be resized");
		assert_null(dp_realloc(mz->addr, 2 * MB, 0));
		test_log_release();
		assert_int_equal(dp_malloc_get_stats(heap_socket, &after), 0);
		assert_memory_equal(&before, &after, sizeof(before));
		assert_int_equal(dp_memzone_free(mz), 0);
	}

	/* Same socket explicitly: stays. */
	q = dp_realloc_socket(p, 50, 0, heap_socket);
	assert_ptr_equal(q, p);
	dp_free(q);
	dp_free(r);
	assert_heap_initial();
	assert_int_equal(dp_eal_cleanup(), 0);
}

/* xorshift64*: a fixed sequence, so a failure can be replayed. */
static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ull;
}

struct slot {
	unsigned char *p;
	size_t size;
	size_t align;
	unsigned int seed;
};

static size_t
rnd_size(uint64_t *s)
{
	switch (rnd(s) % 4) {
	case 0: return 1 + rnd(s) % 64;
	case 1: return 1 + rnd(s) % 1024;
	case 2: return 1 + rnd(s) % 16384;
	default: return 1 + rnd(s) % 262144;
	}
}

/*
 * Random malloc/realloc/free with random alignments; returns how many
 * checks failed. *full counts the requests the heap had no room for.
 */
static unsigned int
stress(uint64_t seed, unsigned int ops, unsigned int nslots, unsigned int *full)
{
	struct slot *slots = calloc(nslots, sizeof(*slots));
	unsigned int i, bad = 0, gen = 0;
	uint64_t s = seed;

	for (i = 0; i < ops; i++) {
		struct slot *sl = &slots[rnd(&s) % nslots];
		size_t size = rnd_size(&s);
		size_t align = rnd(&s) % 3 ? 0 : 1ull << (rnd(&s) % 17);
		unsigned int op = rnd(&s) % 3;
		void *p;

		if (sl->p != NULL && !check(sl->p, sl->size, sl->seed))
			bad++;
		if (sl->p != NULL && op == 0) {
			dp_free(sl->p);
			sl->p = NULL;
			continue;
		}
		if (sl->p != NULL && op == 1) {
			p = dp_realloc(sl->p, size, (unsigned int)align);
			if (p == NULL) {
				(*full)++;	/* the old block stays */
				continue;
			}
			if (!check(p, DP_MIN(size, sl->size), sl->seed))
				bad++;
		} else {
			if (sl->p != NULL)
				dp_free(sl->p);
			sl->p = NULL;
			p = rnd(&s) % 2 ? dp_malloc(NULL, size, (unsigned int)align) :
				dp_zmalloc(NULL, size, (unsigned int)align);
			if (p == NULL) {
				(*full)++;
				continue;
			}
		}
		if (!DP_IS_ALIGNED(p, align ? align : 64) ||
		    dp_mem_virt2iova(p) == DP_BAD_IOVA ||
		    dp_mem_virt2iova((char *)p + size - 1) == DP_BAD_IOVA)
			bad++;
		sl->p = p;
		sl->size = size;
		sl->align = align;
		sl->seed = ++gen;
		fill(sl->p, size, sl->seed);
	}
	for (i = 0; i < nslots; i++)
		if (slots[i].p != NULL) {
			if (!check(slots[i].p, slots[i].size, slots[i].seed))
				bad++;
			dp_free(slots[i].p);
		}
	free(slots);
	return bad;
}

static void
print_heap_stats(FILE *f)
{
	dp_malloc_dump_stats(f, NULL);
}

static void
test_heap_stress(void **state)
{
	unsigned int full = 0;
	char *text;

	(void)state;

	/* Little memory, so the heap runs full and realloc/malloc fail too. */
	heap_start("6");
	test_log_capture();	/* "no room" lines are expected here */
	assert_int_equal(stress(0x1234567, 20000, 256, &full), 0);
	test_log_release();
	assert_true(full > 100);
	assert_logged("no room");
	assert_heap_initial();
	text = test_capture_output(print_heap_stats);
	assert_non_null(strstr(text, "0 allocated in 0 blocks"));
	free(text);
	assert_int_equal(dp_eal_cleanup(), 0);
}

static void *
stress_thread(void *arg)
{
	unsigned int full = 0;

	return (void *)(uintptr_t)stress((uintptr_t)arg, 5000, 64, &full);
}

static void
test_heap_threads(void **state)
{
	pthread_t t[2];
	void *ret;
	int i;

	(void)state;
	heap_start("64");
	for (i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&t[i], NULL, stress_thread,
			(void *)(uintptr_t)(0xabcdef + i)), 0);
	for (i = 0; i < 2; i++) {
		assert_int_equal(pthread_join(t[i], &ret), 0);
		assert_int_equal((uintptr_t)ret, 0);
	}
	assert_heap_initial();
	assert_int_equal(dp_eal_cleanup(), 0);
}

/* ---- memory events ------------------------------------------------------------ */

struct ev_rec {
	unsigned int alloc, free;
	struct dp_memseg seg;
};

static void
ev_cb(enum dp_mem_event ev, const struct dp_memseg *ms, void *arg)
{
	struct ev_rec *r = arg;

	if (ev == DP_MEM_EVENT_ALLOC)
		r->alloc++;
	else
		r->free++;
	r->seg = *ms;
}

static void
test_mem_events(void **state)
{
	struct ev_rec a = { 0 }, b = { 0 };
	struct walk_rec w = { 0 };

	(void)state;
	/* Registered before init: told about the memsegs init adds. */
	assert_int_equal(dp_mem_event_callback_register("vfio", ev_cb, &a), 0);
	mem_init_ok((const char *[]){ "--no-huge", "-m", "8", NULL });
	assert_int_equal(a.alloc, 1);
	assert_int_equal(a.free, 0);
	dp_memseg_walk(walk_cb, &w);
	assert_memory_equal(&a.seg, &w.last, sizeof(w.last));

	/* Registered after init: no replay; told at cleanup. */
	assert_int_equal(dp_mem_event_callback_register("vfio", ev_cb, &b), 0);
	assert_int_equal(b.alloc, 0);

	test_log_capture();
	assert_int_equal(dp_mem_event_callback_register("vfio", ev_cb, &a),
		-EEXIST);
	assert_int_equal(dp_mem_event_callback_register(NULL, ev_cb, &a),
		-EINVAL);
	assert_int_equal(dp_mem_event_callback_register("x", NULL, &a), -EINVAL);
	test_log_release();
	assert_logged("memory event callback 'vfio' is already registered");
	assert_logged("a callback and a name of 1 to 63 characters are needed");

	assert_int_equal(dp_eal_cleanup(), 0);
	assert_int_equal(a.free, 1);
	assert_int_equal(b.free, 1);
	assert_memory_equal(&b.seg, &w.last, sizeof(w.last));

	assert_int_equal(dp_mem_event_callback_unregister("vfio", &a), 0);
	assert_int_equal(dp_mem_event_callback_unregister("vfio", &a), -ENOENT);
	assert_int_equal(dp_mem_event_callback_unregister("vfio", &b), 0);
	assert_int_equal(dp_mem_event_callback_unregister(NULL, &b), -EINVAL);
	mem_init_ok((const char *[]){ "--no-huge", "-m", "8", NULL });
	assert_int_equal(dp_eal_cleanup(), 0);
	assert_int_equal(a.alloc, 1);
	assert_int_equal(b.alloc + b.free, 1);
}

/* ---- init, cleanup, failures ----------------------------------------------- */

static void
test_init_cleanup_init(void **state)
{
	unsigned int fds = test_count_fds(NULL);
	const struct dp_memzone *mz;
	void *p;

	(void)state;
	for (int round = 0; round < 3; round++) {
		mem_init_ok((const char *[]){ "--no-huge", "-m", "16", NULL });
		assert_int_equal(dp_mem_total(), 16 * MB);
		mz = dp_memzone_reserve("persist", 4096, DP_SOCKET_ID_ANY, 0);
		assert_non_null(mz);
		p = dp_malloc(NULL, 100, 0);
		assert_non_null(p);
		assert_int_equal(dp_eal_cleanup(), 0);
		assert_false(is_mapped(p));
		assert_int_equal(test_count_fds(NULL), fds);
	}
}

static void
test_failed_init_undoes(void **state)
{
	unsigned int fds = test_count_fds(NULL);
	char buf[16] = "";
	int fd;

	(void)state;
	/* Only meaningful when the kernel refuses obvious overcommit. */
	fd = open("/proc/sys/vm/overcommit_memory", O_RDONLY);
	if (fd >= 0) {
		if (read(fd, buf, sizeof(buf) - 1) < 0)
			buf[0] = '\0';
		close(fd);
	}
	if (buf[0] == '1') {
		fprintf(stderr, "  overcommit_memory=1: the kernel grants any "
			"size, nothing to test\n");
		skip();
	}
	mem_init_expect((const char *[]){ "--no-huge", "-m", "4096G", NULL },
		-ENOMEM);
	assert_logged("--no-huge: cannot map 4096 GB of ordinary memory");
	assert_logged("ask for less with -m");
	assert_logged("initialization failed at stage 'memory'");
	assert_false(dp_eal_is_initialized());
	assert_int_equal(dp_mem_total(), 0);
	assert_int_equal(test_count_fds(NULL), fds);
	mem_init_ok((const char *[]){ "--no-huge", "-m", "8", NULL });
	assert_int_equal(dp_eal_cleanup(), 0);
}

/* Hugepage options that fail before anything is reserved (no root needed). */
static void
test_hugepage_bad_input(void **state)
{
	struct eal_hugepage_info hi;
	char node_mem[96];
	unsigned int fds = test_count_fds(NULL), n;
	int last_node = -1;

	(void)state;
	mem_init_expect((const char *[]){ "--huge-dir", "/nonexistent/dpkit",
		NULL }, -EINVAL);
	assert_logged("--huge-dir /nonexistent/dpkit: No such file or directory "
		"(give the directory where hugetlbfs is mounted");
	assert_logged("initialization failed at stage 'memory'");

	mem_init_expect((const char *[]){ "--huge-dir", "/proc", NULL }, -EINVAL);
	assert_logged("--huge-dir /proc is not on a hugetlbfs mount: mount one "
		"with 'mount -t hugetlbfs -o pagesize=2M nodev /proc'");

	if (eal_hugepage_info_read(&hi, NULL) != 0) {
		mem_init_expect((const char *[]){ "-m", "64", NULL }, -ENOTSUP);
		assert_logged("this kernel offers no hugepages");
		assert_logged("run with --no-huge");
		return;
	}
	/* More than any machine has free: the fix is spelled out. */
	mem_init_expect((const char *[]){ "-m", "100000G", "--in-memory", NULL },
		-ENOMEM);
	assert_logged("free");
	assert_logged("hugepages");
	assert_logged("/nr_hugepages' (as root) or usertools/dpkit-hugepages.py "
		"--setup ");
	assert_logged(", ask for less with -m, or run without hugepages with "
		"--no-huge");

	/* --socket-mem for a node this machine does not have. */
	for (n = 0; n < DP_MAX_NUMA_NODES; n++)
		if (!(hi.nodes & (1ull << n)))
			last_node = (int)n;
	if (last_node >= 0) {
		size_t off = 0;

		for (n = 0; n < (unsigned int)last_node; n++)
			off += snprintf(node_mem + off, sizeof(node_mem) - off,
				"0,");
		snprintf(node_mem + off, sizeof(node_mem) - off, "64");
		mem_init_expect((const char *[]){ "--socket-mem", node_mem,
			"--in-memory", NULL }, -EINVAL);
		snprintf(node_mem, sizeof(node_mem), "--socket-mem: NUMA node %d "
			"does not exist on this machine", last_node);
		assert_logged(node_mem);
	}
	assert_int_equal(test_count_fds(NULL), fds);
	assert_int_equal(dp_mem_total(), 0);
}

/* ---- hugepage discovery on a fake sysfs tree -------------------------------- */

static void
write_file(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void
make_dirs(const char *path)
{
	char tmp[512], *p;

	snprintf(tmp, sizeof(tmp), "%s", path);
	for (p = tmp + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(tmp, 0755);
			*p = '/';
		}
	mkdir(tmp, 0755);
}

static void
test_hugepage_info_parse(void **state)
{
	char root[] = "/tmp/dpkit-memory-fake.XXXXXX", d[256], sys[64];
	char mounts[64], meminfo[64], cmd[128];
	struct eal_hugepage_paths paths;
	struct eal_hugepage_info hi;
	struct eal_hugepage_size *hs;
	uint64_t v;

	(void)state;
	assert_non_null(mkdtemp(root));
	snprintf(sys, sizeof(sys), "%s/sys", root);
	snprintf(d, sizeof(d), "%s/kernel/mm/hugepages/hugepages-2048kB", sys);
	make_dirs(d);
	write_file(d, "nr_hugepages", "512\n");
	write_file(d, "free_hugepages", "300\n");
	write_file(d, "resv_hugepages", "20\n");
	snprintf(d, sizeof(d), "%s/kernel/mm/hugepages/hugepages-1048576kB", sys);
	make_dirs(d);
	write_file(d, "nr_hugepages", "2\n");
	write_file(d, "free_hugepages", "1\n");
	write_file(d, "resv_hugepages", "0\n");
	snprintf(d, sizeof(d), "%s/kernel/mm/hugepages/not-a-size", sys);
	make_dirs(d);
	snprintf(d, sizeof(d), "%s/devices/system/node/node0/hugepages/"
		"hugepages-2048kB", sys);
	make_dirs(d);
	write_file(d, "nr_hugepages", "256\n");
	write_file(d, "free_hugepages", "100\n");
	snprintf(d, sizeof(d), "%s/devices/system/node/node3/hugepages/"
		"hugepages-2048kB", sys);
	make_dirs(d);
	write_file(d, "nr_hugepages", "256\n");
	write_file(d, "free_hugepages", "200\n");
	snprintf(d, sizeof(d), "%s/devices/system/node/possible", sys);
	make_dirs(d);

	snprintf(mounts, sizeof(mounts), "%s/mounts", root);
	write_file(root, "mounts",
		"proc /proc proc rw 0 0\n"
		"nodev /mnt/huge\\040one hugetlbfs rw,relatime,pagesize=1G 0 0\n"
		"nodev /dev/hugepages hugetlbfs rw,relatime 0 0\n"
		"nodev /mnt/second hugetlbfs rw,pagesize=2048k 0 0\n"
		"nodev /mnt/odd hugetlbfs rw,pagesize=64K 0 0\n");
	snprintf(meminfo, sizeof(meminfo), "%s/meminfo", root);
	write_file(root, "meminfo", "MemTotal: 1000 kB\nHugepagesize:    2048 kB\n");

	paths = (struct eal_hugepage_paths){ sys, mounts, meminfo };
	assert_int_equal(eal_hugepage_info_read(&hi, &paths), 0);
	assert_int_equal(hi.nb_sizes, 2);
	assert_int_equal(hi.default_size, 2 * MB);
	assert_int_equal(hi.nodes, (1u << 0) | (1u << 3));
	assert_true(hi.per_node);
	hs = &hi.sizes[0];
	assert_int_equal(hs->size, 2 * MB);
	assert_int_equal(hs->nr, 512);
	assert_int_equal(hs->free, 300);
	assert_int_equal(hs->resv, 20);
	assert_int_equal(eal_hugepage_available(hs), 280);
	assert_int_equal(hs->node_free[0], 100);
	assert_int_equal(hs->node_free[3], 200);
	assert_int_equal(hs->node_nr[3], 256);
	assert_string_equal(hs->mount, "/dev/hugepages");	/* first one */
	hs = eal_hugepage_find(&hi, 1ull << 30);
	assert_non_null(hs);
	assert_string_equal(hs->mount, "/mnt/huge one");
	assert_int_equal(hs->free, 1);
	assert_int_equal(hs->node_free[0], 0);
	assert_null(eal_hugepage_find(&hi, 64 << 10));

	/* Nothing there at all. */
	paths.sys = "/nonexistent";
	assert_int_equal(eal_hugepage_info_read(&hi, &paths), -ENOENT);
	assert_int_equal(hi.nodes, 1);

	assert_int_equal(eal_parse_size("2M", 1, &v), 0);
	assert_int_equal(v, 2 * MB);
	assert_int_equal(eal_parse_size("2048kB", 1, &v), 0);
	assert_int_equal(v, 2 * MB);
	assert_int_equal(eal_parse_size("1G", 1, &v), 0);
	assert_int_equal(v, 1ull << 30);
	assert_int_equal(eal_parse_size("4096", 1, &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(eal_parse_size("64", MB, &v), 0);
	assert_int_equal(v, 64 * MB);
	assert_int_equal(eal_parse_size("x", 1, &v), -EINVAL);
	assert_int_equal(eal_parse_size("2Q", 1, &v), -EINVAL);
	assert_int_equal(eal_parse_size("2B", MB, &v), -EINVAL);

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	assert_int_equal(system(cmd), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_layout_no_huge, test_teardown),
		cmocka_unit_test_teardown(test_default_size_no_huge, test_teardown),
		cmocka_unit_test_teardown(test_iova_mode_selection, test_teardown),
		cmocka_unit_test_teardown(test_pa_needs_pagemap, test_teardown),
		cmocka_unit_test_teardown(test_memzone_basic, test_teardown),
		cmocka_unit_test_teardown(test_memzone_alignment, test_teardown),
		cmocka_unit_test_teardown(test_memzone_bad_args, test_teardown),
		cmocka_unit_test_teardown(test_memzone_socket_fallback, test_teardown),
		cmocka_unit_test_teardown(test_memzone_iova_contig, test_teardown),
		cmocka_unit_test_teardown(test_memzone_walk_dump_limit, test_teardown),
		cmocka_unit_test_teardown(test_malloc_basic, test_teardown),
		cmocka_unit_test_teardown(test_malloc_bad_args, test_teardown),
		cmocka_unit_test_teardown(test_free_validation, test_teardown),
		cmocka_unit_test_teardown(test_dp_realloc, test_teardown),
		cmocka_unit_test_teardown(test_heap_stress, test_teardown),
		cmocka_unit_test_teardown(test_heap_threads, test_teardown),
		cmocka_unit_test_teardown(test_mem_events, test_teardown),
		cmocka_unit_test_teardown(test_init_cleanup_init, test_teardown),
		cmocka_unit_test_teardown(test_failed_init_undoes, test_teardown),
		cmocka_unit_test_teardown(test_hugepage_bad_input, test_teardown),
		cmocka_unit_test(test_hugepage_info_parse),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
