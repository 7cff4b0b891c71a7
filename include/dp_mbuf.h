/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DP_MBUF_H
#define DP_MBUF_H

/**
 * @file
 * Packet buffers (mbufs): allocation from pktmbuf pools, data pointers and
 * lengths, chains of segments, reference counts, indirect mbufs (clones
 * that share another mbuf's data) and external buffers (application
 * memory, e.g. an mmap'd file, sent without a copy).
 *
 * Lifetime rules (details in docs/mbuf.md):
 *  - An mbuf from dp_pktmbuf_alloc() has refcnt 1 and one segment. Free a
 *    packet with dp_pktmbuf_free() (all segments) exactly once per
 *    reference; dp_pktmbuf_free_bulk() frees many.
 *  - refcnt counts the owners of a segment. dp_mbuf_refcnt_update() adds
 *    owners; each dp_pktmbuf_free() removes one and the last returns the
 *    segment to its pool. A count of 1 is changed without an atomic
 *    instruction (only one owner exists then).
 *  - nb_segs of a head is the number of segments in its chain: free trusts
 *    it (a head with nb_segs 1 is freed without reading next). Build chains
 *    with dp_pktmbuf_chain(); dp_mbuf_check() finds a head whose nb_segs
 *    does not match its chain.
 *  - Every mbuf in a pool has next NULL, nb_segs 1 and refcnt 1; the free
 *    functions restore that (writing the second cache line only when it
 *    changed).
 *  - A PMD owns an mbuf from the moment it takes it (RX refill, TX burst)
 *    until it hands it to the application (RX) or frees it (TX done).
 *
 * None of the inline functions here logs: they report a bad request by
 * their return value (NULL, or a negative errno) and leave the mbuf as it
 * was.
 */

#include <stdio.h>
#include <string.h>

#include <dp_common.h>
#include <dp_mempool.h>
#include <dp_mbuf_core.h>
#include <dp_mbuf_ptype.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- pools ------------------------------------------------------------------------ */

/**
 * Create a pool of packet mbufs with the default backend ("ring_mp_mc").
 *
 * @param name
 *   Pool name (at most DP_MEMPOOL_NAMESIZE - 1 characters).
 * @param n
 *   Number of mbufs.
 * @param cache_size
 *   Per-lcore cache (0, or up to DP_MEMPOOL_CACHE_MAX_SIZE and n / 1.5).
 * @param priv_size
 *   Application bytes between each mbuf and its data buffer: a multiple
 *   of DP_MBUF_PRIV_ALIGN.
 * @param data_room_size
 *   Data buffer size, headroom included (DP_MBUF_DEFAULT_BUF_SIZE: 2 KB
 *   of data after DP_PKTMBUF_HEADROOM).
 * @param socket_id
 *   NUMA node, or DP_SOCKET_ID_ANY.
 * @return
 *   The pool, or NULL with dp_errno set (logged): EINVAL, ENAMETOOLONG,
 *   EEXIST, ENOMEM.
 */
struct dp_mempool *dp_pktmbuf_pool_create(const char *name, unsigned int n,
	unsigned int cache_size, uint16_t priv_size, uint16_t data_room_size,
	int socket_id);

/**
 * dp_pktmbuf_pool_create() with a chosen backend.
 *
 * @param ops_name
 *   Backend name; NULL for DP_MBUF_DEFAULT_MEMPOOL_OPS.
 */
struct dp_mempool *dp_pktmbuf_pool_create_by_ops(const char *name,
	unsigned int n, unsigned int cache_size, uint16_t priv_size,
	uint16_t data_room_size, int socket_id, const char *ops_name);

/**
 * Pool constructor for pools built in steps: fills the private area.
 *
 * @param opaque_arg
 *   A struct dp_pktmbuf_pool_private with mbuf_data_room_size and
 *   mbuf_priv_size, or NULL to derive them from the element size (no
 *   private area).
 */
void dp_pktmbuf_pool_init(struct dp_mempool *mp, void *opaque_arg);

/**
 * Object constructor for pools built in steps: sets up one mbuf (buffer
 * address, IOVA, lengths, pool). dp_pktmbuf_pool_init() must have run.
 */
void dp_pktmbuf_init(struct dp_mempool *mp, void *opaque_arg, void *m,
	unsigned int i);

