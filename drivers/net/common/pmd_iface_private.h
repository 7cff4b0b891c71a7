/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PMD_IFACE_PRIVATE_H
#define PMD_IFACE_PRIVATE_H

/*
 * Kernel network interfaces seen from a PMD that sits on one (af_packet,
 * pcap on a live interface): index, MAC address, MTU, link state and speed,
 * through ioctls on a throw-away socket. Every function returns 0 or a
 * negative errno value and logs nothing: the caller knows the context
 * (port name, argument) the message needs.
 */

#include <dp_common.h>
#include <dp_ethdev.h>

/**
 * Index of interface @p name.
 *
 * @return
 *   The index (> 0), -ENODEV if there is no such interface, -EINVAL if
 *   the name is empty or too long for the kernel (15 characters).
 */
int pmd_iface_index(const char *name);

/** MAC address of @p name. @return 0 or negative errno. */
int pmd_iface_get_mac(const char *name, struct dp_ether_addr *mac);

/** Set the MAC address of @p name. @return 0 or negative errno (-EPERM without CAP_NET_ADMIN). */
int pmd_iface_set_mac(const char *name, const struct dp_ether_addr *mac);

/** MTU of @p name. @return 0 or negative errno. */
int pmd_iface_get_mtu(const char *name, uint16_t *mtu);

/** Set the MTU of @p name (SIOCSIFMTU). @return 0 or negative errno. */
int pmd_iface_set_mtu(const char *name, uint16_t mtu);

/**
 * Link state of @p name: up when the interface is administratively up and
 * its carrier is on (IFF_UP and IFF_RUNNING); speed and duplex from the
 * ethtool ioctl when the driver reports them, else speed 0 (unknown).
 *
 * @return 0 or negative errno.
 */
int pmd_iface_link(const char *name, struct dp_eth_link *link);

#endif /* PMD_IFACE_PRIVATE_H */
