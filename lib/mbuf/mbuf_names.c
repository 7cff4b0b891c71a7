/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Printable names of mbuf offload flags and packet types, for dumps,
 * logs and testpmd-style output.
 */

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <dp_mbuf.h>

struct flag_name {
	uint64_t mask;	/* bits that make up the flag or field */
	uint64_t value;	/* value of those bits */
	const char *name;
};

static const struct flag_name ol_flag_names[] = {
	{ DP_MBUF_F_RX_VLAN, DP_MBUF_F_RX_VLAN, "RX_VLAN" },
	{ DP_MBUF_F_RX_RSS_HASH, DP_MBUF_F_RX_RSS_HASH, "RX_RSS_HASH" },
	{ DP_MBUF_F_RX_VLAN_STRIPPED, DP_MBUF_F_RX_VLAN_STRIPPED,
	  "RX_VLAN_STRIPPED" },
	{ DP_MBUF_F_RX_TIMESTAMP, DP_MBUF_F_RX_TIMESTAMP, "RX_TIMESTAMP" },
	{ DP_MBUF_F_RX_IP_CKSUM_MASK, DP_MBUF_F_RX_IP_CKSUM_UNKNOWN,
	  "RX_IP_CKSUM_UNKNOWN" },
	{ DP_MBUF_F_RX_IP_CKSUM_MASK, DP_MBUF_F_RX_IP_CKSUM_BAD,
	  "RX_IP_CKSUM_BAD" },
	{ DP_MBUF_F_RX_IP_CKSUM_MASK, DP_MBUF_F_RX_IP_CKSUM_GOOD,
	  "RX_IP_CKSUM_GOOD" },
	{ DP_MBUF_F_RX_IP_CKSUM_MASK, DP_MBUF_F_RX_IP_CKSUM_NONE,
	  "RX_IP_CKSUM_NONE" },
	{ DP_MBUF_F_RX_L4_CKSUM_MASK, DP_MBUF_F_RX_L4_CKSUM_UNKNOWN,
	  "RX_L4_CKSUM_UNKNOWN" },
	{ DP_MBUF_F_RX_L4_CKSUM_MASK, DP_MBUF_F_RX_L4_CKSUM_BAD,
	  "RX_L4_CKSUM_BAD" },
	{ DP_MBUF_F_RX_L4_CKSUM_MASK, DP_MBUF_F_RX_L4_CKSUM_GOOD,
	  "RX_L4_CKSUM_GOOD" },
	{ DP_MBUF_F_RX_L4_CKSUM_MASK, DP_MBUF_F_RX_L4_CKSUM_NONE,
	  "RX_L4_CKSUM_NONE" },
	{ DP_MBUF_F_TX_VLAN, DP_MBUF_F_TX_VLAN, "TX_VLAN" },
	{ DP_MBUF_F_TX_IPV4, DP_MBUF_F_TX_IPV4, "TX_IPV4" },
	{ DP_MBUF_F_TX_IPV6, DP_MBUF_F_TX_IPV6, "TX_IPV6" },
	{ DP_MBUF_F_TX_IP_CKSUM, DP_MBUF_F_TX_IP_CKSUM, "TX_IP_CKSUM" },
	{ DP_MBUF_F_TX_TCP_CKSUM, DP_MBUF_F_TX_TCP_CKSUM, "TX_TCP_CKSUM" },
	{ DP_MBUF_F_TX_UDP_CKSUM, DP_MBUF_F_TX_UDP_CKSUM, "TX_UDP_CKSUM" },
	{ DP_MBUF_F_TX_TCP_SEG, DP_MBUF_F_TX_TCP_SEG, "TX_TCP_SEG" },
	{ DP_MBUF_F_EXTERNAL, DP_MBUF_F_EXTERNAL, "EXTERNAL" },
	{ DP_MBUF_F_INDIRECT, DP_MBUF_F_INDIRECT, "INDIRECT" },
};

