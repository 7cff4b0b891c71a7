/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * PCI bus, VFIO and UIO without hardware.
 *
 * A fake sysfs and /dev tree (a temporary directory given to
 * dp_sysfs_set_root()) describes the devices; a fake VFIO kernel (the
 * vfio_sys hooks) answers the ioctls, records their order, serves BARs
 * from anonymous memory and configuration space from a buffer. UIO needs
 * no fake kernel: its sysfs files and /dev/uioN are plain files here.
 *
 * Covered: the scan (ids, class, NUMA node, BARs, driver, IOMMU group,
 * no-IOMMU), id matching, -a/-b/--no-pci, the one-line message for a
 * device on a kernel driver, the IOVA mode the devices ask for, UIO
 * refusal without physical addresses, the VFIO call order and its errors,
 * sparse and MSI-X-aware BAR mapping, interrupts through VFIO, and that
 * nothing is left open after cleanup.
 */

#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdarg.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/vfio.h>

#include "test_helpers.h"

#include <dp_bus.h>
#include <dp_bus_pci.h>
#include <dp_devargs.h>
#include <dp_eal.h>
#include <dp_memory.h>
#include <dp_sysfs.h>

#include "eal_memory_private.h"
#include "eal_private.h"
#include "pci_private.h"
#include "vfio_private.h"

/* ---- the fake tree ------------------------------------------------------------------ */

static char root[PATH_MAX];

static void __attribute__((format(printf, 2, 3)))
put(const char *content, const char *fmt, ...)
{
	char rel[PATH_MAX], path[PATH_MAX * 2], *slash;
	va_list ap;
	FILE *f;

	va_start(ap, fmt);
	vsnprintf(rel, sizeof(rel), fmt, ap);
	va_end(ap);
	snprintf(path, sizeof(path), "%s%s", root, rel);
	for (slash = path + strlen(root) + 1; (slash = strchr(slash, '/')); slash++) {
		*slash = '\0';
		mkdir(path, 0755);
		*slash = '/';
	}
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(content, f);
	fclose(f);
}

static void __attribute__((format(printf, 2, 3)))
link_to(const char *target, const char *fmt, ...)
{
	char rel[PATH_MAX], path[PATH_MAX * 2], *slash;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(rel, sizeof(rel), fmt, ap);
	va_end(ap);
	snprintf(path, sizeof(path), "%s%s", root, rel);
	for (slash = path + strlen(root) + 1; (slash = strchr(slash, '/')); slash++) {
		*slash = '\0';
		mkdir(path, 0755);
		*slash = '/';
	}
	unlink(path);
	assert_int_equal(symlink(target, path), 0);
}

struct fake_dev {
	const char *bdf;
	const char *vendor, *device, *class;
	const char *numa;	/* NULL: no file */
	const char *driver;	/* NULL: none */
	int group;		/* -1: none */
	const char *ifname;	/* NULL: none */
};

static void
add_device(const struct fake_dev *d)
{
	char target[128];
	static const char resource[] =
		"0x00000000fe000000 0x00000000fe01ffff 0x0000000000040200\n"
		"0x00000000fe020000 0x00000000fe03ffff 0x0000000000040200\n"
		"0x000000000000c000 0x000000000000c01f 0x0000000000040101\n"
		"0x00000000fe040000 0x00000000fe043fff 0x0000000000042208\n"
		"0x0000000000000000 0x0000000000000000 0x0000000000000000\n"
		"0x0000000000000000 0x0000000000000000 0x0000000000000000\n"
		"0x0000000000000000 0x0000000000000000 0x0000000000000000\n";
	const char *dev = "/sys/bus/pci/devices/%s/%s";
	uint8_t cfg[256] = { 0 };
	char path[PATH_MAX * 2];
	FILE *f;

	put(d->vendor, dev, d->bdf, "vendor");
	put(d->device, dev, d->bdf, "device");
	put("0x1af4\n", dev, d->bdf, "subsystem_vendor");
	put("0x1100\n", dev, d->bdf, "subsystem_device");
	put(d->class, dev, d->bdf, "class");
	if (d->numa)
		put(d->numa, dev, d->bdf, "numa_node");
	put(resource, dev, d->bdf, "resource");
	if (d->driver) {
		snprintf(target, sizeof(target), "../../../bus/pci/drivers/%s",
			d->driver);
		link_to(target, dev, d->bdf, "driver");
		put("", "/sys/bus/pci/drivers/%s/bind", d->driver);
	}
	if (d->group >= 0) {
		snprintf(target, sizeof(target), "../../../kernel/iommu_groups/%d",
			d->group);
		link_to(target, dev, d->bdf, "iommu_group");
		snprintf(target, sizeof(target), "../../../../bus/pci/devices/%s",
			d->bdf);
		link_to(target, "/sys/kernel/iommu_groups/%d/devices/%s",
			d->group, d->bdf);
	}
	if (d->ifname)
		put("up\n", "/sys/bus/pci/devices/%s/net/%s/operstate", d->bdf,
			d->ifname);
	/* Configuration space: ids, command register 0. */
	cfg[0] = 0x86; cfg[1] = 0x80; cfg[2] = 0xc9; cfg[3] = 0x10;
	snprintf(path, sizeof(path), "%s/sys/bus/pci/devices/%s/config", root,
		d->bdf);
	f = fopen(path, "w");
	assert_non_null(f);
	fwrite(cfg, 1, sizeof(cfg), f);
	fclose(f);
	/* resourceN: the memory BARs, as files UIO can mmap. */
	for (unsigned int i = 0; i < 4; i++) {
		static const off_t size[] = { 0x20000, 0x20000, 0, 0x4000 };

		if (size[i] == 0)
			continue;
		snprintf(path, sizeof(path), "%s/sys/bus/pci/devices/%s/resource%u",
			root, d->bdf, i);
		f = fopen(path, "w");
		assert_non_null(f);
		assert_int_equal(ftruncate(fileno(f), size[i]), 0);
		fclose(f);
	}
}

/*
 * The standard tree:
 *   01:00.0 igb NIC on vfio-pci, group 4, node 1
 *   02:00.0 igb NIC on vfio-pci, group 5, no numa_node file
 *   03:00.0 igb NIC on uio_pci_generic (uio0), no group
 *   04:00.0 igb NIC on kernel igb (eth3), group 6
 *   05:00.0 igb NIC on no driver
 *   06:00.0 an e1000e NIC (no test driver matches)
 *   00:1f.2 a SATA controller
 */
static const struct fake_dev tree_devs[] = {
	{ "0000:01:00.0", "0x8086\n", "0x10c9\n", "0x020000\n", "1\n", "vfio-pci", 4, NULL },
	{ "0000:02:00.0", "0x8086\n", "0x10c9\n", "0x020000\n", NULL, "vfio-pci", 5, NULL },
	{ "0000:03:00.0", "0x8086\n", "0x10c9\n", "0x020000\n", "-1\n", "uio_pci_generic", -1, NULL },
	{ "0000:04:00.0", "0x8086\n", "0x10c9\n", "0x020000\n", "0\n", "igb", 6, "eth3" },
	{ "0000:05:00.0", "0x8086\n", "0x10c9\n", "0x020000\n", "0\n", NULL, -1, NULL },
	{ "0000:06:00.0", "0x8086\n", "0x10d3\n", "0x020000\n", "0\n", "e1000e", 7, "eth4" },
	{ "0000:00:1f.2", "0x8086\n", "0x2922\n", "0x010601\n", "0\n", "ahci", 3, NULL },
};

