/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * VFIO containers and groups, in the order the kernel wants them: open
 * the container, check the API version and the IOMMU type, open the
 * group, check that it is viable, attach it to the container, set the
 * IOMMU once per container, then map DMA. One container for groups behind
 * an IOMMU (type 1) and one for no-IOMMU groups, which cannot share it.
 *
 * Every error a user can cause says what to do: load the module, fix the
 * permissions of /dev/vfio/N, rebind the other devices of the group,
 * raise RLIMIT_MEMLOCK.
 */

#include <dirent.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <linux/vfio.h>

#include <dp_sysfs.h>

#include "vfio_private.h"

DP_LOG_REGISTER(bus_vfio, "bus.vfio", INFO);

/* ---- system calls ------------------------------------------------------------ */

static int
sys_open(const char *path, int flags)
{
	return open(path, flags);
}

static int
sys_ioctl(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg);
}

static const struct vfio_sys vfio_sys_real = {
	.open = sys_open,
	.close = close,
	.ioctl = sys_ioctl,
	.mmap = mmap,
	.munmap = munmap,
	.pread = pread,
	.pwrite = pwrite,
};

const struct vfio_sys *vfio_sys = &vfio_sys_real;

void
vfio_set_sys(const struct vfio_sys *sys)
{
	vfio_sys = sys ? sys : &vfio_sys_real;
}

static struct vfio_container *containers;
static struct vfio_group *groups;

/* ---- no-IOMMU detection ----------------------------------------------------- */

bool
vfio_group_is_noiommu(int group)
{
	char path[PATH_MAX], name[64];

	/* vfio names the fake groups it creates in no-IOMMU mode. */
	if (dp_sysfs_path(path, sizeof(path), "/kernel/iommu_groups/%d/name",
			group) == 0 &&
	    dp_sysfs_read_str(path, name, sizeof(name)) > 0)
		return strcmp(name, "vfio-noiommu") == 0;
	if (dp_dev_path(path, sizeof(path), "/vfio/noiommu-%d", group) < 0)
		return false;
	return access(path, F_OK) == 0;
}

/* ---- containers ----------------------------------------------------------------- */

static void
container_close(struct vfio_container *c)
{
	struct vfio_container **pp;

	vfio_mem_unhook(c);
	while (c->dmas != NULL)
		vfio_dma_unmap(c, c->dmas->iova, c->dmas->len);
	vfio_sys->close(c->fd);
	for (pp = &containers; *pp; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	}
	free(c);
}

/* The IOMMU type this container will use (checked, not yet set). */
static int
container_pick_type(struct vfio_container *c)
{
	if (c->noiommu) {
		if (vfio_sys->ioctl(c->fd, VFIO_CHECK_EXTENSION,
				(void *)(uintptr_t)VFIO_NOIOMMU_IOMMU) == 1)
			return VFIO_NOIOMMU_IOMMU;
		DP_LOG(ERR, bus_vfio, "the kernel's vfio has no no-IOMMU "
			"support (CONFIG_VFIO_NOIOMMU), or it is off: load vfio "
			"with enable_unsafe_noiommu_mode=1, or enable the IOMMU "
			"(intel_iommu=on / amd_iommu=on) and rebind the device");
		return -ENOTSUP;
	}
	/* TYPE1v2 has the cleaner unmap semantics; v1 is the fallback. */
	if (vfio_sys->ioctl(c->fd, VFIO_CHECK_EXTENSION,
			(void *)(uintptr_t)VFIO_TYPE1v2_IOMMU) == 1)
		return VFIO_TYPE1v2_IOMMU;
	if (vfio_sys->ioctl(c->fd, VFIO_CHECK_EXTENSION,
			(void *)(uintptr_t)VFIO_TYPE1_IOMMU) == 1)
		return VFIO_TYPE1_IOMMU;
	DP_LOG(ERR, bus_vfio, "the kernel's vfio offers no type 1 IOMMU "
		"(module vfio_iommu_type1 not loaded?): run modprobe "
		"vfio_iommu_type1");
	return -ENOTSUP;
}

