/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DP_SYSFS_H
#define DP_SYSFS_H

/**
 * @file
 * Driver SDK: where sysfs and /dev live, and small readers for the
 * one-value files of sysfs.
 *
 * Every path a bus builds goes through dp_sysfs_path() or dp_dev_path(),
 * so a test can point the whole PCI, VFIO and UIO stack at a fake tree:
 * set the environment variables DPKIT_SYSFS_ROOT (replaces "/sys") and
 * DPKIT_DEV_ROOT (replaces "/dev") before dp_eal_init(), or call
 * dp_sysfs_set_root(). Files outside those two trees (/proc) are always
 * the real ones.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <dp_common.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Replace the sysfs and /dev roots.
 *
 * @param sysfs
 *   Directory that stands for "/sys", or NULL for the default (the
 *   DPKIT_SYSFS_ROOT environment variable, else "/sys").
 * @param dev
 *   Directory that stands for "/dev", or NULL for the default
 *   (DPKIT_DEV_ROOT, else "/dev").
 * @return
 *   0, or -ENAMETOOLONG when a root is longer than PATH_MAX / 2.
 */
int dp_sysfs_set_root(const char *sysfs, const char *dev);

/** The directory that stands for "/sys" now. */
const char *dp_sysfs_root(void);

/** The directory that stands for "/dev" now. */
const char *dp_dev_root(void);

/**
 * Format a path under sysfs: dp_sysfs_path(buf, sz, "/bus/pci/devices/%s",
 * name) gives "/sys/bus/pci/devices/<name>" (or the test root instead of
 * "/sys").
 *
 * @param fmt
 *   printf format of the part after "/sys"; starts with '/'.
 * @return
 *   0, or -ENAMETOOLONG (@p buf then holds an empty string).
 */
int dp_sysfs_path(char *buf, size_t size, const char *fmt, ...)
	__dp_format_printf(3, 4);

/** Same as dp_sysfs_path() for paths under "/dev". */
int dp_dev_path(char *buf, size_t size, const char *fmt, ...)
	__dp_format_printf(3, 4);

/**
 * Read a one-line file into @p buf, without the trailing newline.
 *
 * A first line longer than @p size - 1 bytes is cut.
 *
 * @return
 *   The length of the string, or -errno when the file cannot be read.
 */
int dp_sysfs_read_str(const char *path, char *buf, size_t size);

/**
 * Read a file that holds one integer in C notation: "0x8086", "-1", "12".
 *
 * @return
 *   0, -errno when the file cannot be read, -EINVAL when it does not hold
 *   exactly one integer.
 */
int dp_sysfs_read_long(const char *path, long long *val);

/**
 * The last component of the target of a symbolic link, e.g. "igb" for
 * /sys/bus/pci/devices/X/driver or "12" for .../iommu_group.
 *
 * @return
 *   The length of the name, -ENOENT when there is no such link, another
 *   -errno on error.
 */
int dp_sysfs_link_name(const char *path, char *buf, size_t size);

#ifdef __cplusplus
}
#endif

#endif /* DP_SYSFS_H */
