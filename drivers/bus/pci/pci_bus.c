/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The PCI bus: driver registry, id matching, -a/-b/--no-pci policy, the
 * IOVA mode the devices need, probe and remove, and the configuration
 * space and BAR calls drivers make, dispatched to the access method of
 * the device's kernel driver (VFIO or UIO).
 */

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dp_bus.h>
#include <dp_devargs.h>
#include <dp_memory.h>
#include <dp_sysfs.h>

#include "pci_private.h"
#include "uio_private.h"
#include "vfio_private.h"

DP_LOG_REGISTER(bus_pci, "bus.pci", INFO);

static struct dp_pci_driver *pci_drivers;
static struct dp_pci_device *pci_devices;

/* ---- access methods ------------------------------------------------------ */

static const struct pci_access_ops pci_vfio_access = {
	.name = "vfio-pci",
	.open = vfio_pci_open,
	.close = vfio_pci_close,
	.map_bar = vfio_pci_map_bar,
	.unmap_bar = vfio_pci_unmap_bar,
	.read_config = vfio_pci_read_config,
	.write_config = vfio_pci_write_config,
};

static const struct pci_access_ops pci_uio_access = {
	.name = "uio",
	.open = uio_pci_open,
	.close = uio_pci_close,
	.map_bar = uio_pci_map_bar,
	.unmap_bar = uio_pci_unmap_bar,
	.read_config = uio_pci_read_config,
	.write_config = uio_pci_write_config,
};

const struct pci_access_ops *
pci_access_of(const struct dp_pci_device *dev)
{
	switch (dev->kdrv) {
	case DP_PCI_KDRV_VFIO:
		return &pci_vfio_access;
	case DP_PCI_KDRV_UIO_GENERIC:
	case DP_PCI_KDRV_IGB_UIO:
		return &pci_uio_access;
	default:
		return NULL;
	}
}

/* ---- physical addresses ---------------------------------------------------- */

/*
 * PFNs in /proc/self/pagemap read as 0 without CAP_SYS_ADMIN; ask for the
 * address of a page that is surely present.
 */
static bool
pci_pa_check_default(void)
{
	volatile uint64_t probe = 1;

	return dp_mem_virt2phy((const void *)&probe) != DP_BAD_IOVA;
}

static pci_pa_check_t pci_pa_check = pci_pa_check_default;

void
pci_set_pa_check(pci_pa_check_t fn)
{
	pci_pa_check = fn ? fn : pci_pa_check_default;
}

/* ---- drivers and matching ---------------------------------------------- */

void
dp_pci_register(struct dp_pci_driver *drv)
{
	struct dp_pci_driver **pp;

	if (drv == NULL)
		return;
	for (pp = &pci_drivers; *pp; pp = &(*pp)->next)
		if (*pp == drv)
			return;
	drv->next = NULL;
	*pp = drv;
}

void
dp_pci_unregister(struct dp_pci_driver *drv)
{
	struct dp_pci_driver **pp;

	for (pp = &pci_drivers; *pp; pp = &(*pp)->next) {
		if (*pp == drv) {
			*pp = drv->next;
			drv->next = NULL;
			return;
		}
	}
}

bool
dp_pci_id_match(const struct dp_pci_id *id, const struct dp_pci_device *dev)
{
	if (id->vendor_id != DP_PCI_ANY_ID &&
	    id->vendor_id != dev->id.vendor_id)
		return false;
	if (id->device_id != DP_PCI_ANY_ID &&
	    id->device_id != dev->id.device_id)
		return false;
	if (id->subsystem_vendor_id != DP_PCI_ANY_ID &&
	    id->subsystem_vendor_id != dev->id.subsystem_vendor_id)
		return false;
	if (id->subsystem_device_id != DP_PCI_ANY_ID &&
	    id->subsystem_device_id != dev->id.subsystem_device_id)
		return false;
	if (id->class_id != DP_PCI_CLASS_ANY &&
	    id->class_id != dev->id.class_id)
		return false;
	return true;
}