static int
container_get(bool noiommu, struct vfio_container **out)
{
	struct vfio_container *c;
	char path[PATH_MAX];
	int rc, version;

	for (c = containers; c; c = c->next) {
		if (c->noiommu == noiommu) {
			*out = c;
			return 0;
		}
	}
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return -ENOMEM;
	c->noiommu = noiommu;
	if (dp_dev_path(path, sizeof(path), "/vfio/vfio") < 0) {
		free(c);
		return -ENAMETOOLONG;
	}
	c->fd = vfio_sys->open(path, O_RDWR | O_CLOEXEC);
	if (c->fd < 0) {
		rc = -errno;
		if (rc == -ENOENT)
			DP_LOG(ERR, bus_vfio, "%s does not exist: the vfio "
				"module is not loaded (run modprobe vfio-pci)",
				path);
		else
			DP_LOG(ERR, bus_vfio, "cannot open %s: %s%s", path,
				strerror(-rc), rc == -EACCES ? " (it is "
				"normally mode 0666: check its permissions)" :
				"");
		free(c);
		return rc;
	}
	version = vfio_sys->ioctl(c->fd, VFIO_GET_API_VERSION, NULL);
	if (version != VFIO_API_VERSION) {
		DP_LOG(ERR, bus_vfio, "%s speaks VFIO API version %d, dpkit "
			"speaks %d", path, version, VFIO_API_VERSION);
		rc = -ENOTSUP;
		goto fail;
	}
	rc = container_pick_type(c);
	if (rc < 0)
		goto fail;
	c->want_type = rc;
	c->iommu_type = 0;	/* set once the first group is attached */
	c->next = containers;
	containers = c;
	*out = c;
	return 0;
fail:
	vfio_sys->close(c->fd);
	free(c);
	return rc;
}

/* ---- groups ----------------------------------------------------------------------- */

/*
 * A group is viable when every device in it is on vfio-pci (or pci-stub,
 * or no driver). Name the ones that are not and how to fix it.
 */
static void
group_log_not_viable(int num)
{
	char path[PATH_MAX], drv[64], bad[512] = "", cmd[512] = "";
	size_t lb = 0, lc = 0;
	struct dirent *e;
	DIR *d;

	if (dp_sysfs_path(path, sizeof(path), "/kernel/iommu_groups/%d/devices",
			num) == 0 && (d = opendir(path)) != NULL) {
		while ((e = readdir(d)) != NULL) {
			if (e->d_name[0] == '.')
				continue;
			drv[0] = '\0';
			if (dp_sysfs_path(path, sizeof(path),
					"/bus/pci/devices/%s/driver",
					e->d_name) == 0)
				dp_sysfs_link_name(path, drv, sizeof(drv));
			if (drv[0] == '\0' || strcmp(drv, "vfio-pci") == 0 ||
			    strcmp(drv, "pci-stub") == 0)
				continue;
			if (lb < sizeof(bad))
				lb += (size_t)snprintf(bad + lb, sizeof(bad) - lb,
					"%s%s is on %s", lb ? ", " : "",
					e->d_name, drv);
			if (lc < sizeof(cmd))
				lc += (size_t)snprintf(cmd + lc, sizeof(cmd) - lc,
					" %s", e->d_name);
		}
		closedir(d);
	}
	if (bad[0] != '\0')
		DP_LOG(ERR, bus_vfio, "IOMMU group %d is not viable: every "
			"device in it must be on vfio-pci or on no driver, but "
			"%s; run dpkit-devbind.py --bind=vfio-pci%s (or unbind "
			"them)", num, bad, cmd);
	else
		DP_LOG(ERR, bus_vfio, "IOMMU group %d is not viable: bind "
			"every device of /sys/kernel/iommu_groups/%d/devices "
			"to vfio-pci", num, num);
}

