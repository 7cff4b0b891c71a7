/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mbuf tests: pool creation and what every mbuf looks like (buffer,
 * IOVA against the memseg lookup, headroom), the layout as PMDs see it
 * (rearm word), alloc/free single and bulk with exhaustion, free_bulk
 * across pools with chains and NULLs, reset of a reused mbuf,
 * headroom/tailroom arithmetic and every bad operation rejected with the
 * mbuf unchanged, chains (pkt_len totals, read across segments,
 * linearize), reference counts, clones freed in both orders (also of
 * chains and of clones), external buffers (zero copy of an mmap'd file,
 * callback exactly once), deep copy, checks, names, dump, frees on
 * another lcore, and pool creation failures leaking nothing. Every pool
 * ends the test with nothing in use.
 */

#include <fcntl.h>
#include <sys/mman.h>

#include "test_mempool_common.h"

#include <dp_mbuf.h>

#ifndef TEST_HUGE
#define TEST_HUGE 0
#define RUNNER "mbuf"
#endif

#define NB_MBUF 512
#define ROOM DP_MBUF_DEFAULT_BUF_SIZE

static struct dp_mempool *pool;	/* shared by most tests */

static void
pool_drained(struct dp_mempool *mp)
{
	dp_mempool_cache_flush(NULL, mp);
	assert_int_equal(dp_mempool_in_use_count(mp), 0);
	assert_int_equal(dp_mempool_audit(mp), 0);
}

static int
test_setup(void **state)
{
	(void)state;
	pool = dp_pktmbuf_pool_create("mb_pool", NB_MBUF, 32, 16, ROOM,
		DP_SOCKET_ID_ANY);
	return pool == NULL ? -1 : 0;
}

static int
test_teardown(void **state)
{
	(void)state;
	pool_drained(pool);
	return 0;
}

/* Fill @m with @len bytes counting from @start. */
static void
fill(struct dp_mbuf *m, uint16_t len, uint8_t start)
{
	uint8_t *p = (uint8_t *)dp_pktmbuf_append(m, len);

	assert_non_null(p);
	for (uint16_t i = 0; i < len; i++)
		p[i] = (uint8_t)(start + i);
}

/* ---- pool, layout --------------------------------------------------------------- */

struct init_check {
	unsigned int n;
	unsigned int bad;
};

static void
check_init(struct dp_mempool *mp, void *arg, void *obj, unsigned int idx)
{
	struct init_check *c = arg;
	struct dp_mbuf *m = obj;
	char *buf = (char *)m + sizeof(*m) + 16;

	(void)idx;
	c->n++;
	c->bad += m->buf_addr != buf;
	c->bad += m->buf_iova != dp_mem_virt2iova(buf);
	c->bad += m->buf_iova != dp_mempool_virt2iova(m) + sizeof(*m) + 16;
	/* The data buffer is IOVA-contiguous end to end. */
	c->bad += dp_mem_virt2iova(buf + ROOM - 1) != m->buf_iova + ROOM - 1;
	c->bad += m->buf_len != ROOM || m->priv_size != 16;
	c->bad += m->pool != mp || m->data_off != DP_PKTMBUF_HEADROOM;
	c->bad += dp_mbuf_refcnt_read(m) != 1 || m->nb_segs != 1;
	c->bad += m->next != NULL || m->port != DP_MBUF_PORT_INVALID;
	c->bad += !DP_IS_ALIGNED(m, DP_CACHE_LINE_SIZE);
}

static void
test_pool_and_layout(void **state)
{
	struct init_check c = { 0, 0 };
	struct dp_mbuf *m;

	(void)state;
	assert_int_equal(sizeof(struct dp_mbuf), 128);
	assert_int_equal(DP_PKTMBUF_HEADROOM, 128);
	assert_int_equal(DP_MBUF_DEFAULT_BUF_SIZE, 2048 + 128);
	assert_int_equal(dp_pktmbuf_data_room_size(pool), ROOM);
	assert_int_equal(dp_pktmbuf_priv_size(pool), 16);
	assert_string_equal(dp_mempool_ops_name(pool), "ring_mp_mc");
	assert_int_equal(dp_mempool_obj_iter(pool, check_init, &c), NB_MBUF);
	assert_int_equal(c.bad, 0);

	m = dp_pktmbuf_alloc(pool);
	assert_non_null(m);
	/* The rearm word is data_off, refcnt, nb_segs, port (little end). */
	assert_int_equal(m->rearm_data, (uint64_t)DP_PKTMBUF_HEADROOM |
		(1ull << 16) | (1ull << 32) | ((uint64_t)0xffff << 48));
	m->rearm_data = 64 | (1ull << 16) | (1ull << 32) | (7ull << 48);
	assert_int_equal(m->data_off, 64);
	assert_int_equal(m->port, 7);
	assert_int_equal(dp_pktmbuf_headroom(m), 64);
	assert_int_equal(dp_pktmbuf_data_iova(m), m->buf_iova + 64);
	assert_int_equal(dp_pktmbuf_data_iova_default(m),
		m->buf_iova + DP_PKTMBUF_HEADROOM);
	assert_ptr_equal(dp_mbuf_to_priv(m), (char *)m + 128);
	m->hash.rss = 0x11223344;
	m->hash.fdir.id = 0x55667788;
	assert_int_equal(m->hash.fdir.hash, 0x11223344);
	assert_int_equal(m->hash.usr[1], 0x55667788);
	m->l2_len = 14;
	m->l3_len = 20;
	m->l4_len = 20;
	m->tso_segsz = 1460;
	assert_int_equal(m->tx_offload, 14 | (20 << 7) | (20ull << 16) |
		(1460ull << 24));
	dp_pktmbuf_free(m);
	pool_drained(pool);
}

