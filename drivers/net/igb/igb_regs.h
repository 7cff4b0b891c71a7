/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IGB_REGS_H
#define IGB_REGS_H

/*
 * Intel 82576 registers used by the igb PMD, with the datasheet's names
 * (82576EB GbE Controller Datasheet, chapter 8). Offsets in BAR0. The
 * per-queue RX/TX blocks (RDBAL..RXDCTL, TDBAL..TXDCTL) are described by
 * the chip table in igb_ethdev.c and programmed by the shared code in
 * drivers/net/intel_common.
 */

#include "intel_rxtx.h"

/* ---- the accessor pair ------------------------------------------------------ */

static inline uint32_t
igb_read32(const struct intel_hw *hw, uint32_t reg)
{
	return intel_read32(hw, reg);
}

static inline void
igb_write32(const struct intel_hw *hw, uint32_t reg, uint32_t val)
{
	intel_write32(hw, reg, val);
}

/* ---- general (8.2) ------------------------------------------------------------ */

#define IGB_CTRL		0x00000	/* Device Control */
#define  IGB_CTRL_FD		(1u << 0)	/* full duplex */
#define  IGB_CTRL_GIO_MASTER_DISABLE (1u << 2)
#define  IGB_CTRL_SLU		(1u << 6)	/* set link up */
#define  IGB_CTRL_FRCSPD	(1u << 11)	/* force speed */
#define  IGB_CTRL_FRCDPX	(1u << 12)	/* force duplex */
#define  IGB_CTRL_RST		(1u << 26)	/* device reset (self-clearing) */
#define  IGB_CTRL_RFCE		(1u << 27)	/* receive flow control enable */
#define  IGB_CTRL_TFCE		(1u << 28)	/* transmit flow control enable */
#define  IGB_CTRL_VME		(1u << 30)	/* VLAN mode: strip tags on receive */
#define IGB_STATUS		0x00008	/* Device Status */
#define  IGB_STATUS_FD		(1u << 0)	/* full duplex */
#define  IGB_STATUS_LU		(1u << 1)	/* link up */
#define  IGB_STATUS_SPEED_SHIFT	6		/* 00: 10, 01: 100, 1x: 1000 Mb/s */
#define  IGB_STATUS_SPEED_MASK	(3u << 6)
#define  IGB_STATUS_GIO_MASTER_ENABLE (1u << 19)
#define IGB_EECD		0x00010	/* EEPROM/Flash Control */
#define  IGB_EECD_AUTO_RD	(1u << 9)	/* EEPROM auto-read done */
#define IGB_CTRL_EXT		0x00018	/* Extended Device Control */
#define  IGB_CTRL_EXT_DRV_LOAD	(1u << 28)	/* a driver owns the device */
#define IGB_MDIC		0x00020	/* MDI Control (PHY registers) */
#define  IGB_MDIC_REG_SHIFT	16
#define  IGB_MDIC_PHY_SHIFT	21
#define  IGB_MDIC_OP_WRITE	(1u << 26)
#define  IGB_MDIC_OP_READ	(2u << 26)
#define  IGB_MDIC_READY		(1u << 28)
#define  IGB_MDIC_ERROR		(1u << 30)
#define IGB_VET			0x00038	/* VLAN Ether Type */

/* The internal PHY (MII registers through MDIC). */
#define IGB_PHY_ADDR		1
#define IGB_PHY_BMCR		0x00	/* MII control */
#define  IGB_BMCR_SPEED1000	(1u << 6)
#define  IGB_BMCR_FD		(1u << 8)
#define  IGB_BMCR_ANRESTART	(1u << 9)
#define  IGB_BMCR_ANENABLE	(1u << 12)

/* ---- interrupts (8.8) ---------------------------------------------------------- */

