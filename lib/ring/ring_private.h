/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef RING_PRIVATE_H
#define RING_PRIVATE_H

/*
 * Ring internals shared by lib/ring and its unit tests. Not installed.
 */

#include <dp_ring.h>
#include <dp_log.h>

extern int dp_logtype_ring;

/*
 * Put every index of an empty ring at @idx (tests start near UINT32_MAX
 * to cross the 32-bit wrap of the free-running counters). Not
 * thread-safe, like dp_ring_reset().
 */
void ring_reset_to_index(struct dp_ring *r, uint32_t idx);

#endif /* RING_PRIVATE_H */
