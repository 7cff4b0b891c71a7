/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A PCI device opened through UIO (uio_pci_generic, igb_uio).
 *
 * UIO gives no IOMMU protection: the device DMAs to physical addresses,
 * so the EAL must run with IOVA = PA. BARs come from mmap of sysfs
 * resourceN, configuration space from the sysfs config file, interrupts
 * from 4-byte reads of /dev/uioN. /dev/uioN stays open while the device is
 * in use: uio_pci_generic turns bus mastering off when it is closed.
 * uio_pci_generic masks INTx when an interrupt arrives and has no unmask
 * call; clearing the INTx-disable bit of the command register re-arms it.
 */

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <dp_eal.h>
#include <dp_sysfs.h>

#include "uio_private.h"

DP_LOG_REGISTER(bus_uio, "bus.uio", INFO);

struct uio_pci_dev {
	int uio_num;
	int uio_fd;		/* /dev/uioN */
	int cfg_fd;		/* sysfs config */
	bool irqcontrol;	/* igb_uio: unmask by writing 1 to uio_fd */
	size_t map_len[DP_PCI_MAX_BARS];
	struct dp_intr_handle intr;
};

static struct uio_pci_dev *
udev_of(const struct dp_pci_device *dev)
{
	return dev->access_priv;
}

/* "uioN" under <dev>/uio/, or an "uio:uioN" entry in the device dir. */
static int
find_uio_num(const struct dp_pci_device *dev)
{
	const char *dirs[] = { "/bus/pci/devices/%s/uio", "/bus/pci/devices/%s" };
	char path[PATH_MAX];
	struct dirent *e;
	unsigned int i;
	int num = -1;
	DIR *d;

	for (i = 0; i < DP_DIM(dirs) && num < 0; i++) {
		if (dp_sysfs_path(path, sizeof(path), dirs[i], dev->name) < 0)
			continue;
		d = opendir(path);
		if (d == NULL)
			continue;
		while ((e = readdir(d)) != NULL && num < 0) {
			if (sscanf(e->d_name, i == 0 ? "uio%d" : "uio:uio%d",
					&num) != 1)
				num = -1;
		}
		closedir(d);
	}
	return num;
}

/* Open /dev/uioN, creating the node from sysfs if devtmpfs did not. */
static int
open_uio_dev(const struct dp_pci_device *dev, int num)
{
	char path[PATH_MAX], devpath[PATH_MAX], mm[32];
	unsigned int major, minor;
	int fd;

	if (dp_dev_path(devpath, sizeof(devpath), "/uio%d", num) < 0)
		return -ENAMETOOLONG;
	fd = open(devpath, O_RDWR | O_CLOEXEC);
	if (fd >= 0 || errno != ENOENT)
		goto out;
	if (dp_sysfs_path(path, sizeof(path), "/class/uio/uio%d/dev", num) == 0 &&
	    dp_sysfs_read_str(path, mm, sizeof(mm)) > 0 &&
	    sscanf(mm, "%u:%u", &major, &minor) == 2 &&
	    mknod(devpath, S_IFCHR | 0600, makedev(major, minor)) == 0)
		fd = open(devpath, O_RDWR | O_CLOEXEC);
	else
		errno = ENOENT;
out:
	if (fd < 0)
		DP_LOG(ERR, bus_uio, "%s: cannot open %s: %s%s", dev->name,
			devpath, strerror(errno), errno == EACCES ?
			" (UIO needs root)" : "");
	return fd < 0 ? -errno : fd;
}

/* ---- configuration space -------------------------------------------------------- */

ssize_t
uio_pci_read_config(const struct dp_pci_device *dev, void *buf, size_t len,
	off_t offset)
{
	struct uio_pci_dev *u = udev_of(dev);
	ssize_t n;

	if (u == NULL)
		return -EINVAL;
	n = pread(u->cfg_fd, buf, len, offset);
	return n < 0 ? -errno : n;
}

ssize_t
uio_pci_write_config(const struct dp_pci_device *dev, const void *buf,
	size_t len, off_t offset)
{
	struct uio_pci_dev *u = udev_of(dev);
	ssize_t n;

	if (u == NULL)
		return -EINVAL;
	n = pwrite(u->cfg_fd, buf, len, offset);
	return n < 0 ? -errno : n;
}

/* Set and clear bits of the command register. */
static int
command_update(const struct dp_pci_device *dev, uint16_t set, uint16_t clear)
{
	uint16_t cmd;

	if (uio_pci_read_config(dev, &cmd, 2, DP_PCI_COMMAND) != 2)
		return -EIO;
	cmd = (uint16_t)((cmd | set) & ~clear);
	return uio_pci_write_config(dev, &cmd, 2, DP_PCI_COMMAND) == 2 ?
		0 : -EIO;
}

/* ---- interrupts ---------------------------------------------------------------- */

/*
 * Mask or unmask INTx: igb_uio has an irqcontrol write (1 = on), with
 * uio_pci_generic it is the INTx-disable bit of the command register.
 */
static int
uio_intr_set(struct dp_intr_handle *h, bool on)
{
	const struct dp_pci_device *dev = h->bus_priv;
	struct uio_pci_dev *u = udev_of(dev);
	int32_t v = on;

	if (u->irqcontrol)
		return write(u->uio_fd, &v, sizeof(v)) == sizeof(v) ? 0 : -errno;
	return on ? command_update(dev, 0, DP_PCI_COMMAND_INTX_DISABLE) :
		command_update(dev, DP_PCI_COMMAND_INTX_DISABLE, 0);
}

