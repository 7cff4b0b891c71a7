/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PMD_STATS_PRIVATE_H
#define PMD_STATS_PRIVATE_H

/*
 * Adding one queue's software counters to struct dp_eth_stats: the port
 * totals, and the per-queue fields for the first
 * DP_ETHDEV_QUEUE_STAT_CNTRS queues.
 */

#include <dp_ethdev.h>

/** Add RX queue @p q's counters to @p st. */
static inline void
pmd_stats_add_rxq(struct dp_eth_stats *st, uint16_t q, uint64_t pkts,
	uint64_t bytes, uint64_t errors)
{
	st->ipackets += pkts;
	st->ibytes += bytes;
	st->ierrors += errors;
	if (q < DP_ETHDEV_QUEUE_STAT_CNTRS) {
		st->q_ipackets[q] = pkts;
		st->q_ibytes[q] = bytes;
		st->q_errors[q] = errors;
	}
}

/** Add TX queue @p q's counters to @p st (errors only to the total: the
 * structure has no per-queue TX error field). */
static inline void
pmd_stats_add_txq(struct dp_eth_stats *st, uint16_t q, uint64_t pkts,
	uint64_t bytes, uint64_t errors)
{
	st->opackets += pkts;
	st->obytes += bytes;
	st->oerrors += errors;
	if (q < DP_ETHDEV_QUEUE_STAT_CNTRS) {
		st->q_opackets[q] = pkts;
		st->q_obytes[q] = bytes;
	}
}

#endif /* PMD_STATS_PRIVATE_H */