/* ---- alloc / free ------------------------------------------------------------------ */

static void
test_alloc_free(void **state)
{
	struct dp_mbuf *all[NB_MBUF + 1], *m;
	unsigned int i;

	(void)state;
	/* Exactly NB_MBUF allocations succeed, then NULL / -ENOENT. */
	for (i = 0; i < NB_MBUF; i++) {
		all[i] = dp_pktmbuf_alloc(pool);
		assert_non_null(all[i]);
	}
	assert_null(dp_pktmbuf_alloc(pool));
	assert_null(dp_mbuf_raw_alloc(pool));
	assert_int_equal(dp_pktmbuf_alloc_bulk(pool, &all[NB_MBUF], 1), -ENOENT);
	assert_int_equal(dp_mempool_in_use_count(pool), NB_MBUF);
	for (i = 0; i < NB_MBUF; i++)
		dp_pktmbuf_free(all[i]);
	assert_int_equal(dp_mempool_in_use_count(pool), 0);
	dp_pktmbuf_free(NULL);

	/* Bulk: all or nothing. */
	assert_int_equal(dp_pktmbuf_alloc_bulk(pool, all, NB_MBUF - 10), 0);
	assert_int_equal(dp_pktmbuf_alloc_bulk(pool, &all[NB_MBUF - 10], 11),
		-ENOENT);
	assert_int_equal(dp_mempool_in_use_count(pool), NB_MBUF - 10);
	assert_int_equal(dp_pktmbuf_alloc_bulk(pool, &all[NB_MBUF - 10], 10), 0);
	for (i = 0; i < NB_MBUF; i++) {
		m = all[i];
		assert_int_equal(m->data_off, DP_PKTMBUF_HEADROOM);
		assert_int_equal(m->pkt_len, 0);
		assert_int_equal(m->data_len, 0);
		assert_int_equal(dp_mbuf_refcnt_read(m), 1);
		assert_int_equal(dp_mbuf_check(m, 1, NULL), 0);
	}
	dp_pktmbuf_free_bulk(all, NB_MBUF);
	assert_int_equal(dp_mempool_in_use_count(pool), 0);

	/* Raw: no reset, back as is. */
	assert_int_equal(dp_mbuf_raw_alloc_bulk(pool, all, 4), 0);
	for (i = 0; i < 4; i++)
		dp_mbuf_raw_free(all[i]);
	pool_drained(pool);
}

static void
test_reset_on_reuse(void **state)
{
	struct dp_mbuf *m, *m2, *seg;

	(void)state;
	m = dp_pktmbuf_alloc(pool);
	seg = dp_pktmbuf_alloc(pool);
	fill(m, 100, 0);
	fill(seg, 50, 0);
	assert_int_equal(dp_pktmbuf_chain(m, seg), 0);
	m->ol_flags = DP_MBUF_F_RX_VLAN | DP_MBUF_F_TX_TCP_SEG;
	m->packet_type = DP_PTYPE_L2_ETHER | DP_PTYPE_L3_IPV4;
	m->vlan_tci = 5;
	m->vlan_tci_outer = 6;
	m->port = 3;
	m->hash.rss = 77;
	m->tx_offload = 12345;
	m->data_off = 10;
	dp_pktmbuf_free(m);
	/* The cache is LIFO: the same two come back, reset. */
	m2 = dp_pktmbuf_alloc(pool);
	assert_true(m2 == m || m2 == seg);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(m2->ol_flags, 0);
		assert_int_equal(m2->packet_type, 0);
		assert_int_equal(m2->vlan_tci, 0);
		assert_int_equal(m2->vlan_tci_outer, 0);
		assert_int_equal(m2->port, DP_MBUF_PORT_INVALID);
		assert_int_equal(m2->hash.rss, 0);
		assert_int_equal(m2->tx_offload, 0);
		assert_int_equal(m2->data_off, DP_PKTMBUF_HEADROOM);
		assert_int_equal(m2->buf_len, ROOM);
		assert_int_equal(m2->pkt_len, 0);
		assert_int_equal(m2->data_len, 0);
		assert_int_equal(m2->nb_segs, 1);
		assert_null(m2->next);
		if (i == 0) {
			m = m2;
			m2 = dp_pktmbuf_alloc(pool);
		}
	}
	assert_true((m == seg) != (m2 == seg));
	/* dp_pktmbuf_reset on a used mbuf. */
	fill(m, 10, 0);
	m->ol_flags = DP_MBUF_F_RX_RSS_HASH;
	dp_pktmbuf_reset(m);
	assert_int_equal(m->data_len, 0);
	assert_int_equal(m->ol_flags, 0);
	assert_int_equal(m->data_off, DP_PKTMBUF_HEADROOM);
	dp_pktmbuf_free(m);
	dp_pktmbuf_free(m2);
	pool_drained(pool);
}