/** @internal Private area of a pktmbuf pool. */
static __dp_always_inline struct dp_pktmbuf_pool_private *
__dp_pktmbuf_pool_priv(struct dp_mempool *mp)
{
	return (struct dp_pktmbuf_pool_private *)dp_mempool_get_priv(mp);
}

/** Data buffer size of the pool's mbufs (headroom included). */
static inline uint16_t
dp_pktmbuf_data_room_size(struct dp_mempool *mp)
{
	return __dp_pktmbuf_pool_priv(mp)->mbuf_data_room_size;
}

/** Private area size of the pool's mbufs. */
static inline uint16_t
dp_pktmbuf_priv_size(struct dp_mempool *mp)
{
	return __dp_pktmbuf_pool_priv(mp)->mbuf_priv_size;
}

/* ---- data pointers ---------------------------------------------------------------- */

/** Pointer to byte @p o of the data of segment @p m, cast to type @p t. */
#define dp_pktmbuf_mtod_offset(m, t, o) \
	((t)(void *)((char *)(m)->buf_addr + (m)->data_off + (o)))

/** Pointer to the data of segment @p m, cast to type @p t. */
#define dp_pktmbuf_mtod(m, t) dp_pktmbuf_mtod_offset(m, t, 0)

/** Bytes in the packet (all segments). */
#define dp_pktmbuf_pkt_len(m) ((m)->pkt_len)

/** Bytes of data in segment @p m. */
#define dp_pktmbuf_data_len(m) ((m)->data_len)

/** IOVA of the data of segment @p m (what an RX/TX descriptor gets). */
static inline dp_iova_t
dp_pktmbuf_data_iova(const struct dp_mbuf *m)
{
	return m->buf_iova + m->data_off;
}

/** IOVA of the data of @p m with the default headroom (RX refill). */
static inline dp_iova_t
dp_pktmbuf_data_iova_default(const struct dp_mbuf *m)
{
	return m->buf_iova + DP_PKTMBUF_HEADROOM;
}

/** Private area of @p m (priv_size bytes right after the structure). */
static inline void *
dp_mbuf_to_priv(struct dp_mbuf *m)
{
	return m + 1;
}

/** Bytes in front of the data of segment @p m. */
static inline uint16_t
dp_pktmbuf_headroom(const struct dp_mbuf *m)
{
	return m->data_off;
}

/** Bytes free after the data of segment @p m. */
static inline uint16_t
dp_pktmbuf_tailroom(const struct dp_mbuf *m)
{
	return (uint16_t)(m->buf_len - m->data_off - m->data_len);
}

/** Last segment of the packet. */
static inline struct dp_mbuf *
dp_pktmbuf_lastseg(struct dp_mbuf *m)
{
	while (m->next != NULL)
		m = m->next;
	return m;
}

/** Is the packet one segment? (1 or 0) */
static inline int
dp_pktmbuf_is_contiguous(const struct dp_mbuf *m)
{
	return m->nb_segs == 1;
}

/* ---- reference counts -------------------------------------------------------------- */

/** Reference count of a segment. */
static __dp_always_inline uint16_t
dp_mbuf_refcnt_read(const struct dp_mbuf *m)
{
	return __atomic_load_n(&m->refcnt, __ATOMIC_RELAXED);
}

/** Set the reference count (the caller must be the only owner). */
static __dp_always_inline void
dp_mbuf_refcnt_set(struct dp_mbuf *m, uint16_t value)
{
	__atomic_store_n(&m->refcnt, value, __ATOMIC_RELAXED);
}

/**
 * Add @p value (may be negative) to the reference count.
 *
 * @return
 *   The new count.
 */
static __dp_always_inline uint16_t
dp_mbuf_refcnt_update(struct dp_mbuf *m, int16_t value)
{
	/*
	 * With one reference the caller is the only owner: no other
	 * thread can change the count, so a plain store is exact.
	 */
	if (likely(dp_mbuf_refcnt_read(m) == 1)) {
		uint16_t v = (uint16_t)(1 + value);

		dp_mbuf_refcnt_set(m, v);
		return v;
	}
	/*
	 * Release: our writes to the packet happen before another owner
	 * sees the drop; acquire: the owner that reaches 0 sees theirs.
	 */
	return __atomic_add_fetch(&m->refcnt, (uint16_t)value,
		__ATOMIC_ACQ_REL);
}