static struct dp_pci_driver *
pci_driver_match(const struct dp_pci_device *dev)
{
	const struct dp_pci_id *id;
	struct dp_pci_driver *drv;

	for (drv = pci_drivers; drv; drv = drv->next) {
		if (drv->id_table == NULL)
			continue;
		for (id = drv->id_table; id->vendor_id != 0; id++)
			if (dp_pci_id_match(id, dev))
				return drv;
	}
	return NULL;
}

/* -a given: only the allowed devices; else everything not blocked. */
static bool
pci_allowed(const struct dp_pci_device *dev)
{
	const struct dp_devargs *da = dp_devargs_find("pci", dev->name);

	if (dp_devargs_count("pci", DP_DEVARGS_ALLOW) > 0)
		return da != NULL && da->policy == DP_DEVARGS_ALLOW;
	return da == NULL || da->policy != DP_DEVARGS_BLOCK;
}

static bool
pci_explicit(const struct dp_pci_device *dev)
{
	const struct dp_devargs *da = dp_devargs_find("pci", dev->name);

	return da != NULL && da->policy == DP_DEVARGS_ALLOW;
}

/* ---- the device list ------------------------------------------------------ */

struct dp_pci_device *
dp_pci_device_next(const struct dp_pci_device *prev)
{
	return prev ? prev->next : pci_devices;
}

struct dp_pci_device *
dp_pci_device_find(const char *name)
{
	struct dp_pci_device *dev;
	struct dp_pci_addr a;

	if (name == NULL || dp_pci_addr_parse(name, &a) != 0)
		return NULL;
	for (dev = pci_devices; dev; dev = dev->next)
		if (dp_pci_addr_cmp(&dev->addr, &a) == 0)
			return dev;
	return NULL;
}

/* "eth1, eth2" from the device's net/ directory, "" if none. */
static void
pci_netdev_names(const struct dp_pci_device *dev, char *buf, size_t size)
{
	char path[PATH_MAX];
	struct dirent *e;
	size_t len = 0;
	DIR *d;

	buf[0] = '\0';
	if (dp_sysfs_path(path, sizeof(path), "/bus/pci/devices/%s/net",
			dev->name) < 0)
		return;
	d = opendir(path);
	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		len += (size_t)snprintf(buf + len, len < size ? size - len : 0,
			"%s%s", len ? ", " : "", e->d_name);
		if (len >= size) {
			buf[size - 1] = '\0';
			break;
		}
	}
	closedir(d);
}

/*
 * The one line for a device a driver wants but the kernel holds: which
 * driver, which interface, and the command that hands it over.
 */
static void
pci_log_kernel_owned(const struct dp_pci_device *dev,
	const struct dp_pci_driver *drv)
{
	char ifs[128], where[192];
	int level = pci_explicit(dev) ? DP_LOG_ERR : DP_LOG_NOTICE;

	if (dev->kdrv == DP_PCI_KDRV_NONE) {
		snprintf(where, sizeof(where), "has no driver");
	} else {
		pci_netdev_names(dev, ifs, sizeof(ifs));
		snprintf(where, sizeof(where), "is on kernel driver %s%s%s%s",
			dev->kdrv_name, ifs[0] ? " (interface " : "", ifs,
			ifs[0] ? ")" : "");
	}
	dp_log(level, dp_logtype_bus_pci, "%s (%04x:%04x, %s) %s, not probed: "
		"to use it, run dpkit-devbind.py --bind=vfio-pci %s",
		dev->name, dev->id.vendor_id, dev->id.device_id, drv->name,
		where, dev->name);
}

/* ---- IOVA mode -------------------------------------------------------------- */

/*
 * A device that needs physical addresses, in a process that cannot read
 * them: refuse it now (with the reason) rather than fail all of init.
 */
