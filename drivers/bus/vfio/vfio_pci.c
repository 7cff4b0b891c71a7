/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A PCI device opened through VFIO: the device fd from its group, the
 * region table (BARs, configuration space), BAR mmap (honouring the
 * sparse-mmap capability that keeps the MSI-X table out of reach), config
 * space by pread/pwrite at the config region's offset, and interrupts:
 * an eventfd per vector, MSI-X if the device has it, else MSI, else INTx.
 */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <linux/vfio.h>

#include "vfio_private.h"

/* An mmap-able part of a region (offsets relative to the region). */
struct vfio_area {
	uint64_t offset;
	uint64_t size;
};

#define VFIO_MAX_AREAS 8

struct vfio_region {
	uint64_t offset;	/* in the device fd */
	uint64_t size;
	uint32_t flags;		/* VFIO_REGION_INFO_FLAG_* */
	bool msix_mappable;	/* kernel allows mmap over the MSI-X table */
	unsigned int nb_areas;	/* 0: no sparse capability, whole region */
	struct vfio_area areas[VFIO_MAX_AREAS];
	void *map;		/* base of the mapping (incl. holes) */
	size_t map_len;
};

struct vfio_pci_dev {
	int fd;
	struct vfio_group *group;
	struct vfio_region bars[DP_PCI_MAX_BARS];
	uint64_t cfg_offset;
	uint64_t cfg_size;
	int msix_bar;		/* BAR holding the MSI-X table, -1 if none */
	uint64_t msix_table_offset;
	uint64_t msix_table_size;
	unsigned int irq_index;	/* VFIO_PCI_*_IRQ_INDEX of intr.type */
	unsigned int irq_wired;	/* vectors currently routed, 0 if disabled */
	struct dp_intr_handle intr;
};

static struct vfio_pci_dev *
vdev_of(const struct dp_pci_device *dev)
{
	return dev->access_priv;
}

/* ---- regions -------------------------------------------------------------------- */

/* Walk the capability chain of a REGION_INFO answer. */
static void
region_parse_caps(struct vfio_region *r, const struct vfio_region_info *info)
{
	const struct vfio_info_cap_header *hdr;
	const struct vfio_region_info_cap_sparse_mmap *sparse;
	uint32_t off = info->cap_offset;
	unsigned int i, guard = 0;

	while (off != 0 && off + sizeof(*hdr) <= info->argsz && guard++ < 16) {
		hdr = (const void *)((const char *)info + off);
		if (hdr->id == VFIO_REGION_INFO_CAP_SPARSE_MMAP) {
			sparse = (const void *)hdr;
			for (i = 0; i < sparse->nr_areas &&
					r->nb_areas < VFIO_MAX_AREAS; i++) {
				if (sparse->areas[i].size == 0)
					continue;
				r->areas[r->nb_areas].offset =
					sparse->areas[i].offset;
				r->areas[r->nb_areas].size =
					sparse->areas[i].size;
				r->nb_areas++;
			}
		} else if (hdr->id == VFIO_REGION_INFO_CAP_MSIX_MAPPABLE) {
			r->msix_mappable = true;
		}
		off = hdr->next;
	}
}

static int
region_info(struct vfio_pci_dev *v, unsigned int index, struct vfio_region *r)
{
	struct vfio_region_info *info;
	uint32_t argsz = sizeof(*info);
	int rc;

	for (;;) {
		info = calloc(1, argsz);
		if (info == NULL)
			return -ENOMEM;
		info->argsz = argsz;
		info->index = index;
		if (vfio_sys->ioctl(v->fd, VFIO_DEVICE_GET_REGION_INFO,
				info) < 0) {
			rc = -errno;
			free(info);
			return rc;
		}
		/* The kernel says how much room the capabilities need. */
		if (info->argsz <= argsz)
			break;
		argsz = info->argsz;
		free(info);
	}
	memset(r, 0, sizeof(*r));
	r->offset = info->offset;
	r->size = info->size;
	r->flags = info->flags;
	if (info->flags & VFIO_REGION_INFO_FLAG_CAPS)
		region_parse_caps(r, info);
	free(info);
	return 0;
}