/** Attached mbufs of an external buffer. */
static inline uint32_t
dp_mbuf_ext_refcnt_read(const struct dp_mbuf_ext_shared_info *shinfo)
{
	return __atomic_load_n(&shinfo->refcnt, __ATOMIC_RELAXED);
}

/** Add @p value to an external buffer's count; returns the new count. */
static inline uint32_t
dp_mbuf_ext_refcnt_update(struct dp_mbuf_ext_shared_info *shinfo,
	int32_t value)
{
	return __atomic_add_fetch(&shinfo->refcnt, (uint32_t)value,
		__ATOMIC_ACQ_REL);
}

/** Does @p m own its data buffer (neither indirect nor external)? */
#define DP_MBUF_DIRECT(m) (!((m)->ol_flags & DP_MBUF_F_ATTACHED))
/** Is @p m an indirect mbuf (a clone's segment)? */
#define DP_MBUF_HAS_INDIRECT(m) (!!((m)->ol_flags & DP_MBUF_F_INDIRECT))
/** Is @p m attached to an external buffer? */
#define DP_MBUF_HAS_EXTBUF(m) (!!((m)->ol_flags & DP_MBUF_F_EXTERNAL))

/** The direct mbuf whose buffer the indirect @p mi uses. */
static inline struct dp_mbuf *
dp_mbuf_from_indirect(struct dp_mbuf *mi)
{
	return mi->direct;
}

/* ---- raw alloc / free (PMDs) --------------------------------------------------------- */

/**
 * Take one mbuf without resetting it: refcnt 1, nb_segs 1, next NULL and
 * the buffer fields are right, the rest is what the last user left. For
 * PMDs that re-arm the fields they need themselves.
 *
 * @return
 *   The mbuf, or NULL when the pool is empty.
 */
static __dp_always_inline struct dp_mbuf *
dp_mbuf_raw_alloc(struct dp_mempool *mp)
{
	void *m;

	if (unlikely(dp_mempool_get(mp, &m) < 0))
		return NULL;
	return (struct dp_mbuf *)m;
}

/**
 * Take @p n mbufs without resetting them (see dp_mbuf_raw_alloc()), all
 * or none.
 *
 * @return
 *   0, or -ENOENT (none taken).
 */
static __dp_always_inline int
dp_mbuf_raw_alloc_bulk(struct dp_mempool *mp, struct dp_mbuf **mbufs,
	unsigned int n)
{
	return dp_mempool_get_bulk(mp, (void **)mbufs, n);
}

/**
 * Return one mbuf to its pool as it is. It must be in the pool's state:
 * refcnt 1, nb_segs 1, next NULL, direct (what dp_pktmbuf_prefree_seg()
 * returns).
 */
static __dp_always_inline void
dp_mbuf_raw_free(struct dp_mbuf *m)
{
	dp_mempool_put(m->pool, m);
}

/* ---- reset and alloc ------------------------------------------------------------------ */

/** Set data_off to the default headroom (or buf_len if smaller). */
static inline void
dp_pktmbuf_reset_headroom(struct dp_mbuf *m)
{
	m->data_off = (uint16_t)DP_MIN((uint16_t)DP_PKTMBUF_HEADROOM,
		m->buf_len);
}

/**
 * Reset the packet fields of a single-segment mbuf (what an allocation
 * gives): no data, default headroom, no flags, no port. The data buffer
 * it is attached to is kept.
 */
static inline void
dp_pktmbuf_reset(struct dp_mbuf *m)
{
	m->next = NULL;
	m->pkt_len = 0;
	m->tx_offload = 0;
	m->vlan_tci = 0;
	m->vlan_tci_outer = 0;
	m->nb_segs = 1;
	m->port = DP_MBUF_PORT_INVALID;
	m->ol_flags &= DP_MBUF_F_ATTACHED;
	m->packet_type = 0;
	dp_pktmbuf_reset_headroom(m);
	m->data_len = 0;
}

/**
 * @internal
 * Reset an mbuf that just left its pool (so refcnt 1, nb_segs 1, next
 * NULL, direct, buf_len = the pool's data room): bytes 16..55 come from
 * the pool's template in two stores, plus tx_offload.
 */
static __dp_always_inline void
__dp_pktmbuf_reset_fresh(struct dp_mbuf *m, const uint64_t *fresh)
{
	char *p = (char *)m;

	__builtin_memcpy(p + offsetof(struct dp_mbuf, rearm_data), fresh, 32);
	__builtin_memcpy(p + offsetof(struct dp_mbuf, hash.fdir.id), fresh + 4,
		8);
	m->tx_offload = 0;
}

