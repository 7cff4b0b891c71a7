/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DP_BUS_VDEV_H
#define DP_BUS_VDEV_H

/**
 * @file
 * Virtual device bus (driver SDK and run-time API). Virtual devices are
 * created from --vdev=NAME[,key=value...] at init, or with dp_vdev_init()
 * at run time. A device goes to the driver whose name is the device name
 * without its trailing digits ("net_null0" -> "net_null").
 */

#include <dp_common.h>

#ifdef __cplusplus
extern "C" {
#endif

struct dp_vdev_driver;

/** A virtual device. */
struct dp_vdev_device {
	struct dp_vdev_device *next;		/**< bus list link (internal) */
	char name[64];				/**< "net_null0" */
	char *args;				/**< "key=value,..." ("" if none) */
	const struct dp_vdev_driver *driver;	/**< driver that took it */
	void *priv;				/**< driver data */
};

/** A virtual device driver. */
struct dp_vdev_driver {
	struct dp_vdev_driver *next;	/**< registry link (internal) */
	const char *name;		/**< "net_null" */
	/** Accepted arguments, for error messages and --help ("size=<int> copy=<0|1>"). */
	const char *param_string;
	/** Create the device. Returns 0 or a negative errno value (logged). */
	int (*probe)(struct dp_vdev_device *dev);
	/** Destroy the device and everything it owns (its port included). */
	int (*remove)(struct dp_vdev_device *dev);
};

/** Register a driver (normally through DP_PMD_REGISTER_VDEV()). */
void dp_vdev_register(struct dp_vdev_driver *drv);

/**
 * Register a virtual device driver before main(). @p nm is the driver
 * name token (net_null); the same name must be in the driver struct, and
 * in the `anchors` list of the driver's meson.build (the generated table
 * of built-in drivers refers to dp_pmd_anchor_<nm>, which keeps the
 * driver in static links).
 */
#define DP_PMD_REGISTER_VDEV(nm, drv) \
	extern const void *const dp_pmd_anchor_##nm; \
	const void *const dp_pmd_anchor_##nm __attribute__((used)) = &(drv); \
	DP_INIT(dp_vdev_register_##nm) \
	{ \
		dp_vdev_register(&(drv)); \
	}

/**
 * A remove callback for drivers whose device is one port named after the
 * device: closes that port (dp_eth_dev_close() releases the queues, the
 * mbufs they hold and the driver data).
 *
 * @return
 *   0 (also when the application already closed the port).
 */
int dp_vdev_remove_eth_port(struct dp_vdev_device *dev);

/**
 * Create a virtual device at run time.
 *
 * @param name
 *   Device name, e.g. "net_ring0".
 * @param args
 *   "key=value,..." or NULL.
 * @return
 *   0, -EEXIST (a device of that name exists), -ENOENT (no driver for that
 *   name; the log lists the drivers), or the driver's error.
 */
int dp_vdev_init(const char *name, const char *args);

/**
 * Destroy a virtual device created at init or with dp_vdev_init(), closing
 * its port if still open. As in DPDK, dp_eth_dev_close() on the port of a
 * virtual device releases the port but not the device: its name stays
 * taken until this call.
 *
 * @return
 *   0, -ENOENT.
 */
int dp_vdev_uninit(const char *name);

/**
 * Find a virtual device by name.
 *
 * @return
 *   The device, or NULL.
 */
struct dp_vdev_device *dp_vdev_find(const char *name);

#ifdef __cplusplus
}
#endif

#endif /* DP_BUS_VDEV_H */
