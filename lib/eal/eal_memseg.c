/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Memsegs and address lookups: building the memseg list from the mapped
 * pages, VA -> IOVA (O(1): page index from the offset in the VA area),
 * IOVA -> VA (binary search over memsegs sorted by IOVA), VA -> memseg,
 * the memseg walk, memory event callbacks, /proc/self/pagemap reading and
 * the layout dump. After init nothing here reads a file except
 * dp_mem_virt2phy(), which is documented as a slow diagnostic path.
 */

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "eal_memory_private.h"

struct eal_mem eal_mem;

/* Recursive: a walk callback may call memzone or heap functions. */
pthread_mutex_t eal_mem_lock = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;

/* ---- pagemap ------------------------------------------------------------- */

/* Bits of a /proc/self/pagemap entry (Documentation/admin-guide/mm/pagemap). */
#define PAGEMAP_PRESENT		(1ull << 63)
#define PAGEMAP_PFN_MASK	((1ull << 55) - 1)

int
eal_pagemap_read(int fd, const void *va, uint64_t *pa)
{
	uint64_t psz = (uint64_t)sysconf(_SC_PAGESIZE);
	uint64_t vpn = (uintptr_t)va / psz, entry, pfn;
	ssize_t n;

	/* pagemap has one 8-byte entry per base page, even for hugepages. */
	n = pread(fd, &entry, sizeof(entry), (off_t)(vpn * sizeof(entry)));
	if (n < 0)
		return -errno;
	if (n != sizeof(entry))
		return -EIO;
	if (!(entry & PAGEMAP_PRESENT))
		return -ENOENT;
	pfn = entry & PAGEMAP_PFN_MASK;
	/* Since Linux 4.2 the PFN reads as 0 without CAP_SYS_ADMIN. */
	if (pfn == 0)
		return -EPERM;
	*pa = pfn * psz + (uintptr_t)va % psz;
	return 0;
}

bool
eal_pagemap_readable(void)
{
	volatile uint64_t probe = 1;	/* on the stack: touched, so present */
	uint64_t pa = 0;
	int fd, rc;

	fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	rc = eal_pagemap_read(fd, (const void *)&probe, &pa);
	close(fd);
	return rc == 0;
}

dp_iova_t
dp_mem_virt2phy(const void *addr)
{
	uint64_t pa = 0;
	int fd, rc;

	fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		dp_errno = errno;
		return DP_BAD_IOVA;
	}
	rc = eal_pagemap_read(fd, addr, &pa);
	close(fd);
	if (rc < 0) {
		dp_errno = -rc;
		return DP_BAD_IOVA;
	}
	return pa;
}

/* ---- building memsegs ---------------------------------------------------- */

static int
cmp_seg_iova(const void *a, const void *b)
{
	const struct dp_memseg *x = &eal_mem.segs[*(const uint32_t *)a];
	const struct dp_memseg *y = &eal_mem.segs[*(const uint32_t *)b];

	return x->iova < y->iova ? -1 : x->iova > y->iova;
}

/*
 * One memseg per run of pages that are adjacent in VA (always, inside the
 * area), in IOVA and on the same socket. --no-huge memory is one memseg.
 */