static void
test_free_bulk_mixed(void **state)
{
	struct dp_mempool *p2;
	struct dp_mbuf *ms[200], *tail;
	unsigned int i;

	(void)state;
	p2 = dp_pktmbuf_pool_create("mb_pool2", 256, 0, 0, 512,
		DP_SOCKET_ID_ANY);
	assert_non_null(p2);
	for (i = 0; i < 200; i++) {
		/* Runs of each pool, single mbufs between, NULL holes. */
		struct dp_mempool *mp = (i / 7) % 3 == 0 ? p2 : pool;

		ms[i] = i % 13 == 5 ? NULL : dp_pktmbuf_alloc(mp);
		if (i % 13 != 5)
			assert_non_null(ms[i]);
	}
	/* Some chains of two, across the pools. */
	for (i = 0; i < 200; i += 17) {
		if (ms[i] == NULL)
			continue;
		tail = dp_pktmbuf_alloc(i % 2 ? pool : p2);
		fill(tail, 8, 0);
		assert_int_equal(dp_pktmbuf_chain(ms[i], tail), 0);
	}
	/* A shared one: freed once here, once more below. */
	dp_mbuf_refcnt_update(ms[1], 1);
	dp_pktmbuf_free_bulk(ms, 200);
	assert_ptr_equal(ms[1]->pool, p2);
	assert_int_equal(dp_mempool_in_use_count(p2), 1);
	assert_int_equal(dp_mempool_in_use_count(pool), 0);
	assert_int_equal(dp_mbuf_refcnt_read(ms[1]), 1);
	dp_pktmbuf_free(ms[1]);
	pool_drained(pool);
	pool_drained(p2);
	dp_mempool_free(p2);
}

/* ---- data operations ---------------------------------------------------------------- */

/* Two copies of an mbuf compare equal (the bad operation changed nothing). */
#define assert_mbuf_unchanged(m, copy) \
	assert_memory_equal((m), &(copy), sizeof(struct dp_mbuf))

static void
test_room_arithmetic(void **state)
{
	struct dp_mbuf *m, copy;
	char *p, *data;

	(void)state;
	m = dp_pktmbuf_alloc(pool);
	assert_non_null(m);
	assert_int_equal(dp_pktmbuf_headroom(m), 128);
	assert_int_equal(dp_pktmbuf_tailroom(m), ROOM - 128);
	data = dp_pktmbuf_mtod(m, char *);
	assert_ptr_equal(data, (char *)m->buf_addr + 128);

	p = dp_pktmbuf_append(m, 1000);
	assert_ptr_equal(p, data);
	assert_int_equal(m->pkt_len, 1000);
	assert_int_equal(m->data_len, 1000);
	assert_int_equal(dp_pktmbuf_tailroom(m), ROOM - 128 - 1000);
	p = dp_pktmbuf_prepend(m, 14);
	assert_ptr_equal(p, data - 14);
	assert_int_equal(dp_pktmbuf_headroom(m), 114);
	assert_int_equal(m->pkt_len, 1014);
	assert_ptr_equal(dp_pktmbuf_mtod(m, char *), p);
	assert_ptr_equal(dp_pktmbuf_mtod_offset(m, char *, 14), data);
	assert_int_equal(dp_pktmbuf_data_iova(m), m->buf_iova + 114);
	p = dp_pktmbuf_adj(m, 20);
	assert_ptr_equal(p, data + 6);
	assert_int_equal(m->pkt_len, 994);
	assert_int_equal(dp_pktmbuf_headroom(m), 134);
	assert_int_equal(dp_pktmbuf_trim(m, 94), 0);
	assert_int_equal(m->pkt_len, 900);
	assert_int_equal(m->data_len, 900);
	assert_int_equal(dp_pktmbuf_headroom(m) + m->data_len +
		dp_pktmbuf_tailroom(m), m->buf_len);

	/* Bad operations: NULL / -EINVAL and the mbuf byte for byte as it was. */
	copy = *m;
	assert_null(dp_pktmbuf_prepend(m, 135));
	assert_mbuf_unchanged(m, copy);
	assert_null(dp_pktmbuf_append(m, dp_pktmbuf_tailroom(m) + 1));
	assert_mbuf_unchanged(m, copy);
	assert_null(dp_pktmbuf_adj(m, 901));
	assert_mbuf_unchanged(m, copy);
	assert_int_equal(dp_pktmbuf_trim(m, 901), -EINVAL);
	assert_mbuf_unchanged(m, copy);
	/* The edges are allowed. */
	assert_non_null(dp_pktmbuf_prepend(m, 134));
	assert_int_equal(dp_pktmbuf_headroom(m), 0);
	assert_non_null(dp_pktmbuf_append(m, dp_pktmbuf_tailroom(m)));
	assert_int_equal(dp_pktmbuf_tailroom(m), 0);
	assert_int_equal(m->data_len, ROOM);
	assert_int_equal(dp_pktmbuf_trim(m, ROOM), 0);
	assert_int_equal(m->pkt_len, 0);
	assert_int_equal(dp_mbuf_check(m, 1, NULL), 0);
	dp_pktmbuf_free(m);
	pool_drained(pool);
}

