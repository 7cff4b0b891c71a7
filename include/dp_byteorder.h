/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DP_BYTEORDER_H
#define DP_BYTEORDER_H

/**
 * @file
 * Byte order conversion. Network headers and NIC descriptors have a fixed
 * byte order (big endian on the wire, little endian in Intel descriptors);
 * these compile to nothing or to one bswap. dp_be16_t and friends document
 * which order a field holds.
 */

#include <dp_common.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef uint16_t dp_be16_t;	/**< 16 bits, big endian */
typedef uint32_t dp_be32_t;	/**< 32 bits, big endian */
typedef uint64_t dp_be64_t;	/**< 64 bits, big endian */
typedef uint16_t dp_le16_t;	/**< 16 bits, little endian */
typedef uint32_t dp_le32_t;	/**< 32 bits, little endian */
typedef uint64_t dp_le64_t;	/**< 64 bits, little endian */

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define dp_cpu_to_be_16(x) ((dp_be16_t)__builtin_bswap16(x))
#define dp_cpu_to_be_32(x) ((dp_be32_t)__builtin_bswap32(x))
#define dp_cpu_to_be_64(x) ((dp_be64_t)__builtin_bswap64(x))
#define dp_cpu_to_le_16(x) ((dp_le16_t)(x))
#define dp_cpu_to_le_32(x) ((dp_le32_t)(x))
#define dp_cpu_to_le_64(x) ((dp_le64_t)(x))
#else
#define dp_cpu_to_be_16(x) ((dp_be16_t)(x))
#define dp_cpu_to_be_32(x) ((dp_be32_t)(x))
#define dp_cpu_to_be_64(x) ((dp_be64_t)(x))
#define dp_cpu_to_le_16(x) ((dp_le16_t)__builtin_bswap16(x))
#define dp_cpu_to_le_32(x) ((dp_le32_t)__builtin_bswap32(x))
#define dp_cpu_to_le_64(x) ((dp_le64_t)__builtin_bswap64(x))
#endif

/** Big endian to CPU order (the same operation as the reverse). */
#define dp_be_to_cpu_16(x) ((uint16_t)dp_cpu_to_be_16(x))
#define dp_be_to_cpu_32(x) ((uint32_t)dp_cpu_to_be_32(x))
#define dp_be_to_cpu_64(x) ((uint64_t)dp_cpu_to_be_64(x))
/** Little endian to CPU order. */
#define dp_le_to_cpu_16(x) ((uint16_t)dp_cpu_to_le_16(x))
#define dp_le_to_cpu_32(x) ((uint32_t)dp_cpu_to_le_32(x))
#define dp_le_to_cpu_64(x) ((uint64_t)dp_cpu_to_le_64(x))

#ifdef __cplusplus
}
#endif

#endif /* DP_BYTEORDER_H */