const char *
dp_mbuf_ol_flag_name(uint64_t mask)
{
	size_t i;

	/*
	 * A checksum field value is looked up as a value of its field; the
	 * "unknown" values are 0 and cannot be named by their mask alone.
	 */
	for (i = 0; i < DP_DIM(ol_flag_names); i++) {
		const struct flag_name *f = &ol_flag_names[i];

		if (mask != 0 && (mask & ~f->mask) == 0 && mask == f->value)
			return f->name;
	}
	return NULL;
}

/* Append to a bounded string; remembers overflow. */
struct strbuf {
	char *buf;
	size_t size;
	size_t len;
	bool overflow;
};

static void __dp_format_printf(2, 3)
sb_add(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (sb->overflow)
		return;
	va_start(ap, fmt);
	n = vsnprintf(sb->buf + sb->len, sb->size - sb->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sb->size - sb->len) {
		sb->overflow = true;
		sb->len = sb->size - 1;
	} else {
		sb->len += (size_t)n;
	}
}

static int
sb_result(const struct strbuf *sb)
{
	return sb->overflow ? -ENOSPC : (int)sb->len;
}

int
dp_mbuf_ol_flags_str(uint64_t ol_flags, char *buf, size_t buflen)
{
	struct strbuf sb = { buf, buflen, 0, false };
	uint64_t known = 0;
	size_t i;

	if (buf == NULL || buflen == 0)
		return -EINVAL;
	buf[0] = '\0';
	for (i = 0; i < DP_DIM(ol_flag_names); i++) {
		const struct flag_name *f = &ol_flag_names[i];

		known |= f->mask;
		if ((ol_flags & f->mask) == f->value)
			sb_add(&sb, "%s%s", sb.len ? " " : "", f->name);
	}
	if (ol_flags & ~known)
		sb_add(&sb, "%s0x%" PRIx64, sb.len ? " " : "",
			ol_flags & ~known);
	return sb_result(&sb);
}

static const char *const l2_names[16] = {
	[DP_PTYPE_L2_ETHER] = "L2_ETHER",
	[DP_PTYPE_L2_ETHER_VLAN] = "L2_ETHER_VLAN",
	[DP_PTYPE_L2_ETHER_QINQ] = "L2_ETHER_QINQ",
};

static const char *const l3_names[16] = {
	[DP_PTYPE_L3_IPV4 >> 4] = "L3_IPV4",
	[DP_PTYPE_L3_IPV6 >> 4] = "L3_IPV6",
};

static const char *const l4_names[16] = {
	[DP_PTYPE_L4_TCP >> 8] = "L4_TCP",
	[DP_PTYPE_L4_UDP >> 8] = "L4_UDP",
	[DP_PTYPE_L4_ICMP >> 8] = "L4_ICMP",
	[DP_PTYPE_L4_FRAG >> 8] = "L4_FRAG",
	[DP_PTYPE_L4_SCTP >> 8] = "L4_SCTP",
};

static void
add_layer(struct strbuf *sb, const char *const *names, const char *layer,
	uint32_t field, uint32_t shift)
{
	uint32_t v = field >> shift;

	if (v == 0)
		return;
	if (names[v] != NULL)
		sb_add(sb, "%s%s", sb->len ? " " : "", names[v]);
	else
		sb_add(sb, "%s%s_0x%x", sb->len ? " " : "", layer, field);
}

int
dp_get_ptype_name(uint32_t ptype, char *buf, size_t size)
{
	struct strbuf sb = { buf, size, 0, false };

	if (buf == NULL || size == 0)
		return -EINVAL;
	buf[0] = '\0';
	if ((ptype & DP_PTYPE_ALL_MASK) == DP_PTYPE_UNKNOWN) {
		sb_add(&sb, "UNKNOWN");
	} else {
		add_layer(&sb, l2_names, "L2", ptype & DP_PTYPE_L2_MASK, 0);
		add_layer(&sb, l3_names, "L3", ptype & DP_PTYPE_L3_MASK, 4);
		add_layer(&sb, l4_names, "L4", ptype & DP_PTYPE_L4_MASK, 8);
	}
	if (ptype & ~DP_PTYPE_ALL_MASK)
		sb_add(&sb, " 0x%x", ptype & ~DP_PTYPE_ALL_MASK);
	return sb_result(&sb);
}
