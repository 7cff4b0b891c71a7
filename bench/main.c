/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Entry point of both benchmark programs (dpkit-bench and the DPDK peer):
 * the list of groups and main(). Which library it measures depends only on
 * the side it is linked with (bench/side/<lib>/).
 */

#include <stddef.h>

#include "bench.h"
#include "groups/groups.h"

const struct bench_group bench_groups[] = {
	{ "ring", "pointer ring enqueue+dequeue, 1 and 2 cores", bench_group_ring },
	{ "mempool", "mempool get+put bulk 1 and 32, cache 0/256/512",
	  bench_group_mempool },
	{ "mbuf", "mbuf alloc+free single and bulk 32", bench_group_mbuf },
	{ "fwd", "io forwarding through the port API, null and ring ports",
	  bench_group_fwd },
	{ "afpacket", "64-byte frames over a veth pair, af_packet PMD, 1 core",
		bench_group_afpacket },
	{ NULL, NULL, NULL },
};

int
main(int argc, char **argv)
{
	return bench_main(argc, argv);
}
