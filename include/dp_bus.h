/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DP_BUS_H
#define DP_BUS_H

/**
 * @file
 * Bus registry (driver SDK). A bus (pci, vdev) registers itself before
 * main() with DP_REGISTER_BUS(). dp_eal_init() calls every bus's scan()
 * before memory is set up (so that the IOVA mode can depend on the
 * devices found), then probe() once memory is ready; dp_eal_cleanup()
 * calls cleanup() in reverse order.
 */

#include <dp_common.h>
#include <dp_eal.h>

#ifdef __cplusplus
extern "C" {
#endif

/** A bus type. */
struct dp_bus {
	struct dp_bus *next;	/**< registry link (internal) */
	const char *name;	/**< "pci", "vdev", ... */
	/** Find devices; no device is touched yet. Returns 0 or -errno. */
	int (*scan)(void);
	/** Attach drivers to the devices found. Returns 0 or -errno. */
	int (*probe)(void);
	/** Detach every device and free what scan/probe allocated. */
	int (*cleanup)(void);
	/**
	 * IOVA mode the scanned devices need: DP_IOVA_VA when all of them are
	 * behind an IOMMU, DP_IOVA_PA when one needs physical addresses,
	 * DP_IOVA_DC when there is no device or no preference. Optional.
	 */
	enum dp_iova_mode (*get_iommu_class)(void);
};

/** Add a bus to the registry (normally through DP_REGISTER_BUS()). */
void dp_bus_register(struct dp_bus *bus);

/** Register a bus object before main(). */
#define DP_REGISTER_BUS(tag, bus) \
	DP_INIT(dp_bus_register_##tag) \
	{ \
		dp_bus_register(&(bus)); \
	}

/**
 * Find a registered bus by name.
 *
 * @return
 *   The bus, or NULL.
 */
struct dp_bus *dp_bus_find_by_name(const char *name);

/**
 * Iterate over registered buses in registration order.
 *
 * @param prev
 *   NULL to start.
 */
struct dp_bus *dp_bus_next(const struct dp_bus *prev);

#ifdef __cplusplus
}
#endif

#endif /* DP_BUS_H */