static int
group_open(int num, bool noiommu, const char *devname)
{
	char path[PATH_MAX];
	int fd, rc;

	if (dp_dev_path(path, sizeof(path), noiommu ? "/vfio/noiommu-%d" :
			"/vfio/%d", num) < 0)
		return -ENAMETOOLONG;
	fd = vfio_sys->open(path, O_RDWR | O_CLOEXEC);
	if (fd >= 0)
		return fd;
	rc = -errno;
	switch (rc) {
	case -ENOENT:
		DP_LOG(ERR, bus_vfio, "%s does not exist: is %s bound to "
			"vfio-pci? (dpkit-devbind.py --status)", path, devname);
		break;
	case -EACCES:
	case -EPERM:
		DP_LOG(ERR, bus_vfio, "cannot open %s: %s: run as root, or "
			"give your user the group: chown $USER %s (or "
			"dpkit-devbind.py --bind=vfio-pci --uid $USER %s)%s",
			path, strerror(-rc), path, devname, noiommu ?
			"; no-IOMMU mode also needs CAP_SYS_RAWIO" : "");
		break;
	case -EBUSY:
		DP_LOG(ERR, bus_vfio, "%s is busy: another process (another "
			"dpkit or DPDK application, or QEMU) has IOMMU group %d "
			"open", path, num);
		break;
	default:
		DP_LOG(ERR, bus_vfio, "cannot open %s: %s", path,
			strerror(-rc));
	}
	return rc;
}

int
vfio_group_get(int num, bool noiommu, const char *devname,
	struct vfio_group **out)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	struct vfio_container *c;
	struct vfio_group *g;
	bool new_iommu = false;
	int rc;

	for (g = groups; g; g = g->next) {
		if (g->num == num && g->noiommu == noiommu) {
			g->nb_devices++;
			*out = g;
			return 0;
		}
	}
	g = calloc(1, sizeof(*g));
	if (g == NULL)
		return -ENOMEM;
	g->num = num;
	g->noiommu = noiommu;

	rc = container_get(noiommu, &c);
	if (rc < 0)
		goto fail_free;
	g->fd = group_open(num, noiommu, devname);
	if (g->fd < 0) {
		rc = g->fd;
		goto fail_container;
	}
	if (vfio_sys->ioctl(g->fd, VFIO_GROUP_GET_STATUS, &status) < 0) {
		rc = -errno;
		DP_LOG(ERR, bus_vfio, "VFIO_GROUP_GET_STATUS on group %d: %s",
			num, strerror(-rc));
		goto fail_close;
	}
	if (!(status.flags & VFIO_GROUP_FLAGS_VIABLE)) {
		group_log_not_viable(num);
		rc = -EPERM;
		goto fail_close;
	}
	if (!(status.flags & VFIO_GROUP_FLAGS_CONTAINER_SET) &&
	    vfio_sys->ioctl(g->fd, VFIO_GROUP_SET_CONTAINER, &c->fd) < 0) {
		rc = -errno;
		DP_LOG(ERR, bus_vfio, "cannot attach IOMMU group %d to the "
			"VFIO container: %s", num, strerror(-rc));
		goto fail_close;
	}
	/* The IOMMU type can only be set once a group is attached. */
	if (c->iommu_type == 0) {
		if (vfio_sys->ioctl(c->fd, VFIO_SET_IOMMU,
				(void *)(uintptr_t)c->want_type) < 0) {
			rc = -errno;
			DP_LOG(ERR, bus_vfio, "VFIO_SET_IOMMU(%d) failed: %s",
				c->want_type, strerror(-rc));
			goto fail_unset;
		}
		c->iommu_type = c->want_type;
		new_iommu = true;
		if (noiommu)
			DP_LOG(WARNING, bus_vfio, "vfio no-IOMMU mode: %s can "
				"DMA anywhere in memory, there is no isolation "
				"(unsafe; IOVA = physical address)", devname);
	}
	c->nb_groups++;
	g->container = c;
	g->nb_devices = 1;
	g->next = groups;
	groups = g;
	/* DMA-map all EAL memory into a fresh IOMMU domain. */
	if (new_iommu && !noiommu) {
		rc = vfio_mem_hook(c);
		if (rc < 0) {
			vfio_group_put(g);
			return rc;
		}
	}
	DP_LOG(DEBUG, bus_vfio, "IOMMU group %d attached (container fd %d, "
		"IOMMU type %d)", num, c->fd, c->iommu_type);
	*out = g;
	return 0;

fail_unset:
	vfio_sys->ioctl(g->fd, VFIO_GROUP_UNSET_CONTAINER, NULL);
fail_close:
	vfio_sys->close(g->fd);