static void
test_chains(void **state)
{
	struct dp_mbuf *segs[4], *m, copy;
	uint8_t buf[600];
	const uint8_t *r;
	uint16_t lens[4] = { 100, 200, 300, 50 };
	uint8_t start = 0;

	(void)state;
	for (int i = 0; i < 4; i++) {
		segs[i] = dp_pktmbuf_alloc(pool);
		fill(segs[i], lens[i], start);
		start = (uint8_t)(start + lens[i]);
	}
	m = segs[0];
	for (int i = 1; i < 4; i++) {
		assert_int_equal(dp_pktmbuf_chain(m, segs[i]), 0);
		assert_int_equal(m->nb_segs, i + 1);
	}
	assert_int_equal(m->pkt_len, 650);
	assert_int_equal(m->data_len, 100);
	assert_ptr_equal(dp_pktmbuf_lastseg(m), segs[3]);
	assert_false(dp_pktmbuf_is_contiguous(m));
	assert_int_equal(dp_mbuf_check(m, 1, NULL), 0);

	/* Read: a pointer when inside one segment, a copy across. */
	r = dp_pktmbuf_read(m, 10, 50, buf);
	assert_ptr_equal(r, dp_pktmbuf_mtod_offset(m, uint8_t *, 10));
	r = dp_pktmbuf_read(m, 120, 50, buf);
	assert_ptr_equal(r, dp_pktmbuf_mtod_offset(segs[1], uint8_t *, 20));
	r = dp_pktmbuf_read(m, 90, 520, buf);
	assert_ptr_equal(r, buf);
	for (int i = 0; i < 520; i++)
		assert_int_equal(r[i], (uint8_t)(90 + i));
	assert_null(dp_pktmbuf_read(m, 600, 51, buf));
	assert_non_null(dp_pktmbuf_read(m, 600, 50, buf));

	/* append/trim work on the last segment, pkt_len on the head. */
	assert_non_null(dp_pktmbuf_append(m, 10));
	assert_int_equal(segs[3]->data_len, 60);
	assert_int_equal(m->pkt_len, 660);
	assert_int_equal(dp_pktmbuf_trim(m, 10), 0);
	copy = *m;
	assert_int_equal(dp_pktmbuf_trim(m, 51), -EINVAL);
	assert_mbuf_unchanged(m, copy);
	assert_int_equal(segs[3]->data_len, 50);

	/* Linearize: into the first buffer, the others go back. */
	assert_int_equal(dp_mempool_in_use_count(pool), 4);
	assert_int_equal(dp_pktmbuf_linearize(m), 0);
	assert_int_equal(dp_mempool_in_use_count(pool), 1);
	assert_int_equal(m->nb_segs, 1);
	assert_int_equal(m->data_len, 650);
	assert_int_equal(m->pkt_len, 650);
	assert_null(m->next);
	for (int i = 0; i < 650; i++)
		assert_int_equal(dp_pktmbuf_mtod(m, uint8_t *)[i], (uint8_t)i);
	assert_int_equal(dp_pktmbuf_linearize(m), 0);	/* already */

	/* Too long for the first buffer: -ENOSPC, chain unchanged. */
	segs[1] = dp_pktmbuf_alloc(pool);
	fill(segs[1], 1500, 0);
	assert_int_equal(dp_pktmbuf_chain(m, segs[1]), 0);
	copy = *m;
	assert_int_equal(dp_pktmbuf_linearize(m), -ENOSPC);
	assert_mbuf_unchanged(m, copy);

	/* Too many segments. */
	m->nb_segs = DP_MBUF_MAX_NB_SEGS;
	segs[2] = dp_pktmbuf_alloc(pool);
	copy = *m;
	assert_int_equal(dp_pktmbuf_chain(m, segs[2]), -EOVERFLOW);
	assert_mbuf_unchanged(m, copy);
	assert_null(segs[1]->next);
	m->nb_segs = 2;
	dp_pktmbuf_free(segs[2]);
	dp_pktmbuf_free(m);
	pool_drained(pool);
}

/* ---- reference counts, clones ------------------------------------------------------ */

static void
test_refcnt(void **state)
{
	struct dp_mbuf *m;

	(void)state;
	m = dp_pktmbuf_alloc(pool);
	assert_int_equal(dp_mbuf_refcnt_update(m, 1), 2);
	assert_int_equal(dp_mbuf_refcnt_update(m, 2), 4);
	assert_int_equal(dp_mbuf_refcnt_update(m, -2), 2);
	dp_pktmbuf_free(m);
	assert_int_equal(dp_mbuf_refcnt_read(m), 1);
	assert_int_equal(dp_mempool_in_use_count(pool), 1);
	/* prefree: NULL while references remain, the mbuf on the last. */
	assert_int_equal(dp_mbuf_refcnt_update(m, 1), 2);
	assert_null(dp_pktmbuf_prefree_seg(m));
	assert_ptr_equal(dp_pktmbuf_prefree_seg(m), m);
	dp_mbuf_raw_free(m);
	pool_drained(pool);
}

/* A packet of @nseg segments of 100 bytes: 0, 1, 2, ... */
static struct dp_mbuf *
make_packet(struct dp_mempool *mp, int nseg)
{
	struct dp_mbuf *m = NULL;

	for (int i = 0; i < nseg; i++) {
		struct dp_mbuf *s = dp_pktmbuf_alloc(mp);

		assert_non_null(s);
		fill(s, 100, (uint8_t)(i * 100));
		if (m == NULL)
			m = s;
		else
			assert_int_equal(dp_pktmbuf_chain(m, s), 0);
	}
	m->port = 9;
	m->ol_flags = DP_MBUF_F_RX_RSS_HASH;
	m->hash.rss = 0xabcd;
	return m;
}

static void
assert_packet_data(const struct dp_mbuf *m, int nseg)
{
	uint8_t buf[1000];
	const uint8_t *p = dp_pktmbuf_read(m, 0, m->pkt_len, buf);

	assert_int_equal(m->pkt_len, nseg * 100);
	assert_non_null(p);
	for (int i = 0; i < nseg * 100; i++)
		assert_int_equal(p[i], (uint8_t)i);
}