static int
uio_intr_unmask(struct dp_intr_handle *h)
{
	return uio_intr_set(h, true);
}

static int
uio_intr_mask(struct dp_intr_handle *h)
{
	return uio_intr_set(h, false);
}

static const struct dp_intr_ops uio_intr_ops = {
	.enable = uio_intr_unmask,
	.disable = uio_intr_mask,
	.ack = uio_intr_unmask,
};

/* ---- BARs ------------------------------------------------------------------------ */

int
uio_pci_map_bar(struct dp_pci_device *dev, unsigned int bar)
{
	struct uio_pci_dev *u = udev_of(dev);
	size_t page = (size_t)sysconf(_SC_PAGESIZE), len;
	char path[PATH_MAX];
	void *p;
	int fd, rc;

	if (u == NULL || bar >= DP_PCI_MAX_BARS || dev->bars[bar].len == 0)
		return -EINVAL;
	if (dp_sysfs_path(path, sizeof(path), "/bus/pci/devices/%s/resource%u",
			dev->name, bar) < 0)
		return -ENAMETOOLONG;
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		DP_LOG(ERR, bus_uio, "%s: cannot open %s: %s", dev->name, path,
			strerror(-rc));
		return rc;
	}
	len = DP_ALIGN_CEIL((size_t)dev->bars[bar].len, page);
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	rc = -errno;
	close(fd);
	if (p == MAP_FAILED) {
		DP_LOG(ERR, bus_uio, "%s: cannot mmap %s: %s", dev->name, path,
			strerror(-rc));
		return rc;
	}
	u->map_len[bar] = len;
	dev->bars[bar].addr = p;
	return 0;
}

void
uio_pci_unmap_bar(struct dp_pci_device *dev, unsigned int bar)
{
	struct uio_pci_dev *u = udev_of(dev);

	if (u == NULL || bar >= DP_PCI_MAX_BARS || dev->bars[bar].addr == NULL)
		return;
	munmap(dev->bars[bar].addr, u->map_len[bar]);
	dev->bars[bar].addr = NULL;
}

/* ---- open and close ------------------------------------------------------------- */

int
uio_pci_open(struct dp_pci_device *dev)
{
	struct uio_pci_dev *u;
	char path[PATH_MAX];
	int rc;

	/* Without an IOMMU the device only understands physical addresses. */
	if (dp_eal_iova_mode() != DP_IOVA_PA) {
		DP_LOG(ERR, bus_uio, "%s is on %s, which has no IOMMU and "
			"needs IOVA=PA, but the IOVA mode is %s: drop "
			"--iova-mode=va, or bind the device to vfio-pci",
			dev->name, dev->kdrv_name,
			dp_iova_mode_name(dp_eal_iova_mode()));
		return -EPERM;
	}
	u = calloc(1, sizeof(*u));
	if (u == NULL)
		return -ENOMEM;
	u->uio_fd = u->cfg_fd = -1;
	u->uio_num = find_uio_num(dev);
	if (u->uio_num < 0) {
		DP_LOG(ERR, bus_uio, "%s is on %s but has no uio device in "
			"sysfs: rebind it (dpkit-devbind.py --bind=%s %s)",
			dev->name, dev->kdrv_name, dev->kdrv_name, dev->name);
		rc = -ENODEV;
		goto fail;
	}
	rc = open_uio_dev(dev, u->uio_num);
	if (rc < 0)
		goto fail;
	u->uio_fd = rc;
	if (dp_sysfs_path(path, sizeof(path), "/bus/pci/devices/%s/config",
			dev->name) < 0) {
		rc = -ENAMETOOLONG;
		goto fail;
	}
	u->cfg_fd = open(path, O_RDWR | O_CLOEXEC);
	if (u->cfg_fd < 0) {
		rc = -errno;
		DP_LOG(ERR, bus_uio, "%s: cannot open %s: %s", dev->name, path,
			strerror(-rc));
		goto fail;
	}
	u->irqcontrol = dev->kdrv == DP_PCI_KDRV_IGB_UIO;
	dev->access_priv = u;
	/* uio_pci_generic leaves bus mastering off; DMA needs it. */
	rc = command_update(dev, DP_PCI_COMMAND_MEMORY | DP_PCI_COMMAND_MASTER,
		0);
	if (rc < 0) {
		DP_LOG(ERR, bus_uio, "%s: cannot enable bus mastering through "
			"%s", dev->name, path);
		dev->access_priv = NULL;
		goto fail;
	}
	u->intr.type = DP_INTR_TYPE_UIO;
	u->intr.fd = u->uio_fd;
	u->intr.max_vectors = 1;
	u->intr.ops = &uio_intr_ops;
	u->intr.bus_priv = dev;
	dev->intr_handle = &u->intr;
	DP_LOG(WARNING, bus_uio, "%s uses %s: no IOMMU protects memory from "
		"the device's DMA", dev->name, dev->kdrv_name);
	return 0;
fail:
	if (u->cfg_fd >= 0)
		close(u->cfg_fd);
	if (u->uio_fd >= 0)
		close(u->uio_fd);
	free(u);
	return rc;
}

void
uio_pci_close(struct dp_pci_device *dev)
{
	struct uio_pci_dev *u = udev_of(dev);

	if (u == NULL)
		return;
	if (u->intr.enabled)
		uio_intr_mask(&u->intr);
	close(u->cfg_fd);
	close(u->uio_fd);
	dev->access_priv = NULL;
	dev->intr_handle = NULL;
	free(u);
}
