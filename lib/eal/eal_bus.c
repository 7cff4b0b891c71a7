/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Bus registry and the scan / probe / cleanup passes over every bus.
 * Buses register from constructors, so the registry is never reset.
 */

#include <string.h>

#include <dp_bus.h>

#include "eal_private.h"

static struct dp_bus *bus_head;
/* How many buses (in registration order) have been scanned by this init. */
static unsigned int nb_scanned;

void
dp_bus_register(struct dp_bus *bus)
{
	struct dp_bus **tail;

	if (bus == NULL || bus->name == NULL)
		return;
	for (tail = &bus_head; *tail; tail = &(*tail)->next)
		if (*tail == bus)
			return;
	bus->next = NULL;
	*tail = bus;
}

struct dp_bus *
dp_bus_find_by_name(const char *name)
{
	struct dp_bus *b;

	for (b = bus_head; b; b = b->next)
		if (strcmp(b->name, name) == 0)
			return b;
	return NULL;
}

struct dp_bus *
dp_bus_next(const struct dp_bus *prev)
{
	return prev ? prev->next : bus_head;
}

int
eal_bus_scan_all(void)
{
	struct dp_bus *b;
	int rc;

	nb_scanned = 0;
	for (b = bus_head; b; b = b->next) {
		if (b->scan) {
			rc = b->scan();
			if (rc < 0) {
				DP_LOG(ERR, eal, "scan of bus %s failed: %s",
					b->name, dp_strerror(rc));
				/* Undo the buses scanned so far. */
				eal_bus_cleanup_all();
				return rc;
			}
		}
		nb_scanned++;
	}
	return 0;
}

int
eal_bus_probe_all(void)
{
	struct dp_bus *b;
	int rc;

	for (b = bus_head; b; b = b->next) {
		if (b->probe == NULL)
			continue;
		rc = b->probe();
		if (rc < 0) {
			DP_LOG(ERR, eal, "probe of bus %s failed: %s", b->name,
				dp_strerror(rc));
			return rc;
		}
	}
	return 0;
}

/* Clean up scanned buses in reverse registration order. */
void
eal_bus_cleanup_all(void)
{
	struct dp_bus *order[64], *b;
	unsigned int n = 0;

	for (b = bus_head; b && n < nb_scanned && n < DP_DIM(order); b = b->next)
		order[n++] = b;
	while (n-- > 0)
		if (order[n]->cleanup)
			order[n]->cleanup();
	nb_scanned = 0;
}

/*
 * The IOVA mode the devices want: PA wins over VA (a device without an
 * IOMMU cannot use virtual addresses), DC when nobody cares.
 */
enum dp_iova_mode
eal_bus_iommu_class(void)
{
	enum dp_iova_mode mode = DP_IOVA_DC, m;
	struct dp_bus *b;

	for (b = bus_head; b; b = b->next) {
		if (b->get_iommu_class == NULL)
			continue;
		m = b->get_iommu_class();
		if (m == DP_IOVA_PA)
			return DP_IOVA_PA;
		if (m == DP_IOVA_VA)
			mode = DP_IOVA_VA;
	}
	return mode;
}