static void
clone_order(int nseg, bool original_first)
{
	struct dp_mempool *cp;
	struct dp_mbuf *md, *mc;
	const struct dp_mbuf *s, *d;

	cp = dp_pktmbuf_pool_create("mb_clones", 64, 0, 0, 0, DP_SOCKET_ID_ANY);
	assert_non_null(cp);
	md = make_packet(pool, nseg);
	mc = dp_pktmbuf_clone(md, cp);
	assert_non_null(mc);
	assert_int_equal(mc->nb_segs, nseg);
	assert_int_equal(mc->pkt_len, md->pkt_len);
	assert_int_equal(mc->port, 9);
	assert_int_equal(mc->hash.rss, 0xabcd);
	assert_int_equal(dp_mbuf_check(mc, 1, NULL), 0);
	for (s = mc, d = md; s != NULL; s = s->next, d = d->next) {
		assert_true(DP_MBUF_HAS_INDIRECT(s));
		assert_ptr_equal(dp_mbuf_from_indirect((struct dp_mbuf *)s), d);
		/* Same bytes, not a copy. */
		assert_ptr_equal(dp_pktmbuf_mtod(s, void *),
			dp_pktmbuf_mtod(d, void *));
		assert_int_equal(s->buf_iova, d->buf_iova);
		assert_int_equal(dp_mbuf_refcnt_read(d), 2);
	}
	assert_int_equal(dp_mempool_in_use_count(cp), nseg);
	assert_int_equal(dp_mempool_in_use_count(pool), nseg);
	if (original_first) {
		dp_pktmbuf_free(md);
		/* The data lives on for the clone. */
		assert_int_equal(dp_mempool_in_use_count(pool), nseg);
		assert_packet_data(mc, nseg);
		dp_pktmbuf_free(mc);
	} else {
		dp_pktmbuf_free(mc);
		assert_int_equal(dp_mempool_in_use_count(cp), 0);
		assert_int_equal(dp_mempool_in_use_count(pool), nseg);
		for (d = md; d != NULL; d = d->next)
			assert_int_equal(dp_mbuf_refcnt_read(d), 1);
		assert_packet_data(md, nseg);
		dp_pktmbuf_free(md);
	}
	pool_drained(pool);
	pool_drained(cp);
	dp_mempool_free(cp);
}

static void
test_clone(void **state)
{
	struct dp_mbuf *md, *c1, *c2;
	struct dp_mbuf *hold[64];
	struct dp_mempool *cp;

	(void)state;
	clone_order(1, true);
	clone_order(1, false);
	clone_order(3, true);
	clone_order(3, false);

	/* A clone of a clone shares the direct mbuf. */
	md = make_packet(pool, 1);
	c1 = dp_pktmbuf_clone(md, pool);
	c2 = dp_pktmbuf_clone(c1, pool);
	assert_ptr_equal(dp_mbuf_from_indirect(c2), md);
	assert_int_equal(dp_mbuf_refcnt_read(md), 3);
	dp_pktmbuf_free(md);
	dp_pktmbuf_free(c2);
	assert_int_equal(dp_mempool_in_use_count(pool), 2);
	assert_packet_data(c1, 1);
	dp_pktmbuf_free(c1);
	pool_drained(pool);

	/* Clone pool runs out half-way: nothing leaks, refcounts restored. */
	cp = dp_pktmbuf_pool_create("mb_clones2", 4, 0, 0, 0, DP_SOCKET_ID_ANY);
	assert_non_null(cp);
	assert_int_equal(dp_pktmbuf_alloc_bulk(cp, hold, 2), 0);
	md = make_packet(pool, 3);
	assert_null(dp_pktmbuf_clone(md, cp));
	assert_int_equal(dp_errno, ENOENT);
	assert_int_equal(dp_mempool_in_use_count(cp), 2);
	for (c1 = md; c1 != NULL; c1 = c1->next)
		assert_int_equal(dp_mbuf_refcnt_read(c1), 1);
	dp_pktmbuf_free_bulk(hold, 2);
	dp_pktmbuf_free(md);
	pool_drained(cp);
	dp_mempool_free(cp);

	/* Attach rejects a shared or attached target. */
	md = dp_pktmbuf_alloc(pool);
	c1 = dp_pktmbuf_alloc(pool);
	dp_mbuf_refcnt_update(c1, 1);
	test_log_capture();
	assert_int_equal(dp_pktmbuf_attach(c1, md), -EINVAL);
	assert_int_equal(dp_pktmbuf_attach(md, md), -EINVAL);
	assert_logged("must be a direct mbuf with one reference");
	test_log_release();
	dp_pktmbuf_free(c1);
	dp_pktmbuf_free(c1);
	dp_pktmbuf_free(md);
	pool_drained(pool);
}

/* ---- external buffers ------------------------------------------------------------- */

struct ext_rec {
	unsigned int calls;
	void *addr;
	void *opaque;
};

static void
ext_free(void *addr, void *opaque)
{
	struct ext_rec *r = opaque;

	r->calls++;
	r->addr = addr;
	r->opaque = opaque;
}

