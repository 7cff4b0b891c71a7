/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The "memory" stage of dp_eal_init() and its undo.
 *
 * One VA area is reserved (PROT_NONE) and every page is mapped into it
 * with MAP_FIXED, so the memory is one VA-contiguous range and the page
 * of an address is (addr - base) >> page_shift.
 *
 * Hugepages: each page is its own hugetlbfs file <prefix>map_<n> (held
 * with flock LOCK_SH while in use) or, with --in-memory, its own memfd.
 * The page is allocated with fallocate() before it is mapped: an empty
 * pool then gives ENOSPC instead of a SIGBUS on first touch, and the
 * thread's NUMA policy at that moment decides the node it comes from.
 * In PA mode the pages are then sorted by (socket, physical address) and
 * remapped so that physically adjacent pages become adjacent in VA and
 * merge into one memseg.
 *
 * --no-huge: one anonymous mapping of 4 KB pages, IOVA = VA.
 *
 * Any failure undoes everything done so far (eal_memory_fini() copes with
 * a partial state): no mapping, fd or file is left behind.
 */

#include <dirent.h>
#include <fcntl.h>
#include <numaif.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "eal_memory_private.h"

#define EAL_DEFAULT_MEMORY	(256ull << 20)
#define EAL_NO_HUGE_ALIGN	(2ull << 20)	/* lets THP back --no-huge memory */

#ifndef HUGETLBFS_MAGIC
#define HUGETLBFS_MAGIC		0x958458f6
#endif
#ifndef MFD_HUGE_SHIFT
#define MFD_HUGE_SHIFT		26	/* memfd_create: log2(page size) << 26 */
#endif

/* Tests: act as if the pool ran dry after this many pages (0: never). */
unsigned int eal_mem_test_dry_after;

/* Node masks handed to the NUMA system calls. */
#define EAL_NUMA_MASK_BITS	1024
#define EAL_NUMA_MASK_LONGS	(EAL_NUMA_MASK_BITS / (8 * sizeof(unsigned long)))

/* What the hugepage path is going to do, decided before touching anything. */
struct mem_plan {
	struct eal_hugepage_info hi;
	struct eal_hugepage_size *hs;	/* the page size chosen */
	uint64_t page_sz;
	unsigned int want[DP_MAX_NUMA_NODES];	/* --socket-mem pages per node */
	unsigned int want_any;		/* -m / default: pages on any node */
	unsigned int total;
	unsigned int mount_room;	/* pages the mount's size= allows, or UINT_MAX */
	int dir_fd;			/* hugetlbfs directory (locked), or -1 */
	int next_file_no;		/* next n of <prefix>map_<n> to try */
	unsigned int skipped_files;	/* names in use by a live process */
	unsigned int misplaced[DP_MAX_NUMA_NODES];	/* pages found elsewhere */
};

/* The calling thread's memory policy, saved around node-bound allocation. */
struct numa_saved {
	bool ok;		/* false: no NUMA support, nothing to restore */
	int mode;
	unsigned long mask[EAL_NUMA_MASK_LONGS];
};

/* ---- NUMA policy --------------------------------------------------------- */

static void
numa_save(struct numa_saved *s)
{
	memset(s, 0, sizeof(*s));
	s->ok = get_mempolicy(&s->mode, s->mask, EAL_NUMA_MASK_BITS, NULL, 0) == 0;
}

static void
numa_restore(const struct numa_saved *s)
{
	if (s->ok)
		set_mempolicy(s->mode, s->mask, EAL_NUMA_MASK_BITS + 1);
}

static void
numa_mask_of(int node, unsigned long *mask)
{
	memset(mask, 0, sizeof(unsigned long) * EAL_NUMA_MASK_LONGS);
	mask[node / (8 * sizeof(unsigned long))] |=
		1ul << (node % (8 * sizeof(unsigned long)));
}

/* Bind the calling thread's allocations to @p node. */
static bool
numa_bind_thread(int node)
{
	unsigned long mask[EAL_NUMA_MASK_LONGS];

	numa_mask_of(node, mask);
	return set_mempolicy(MPOL_BIND, mask, EAL_NUMA_MASK_BITS + 1) == 0;
}

/* Node of a present page (0 on a kernel without NUMA). */
static int
page_node(const void *addr)
{
	int node = 0;

	if (get_mempolicy(&node, NULL, 0, (void *)(uintptr_t)addr,
			MPOL_F_NODE | MPOL_F_ADDR) != 0)
		return 0;
	return node;
}

/* ---- the VA area ---------------------------------------------------------- */

