/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef INTEL_DESC_H
#define INTEL_DESC_H

/*
 * The advanced receive and transmit descriptors of the Intel 82576 (igb)
 * and 82599 (ixgbe): 16 bytes each, the same layout bit for bit on both
 * chips (82576 datasheet 7.1.5 and 7.2.2.3, 82599 datasheet 7.1.6 and
 * 7.2.3.2). The few bits that differ (receive error positions, the
 * transmit "check context" bit) are in the chip table of intel_rxtx.h,
 * not here. All fields are little endian in memory.
 */

#include <stdint.h>

#include <dp_common.h>

/* ---- receive ------------------------------------------------------------ */

/*
 * One receive descriptor. Software writes the read format (buffer
 * addresses); the NIC overwrites it with the write-back format when it
 * has filled the buffer, DD last.
 */
union intel_rx_desc {
	struct {
		uint64_t pkt_addr;	/* IOVA of the packet buffer */
		uint64_t hdr_addr;	/* header buffer (0: no split); its
					 * low bit is where DD is written back */
	} read;
	struct {
		uint32_t info;		/* RSS type 3:0, packet type 16:4 */
		uint32_t rss;		/* RSS hash (RXCSUM.PCSD set) */
		uint32_t status_error;	/* status 19:0, errors 31:20 */
		uint16_t length;	/* bytes written in this buffer */
		uint16_t vlan;		/* stripped 802.1Q tag (status VP) */
	} wb;
};

DP_BUILD_BUG_ON(sizeof(union intel_rx_desc) != 16);

/* Write-back status bits, same on 82576 and 82599. */
#define INTEL_RXD_STAT_DD	(1u << 0)	/* descriptor done */
#define INTEL_RXD_STAT_EOP	(1u << 1)	/* last descriptor of the frame */
#define INTEL_RXD_STAT_VP	(1u << 3)	/* 802.1Q frame, tag in wb.vlan */
#define INTEL_RXD_STAT_UDPCS	(1u << 4)	/* UDP checksum was checked */
#define INTEL_RXD_STAT_L4CS	(1u << 5)	/* TCP/UDP checksum was checked */
#define INTEL_RXD_STAT_IPCS	(1u << 6)	/* IPv4 header checksum was checked */

/* wb.info: RSS type (0: no hash) and packet type bits. */
#define INTEL_RXD_RSS_TYPE_MASK	0x0000000fu
#define INTEL_RXD_PKT_IPV4	(1u << 4)
#define INTEL_RXD_PKT_IPV4_EX	(1u << 5)
#define INTEL_RXD_PKT_IPV6	(1u << 6)
#define INTEL_RXD_PKT_IPV6_EX	(1u << 7)
#define INTEL_RXD_PKT_TCP	(1u << 8)
#define INTEL_RXD_PKT_UDP	(1u << 9)
#define INTEL_RXD_PKT_SCTP	(1u << 10)
/* Bit 11 of the packet type: the frame matched an EtherType filter. */
#define INTEL_RXD_PKT_ETQF	(1u << 15)

/* ---- transmit --------------------------------------------------------------- */

/* One transmit descriptor: data (read format) or its write-back. */
union intel_tx_desc {
	struct {
		uint64_t buffer_addr;	/* IOVA of the data */
		uint32_t cmd_type_len;	/* DCMD, DTYP, data length */
		uint32_t olinfo_status;	/* PAYLEN, POPTS, context index */
	} read;
	struct {
		uint64_t rsvd;
		uint32_t nxtseq_seed;
		uint32_t status;	/* DD in bit 0 (RS descriptors only) */
	} wb;
};

DP_BUILD_BUG_ON(sizeof(union intel_tx_desc) != 16);

/* Transmit context descriptor (offload parameters for the next packets). */
struct intel_tx_ctx_desc {
	uint32_t vlan_macip_lens;	/* VLAN 31:16, MACLEN 15:9, IPLEN 8:0 */
	uint32_t seqnum_seed;
	uint32_t type_tucmd_mlhl;	/* DEXT, DTYP = context, TUCMD */
	uint32_t mss_l4len_idx;		/* MSS 31:16, L4LEN 15:8, IDX */
};

DP_BUILD_BUG_ON(sizeof(struct intel_tx_ctx_desc) != 16);

#define INTEL_TXD_DTYP_CTXT	0x00200000u	/* context descriptor */
#define INTEL_TXD_DTYP_DATA	0x00300000u	/* data descriptor */
#define INTEL_TXD_CMD_EOP	0x01000000u	/* end of packet */
#define INTEL_TXD_CMD_IFCS	0x02000000u	/* insert the Ethernet CRC */
#define INTEL_TXD_CMD_RS	0x08000000u	/* report status (write DD back) */
#define INTEL_TXD_CMD_DEXT	0x20000000u	/* advanced format */
#define INTEL_TXD_CMD_VLE	0x40000000u	/* insert the context's VLAN tag */
#define INTEL_TXD_LEN_MASK	0x0000ffffu

#define INTEL_TXD_PAYLEN_SHIFT	14		/* olinfo: frame length */
#define INTEL_TXD_POPTS_IXSM	0x00000100u	/* olinfo: insert IPv4 checksum */
#define INTEL_TXD_POPTS_TXSM	0x00000200u	/* olinfo: insert TCP/UDP checksum */
#define INTEL_TXD_STAT_DD	0x00000001u	/* write-back: done */

#define INTEL_TXCTX_MACLEN_SHIFT 9		/* vlan_macip_lens */
#define INTEL_TXCTX_VLAN_SHIFT	16		/* vlan_macip_lens */
#define INTEL_TXCTX_TUCMD_IPV4	0x00000400u	/* type_tucmd_mlhl: IPv4 */
#define INTEL_TXCTX_TUCMD_L4_UDP 0x00000000u	/* type_tucmd_mlhl: L4 is UDP */
#define INTEL_TXCTX_TUCMD_L4_TCP 0x00000800u	/* type_tucmd_mlhl: L4 is TCP */

#endif /* INTEL_DESC_H */