static int
rm_cb(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb; (void)flag; (void)ftw;
	return remove(p);
}

static void
tree_destroy(void)
{
	if (root[0])
		nftw(root, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
	root[0] = '\0';
	dp_sysfs_set_root(NULL, NULL);
}

static void
tree_create(void)
{
	char sys[PATH_MAX + 8], dev[PATH_MAX + 8];
	unsigned int i;

	tree_destroy();
	snprintf(root, sizeof(root), "/tmp/dpkit-pci-test-XXXXXX");
	assert_non_null(mkdtemp(root));
	for (i = 0; i < DP_DIM(tree_devs); i++)
		add_device(&tree_devs[i]);
	/* A directory that is not a device, and a broken device. */
	put("", "/sys/bus/pci/devices/%s", "not-a-device/x");
	put("zzz\n", "/sys/bus/pci/devices/0000:09:00.0/vendor");
	/* UIO for 03:00.0. */
	put("", "/sys/bus/pci/devices/0000:03:00.0/uio/uio0/name");
	put("243:0\n", "/sys/class/uio/uio0/dev");
	put("", "/dev/uio0");
	/* VFIO nodes. */
	put("", "/dev/vfio/vfio");
	put("", "/dev/vfio/4");
	put("", "/dev/vfio/5");
	snprintf(sys, sizeof(sys), "%s/sys", root);
	snprintf(dev, sizeof(dev), "%s/dev", root);
	assert_int_equal(dp_sysfs_set_root(sys, dev), 0);
}

/* ---- the fake VFIO kernel ------------------------------------------------------------- */

#define FD_CONTAINER 1000
#define FD_GROUP 2000		/* + group number */
#define FD_DEVICE 3000		/* + 0x100 * bus */
#define CFG_OFFSET (7ull << 40)
#define BAR0_SIZE 0x20000ull

struct fake_vfio {
	/* behaviour */
	bool no_type1v2;
	bool no_type1;
	bool noiommu_ext;
	bool not_viable;
	int open_errno;		/* for group nodes */
	bool bar0_sparse;	/* sparse-mmap capability on BAR0 */
	bool msix_in_bar0;	/* MSI-X table at 0x3000 of BAR0, no caps */
	unsigned int msix_count;
	/* what happened */
	char calls[256][48];
	unsigned int nb_calls;
	int open_fds;
	int set_iommu_type;
	unsigned int set_iommu_calls;
	unsigned int maps, unmaps;
	uint64_t map_vaddr[64], map_iova[64], map_len[64];
	unsigned int irq_set_count, irq_set_flags;
	unsigned int mmaps;
	uint64_t mmap_off[16], mmap_len[16];
	uint8_t cfg[256];
};

static struct fake_vfio fv;

static void __attribute__((format(printf, 1, 2)))
record(const char *fmt, ...)
{
	va_list ap;

	if (fv.nb_calls >= DP_DIM(fv.calls))
		return;
	va_start(ap, fmt);
	vsnprintf(fv.calls[fv.nb_calls++], sizeof(fv.calls[0]), fmt, ap);
	va_end(ap);
}

/* Index of the first recorded call starting with @prefix, -1 if none. */
static int
call_index(const char *prefix)
{
	for (unsigned int i = 0; i < fv.nb_calls; i++)
		if (strncmp(fv.calls[i], prefix, strlen(prefix)) == 0)
			return (int)i;
	return -1;
}

/* Index of the last recorded call starting with @prefix, -1 if none. */
static int
call_last_index(const char *prefix)
{
	for (unsigned int i = fv.nb_calls; i-- > 0;)
		if (strncmp(fv.calls[i], prefix, strlen(prefix)) == 0)
			return (int)i;
	return -1;
}

static unsigned int
call_count(const char *prefix)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < fv.nb_calls; i++)
		n += strncmp(fv.calls[i], prefix, strlen(prefix)) == 0;
	return n;
}

static int
fake_open(const char *path, int flags)
{
	const char *base = strrchr(path, '/') + 1;

	(void)flags;
	if (access(path, F_OK) != 0) {
		errno = ENOENT;
		return -1;
	}
	if (strcmp(base, "vfio") == 0) {
		record("open container");
		fv.open_fds++;
		return FD_CONTAINER;
	}
	if (fv.open_errno) {
		errno = fv.open_errno;
		return -1;
	}
	record("open group %s", base);
	fv.open_fds++;
	if (strncmp(base, "noiommu-", 8) == 0)
		return FD_GROUP + atoi(base + 8);
	return FD_GROUP + atoi(base);
}

static int
fake_close(int fd)
{
	if (fd >= FD_CONTAINER && fd < FD_DEVICE + 0x10000) {
		fv.open_fds--;
		record("close %d", fd);
		return 0;
	}
	return close(fd);
}

static int
region_info(struct vfio_region_info *ri)
{
	uint32_t need = sizeof(*ri);
	struct vfio_region_info_cap_sparse_mmap *sp;

	ri->cap_offset = 0;
	ri->flags = 0;
	ri->size = 0;
	ri->offset = (uint64_t)ri->index << 40;
	switch (ri->index) {
	case VFIO_PCI_BAR0_REGION_INDEX:
		ri->size = BAR0_SIZE;
		ri->flags = VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE |
			VFIO_REGION_INFO_FLAG_MMAP;
		if (!fv.bar0_sparse)
			break;
		need += sizeof(*sp) + 2 * sizeof(sp->areas[0]);
		if (ri->argsz < need) {
			ri->argsz = need;
			ri->flags |= VFIO_REGION_INFO_FLAG_CAPS;
			break;
		}
		ri->flags |= VFIO_REGION_INFO_FLAG_CAPS;
		ri->cap_offset = sizeof(*ri);
		sp = (void *)((char *)ri + sizeof(*ri));
		sp->header.id = VFIO_REGION_INFO_CAP_SPARSE_MMAP;
		sp->header.version = 1;
		sp->header.next = 0;
		sp->nr_areas = 2;
		sp->areas[0].offset = 0;
		sp->areas[0].size = 0x3000;
		sp->areas[1].offset = 0x4000;
		sp->areas[1].size = BAR0_SIZE - 0x4000;
		break;
	case VFIO_PCI_BAR1_REGION_INDEX:
		ri->size = 0x20000;
		ri->flags = VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE |
			VFIO_REGION_INFO_FLAG_MMAP;
		break;
	case VFIO_PCI_BAR3_REGION_INDEX:
		ri->size = 0x4000;
		ri->flags = VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE |
			VFIO_REGION_INFO_FLAG_MMAP;
		break;
	case VFIO_PCI_CONFIG_REGION_INDEX:
		ri->size = 256;
		ri->flags = VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE;
		break;
	default:
		break;
	}
	return 0;
}