static int
reserve_area(size_t len, size_t align)
{
	uintptr_t a, p;
	size_t head, tail;
	void *m;

	m = mmap(NULL, len + align, PROT_NONE,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (m == MAP_FAILED) {
		int err = errno;
		char sz[32];

		eal_format_size(len, sz, sizeof(sz));
		DP_LOG(ERR, eal, "cannot reserve %s of address space: %s "
			"(ask for less memory with -m)", sz, dp_strerror(err));
		return -err;
	}
	p = (uintptr_t)m;
	a = DP_ALIGN_CEIL(p, (uintptr_t)align);
	head = a - p;
	tail = align - head;
	if (head)
		munmap(m, head);
	if (tail)
		munmap((void *)(a + len), tail);
	eal_mem.base = (void *)a;
	eal_mem.len = len;
	return 0;
}

/* ---- --no-huge --------------------------------------------------------------- */

static int
map_anonymous(int *socket)
{
	uint64_t len = eal_cfg.memory ? eal_cfg.memory : EAL_DEFAULT_MEMORY;
	unsigned long mask[EAL_NUMA_MASK_LONGS];
	char sz[32];
	int rc, node;

	len = DP_ALIGN_CEIL(len, (uint64_t)sysconf(_SC_PAGESIZE));
	eal_format_size(len, sz, sizeof(sz));
	if (len > SIZE_MAX / 2) {
		DP_LOG(ERR, eal, "-m %s: more memory than this machine can "
			"address (ask for less)", sz);
		return -ENOMEM;
	}
	rc = reserve_area(len, EAL_NO_HUGE_ALIGN);
	if (rc < 0)
		return rc;
	if (mmap(eal_mem.base, len, PROT_READ | PROT_WRITE,
			MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED) {
		rc = -errno;
		DP_LOG(ERR, eal, "--no-huge: cannot map %s of ordinary memory: "
			"%s (ask for less with -m)", sz, dp_strerror(rc));
		return rc;
	}
	/* Pages are touched later: prefer the main lcore's node for them. */
	node = dp_lcore_to_socket_id(eal_cfg.main_lcore);
	if (node < 0)
		node = 0;
	numa_mask_of(node, mask);
	if (mbind(eal_mem.base, len, MPOL_PREFERRED, mask,
			EAL_NUMA_MASK_BITS + 1, 0) != 0)
		node = 0;	/* no NUMA in this kernel */
	*socket = node;
	eal_mem.no_huge = true;
	eal_mem.page_sz = (uint64_t)sysconf(_SC_PAGESIZE);
	eal_mem.page_shift = dp_log2_u64(eal_mem.page_sz);
	snprintf(eal_mem.source, sizeof(eal_mem.source),
		"anonymous memory (--no-huge)");
	if (eal_cfg.memory == 0)
		DP_LOG(INFO, eal, "memory: %s of ordinary 4 KB pages (--no-huge "
			"default; -m changes it)", sz);
	return 0;
}

/* ---- hugepages: the plan --------------------------------------------------- */

/*
 * The fix for @p missing more pages on @p node (-1: any): the echo into
 * nr_hugepages and the dpkit-hugepages call that raise the pool by that
 * much (both only raise it: pages other processes hold stay theirs).
 */
static void
format_fix(const struct mem_plan *p, int node, unsigned int missing,
	char *buf, size_t len)
{
	char kb[32], size[32], path[160], tool[96];
	uint64_t pool_bytes;
	unsigned int nr;

	eal_format_kb(p->page_sz, kb, sizeof(kb));
	if (node >= 0 && p->hi.per_node) {
		snprintf(path, sizeof(path), "/sys/devices/system/node/node%d/"
			"hugepages/hugepages-%s/nr_hugepages", node, kb);
		nr = p->hs->node_nr[node] + missing;
	} else {
		snprintf(path, sizeof(path), "/sys/kernel/mm/hugepages/"
			"hugepages-%s/nr_hugepages", kb);
		nr = p->hs->nr + missing;
	}
	pool_bytes = (uint64_t)nr * p->page_sz;
	if (pool_bytes % (1ull << 30) == 0)
		snprintf(size, sizeof(size), "%" PRIu64 "G", pool_bytes >> 30);
	else
		snprintf(size, sizeof(size), "%" PRIu64 "M", pool_bytes >> 20);
	if (node >= 0 && p->hi.per_node)
		snprintf(tool, sizeof(tool), "--reserve %s --node %d", size, node);
	else
		snprintf(tool, sizeof(tool), "--setup %s", size);
	snprintf(buf, len, "reserve more with 'echo %u > %s' (as root) or "
		"usertools/dpkit-hugepages.py %s%s, ask for less with -m, or run "
		"without hugepages with --no-huge", nr, path, tool,
		p->page_sz == p->hi.default_size ? "" :
		p->page_sz == (1ull << 30) ? " --pagesize 1G" : " --pagesize 2M");
}

/* Page size and directory from --huge-dir: any directory on hugetlbfs. */
static int
plan_from_huge_dir(struct mem_plan *p)
{
	const char *dir = eal_cfg.huge_dir;
	struct statfs sfs;
	char kb[32];

	if (statfs(dir, &sfs) != 0) {
		int err = errno;

		DP_LOG(ERR, eal, "--huge-dir %s: %s (give the directory where "
			"hugetlbfs is mounted, e.g. /dev/hugepages)", dir,
			dp_strerror(err));
		return -EINVAL;
	}
	if ((unsigned long)sfs.f_type != HUGETLBFS_MAGIC) {
		DP_LOG(ERR, eal, "--huge-dir %s is not on a hugetlbfs mount: "
			"mount one with 'mount -t hugetlbfs -o pagesize=2M nodev "
			"%s', or leave --huge-dir out", dir, dir);
		return -EINVAL;
	}
	p->page_sz = (uint64_t)sfs.f_bsize;
	p->hs = eal_hugepage_find(&p->hi, p->page_sz);
	if (p->hs == NULL) {
		eal_format_kb(p->page_sz, kb, sizeof(kb));
		DP_LOG(ERR, eal, "--huge-dir %s: the kernel reports no %s "
			"hugepage pool", dir, kb);
		return -EINVAL;
	}
	if (!eal_cfg.in_memory && access(dir, W_OK | X_OK) != 0) {
		DP_LOG(ERR, eal, "--huge-dir %s is not writable by this process: "
			"run as root, mount it with uid=/gid= of this user, or use "
			"--in-memory (no files)", dir);
		return -EACCES;
	}
	snprintf(eal_mem.dir, sizeof(eal_mem.dir), "%s", dir);
	return 0;
}

/* Bytes asked for with -m or --socket-mem; 0 means the default. */
static uint64_t
requested_bytes(void)
{
	uint64_t sum = 0;
	unsigned int n;

	if (!eal_cfg.socket_mem_given)
		return eal_cfg.memory;
	for (n = 0; n < DP_MAX_NUMA_NODES; n++)
		sum += eal_cfg.socket_mem[n];
	return sum;
}

/* Can @p hs hold the request (any free page will do for the default)? */
static bool
size_fits(const struct eal_hugepage_size *hs, uint64_t want)
{
	unsigned int avail = eal_hugepage_available(hs);

	return want ? (uint64_t)avail * hs->size >= want : avail > 0;
}

/*
 * Without --huge-dir, in this order: a size that has a mount (any size
 * with --in-memory) and can hold the request, the default size first;
 * else a size that can hold it but has no mount, taken from memfd; else
 * the default size, whose shortage the preflight then reports. Sizes
 * nobody asked for are never complained about.
 */
static int
plan_pick_size(struct mem_plan *p)
{
	struct eal_hugepage_size *cand[EAL_HUGEPAGE_SIZES_MAX], *hs = NULL;
	uint64_t want = requested_bytes();
	unsigned int i, n = 0;
	char kb[32];

	if (eal_cfg.huge_dir[0] != '\0')
		return plan_from_huge_dir(p);

	hs = eal_hugepage_find(&p->hi, p->hi.default_size);
	if (hs != NULL)
		cand[n++] = hs;
	for (i = 0; i < p->hi.nb_sizes; i++)
		if (&p->hi.sizes[i] != hs)
			cand[n++] = &p->hi.sizes[i];
	for (i = 0, hs = NULL; i < n && hs == NULL; i++)
		if ((eal_mem.in_memory || cand[i]->mount[0] != '\0') &&
		    size_fits(cand[i], want))
			hs = cand[i];
	for (i = 0; i < n && hs == NULL; i++)
		if (size_fits(cand[i], want))
			hs = cand[i];
	if (hs == NULL)
		hs = cand[0];
	if (!eal_mem.in_memory && hs->mount[0] == '\0') {
		eal_format_kb(hs->size, kb, sizeof(kb));
		DP_LOG(NOTICE, eal, "no hugetlbfs mount for %s pages: taking them "
			"from memfd (as --in-memory does), so no file is created; "
			"mount one (mount -t hugetlbfs -o pagesize=%" PRIu64 "K "
			"nodev /dev/hugepages) to get files instead", kb,
			hs->size >> 10);
		eal_mem.in_memory = true;
	}
	p->hs = hs;
	p->page_sz = hs->size;
	if (!eal_mem.in_memory)
		snprintf(eal_mem.dir, sizeof(eal_mem.dir), "%s", hs->mount);
	return 0;
}

static void
format_nodes(uint64_t nodes, char *buf, size_t len)
{
	size_t off = 0;
	unsigned int n;

	buf[0] = '\0';
	for (n = 0; n < 64 && off < len; n++)
		if (nodes & (1ull << n))
			off += snprintf(buf + off, len - off, "%s%u",
				off ? "," : "", n);
}

/* Pages a hugetlbfs mount's size= limit still allows (UINT_MAX: none). */
static unsigned int
mount_room(const char *dir)
{
	struct statfs sfs;

	if (statfs(dir, &sfs) != 0 || sfs.f_blocks == 0)
		return UINT_MAX;
	return sfs.f_bfree > UINT_MAX ? UINT_MAX : (unsigned int)sfs.f_bfree;
}

/* How many pages, on which nodes. */
static int
plan_count_pages(struct mem_plan *p)
{
	uint64_t sz = p->page_sz, pages;
	char nodes[128], total[32], kb[32];
	unsigned int n, avail;

	if (eal_cfg.socket_mem_given) {
		for (n = 0; n < DP_MAX_NUMA_NODES; n++) {
			if (eal_cfg.socket_mem[n] == 0)
				continue;
			if (!(p->hi.nodes & (1ull << n))) {
				format_nodes(p->hi.nodes, nodes, sizeof(nodes));
				DP_LOG(ERR, eal, "--socket-mem: NUMA node %u does "
					"not exist on this machine (nodes: %s); give "
					"one amount per existing node", n, nodes);
				return -EINVAL;
			}
			pages = DP_ALIGN_CEIL(eal_cfg.socket_mem[n], sz) / sz;
			if (pages > UINT32_MAX / 2)
				goto too_big;
			p->want[n] = (unsigned int)pages;
			p->total += p->want[n];
			if (p->total > UINT32_MAX / 2)
				goto too_big;
		}
		return 0;
	}
	if (eal_cfg.memory) {
		pages = DP_ALIGN_CEIL(eal_cfg.memory, sz) / sz;
		if (pages > UINT32_MAX / 2)
			goto too_big;
		p->want_any = p->total = (unsigned int)pages;
		return 0;
	}
	avail = DP_MIN(eal_hugepage_available(p->hs), p->mount_room);
	pages = DP_ALIGN_CEIL(EAL_DEFAULT_MEMORY, sz) / sz;
	if (avail > 0 && avail < pages)
		pages = avail;
	p->want_any = p->total = (unsigned int)pages;
	if (avail > 0) {
		eal_format_size(pages * sz, total, sizeof(total));
		eal_format_kb(sz, kb, sizeof(kb));
		DP_LOG(INFO, eal, "memory: %s in %" PRIu64 " pages of %s "
			"(default: 256 MB or what is free, whichever is smaller; "
			"-m or --socket-mem changes it)", total, pages, kb);
	}
	return 0;

too_big:
	DP_LOG(ERR, eal, "%s: more memory than this machine can map (ask for "
		"less)", eal_cfg.socket_mem_given ? "--socket-mem" : "-m");
	return -ENOMEM;
}

/*
 * Compare the request with the free pages before touching anything, and
 * say in one line what to do when they are short.
 */
static int
plan_preflight(struct mem_plan *p)
{
	unsigned int avail = eal_hugepage_available(p->hs), n;
	char kb[32], fix[512], total[32];

	eal_format_kb(p->page_sz, kb, sizeof(kb));
	eal_format_size((uint64_t)p->total * p->page_sz, total, sizeof(total));
	if (p->total > avail) {
		format_fix(p, -1, p->total - avail, fix, sizeof(fix));
		if (avail == 0 && p->hs->nr == 0)
			DP_LOG(ERR, eal, "no free %s hugepages (none are "
				"reserved): %s", kb, fix);
		else if (avail == 0)
			DP_LOG(ERR, eal, "no free %s hugepages (all %u reserved "
				"are in use): %s", kb, p->hs->nr, fix);
		else
			DP_LOG(ERR, eal, "not enough free %s hugepages: %s "
				"needs %u, %u are free: %s", kb, total, p->total,
				avail, fix);
		return -ENOMEM;
	}
	if (p->total > p->mount_room) {
		DP_LOG(ERR, eal, "the hugetlbfs mount %s has room for %u more %s "
			"pages (its size= limit), %u needed: remount it with a "
			"larger size=, use another --huge-dir, or --in-memory",
			eal_mem.dir, p->mount_room, kb, p->total);
		return -ENOMEM;
	}
	if (!eal_cfg.socket_mem_given || !p->hi.per_node)
		return 0;
	for (n = 0; n < DP_MAX_NUMA_NODES; n++) {
		if (p->want[n] <= p->hs->node_free[n])
			continue;
		format_fix(p, (int)n, p->want[n] - p->hs->node_free[n], fix,
			sizeof(fix));
		DP_LOG(WARNING, eal, "--socket-mem: node %u has %u free %s "
			"hugepages, %u asked; the rest will come from other nodes "
			"(slower for lcores on node %u): %s", n,
			p->hs->node_free[n], kb, p->want[n], n, fix);
	}
	return 0;
}

/* One fd per page: make sure the process may open that many. */
static int
ensure_fd_limit(unsigned int pages)
{
	rlim_t need = (rlim_t)pages + 256;	/* room for the application */
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY ||
	    rl.rlim_cur >= need)
		return 0;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < need) {
		DP_LOG(ERR, eal, "%u hugepages need %lu file descriptors but the "
			"limit is %lu: raise it (ulimit -n), or use 1 GB pages or "
			"less memory", pages, (unsigned long)need,
			(unsigned long)rl.rlim_max);
		return -EMFILE;
	}
	rl.rlim_cur = need;
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
		return -errno;
	DP_LOG(INFO, eal, "raised the open-file limit to %lu (one descriptor "
		"per hugepage)", (unsigned long)need);
	return 0;
}

