/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DP_THASH_H
#define DP_THASH_H

/**
 * @file
 * Toeplitz hash, as NICs compute it for RSS: software can predict which
 * queue a flow lands on, and drivers without RSS hardware can spread flows
 * the same way.
 */

#include <dp_common.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Length of the usual RSS key (40 bytes covers IPv6 + ports). */
#define DP_THASH_KEY_LEN 40

/** The widely used default RSS key (the one in Microsoft's RSS spec). */
extern const uint8_t dp_thash_default_key[DP_THASH_KEY_LEN];

/**
 * Toeplitz hash of @p len bytes of @p data with @p key.
 *
 * @param key
 *   Key of at least @p len + 4 bytes.
 * @return
 *   The 32-bit hash.
 */
uint32_t dp_thash(const uint8_t *data, size_t len, const uint8_t *key);

/**
 * Hash of an IPv4 flow as RSS computes it: source and destination
 * addresses, then (if @p with_ports) source and destination ports.
 * Arguments in CPU byte order.
 */
uint32_t dp_thash_ipv4(uint32_t src, uint32_t dst, uint16_t sport,
	uint16_t dport, bool with_ports, const uint8_t *key);

#ifdef __cplusplus
}
#endif

#endif /* DP_THASH_H */