fail_container:
	if (c->nb_groups == 0)
		container_close(c);
fail_free:
	free(g);
	return rc;
}

void
vfio_group_put(struct vfio_group *g)
{
	struct vfio_container *c = g->container;
	struct vfio_group **pp;

	if (--g->nb_devices > 0)
		return;
	for (pp = &groups; *pp; pp = &(*pp)->next) {
		if (*pp == g) {
			*pp = g->next;
			break;
		}
	}
	/* Unmap while the IOMMU domain still exists: the last group holds it. */
	if (--c->nb_groups == 0) {
		vfio_mem_unhook(c);
		while (c->dmas != NULL)
			vfio_dma_unmap(c, c->dmas->iova, c->dmas->len);
	}
	vfio_sys->ioctl(g->fd, VFIO_GROUP_UNSET_CONTAINER, NULL);
	vfio_sys->close(g->fd);
	free(g);
	if (c->nb_groups == 0)
		container_close(c);
}

void
vfio_cleanup(void)
{
	while (groups != NULL) {
		groups->nb_devices = 1;
		vfio_group_put(groups);
	}
	while (containers != NULL)
		container_close(containers);
}

/* ---- DMA mapping ---------------------------------------------------------------- */

int
vfio_dma_map(struct vfio_container *c, uint64_t vaddr, uint64_t iova,
	uint64_t len)
{
	struct vfio_iommu_type1_dma_map map = {
		.argsz = sizeof(map),
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
		.vaddr = vaddr,
		.iova = iova,
		.size = len,
	};
	struct vfio_dma *d;
	int rc;

	if (c->noiommu)
		return 0;	/* no IOMMU: the device uses physical addresses */
	d = calloc(1, sizeof(*d));
	if (d == NULL)
		return -ENOMEM;
	if (vfio_sys->ioctl(c->fd, VFIO_IOMMU_MAP_DMA, &map) < 0) {
		rc = -errno;
		if (rc == -ENOMEM)
			DP_LOG(ERR, bus_vfio, "cannot pin %" PRIu64 " kB at IOVA "
				"0x%" PRIx64 " for DMA: out of locked memory "
				"(raise RLIMIT_MEMLOCK: ulimit -l unlimited, or a "
				"memlock line in /etc/security/limits.conf)",
				len >> 10, iova);
		else if (rc == -EINVAL || rc == -EFAULT)
			DP_LOG(ERR, bus_vfio, "the IOMMU refused to map %" PRIu64
				" kB at IOVA 0x%" PRIx64 ": %s (an IOVA beyond "
				"the IOMMU's address width? try --iova-mode=pa)",
				len >> 10, iova, strerror(-rc));
		else
			DP_LOG(ERR, bus_vfio, "VFIO_IOMMU_MAP_DMA of %" PRIu64
				" kB at IOVA 0x%" PRIx64 " failed: %s",
				len >> 10, iova, strerror(-rc));
		free(d);
		return rc;
	}
	d->vaddr = vaddr;
	d->iova = iova;
	d->len = len;
	d->next = c->dmas;
	c->dmas = d;
	DP_LOG(DEBUG, bus_vfio, "DMA map va 0x%" PRIx64 " iova 0x%" PRIx64
		" len 0x%" PRIx64, vaddr, iova, len);
	return 0;
}

int
vfio_dma_unmap(struct vfio_container *c, uint64_t iova, uint64_t len)
{
	struct vfio_iommu_type1_dma_unmap unmap = {
		.argsz = sizeof(unmap),
		.iova = iova,
		.size = len,
	};
	struct vfio_dma **pp, *d;
	int rc = 0;

	for (pp = &c->dmas; (d = *pp) != NULL; pp = &d->next)
		if (d->iova == iova && d->len == len)
			break;
	if (d == NULL)
		return -ENOENT;
	if (vfio_sys->ioctl(c->fd, VFIO_IOMMU_UNMAP_DMA, &unmap) < 0) {
		rc = -errno;
		DP_LOG(WARNING, bus_vfio, "VFIO_IOMMU_UNMAP_DMA of IOVA 0x%"
			PRIx64 " failed: %s", iova, strerror(-rc));
	}
	*pp = d->next;
	free(d);
	return rc;
}
