/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The virtual device bus: --vdev arguments become devices at scan time,
 * each handed to the driver named by its prefix at probe time; devices can
 * also be created and destroyed at run time.
 */

#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <dp_bus.h>
#include <dp_bus_vdev.h>
#include <dp_devargs.h>
#include <dp_ethdev.h>
#include <dp_log.h>

DP_LOG_REGISTER(vdev, "bus.vdev", INFO);

static struct dp_vdev_driver *drivers;
static struct dp_vdev_device *devices;
static pthread_mutex_t vdev_lock = PTHREAD_MUTEX_INITIALIZER;

void
dp_vdev_register(struct dp_vdev_driver *drv)
{
	struct dp_vdev_driver **pp;

	for (pp = &drivers; *pp; pp = &(*pp)->next)
		if (*pp == drv)
			return;
	drv->next = NULL;
	*pp = drv;
}

/* "net_null0" -> driver "net_null": the name minus trailing digits, or
 * the whole name (a device may be named after its driver). */
static const struct dp_vdev_driver *
driver_for(const char *devname)
{
	const struct dp_vdev_driver *d;
	size_t len = strlen(devname);

	while (len > 0 && isdigit((unsigned char)devname[len - 1]))
		len--;
	for (d = drivers; d; d = d->next)
		if (strlen(d->name) == len && strncmp(d->name, devname, len) == 0)
			return d;
	return NULL;
}

static void
log_no_driver(const char *name)
{
	const struct dp_vdev_driver *d;
	char list[256];
	size_t off = 0;

	list[0] = '\0';
	for (d = drivers; d && off < sizeof(list); d = d->next)
		off += snprintf(list + off, sizeof(list) - off, "%s%s",
			off ? ", " : "", d->name);
	DP_LOG(ERR, vdev, "no driver for virtual device '%s': name it after a "
		"driver with a number (e.g. net_null0); built-in virtual drivers: "
		"%s", name, off ? list : "none");
}

struct dp_vdev_device *
dp_vdev_find(const char *name)
{
	struct dp_vdev_device *d;

	pthread_mutex_lock(&vdev_lock);
	for (d = devices; d; d = d->next)
		if (strcmp(d->name, name) == 0)
			break;
	pthread_mutex_unlock(&vdev_lock);
	return d;
}

/* Create the device object and hand it to its driver. */
static int
vdev_create(const char *name, const char *args)
{
	const struct dp_vdev_driver *drv;
	struct dp_vdev_device *dev, **pp;
	int rc;

	if (name == NULL || *name == '\0' || strlen(name) >= sizeof(dev->name))
		return -EINVAL;
	if (dp_vdev_find(name) != NULL) {
		DP_LOG(ERR, vdev, "virtual device '%s' already exists (a "
			"closed port keeps its device: dp_vdev_uninit() removes "
			"it)", name);
		return -EEXIST;
	}
	drv = driver_for(name);
	if (drv == NULL) {
		log_no_driver(name);
		return -ENOENT;
	}
	dev = calloc(1, sizeof(*dev));
	if (dev == NULL)
		return -ENOMEM;
	dev->args = strdup(args ? args : "");
	if (dev->args == NULL) {
		free(dev);
		return -ENOMEM;
	}
	strcpy(dev->name, name);
	dev->driver = drv;
	rc = drv->probe(dev);
	if (rc < 0) {
		DP_LOG(ERR, vdev, "driver %s could not create '%s': %s%s%s",
			drv->name, name, dp_strerror(rc),
			drv->param_string ? "; arguments: " : "",
			drv->param_string ? drv->param_string : "");
		free(dev->args);
		free(dev);
		return rc;
	}
	pthread_mutex_lock(&vdev_lock);
	for (pp = &devices; *pp; pp = &(*pp)->next)
		;
	*pp = dev;
	pthread_mutex_unlock(&vdev_lock);
	DP_LOG(DEBUG, vdev, "created %s (driver %s, args '%s')", name,
		drv->name, dev->args);
	return 0;
}

int
dp_vdev_init(const char *name, const char *args)
{
	return vdev_create(name, args);
}

int
dp_vdev_uninit(const char *name)
{
	struct dp_vdev_device **pp, *dev;
	int rc = 0;

	if (name == NULL)
		return -EINVAL;
	pthread_mutex_lock(&vdev_lock);
	for (pp = &devices; (dev = *pp) != NULL; pp = &dev->next)
		if (strcmp(dev->name, name) == 0) {
			*pp = dev->next;
			break;
		}
	pthread_mutex_unlock(&vdev_lock);
	if (dev == NULL)
		return -ENOENT;
	if (dev->driver->remove)
		rc = dev->driver->remove(dev);
	free(dev->args);
	free(dev);
	return rc;
}

/* Devices are created in probe, not scan: drivers need EAL memory, which
 * exists only after the scan (the IOVA mode depends on what the scan of
 * other buses finds). */
static int
vdev_probe(void)
{
	const struct dp_devargs *da;
	int rc;

	for (da = dp_devargs_next("vdev", NULL); da;
	     da = dp_devargs_next("vdev", da)) {
		rc = vdev_create(da->name, da->args);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int
vdev_cleanup(void)
{
	struct dp_vdev_device *dev;
	char name[64];

	for (;;) {
		pthread_mutex_lock(&vdev_lock);
		dev = devices;
		if (dev)
			strcpy(name, dev->name);
		pthread_mutex_unlock(&vdev_lock);
		if (dev == NULL)
			break;
		dp_vdev_uninit(name);
	}
	return 0;
}

int
dp_vdev_remove_eth_port(struct dp_vdev_device *dev)
{
	uint16_t port;

	if (dp_eth_dev_get_port_by_name(dev->name, &port) == 0)
		dp_eth_dev_close(port);
	return 0;
}

static struct dp_bus vdev_bus = {
	.name = "vdev",
	.probe = vdev_probe,
	.cleanup = vdev_cleanup,
};

DP_REGISTER_BUS(vdev, vdev_bus);
