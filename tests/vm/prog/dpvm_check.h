/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DPVM_CHECK_H
#define DPVM_CHECK_H

/*
 * What the guest test programs share: a check is one "DPVM-CHECK ok|FAIL
 * <what>" line on stdout, which the harness reads from the serial
 * console; the programs exit with the number of failed checks.
 */

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <time.h>

static int nb_failed;

static bool __attribute__((format(printf, 2, 3), unused))
check(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("DPVM-CHECK %s ", ok ? "ok" : "FAIL");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (!ok)
		nb_failed++;
	return ok;
}

/* Monotonic time in seconds. */
static double __attribute__((unused))
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

#endif /* DPVM_CHECK_H */
