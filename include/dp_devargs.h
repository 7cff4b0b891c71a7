/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DP_DEVARGS_H
#define DP_DEVARGS_H

/**
 * @file
 * Device arguments: what the user said about devices on the command line.
 * `-a BDF[,k=v...]` allows (and configures) a PCI device, `-b BDF` blocks
 * one, `--vdev NAME[,k=v...]` creates a virtual device. Buses read this
 * list when they scan and probe; applications may add entries at run time
 * before hot-plugging a device.
 */

#include <dp_common.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Longest bus name, NUL included. */
#define DP_DEVARGS_BUS_MAX 16
/** Longest device name, NUL included. */
#define DP_DEVARGS_NAME_MAX 64

/** What the user asked for a device. */
enum dp_devargs_policy {
	DP_DEVARGS_ALLOW,	/**< probe it (and only the allowed ones, if any) */
	DP_DEVARGS_BLOCK,	/**< never probe it */
};

/** One device named by the user. */
struct dp_devargs {
	struct dp_devargs *next;	/**< next entry (internal) */
	enum dp_devargs_policy policy;	/**< allow or block */
	char bus[DP_DEVARGS_BUS_MAX];	/**< "pci" or "vdev" */
	char name[DP_DEVARGS_NAME_MAX];	/**< normalized device name */
	char *args;			/**< "key=value,..." after the name, "" if none */
};

/**
 * Add a device from a "name[,key=value...]" string.
 *
 * For bus "pci" the name must be a PCI address and is stored in its full
 * form; for "vdev" it must start with a letter and contain only letters,
 * digits and '_'.
 *
 * @return
 *   0, -EINVAL for a malformed string, -EEXIST if the device was already
 *   named, -ENOMEM.
 */
int dp_devargs_add(enum dp_devargs_policy policy, const char *bus,
	const char *str);

/**
 * Remove a device entry.
 *
 * @return
 *   0, or -ENOENT.
 */
int dp_devargs_remove(const char *bus, const char *name);

/**
 * Find the entry for a device.
 *
 * @return
 *   The entry, or NULL.
 */
const struct dp_devargs *dp_devargs_find(const char *bus, const char *name);

/**
 * Iterate over the entries of a bus in command-line order.
 *
 * @param bus
 *   Bus name, or NULL for every bus.
 * @param prev
 *   The previous entry, NULL to start.
 * @return
 *   The next entry, or NULL at the end.
 */
const struct dp_devargs *dp_devargs_next(const char *bus,
	const struct dp_devargs *prev);

/**
 * Count the entries of a bus with a given policy.
 */
unsigned int dp_devargs_count(const char *bus, enum dp_devargs_policy policy);

#ifdef __cplusplus
}
#endif

#endif /* DP_DEVARGS_H */