static void
test_extbuf_mmap_file(void **state)
{
	char path[] = "/tmp/dpkit-mbuf-ext.XXXXXX";
	struct dp_mbuf_ext_shared_info shinfo;
	struct ext_rec rec = { 0, NULL, NULL };
	struct dp_mbuf *ms[5], *cl;
	const size_t flen = 5 * 4000;
	uint8_t *file;
	int fd;

	(void)state;
	/* A file of 20000 bytes, sent as 5 packets straight from the mapping. */
	fd = mkstemp(path);
	assert_true(fd >= 0);
	for (size_t i = 0; i < flen; i++) {
		uint8_t b = (uint8_t)(i * 7);

		assert_int_equal(write(fd, &b, 1), 1);
	}
	file = mmap(NULL, flen, PROT_READ, MAP_SHARED, fd, 0);
	assert_true(file != MAP_FAILED);
	close(fd);
	unlink(path);

	/* Read-only memory: the shared info lives elsewhere, count 0. */
	shinfo.free_cb = ext_free;
	shinfo.fcb_opaque = &rec;
	shinfo.refcnt = 0;
	for (int i = 0; i < 5; i++) {
		ms[i] = dp_pktmbuf_alloc(pool);
		dp_pktmbuf_attach_extbuf(ms[i], file + i * 4000, DP_BAD_IOVA,
			4000, &shinfo);
		assert_int_equal(dp_pktmbuf_headroom(ms[i]), 0);
		assert_non_null(dp_pktmbuf_append(ms[i], 4000));
		assert_true(DP_MBUF_HAS_EXTBUF(ms[i]));
		assert_false(DP_MBUF_DIRECT(ms[i]));
		assert_int_equal(dp_mbuf_check(ms[i], 1, NULL), 0);
	}
	assert_int_equal(dp_mbuf_ext_refcnt_read(&shinfo), 5);
	/* Zero copy: the data pointer is the mapping itself. */
	assert_ptr_equal(dp_pktmbuf_mtod(ms[2], uint8_t *), file + 8000);
	assert_int_equal(dp_pktmbuf_mtod(ms[2], uint8_t *)[1], (uint8_t)(8001 * 7));
	/* A clone of an external mbuf shares the buffer (count 6). */
	cl = dp_pktmbuf_clone(ms[4], pool);
	assert_non_null(cl);
	assert_true(DP_MBUF_HAS_EXTBUF(cl));
	assert_int_equal(dp_mbuf_ext_refcnt_read(&shinfo), 6);

	dp_pktmbuf_free_bulk(ms, 4);
	assert_int_equal(rec.calls, 0);
	dp_pktmbuf_free(ms[4]);
	assert_int_equal(rec.calls, 0);
	/* The mbufs went back with their own buffers. */
	assert_int_equal(dp_mempool_in_use_count(pool), 1);
	dp_pktmbuf_free(cl);
	assert_int_equal(rec.calls, 1);
	assert_ptr_equal(rec.opaque, &rec);
	assert_ptr_equal(rec.addr, file + 16000);
	assert_int_equal(dp_mbuf_ext_refcnt_read(&shinfo), 0);
	munmap(file, flen);

	/* Reused mbufs are direct again with their own empty buffer. */
	assert_int_equal(dp_pktmbuf_alloc_bulk(pool, ms, 5), 0);
	for (int i = 0; i < 5; i++) {
		assert_true(DP_MBUF_DIRECT(ms[i]));
		assert_int_equal(ms[i]->buf_len, ROOM);
		assert_ptr_equal(ms[i]->buf_addr, (char *)ms[i] + 128 + 16);
		assert_int_equal(dp_mbuf_check(ms[i], 1, NULL), 0);
	}
	dp_pktmbuf_free_bulk(ms, 5);
	pool_drained(pool);
}

static void
test_extbuf_helper(void **state)
{
	struct ext_rec rec = { 0, NULL, NULL };
	struct dp_mbuf_ext_shared_info *sh;
	struct dp_mbuf *m, *cl, *cl2;
	uint16_t len = 1000, small = 8;
	char *buf = malloc(1000), tiny[8];

	(void)state;
	sh = dp_pktmbuf_ext_shinfo_init_helper(buf, &len, ext_free, &rec);
	assert_non_null(sh);
	assert_true((char *)sh >= buf + len);
	assert_true((char *)(sh + 1) <= buf + 1000);
	assert_true(len < 1000 && len >= 1000 - sizeof(*sh) - 8);
	assert_null(dp_pktmbuf_ext_shinfo_init_helper(tiny, &small, ext_free,
		NULL));
	assert_int_equal(small, 8);
	assert_null(dp_pktmbuf_ext_shinfo_init_helper(buf, &len, NULL, NULL));

	/* The clone goes first, then the mbuf: one callback, at the end. */
	m = dp_pktmbuf_alloc(pool);
	dp_pktmbuf_attach_extbuf(m, buf, 0x1000, len, sh);
	assert_int_equal(m->buf_iova, 0x1000);
	memcpy(dp_pktmbuf_append(m, 5), "hello", 5);
	cl = dp_pktmbuf_clone(m, pool);
	cl2 = dp_pktmbuf_clone(cl, pool);
	assert_int_equal(dp_mbuf_ext_refcnt_read(sh), 3);
	assert_memory_equal(dp_pktmbuf_mtod(cl2, char *), "hello", 5);
	dp_pktmbuf_free(cl);
	dp_pktmbuf_free(cl2);
	assert_int_equal(rec.calls, 0);
	/* Explicit detach: the mbuf keeps living with its own buffer. */
	dp_pktmbuf_detach(m);
	assert_int_equal(rec.calls, 1);
	assert_ptr_equal(rec.addr, buf);
	assert_true(DP_MBUF_DIRECT(m));
	assert_int_equal(m->data_len, 0);
	dp_pktmbuf_detach(m);	/* direct: nothing happens */
	assert_int_equal(rec.calls, 1);
	dp_pktmbuf_free(m);
	assert_int_equal(rec.calls, 1);
	free(buf);
	pool_drained(pool);
}

/* ---- copy ------------------------------------------------------------------------ */