/* Where the MSI-X table is, from the capability list in config space. */
static void
find_msix_table(const struct dp_pci_device *dev, struct vfio_pci_dev *v)
{
	uint8_t pos, id_next[2];
	uint16_t ctrl;
	uint32_t table;
	unsigned int guard = 0;

	v->msix_bar = -1;
	if (vfio_pci_read_config(dev, &pos, 1, 0x34) != 1)
		return;
	while (pos >= 0x40 && guard++ < 48) {
		pos &= 0xfc;
		if (vfio_pci_read_config(dev, id_next, 2, pos) != 2)
			return;
		if (id_next[0] == 0x11) {	/* MSI-X */
			if (vfio_pci_read_config(dev, &ctrl, 2, pos + 2) != 2 ||
			    vfio_pci_read_config(dev, &table, 4, pos + 4) != 4)
				return;
			v->msix_bar = (int)(table & 0x7);
			v->msix_table_offset = table & ~0x7u;
			v->msix_table_size = 16u * ((ctrl & 0x7ffu) + 1);
			return;
		}
		pos = id_next[1];
	}
}

/* ---- BARs ---------------------------------------------------------------------- */

static void *
map_at(struct vfio_pci_dev *v, void *addr, uint64_t len, uint64_t off,
	bool fixed)
{
	return vfio_sys->mmap(addr, len, PROT_READ | PROT_WRITE,
		MAP_SHARED | (fixed ? MAP_FIXED : 0), v->fd, (off_t)off);
}