int
eal_memseg_build(int no_huge_socket)
{
	unsigned int i, n = 0, max;
	struct dp_memseg *s = NULL;
	uint64_t base_psz = (uint64_t)sysconf(_SC_PAGESIZE);

	max = eal_mem.no_huge ? 1 : eal_mem.nb_pages;
	eal_mem.segs = calloc(max, sizeof(*eal_mem.segs));
	eal_mem.segs_by_iova = calloc(max, sizeof(*eal_mem.segs_by_iova));
	if (eal_mem.segs == NULL || eal_mem.segs_by_iova == NULL) {
		eal_memseg_clear();
		return -ENOMEM;
	}
	if (eal_mem.no_huge) {
		s = &eal_mem.segs[0];
		s->addr = eal_mem.base;
		s->iova = (uintptr_t)eal_mem.base;
		s->len = eal_mem.len;
		s->hugepage_sz = base_psz;
		s->socket_id = no_huge_socket;
		s->nb_pages = (uint32_t)(eal_mem.len / base_psz);
		n = 1;
	} else {
		for (i = 0; i < eal_mem.nb_pages; i++) {
			struct eal_page *pg = &eal_mem.pages[i];

			if (s == NULL || pg->socket != s->socket_id ||
			    pg->iova != s->iova + s->len) {
				s = &eal_mem.segs[n++];
				s->addr = (char *)eal_mem.base +
					(size_t)i * eal_mem.page_sz;
				s->iova = pg->iova;
				s->len = 0;
				s->hugepage_sz = eal_mem.page_sz;
				s->socket_id = pg->socket;
				s->nb_pages = 0;
			}
			s->len += eal_mem.page_sz;
			s->nb_pages++;
			pg->seg = n - 1;
		}
	}
	eal_mem.nb_segs = n;
	for (i = 0; i < n; i++)
		eal_mem.segs_by_iova[i] = i;
	qsort(eal_mem.segs_by_iova, n, sizeof(uint32_t), cmp_seg_iova);
	return 0;
}

void
eal_memseg_clear(void)
{
	free(eal_mem.segs);
	free(eal_mem.segs_by_iova);
	eal_mem.segs = NULL;
	eal_mem.segs_by_iova = NULL;
	eal_mem.nb_segs = 0;
}

/* ---- lookups --------------------------------------------------------------- */

const struct dp_memseg *
dp_mem_virt2memseg(const void *addr)
{
	size_t off;

	if (!eal_mem_contains(addr))
		return NULL;
	if (eal_mem.pages == NULL)
		return &eal_mem.segs[0];
	off = (uintptr_t)addr - (uintptr_t)eal_mem.base;
	return &eal_mem.segs[eal_mem.pages[off >> eal_mem.page_shift].seg];
}

dp_iova_t
dp_mem_virt2iova(const void *addr)
{
	size_t off;

	if (!eal_mem_contains(addr))
		return DP_BAD_IOVA;
	if (eal_mem.pages == NULL)	/* --no-huge: IOVA = VA */
		return (uintptr_t)addr;
	off = (uintptr_t)addr - (uintptr_t)eal_mem.base;
	return eal_mem.pages[off >> eal_mem.page_shift].iova +
		(off & (eal_mem.page_sz - 1));
}

void *
dp_mem_iova2virt(dp_iova_t iova)
{
	unsigned int lo = 0, hi, mid;
	const struct dp_memseg *s;

	if (!__atomic_load_n(&eal_mem.ready, __ATOMIC_ACQUIRE))
		return NULL;
	hi = eal_mem.nb_segs;
	/* Last memseg whose IOVA is <= iova. */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (eal_mem.segs[eal_mem.segs_by_iova[mid]].iova <= iova)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	s = &eal_mem.segs[eal_mem.segs_by_iova[lo - 1]];
	if (iova - s->iova >= s->len)
		return NULL;
	return (char *)s->addr + (iova - s->iova);
}

int
dp_memseg_walk(dp_memseg_walk_t fn, void *arg)
{
	unsigned int i;
	int rc;

	if (fn == NULL)
		return -EINVAL;
	if (!__atomic_load_n(&eal_mem.ready, __ATOMIC_ACQUIRE))
		return 0;
	for (i = 0; i < eal_mem.nb_segs; i++) {
		rc = fn(&eal_mem.segs[i], arg);
		if (rc != 0)
			return rc;
	}
	return 0;
}

size_t
dp_mem_total(void)
{
	return __atomic_load_n(&eal_mem.ready, __ATOMIC_ACQUIRE) ?
		eal_mem.len : 0;
}

/* ---- memory event callbacks ---------------------------------------------- */

#define EAL_MEM_CB_NAME_MAX 64

struct mem_event_cb {
	struct mem_event_cb *next;
	char name[EAL_MEM_CB_NAME_MAX];
	dp_mem_event_callback_t cb;
	void *arg;
};

/* Survives cleanup: a bus may register before dp_eal_init(). */
static struct mem_event_cb *mem_cb_head;

