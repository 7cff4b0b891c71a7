/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef BENCH_GROUPS_H
#define BENCH_GROUPS_H

/*
 * Benchmark groups. Each is one file in bench/groups/, written against
 * the side interface (side.h), and compiled unchanged into both programs.
 * To add a group: write bench/groups/<name>.c with bench_group_<name>(),
 * declare it here, list it in bench/main.c and bench/meson.build, and give
 * every side.h the operations it uses.
 */

int bench_group_ring(void);
int bench_group_mempool(void);
int bench_group_mbuf(void);

int bench_group_fwd(void);
int bench_group_afpacket(void);

#endif /* BENCH_GROUPS_H */