int
vfio_pci_map_bar(struct dp_pci_device *dev, unsigned int bar)
{
	struct vfio_pci_dev *v = vdev_of(dev);
	struct vfio_region *r;
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	uint64_t hole_lo, hole_hi;
	unsigned int i;
	void *base, *p;

	if (v == NULL || bar >= DP_PCI_MAX_BARS)
		return -EINVAL;
	r = &v->bars[bar];
	if (r->size == 0)
		return -ENOENT;
	if (!(r->flags & VFIO_REGION_INFO_FLAG_MMAP)) {
		DP_LOG(ERR, bus_vfio, "%s: BAR%u cannot be mmapped through VFIO",
			dev->name, bar);
		return -ENOTSUP;
	}
	if (r->nb_areas == 0 && ((int)bar != v->msix_bar || r->msix_mappable)) {
		base = map_at(v, NULL, r->size, r->offset, false);
		if (base == MAP_FAILED)
			goto fail;
	} else {
		/*
		 * Reserve the whole BAR, then map the parts the kernel allows
		 * on top; the rest (the MSI-X table) stays PROT_NONE.
		 */
		base = mmap(NULL, r->size, PROT_NONE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (base == MAP_FAILED)
			goto fail;
		if (r->nb_areas == 0) {
			/* No sparse list: cut out the MSI-X table ourselves. */
			hole_lo = DP_ALIGN_FLOOR(v->msix_table_offset, page);
			hole_hi = DP_ALIGN_CEIL(v->msix_table_offset +
				v->msix_table_size, page);
			if (hole_lo > 0) {
				r->areas[r->nb_areas].offset = 0;
				r->areas[r->nb_areas++].size = hole_lo;
			}
			if (hole_hi < r->size) {
				r->areas[r->nb_areas].offset = hole_hi;
				r->areas[r->nb_areas++].size = r->size - hole_hi;
			}
		}
		for (i = 0; i < r->nb_areas; i++) {
			p = map_at(v, (char *)base + r->areas[i].offset,
				r->areas[i].size, r->offset + r->areas[i].offset,
				true);
			if (p == MAP_FAILED) {
				munmap(base, r->size);
				goto fail;
			}
		}
		DP_LOG(DEBUG, bus_vfio, "%s: BAR%u mapped in %u parts; the "
			"MSI-X table is left out", dev->name, bar, r->nb_areas);
	}
	r->map = base;
	r->map_len = r->size;
	dev->bars[bar].addr = base;
	return 0;
fail:
	DP_LOG(ERR, bus_vfio, "%s: cannot mmap BAR%u (%" PRIu64 " bytes): %s",
		dev->name, bar, r->size, strerror(errno));
	return -errno;
}

void
vfio_pci_unmap_bar(struct dp_pci_device *dev, unsigned int bar)
{
	struct vfio_pci_dev *v = vdev_of(dev);
	struct vfio_region *r;

	if (v == NULL || bar >= DP_PCI_MAX_BARS)
		return;
	r = &v->bars[bar];
	if (r->map == NULL)
		return;
	/* One munmap covers the parts and the holes of a sparse mapping. */
	vfio_sys->munmap(r->map, r->map_len);
	r->map = NULL;
	dev->bars[bar].addr = NULL;
}

/* ---- configuration space ------------------------------------------------------- */

ssize_t
vfio_pci_read_config(const struct dp_pci_device *dev, void *buf, size_t len,
	off_t offset)
{
	struct vfio_pci_dev *v = vdev_of(dev);
	ssize_t n;

	if (v == NULL || (uint64_t)offset + len > v->cfg_size)
		return -EINVAL;
	n = vfio_sys->pread(v->fd, buf, len, (off_t)v->cfg_offset + offset);
	return n < 0 ? -errno : n;
}

ssize_t
vfio_pci_write_config(const struct dp_pci_device *dev, const void *buf,
	size_t len, off_t offset)
{
	struct vfio_pci_dev *v = vdev_of(dev);
	ssize_t n;

	if (v == NULL || (uint64_t)offset + len > v->cfg_size)
		return -EINVAL;
	n = vfio_sys->pwrite(v->fd, buf, len, (off_t)v->cfg_offset + offset);
	return n < 0 ? -errno : n;
}

/* ---- interrupts ------------------------------------------------------------------ */

static int
irq_set(struct vfio_pci_dev *v, uint32_t flags, unsigned int count,
	const int *fds)
{
	struct vfio_irq_set *set;
	size_t sz = sizeof(*set) + sizeof(int) * count;
	int rc = 0;

	set = calloc(1, sz);
	if (set == NULL)
		return -ENOMEM;
	set->argsz = (uint32_t)sz;
	set->flags = flags;
	set->index = v->irq_index;
	set->start = 0;
	set->count = count;
	if (fds != NULL)
		memcpy(set->data, fds, sizeof(int) * count);
	if (vfio_sys->ioctl(v->fd, VFIO_DEVICE_SET_IRQS, set) < 0)
		rc = -errno;
	free(set);
	return rc;
}

static int
vfio_intr_disable(struct dp_intr_handle *h)
{
	struct vfio_pci_dev *v = h->bus_priv;
	int rc;

	if (v->irq_wired == 0)
		return 0;
	rc = irq_set(v, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
		0, NULL);
	if (rc < 0)
		DP_LOG(ERR, bus_vfio, "cannot disable interrupts: %s",
			strerror(-rc));
	else
		v->irq_wired = 0;
	return rc;
}

static int
vfio_intr_ack(struct dp_intr_handle *h)
{
	struct vfio_pci_dev *v = h->bus_priv;

	if (h->type != DP_INTR_TYPE_VFIO_INTX)
		return 0;
	return irq_set(v, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_UNMASK,
		1, NULL);
}

static int
vfio_intr_enable(struct dp_intr_handle *h)
{
	struct vfio_pci_dev *v = h->bus_priv;
	int fds[DP_INTR_MAX_EFD + 1];
	unsigned int i, n = 1;
	int rc;

	fds[0] = h->fd;
	if (h->type == DP_INTR_TYPE_VFIO_MSIX) {
		for (i = 0; i < h->nb_efd; i++)
			fds[n++] = h->efds[i];
	}
	/* The vector count of an enabled MSI-X block cannot change. */
	if (v->irq_wired != 0 && v->irq_wired != n) {
		rc = vfio_intr_disable(h);
		if (rc < 0)
			return rc;
	}
	rc = irq_set(v, VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER,
		n, fds);
	if (rc < 0) {
		DP_LOG(ERR, bus_vfio, "cannot route %u interrupt vector(s) to "
			"eventfds: %s", n, strerror(-rc));
		return rc;
	}
	v->irq_wired = n;
	return vfio_intr_ack(h);
}

static const struct dp_intr_ops vfio_intr_ops = {
	.enable = vfio_intr_enable,
	.disable = vfio_intr_disable,
	.ack = vfio_intr_ack,
};

/* Pick MSI-X, else MSI, else INTx, and make the vector-0 eventfd. */
static int
intr_setup(const struct dp_pci_device *dev, struct vfio_pci_dev *v)
{
	static const struct {
		unsigned int index;
		enum dp_intr_type type;
	} order[] = {
		{ VFIO_PCI_MSIX_IRQ_INDEX, DP_INTR_TYPE_VFIO_MSIX },
		{ VFIO_PCI_MSI_IRQ_INDEX, DP_INTR_TYPE_VFIO_MSI },
		{ VFIO_PCI_INTX_IRQ_INDEX, DP_INTR_TYPE_VFIO_INTX },
	};
	struct vfio_irq_info irq;
	unsigned int i;

	v->intr.fd = -1;
	v->intr.type = DP_INTR_TYPE_NONE;
	v->intr.bus_priv = v;
	for (i = 0; i < DP_INTR_MAX_EFD; i++)
		v->intr.efds[i] = -1;
	for (i = 0; i < DP_DIM(order); i++) {
		memset(&irq, 0, sizeof(irq));
		irq.argsz = sizeof(irq);
		irq.index = order[i].index;
		if (vfio_sys->ioctl(v->fd, VFIO_DEVICE_GET_IRQ_INFO, &irq) < 0)
			continue;
		if (irq.count == 0 || !(irq.flags & VFIO_IRQ_INFO_EVENTFD))
			continue;
		v->intr.fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (v->intr.fd < 0)
			return -errno;
		v->irq_index = order[i].index;
		v->intr.type = order[i].type;
		v->intr.max_vectors = irq.count;
		v->intr.ops = &vfio_intr_ops;
		DP_LOG(DEBUG, bus_vfio, "%s: %u %s vector(s)", dev->name,
			irq.count, order[i].type == DP_INTR_TYPE_VFIO_MSIX ?
			"MSI-X" : order[i].type == DP_INTR_TYPE_VFIO_MSI ?
			"MSI" : "INTx");
		return 0;
	}
	DP_LOG(DEBUG, bus_vfio, "%s: no interrupts", dev->name);
	return 0;
}

/* ---- open and close ------------------------------------------------------------ */

static int
device_setup(struct dp_pci_device *dev, struct vfio_pci_dev *v)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };
	struct vfio_region cfg;
	unsigned int i;
	int rc;

	if (vfio_sys->ioctl(v->fd, VFIO_DEVICE_GET_INFO, &info) < 0) {
		rc = -errno;
		DP_LOG(ERR, bus_vfio, "%s: VFIO_DEVICE_GET_INFO: %s",
			dev->name, strerror(-rc));
		return rc;
	}
	if (!(info.flags & VFIO_DEVICE_FLAGS_PCI) ||
	    info.num_regions <= VFIO_PCI_CONFIG_REGION_INDEX) {
		DP_LOG(ERR, bus_vfio, "%s: not a PCI device for VFIO (flags "
			"0x%x, %u regions)", dev->name, info.flags,
			info.num_regions);
		return -ENODEV;
	}
	rc = region_info(v, VFIO_PCI_CONFIG_REGION_INDEX, &cfg);
	if (rc < 0) {
		DP_LOG(ERR, bus_vfio, "%s: no configuration space region: %s",
			dev->name, strerror(-rc));
		return rc;
	}
	v->cfg_offset = cfg.offset;
	v->cfg_size = cfg.size;
	for (i = 0; i < DP_PCI_MAX_BARS; i++) {
		rc = region_info(v, VFIO_PCI_BAR0_REGION_INDEX + i, &v->bars[i]);
		if (rc < 0) {
			DP_LOG(ERR, bus_vfio, "%s: REGION_INFO of BAR%u: %s",
				dev->name, i, strerror(-rc));
			return rc;
		}
	}
	find_msix_table(dev, v);
	if (v->msix_bar >= 0 && v->bars[v->msix_bar].nb_areas == 0 &&
	    !v->bars[v->msix_bar].msix_mappable)
		DP_LOG(DEBUG, bus_vfio, "%s: MSI-X table in BAR%d at 0x%"
			PRIx64 ", not mappable: that page is left out of the "
			"mapping", dev->name, v->msix_bar, v->msix_table_offset);
	return intr_setup(dev, v);
}

