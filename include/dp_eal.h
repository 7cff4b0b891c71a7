/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DP_EAL_H
#define DP_EAL_H

/**
 * @file
 * Environment abstraction layer: the one call that prepares a process to
 * move packets (dp_eal_init()), and the one that undoes it.
 *
 * dp_eal_init() takes DPDK-style options (-l, -c, --main-lcore, -m,
 * --socket-mem, --no-huge, --huge-dir, --file-prefix, --in-memory,
 * --iova-mode, -a, -b, --vdev, --no-pci, --log-level, -v, -h) in front of
 * the application's own, which follow a "--":
 * @code
 *   int n = dp_eal_init(argc, argv);
 *   if (n < 0)
 *       return 1;                 // the reason has been logged
 *   argc -= n;
 *   argv += n;                    // argv[0] is still the program name
 * @endcode
 * It never exits the process and never prints to stdout: bad input gives
 * one log line saying what was wrong and -EINVAL.
 */

#include <stdio.h>

#include <dp_common.h>
#include <dp_log.h>
#include <dp_lcore.h>

#ifdef __cplusplus
extern "C" {
#endif

/** How devices address memory for DMA. */
enum dp_iova_mode {
	DP_IOVA_DC = 0,	/**< don't care: not decided / no preference */
	DP_IOVA_PA = 1,	/**< IOVA is the physical address */
	DP_IOVA_VA = 2,	/**< IOVA is the process virtual address (IOMMU maps it) */
};

/**
 * Initialize the environment: parse options, start one pinned thread per
 * worker lcore, calibrate the cycle counter, map memory, scan buses and
 * probe devices.
 *
 * On success argv is rearranged so that argv[return value] is the program
 * name (as DPDK does): the application shifts argc/argv by the return
 * value and parses its own options from there.
 *
 * @param argc
 *   Number of arguments.
 * @param argv
 *   Arguments; argv[0] is the program name.
 * @return
 *   - >= 0: the number of arguments consumed (EAL options and a "--").
 *   - -EINVAL: an option was unknown, malformed or contradicted another.
 *   - -DP_EHELP: -h/--help was given; usage went to the log stream.
 *   - -EALREADY: already initialized (call dp_eal_cleanup() first).
 *   - another negative errno value: a resource could not be set up
 *     (logged with what to do about it).
 */
int dp_eal_init(int argc, char **argv);

/**
 * Undo dp_eal_init(): stop and join the worker threads (they must have
 * returned from launched functions), remove devices, release memory and
 * files, restore the main thread's CPU affinity. dp_eal_init() may be
 * called again afterwards.
 *
 * @return
 *   0, or -EALREADY if the EAL was not initialized.
 */
int dp_eal_cleanup(void);

/** Has dp_eal_init() succeeded (and dp_eal_cleanup() not been called)? */
bool dp_eal_is_initialized(void);

/** The IOVA mode chosen at init (DP_IOVA_DC before init). */
enum dp_iova_mode dp_eal_iova_mode(void);

/** Name of an IOVA mode: "PA", "VA" or "DC". */
const char *dp_iova_mode_name(enum dp_iova_mode mode);

/** Is EAL memory backed by hugepages (false with --no-huge)? */
bool dp_eal_has_hugepages(void);

/** Are PCI devices scanned (false with --no-pci)? */
bool dp_eal_has_pci(void);

/** The file prefix (--file-prefix, default "dpkit"). */
const char *dp_eal_get_file_prefix(void);

/**
 * Called after the EAL usage text when -h is given, so the application
 * can print its own options.
 *
 * @param prgname
 *   argv[0].
 */
typedef void (*dp_usage_hook_t)(const char *prgname);

/**
 * Set the application usage hook.
 *
 * @return
 *   The previous hook.
 */
dp_usage_hook_t dp_eal_set_usage_hook(dp_usage_hook_t hook);

/**
 * Print the EAL options and their meaning.
 *
 * @param f
 *   Destination; NULL means the log stream (stderr by default).
 */
void dp_eal_usage(FILE *f);

/** Version string of the library, e.g. "dpkit 0.1.0". */
const char *dp_version(void);

#ifdef __cplusplus
}
#endif

#endif /* DP_EAL_H */
