/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mbuf slow path: pktmbuf pool creation and the per-object constructor,
 * attach/detach of indirect and external buffers, chain free, linearize,
 * reads across segments, clone, deep copy, consistency checks and dump.
 * The fast path (alloc, free, data pointers) is inline in dp_mbuf.h.
 */

#include <inttypes.h>
#include <string.h>

#include <dp_log.h>
#include <dp_mbuf.h>

DP_LOG_REGISTER(mbuf, "mbuf", INFO);

#define MB_LOG(level, ...) DP_LOG(level, mbuf, __VA_ARGS__)

/* ---- pools -------------------------------------------------------------------- */

void
dp_pktmbuf_pool_init(struct dp_mempool *mp, void *opaque_arg)
{
	struct dp_pktmbuf_pool_private *priv = __dp_pktmbuf_pool_priv(mp);
	const struct dp_pktmbuf_pool_private *in = opaque_arg;
	struct dp_mbuf t;
	uint32_t room;

	if (mp->private_data_size < sizeof(*priv) ||
	    mp->elt_size < sizeof(struct dp_mbuf)) {
		MB_LOG(ERR, "pktmbuf pool init '%s': private area (%u bytes) or "
			"object size (%u) too small for an mbuf pool: create it "
			"with private_data_size >= %zu and elt_size >= %zu",
			mp->name, mp->private_data_size, mp->elt_size,
			sizeof(*priv), sizeof(struct dp_mbuf));
		return;
	}
	memset(priv, 0, sizeof(*priv));
	if (in != NULL) {
		priv->mbuf_data_room_size = in->mbuf_data_room_size;
		priv->mbuf_priv_size = in->mbuf_priv_size;
	} else {
		room = mp->elt_size - (uint32_t)sizeof(struct dp_mbuf);
		priv->mbuf_data_room_size = (uint16_t)DP_MIN(room,
			(uint32_t)UINT16_MAX);
	}
	/*
	 * The template of bytes 16..55 of a fresh mbuf, taken from a real
	 * mbuf so that it follows the structure's layout.
	 */
	memset(&t, 0, sizeof(t));
	t.buf_len = priv->mbuf_data_room_size;
	dp_pktmbuf_reset_headroom(&t);
	t.refcnt = 1;
	t.nb_segs = 1;
	t.port = DP_MBUF_PORT_INVALID;
	memcpy(priv->fresh, (char *)&t + offsetof(struct dp_mbuf, rearm_data),
		sizeof(priv->fresh));
}

void
dp_pktmbuf_init(struct dp_mempool *mp, void *opaque_arg, void *obj,
	unsigned int i)
{
	const struct dp_pktmbuf_pool_private *priv = __dp_pktmbuf_pool_priv(mp);
	struct dp_mbuf *m = obj;
	size_t head = sizeof(*m) + priv->mbuf_priv_size;
	dp_iova_t iova = dp_mempool_virt2iova(obj);

	(void)opaque_arg;
	(void)i;
	memset(m, 0, head);
	m->priv_size = priv->mbuf_priv_size;
	m->buf_addr = (char *)m + head;
	m->buf_iova = iova == DP_BAD_IOVA ? DP_BAD_IOVA : iova + head;
	m->buf_len = priv->mbuf_data_room_size;
	dp_pktmbuf_reset_headroom(m);
	m->pool = mp;
	m->nb_segs = 1;
	m->port = DP_MBUF_PORT_INVALID;
	dp_mbuf_refcnt_set(m, 1);
}

