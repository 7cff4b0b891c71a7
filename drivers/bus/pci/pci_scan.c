/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The sysfs scan: one struct dp_pci_device per directory of
 * /sys/bus/pci/devices, with ids, class, NUMA node, BAR table, kernel
 * driver and IOMMU group. Nothing is opened or written here.
 */

#include <dirent.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dp_sysfs.h>

#include "pci_private.h"
#include "vfio_private.h"

enum dp_pci_kdrv
pci_kdrv_from_name(const char *name)
{
	if (name[0] == '\0')
		return DP_PCI_KDRV_NONE;
	if (strcmp(name, "vfio-pci") == 0)
		return DP_PCI_KDRV_VFIO;
	if (strcmp(name, "uio_pci_generic") == 0)
		return DP_PCI_KDRV_UIO_GENERIC;
	if (strcmp(name, "igb_uio") == 0)
		return DP_PCI_KDRV_IGB_UIO;
	return DP_PCI_KDRV_OTHER;
}

/* Read a hex id file ("0x8086") into 16 or 24 bits. */
static int
read_id(const char *dir, const char *file, uint64_t max, uint32_t *out)
{
	char path[PATH_MAX];
	long long v;
	int rc;

	rc = dp_sysfs_path(path, sizeof(path), "/bus/pci/devices/%s/%s", dir,
		file);
	if (rc == 0)
		rc = dp_sysfs_read_long(path, &v);
	if (rc < 0)
		return rc;
	if (v < 0 || (uint64_t)v > max)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

/*
 * The `resource` file: one "start end flags" line per resource, BARs
 * first. An unused BAR reads as zeros.
 */
static int
read_bars(const char *dir, struct dp_pci_device *dev)
{
	unsigned long long start, end, flags;
	char path[PATH_MAX], line[256];
	unsigned int i;
	FILE *f;

	if (dp_sysfs_path(path, sizeof(path), "/bus/pci/devices/%s/resource",
			dir) < 0)
		return -ENAMETOOLONG;
	f = fopen(path, "re");
	if (f == NULL)
		return -errno;
	for (i = 0; i < DP_PCI_MAX_BARS && fgets(line, sizeof(line), f); i++) {
		if (sscanf(line, "%llx %llx %llx", &start, &end, &flags) != 3) {
			fclose(f);
			return -EINVAL;
		}
		if (end < start || (start == 0 && end == 0))
			continue;
		dev->bars[i].phys_addr = start;
		dev->bars[i].len = end - start + 1;
		dev->bars[i].flags = flags;
	}
	fclose(f);
	return 0;
}

void
pci_device_free(struct dp_pci_device *dev)
{
	free(PCI_INT(dev));
}

struct dp_pci_device *
pci_scan_one(const char *dirname)
{
	char path[PATH_MAX], name[64];
	struct pci_device_int *pd;
	struct dp_pci_device *dev;
	uint32_t v;
	long long node;
	int rc;

	pd = calloc(1, sizeof(*pd));
	if (pd == NULL) {
		dp_errno = ENOMEM;
		return NULL;
	}
	dev = &pd->dev;
	if (dp_pci_addr_parse(dirname, &dev->addr) != 0) {
		rc = -EINVAL;
		goto fail;
	}
	dp_pci_addr_format(&dev->addr, dev->name, sizeof(dev->name));

	if ((rc = read_id(dirname, "vendor", 0xffff, &v)) < 0)
		goto fail;
	dev->id.vendor_id = (uint16_t)v;
	if ((rc = read_id(dirname, "device", 0xffff, &v)) < 0)
		goto fail;
	dev->id.device_id = (uint16_t)v;
	/* Older kernels and some virtual devices lack these two. */
	dev->id.subsystem_vendor_id = read_id(dirname, "subsystem_vendor",
		0xffff, &v) == 0 ? (uint16_t)v : DP_PCI_ANY_ID;
	dev->id.subsystem_device_id = read_id(dirname, "subsystem_device",
		0xffff, &v) == 0 ? (uint16_t)v : DP_PCI_ANY_ID;
	if ((rc = read_id(dirname, "class", 0xffffff, &v)) < 0)
		goto fail;
	dev->id.class_id = v;

	dev->numa_node = DP_SOCKET_ID_ANY;
	if (dp_sysfs_path(path, sizeof(path), "/bus/pci/devices/%s/numa_node",
			dirname) == 0 &&
	    dp_sysfs_read_long(path, &node) == 0 && node >= 0 && node < INT_MAX)
		dev->numa_node = (int)node;

	if ((rc = read_bars(dirname, dev)) < 0)
		goto fail;

	dev->kdrv_name[0] = '\0';
	if (dp_sysfs_path(path, sizeof(path), "/bus/pci/devices/%s/driver",
			dirname) == 0)
		dp_sysfs_link_name(path, dev->kdrv_name, sizeof(dev->kdrv_name));
	dev->kdrv = pci_kdrv_from_name(dev->kdrv_name);

	dev->iommu_group = -1;
	if (dp_sysfs_path(path, sizeof(path), "/bus/pci/devices/%s/iommu_group",
			dirname) == 0 &&
	    dp_sysfs_link_name(path, name, sizeof(name)) > 0) {
		char *end;
		long g = strtol(name, &end, 10);

		if (*end == '\0' && g >= 0 && g < INT_MAX)
			dev->iommu_group = (int)g;
	}
	if (dev->kdrv == DP_PCI_KDRV_VFIO && dev->iommu_group >= 0)
		dev->noiommu = vfio_group_is_noiommu(dev->iommu_group);
	return dev;
fail:
	DP_LOG(DEBUG, bus_pci, "skipping sysfs entry %s: %s", dirname,
		dp_strerror(-rc));
	free(pd);
	dp_errno = -rc;
	return NULL;
}

/* Insert in address order, so probing and listings are stable. */
static void
list_insert(struct dp_pci_device **list, struct dp_pci_device *dev)
{
	struct dp_pci_device **pp;

	for (pp = list; *pp && dp_pci_addr_cmp(&(*pp)->addr, &dev->addr) < 0;
			pp = &(*pp)->next)
		;
	dev->next = *pp;
	*pp = dev;
}

int
pci_scan_sysfs(struct dp_pci_device **list)
{
	struct dp_pci_device *dev;
	struct dp_pci_addr a;
	char path[PATH_MAX];
	struct dirent *e;
	unsigned int n = 0;
	DIR *d;

	*list = NULL;
	if (dp_sysfs_path(path, sizeof(path), "/bus/pci/devices") < 0)
		return -ENAMETOOLONG;
	d = opendir(path);
	if (d == NULL) {
		/* No PCI bus at all (some containers): nothing to find. */
		DP_LOG(DEBUG, bus_pci, "cannot open %s: %s; no PCI devices",
			path, strerror(errno));
		return 0;
	}
	while ((e = readdir(d)) != NULL) {
		if (dp_pci_addr_parse(e->d_name, &a) != 0)
			continue;
		dev = pci_scan_one(e->d_name);
		if (dev == NULL) {
			if (dp_errno == ENOMEM) {
				closedir(d);
				return -ENOMEM;
			}
			continue;
		}
		list_insert(list, dev);
		n++;
	}
	closedir(d);
	DP_LOG(DEBUG, bus_pci, "scan of %s found %u devices", path, n);
	return 0;
}
