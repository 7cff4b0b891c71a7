/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DP_ERRNO_H
#define DP_ERRNO_H

/**
 * @file
 * Error numbers. Functions that return an int return a negative errno value
 * on failure; functions that return a pointer return NULL and set dp_errno
 * (a per-thread variable, like errno, which the C library never touches).
 * dpkit adds a few codes of its own above DP_ERRNO_BASE.
 */

#ifdef __cplusplus
extern "C" {
#endif

/** Per-thread storage behind dp_errno. Use the dp_errno macro. */
extern __thread int per_lcore_dp_errno;

/** Last error set by a dpkit function that returned NULL (positive errno). */
#define dp_errno per_lcore_dp_errno

/** First dpkit-specific error number (never collides with errno values). */
#define DP_ERRNO_BASE 1000

/** dpkit-specific error numbers. */
enum {
	/** -h/--help was given: usage was printed, the application should exit. */
	DP_EHELP = DP_ERRNO_BASE + 1,
	/** A secondary process could not attach (reserved; no multi-process yet). */
	DP_ENOPRIMARY,
	DP_ERRNO_MAX,
};

/**
 * Text for an error number.
 *
 * @param errnum
 *   A positive or negative errno value, or a DP_E* value.
 * @return
 *   A constant or thread-local string; never NULL.
 */
const char *dp_strerror(int errnum);

#ifdef __cplusplus
}
#endif

#endif /* DP_ERRNO_H */
