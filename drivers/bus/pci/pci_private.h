/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PCI_PRIVATE_H
#define PCI_PRIVATE_H

/*
 * Internals of the PCI bus: the scanned device list, the sysfs scan, and
 * the access methods (VFIO, UIO) a device is opened through.
 */

#include <dp_bus_pci.h>
#include <dp_eal.h>
#include <dp_log.h>

extern int dp_logtype_bus_pci;

/* How a device is opened, mapped and configured: one per kernel driver. */
struct pci_access_ops {
	const char *name;
	/* Open the device, fill dev->intr_handle and dev->access_priv. */
	int (*open)(struct dp_pci_device *dev);
	/* Undo open (BARs are already unmapped). */
	void (*close)(struct dp_pci_device *dev);
	int (*map_bar)(struct dp_pci_device *dev, unsigned int bar);
	void (*unmap_bar)(struct dp_pci_device *dev, unsigned int bar);
	ssize_t (*read_config)(const struct dp_pci_device *dev, void *buf,
		size_t len, off_t offset);
	ssize_t (*write_config)(const struct dp_pci_device *dev,
		const void *buf, size_t len, off_t offset);
};

/* A device with the bus state drivers do not see. */
struct pci_device_int {
	struct dp_pci_device dev;
	const struct pci_access_ops *access;	/* opened through, or NULL */
	bool probed;		/* a driver owns it */
	bool refused;		/* cannot be used; the reason was logged */
};

#define PCI_INT(d) dp_container_of(d, struct pci_device_int, dev)

/* Scan /sys/bus/pci/devices into a sorted list; 0 or -errno. */
int pci_scan_sysfs(struct dp_pci_device **list);

/* Read one device directory; NULL + dp_errno on error. */
struct dp_pci_device *pci_scan_one(const char *dirname);

/* Classify a kernel driver name. */
enum dp_pci_kdrv pci_kdrv_from_name(const char *name);

/* Free a device structure (not probed). */
void pci_device_free(struct dp_pci_device *dev);

/* The access method of a device's kernel driver, NULL if none. */
const struct pci_access_ops *pci_access_of(const struct dp_pci_device *dev);

/*
 * Can this process read physical addresses (needed by UIO and vfio
 * no-IOMMU)? Replaceable by tests.
 */
typedef bool (*pci_pa_check_t)(void);
void pci_set_pa_check(pci_pa_check_t fn);

#endif /* PCI_PRIVATE_H */
