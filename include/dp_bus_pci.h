/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DP_BUS_PCI_H
#define DP_BUS_PCI_H

/**
 * @file
 * Driver SDK: the PCI bus.
 *
 * The bus scans /sys/bus/pci/devices during dp_eal_init(), matches every
 * device against the id tables of the registered PCI drivers (PMDs),
 * honours -a/-b/--no-pci, and probes each matching device that is bound
 * to a user-space driver (vfio-pci, uio_pci_generic, igb_uio). A device
 * still on a kernel network driver is skipped with one log line that
 * names the driver and the command that rebinds it.
 *
 * Before the driver's probe() runs the bus has opened the device through
 * its kernel driver's access method (VFIO or UIO), mapped its memory BARs
 * (drivers with DP_PCI_DRV_NEED_MAPPING), DMA-mapped all EAL memory
 * (VFIO with an IOMMU) and filled dev->intr_handle. A driver never opens
 * sysfs or /dev/vfio itself: it uses the device structure and the calls
 * below.
 *
 * @code
 *   static const struct dp_pci_id my_ids[] = {
 *       { DP_PCI_DEVICE(0x8086, 0x10c9) },
 *       { .vendor_id = 0 },
 *   };
 *   static struct dp_pci_driver my_drv = {
 *       .id_table = my_ids,
 *       .drv_flags = DP_PCI_DRV_NEED_MAPPING,
 *       .probe = my_probe,
 *       .remove = my_remove,
 *   };
 *   DP_PMD_REGISTER_PCI(net_my, my_drv);
 * @endcode
 */

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <dp_common.h>
#include <dp_devargs.h>
#include <dp_interrupts.h>
#include <dp_pci_addr.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Wildcard for the id fields of struct dp_pci_id. */
#define DP_PCI_ANY_ID 0xffff
/** Wildcard for dp_pci_id.class_id. */
#define DP_PCI_CLASS_ANY 0xffffffffu

/** Number of standard BARs. */
#define DP_PCI_MAX_BARS 6

/** Offset of the command register in configuration space. */
#define DP_PCI_COMMAND 0x04
/** Command register: memory space enable. */
#define DP_PCI_COMMAND_MEMORY 0x0002
/** Command register: bus master enable (the device may DMA). */
#define DP_PCI_COMMAND_MASTER 0x0004
/** Command register: INTx disable. */
#define DP_PCI_COMMAND_INTX_DISABLE 0x0400

/** One entry of a driver's id table; the table ends with vendor_id 0. */
struct dp_pci_id {
	uint32_t class_id;		/**< class (24 bits), or DP_PCI_CLASS_ANY */
	uint16_t vendor_id;		/**< vendor, or DP_PCI_ANY_ID */
	uint16_t device_id;		/**< device, or DP_PCI_ANY_ID */
	uint16_t subsystem_vendor_id;	/**< subsystem vendor, or DP_PCI_ANY_ID */
	uint16_t subsystem_device_id;	/**< subsystem device, or DP_PCI_ANY_ID */
};

/** Id table entry for one vendor:device pair, any subsystem and class. */
#define DP_PCI_DEVICE(vend, dev) \
	.class_id = DP_PCI_CLASS_ANY, \
	.vendor_id = (vend), \
	.device_id = (dev), \
	.subsystem_vendor_id = DP_PCI_ANY_ID, \
	.subsystem_device_id = DP_PCI_ANY_ID

/** The kernel driver a device is bound to. */
enum dp_pci_kdrv {
	DP_PCI_KDRV_NONE = 0,		/**< no driver */
	DP_PCI_KDRV_VFIO,		/**< vfio-pci */
	DP_PCI_KDRV_UIO_GENERIC,	/**< uio_pci_generic */
	DP_PCI_KDRV_IGB_UIO,		/**< igb_uio (out-of-tree DPDK module) */
	DP_PCI_KDRV_OTHER,		/**< a kernel driver (igb, ixgbe, ...) */
};

/** sysfs `resource` flag: the BAR is memory space. */
#define DP_PCI_BAR_FLAG_MEM 0x00000200ull
/** sysfs `resource` flag: the BAR is I/O port space. */
#define DP_PCI_BAR_FLAG_IO 0x00000100ull
/** sysfs `resource` flag: the BAR is prefetchable. */
#define DP_PCI_BAR_FLAG_PREFETCH 0x00002000ull

/** A base address register. */
struct dp_pci_bar {
	uint64_t phys_addr;	/**< bus address (0 if the BAR is unused) */
	uint64_t len;		/**< size in bytes (0 if unused) */
	uint64_t flags;		/**< DP_PCI_BAR_FLAG_* as sysfs reports them */
	void *addr;		/**< where it is mapped, NULL if not mapped */
};

struct dp_pci_driver;