static void
test_copy(void **state)
{
	struct dp_mempool *small;
	struct dp_mbuf *m, *c;
	uint8_t buf[400];
	const uint8_t *p;

	(void)state;
	/* 3 x 100 bytes into a pool of 128-byte buffers (no headroom left). */
	small = dp_pktmbuf_pool_create("mb_small", 16, 0, 0, 160,
		DP_SOCKET_ID_ANY);
	assert_non_null(small);
	m = make_packet(pool, 3);
	c = dp_pktmbuf_copy(m, small, 0, UINT32_MAX);
	assert_non_null(c);
	assert_int_equal(c->pkt_len, 300);
	assert_int_equal(c->nb_segs, 10);	/* 32 bytes of room each */
	assert_int_equal(c->port, 9);
	assert_int_equal(c->ol_flags, DP_MBUF_F_RX_RSS_HASH);
	assert_int_equal(dp_mbuf_check(c, 1, NULL), 0);
	assert_packet_data(c, 3);
	dp_pktmbuf_free(c);
	c = dp_pktmbuf_copy(m, pool, 150, 100);
	assert_int_equal(c->pkt_len, 100);
	assert_int_equal(c->nb_segs, 1);
	p = dp_pktmbuf_read(c, 0, 100, buf);
	for (int i = 0; i < 100; i++)
		assert_int_equal(p[i], (uint8_t)(150 + i));
	dp_pktmbuf_free(c);
	test_log_capture();
	assert_null(dp_pktmbuf_copy(m, pool, 301, 1));
	assert_int_equal(dp_errno, EINVAL);
	assert_logged("copy: offset 301 is beyond the packet (300 bytes)");
	test_log_release();
	/* Out of mbufs half-way: nothing left allocated. */
	{
		struct dp_mbuf *hold[16];

		assert_int_equal(dp_pktmbuf_alloc_bulk(small, hold, 12), 0);
		assert_null(dp_pktmbuf_copy(m, small, 0, UINT32_MAX));
		assert_int_equal(dp_errno, ENOENT);
		assert_int_equal(dp_mempool_in_use_count(small), 12);
		dp_pktmbuf_free_bulk(hold, 12);
	}
	dp_pktmbuf_free(m);
	pool_drained(small);
	dp_mempool_free(small);
	pool_drained(pool);
}

/* ---- checks, names, dump ----------------------------------------------------------- */

static void
test_checks(void **state)
{
	struct dp_mbuf *m, *s;
	const char *why;

	(void)state;
	m = make_packet(pool, 2);
	s = m->next;
	assert_int_equal(dp_mbuf_check(m, 1, &why), 0);
	assert_null(why);
	assert_int_equal(dp_mbuf_sanity_check(m, 1), 0);

	m->nb_segs = 3;
	assert_int_equal(dp_mbuf_check(m, 1, &why), -EINVAL);
	assert_string_equal(why, "nb_segs does not match the chain");
	assert_int_equal(dp_mbuf_check(m, 0, NULL), 0);	/* segment only */
	m->nb_segs = 2;
	m->pkt_len = 201;
	assert_int_equal(dp_mbuf_check(m, 1, &why), -EINVAL);
	assert_string_equal(why, "pkt_len is not the sum of the segments' data_len");
	m->pkt_len = 200;
	s->data_off = (uint16_t)(s->buf_len - 10);
	assert_int_equal(dp_mbuf_check(m, 1, &why), -EINVAL);
	assert_string_equal(why, "data runs past the end of the buffer");
	s->data_off = DP_PKTMBUF_HEADROOM;
	dp_mbuf_refcnt_set(m, 0);
	test_log_capture();
	assert_int_equal(dp_mbuf_sanity_check(m, 1), -EINVAL);
	assert_logged("is inconsistent: refcnt is 0");
	test_log_release();
	dp_mbuf_refcnt_set(m, 1);
	assert_int_equal(dp_mbuf_check(NULL, 0, &why), -EINVAL);
	assert_string_equal(why, "mbuf is NULL");
	dp_pktmbuf_free(m);
	pool_drained(pool);
}

static void
test_names_dump(void **state)
{
	char buf[256], *text = NULL;
	struct dp_mbuf *m;
	size_t len = 0;
	FILE *f;

	(void)state;
	assert_string_equal(dp_mbuf_ol_flag_name(DP_MBUF_F_RX_VLAN), "RX_VLAN");
	assert_string_equal(dp_mbuf_ol_flag_name(DP_MBUF_F_RX_IP_CKSUM_GOOD),
		"RX_IP_CKSUM_GOOD");
	assert_string_equal(dp_mbuf_ol_flag_name(DP_MBUF_F_RX_L4_CKSUM_NONE),
		"RX_L4_CKSUM_NONE");
	assert_string_equal(dp_mbuf_ol_flag_name(DP_MBUF_F_TX_TCP_SEG),
		"TX_TCP_SEG");
	assert_string_equal(dp_mbuf_ol_flag_name(DP_MBUF_F_INDIRECT),
		"INDIRECT");
	assert_null(dp_mbuf_ol_flag_name(1ull << 40));
	assert_null(dp_mbuf_ol_flag_name(0));
	len = (size_t)dp_mbuf_ol_flags_str(DP_MBUF_F_RX_VLAN |
		DP_MBUF_F_RX_IP_CKSUM_BAD | DP_MBUF_F_TX_IPV4 | (1ull << 40),
		buf, sizeof(buf));
	assert_int_equal(len, strlen(buf));
	assert_string_equal(buf, "RX_VLAN RX_IP_CKSUM_BAD RX_L4_CKSUM_UNKNOWN "
		"TX_IPV4 0x10000000000");
	assert_int_equal(dp_mbuf_ol_flags_str(DP_MBUF_F_RX_VLAN, buf, 5),
		-ENOSPC);
	assert_int_equal(dp_get_ptype_name(DP_PTYPE_L2_ETHER |
		DP_PTYPE_L3_IPV4 | DP_PTYPE_L4_UDP, buf, sizeof(buf)), 23);
	assert_string_equal(buf, "L2_ETHER L3_IPV4 L4_UDP");
	dp_get_ptype_name(0, buf, sizeof(buf));
	assert_string_equal(buf, "UNKNOWN");
	dp_get_ptype_name(DP_PTYPE_L2_ETHER | DP_PTYPE_L3_IPV6 | 0x70 |
		DP_PTYPE_L4_TCP, buf, sizeof(buf));
	assert_string_equal(buf, "L2_ETHER L3_0x70 L4_TCP");
	assert_int_equal(dp_get_ptype_name(DP_PTYPE_L3_IPV6, buf, 4), -ENOSPC);

	m = make_packet(pool, 2);
	m->packet_type = DP_PTYPE_L2_ETHER;
	len = 0;
	f = open_memstream(&text, &len);
	dp_pktmbuf_dump(f, m, 20);
	fclose(f);
	assert_non_null(strstr(text, "pool=mb_pool pkt_len=200 nb_segs=2 "
		"port=9 refcnt=1"));
	assert_non_null(strstr(text, "RX_RSS_HASH"));
	assert_non_null(strstr(text, "L2_ETHER"));
	assert_non_null(strstr(text, "segment 1:"));
	assert_non_null(strstr(text, "00 01 02 03"));
	assert_null(strstr(text, "INCONSISTENT"));
	free(text);
	dp_pktmbuf_free(m);
	pool_drained(pool);
}