struct dp_mempool *
dp_pktmbuf_pool_create_by_ops(const char *name, unsigned int n,
	unsigned int cache_size, uint16_t priv_size, uint16_t data_room_size,
	int socket_id, const char *ops_name)
{
	struct dp_pktmbuf_pool_private priv;
	struct dp_mempool *mp;
	int rc;

	if (priv_size % DP_MBUF_PRIV_ALIGN != 0) {
		MB_LOG(ERR, "pktmbuf pool '%s': private size %u is not a "
			"multiple of %d: use %u", name ? name : "(null)",
			priv_size, DP_MBUF_PRIV_ALIGN,
			DP_ALIGN_CEIL(priv_size, (unsigned int)DP_MBUF_PRIV_ALIGN));
		dp_errno = EINVAL;
		return NULL;
	}
	mp = dp_mempool_create_empty(name, n, (unsigned int)sizeof(struct dp_mbuf)
		+ priv_size + data_room_size, cache_size, sizeof(priv),
		socket_id, 0);
	if (mp == NULL)
		return NULL;	/* logged, dp_errno set */
	rc = dp_mempool_set_ops_byname(mp, ops_name != NULL ? ops_name :
		DP_MBUF_DEFAULT_MEMPOOL_OPS, NULL);
	if (rc < 0)
		goto fail;
	memset(&priv, 0, sizeof(priv));
	priv.mbuf_data_room_size = data_room_size;
	priv.mbuf_priv_size = priv_size;
	dp_pktmbuf_pool_init(mp, &priv);
	rc = dp_mempool_populate_default(mp);
	if (rc < 0)
		goto fail;
	dp_mempool_obj_iter(mp, dp_pktmbuf_init, NULL);
	return mp;
fail:
	dp_mempool_free(mp);
	dp_errno = -rc;
	return NULL;
}

struct dp_mempool *
dp_pktmbuf_pool_create(const char *name, unsigned int n,
	unsigned int cache_size, uint16_t priv_size, uint16_t data_room_size,
	int socket_id)
{
	return dp_pktmbuf_pool_create_by_ops(name, n, cache_size, priv_size,
		data_room_size, socket_id, NULL);
}

/* ---- attach / detach ------------------------------------------------------------ */

/* The packet fields an attach or a copy carries over. */
static void
copy_pkt_fields(struct dp_mbuf *dst, const struct dp_mbuf *src)
{
	dst->port = src->port;
	dst->vlan_tci = src->vlan_tci;
	dst->vlan_tci_outer = src->vlan_tci_outer;
	dst->tx_offload = src->tx_offload;
	dst->hash = src->hash;
	dst->packet_type = src->packet_type;
	dst->timestamp = src->timestamp;
}

int
dp_pktmbuf_attach(struct dp_mbuf *mi, struct dp_mbuf *m)
{
	if (mi == m || !DP_MBUF_DIRECT(mi) || dp_mbuf_refcnt_read(mi) != 1) {
		MB_LOG(ERR, "attach: the mbuf to attach (%p) must be a direct "
			"mbuf with one reference, other than the one shared",
			(void *)mi);
		return -EINVAL;
	}
	if (DP_MBUF_HAS_EXTBUF(m)) {
		/* Share the external buffer itself: one more attached mbuf. */
		(void)dp_mbuf_ext_refcnt_update(m->shinfo, 1);
		mi->shinfo = m->shinfo;
		mi->ol_flags = m->ol_flags;
	} else {
		struct dp_mbuf *md = DP_MBUF_HAS_INDIRECT(m) ?
			dp_mbuf_from_indirect(m) : m;

		(void)dp_mbuf_refcnt_update(md, 1);
		mi->direct = md;
		mi->ol_flags = m->ol_flags | DP_MBUF_F_INDIRECT;
	}
	mi->buf_addr = m->buf_addr;
	mi->buf_iova = m->buf_iova;
	mi->buf_len = m->buf_len;
	mi->data_off = m->data_off;
	mi->data_len = m->data_len;
	mi->next = NULL;
	mi->pkt_len = mi->data_len;
	mi->nb_segs = 1;
	copy_pkt_fields(mi, m);
	return 0;
}

