/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef UIO_PRIVATE_H
#define UIO_PRIVATE_H

/*
 * UIO access method of the PCI bus (uio_pci_generic, igb_uio): BARs from
 * sysfs resourceN, configuration space from sysfs config, interrupts from
 * /dev/uioN. IOVA must be the physical address.
 */

#include <sys/types.h>

#include <dp_bus_pci.h>
#include <dp_log.h>

extern int dp_logtype_bus_uio;

int uio_pci_open(struct dp_pci_device *dev);
void uio_pci_close(struct dp_pci_device *dev);
int uio_pci_map_bar(struct dp_pci_device *dev, unsigned int bar);
void uio_pci_unmap_bar(struct dp_pci_device *dev, unsigned int bar);
ssize_t uio_pci_read_config(const struct dp_pci_device *dev, void *buf,
	size_t len, off_t offset);
ssize_t uio_pci_write_config(const struct dp_pci_device *dev,
	const void *buf, size_t len, off_t offset);

#endif /* UIO_PRIVATE_H */