/**
 * Allocate one mbuf, reset (one segment, no data, default headroom).
 *
 * @return
 *   The mbuf, or NULL when the pool is empty.
 */
static __dp_always_inline struct dp_mbuf *
dp_pktmbuf_alloc(struct dp_mempool *mp)
{
	struct dp_mbuf *m = dp_mbuf_raw_alloc(mp);

	if (likely(m != NULL))
		__dp_pktmbuf_reset_fresh(m, __dp_pktmbuf_pool_priv(mp)->fresh);
	return m;
}

/**
 * Allocate @p count mbufs, reset, all or none.
 *
 * @return
 *   0, or -ENOENT when the pool has fewer (none taken).
 */
static __dp_always_inline int
dp_pktmbuf_alloc_bulk(struct dp_mempool *mp, struct dp_mbuf **mbufs,
	unsigned int count)
{
	const uint64_t *f;
	uint64_t fresh[5];
	unsigned int i;

	if (unlikely(dp_mempool_get_bulk(mp, (void **)mbufs, count) != 0))
		return -ENOENT;
	/*
	 * A local copy: the stores into the mbufs cannot alias it, so the
	 * template stays in registers for the whole loop.
	 */
	f = __dp_pktmbuf_pool_priv(mp)->fresh;
	__builtin_memcpy(fresh, f, sizeof(fresh));
	for (i = 0; i < count; i++)
		__dp_pktmbuf_reset_fresh(mbufs[i], fresh);
	return 0;
}

/* ---- attach / detach ---------------------------------------------------------------- */

/**
 * Make @p mi an indirect mbuf that shares the data of @p m (which may
 * itself be indirect or external: @p mi then shares the same buffer). The
 * buffer's owner gets one more reference; it stays allocated until @p mi
 * and every other user are freed, in any order. Copies the packet fields
 * of @p m into @p mi, as one segment of length m->data_len.
 *
 * @param mi
 *   A direct mbuf with refcnt 1, no data of its own to keep, not part of
 *   a chain.
 * @param m
 *   The segment to share.
 * @return
 *   0, or -EINVAL (logged, nothing changed) if @p mi is attached, shared
 *   or the same as @p m.
 */
int dp_pktmbuf_attach(struct dp_mbuf *mi, struct dp_mbuf *m);

/**
 * Undo dp_pktmbuf_attach() or dp_pktmbuf_attach_extbuf(): drop the
 * reference on the shared buffer (freeing the direct mbuf, or calling the
 * external buffer's free_cb, if it was the last) and give @p m its own
 * empty buffer back. Nothing happens for a direct mbuf.
 */
void dp_pktmbuf_detach(struct dp_mbuf *m);

/**
 * Attach external memory as the data buffer of @p m (zero copy: the
 * packet's data is sent from that memory). The shared info's count goes
 * up by one; when the last mbuf attached to it is freed, its free_cb
 * runs, once. data_off and data_len become 0: set the data with
 * dp_pktmbuf_append() or the length fields.
 *
 * @param m
 *   A direct mbuf with refcnt 1 and no buffer attached.
 * @param buf_addr
 *   The memory.
 * @param buf_iova
 *   Its IOVA (DP_BAD_IOVA if no device will DMA from it, e.g. for
 *   virtual ports that copy).
 * @param buf_len
 *   Bytes.
 * @param shinfo
 *   Shared info (dp_pktmbuf_ext_shinfo_init_helper(), or your own with
 *   refcnt 0), valid until free_cb runs.
 */
static inline void
dp_pktmbuf_attach_extbuf(struct dp_mbuf *m, void *buf_addr,
	dp_iova_t buf_iova, uint16_t buf_len,
	struct dp_mbuf_ext_shared_info *shinfo)
{
	(void)dp_mbuf_ext_refcnt_update(shinfo, 1);
	m->buf_addr = buf_addr;
	m->buf_iova = buf_iova;
	m->buf_len = buf_len;
	m->data_off = 0;
	m->data_len = 0;
	m->ol_flags |= DP_MBUF_F_EXTERNAL;
	m->shinfo = shinfo;
}

