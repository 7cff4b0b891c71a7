/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Cycle counter frequency: exact from CPUID leaf 0x15 when the CPU reports
 * it, otherwise measured against CLOCK_MONOTONIC_RAW (which NTP never
 * slews) as the median of a few short windows.
 */

#include <time.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

#include <dp_cycles.h>
#include <dp_log.h>

#include "eal_private.h"

#define CALIB_WINDOWS 3
#define CALIB_WINDOW_NS 20000000ull	/* 20 ms each */

static uint64_t tsc_hz;

static uint64_t
monotonic_raw_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/*
 * CPUID 0x15: TSC/crystal ratio (EBX/EAX) and crystal Hz (ECX). Only
 * Intel parts fill ECX; 0 means "not enumerated".
 */
static uint64_t
tsc_hz_from_cpuid(void)
{
#if defined(__x86_64__) || defined(__i386__)
	unsigned int eax, ebx, ecx, edx;

	if (__get_cpuid_max(0, NULL) < 0x15)
		return 0;
	__cpuid(0x15, eax, ebx, ecx, edx);
	if (eax == 0 || ebx == 0 || ecx == 0)
		return 0;
	return (uint64_t)ecx * ebx / eax;
#elif defined(__aarch64__)
	uint64_t freq;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(freq));
	return freq;
#else
	return 0;
#endif
}

/* One window: counter ticks per nanosecond of the raw monotonic clock. */
static double
measure_window(void)
{
	uint64_t t0, t1, c0, c1;

	t0 = monotonic_raw_ns();
	c0 = dp_rdtsc_precise();
	do {
		t1 = monotonic_raw_ns();
	} while (t1 - t0 < CALIB_WINDOW_NS);
	c1 = dp_rdtsc_precise();
	return (double)(c1 - c0) / (double)(t1 - t0);
}

static uint64_t
tsc_hz_measure(void)
{
	double w[CALIB_WINDOWS], tmp;
	int i, j;

	for (i = 0; i < CALIB_WINDOWS; i++)
		w[i] = measure_window();
	for (i = 1; i < CALIB_WINDOWS; i++)
		for (j = i; j > 0 && w[j] < w[j - 1]; j--) {
			tmp = w[j];
			w[j] = w[j - 1];
			w[j - 1] = tmp;
		}
	return (uint64_t)(w[CALIB_WINDOWS / 2] * 1e9 + 0.5);
}

int
eal_tsc_init(void)
{
	const char *how = "CPUID";
	uint64_t hz;

	hz = __atomic_load_n(&tsc_hz, __ATOMIC_ACQUIRE);
	if (hz != 0)
		return 0;
	hz = tsc_hz_from_cpuid();
	if (hz == 0) {
		hz = tsc_hz_measure();
		how = "measured against CLOCK_MONOTONIC_RAW";
	}
	__atomic_store_n(&tsc_hz, hz, __ATOMIC_RELEASE);
	DP_LOG(DEBUG, eal, "TSC frequency %" PRIu64 " Hz (%s)", hz, how);
	return 0;
}

uint64_t
dp_get_tsc_hz(void)
{
	uint64_t hz = __atomic_load_n(&tsc_hz, __ATOMIC_ACQUIRE);

	if (unlikely(hz == 0)) {
		eal_tsc_init();
		hz = __atomic_load_n(&tsc_hz, __ATOMIC_ACQUIRE);
	}
	return hz;
}

void
dp_delay_us(unsigned int us)
{
	uint64_t start = dp_rdtsc();
	uint64_t ticks = dp_get_tsc_hz() * us / 1000000ull;

	while (dp_rdtsc() - start < ticks)
		dp_pause();
}

void
dp_delay_ms(unsigned int ms)
{
	while (ms-- > 0)
		dp_delay_us(1000);
}