static int
fake_ioctl(int fd, unsigned long req, void *arg)
{
	switch (req) {
	case VFIO_GET_API_VERSION:
		record("api version");
		return VFIO_API_VERSION;
	case VFIO_CHECK_EXTENSION: {
		unsigned long t = (unsigned long)arg;

		record("check extension %lu", t);
		if (t == VFIO_TYPE1v2_IOMMU)
			return !fv.no_type1v2;
		if (t == VFIO_TYPE1_IOMMU)
			return !fv.no_type1;
		if (t == VFIO_NOIOMMU_IOMMU)
			return fv.noiommu_ext;
		return 0;
	}
	case VFIO_GROUP_GET_STATUS: {
		struct vfio_group_status *st = arg;

		record("group status %d", fd - FD_GROUP);
		st->flags = fv.not_viable ? 0 : VFIO_GROUP_FLAGS_VIABLE;
		return 0;
	}
	case VFIO_GROUP_SET_CONTAINER:
		record("set container %d", fd - FD_GROUP);
		return 0;
	case VFIO_GROUP_UNSET_CONTAINER:
		record("unset container %d", fd - FD_GROUP);
		return 0;
	case VFIO_SET_IOMMU:
		record("set iommu %lu", (unsigned long)arg);
		fv.set_iommu_type = (int)(unsigned long)arg;
		fv.set_iommu_calls++;
		return 0;
	case VFIO_IOMMU_MAP_DMA: {
		struct vfio_iommu_type1_dma_map *m = arg;

		record("map dma");
		if (fv.maps < DP_DIM(fv.map_iova)) {
			fv.map_vaddr[fv.maps] = m->vaddr;
			fv.map_iova[fv.maps] = m->iova;
			fv.map_len[fv.maps] = m->size;
		}
		fv.maps++;
		return 0;
	}
	case VFIO_IOMMU_UNMAP_DMA:
		record("unmap dma");
		fv.unmaps++;
		return 0;
	case VFIO_GROUP_GET_DEVICE_FD: {
		unsigned int dom, bus, dev, fn;

		record("get device fd %s", (const char *)arg);
		sscanf(arg, "%x:%x:%x.%x", &dom, &bus, &dev, &fn);
		fv.open_fds++;
		return (int)(FD_DEVICE + 0x100 * bus);
	}
	case VFIO_DEVICE_GET_INFO: {
		struct vfio_device_info *di = arg;

		record("device info");
		di->flags = VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET;
		di->num_regions = VFIO_PCI_NUM_REGIONS;
		di->num_irqs = VFIO_PCI_NUM_IRQS;
		return 0;
	}
	case VFIO_DEVICE_GET_REGION_INFO:
		record("region info %u", ((struct vfio_region_info *)arg)->index);
		return region_info(arg);
	case VFIO_DEVICE_GET_IRQ_INFO: {
		struct vfio_irq_info *ii = arg;

		ii->flags = VFIO_IRQ_INFO_EVENTFD;
		ii->count = ii->index == VFIO_PCI_MSIX_IRQ_INDEX ? fv.msix_count :
			ii->index == VFIO_PCI_INTX_IRQ_INDEX ? 1 : 0;
		return 0;
	}
	case VFIO_DEVICE_SET_IRQS: {
		struct vfio_irq_set *s = arg;

		record("set irqs index %u count %u flags 0x%x", s->index,
			s->count, s->flags);
		fv.irq_set_count = s->count;
		fv.irq_set_flags = s->flags;
		return 0;
	}
	default:
		record("unknown ioctl 0x%lx", req);
		errno = ENOTTY;
		return -1;
	}
}

static void *
fake_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	if (fv.mmaps < DP_DIM(fv.mmap_off)) {
		fv.mmap_off[fv.mmaps] = (uint64_t)off;
		fv.mmap_len[fv.mmaps] = len;
	}
	fv.mmaps++;
	(void)fd;
	return mmap(addr, len, prot, (flags & MAP_FIXED) | MAP_PRIVATE |
		MAP_ANONYMOUS, -1, 0);
}

static ssize_t
fake_pread(int fd, void *buf, size_t len, off_t off)
{
	(void)fd;
	off -= (off_t)CFG_OFFSET;
	if (off < 0 || (size_t)off + len > sizeof(fv.cfg))
		return -1;
	memcpy(buf, fv.cfg + off, len);
	return (ssize_t)len;
}

static ssize_t
fake_pwrite(int fd, const void *buf, size_t len, off_t off)
{
	(void)fd;
	off -= (off_t)CFG_OFFSET;
	if (off < 0 || (size_t)off + len > sizeof(fv.cfg))
		return -1;
	memcpy(fv.cfg + off, buf, len);
	return (ssize_t)len;
}

static const struct vfio_sys fake_sys = {
	.open = fake_open,
	.close = fake_close,
	.ioctl = fake_ioctl,
	.mmap = fake_mmap,
	.munmap = munmap,
	.pread = fake_pread,
	.pwrite = fake_pwrite,
};

static void
fake_vfio_reset(void)
{
	memset(&fv, 0, sizeof(fv));
	fv.msix_count = 10;
	fv.cfg[0] = 0x86; fv.cfg[1] = 0x80; fv.cfg[2] = 0xc9; fv.cfg[3] = 0x10;
	vfio_set_sys(&fake_sys);
}

/* ---- a test driver -------------------------------------------------------------------- */

static unsigned int probes, removes;
static struct dp_pci_device *probed[8];
static int probe_rc;

static int
tdrv_probe(struct dp_pci_driver *drv, struct dp_pci_device *dev)
{
	(void)drv;
	if (probe_rc)
		return probe_rc;
	if (probes < DP_DIM(probed))
		probed[probes] = dev;
	probes++;
	return 0;
}

static int
tdrv_remove(struct dp_pci_device *dev)
{
	(void)dev;
	removes++;
	return 0;
}

static const struct dp_pci_id tdrv_ids[] = {
	{ DP_PCI_DEVICE(0x8086, 0x10c9) },
	{ .vendor_id = 0 },
};

static struct dp_pci_driver tdrv = {
	.id_table = tdrv_ids,
	.drv_flags = DP_PCI_DRV_NEED_MAPPING,
	.probe = tdrv_probe,
	.remove = tdrv_remove,
};

DP_PMD_REGISTER_PCI(net_test_igb, tdrv);

static struct dp_bus *
pci_bus(void)
{
	struct dp_bus *b = dp_bus_find_by_name("pci");

	assert_non_null(b);
	return b;
}

static bool pa_yes(void) { return true; }
static bool pa_no(void) { return false; }

/* Scan the fake tree through the bus, as init does, with these devargs. */
static void
bus_scan(const char *const *devargs)
{
	eal_config_reset(&eal_cfg);
	eal_devargs_clear();
	for (; devargs && *devargs; devargs += 2)
		assert_int_equal(dp_devargs_add(strcmp(devargs[0], "-a") == 0 ?
			DP_DEVARGS_ALLOW : DP_DEVARGS_BLOCK, "pci", devargs[1]), 0);
	probes = removes = 0;
	memset(probed, 0, sizeof(probed));
	assert_int_equal(pci_bus()->scan(), 0);
}