/** A PCI device found by the scan. */
struct dp_pci_device {
	struct dp_pci_device *next;	/**< bus list link (internal) */
	struct dp_pci_addr addr;	/**< domain:bus:device.function */
	char name[DP_PCI_ADDR_STRLEN];	/**< "0000:01:00.0" */
	struct dp_pci_id id;		/**< ids and class read from sysfs */
	int numa_node;			/**< NUMA node, or DP_SOCKET_ID_ANY if unknown */
	struct dp_pci_bar bars[DP_PCI_MAX_BARS];	/**< BAR table */
	enum dp_pci_kdrv kdrv;		/**< kind of kernel driver bound */
	char kdrv_name[32];		/**< its name ("vfio-pci", "igb", "" if none) */
	int iommu_group;		/**< IOMMU group number, -1 if none */
	bool noiommu;			/**< vfio-pci in unsafe no-IOMMU mode */
	const struct dp_devargs *devargs;	/**< the -a entry naming it (args), or NULL */
	const struct dp_pci_driver *driver;	/**< the driver that probed it, or NULL */
	struct dp_intr_handle *intr_handle;	/**< its interrupts (filled when opened) */
	void *driver_data;		/**< for the driver */
	void *access_priv;		/**< VFIO/UIO state (internal) */
};

/** The driver needs its memory BARs mapped before probe(). */
#define DP_PCI_DRV_NEED_MAPPING 0x0001
/** The driver uses the link-state interrupt (informational). */
#define DP_PCI_DRV_INTR_LSC 0x0002

/** A PCI driver (PMD). */
struct dp_pci_driver {
	struct dp_pci_driver *next;	/**< registry link (internal) */
	const char *name;		/**< set by DP_PMD_REGISTER_PCI() */
	const struct dp_pci_id *id_table;	/**< ends with vendor_id == 0 */
	uint32_t drv_flags;		/**< DP_PCI_DRV_* */
	/**
	 * Take over a device. The bus has opened it (and mapped its BARs
	 * with DP_PCI_DRV_NEED_MAPPING). Returns 0, or -errno after logging
	 * why; the bus then closes the device again.
	 */
	int (*probe)(struct dp_pci_driver *drv, struct dp_pci_device *dev);
	/**
	 * Let go of a device: stop its DMA and interrupts, free what probe
	 * allocated. Returns 0 or -errno.
	 */
	int (*remove)(struct dp_pci_device *dev);
};

/** Add a driver to the PCI bus (normally through DP_PMD_REGISTER_PCI()). */
void dp_pci_register(struct dp_pci_driver *drv);

/** Remove a driver from the PCI bus (devices it probed stay probed). */
void dp_pci_unregister(struct dp_pci_driver *drv);

/**
 * Register a PCI driver named @p nm before main(). List @p nm in the
 * `anchors` of the driver's meson.build so static links keep the driver.
 */
#define DP_PMD_REGISTER_PCI(nm, drv) \
	extern const void *const dp_pmd_anchor_##nm; \
	const void *const dp_pmd_anchor_##nm __attribute__((used)) = &(drv); \
	DP_INIT(dp_pci_register_##nm) \
	{ \
		(drv).name = DP_STR(nm); \
		dp_pci_register(&(drv)); \
	}

/**
 * Does @p dev match @p id? Every field that is not a wildcard must be
 * equal.
 */
bool dp_pci_id_match(const struct dp_pci_id *id, const struct dp_pci_device *dev);

/**
 * Iterate over the devices found by the last scan, in address order.
 *
 * @param prev
 *   NULL to start.
 */
struct dp_pci_device *dp_pci_device_next(const struct dp_pci_device *prev);

/**
 * Find a scanned device by address ("0000:01:00.0" or "01:00.0").
 *
 * @return
 *   The device, or NULL.
 */
struct dp_pci_device *dp_pci_device_find(const char *name);

/**
 * Read configuration space.
 *
 * @return
 *   The number of bytes read (@p len), or -errno.
 */
int dp_pci_read_config(const struct dp_pci_device *dev, void *buf, size_t len,
	off_t offset);

/**
 * Write configuration space.
 *
 * @return
 *   The number of bytes written (@p len), or -errno.
 */
int dp_pci_write_config(const struct dp_pci_device *dev, const void *buf,
	size_t len, off_t offset);

/**
 * Turn bus mastering (the device's right to DMA) on or off.
 *
 * @return
 *   0 or -errno.
 */
int dp_pci_set_bus_master(const struct dp_pci_device *dev, bool enable);

/**
 * Turn memory-space decoding (access to the memory BARs) on or off.
 *
 * @return
 *   0 or -errno.
 */
int dp_pci_set_memory_space(const struct dp_pci_device *dev, bool enable);

/**
 * Map every memory BAR of an opened device into dev->bars[i].addr (I/O
 * port BARs are left out). Done by the bus before probe() for drivers with
 * DP_PCI_DRV_NEED_MAPPING.
 *
 * @return
 *   0, or -errno after logging which BAR failed and why.
 */
int dp_pci_map_device(struct dp_pci_device *dev);

/** Unmap every mapped BAR of @p dev. */
void dp_pci_unmap_device(struct dp_pci_device *dev);

/**
 * Probe one scanned device now (e.g. after binding it to vfio-pci while
 * the application runs).
 *
 * @return
 *   0; -ENODEV (not found, or no driver matches); -EBUSY (already
 *   probed); -EPERM (blocked, or on a kernel driver: logged); the
 *   driver's or the access method's error.
 */
int dp_pci_probe_device(const char *name);

/**
 * Remove a probed device: the driver's remove(), then unmap and close it.
 *
 * @return
 *   0, -ENODEV if it is not probed, or the driver's error (the device is
 *   closed anyway).
 */
int dp_pci_remove_device(struct dp_pci_device *dev);

#ifdef __cplusplus
}
#endif

#endif /* DP_BUS_PCI_H */