/* Give @m its own buffer back, empty. */
static void
restore_own_buffer(struct dp_mbuf *m)
{
	size_t head = sizeof(*m) + m->priv_size;
	dp_iova_t iova = dp_mempool_virt2iova(m);

	m->buf_addr = (char *)m + head;
	m->buf_iova = iova == DP_BAD_IOVA ? DP_BAD_IOVA : iova + head;
	m->buf_len = dp_pktmbuf_data_room_size(m->pool);
	dp_pktmbuf_reset_headroom(m);
	m->data_len = 0;
	m->ol_flags &= ~DP_MBUF_F_ATTACHED;
	m->shinfo = NULL;
}

void
dp_pktmbuf_detach(struct dp_mbuf *m)
{
	if (DP_MBUF_HAS_EXTBUF(m)) {
		struct dp_mbuf_ext_shared_info *shinfo = m->shinfo;
		void *addr = m->buf_addr;

		restore_own_buffer(m);
		/* The last attached mbuf hands the buffer back, once. */
		if (dp_mbuf_ext_refcnt_update(shinfo, -1) == 0)
			shinfo->free_cb(addr, shinfo->fcb_opaque);
	} else if (DP_MBUF_HAS_INDIRECT(m)) {
		struct dp_mbuf *md = dp_mbuf_from_indirect(m);

		restore_own_buffer(m);
		/*
		 * Our reference on md. If it is the last, md's own packet was
		 * freed before: only this segment goes back.
		 */
		dp_pktmbuf_free_seg(md);
	}
}

/* ---- chains ------------------------------------------------------------------------ */

void
__dp_pktmbuf_free_chain(struct dp_mbuf *m)
{
	while (m != NULL) {
		struct dp_mbuf *next = m->next;

		dp_pktmbuf_free_seg(m);
		m = next;
	}
}

int
dp_pktmbuf_linearize(struct dp_mbuf *m)
{
	struct dp_mbuf *seg, *rest;
	char *dst;

	if (m->nb_segs == 1)
		return 0;
	if (!DP_MBUF_DIRECT(m))
		return -EINVAL;
	if (m->pkt_len > (uint32_t)m->buf_len - m->data_off)
		return -ENOSPC;
	dst = dp_pktmbuf_mtod_offset(m, char *, m->data_len);
	for (seg = m->next; seg != NULL; seg = seg->next) {
		memcpy(dst, dp_pktmbuf_mtod(seg, char *), seg->data_len);
		dst += seg->data_len;
	}
	rest = m->next;
	m->data_len = (uint16_t)m->pkt_len;
	m->next = NULL;
	m->nb_segs = 1;
	__dp_pktmbuf_free_chain(rest);
	return 0;
}

const void *
__dp_pktmbuf_read(const struct dp_mbuf *m, uint32_t off, uint32_t len,
	void *buf)
{
	const struct dp_mbuf *seg = m;
	char *dst = buf;

	if ((uint64_t)off + len > m->pkt_len)
		return NULL;
	while (seg != NULL && off >= seg->data_len) {
		off -= seg->data_len;
		seg = seg->next;
	}
	if (seg == NULL)
		return len == 0 ? buf : NULL;
	if (off + len <= seg->data_len)
		return dp_pktmbuf_mtod_offset(seg, const char *, off);
	while (len > 0 && seg != NULL) {
		uint32_t n = DP_MIN(len, (uint32_t)seg->data_len - off);

		memcpy(dst, dp_pktmbuf_mtod_offset(seg, const char *, off), n);
		dst += n;
		len -= n;
		off = 0;
		seg = seg->next;
	}
	return len == 0 ? buf : NULL;
}

/* ---- clone, copy ------------------------------------------------------------------ */