/* ---- hugepages: files -------------------------------------------------------- */

/* Is @p name "<prefix>map_<digits>"? */
static bool
is_page_file(const char *name, const char *prefix)
{
	size_t plen = strlen(prefix);
	const char *d;

	if (strncmp(name, prefix, plen) != 0 || strncmp(name + plen, "map_", 4) != 0)
		return false;
	d = name + plen + 4;
	if (*d == '\0')
		return false;
	for (; *d; d++)
		if (*d < '0' || *d > '9')
			return false;
	return true;
}

/*
 * Remove files of our prefix that nobody holds a lock on: a process that
 * died left them (and the hugepages they hold). Files locked by a live
 * process are left alone. The caller holds the directory lock, so a file
 * another dpkit process is creating is never seen unlocked.
 */
static unsigned int
reclaim_stale_files(struct mem_plan *p)
{
	unsigned int in_use = 0, removed = 0;
	struct dirent *e;
	int fd, dfd;
	DIR *d;

	dfd = dup(p->dir_fd);
	if (dfd < 0 || (d = fdopendir(dfd)) == NULL) {
		if (dfd >= 0)
			close(dfd);
		return 0;
	}
	while ((e = readdir(d)) != NULL) {
		if (!is_page_file(e->d_name, eal_mem.prefix))
			continue;
		fd = openat(p->dir_fd, e->d_name, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
			if (unlinkat(p->dir_fd, e->d_name, 0) == 0) {
				removed++;
				DP_LOG(INFO, eal, "removed stale hugepage file "
					"%s/%s (the process that made it is gone)",
					eal_mem.dir, e->d_name);
			}
		} else if (errno == EWOULDBLOCK) {
			in_use++;
		}
		close(fd);
	}
	closedir(d);
	if (in_use)
		DP_LOG(NOTICE, eal, "%u hugepage files with prefix '%s' in %s "
			"belong to another running process; this one numbers its "
			"files after them (give each process its own "
			"--file-prefix to tell them apart)", in_use,
			eal_mem.prefix, eal_mem.dir);
	return removed;
}