/* ---- two lcores ------------------------------------------------------------------ */

struct xlcore {
	struct dp_mbuf *ms[64];
	int rc;
};

static int
alloc_on_worker(void *arg)
{
	struct xlcore *x = arg;

	x->rc = dp_pktmbuf_alloc_bulk(pool, x->ms, 64);
	return x->rc;
}

static int
flush_on_worker(void *arg)
{
	(void)arg;
	dp_mempool_cache_flush(NULL, pool);
	return 0;
}

static void
test_cross_lcore(void **state)
{
	struct xlcore x;

	(void)state;
	if (test_worker == DP_MAX_LCORE)
		skip();
	/* RX on one lcore, TX completion (free) on another. */
	for (int round = 0; round < 50; round++) {
		assert_int_equal(dp_eal_remote_launch(alloc_on_worker, &x,
			test_worker), 0);
		assert_int_equal(dp_eal_wait_lcore(test_worker), 0);
		assert_int_equal(dp_mempool_in_use_count(pool), 64);
		dp_pktmbuf_free_bulk(x.ms, 64);
		assert_int_equal(dp_mempool_in_use_count(pool), 0);
	}
	assert_int_equal(dp_eal_remote_launch(flush_on_worker, NULL,
		test_worker), 0);
	assert_int_equal(dp_eal_wait_lcore(test_worker), 0);
	pool_drained(pool);
}

/* ---- pool creation failures ------------------------------------------------------- */

static void
test_pool_failures(void **state)
{
	struct test_usage u0, u1;
	struct dp_mempool *mp;

	(void)state;
	u0 = test_usage_now();
	test_log_capture();
	mp = dp_pktmbuf_pool_create("mb_bad", 100, 0, 12, ROOM,
		DP_SOCKET_ID_ANY);
	assert_null(mp);
	assert_int_equal(dp_errno, EINVAL);
	assert_logged("private size 12 is not a multiple of 8: use 16");
	mp = dp_pktmbuf_pool_create("mb_pool", 100, 0, 0, ROOM,
		DP_SOCKET_ID_ANY);
	assert_null(mp);
	assert_int_equal(dp_errno, EEXIST);
	assert_logged("a pool of that name already exists");
	mp = dp_pktmbuf_pool_create_by_ops("mb_bad", 100, 0, 0, ROOM,
		DP_SOCKET_ID_ANY, "no_such_ops");
	assert_null(mp);
	assert_int_equal(dp_errno, ENOENT);
	assert_logged("no backend named 'no_such_ops'");
	mp = dp_pktmbuf_pool_create("mb_bad", 300000, 256, 0, ROOM,
		DP_SOCKET_ID_ANY);
	assert_null(mp);
	assert_int_equal(dp_errno, ENOMEM);
	assert_logged("not enough EAL memory");
	mp = dp_pktmbuf_pool_create("mb_bad", 100, 100, 0, ROOM,
		DP_SOCKET_ID_ANY);
	assert_null(mp);
	assert_logged("cache size 100 is more than n / 1.5");
	test_log_release();
	u1 = test_usage_now();
	assert_usage_equal(u0, u1);

	/* A pool with data room smaller than the headroom. */
	mp = dp_pktmbuf_pool_create("mb_tiny", 8, 0, 0, 64, DP_SOCKET_ID_ANY);
	assert_non_null(mp);
	{
		struct dp_mbuf *m = dp_pktmbuf_alloc(mp);

		assert_int_equal(m->data_off, 64);
		assert_int_equal(dp_pktmbuf_tailroom(m), 0);
		assert_null(dp_pktmbuf_append(m, 1));
		dp_pktmbuf_free(m);
	}
	pool_drained(mp);
	dp_mempool_free(mp);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pool_and_layout),
		cmocka_unit_test(test_alloc_free),
		cmocka_unit_test(test_reset_on_reuse),
		cmocka_unit_test(test_free_bulk_mixed),
		cmocka_unit_test(test_room_arithmetic),
		cmocka_unit_test(test_chains),
		cmocka_unit_test(test_refcnt),
		cmocka_unit_test(test_clone),
		cmocka_unit_test(test_extbuf_mmap_file),
		cmocka_unit_test(test_extbuf_helper),
		cmocka_unit_test(test_copy),
		cmocka_unit_test(test_checks),
		cmocka_unit_test(test_names_dump),
		cmocka_unit_test(test_cross_lcore),
		cmocka_unit_test(test_pool_failures),
	};
	int rc;

	if (test_eal_setup(TEST_HUGE, RUNNER) < 0)
		return 1;
	if (test_setup(NULL) != 0)
		return 1;
	rc = cmocka_run_group_tests_name(RUNNER, tests, NULL, NULL);
	test_teardown(NULL);
	dp_mempool_free(pool);
	test_eal_teardown(NULL);
	return rc;
}