static bool
pci_need_pa(struct dp_pci_device *dev, const char *why)
{
	if (pci_pa_check())
		return true;
	DP_LOG(ERR, bus_pci, "%s is bound to %s, which needs physical "
		"addresses (IOVA=PA), but this process cannot read them "
		"(/proc/self/pagemap shows no page frame numbers without "
		"CAP_SYS_ADMIN): run as root, or bind the device to vfio-pci "
		"with an IOMMU (IOVA=VA, no root needed); it will not be "
		"probed", dev->name, why);
	PCI_INT(dev)->refused = true;
	return false;
}

static enum dp_iova_mode
pci_get_iommu_class(void)
{
	struct dp_pci_device *dev;
	bool want_pa = false, want_va = false;

	for (dev = pci_devices; dev; dev = dev->next) {
		if (PCI_INT(dev)->refused || !pci_allowed(dev) ||
		    pci_driver_match(dev) == NULL)
			continue;
		switch (dev->kdrv) {
		case DP_PCI_KDRV_VFIO:
			if (dev->noiommu)
				want_pa |= pci_need_pa(dev,
					"vfio-pci in no-IOMMU mode");
			else if (dev->iommu_group >= 0)
				want_va = true;
			break;
		case DP_PCI_KDRV_UIO_GENERIC:
		case DP_PCI_KDRV_IGB_UIO:
			want_pa |= pci_need_pa(dev, dev->kdrv_name);
			break;
		default:
			break;	/* not probed: logged at probe time */
		}
	}
	if (want_pa)
		return DP_IOVA_PA;
	return want_va ? DP_IOVA_VA : DP_IOVA_DC;
}

/* ---- probe and remove --------------------------------------------------------- */

static void
pci_close(struct dp_pci_device *dev)
{
	struct pci_device_int *pd = PCI_INT(dev);

	if (pd->access == NULL)
		return;
	if (dev->intr_handle != NULL &&
	    dp_intr_callback_unregister_all(dev->intr_handle) > 0)
		DP_LOG(WARNING, bus_pci, "%s: interrupt callbacks were still "
			"registered when the device was closed (the driver should "
			"unregister them in remove()); dropped", dev->name);
	dp_pci_unmap_device(dev);
	pd->access->close(dev);
	pd->access = NULL;
	dev->intr_handle = NULL;
}

static int
pci_probe_one(struct dp_pci_device *dev, struct dp_pci_driver *drv)
{
	struct pci_device_int *pd = PCI_INT(dev);
	const struct pci_access_ops *access;
	int rc;

	if (pd->probed)
		return -EBUSY;
	if (pd->refused)
		return -EPERM;
	access = pci_access_of(dev);
	if (access == NULL) {
		pci_log_kernel_owned(dev, drv);
		return -EPERM;
	}
	rc = access->open(dev);
	if (rc < 0)
		return rc;
	pd->access = access;
	if (drv->drv_flags & DP_PCI_DRV_NEED_MAPPING) {
		rc = dp_pci_map_device(dev);
		if (rc < 0)
			goto fail;
	}
	dev->driver = drv;
	rc = drv->probe(drv, dev);
	if (rc < 0) {
		DP_LOG(ERR, bus_pci, "driver %s failed to take %s: %s",
			drv->name, dev->name, dp_strerror(-rc));
		dev->driver = NULL;
		goto fail;
	}
	pd->probed = true;
	DP_LOG(INFO, bus_pci, "%s (%04x:%04x) probed by %s through %s%s",
		dev->name, dev->id.vendor_id, dev->id.device_id, drv->name,
		dev->kdrv_name, dev->noiommu ? " (no-IOMMU mode)" : "");
	return 0;
fail:
	pci_close(dev);
	return rc;
}

int
dp_pci_remove_device(struct dp_pci_device *dev)
{
	struct pci_device_int *pd;
	int rc = 0;

	if (dev == NULL)
		return -EINVAL;
	pd = PCI_INT(dev);
	if (!pd->probed)
		return -ENODEV;
	if (dev->driver->remove) {
		rc = dev->driver->remove(dev);
		if (rc < 0)
			DP_LOG(WARNING, bus_pci, "driver %s failed to release "
				"%s: %s; closing the device anyway",
				dev->driver->name, dev->name, dp_strerror(-rc));
	}
	/*
	 * Whatever the driver did, the device must not DMA into memory that
	 * is about to be unmapped.
	 */
	dp_pci_set_bus_master(dev, false);
	pci_close(dev);
	pd->probed = false;
	dev->driver = NULL;
	dev->driver_data = NULL;
	return rc;
}

