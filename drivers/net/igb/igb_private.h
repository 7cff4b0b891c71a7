/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IGB_PRIVATE_H
#define IGB_PRIVATE_H

/*
 * State of one 82576 port and what the igb PMD's files share:
 * igb_ethdev.c (probe, port operations), igb_hw.c (reset, link, filters,
 * statistics) and igb_intr.c (link-state and RX interrupts).
 */

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <dp_bus_pci.h>
#include <dp_ethdev_driver.h>
#include <dp_log.h>

#include "igb_regs.h"
#include "intel_rxtx.h"

extern int dp_logtype_net_igb;

/* Log with the device name in front. */
#define IGB_LOG(level, ad, fmt, ...) \
	DP_LOG(level, net_igb, "%s: " fmt, (ad)->hw.name, ##__VA_ARGS__)

#define IGB_MAX_QUEUES 16
/* Largest frame received (82576: jumbo frames of 9.5 KB), CRC included. */
#define IGB_MAX_FRAME 9728
/* Ethernet header, CRC and one VLAN tag on top of the MTU. */
#define IGB_FRAME_OVERHEAD (14 + 4 + 4)
/* How long dev_start waits for the link (QEMU's model: about 0.5 s). */
#define IGB_LINK_WAIT_MS 3000
/* MSI-X vector of the "other" causes (link state, shared RX). */
#define IGB_MSIX_OTHER 0

/* The 82576's table for the shared data path (igb_ethdev.c). */
extern const struct intel_chip igb_chip_82576;

/* One extended statistic kept from the clear-on-read registers. */
struct igb_xstat_def {
	const char *name;
	uint32_t reg;		/* the register (low half for 64-bit ones) */
	bool wide;		/* a 64-bit L/H pair */
};

/* igb_hw.c: the table of hardware counters exposed as xstats. */
extern const struct igb_xstat_def igb_xstats[];
extern const unsigned int igb_nb_xstats;

/* A port. */
struct igb_adapter {
	struct intel_hw hw;		/* BAR0 and the chip table */
	struct dp_pci_device *pci;
	struct dp_eth_dev *eth;
	uint64_t test_iova_offset;	/* devarg test_iova_offset (tests/vm) */
	bool serdes;			/* fiber/SerDes: no MII PHY to talk to */

	/* 64-bit sums of the clear-on-read counters, igb_xstats order. */
	uint64_t *hw_stats;
	uint64_t rqdpc[IGB_MAX_QUEUES];	/* per-queue drops (no descriptor) */
	uint64_t rxq_offloads[IGB_MAX_QUEUES];	/* per-queue rxconf offloads */

	/* Address filters: rar[0] is the port's address. */
	struct dp_ether_addr rar[IGB_RAR_ENTRIES];
	bool rar_used[IGB_RAR_ENTRIES];
	uint32_t mta[IGB_MTA_SIZE];	/* multicast hash filter */

	/* RSS. */
	uint8_t rss_key[IGB_RSS_KEY_SIZE];
	uint8_t reta[IGB_RETA_SIZE];
	bool reta_user;			/* set by dp_eth_dev_rss_reta_update */
	uint64_t rss_hf;

	/* Interrupts (igb_intr.c). */
	pthread_mutex_t intr_lock;	/* rxq_armed and IMS in shared mode */
	bool intr_cb;			/* igb_intr_handler registered */
	bool intr_on;			/* dp_intr_enable() done */
	bool rxq_vectors;		/* a MSI-X vector per RX queue */
	bool rxq_shared;		/* RX interrupts through the other-cause vector */
	uint16_t nb_efd;		/* shared_efd in use */
	int shared_efd[IGB_MAX_QUEUES];
	uint32_t rxq_armed;		/* shared mode: armed queues (bit per queue) */
	uint64_t lsc_events;		/* link changes seen by the handler */
};

static inline struct igb_adapter *
igb_adapter(const struct dp_eth_dev *dev)
{
	return dev->data->dev_private;
}

/* ---- igb_hw.c ----------------------------------------------------------------- */

/*
 * Global reset (CTRL.RST) with GIO master disable before it, then the
 * EEPROM auto-read wait and all interrupts masked. 0 or -ETIMEDOUT.
 */
int igb_hw_reset(struct igb_adapter *ad);

/* Read the MAC address from RAL0/RAH0 into *mac; false if not valid. */
bool igb_hw_read_mac(struct igb_adapter *ad, struct dp_ether_addr *mac);

/*
 * Link up: CTRL.SLU, autonegotiation restarted in the PHY when the link
 * is down, then STATUS.LU polled for up to @p wait_ms.
 */
int igb_hw_link_up(struct igb_adapter *ad, unsigned int wait_ms);

/* The link as STATUS reports it. */
void igb_hw_link_read(struct igb_adapter *ad, struct dp_eth_link *link);

/* Program RAL/RAH from ad->rar and the MTA from ad->mta. */
void igb_hw_write_filters(struct igb_adapter *ad);

/* Index of @p mac in the 4096-bit multicast table (RCTL.MO = 0). */
uint32_t igb_mta_hash(const struct dp_ether_addr *mac);

/* RCTL.UPE/MPE from the port's promiscuous and all-multicast modes. */
void igb_hw_rx_mode(struct igb_adapter *ad);

/* Program MRQC, RETA and RSSRK (or MRQC = 0 without RSS). */
void igb_hw_rss(struct igb_adapter *ad);

/* Add the clear-on-read counters into ad->hw_stats and ad->rqdpc. */
void igb_hw_stats_update(struct igb_adapter *ad);

/* Value of an accumulated counter by register. */
uint64_t igb_hw_stat(const struct igb_adapter *ad, uint32_t reg);

/* ---- igb_intr.c ------------------------------------------------------------------ */

/* Interrupt setup at dev_start (LSC and/or RX, from intr_conf). */
int igb_intr_start(struct igb_adapter *ad);

/* Everything igb_intr_start did, undone (dev_stop, close). */
void igb_intr_stop(struct igb_adapter *ad);

/* The interrupt callback of vector 0 (link state, shared RX). */
void igb_intr_handler(struct dp_intr_handle *h, void *arg);

/* Ops: arm, disarm, fd of a queue's RX interrupt. */
int igb_rx_queue_intr_enable(struct dp_eth_dev *dev, uint16_t qid);
int igb_rx_queue_intr_disable(struct dp_eth_dev *dev, uint16_t qid);
int igb_rx_queue_intr_fd(struct dp_eth_dev *dev, uint16_t qid);

/* Refresh the link state (op link_update). */
int igb_link_update(struct dp_eth_dev *dev, int wait_to_complete);

#endif /* IGB_PRIVATE_H */
