/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The mempool tests on real 2 MB hugepages (in memory, IOVA as PA when
 * run as root, so that objects are checked against real page breaks).
 * Exits 77 when hugepages cannot be had.
 */
#define TEST_HUGE 1
#define RUNNER "mempool_huge"
#include "test_mempool.c"
