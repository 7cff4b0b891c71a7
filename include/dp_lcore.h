/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DP_LCORE_H
#define DP_LCORE_H

/**
 * @file
 * Logical cores (lcores). Each lcore the application asked for (-l, -c,
 * --lcores) is one thread pinned to one CPU, or to a group of CPUs when
 * --lcores maps it so ('(0-1)@(2,3)'). The thread that called
 * dp_eal_init() becomes the main lcore; every other lcore is a worker
 * thread that sleeps until work is launched on it with
 * dp_eal_remote_launch(). A worker runs one function at a time.
 */

#include <dp_common.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The lcore id of a thread that is not an EAL lcore. */
#define DP_LCORE_ID_ANY UINT32_MAX

/** Storage behind dp_lcore_id(); use the function. */
extern __thread unsigned int per_lcore_dp_lcore_id;

/**
 * Id of the calling lcore.
 *
 * @return
 *   0..DP_MAX_LCORE-1 on an EAL thread, DP_LCORE_ID_ANY on any other.
 */
static inline unsigned int
dp_lcore_id(void)
{
	return per_lcore_dp_lcore_id;
}

/** Id of the main lcore (the thread that called dp_eal_init()). */
unsigned int dp_get_main_lcore(void);

/** Number of enabled lcores, main included. */
unsigned int dp_lcore_count(void);

/**
 * Is @p lcore_id one of the lcores the application enabled?
 *
 * @return
 *   1 if enabled, 0 otherwise (also for out-of-range ids).
 */
int dp_lcore_is_enabled(unsigned int lcore_id);

/**
 * Next enabled lcore after @p i.
 *
 * @param i
 *   Previous lcore id; pass (unsigned)-1 to start.
 * @param skip_main
 *   Do not return the main lcore.
 * @param wrap
 *   Continue from 0 after the last lcore.
 * @return
 *   The next lcore id, or DP_MAX_LCORE when there is none.
 */
unsigned int dp_get_next_lcore(unsigned int i, int skip_main, int wrap);

/** Iterate over every enabled lcore. */
#define DP_LCORE_FOREACH(i) \
	for ((i) = dp_get_next_lcore(-1, 0, 0); (i) < DP_MAX_LCORE; \
	     (i) = dp_get_next_lcore(i, 0, 0))

/** Iterate over every enabled lcore except the main one. */
#define DP_LCORE_FOREACH_WORKER(i) \
	for ((i) = dp_get_next_lcore(-1, 1, 0); (i) < DP_MAX_LCORE; \
	     (i) = dp_get_next_lcore(i, 1, 0))

/**
 * NUMA socket (node) of the CPUs an lcore runs on, from sysfs topology.
 *
 * @return
 *   The socket id (0 on a machine without NUMA), or DP_SOCKET_ID_ANY for
 *   an lcore that is not enabled or whose CPU group (--lcores
 *   '(0-1)@(2,40)') spans nodes.
 */
int dp_lcore_to_socket_id(unsigned int lcore_id);

/**
 * CPU an lcore is pinned to; for an lcore pinned to a group of CPUs
 * (--lcores '3@(4-5)'), the lowest of them.
 *
 * @return
 *   The CPU number, or -EINVAL for an lcore that is not enabled.
 */
int dp_lcore_to_cpu_id(unsigned int lcore_id);

/** Socket of the calling lcore; DP_SOCKET_ID_ANY on a non-EAL thread. */
int dp_socket_id(void);

/** Number of NUMA sockets (nodes) that have CPUs or memory. */
unsigned int dp_socket_count(void);

/**
 * Socket id of the @p idx-th socket (sockets may be numbered sparsely).
 *
 * @return
 *   The socket id, or -EINVAL when @p idx >= dp_socket_count().
 */
int dp_socket_id_by_idx(unsigned int idx);

/** Function run on an lcore by dp_eal_remote_launch(). */
typedef int (dp_lcore_function_t)(void *arg);

/** State of a worker lcore. */
enum dp_lcore_state {
	DP_LCORE_WAIT,		/**< idle, ready for dp_eal_remote_launch() */
	DP_LCORE_RUNNING,	/**< running a launched function */
	DP_LCORE_FINISHED,	/**< done; dp_eal_wait_lcore() collects the result */
};

/** Whether dp_eal_mp_remote_launch() also runs the function on the main lcore. */
enum dp_call_main {
	DP_SKIP_MAIN = 0,	/**< run on workers only */
	DP_CALL_MAIN,		/**< run on workers, then on the calling main lcore */
};

/**
 * Run @p f(@p arg) on worker lcore @p worker_id. Returns at once.
 *
 * @return
 *   - 0 on success.
 *   - -EINVAL if @p worker_id is not an enabled worker lcore or @p f is NULL.
 *   - -EBUSY if the worker has not been collected by dp_eal_wait_lcore().
 */
int dp_eal_remote_launch(dp_lcore_function_t *f, void *arg,
	unsigned int worker_id);

/**
 * Launch @p f on every worker lcore and, with DP_CALL_MAIN, run it on the
 * calling (main) lcore too before returning.
 *
 * @return
 *   0, or -EBUSY if any worker was busy (nothing is launched then).
 */
int dp_eal_mp_remote_launch(dp_lcore_function_t *f, void *arg,
	enum dp_call_main call_main);

/** Current state of a worker lcore (DP_LCORE_WAIT for unknown ids). */
enum dp_lcore_state dp_eal_get_lcore_state(unsigned int worker_id);

/**
 * Wait until the function launched on @p worker_id returns.
 *
 * @return
 *   The function's return value, or 0 if nothing was launched.
 */
int dp_eal_wait_lcore(unsigned int worker_id);

/** Wait for every worker lcore (results are discarded). */
void dp_eal_mp_wait_lcore(void);

#ifdef __cplusplus
}
#endif

#endif /* DP_LCORE_H */