/* Re-read a device's driver binding from sysfs (it may have changed). */
static void
pci_refresh(struct dp_pci_device *dev)
{
	struct dp_pci_device *fresh = pci_scan_one(dev->name);

	if (fresh == NULL)
		return;
	dev->kdrv = fresh->kdrv;
	memcpy(dev->kdrv_name, fresh->kdrv_name, sizeof(dev->kdrv_name));
	dev->iommu_group = fresh->iommu_group;
	dev->noiommu = fresh->noiommu;
	memcpy(dev->bars, fresh->bars, sizeof(dev->bars));
	pci_device_free(fresh);
}

int
dp_pci_probe_device(const char *name)
{
	struct dp_pci_device *dev = dp_pci_device_find(name);
	struct dp_pci_driver *drv;

	if (dev == NULL)
		return -ENODEV;
	if (PCI_INT(dev)->probed)
		return -EBUSY;
	drv = pci_driver_match(dev);
	if (drv == NULL)
		return -ENODEV;
	if (!pci_allowed(dev)) {
		DP_LOG(ERR, bus_pci, "%s is blocked (-b) or not in the allow "
			"list (-a)", dev->name);
		return -EPERM;
	}
	pci_refresh(dev);
	return pci_probe_one(dev, drv);
}

/* ---- bus operations ------------------------------------------------------------ */

static int pci_cleanup(void);

static int
pci_scan(void)
{
	const struct dp_devargs *da = NULL;
	struct dp_pci_device *dev;
	int rc;

	if (!dp_eal_has_pci()) {
		DP_LOG(DEBUG, bus_pci, "--no-pci: the PCI bus is not scanned");
		return 0;
	}
	rc = pci_scan_sysfs(&pci_devices);
	if (rc < 0) {
		pci_cleanup();
		return rc;
	}
	for (dev = pci_devices; dev; dev = dev->next)
		if (pci_explicit(dev))
			dev->devargs = dp_devargs_find("pci", dev->name);
	while ((da = dp_devargs_next("pci", da)) != NULL)
		if (dp_pci_device_find(da->name) == NULL)
			DP_LOG(WARNING, bus_pci, "%s %s: no such PCI device "
				"(dpkit-devbind.py --status lists them)",
				da->policy == DP_DEVARGS_ALLOW ? "-a" : "-b",
				da->name);
	return 0;
}

static int
pci_probe(void)
{
	struct dp_pci_device *dev;
	struct dp_pci_driver *drv;
	int rc, first_err = 0;

	for (dev = pci_devices; dev; dev = dev->next) {
		drv = pci_driver_match(dev);
		if (drv == NULL)
			continue;
		if (!pci_allowed(dev)) {
			DP_LOG(DEBUG, bus_pci, "%s: not probed (-a/-b)",
				dev->name);
			continue;
		}
		rc = pci_probe_one(dev, drv);
		/*
		 * A device the user named with -a must work; others that fail
		 * are logged and left alone.
		 */
		if (rc < 0 && pci_explicit(dev) && first_err == 0)
			first_err = rc;
	}
	return first_err;
}

static int
pci_cleanup(void)
{
	struct dp_pci_device *dev;

	for (dev = pci_devices; dev; dev = dev->next)
		if (PCI_INT(dev)->probed)
			dp_pci_remove_device(dev);
	while ((dev = pci_devices) != NULL) {
		pci_devices = dev->next;
		pci_device_free(dev);
	}
	vfio_cleanup();
	return 0;
}

static struct dp_bus pci_bus = {
	.name = "pci",
	.scan = pci_scan,
	.probe = pci_probe,
	.cleanup = pci_cleanup,
	.get_iommu_class = pci_get_iommu_class,
};