int
dp_mem_event_callback_register(const char *name, dp_mem_event_callback_t cb,
	void *arg)
{
	struct mem_event_cb *c, **tail;

	if (name == NULL || cb == NULL || *name == '\0' ||
	    strlen(name) >= EAL_MEM_CB_NAME_MAX) {
		DP_LOG(ERR, eal, "dp_mem_event_callback_register: a callback "
			"and a name of 1 to %d characters are needed",
			EAL_MEM_CB_NAME_MAX - 1);
		return -EINVAL;
	}
	pthread_mutex_lock(&eal_mem_lock);
	for (tail = &mem_cb_head; *tail; tail = &(*tail)->next)
		if (strcmp((*tail)->name, name) == 0 && (*tail)->arg == arg) {
			pthread_mutex_unlock(&eal_mem_lock);
			DP_LOG(ERR, eal, "memory event callback '%s' is already "
				"registered with this argument", name);
			return -EEXIST;
		}
	c = calloc(1, sizeof(*c));
	if (c == NULL) {
		pthread_mutex_unlock(&eal_mem_lock);
		return -ENOMEM;
	}
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->cb = cb;
	c->arg = arg;
	*tail = c;
	pthread_mutex_unlock(&eal_mem_lock);
	return 0;
}

int
dp_mem_event_callback_unregister(const char *name, void *arg)
{
	struct mem_event_cb **p, *c;

	if (name == NULL)
		return -EINVAL;
	pthread_mutex_lock(&eal_mem_lock);
	for (p = &mem_cb_head; *p; p = &(*p)->next)
		if (strcmp((*p)->name, name) == 0 && (*p)->arg == arg) {
			c = *p;
			*p = c->next;
			free(c);
			pthread_mutex_unlock(&eal_mem_lock);
			return 0;
		}
	pthread_mutex_unlock(&eal_mem_lock);
	return -ENOENT;
}

/*
 * Tell every callback about every memseg: ALLOC in address order once they
 * exist, FREE in reverse order before they go. Called under no lock other
 * than the recursive eal_mem_lock, so a callback may walk memsegs or
 * (un)register callbacks.
 */
void
eal_mem_event_fire(enum dp_mem_event ev)
{
	struct mem_event_cb *c, *next;
	unsigned int i;

	pthread_mutex_lock(&eal_mem_lock);
	for (c = mem_cb_head; c; c = next) {
		next = c->next;
		for (i = 0; i < eal_mem.nb_segs; i++) {
			unsigned int s = ev == DP_MEM_EVENT_ALLOC ? i :
				eal_mem.nb_segs - 1 - i;

			c->cb(ev, &eal_mem.segs[s], c->arg);
		}
	}
	pthread_mutex_unlock(&eal_mem_lock);
}

/* ---- dump ------------------------------------------------------------------ */

void
dp_mem_dump(FILE *f)
{
	char total[32], psz[32], len[32];
	unsigned int i;

	if (f == NULL)
		f = stderr;
	if (!__atomic_load_n(&eal_mem.ready, __ATOMIC_ACQUIRE)) {
		fprintf(f, "EAL memory: none (dp_eal_init() has not run)\n");
		return;
	}
	eal_format_size(eal_mem.len, total, sizeof(total));
	eal_format_size(eal_mem.segs[0].hugepage_sz, psz, sizeof(psz));
	fprintf(f, "EAL memory: %s in %" PRIu64 " pages of %s from %s\n", total,
		(uint64_t)eal_mem.len / eal_mem.segs[0].hugepage_sz, psz,
		eal_mem.source);
	fprintf(f, "IOVA mode %s: %s\n", dp_iova_mode_name(eal_iova_mode),
		eal_iova_reason);
	for (i = 0; i < eal_mem.nb_segs; i++) {
		const struct dp_memseg *s = &eal_mem.segs[i];

		eal_format_size(s->len, len, sizeof(len));
		fprintf(f, "  memseg %u: VA %p-%p IOVA 0x%" PRIx64 " %s "
			"(%u pages) socket %d\n", i, s->addr,
			(void *)((char *)s->addr + s->len - 1), s->iova, len,
			s->nb_pages, s->socket_id);
	}
	fflush(f);
}

const char *
dp_mem_iova_reason(void)
{
	return eal_iova_reason;
}