/**
 * Carve a shared info from the end of a buffer and set it up (refcnt 0,
 * the callback): for buffers the application can write into. For
 * read-only memory (an mmap'd file) allocate the structure elsewhere.
 *
 * @param buf_addr
 *   The buffer.
 * @param[in,out] buf_len
 *   Its length; reduced by the bytes the shared info takes.
 * @param free_cb
 *   Called once with (buf_addr of the mbuf, fcb_opaque) when the last
 *   attached mbuf is freed. Must not be NULL.
 * @param fcb_opaque
 *   Second argument of free_cb.
 * @return
 *   The shared info, or NULL if the buffer is too small or @p free_cb is
 *   NULL.
 */
static inline struct dp_mbuf_ext_shared_info *
dp_pktmbuf_ext_shinfo_init_helper(void *buf_addr, uint16_t *buf_len,
	dp_mbuf_extbuf_free_callback_t free_cb, void *fcb_opaque)
{
	struct dp_mbuf_ext_shared_info *shinfo;
	uintptr_t end = (uintptr_t)buf_addr + *buf_len;
	uintptr_t at = DP_ALIGN_FLOOR(end - sizeof(*shinfo),
		(uintptr_t)sizeof(uintptr_t));

	if (free_cb == NULL || *buf_len < sizeof(*shinfo) ||
	    at < (uintptr_t)buf_addr)
		return NULL;
	shinfo = (struct dp_mbuf_ext_shared_info *)at;
	shinfo->free_cb = free_cb;
	shinfo->fcb_opaque = fcb_opaque;
	shinfo->refcnt = 0;
	*buf_len = (uint16_t)(at - (uintptr_t)buf_addr);
	return shinfo;
}

/* ---- free ------------------------------------------------------------------------- */

/**
 * @internal
 * dp_pktmbuf_prefree_seg() without the chain fields: for a one-segment
 * packet (a head with nb_segs 1, hence next NULL) the second cache line is
 * not read.
 */
static __dp_always_inline struct dp_mbuf *
__dp_pktmbuf_prefree_single(struct dp_mbuf *m)
{
	if (likely(dp_mbuf_refcnt_read(m) == 1)) {
		if (unlikely(!DP_MBUF_DIRECT(m)))
			dp_pktmbuf_detach(m);
		return m;
	}
	if (__atomic_sub_fetch(&m->refcnt, 1, __ATOMIC_ACQ_REL) == 0) {
		if (unlikely(!DP_MBUF_DIRECT(m)))
			dp_pktmbuf_detach(m);
		/* The pool's state: one reference. */
		dp_mbuf_refcnt_set(m, 1);
		return m;
	}
	return NULL;
}

/**
 * Drop one reference to segment @p m. On the last one, detach it from an
 * indirect or external buffer and put it back in the pool's state
 * (next NULL, nb_segs 1, refcnt 1; each written only if it differs).
 *
 * @return
 *   @p m when the caller must now return it to its pool
 *   (dp_mbuf_raw_free()), NULL when other references remain.
 */
static __dp_always_inline struct dp_mbuf *
dp_pktmbuf_prefree_seg(struct dp_mbuf *m)
{
	m = __dp_pktmbuf_prefree_single(m);
	if (likely(m != NULL)) {
		if (m->next != NULL)
			m->next = NULL;
		if (m->nb_segs != 1)
			m->nb_segs = 1;
	}
	return m;
}

/** Free one segment (drop one reference; not the rest of its chain). */
static __dp_always_inline void
dp_pktmbuf_free_seg(struct dp_mbuf *m)
{
	m = dp_pktmbuf_prefree_seg(m);
	if (likely(m != NULL))
		dp_mbuf_raw_free(m);
}

/** @internal Free every segment of a chain. */
void __dp_pktmbuf_free_chain(struct dp_mbuf *m);

/**
 * Free a packet: drop one reference to each of its segments. NULL is
 * ignored.
 */
static __dp_always_inline void
dp_pktmbuf_free(struct dp_mbuf *m)
{
	if (m == NULL)
		return;
	if (likely(m->nb_segs == 1)) {
		m = __dp_pktmbuf_prefree_single(m);
		if (likely(m != NULL))
			dp_mbuf_raw_free(m);
		return;
	}
	__dp_pktmbuf_free_chain(m);
}

/** @internal Largest group dp_pktmbuf_free_bulk() puts at once. */
#define __DP_PKTMBUF_FREE_GROUP 64