int
vfio_pci_open(struct dp_pci_device *dev)
{
	struct vfio_pci_dev *v;
	int rc;

	if (dev->iommu_group < 0) {
		DP_LOG(ERR, bus_vfio, "%s is on vfio-pci but has no IOMMU "
			"group: enable the IOMMU (intel_iommu=on or amd_iommu=on "
			"on the kernel command line), or use vfio's no-IOMMU mode",
			dev->name);
		return -ENODEV;
	}
	v = calloc(1, sizeof(*v));
	if (v == NULL)
		return -ENOMEM;
	v->fd = -1;
	v->intr.fd = -1;
	rc = vfio_group_get(dev->iommu_group, dev->noiommu, dev->name,
		&v->group);
	if (rc < 0) {
		free(v);
		return rc;
	}
	/* VFIO_GROUP_GET_DEVICE_FD takes the device name as its argument. */
	v->fd = vfio_sys->ioctl(v->group->fd, VFIO_GROUP_GET_DEVICE_FD,
		dev->name);
	if (v->fd < 0) {
		rc = -errno;
		DP_LOG(ERR, bus_vfio, "cannot get %s from IOMMU group %d: %s%s",
			dev->name, dev->iommu_group, strerror(-rc),
			rc == -EBUSY ? " (it is open in another process)" : "");
		goto fail;
	}
	dev->access_priv = v;
	rc = device_setup(dev, v);
	if (rc < 0)
		goto fail;
	dev->intr_handle = &v->intr;
	/* The device must decode its BARs and be allowed to DMA. */
	{
		uint16_t cmd;

		if (vfio_pci_read_config(dev, &cmd, 2, DP_PCI_COMMAND) == 2) {
			cmd |= DP_PCI_COMMAND_MEMORY | DP_PCI_COMMAND_MASTER;
			if (vfio_pci_write_config(dev, &cmd, 2,
					DP_PCI_COMMAND) != 2)
				DP_LOG(WARNING, bus_vfio, "%s: cannot enable bus "
					"mastering", dev->name);
		}
	}
	return 0;
fail:
	dev->access_priv = NULL;
	if (v->intr.fd >= 0)
		close(v->intr.fd);
	if (v->fd >= 0)
		vfio_sys->close(v->fd);
	vfio_group_put(v->group);
	free(v);
	return rc;
}

void
vfio_pci_close(struct dp_pci_device *dev)
{
	struct vfio_pci_dev *v = vdev_of(dev);

	if (v == NULL)
		return;
	if (v->irq_wired)
		vfio_intr_disable(&v->intr);
	dp_intr_efd_disable(&v->intr);
	if (v->intr.fd >= 0)
		close(v->intr.fd);
	/* Closing the device fd resets it (vfio-pci does so on release). */
	vfio_sys->close(v->fd);
	vfio_group_put(v->group);
	dev->access_priv = NULL;
	dev->intr_handle = NULL;
	free(v);
}