static int
open_dir_locked(struct mem_plan *p)
{
	p->dir_fd = open(eal_mem.dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (p->dir_fd < 0) {
		int err = errno;

		DP_LOG(ERR, eal, "cannot open hugepage directory %s: %s",
			eal_mem.dir, dp_strerror(err));
		return -err;
	}
	/* Serializes stale-file reclaim with file creation by other processes. */
	if (flock(p->dir_fd, LOCK_EX) != 0) {
		int err = errno;

		DP_LOG(ERR, eal, "cannot lock hugepage directory %s: %s",
			eal_mem.dir, dp_strerror(err));
		return -err;
	}
	return 0;
}

/* A backing object for one page: a new, locked file, or a memfd. */
static int
page_create(struct mem_plan *p, struct eal_page *pg, unsigned int idx)
{
	char name[EAL_FILE_PREFIX_MAX + 32];
	int fd, err;

	if (eal_mem.in_memory) {
		snprintf(name, sizeof(name), "%smap_%u", eal_mem.prefix, idx);
		fd = memfd_create(name, MFD_CLOEXEC | MFD_HUGETLB |
			(eal_mem.page_shift << MFD_HUGE_SHIFT));
		if (fd < 0) {
			err = errno;
			DP_LOG(ERR, eal, "memfd_create(MFD_HUGETLB) for %" PRIu64
				"kB pages failed: %s (a kernel older than 4.14 "
				"cannot; leave --in-memory out)", p->page_sz >> 10,
				dp_strerror(err));
			return -err;
		}
		pg->fd = fd;
		pg->file_no = -1;
		return 0;
	}
	for (;;) {
		if (p->next_file_no == INT_MAX)
			return -ENFILE;
		snprintf(name, sizeof(name), "%smap_%d", eal_mem.prefix,
			p->next_file_no);
		fd = openat(p->dir_fd, name, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC,
			0600);
		if (fd >= 0)
			break;
		err = errno;
		if (err != EEXIST) {
			DP_LOG(ERR, eal, "cannot create hugepage file %s/%s: %s",
				eal_mem.dir, name, dp_strerror(err));
			return -err;
		}
		/* Locked by a live process (stale ones are gone by now). */
		p->next_file_no++;
		p->skipped_files++;
	}
	pg->fd = fd;
	pg->file_no = p->next_file_no++;
	if (flock(fd, LOCK_SH) != 0) {
		err = errno;
		DP_LOG(ERR, eal, "cannot lock hugepage file %s/%s: %s",
			eal_mem.dir, name, dp_strerror(err));
		return -err;
	}
	return 0;
}

/*
 * Give the page its memory now, bound to @p node (-1: any). ENOSPC means
 * the pool (or the mount's size limit) is exhausted.
 */
static int
page_allocate(const struct numa_saved *saved, struct eal_page *pg, int node)
{
	int rc, err;

	if (node >= 0 && saved->ok && !numa_bind_thread(node))
		node = -1;
	rc = fallocate(pg->fd, 0, 0, (off_t)eal_mem.page_sz);
	err = errno;
	if (node >= 0 && saved->ok) {
		numa_restore(saved);
		/* That node is dry: fall back to any node (warned later). */
		if (rc != 0 && err == ENOSPC) {
			rc = fallocate(pg->fd, 0, 0, (off_t)eal_mem.page_sz);
			err = errno;
		}
	}
	if (rc == 0)
		return 0;
	if (err == ENOSPC || err == ENOMEM)
		return -ENOSPC;
	if (err == EOPNOTSUPP)
		DP_LOG(ERR, eal, "fallocate() on hugetlbfs is not supported by "
			"this kernel (Linux 4.3 or later is needed)");
	else
		DP_LOG(ERR, eal, "cannot allocate a hugepage: %s",
			dp_strerror(err));
	return -err;
}

static int
page_map(const struct eal_page *pg, unsigned int slot)
{
	void *addr = (char *)eal_mem.base + (size_t)slot * eal_mem.page_sz;
	int err;

	if (mmap(addr, eal_mem.page_sz, PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_FIXED | MAP_POPULATE, pg->fd, 0) != MAP_FAILED)
		return 0;
	err = errno;
	DP_LOG(ERR, eal, "cannot map a hugepage at %p: %s", addr,
		dp_strerror(err));
	return -err;
}

/* The reservation came up short: say what was got and how to fix it. */
static void
log_short(struct mem_plan *p, unsigned int got)
{
	struct eal_hugepage_info now;
	struct eal_hugepage_size *hs;
	unsigned int avail = 0;
	char kb[32], fix[512];

	eal_format_kb(p->page_sz, kb, sizeof(kb));
	if (eal_hugepage_info_read(&now, NULL) == 0 &&
	    (hs = eal_hugepage_find(&now, p->page_sz)) != NULL)
		avail = eal_hugepage_available(hs);
	if (!eal_mem.in_memory && avail >= p->total - got) {
		DP_LOG(ERR, eal, "hugepages: got %u of the %u %s pages needed: "
			"the hugetlbfs mount %s refused more although %u are free "
			"(its size= limit?); remount it without a size limit, use "
			"another --huge-dir, or --in-memory", got, p->total, kb,
			eal_mem.dir, avail);
		return;
	}
	/* Without a pool shortage (a cgroup limit?) ask for the whole gap. */
	format_fix(p, -1, p->total - got > avail ? p->total - got - avail :
		p->total - got, fix, sizeof(fix));
	DP_LOG(ERR, eal, "hugepages: got %u of the %u %s pages needed, then the "
		"pool ran dry (%u free now; another process may have taken "
		"them): %s", got, p->total, kb, avail, fix);
}

/* Node the i-th page is meant for (-1: any). */
static int
planned_node(const struct mem_plan *p, unsigned int i)
{
	unsigned int n, acc = 0;

	for (n = 0; n < DP_MAX_NUMA_NODES; n++) {
		acc += p->want[n];
		if (i < acc)
			return (int)n;
	}
	return -1;
}

static int
take_pages(struct mem_plan *p)
{
	struct numa_saved saved;
	unsigned int i, n;
	char kb[32];
	int rc = 0, node;

	numa_save(&saved);
	for (i = 0; i < p->total; i++) {
		struct eal_page *pg = &eal_mem.pages[i];

		rc = page_create(p, pg, i);
		if (rc < 0)
			break;
		node = planned_node(p, i);
		if (eal_mem_test_dry_after && i >= eal_mem_test_dry_after)
			rc = -ENOSPC;
		else
			rc = page_allocate(&saved, pg, node);
		if (rc == -ENOSPC) {
			log_short(p, i);
			rc = -ENOMEM;
		}
		if (rc < 0)
			break;
		rc = page_map(pg, i);
		if (rc < 0)
			break;
		eal_mem.nb_pages++;
		pg->socket = page_node((char *)eal_mem.base +
			(size_t)i * eal_mem.page_sz);
		if (node >= 0 && pg->socket != node)
			p->misplaced[node]++;
	}
	numa_restore(&saved);
	if (rc < 0)
		return rc;
	eal_format_kb(p->page_sz, kb, sizeof(kb));
	for (n = 0; n < DP_MAX_NUMA_NODES; n++)
		if (p->misplaced[n])
			DP_LOG(WARNING, eal, "%u of the %u %s pages asked for "
				"node %u come from other nodes (node %u had too "
				"few free)", p->misplaced[n], p->want[n], kb, n, n);
	return 0;
}

/* ---- hugepages: IOVA and order --------------------------------------------- */

static int
cmp_page(const void *a, const void *b)
{
	const struct eal_page *x = a, *y = b;

	if (x->socket != y->socket)
		return x->socket < y->socket ? -1 : 1;
	return x->iova < y->iova ? -1 : x->iova > y->iova;
}

/* Physical address of every page, in slot order, into @p pa. */
static int
read_page_pas(int fd, uint64_t *pa)
{
	unsigned int i;
	int rc;

	for (i = 0; i < eal_mem.nb_pages; i++) {
		const char *va = (char *)eal_mem.base + (size_t)i * eal_mem.page_sz;

		rc = eal_pagemap_read(fd, va, &pa[i]);
		if (rc == -EPERM) {
			DP_LOG(ERR, eal, "IOVA mode PA: /proc/self/pagemap shows "
				"PFN 0 (no CAP_SYS_ADMIN): run as root or with "
				"CAP_SYS_ADMIN, or use vfio with an IOMMU "
				"(--iova-mode=va)");
			return rc;
		}
		if (rc < 0) {
			DP_LOG(ERR, eal, "cannot read the physical address of "
				"hugepage %u from /proc/self/pagemap: %s", i,
				dp_strerror(rc));
			return rc;
		}
	}
	return 0;
}

/*
 * Give each page its IOVA and put the pages in (socket, IOVA) order: in PA
 * mode physically adjacent pages end up adjacent in VA, so they merge
 * into one memseg and IOVA-contiguous zones larger than a page fit.
 * Each page keeps its own fd, so moving a page is one mmap(MAP_FIXED).
 */
static int
order_pages(void)
{
	bool pa_mode = eal_iova_mode == DP_IOVA_PA;
	unsigned int i, n = eal_mem.nb_pages;
	struct eal_page *sorted = NULL;
	uint64_t *pa = NULL;
	int fd = -1, rc = 0;

	sorted = malloc(sizeof(*sorted) * (n ? n : 1));
	pa = malloc(sizeof(*pa) * (n ? n : 1));
	if (sorted == NULL || pa == NULL) {
		rc = -ENOMEM;
		goto out;
	}
	if (pa_mode) {
		fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			rc = -errno;
			DP_LOG(ERR, eal, "IOVA mode PA: cannot open "
				"/proc/self/pagemap: %s", dp_strerror(rc));
			goto out;
		}
		rc = read_page_pas(fd, pa);
		if (rc < 0)
			goto out;
	}
	for (i = 0; i < n; i++)	/* sort key; VA mode keeps the order */
		eal_mem.pages[i].iova = pa_mode ? pa[i] : i;

	memcpy(sorted, eal_mem.pages, sizeof(*sorted) * n);
	qsort(sorted, n, sizeof(*sorted), cmp_page);
	for (i = 0; i < n && rc == 0; i++)
		if (sorted[i].fd != eal_mem.pages[i].fd)
			rc = page_map(&sorted[i], i);
	/* Every fd stays in the table even if a remap failed: fini frees it. */
	memcpy(eal_mem.pages, sorted, sizeof(*sorted) * n);
	if (rc < 0)
		goto out;

	if (!pa_mode) {
		for (i = 0; i < n; i++)
			eal_mem.pages[i].iova = (uintptr_t)eal_mem.base +
				(uint64_t)i * eal_mem.page_sz;
		goto out;
	}
	/* A moved page must still be the same physical page. */
	rc = read_page_pas(fd, pa);
	for (i = 0; rc == 0 && i < n; i++)
		if (pa[i] != eal_mem.pages[i].iova) {
			DP_LOG(ERR, eal, "hugepage %u changed its physical "
				"address while being remapped", i);
			rc = -EIO;
		}
out:
	if (fd >= 0)
		close(fd);
	free(sorted);
	free(pa);
	return rc;
}

