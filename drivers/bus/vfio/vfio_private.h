/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef VFIO_PRIVATE_H
#define VFIO_PRIVATE_H

/*
 * VFIO access method of the PCI bus: containers, groups, devices, DMA
 * mapping of EAL memory, BARs, configuration space and interrupts.
 */

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <dp_bus_pci.h>
#include <dp_log.h>

extern int dp_logtype_bus_vfio;

/* ---- used by the PCI bus -------------------------------------------------- */

/* Is IOMMU group @p group a vfio no-IOMMU group? */
bool vfio_group_is_noiommu(int group);

int vfio_pci_open(struct dp_pci_device *dev);
void vfio_pci_close(struct dp_pci_device *dev);
int vfio_pci_map_bar(struct dp_pci_device *dev, unsigned int bar);
void vfio_pci_unmap_bar(struct dp_pci_device *dev, unsigned int bar);
ssize_t vfio_pci_read_config(const struct dp_pci_device *dev, void *buf,
	size_t len, off_t offset);
ssize_t vfio_pci_write_config(const struct dp_pci_device *dev,
	const void *buf, size_t len, off_t offset);

/* Unmap all DMA and close every container and group. */
void vfio_cleanup(void);

/* ---- inside drivers/bus/vfio ------------------------------------------------ */

/*
 * The system calls VFIO makes, replaceable so that unit tests can play
 * the kernel (ioctl sequences, errors) without /dev/vfio.
 */
struct vfio_sys {
	int (*open)(const char *path, int flags);
	int (*close)(int fd);
	int (*ioctl)(int fd, unsigned long req, void *arg);
	void *(*mmap)(void *addr, size_t len, int prot, int flags, int fd,
		off_t off);
	int (*munmap)(void *addr, size_t len);
	ssize_t (*pread)(int fd, void *buf, size_t len, off_t off);
	ssize_t (*pwrite)(int fd, const void *buf, size_t len, off_t off);
};

/* Install @p sys (NULL: the real system calls). */
void vfio_set_sys(const struct vfio_sys *sys);

extern const struct vfio_sys *vfio_sys;

/* A container: one IOMMU address space. */
struct vfio_container {
	struct vfio_container *next;
	int fd;
	bool noiommu;		/* VFIO_NOIOMMU_IOMMU: no DMA mapping possible */
	int want_type;		/* the type the kernel offers, checked at open */
	int iommu_type;		/* the type set (VFIO_SET_IOMMU), 0 until then */
	unsigned int nb_groups;
	/* DMA mappings made, so that cleanup can undo them. */
	struct vfio_dma *dmas;
	bool mem_hooked;	/* memsegs mapped and memory events followed */
};

/* A DMA mapping in a container. */
struct vfio_dma {
	struct vfio_dma *next;
	uint64_t vaddr;
	uint64_t iova;
	uint64_t len;
};

/* An IOMMU group opened by this process. */
struct vfio_group {
	struct vfio_group *next;
	int num;
	int fd;
	bool noiommu;
	unsigned int nb_devices;
	struct vfio_container *container;
};

/* Open (or reuse) the group of a device and attach it to a container. */
int vfio_group_get(int num, bool noiommu, const char *devname,
	struct vfio_group **out);

/* Drop one device's reference on a group (closes it at zero). */
void vfio_group_put(struct vfio_group *grp);

/* DMA-map / unmap a range in a container. */
int vfio_dma_map(struct vfio_container *c, uint64_t vaddr, uint64_t iova,
	uint64_t len);
int vfio_dma_unmap(struct vfio_container *c, uint64_t iova, uint64_t len);

/*
 * Is pinning @p need more bytes within RLIMIT_MEMLOCK (@p limit, with
 * @p locked already locked)? 0, or -ENOMEM after logging the fix.
 */
int vfio_memlock_check(uint64_t need, uint64_t limit, uint64_t locked,
	bool cap_ipc_lock);

/* Map all EAL memory into a container and follow memory events. */
int vfio_mem_hook(struct vfio_container *c);
void vfio_mem_unhook(struct vfio_container *c);

#endif /* VFIO_PRIVATE_H */