/**
 * Free @p count packets. Consecutive mbufs of the same pool go back in
 * one bulk put; chains are handled; NULL entries are skipped.
 */
static __dp_always_inline void
dp_pktmbuf_free_bulk(struct dp_mbuf **mbufs, unsigned int count)
{
	void *group[__DP_PKTMBUF_FREE_GROUP];
	struct dp_mempool *mp = NULL;
	unsigned int i, nb = 0;

	for (i = 0; i < count; i++) {
		struct dp_mbuf *m = mbufs[i];

		if (unlikely(m == NULL))
			continue;
		if (unlikely(m->nb_segs != 1)) {
			__dp_pktmbuf_free_chain(m);
			continue;
		}
		m = __dp_pktmbuf_prefree_single(m);
		if (unlikely(m == NULL))
			continue;
		if (unlikely(m->pool != mp || nb == __DP_PKTMBUF_FREE_GROUP)) {
			if (nb > 0)
				dp_mempool_put_bulk(mp, group, nb);
			mp = m->pool;
			nb = 0;
		}
		group[nb++] = m;
	}
	if (nb > 0)
		dp_mempool_put_bulk(mp, group, nb);
}

/* ---- data operations ------------------------------------------------------------------ */

/**
 * Make room for @p len bytes in front of the data (headers).
 *
 * @return
 *   Pointer to the new first byte, or NULL (mbuf unchanged) if the
 *   headroom is smaller than @p len.
 */
static inline char *
dp_pktmbuf_prepend(struct dp_mbuf *m, uint16_t len)
{
	if (unlikely(len > dp_pktmbuf_headroom(m)))
		return NULL;
	m->data_off = (uint16_t)(m->data_off - len);
	m->data_len = (uint16_t)(m->data_len + len);
	m->pkt_len += len;
	return (char *)m->buf_addr + m->data_off;
}

/**
 * Add @p len bytes at the end of the packet (in its last segment).
 *
 * @return
 *   Pointer to the first added byte, or NULL (packet unchanged) if the
 *   last segment's tailroom is smaller.
 */
static inline char *
dp_pktmbuf_append(struct dp_mbuf *m, uint16_t len)
{
	struct dp_mbuf *last = dp_pktmbuf_lastseg(m);
	char *tail;

	if (unlikely(len > dp_pktmbuf_tailroom(last)))
		return NULL;
	tail = (char *)last->buf_addr + last->data_off + last->data_len;
	last->data_len = (uint16_t)(last->data_len + len);
	m->pkt_len += len;
	return tail;
}

/**
 * Remove @p len bytes from the start of the packet (within the first
 * segment).
 *
 * @return
 *   Pointer to the new first byte, or NULL (unchanged) if the first
 *   segment holds fewer than @p len bytes.
 */
static inline char *
dp_pktmbuf_adj(struct dp_mbuf *m, uint16_t len)
{
	if (unlikely(len > m->data_len))
		return NULL;
	m->data_len = (uint16_t)(m->data_len - len);
	m->data_off = (uint16_t)(m->data_off + len);
	m->pkt_len -= len;
	return (char *)m->buf_addr + m->data_off;
}

/**
 * Remove @p len bytes from the end of the packet (within the last
 * segment).
 *
 * @return
 *   0, or -EINVAL (unchanged) if the last segment holds fewer than
 *   @p len bytes.
 */
static inline int
dp_pktmbuf_trim(struct dp_mbuf *m, uint16_t len)
{
	struct dp_mbuf *last = dp_pktmbuf_lastseg(m);

	if (unlikely(len > last->data_len))
		return -EINVAL;
	last->data_len = (uint16_t)(last->data_len - len);
	m->pkt_len -= len;
	return 0;
}

/**
 * Append packet @p tail to packet @p head: @p tail's segments become the
 * last ones of @p head, and @p tail must no longer be used as a packet.
 *
 * @return
 *   0, or -EOVERFLOW (nothing changed) if the packet would have more
 *   than DP_MBUF_MAX_NB_SEGS segments.
 */
static inline int
dp_pktmbuf_chain(struct dp_mbuf *head, struct dp_mbuf *tail)
{
	struct dp_mbuf *last;

	if (unlikely((unsigned int)head->nb_segs + tail->nb_segs >
	    DP_MBUF_MAX_NB_SEGS))
		return -EOVERFLOW;
	last = dp_pktmbuf_lastseg(head);
	last->next = tail;
	head->nb_segs = (uint16_t)(head->nb_segs + tail->nb_segs);
	head->pkt_len += tail->pkt_len;
	/* tail is a plain segment now: segment fields only. */
	tail->pkt_len = tail->data_len;
	tail->nb_segs = 1;
	return 0;
}