static int
map_hugepages(void)
{
	struct mem_plan *p;
	int rc;

	p = calloc(1, sizeof(*p));
	if (p == NULL)
		return -ENOMEM;
	p->dir_fd = -1;
	eal_mem.in_memory = eal_cfg.in_memory;
	if (eal_hugepage_info_read(&p->hi, NULL) != 0) {
		DP_LOG(ERR, eal, "this kernel offers no hugepages "
			"(/sys/kernel/mm/hugepages is missing or empty): run "
			"with --no-huge");
		rc = -ENOTSUP;
		goto out;
	}
	rc = plan_pick_size(p);
	if (rc < 0)
		goto out;
	p->mount_room = UINT_MAX;
	if (!eal_mem.in_memory) {
		/*
		 * Stale files go first: the pages they hold count as free once
		 * they are gone. The directory stays locked until our own files
		 * exist and are locked.
		 */
		rc = open_dir_locked(p);
		if (rc < 0)
			goto out;
		if (reclaim_stale_files(p) > 0 &&
		    (eal_hugepage_info_read(&p->hi, NULL) != 0 ||
		     (p->hs = eal_hugepage_find(&p->hi, p->page_sz)) == NULL)) {
			rc = -ENOENT;
			goto out;
		}
		p->mount_room = mount_room(eal_mem.dir);
	}
	rc = plan_count_pages(p);
	if (rc == 0)
		rc = plan_preflight(p);
	if (rc == 0)
		rc = ensure_fd_limit(p->total);
	if (rc < 0)
		goto out;

	eal_mem.page_sz = p->page_sz;
	eal_mem.page_shift = dp_log2_u64(p->page_sz);
	rc = reserve_area((size_t)p->total * p->page_sz, p->page_sz);
	if (rc < 0)
		goto out;
	eal_mem.pages = calloc(p->total, sizeof(*eal_mem.pages));
	if (eal_mem.pages == NULL) {
		rc = -ENOMEM;
		goto out;
	}
	for (unsigned int i = 0; i < p->total; i++) {
		eal_mem.pages[i].fd = -1;
		eal_mem.pages[i].file_no = -1;
	}
	eal_mem.nb_pages_max = p->total;

	rc = take_pages(p);
	if (p->dir_fd >= 0) {
		close(p->dir_fd);	/* drops the directory lock */
		p->dir_fd = -1;
	}
	if (rc == 0)
		rc = order_pages();
	if (rc < 0)
		goto out;

	if (eal_mem.in_memory)
		snprintf(eal_mem.source, sizeof(eal_mem.source),
			"memfd (no files)");
	else
		snprintf(eal_mem.source, sizeof(eal_mem.source),
			"files %s/%smap_*", eal_mem.dir, eal_mem.prefix);
out:
	if (p->dir_fd >= 0)
		close(p->dir_fd);
	free(p);
	return rc;
}