static void
bus_done(void)
{
	pci_bus()->cleanup();
	eal_devargs_clear();
	eal_iova_mode = DP_IOVA_DC;
}

/* Scan with one -a device, probe, and expect @rc and the log line @msg. */
static void
expect_probe_error(const char *bdf, int rc, const char *msg)
{
	bus_scan((const char *[]){ "-a", bdf, NULL });
	eal_iova_mode = DP_IOVA_VA;
	test_log_capture();
	assert_int_equal(pci_bus()->probe(), rc);
	test_log_release();
	assert_logged(msg);
	assert_int_equal(probes, 0);
	assert_int_equal(fv.open_fds, 0);
	bus_done();
}

/* Scan with one -a device and probe it in VA mode; must succeed. */
static void
probe_one(const char *bdf)
{
	bus_scan((const char *[]){ "-a", bdf, NULL });
	eal_iova_mode = DP_IOVA_VA;
	assert_int_equal(pci_bus()->probe(), 0);
	assert_int_equal(probes, 1);
}

static int
count_open_fds(void)
{
	struct dirent *e;
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	while ((e = readdir(d)) != NULL)
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

/* ---- sysfs helpers --------------------------------------------------------------------- */

static void
test_sysfs_helpers(void **state)
{
	char path[PATH_MAX * 2], buf[64];
	long long v;

	(void)state;
	tree_create();
	snprintf(path, sizeof(path), "%s/sys/x", root);
	put("0x8086\n", "/sys/x");
	assert_int_equal(dp_sysfs_read_long(path, &v), 0);
	assert_int_equal(v, 0x8086);
	put("-1\n", "/sys/x");
	assert_int_equal(dp_sysfs_read_long(path, &v), 0);
	assert_int_equal(v, -1);
	put("12 apples\n", "/sys/x");
	assert_int_equal(dp_sysfs_read_long(path, &v), -EINVAL);
	put("\n", "/sys/x");
	assert_int_equal(dp_sysfs_read_long(path, &v), -EINVAL);
	assert_int_equal(dp_sysfs_read_str(path, buf, sizeof(buf)), 0);
	snprintf(path, sizeof(path), "%s/sys/nope", root);
	assert_int_equal(dp_sysfs_read_long(path, &v), -ENOENT);

	assert_int_equal(dp_sysfs_path(buf, sizeof(buf), "/bus/%s", "pci"), 0);
	assert_true(strncmp(buf, root, strlen(root)) == 0);
	assert_string_equal(buf + strlen(root), "/sys/bus/pci");
	assert_int_equal(dp_sysfs_path(buf, 8, "/bus/pci/devices"), -ENAMETOOLONG);
	assert_string_equal(buf, "");

	snprintf(path, sizeof(path), "%s/sys/bus/pci/devices/0000:01:00.0/driver", root);
	assert_int_equal(dp_sysfs_link_name(path, buf, sizeof(buf)), 8);
	assert_string_equal(buf, "vfio-pci");
	snprintf(path, sizeof(path), "%s/sys/bus/pci/devices/0000:05:00.0/driver", root);
	assert_int_equal(dp_sysfs_link_name(path, buf, sizeof(buf)), -ENOENT);

	/* The environment variables are the default roots. */
	tree_destroy();
	setenv("DPKIT_SYSFS_ROOT", "/tmp/fake-sys", 1);
	setenv("DPKIT_DEV_ROOT", "/tmp/fake-dev", 1);
	assert_string_equal(dp_sysfs_root(), "/tmp/fake-sys");
	assert_string_equal(dp_dev_root(), "/tmp/fake-dev");
	unsetenv("DPKIT_SYSFS_ROOT");
	unsetenv("DPKIT_DEV_ROOT");
	assert_string_equal(dp_sysfs_root(), "/sys");
	assert_string_equal(dp_dev_root(), "/dev");
}

/* ---- scan ----------------------------------------------------------------------------- */

static void
test_scan(void **state)
{
	struct dp_pci_device *d;
	const char *order[] = { "0000:00:1f.2", "0000:01:00.0", "0000:02:00.0",
		"0000:03:00.0", "0000:04:00.0", "0000:05:00.0", "0000:06:00.0" };
	unsigned int n = 0;

	(void)state;
	tree_create();
	put("vfio-noiommu\n", "/sys/kernel/iommu_groups/5/name");
	bus_scan(NULL);
	/* Every well-formed device, in address order; the broken one is out. */
	for (d = dp_pci_device_next(NULL); d; d = dp_pci_device_next(d)) {
		assert_true(n < DP_DIM(order));
		assert_string_equal(d->name, order[n]);
		n++;
	}
	assert_int_equal(n, DP_DIM(order));
	assert_null(dp_pci_device_find("0000:09:00.0"));

	d = dp_pci_device_find("01:00.0");	/* short form */
	assert_non_null(d);
	assert_int_equal(d->id.vendor_id, 0x8086);
	assert_int_equal(d->id.device_id, 0x10c9);
	assert_int_equal(d->id.subsystem_vendor_id, 0x1af4);
	assert_int_equal(d->id.subsystem_device_id, 0x1100);
	assert_int_equal(d->id.class_id, 0x020000);
	assert_int_equal(d->numa_node, 1);
	assert_int_equal(d->kdrv, DP_PCI_KDRV_VFIO);
	assert_string_equal(d->kdrv_name, "vfio-pci");
	assert_int_equal(d->iommu_group, 4);
	assert_false(d->noiommu);
	/* BARs: two memory BARs, an I/O BAR, a prefetchable one, two unused. */
	assert_int_equal(d->bars[0].phys_addr, 0xfe000000);
	assert_int_equal(d->bars[0].len, 0x20000);
	assert_true(d->bars[0].flags & DP_PCI_BAR_FLAG_MEM);
	assert_int_equal(d->bars[2].len, 0x20);
	assert_true(d->bars[2].flags & DP_PCI_BAR_FLAG_IO);
	assert_int_equal(d->bars[3].len, 0x4000);
	assert_true(d->bars[3].flags & DP_PCI_BAR_FLAG_PREFETCH);
	assert_int_equal(d->bars[4].len, 0);
	assert_null(d->bars[0].addr);

	d = dp_pci_device_find("0000:02:00.0");
	assert_int_equal(d->numa_node, DP_SOCKET_ID_ANY);	/* no file */
	assert_true(d->noiommu);	/* group 5 is a vfio no-IOMMU group */
	d = dp_pci_device_find("0000:03:00.0");
	assert_int_equal(d->numa_node, DP_SOCKET_ID_ANY);	/* "-1" */
	assert_int_equal(d->kdrv, DP_PCI_KDRV_UIO_GENERIC);
	assert_int_equal(d->iommu_group, -1);
	d = dp_pci_device_find("0000:04:00.0");
	assert_int_equal(d->kdrv, DP_PCI_KDRV_OTHER);
	assert_string_equal(d->kdrv_name, "igb");
	d = dp_pci_device_find("0000:05:00.0");
	assert_int_equal(d->kdrv, DP_PCI_KDRV_NONE);
	assert_string_equal(d->kdrv_name, "");
	d = dp_pci_device_find("0000:00:1f.2");
	assert_int_equal(d->id.class_id, 0x010601);
	bus_done();
	assert_null(dp_pci_device_next(NULL));

	/* --no-pci: nothing is scanned. */
	eal_config_reset(&eal_cfg);
	eal_cfg.no_pci = true;
	assert_int_equal(pci_bus()->scan(), 0);
	assert_null(dp_pci_device_next(NULL));
	eal_cfg.no_pci = false;

	/* No sysfs at all (a container without /sys/bus/pci): no device. */
	tree_destroy();
	dp_sysfs_set_root("/nonexistent-dpkit", "/nonexistent-dpkit");
	assert_int_equal(pci_bus()->scan(), 0);
	assert_null(dp_pci_device_next(NULL));
	bus_done();
	dp_sysfs_set_root(NULL, NULL);
}

/* ---- id matching ------------------------------------------------------------------------- */

static void
test_id_match(void **state)
{
	struct dp_pci_device dev = {
		.id = { .vendor_id = 0x8086, .device_id = 0x10fb,
			.subsystem_vendor_id = 0x8086, .subsystem_device_id = 0x000c,
			.class_id = 0x020000 },
	};
	struct dp_pci_id exact = { DP_PCI_DEVICE(0x8086, 0x10fb) };
	struct dp_pci_id other = { DP_PCI_DEVICE(0x8086, 0x10c9) };
	struct dp_pci_id any_dev = { DP_PCI_DEVICE(0x8086, DP_PCI_ANY_ID) };
	struct dp_pci_id sub = exact, sub_bad = exact, cls = exact, cls_bad = exact;

	(void)state;
	sub.subsystem_device_id = 0x000c;
	sub_bad.subsystem_device_id = 0x000d;
	cls.class_id = 0x020000;
	cls_bad.class_id = 0x010601;
	assert_true(dp_pci_id_match(&exact, &dev));
	assert_false(dp_pci_id_match(&other, &dev));
	assert_true(dp_pci_id_match(&any_dev, &dev));
	assert_true(dp_pci_id_match(&sub, &dev));
	assert_false(dp_pci_id_match(&sub_bad, &dev));
	assert_true(dp_pci_id_match(&cls, &dev));
	assert_false(dp_pci_id_match(&cls_bad, &dev));
	dev.id.vendor_id = 0x15b3;
	assert_false(dp_pci_id_match(&any_dev, &dev));
}

/* ---- IOVA mode ------------------------------------------------------------------------- */

static void
test_iommu_class(void **state)
{
	const struct {
		const char *devargs[8];
		bool noiommu_group5;
		pci_pa_check_t pa;
		enum dp_iova_mode want;
	} cases[] = {
		/* Both vfio devices behind an IOMMU: VA. */
		{ { "-a", "0000:01:00.0", "-a", "0000:02:00.0" }, false, pa_yes, DP_IOVA_VA },
		/* A uio device among them: PA. */
		{ { NULL }, false, pa_yes, DP_IOVA_PA },
		/* The uio device blocked: VA again. */
		{ { "-b", "0000:03:00.0" }, false, pa_yes, DP_IOVA_VA },
		/* vfio in no-IOMMU mode: PA. */
		{ { "-a", "0000:02:00.0" }, true, pa_yes, DP_IOVA_PA },
		/* Only devices on kernel drivers or none: no preference. */
		{ { "-a", "0000:04:00.0", "-a", "0000:05:00.0" }, false, pa_yes, DP_IOVA_DC },
		/* A device no driver matches does not count. */
		{ { "-a", "0000:06:00.0", "-a", "0000:01:00.0" }, false, pa_yes, DP_IOVA_VA },
		/* uio without physical addresses: refused, the others decide. */
		{ { NULL }, false, pa_no, DP_IOVA_VA },
	};

	(void)state;
	for (size_t i = 0; i < DP_DIM(cases); i++) {
		tree_create();
		if (cases[i].noiommu_group5)
			put("vfio-noiommu\n", "/sys/kernel/iommu_groups/5/name");
		pci_set_pa_check(cases[i].pa);
		bus_scan(cases[i].devargs);
		test_log_capture();
		if (pci_bus()->get_iommu_class() != cases[i].want)
			fail_msg("case %zu: IOVA class %d, expected %d", i,
				pci_bus()->get_iommu_class(), cases[i].want);
		test_log_release();
		bus_done();
	}
	pci_set_pa_check(NULL);
	tree_destroy();
}

/* ---- UIO -------------------------------------------------------------------------------- */

static uint16_t
fake_command(const char *bdf)
{
	char path[PATH_MAX * 2];
	uint16_t cmd = 0;
	int fd;

	snprintf(path, sizeof(path), "%s/sys/bus/pci/devices/%s/config", root, bdf);
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(pread(fd, &cmd, 2, DP_PCI_COMMAND), 2);
	close(fd);
	return cmd;
}

static void
test_uio_refused_without_pa(void **state)
{
	(void)state;
	tree_create();
	pci_set_pa_check(pa_no);
	bus_scan((const char *[]){ "-a", "0000:03:00.0", NULL });
	test_log_capture();
	assert_int_equal(pci_bus()->get_iommu_class(), DP_IOVA_DC);
	eal_iova_mode = DP_IOVA_VA;
	assert_int_equal(pci_bus()->probe(), -EPERM);
	test_log_release();
	assert_logged("0000:03:00.0 is bound to uio_pci_generic, which needs "
		"physical addresses (IOVA=PA), but this process cannot read them");
	assert_logged("run as root, or bind the device to vfio-pci");
	assert_int_equal(probes, 0);
	/* The device was never opened: bus mastering is still off. */
	assert_int_equal(fake_command("0000:03:00.0") & DP_PCI_COMMAND_MASTER, 0);
	bus_done();
	pci_set_pa_check(NULL);

	/* PA available, but the IOVA mode was forced to VA: refused at open. */
	pci_set_pa_check(pa_yes);
	bus_scan((const char *[]){ "-a", "0000:03:00.0", NULL });
	eal_iova_mode = DP_IOVA_VA;
	test_log_capture();
	assert_int_equal(pci_bus()->probe(), -EPERM);
	test_log_release();
	assert_logged("0000:03:00.0 is on uio_pci_generic, which has no IOMMU and "
		"needs IOVA=PA, but the IOVA mode is VA: drop --iova-mode=va, or "
		"bind the device to vfio-pci");
	bus_done();
	pci_set_pa_check(NULL);
	tree_destroy();
}

static void
test_uio_probe(void **state)
{
	struct dp_pci_device *d;
	int fds_before = count_open_fds();
	uint16_t cmd;

	(void)state;
	tree_create();
	pci_set_pa_check(pa_yes);
	bus_scan((const char *[]){ "-a", "0000:03:00.0", NULL });
	assert_int_equal(pci_bus()->get_iommu_class(), DP_IOVA_PA);
	eal_iova_mode = DP_IOVA_PA;
	test_log_capture();
	assert_int_equal(pci_bus()->probe(), 0);
	test_log_release();
	assert_int_equal(probes, 1);
	d = probed[0];
	assert_string_equal(d->name, "0000:03:00.0");
	assert_ptr_equal(d->driver, &tdrv);
	assert_logged("no IOMMU protects memory from the device's DMA");
	/* Bus master and memory space on, through the sysfs config file. */
	cmd = fake_command("0000:03:00.0");
	assert_int_equal(cmd & (DP_PCI_COMMAND_MASTER | DP_PCI_COMMAND_MEMORY),
		DP_PCI_COMMAND_MASTER | DP_PCI_COMMAND_MEMORY);
	assert_int_equal(dp_pci_read_config(d, &cmd, 2, DP_PCI_COMMAND), 2);
	assert_true(cmd & DP_PCI_COMMAND_MASTER);
	/* BAR0 mapped from resource0; the I/O BAR is not; BAR3 has no file. */
	assert_non_null(d->bars[0].addr);
	assert_null(d->bars[2].addr);
	((volatile uint32_t *)d->bars[0].addr)[0x5400 / 4] = 0x12345678;
	assert_int_equal(((volatile uint32_t *)d->bars[0].addr)[0x5400 / 4],
		0x12345678);
	/* Interrupts: INTx through /dev/uio0, unmasked by clearing bit 10. */
	assert_non_null(d->intr_handle);
	assert_int_equal(d->intr_handle->type, DP_INTR_TYPE_UIO);
	assert_int_equal(d->intr_handle->max_vectors, 1);
	assert_int_equal(dp_intr_disable(d->intr_handle), 0);
	assert_true(fake_command("0000:03:00.0") & DP_PCI_COMMAND_INTX_DISABLE);
	assert_int_equal(dp_intr_enable(d->intr_handle), 0);
	assert_false(fake_command("0000:03:00.0") & DP_PCI_COMMAND_INTX_DISABLE);
	assert_int_equal(dp_intr_efd_enable(d->intr_handle, 1), -ENOTSUP);
	bus_done();
	assert_int_equal(removes, 1);
	/* Removal turned bus mastering off and closed every file. */
	assert_int_equal(fake_command("0000:03:00.0") & DP_PCI_COMMAND_MASTER, 0);
	assert_int_equal(count_open_fds(), fds_before);
	pci_set_pa_check(NULL);
	tree_destroy();
}

/* ---- probe policy and the kernel-driver message ------------------------------------------- */

/* Lines of the captured log that contain @needle. */
static unsigned int
log_lines_with(const char *needle)
{
	unsigned int n = 0;
	const char *p = test_log_buf.text;

	while ((p = strstr(p, needle)) != NULL) {
		n++;
		p = strchr(p, '\n');
		if (p == NULL)
			break;
	}
	return n;
}

static void
test_kernel_driver_message(void **state)
{
	(void)state;
	tree_create();
	fake_vfio_reset();
	bus_scan((const char *[]){ "-b", "0000:01:00.0", "-b", "0000:02:00.0",
		"-b", "0000:03:00.0", NULL });
	eal_iova_mode = DP_IOVA_VA;
	test_log_capture();
	assert_int_equal(pci_bus()->probe(), 0);
	test_log_release();
	assert_int_equal(probes, 0);
	/* Exactly one line per device, naming driver, interface and the fix. */
	assert_int_equal(log_lines_with("0000:04:00.0"), 1);
	assert_logged("0000:04:00.0 (8086:10c9, net_test_igb) is on kernel driver "
		"igb (interface eth3), not probed: to use it, run dpkit-devbind.py "
		"--bind=vfio-pci 0000:04:00.0");
	assert_int_equal(log_lines_with("0000:05:00.0"), 1);
	assert_logged("0000:05:00.0 (8086:10c9, net_test_igb) has no driver, not "
		"probed");
	/* Blocked devices and devices no driver wants: not a word. */
	assert_int_equal(log_lines_with("0000:01:00.0"), 0);
	assert_int_equal(log_lines_with("0000:06:00.0"), 0);
	assert_int_equal(fv.nb_calls, 0);
	bus_done();

	/* Named with -a, the same device makes probe fail. */
	test_log_capture();
	bus_scan((const char *[]){ "-a", "0000:04:00.0", "-a", "0000:0a:00.0", NULL });
	assert_int_equal(pci_bus()->probe(), -EPERM);
	test_log_release();
	assert_logged("-a 0000:0a:00.0: no such PCI device");
	bus_done();
	vfio_set_sys(NULL);
	tree_destroy();
}

/* ---- VFIO ----------------------------------------------------------------------------- */

static void
noop_cb(struct dp_intr_handle *h, void *arg)
{
	(void)h;
	(void)arg;
}

static void
test_vfio_probe_order(void **state)
{
	struct dp_pci_device *d;
	int fds_before = count_open_fds();
	int api, ext, grp, setc, iommu, getdev;
	uint16_t cmd;

	(void)state;
	tree_create();
	fake_vfio_reset();
	bus_scan((const char *[]){ "-a", "0000:01:00.0", "-a", "0000:02:00.0", NULL });
	assert_int_equal(pci_bus()->get_iommu_class(), DP_IOVA_VA);
	eal_iova_mode = DP_IOVA_VA;
	assert_int_equal(pci_bus()->probe(), 0);
	assert_int_equal(probes, 2);

	/* The order the kernel wants. */
	api = call_index("api version");
	ext = call_index("check extension 3");
	grp = call_index("open group 4");
	setc = call_index("set container 4");
	iommu = call_index("set iommu 3");
	getdev = call_index("get device fd 0000:01:00.0");
	assert_true(api >= 0 && ext > api && grp > ext);
	assert_true(call_index("group status 4") > grp);
	assert_true(setc > call_index("group status 4"));
	assert_true(iommu > setc && getdev > iommu);
	assert_true(call_index("device info") > getdev);
	assert_true(call_index("region info 7") > getdev);
	/* One container, one SET_IOMMU, TYPE1v2 preferred. */
	assert_int_equal(call_count("open container"), 1);
	assert_int_equal(fv.set_iommu_calls, 1);
	assert_int_equal(fv.set_iommu_type, VFIO_TYPE1v2_IOMMU);
	assert_true(call_index("set container 5") > iommu);

	d = probed[0];
	/* Bus master and memory space set through the config region. */
	memcpy(&cmd, fv.cfg + DP_PCI_COMMAND, 2);
	assert_int_equal(cmd & (DP_PCI_COMMAND_MASTER | DP_PCI_COMMAND_MEMORY),
		DP_PCI_COMMAND_MASTER | DP_PCI_COMMAND_MEMORY);
	/* BAR0 and BAR3 mapped at their region offsets; no I/O BAR. */
	assert_non_null(d->bars[0].addr);
	assert_non_null(d->bars[3].addr);
	assert_null(d->bars[2].addr);
	assert_int_equal(fv.mmap_off[0], 0);
	assert_int_equal(fv.mmap_len[0], BAR0_SIZE);
	assert_int_equal(fv.mmap_off[1], 1ull << 40);
	assert_int_equal(fv.mmap_off[2], 3ull << 40);
	/* Interrupts: MSI-X, vector 0 only until queues ask for more. */
	assert_int_equal(d->intr_handle->type, DP_INTR_TYPE_VFIO_MSIX);
	assert_int_equal(d->intr_handle->max_vectors, 10);
	assert_int_equal(dp_intr_enable(d->intr_handle), 0);
	assert_int_equal(fv.irq_set_count, 1);
	assert_int_equal(fv.irq_set_flags, VFIO_IRQ_SET_DATA_EVENTFD |
		VFIO_IRQ_SET_ACTION_TRIGGER);
	assert_int_equal(dp_intr_efd_enable(d->intr_handle, 3), 0);
	/* Changing the vector count: disable, then all four vectors. */
	assert_true(call_index("set irqs index 2 count 0") >= 0);
	assert_int_equal(fv.irq_set_count, 4);
	dp_intr_efd_disable(d->intr_handle);
	assert_int_equal(fv.irq_set_count, 1);

	/* Config space by pread/pwrite at the config region's offset. */
	cmd = 0xbeef;
	assert_int_equal(dp_pci_write_config(d, &cmd, 2, 0x40), 2);
	assert_int_equal(fv.cfg[0x40], 0xef);
	assert_int_equal(dp_pci_read_config(d, &cmd, 2, 0), 2);
	assert_int_equal(cmd, 0x8086);
	assert_int_equal(dp_pci_read_config(d, &cmd, 2, 255), -EINVAL);

	/* A callback the driver forgets is dropped when the device closes. */
	assert_int_equal(dp_intr_callback_register(d->intr_handle, noop_cb, NULL), 0);
	test_log_capture();
	bus_done();
	test_log_release();
	assert_logged("0000:01:00.0: interrupt callbacks were still registered "
		"when the device was closed");
	eal_intr_fini();
	assert_int_equal(removes, 2);
	/* Everything closed: devices, groups, container, eventfds. */
	assert_int_equal(fv.open_fds, 0);
	assert_int_equal(call_count("unset container"), 2);
	assert_int_equal(count_open_fds(), fds_before);
	vfio_set_sys(NULL);
	tree_destroy();
}

static void
test_vfio_type1_fallback_and_errors(void **state)
{
	(void)state;
	tree_create();

	/* No TYPE1v2: TYPE1. */
	fake_vfio_reset();
	fv.no_type1v2 = true;
	probe_one("0000:01:00.0");
	assert_int_equal(fv.set_iommu_type, VFIO_TYPE1_IOMMU);
	bus_done();

	/* No type 1 at all. */
	fake_vfio_reset();
	fv.no_type1v2 = fv.no_type1 = true;
	expect_probe_error("0000:01:00.0", -ENOTSUP,
		"run modprobe vfio_iommu_type1");

	/* Group not viable: the other devices of the group and the fix. */
	fake_vfio_reset();
	fv.not_viable = true;
	link_to("../../../../bus/pci/devices/0000:06:00.0",
		"/sys/kernel/iommu_groups/4/devices/0000:06:00.0");
	expect_probe_error("0000:01:00.0", -EPERM, "IOMMU group 4 is not "
		"viable: every device in it must be on vfio-pci or on no driver, "
		"but 0000:06:00.0 is on e1000e; run dpkit-devbind.py "
		"--bind=vfio-pci 0000:06:00.0 (or unbind them)");

	/* Permission and busy errors say what to do. */
	fake_vfio_reset();
	fv.open_errno = EACCES;
	expect_probe_error("0000:01:00.0", -EACCES,
		"run as root, or give your user the group: chown $USER");
	fake_vfio_reset();
	fv.open_errno = EBUSY;
	expect_probe_error("0000:01:00.0", -EBUSY, "has IOMMU group 4 open");

	/* No /dev/vfio/N: the device is probably not on vfio-pci any more. */
	fake_vfio_reset();
	{
		char p[PATH_MAX * 2];

		snprintf(p, sizeof(p), "%s/dev/vfio/4", root);
		unlink(p);
	}
	expect_probe_error("0000:01:00.0", -ENOENT,
		"is 0000:01:00.0 bound to vfio-pci?");

	/* A failing driver probe closes the device again. */
	fake_vfio_reset();
	probe_rc = -EIO;
	expect_probe_error("0000:02:00.0", -EIO,
		"driver net_test_igb failed to take 0000:02:00.0");
	probe_rc = 0;

	vfio_set_sys(NULL);
	tree_destroy();
}

static void
test_vfio_noiommu(void **state)
{
	(void)state;
	tree_create();
	/* No /dev/vfio/5 but a noiommu-5 node: vfio's no-IOMMU mode. */
	{
		char p[PATH_MAX * 2];

		snprintf(p, sizeof(p), "%s/dev/vfio/5", root);
		unlink(p);
	}
	put("", "/dev/vfio/noiommu-5");
	fake_vfio_reset();
	fv.noiommu_ext = true;
	pci_set_pa_check(pa_yes);
	bus_scan((const char *[]){ "-a", "0000:02:00.0", NULL });
	assert_true(dp_pci_device_find("0000:02:00.0")->noiommu);
	assert_int_equal(pci_bus()->get_iommu_class(), DP_IOVA_PA);
	eal_iova_mode = DP_IOVA_PA;
	test_log_capture();
	assert_int_equal(pci_bus()->probe(), 0);
	test_log_release();
	assert_int_equal(probes, 1);
	assert_true(call_index("open group noiommu-5") >= 0);
	assert_true(call_index("check extension 8") >= 0);
	assert_int_equal(fv.set_iommu_type, VFIO_NOIOMMU_IOMMU);
	/* No IOMMU, nothing to map. */
	assert_int_equal(fv.maps, 0);
	assert_logged("vfio no-IOMMU mode: 0000:02:00.0 can DMA anywhere in "
		"memory, there is no isolation (unsafe; IOVA = physical address)");
	bus_done();
	assert_int_equal(fv.open_fds, 0);

	/* A kernel without no-IOMMU support. */
	fake_vfio_reset();
	bus_scan((const char *[]){ "-a", "0000:02:00.0", NULL });
	eal_iova_mode = DP_IOVA_PA;
	test_log_capture();
	assert_int_equal(pci_bus()->probe(), -ENOTSUP);
	test_log_release();
	assert_logged("the kernel's vfio has no no-IOMMU support "
		"(CONFIG_VFIO_NOIOMMU), or it is off");
	bus_done();
	pci_set_pa_check(NULL);
	vfio_set_sys(NULL);
	tree_destroy();
}

static void
test_vfio_bar_sparse_and_msix(void **state)
{
	struct dp_pci_device *d;
	volatile uint8_t *bar;

	(void)state;
	tree_create();

	/* The kernel lists two mmap-able areas around a hole. */
	fake_vfio_reset();
	fv.bar0_sparse = true;
	probe_one("0000:01:00.0");
	d = probed[0];
	/* REGION_INFO asked twice for BAR0: the caps did not fit at first. */
	assert_int_equal(call_count("region info 0"), 2);
	assert_int_equal(fv.mmap_off[0], 0);
	assert_int_equal(fv.mmap_len[0], 0x3000);
	assert_int_equal(fv.mmap_off[1], 0x4000);
	assert_int_equal(fv.mmap_len[1], BAR0_SIZE - 0x4000);
	bar = d->bars[0].addr;
	bar[0] = 1;
	bar[0x4000] = 2;	/* both areas are usable */
	bus_done();

	/* No caps, but the MSI-X table is in BAR0: cut it out ourselves. */
	fake_vfio_reset();
	fv.cfg[0x34] = 0x40;		/* capability list */
	fv.cfg[0x40] = 0x11;		/* MSI-X */
	fv.cfg[0x41] = 0x00;		/* last */
	fv.cfg[0x42] = 9;		/* 10 entries: 160 bytes */
	fv.cfg[0x44] = 0x00;		/* table in BAR0 at 0x3000 */
	fv.cfg[0x45] = 0x30;
	probe_one("0000:01:00.0");
	assert_int_equal(fv.mmap_off[0], 0);
	assert_int_equal(fv.mmap_len[0], 0x3000);
	assert_int_equal(fv.mmap_off[1], 0x4000);
	assert_int_equal(fv.mmap_len[1], BAR0_SIZE - 0x4000);
	bus_done();
	vfio_set_sys(NULL);
	tree_destroy();
}

static void
test_vfio_memlock(void **state)
{
	(void)state;
	test_log_capture();
	assert_int_equal(vfio_memlock_check(64 << 20, 8 << 20, 0, false), -ENOMEM);
	test_log_release();
	assert_logged("cannot pin 65536 kB of memory for DMA: the locked-memory "
		"limit (RLIMIT_MEMLOCK) is 8192 kB and 0 kB are locked already; "
		"raise it with 'ulimit -l unlimited'");
	assert_logged("/etc/security/limits.conf");
	/* Already-locked memory counts against the limit too. */
	assert_int_equal(vfio_memlock_check(4 << 20, 8 << 20, 6 << 20, false), -ENOMEM);
	assert_int_equal(vfio_memlock_check(2 << 20, 8 << 20, 6 << 20, false), 0);
	/* CAP_IPC_LOCK or no limit: anything goes. */
	assert_int_equal(vfio_memlock_check(64 << 20, 8 << 20, 0, true), 0);
	assert_int_equal(vfio_memlock_check(64 << 20, (uint64_t)-1, 0, false), 0);
}

/* ---- the whole path through dp_eal_init() ------------------------------------------- */

struct seg_list {
	unsigned int n;
	uint64_t addr[64], iova[64], len[64];
};

static int
seg_collect(const struct dp_memseg *ms, void *arg)
{
	struct seg_list *l = arg;

	if (l->n < DP_DIM(l->addr)) {
		l->addr[l->n] = (uintptr_t)ms->addr;
		l->iova[l->n] = ms->iova;
		l->len[l->n] = ms->len;
	}
	l->n++;
	return 0;
}

static bool
was_mapped(uint64_t vaddr, uint64_t iova, uint64_t len)
{
	for (unsigned int i = 0; i < fv.maps && i < DP_DIM(fv.map_iova); i++)
		if (fv.map_vaddr[i] == vaddr && fv.map_iova[i] == iova &&
		    fv.map_len[i] == len)
			return true;
	return false;
}

static void
test_eal_init_vfio(void **state)
{
	struct test_argv a;
	struct seg_list segs = { 0 };
	int fds_before = count_open_fds(), rc;

	(void)state;
	tree_create();
	fake_vfio_reset();
	probes = removes = 0;
	test_argv_build(&a, (const char *[]){ "--no-huge", "-m", "16",
		"-a", "0000:01:00.0,mode=x", "--log-level=eal:warning", NULL });
	rc = dp_eal_init(a.argc, a.argv);
	test_argv_free(&a);
	assert_true(rc > 0);
	assert_int_equal(dp_eal_iova_mode(), DP_IOVA_VA);
	assert_int_equal(probes, 1);
	assert_non_null(probed[0]->devargs);
	assert_string_equal(probed[0]->devargs->args, "mode=x");
	/* Every memseg is DMA-mapped once, at IOVA = VA. */
	dp_memseg_walk(seg_collect, &segs);
	assert_true(segs.n > 0);
	assert_int_equal(fv.maps, segs.n);
	for (unsigned int i = 0; i < segs.n && i < DP_DIM(segs.addr); i++) {
		assert_int_equal(segs.iova[i], segs.addr[i]);
		assert_true(was_mapped(segs.addr[i], segs.iova[i], segs.len[i]));
	}
	/* The DMA mapping came after SET_IOMMU and before the device fd. */
	assert_true(call_index("map dma") > call_index("set iommu"));
	assert_true(call_index("get device fd") > call_index("map dma"));
	/* Memory events: memsegs going away are unmapped, new ones mapped. */
	eal_mem_event_fire(DP_MEM_EVENT_FREE);
	assert_int_equal(fv.unmaps, segs.n);
	eal_mem_event_fire(DP_MEM_EVENT_ALLOC);
	assert_int_equal(fv.maps, 2 * segs.n);
	assert_true(was_mapped(segs.addr[0], segs.iova[0], segs.len[0]));
	assert_int_equal(dp_eal_cleanup(), 0);
	assert_int_equal(removes, 1);
	assert_int_equal(fv.unmaps, fv.maps);
	/* The device was removed before its memory was unmapped. */
	assert_true(call_last_index("unmap dma") > call_index("close 3"));
	assert_int_equal(fv.open_fds, 0);
	assert_int_equal(count_open_fds(), fds_before);
	vfio_set_sys(NULL);
	tree_destroy();
}

/* After each test, whatever it left (a failed assert skips its cleanup). */
static int
teardown(void **state)
{
	(void)state;
	test_log_release();
	if (dp_eal_is_initialized())
		dp_eal_cleanup();
	pci_bus()->cleanup();
	eal_devargs_clear();
	eal_iova_mode = DP_IOVA_DC;
	vfio_set_sys(NULL);
	pci_set_pa_check(NULL);
	probe_rc = 0;
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_sysfs_helpers, teardown),
		cmocka_unit_test_teardown(test_scan, teardown),
		cmocka_unit_test_teardown(test_id_match, teardown),
		cmocka_unit_test_teardown(test_iommu_class, teardown),
		cmocka_unit_test_teardown(test_uio_refused_without_pa, teardown),
		cmocka_unit_test_teardown(test_uio_probe, teardown),
		cmocka_unit_test_teardown(test_kernel_driver_message, teardown),
		cmocka_unit_test_teardown(test_vfio_probe_order, teardown),
		cmocka_unit_test_teardown(test_vfio_type1_fallback_and_errors, teardown),
		cmocka_unit_test_teardown(test_vfio_noiommu, teardown),
		cmocka_unit_test_teardown(test_vfio_bar_sparse_and_msix, teardown),
		cmocka_unit_test_teardown(test_vfio_memlock, teardown),
		cmocka_unit_test_teardown(test_eal_init_vfio, teardown),
	};
	int rc;

	rc = cmocka_run_group_tests_name("pci", tests, NULL, NULL);
	tree_destroy();
	return rc;
}