struct dp_mbuf *
dp_pktmbuf_clone(struct dp_mbuf *md, struct dp_mempool *mp)
{
	struct dp_mbuf *mc, *mi, **prev;
	uint32_t pkt_len = md->pkt_len;
	uint16_t nseg = 0;

	mc = dp_pktmbuf_alloc(mp);
	if (mc == NULL) {
		dp_errno = ENOENT;
		return NULL;
	}
	mi = mc;
	prev = &mc;
	for (;;) {
		(void)dp_pktmbuf_attach(mi, md);	/* mi is fresh: cannot fail */
		*prev = mi;
		prev = &mi->next;
		nseg++;
		md = md->next;
		if (md == NULL)
			break;
		mi = dp_pktmbuf_alloc(mp);
		if (mi == NULL) {
			/* Free what was built: free trusts nb_segs. */
			mc->nb_segs = nseg;
			dp_pktmbuf_free(mc);
			dp_errno = ENOENT;
			return NULL;
		}
	}
	mc->nb_segs = nseg;
	mc->pkt_len = pkt_len;
	return mc;
}

struct dp_mbuf *
dp_pktmbuf_copy(const struct dp_mbuf *m, struct dp_mempool *mp, uint32_t off,
	uint32_t len)
{
	const struct dp_mbuf *seg = m;
	struct dp_mbuf *mc, *dst;
	uint32_t soff;

	if (off > m->pkt_len) {
		MB_LOG(ERR, "copy: offset %u is beyond the packet (%u bytes)",
			off, m->pkt_len);
		dp_errno = EINVAL;
		return NULL;
	}
	if (len > m->pkt_len - off)
		len = m->pkt_len - off;
	mc = dp_pktmbuf_alloc(mp);
	if (mc == NULL) {
		dp_errno = ENOENT;
		return NULL;
	}
	copy_pkt_fields(mc, m);
	mc->ol_flags = m->ol_flags & ~DP_MBUF_F_ATTACHED;
	soff = off;
	while (seg != NULL && soff >= seg->data_len && len > 0) {
		soff -= seg->data_len;
		seg = seg->next;
	}
	dst = mc;
	while (len > 0 && seg != NULL) {
		uint32_t n;

		if (dp_pktmbuf_tailroom(dst) == 0) {
			struct dp_mbuf *nx;

			if (mc->nb_segs == DP_MBUF_MAX_NB_SEGS ||
			    (nx = dp_pktmbuf_alloc(mp)) == NULL) {
				dp_pktmbuf_free(mc);
				dp_errno = ENOENT;
				return NULL;
			}
			dst->next = nx;
			dst = nx;
			mc->nb_segs++;
		}
		n = DP_MIN(len, (uint32_t)seg->data_len - soff);
		n = DP_MIN(n, (uint32_t)dp_pktmbuf_tailroom(dst));
		memcpy(dp_pktmbuf_mtod_offset(dst, char *, dst->data_len),
			dp_pktmbuf_mtod_offset(seg, const char *, soff), n);
		dst->data_len = (uint16_t)(dst->data_len + n);
		mc->pkt_len += n;
		len -= n;
		soff += n;
		if (soff == seg->data_len) {
			seg = seg->next;
			soff = 0;
		}
	}
	return mc;
}

/* ---- checks and dump --------------------------------------------------------------- */

static const char *
check_seg(const struct dp_mbuf *m)
{
	if (m->pool == NULL)
		return "no pool";
	if (m->buf_addr == NULL)
		return "buf_addr is NULL";
	if (DP_MBUF_DIRECT(m) && m->buf_iova == DP_BAD_IOVA &&
	    dp_mempool_virt2iova(m) != DP_BAD_IOVA)
		return "buf_iova is DP_BAD_IOVA in memory that has an IOVA";
	if (dp_mbuf_refcnt_read(m) == 0)
		return "refcnt is 0 (a freed mbuf?)";
	if (DP_MBUF_HAS_INDIRECT(m) && DP_MBUF_HAS_EXTBUF(m))
		return "both indirect and external";
	if (DP_MBUF_HAS_INDIRECT(m) && m->direct == NULL)
		return "indirect without a direct mbuf";
	if (DP_MBUF_HAS_EXTBUF(m) && m->shinfo == NULL)
		return "external buffer without shared info";
	if (m->data_off > m->buf_len)
		return "data_off is beyond the buffer";
	if ((uint32_t)m->data_off + m->data_len > m->buf_len)
		return "data runs past the end of the buffer";
	return NULL;
}