/* ---- the stage ----------------------------------------------------------------- */

/* One heap region per run of memsegs of one socket (they are VA-adjacent). */
static int
add_heap_regions(void)
{
	unsigned int i, j;
	int rc;

	for (i = 0; i < eal_mem.nb_segs; i = j) {
		const struct dp_memseg *s = &eal_mem.segs[i];
		size_t len = 0;

		for (j = i; j < eal_mem.nb_segs &&
		     eal_mem.segs[j].socket_id == s->socket_id; j++)
			len += eal_mem.segs[j].len;
		rc = eal_heap_add_region(s->socket_id, s->addr, len);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static void
log_summary(void)
{
	char total[32], psz[32];
	uint64_t page_sz;

	if (eal_mem.nb_segs == 0)
		return;
	page_sz = eal_mem.segs[0].hugepage_sz;

	eal_format_size(eal_mem.len, total, sizeof(total));
	eal_format_size(page_sz, psz, sizeof(psz));
	DP_LOG(INFO, eal, "memory: %s in %" PRIu64 " pages of %s from %s, "
		"%u memseg%s", total, (uint64_t)eal_mem.len / page_sz, psz,
		eal_mem.source, eal_mem.nb_segs, eal_mem.nb_segs == 1 ? "" : "s");
}

int
eal_memory_init(void)
{
	int rc, socket = 0;

	memset(&eal_mem, 0, sizeof(eal_mem));
	snprintf(eal_mem.prefix, sizeof(eal_mem.prefix), "%s",
		eal_cfg.file_prefix);
	if (eal_cfg.no_huge)
		rc = map_anonymous(&socket);
	else
		rc = map_hugepages();
	if (rc == 0)
		rc = eal_memseg_build(socket);
	if (rc == 0)
		rc = add_heap_regions();
	if (rc < 0) {
		eal_memory_fini();
		return rc;
	}
	__atomic_store_n(&eal_mem.ready, true, __ATOMIC_RELEASE);
	eal_mem.segs_announced = true;
	eal_mem_event_fire(DP_MEM_EVENT_ALLOC);
	log_summary();
	return 0;
}

void
eal_memory_fini(void)
{
	char path[PATH_MAX + EAL_FILE_PREFIX_MAX + 32];
	unsigned int i;

	if (eal_mem.segs_announced)
		eal_mem_event_fire(DP_MEM_EVENT_FREE);
	__atomic_store_n(&eal_mem.ready, false, __ATOMIC_RELEASE);
	eal_memzone_reset();
	eal_heap_reset();
	eal_memseg_clear();
	if (eal_mem.base != NULL)
		munmap(eal_mem.base, eal_mem.len);
	for (i = 0; eal_mem.pages && i < eal_mem.nb_pages_max; i++) {
		struct eal_page *pg = &eal_mem.pages[i];

		if (pg->fd < 0)
			continue;
		/* Unlink while still locked: nobody reclaims a name we drop. */
		if (pg->file_no >= 0) {
			snprintf(path, sizeof(path), "%s/%smap_%d", eal_mem.dir,
				eal_mem.prefix, pg->file_no);
			unlink(path);
		}
		close(pg->fd);
	}
	free(eal_mem.pages);
	memset(&eal_mem, 0, sizeof(eal_mem));
}
