/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DP_CYCLES_H
#define DP_CYCLES_H

/**
 * @file
 * Time stamp counter. dp_rdtsc() reads the CPU's constant-rate counter
 * (TSC on x86, the generic timer on arm64); dp_get_tsc_hz() gives its
 * frequency, calibrated once against CLOCK_MONOTONIC_RAW unless the CPU
 * reports it exactly (CPUID leaf 0x15).
 */

#include <dp_common.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Read the cycle counter. Not ordered with surrounding instructions: use
 * dp_rdtsc_precise() to time short sections.
 */
static __dp_always_inline uint64_t
dp_rdtsc(void)
{
#if defined(__x86_64__) || defined(__i386__)
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
#elif defined(__aarch64__)
	uint64_t v;

	__asm__ volatile("mrs %0, cntvct_el0" : "=r"(v));
	return v;
#else
#error "dp_rdtsc: unsupported architecture"
#endif
}

/** Read the cycle counter after every earlier instruction has completed. */
static __dp_always_inline uint64_t
dp_rdtsc_precise(void)
{
	dp_mb();
	return dp_rdtsc();
}

/**
 * Frequency of the cycle counter in Hz.
 *
 * Calibrated on first use (about 60 ms) and cached for the life of the
 * process; dp_eal_init() does it so applications never pay it later.
 *
 * @return
 *   Hz, never 0.
 */
uint64_t dp_get_tsc_hz(void);

/** Busy-wait for @p us microseconds (with dp_pause()). */
void dp_delay_us(unsigned int us);

/** Busy-wait for @p ms milliseconds. */
void dp_delay_ms(unsigned int ms);

#ifdef __cplusplus
}
#endif

#endif /* DP_CYCLES_H */
