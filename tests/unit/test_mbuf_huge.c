/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The mbuf tests on real 2 MB hugepages (in memory, IOVA as PA when run
 * as root: every mbuf's buf_iova is then a physical address checked
 * against the page map). Exits 77 when hugepages cannot be had.
 */
#define TEST_HUGE 1
#define RUNNER "mbuf_huge"
#include "test_mbuf.c"