int
dp_mbuf_check(const struct dp_mbuf *m, int is_header, const char **reason)
{
	const char *why = NULL;

	if (m == NULL) {
		why = "mbuf is NULL";
	} else if ((why = check_seg(m)) == NULL && is_header) {
		const struct dp_mbuf *seg = m;
		uint32_t nseg = 0;
		uint64_t len = 0;

		while (seg != NULL && nseg <= m->nb_segs) {
			if (seg != m && (why = check_seg(seg)) != NULL)
				break;
			len += seg->data_len;
			nseg++;
			seg = seg->next;
		}
		if (why == NULL && (nseg != m->nb_segs || seg != NULL))
			why = "nb_segs does not match the chain";
		else if (why == NULL && len != m->pkt_len)
			why = "pkt_len is not the sum of the segments' data_len";
	}
	if (reason != NULL)
		*reason = why;
	return why == NULL ? 0 : -EINVAL;
}

int
dp_mbuf_sanity_check(const struct dp_mbuf *m, int is_header)
{
	const char *why;

	if (dp_mbuf_check(m, is_header, &why) == 0)
		return 0;
	MB_LOG(ERR, "mbuf %p is inconsistent: %s", (const void *)m, why);
	return -EINVAL;
}

static void
hexdump(FILE *f, const uint8_t *p, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < len; i++)
		fprintf(f, "%s%02x%s", i % 16 == 0 ? "      " : "", p[i],
			i % 16 == 15 || i + 1 == len ? "\n" : " ");
}

void
dp_pktmbuf_dump(FILE *f, const struct dp_mbuf *m, unsigned int dump_len)
{
	char flags[256], ptype[64];
	const struct dp_mbuf *seg;
	const char *why;
	unsigned int nseg = 0;

	if (f == NULL)
		f = stderr;
	if (m == NULL) {
		fprintf(f, "mbuf <NULL>\n");
		return;
	}
	(void)dp_mbuf_ol_flags_str(m->ol_flags, flags, sizeof(flags));
	(void)dp_get_ptype_name(m->packet_type, ptype, sizeof(ptype));
	fprintf(f, "mbuf %p pool=%s pkt_len=%u nb_segs=%u port=%u "
		"refcnt=%u\n", (const void *)m,
		m->pool ? dp_mempool_name(m->pool) : "(none)", m->pkt_len,
		m->nb_segs, m->port, dp_mbuf_refcnt_read(m));
	fprintf(f, "  ol_flags=0x%" PRIx64 " %s\n", m->ol_flags, flags);
	fprintf(f, "  packet_type=0x%x %s vlan_tci=%u vlan_tci_outer=%u "
		"rss=0x%08x\n", m->packet_type, ptype, m->vlan_tci,
		m->vlan_tci_outer, m->hash.rss);
	if (dp_mbuf_check(m, 1, &why) != 0)
		fprintf(f, "  INCONSISTENT: %s\n", why);
	for (seg = m; seg != NULL && nseg < m->nb_segs + 1u; seg = seg->next) {
		unsigned int n = DP_MIN(dump_len, (unsigned int)seg->data_len);

		fprintf(f, "  segment %u: %p buf_addr=%p buf_iova=0x%" PRIx64
			" buf_len=%u data_off=%u data_len=%u%s\n", nseg,
			(const void *)seg, seg->buf_addr, seg->buf_iova,
			seg->buf_len, seg->data_off, seg->data_len,
			DP_MBUF_HAS_INDIRECT(seg) ? " indirect" :
			DP_MBUF_HAS_EXTBUF(seg) ? " external" : "");
		hexdump(f, dp_pktmbuf_mtod(seg, const uint8_t *), n);
		dump_len -= n;
		nseg++;
	}
}
