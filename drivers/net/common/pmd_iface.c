/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Kernel interface queries and changes for the PMDs that sit on a kernel
 * interface (af_packet, pcap on a live interface): ioctls on a short-lived
 * datagram socket of the caller's network namespace.
 */

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>

#include "pmd_iface_private.h"

/* Run ioctl @p req for interface @p name on a fresh socket. */
static int
iface_ioctl(const char *name, unsigned long req, struct ifreq *ifr)
{
	int fd, rc = 0;

	if (name == NULL || name[0] == '\0' || strlen(name) >= IFNAMSIZ)
		return -EINVAL;
	strncpy(ifr->ifr_name, name, IFNAMSIZ - 1);
	ifr->ifr_name[IFNAMSIZ - 1] = '\0';
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (ioctl(fd, req, ifr) < 0)
		rc = -errno;
	close(fd);
	return rc;
}

int
pmd_iface_index(const char *name)
{
	struct ifreq ifr;
	int rc;

	memset(&ifr, 0, sizeof(ifr));
	rc = iface_ioctl(name, SIOCGIFINDEX, &ifr);
	if (rc == -ENODEV || rc == -ENXIO)
		return -ENODEV;
	return rc < 0 ? rc : ifr.ifr_ifindex;
}

int
pmd_iface_get_mac(const char *name, struct dp_ether_addr *mac)
{
	struct ifreq ifr;
	int rc;

	memset(&ifr, 0, sizeof(ifr));
	rc = iface_ioctl(name, SIOCGIFHWADDR, &ifr);
	if (rc == 0)
		memcpy(mac->addr_bytes, ifr.ifr_hwaddr.sa_data, DP_ETHER_ADDR_LEN);
	return rc;
}

int
pmd_iface_set_mac(const char *name, const struct dp_ether_addr *mac)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_hwaddr.sa_family = 1;	/* ARPHRD_ETHER */
	memcpy(ifr.ifr_hwaddr.sa_data, mac->addr_bytes, DP_ETHER_ADDR_LEN);
	return iface_ioctl(name, SIOCSIFHWADDR, &ifr);
}

int
pmd_iface_get_mtu(const char *name, uint16_t *mtu)
{
	struct ifreq ifr;
	int rc;

	memset(&ifr, 0, sizeof(ifr));
	rc = iface_ioctl(name, SIOCGIFMTU, &ifr);
	if (rc == 0)
		*mtu = (uint16_t)DP_MIN(ifr.ifr_mtu, UINT16_MAX);
	return rc;
}

int
pmd_iface_set_mtu(const char *name, uint16_t mtu)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_mtu = mtu;
	return iface_ioctl(name, SIOCSIFMTU, &ifr);
}

int
pmd_iface_link(const char *name, struct dp_eth_link *link)
{
	struct ethtool_cmd ecmd;
	struct ifreq ifr;
	uint32_t speed;
	int rc;

	memset(link, 0, sizeof(*link));
	memset(&ifr, 0, sizeof(ifr));
	rc = iface_ioctl(name, SIOCGIFFLAGS, &ifr);
	if (rc < 0)
		return rc;
	if ((ifr.ifr_flags & IFF_UP) && (ifr.ifr_flags & IFF_RUNNING))
		link->link_status = DP_ETH_LINK_UP;
	link->link_duplex = DP_ETH_LINK_FULL_DUPLEX;
	link->link_autoneg = DP_ETH_LINK_FIXED;

	/* Speed: optional, many virtual interfaces have none. */
	memset(&ecmd, 0, sizeof(ecmd));
	memset(&ifr, 0, sizeof(ifr));
	ecmd.cmd = ETHTOOL_GSET;
	ifr.ifr_data = (void *)&ecmd;
	if (iface_ioctl(name, SIOCETHTOOL, &ifr) == 0) {
		speed = ethtool_cmd_speed(&ecmd);
		if (speed != (uint32_t)SPEED_UNKNOWN && speed != 0)
			link->link_speed = speed;
		if (ecmd.duplex == DUPLEX_HALF)
			link->link_duplex = DP_ETH_LINK_HALF_DUPLEX;
		if (ecmd.autoneg == AUTONEG_ENABLE)
			link->link_autoneg = DP_ETH_LINK_AUTONEG;
	}
	if (link->link_status == DP_ETH_LINK_DOWN)
		link->link_speed = DP_ETH_SPEED_NUM_NONE;
	return 0;
}