/**
 * Copy all data into the first segment and free the others.
 *
 * @return
 *   0, or -ENOSPC (unchanged) if the first segment's buffer cannot hold
 *   the packet after its headroom, -EINVAL for an attached (indirect or
 *   external) first segment, whose data must not be written.
 */
int dp_pktmbuf_linearize(struct dp_mbuf *m);

/** @internal Slow path of dp_pktmbuf_read(): copy across segments. */
const void *__dp_pktmbuf_read(const struct dp_mbuf *m, uint32_t off,
	uint32_t len, void *buf);

/**
 * Read @p len bytes at offset @p off of the packet.
 *
 * @return
 *   A pointer into the packet when those bytes are in one segment, else
 *   @p buf after copying them there; NULL if the packet is shorter than
 *   off + len.
 */
static inline const void *
dp_pktmbuf_read(const struct dp_mbuf *m, uint32_t off, uint32_t len,
	void *buf)
{
	if (likely((uint64_t)off + len <= m->data_len))
		return dp_pktmbuf_mtod_offset(m, const char *, off);
	return __dp_pktmbuf_read(m, off, len, buf);
}

/* ---- copies and clones -------------------------------------------------------------- */

/**
 * Make an indirect copy of a packet: new mbufs from @p mp that share the
 * data of every segment of @p md (see dp_pktmbuf_attach()).
 *
 * @return
 *   The clone, or NULL (dp_errno = ENOENT) if @p mp ran out; nothing is
 *   left allocated then.
 */
struct dp_mbuf *dp_pktmbuf_clone(struct dp_mbuf *md, struct dp_mempool *mp);

/**
 * Deep copy of @p len bytes from offset @p off of packet @p m into new
 * mbufs from @p mp (as many segments as needed), with the packet fields.
 *
 * @param len
 *   Bytes; UINT32_MAX for everything after @p off.
 * @return
 *   The copy, or NULL with dp_errno: EINVAL (off beyond the packet),
 *   ENOENT (@p mp ran out; nothing is left allocated).
 */
struct dp_mbuf *dp_pktmbuf_copy(const struct dp_mbuf *m, struct dp_mempool *mp,
	uint32_t off, uint32_t len);

/* ---- checks, names, dump ------------------------------------------------------------ */

/**
 * Check an mbuf's consistency.
 *
 * @param is_header
 *   Also check the packet fields (nb_segs against the chain, pkt_len
 *   against the sum of data_len).
 * @param[out] reason
 *   Receives a constant string saying what is wrong; may be NULL.
 * @return
 *   0, or -EINVAL.
 */
int dp_mbuf_check(const struct dp_mbuf *m, int is_header,
	const char **reason);

/**
 * dp_mbuf_check() that logs what is wrong. Never aborts.
 *
 * @return
 *   0, or -EINVAL (logged).
 */
int dp_mbuf_sanity_check(const struct dp_mbuf *m, int is_header);

/**
 * Name of one offload flag or field value, e.g. "RX_VLAN",
 * "RX_IP_CKSUM_GOOD", "TX_TCP_SEG", "EXTERNAL".
 *
 * @param mask
 *   One flag, or one value of a 2-bit checksum field.
 * @return
 *   The name, or NULL for an unknown mask.
 */
const char *dp_mbuf_ol_flag_name(uint64_t mask);

/**
 * Write the names of every flag set in @p ol_flags, separated by spaces
 * (the RX checksum fields always appear, e.g. "RX_IP_CKSUM_UNKNOWN").
 *
 * @return
 *   Length written, or -ENOSPC if @p buf was too small (truncated).
 */
int dp_mbuf_ol_flags_str(uint64_t ol_flags, char *buf, size_t buflen);

/**
 * Print an mbuf: fields of the packet and of each segment, and up to
 * @p dump_len bytes of data as hex.
 *
 * @param f
 *   Destination (stderr if NULL).
 */
void dp_pktmbuf_dump(FILE *f, const struct dp_mbuf *m, unsigned int dump_len);

#ifdef __cplusplus
}
#endif

#endif /* DP_MBUF_H */