DP_REGISTER_BUS(pci, pci_bus);

/* ---- configuration space and BARs -------------------------------------------- */

/* Config space access through the device's access method; all or -EIO. */
static int
pci_config_io(const struct dp_pci_device *dev, void *rbuf, const void *wbuf,
	size_t len, off_t offset)
{
	const struct pci_device_int *pd;
	ssize_t n;

	if (dev == NULL || (rbuf == NULL && wbuf == NULL) || offset < 0)
		return -EINVAL;
	pd = PCI_INT((struct dp_pci_device *)(uintptr_t)dev);
	if (pd->access == NULL)
		return -ENODEV;
	n = rbuf ? pd->access->read_config(dev, rbuf, len, offset) :
		pd->access->write_config(dev, wbuf, len, offset);
	if (n < 0)
		return (int)n;
	return (size_t)n == len ? (int)n : -EIO;
}

int
dp_pci_read_config(const struct dp_pci_device *dev, void *buf, size_t len,
	off_t offset)
{
	return buf ? pci_config_io(dev, buf, NULL, len, offset) : -EINVAL;
}

int
dp_pci_write_config(const struct dp_pci_device *dev, const void *buf,
	size_t len, off_t offset)
{
	return buf ? pci_config_io(dev, NULL, buf, len, offset) : -EINVAL;
}

/* Read-modify-write of the command register. */
static int
pci_command_update(const struct dp_pci_device *dev, uint16_t set,
	uint16_t clear)
{
	uint16_t cmd, upd;
	int rc;

	rc = dp_pci_read_config(dev, &cmd, sizeof(cmd), DP_PCI_COMMAND);
	if (rc < 0)
		return rc;
	upd = (uint16_t)((cmd | set) & ~clear);
	if (upd == cmd)
		return 0;
	rc = dp_pci_write_config(dev, &upd, sizeof(upd), DP_PCI_COMMAND);
	return rc < 0 ? rc : 0;
}

int
dp_pci_set_bus_master(const struct dp_pci_device *dev, bool enable)
{
	return enable ? pci_command_update(dev, DP_PCI_COMMAND_MASTER, 0) :
		pci_command_update(dev, 0, DP_PCI_COMMAND_MASTER);
}

int
dp_pci_set_memory_space(const struct dp_pci_device *dev, bool enable)
{
	return enable ? pci_command_update(dev, DP_PCI_COMMAND_MEMORY, 0) :
		pci_command_update(dev, 0, DP_PCI_COMMAND_MEMORY);
}

int
dp_pci_map_device(struct dp_pci_device *dev)
{
	struct pci_device_int *pd;
	unsigned int i;
	int rc;

	if (dev == NULL)
		return -EINVAL;
	pd = PCI_INT(dev);
	if (pd->access == NULL)
		return -ENODEV;
	for (i = 0; i < DP_PCI_MAX_BARS; i++) {
		if (dev->bars[i].len == 0 || dev->bars[i].addr != NULL)
			continue;
		if (!(dev->bars[i].flags & DP_PCI_BAR_FLAG_MEM)) {
			DP_LOG(DEBUG, bus_pci, "%s: BAR%u is I/O space, not "
				"mapped", dev->name, i);
			continue;
		}
		rc = pd->access->map_bar(dev, i);
		if (rc < 0) {
			dp_pci_unmap_device(dev);
			return rc;
		}
	}
	return 0;
}

void
dp_pci_unmap_device(struct dp_pci_device *dev)
{
	struct pci_device_int *pd;
	unsigned int i;

	if (dev == NULL)
		return;
	pd = PCI_INT(dev);
	if (pd->access == NULL)
		return;
	for (i = 0; i < DP_PCI_MAX_BARS; i++) {
		if (dev->bars[i].addr == NULL)
			continue;
		pd->access->unmap_bar(dev, i);
		dev->bars[i].addr = NULL;
	}
}