#define IGB_ICR			0x000C0	/* Interrupt Cause Read */
#define IGB_ICS			0x000C8	/* Interrupt Cause Set */
#define IGB_IMS			0x000D0	/* Interrupt Mask Set/Read */
#define IGB_IMC			0x000D8	/* Interrupt Mask Clear */
#define  IGB_ICR_TXDW		(1u << 0)	/* transmit descriptor written back */
#define  IGB_ICR_LSC		(1u << 2)	/* link status change */
#define  IGB_ICR_RXDMT0		(1u << 4)	/* receive descriptors low */
#define  IGB_ICR_RXO		(1u << 6)	/* receiver overrun */
#define  IGB_ICR_RXDW		(1u << 7)	/* receive descriptor written back */
#define IGB_GPIE		0x01514	/* General Purpose Interrupt Enable */
#define  IGB_GPIE_NSICR		(1u << 0)	/* ICR clears on read, always */
#define  IGB_GPIE_MSIX_MODE	(1u << 4)	/* one MSI-X vector per EICR bit */
#define  IGB_GPIE_PBA		(1u << 31)	/* MSI-X pending bit array support */
#define IGB_EICS		0x01520	/* Extended Interrupt Cause Set */
#define IGB_EIMS		0x01524	/* Extended Interrupt Mask Set/Read */
#define IGB_EIMC		0x01528	/* Extended Interrupt Mask Clear */
#define IGB_EIAC		0x0152C	/* Extended Interrupt Auto Clear */
#define IGB_EIAM		0x01530	/* Extended Interrupt Auto Mask */
#define IGB_EICR		0x01580	/* Extended Interrupt Cause Read */
#define IGB_EITR(v)		(0x01680 + 4 * (v))	/* Interrupt Throttle */
/*
 * Interrupt Vector Allocation: IVAR(q & 7) holds RX queue q in byte 0
 * (q < 8) or byte 2 (q >= 8), TX queue q in byte 1 or 3.
 */
#define IGB_IVAR0(n)		(0x01700 + 4 * (n))
#define IGB_IVAR_MISC		0x01740	/* byte 1: the "other causes" vector */
#define  IGB_IVAR_VALID		0x80u

/* ---- receive and transmit (8.9, 8.12) ----------------------------------------- */

#define IGB_RCTL		0x00100	/* Receive Control */
#define  IGB_RCTL_EN		(1u << 1)
#define  IGB_RCTL_SBP		(1u << 2)	/* store bad packets */
#define  IGB_RCTL_UPE		(1u << 3)	/* unicast promiscuous */
#define  IGB_RCTL_MPE		(1u << 4)	/* multicast promiscuous */
#define  IGB_RCTL_LPE		(1u << 5)	/* long packets (up to RLPML) */
#define  IGB_RCTL_MO_SHIFT	12		/* multicast table offset */
#define  IGB_RCTL_BAM		(1u << 15)	/* accept broadcast */
#define  IGB_RCTL_VFE		(1u << 18)	/* VLAN filter */
#define  IGB_RCTL_SECRC		(1u << 26)	/* strip the Ethernet CRC */
#define IGB_TCTL		0x00400	/* Transmit Control */
#define  IGB_TCTL_EN		(1u << 1)
#define  IGB_TCTL_PSP		(1u << 3)	/* pad short packets */
#define  IGB_TCTL_CT_SHIFT	4		/* collision threshold */
#define  IGB_TCTL_COLD_SHIFT	12		/* collision distance */
#define  IGB_TCTL_RTLC		(1u << 24)	/* retransmit on late collision */
#define IGB_RXCSUM		0x05000	/* Receive Checksum Control */
#define  IGB_RXCSUM_IPOFLD	(1u << 8)	/* check IPv4 header checksums */
#define  IGB_RXCSUM_TUOFLD	(1u << 9)	/* check TCP/UDP checksums */
#define  IGB_RXCSUM_PCSD	(1u << 13)	/* RSS hash in place of the checksum */
#define IGB_RLPML		0x05004	/* Receive Long Packet Maximum Length */
#define IGB_MTA(n)		(0x05200 + 4 * (n))	/* Multicast Table Array, 128 */
#define IGB_MTA_SIZE		128
#define IGB_RAL(n)		(0x05400 + 8 * (n))	/* Receive Address Low, 16 */
#define IGB_RAH(n)		(0x05404 + 8 * (n))	/* Receive Address High */
#define  IGB_RAH_AV		(1u << 31)	/* address valid */
#define IGB_RAR_ENTRIES		16
#define IGB_MRQC		0x05818	/* Multiple Receive Queues Command */
#define  IGB_MRQC_ENABLE_RSS	0x00000002u	/* RSS, no VMDq */
#define  IGB_MRQC_TCP_IPV4	(1u << 16)
#define  IGB_MRQC_IPV4		(1u << 17)
#define  IGB_MRQC_TCP_IPV6_EX	(1u << 18)
#define  IGB_MRQC_IPV6_EX	(1u << 19)
#define  IGB_MRQC_IPV6		(1u << 20)
#define  IGB_MRQC_TCP_IPV6	(1u << 21)
#define  IGB_MRQC_UDP_IPV4	(1u << 22)
#define  IGB_MRQC_UDP_IPV6	(1u << 23)
#define  IGB_MRQC_UDP_IPV6_EX	(1u << 24)
#define IGB_RETA(n)		(0x05C00 + 4 * (n))	/* Redirection Table, 32 */
#define IGB_RETA_SIZE		128	/* entries, one byte each */
#define IGB_RSSRK(n)		(0x05C80 + 4 * (n))	/* RSS Random Key, 10 */
#define IGB_RSS_KEY_SIZE	40	/* bytes */
#define IGB_RQDPC(q)		(0x0C030 + 0x40 * (q))	/* RX queue drop count */

