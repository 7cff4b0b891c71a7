/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DP_PCI_ADDR_H
#define DP_PCI_ADDR_H

/**
 * @file
 * PCI addresses (domain:bus:device.function), as written in sysfs
 * ("0000:01:00.0") or in the short form lspci prints ("01:00.0").
 */

#include <dp_common.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Longest formatted PCI address, NUL included ("dddd:bb:dd.f"). */
#define DP_PCI_ADDR_STRLEN 13

/** A PCI address. */
struct dp_pci_addr {
	uint32_t domain;	/**< PCI segment, 0..0xffff */
	uint8_t bus;		/**< bus number */
	uint8_t devid;		/**< device number, 0..31 */
	uint8_t function;	/**< function number, 0..7 */
};

/**
 * Parse "dddd:bb:dd.f" or "bb:dd.f" (hexadecimal; domain 0 if omitted).
 *
 * @return
 *   0, or -EINVAL if @p str is not exactly a PCI address.
 */
int dp_pci_addr_parse(const char *str, struct dp_pci_addr *addr);

/**
 * Write the full form "dddd:bb:dd.f" into @p buf.
 *
 * @param size
 *   Size of @p buf; DP_PCI_ADDR_STRLEN is enough.
 */
void dp_pci_addr_format(const struct dp_pci_addr *addr, char *buf, size_t size);

/**
 * Compare two addresses.
 *
 * @return
 *   <0, 0 or >0 like strcmp, ordering by domain, bus, device, function.
 */
int dp_pci_addr_cmp(const struct dp_pci_addr *a, const struct dp_pci_addr *b);

#ifdef __cplusplus
}
#endif

#endif /* DP_PCI_ADDR_H */
