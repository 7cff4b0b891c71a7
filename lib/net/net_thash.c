/* SPDX-License-Identifier: BSD-3-Clause */
/* Toeplitz hash for RSS (software prediction of the NIC's queue choice). */

#include <string.h>

#include <dp_thash.h>
#include <dp_byteorder.h>

const uint8_t dp_thash_default_key[DP_THASH_KEY_LEN] = {
	0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2,
	0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0,
	0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4,
	0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30, 0xf2, 0x0c,
	0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
};

uint32_t
dp_thash(const uint8_t *data, size_t len, const uint8_t *key)
{
	/*
	 * For every set bit of the input (most significant first), XOR in the
	 * 32-bit window of the key that starts at that bit position.
	 */
	uint32_t hash = 0;
	uint64_t window;
	size_t i;
	int b;

	window = ((uint64_t)key[0] << 56) | ((uint64_t)key[1] << 48) |
		((uint64_t)key[2] << 40) | ((uint64_t)key[3] << 32) |
		((uint64_t)key[4] << 24);
	for (i = 0; i < len; i++) {
		for (b = 7; b >= 0; b--) {
			if (data[i] & (1u << b))
				hash ^= (uint32_t)(window >> 32);
			window <<= 1;
		}
		/* Keep 40 bits of key in the window: bring in the next byte
		 * (the key holds len + 4 bytes, so only while input remains). */
		if (i + 1 < len)
			window |= (uint64_t)key[i + 5] << 24;
	}
	return hash;
}

uint32_t
dp_thash_ipv4(uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport,
	bool with_ports, const uint8_t *key)
{
	uint8_t in[12];
	dp_be32_t s = dp_cpu_to_be_32(src), d = dp_cpu_to_be_32(dst);
	dp_be16_t sp = dp_cpu_to_be_16(sport), dpt = dp_cpu_to_be_16(dport);

	memcpy(in, &s, 4);
	memcpy(in + 4, &d, 4);
	memcpy(in + 8, &sp, 2);
	memcpy(in + 10, &dpt, 2);
	return dp_thash(in, with_ports ? 12 : 8, key);
}