/* Per-queue blocks (the shared code's chip table). */
#define IGB_RDBAL0		0x0C000
#define IGB_TDBAL0		0x0E000
#define IGB_QUEUE_STRIDE	0x40
#define IGB_SRRCTL_OFF		0x0C	/* SRRCTL inside the RX block */
#define  IGB_SRRCTL_DROP_EN	(1u << 31)
#define  IGB_SRRCTL_BSIZEPKT_MASK 0x7Fu

/* Receive write-back errors (7.1.5.2), where the 82576 puts them. */
#define IGB_RXDERR_CE		(1u << 24)	/* CRC or alignment error */
#define IGB_RXDERR_SE		(1u << 25)	/* symbol error */
#define IGB_RXDERR_SEQ		(1u << 26)	/* sequence error */
#define IGB_RXDERR_CXE		(1u << 28)	/* carrier extension error */
#define IGB_RXDERR_L4E		(1u << 29)	/* TCP/UDP checksum error */
#define IGB_RXDERR_IPE		(1u << 30)	/* IPv4 checksum error */
#define IGB_RXDERR_RXE		(1u << 31)	/* RX data error */

/* ---- statistics (8.19): clear on read ------------------------------------------ */

#define IGB_CRCERRS		0x04000
#define IGB_ALGNERRC		0x04004
#define IGB_SYMERRS		0x04008
#define IGB_RXERRC		0x0400C
#define IGB_MPC			0x04010	/* missed packets (no room in the FIFO) */
#define IGB_SCC			0x04014
#define IGB_ECOL		0x04018
#define IGB_MCC			0x0401C
#define IGB_LATECOL		0x04020
#define IGB_COLC		0x04028
#define IGB_DC			0x04030
#define IGB_TNCRS		0x04034
#define IGB_RLEC		0x04040	/* receive length errors */
#define IGB_XONRXC		0x04048
#define IGB_XONTXC		0x0404C
#define IGB_XOFFRXC		0x04050
#define IGB_XOFFTXC		0x04054
#define IGB_FCRUC		0x04058
#define IGB_PRC64		0x0405C
#define IGB_PRC127		0x04060
#define IGB_PRC255		0x04064
#define IGB_PRC511		0x04068
#define IGB_PRC1023		0x0406C
#define IGB_PRC1522		0x04070
#define IGB_GPRC		0x04074	/* good packets received */
#define IGB_BPRC		0x04078
#define IGB_MPRC		0x0407C
#define IGB_GPTC		0x04080	/* good packets transmitted */
#define IGB_GORCL		0x04088	/* good octets received (64 bit) */
#define IGB_GOTCL		0x04090	/* good octets transmitted (64 bit) */
#define IGB_RNBC		0x040A0	/* receive no buffers */
#define IGB_RUC			0x040A4
#define IGB_RFC			0x040A8
#define IGB_ROC			0x040AC
#define IGB_RJC			0x040B0
#define IGB_TORL		0x040C0	/* total octets received (64 bit) */
#define IGB_TOTL		0x040C8	/* total octets transmitted (64 bit) */
#define IGB_TPR			0x040D0
#define IGB_TPT			0x040D4
#define IGB_PTC64		0x040D8
#define IGB_PTC127		0x040DC
#define IGB_PTC255		0x040E0
#define IGB_PTC511		0x040E4
#define IGB_PTC1023		0x040E8
#define IGB_PTC1522		0x040EC
#define IGB_MPTC		0x040F0
#define IGB_BPTC		0x040F4
#define IGB_TSCTC		0x040F8

#endif /* IGB_REGS_H */
