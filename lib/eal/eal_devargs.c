/* SPDX-License-Identifier: BSD-3-Clause */
/* The device list built from -a, -b and --vdev, read by the buses. */

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>

#include <dp_devargs.h>
#include <dp_pci_addr.h>

#include "eal_private.h"

static struct dp_devargs *devargs_head;
static pthread_mutex_t devargs_lock = PTHREAD_MUTEX_INITIALIZER;

static bool
vdev_name_valid(const char *name)
{
	if (!isalpha((unsigned char)*name))
		return false;
	for (; *name; name++)
		if (!isalnum((unsigned char)*name) && *name != '_')
			return false;
	return true;
}

int
dp_devargs_add(enum dp_devargs_policy policy, const char *bus, const char *str)
{
	struct dp_devargs *da, **tail;
	struct dp_pci_addr addr;
	char name[DP_DEVARGS_NAME_MAX];
	const char *comma;
	size_t len;

	if (bus == NULL || str == NULL || strlen(bus) >= DP_DEVARGS_BUS_MAX)
		return -EINVAL;
	comma = strchr(str, ',');
	len = comma ? (size_t)(comma - str) : strlen(str);
	if (len == 0 || len >= sizeof(name))
		return -EINVAL;
	memcpy(name, str, len);
	name[len] = '\0';

	if (strcmp(bus, "pci") == 0) {
		if (dp_pci_addr_parse(name, &addr) != 0)
			return -EINVAL;
		dp_pci_addr_format(&addr, name, sizeof(name));
	} else if (!vdev_name_valid(name)) {
		return -EINVAL;
	}

	da = calloc(1, sizeof(*da));
	if (da == NULL)
		return -ENOMEM;
	da->args = strdup(comma ? comma + 1 : "");
	if (da->args == NULL) {
		free(da);
		return -ENOMEM;
	}
	da->policy = policy;
	strcpy(da->bus, bus);
	strcpy(da->name, name);

	pthread_mutex_lock(&devargs_lock);
	for (tail = &devargs_head; *tail; tail = &(*tail)->next) {
		if (strcmp((*tail)->bus, bus) == 0 &&
		    strcmp((*tail)->name, name) == 0) {
			pthread_mutex_unlock(&devargs_lock);
			free(da->args);
			free(da);
			return -EEXIST;
		}
	}
	*tail = da;
	pthread_mutex_unlock(&devargs_lock);
	return 0;
}

int
dp_devargs_remove(const char *bus, const char *name)
{
	struct dp_devargs **pp, *da;

	pthread_mutex_lock(&devargs_lock);
	for (pp = &devargs_head; *pp; pp = &(*pp)->next) {
		da = *pp;
		if (strcmp(da->bus, bus) == 0 && strcmp(da->name, name) == 0) {
			*pp = da->next;
			pthread_mutex_unlock(&devargs_lock);
			free(da->args);
			free(da);
			return 0;
		}
	}
	pthread_mutex_unlock(&devargs_lock);
	return -ENOENT;
}

const struct dp_devargs *
dp_devargs_find(const char *bus, const char *name)
{
	const struct dp_devargs *da;

	for (da = devargs_head; da; da = da->next)
		if (strcmp(da->bus, bus) == 0 && strcmp(da->name, name) == 0)
			return da;
	return NULL;
}

const struct dp_devargs *
dp_devargs_next(const char *bus, const struct dp_devargs *prev)
{
	const struct dp_devargs *da = prev ? prev->next : devargs_head;

	while (da && bus && strcmp(da->bus, bus) != 0)
		da = da->next;
	return da;
}

unsigned int
dp_devargs_count(const char *bus, enum dp_devargs_policy policy)
{
	const struct dp_devargs *da;
	unsigned int n = 0;

	for (da = dp_devargs_next(bus, NULL); da; da = dp_devargs_next(bus, da))
		if (da->policy == policy)
			n++;
	return n;
}

void
eal_devargs_clear(void)
{
	struct dp_devargs *da;

	pthread_mutex_lock(&devargs_lock);
	while ((da = devargs_head) != NULL) {
		devargs_head = da->next;
		free(da->args);
		free(da);
	}
	pthread_mutex_unlock(&devargs_lock);
}
