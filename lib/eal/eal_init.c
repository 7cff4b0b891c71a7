/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_eal_init() and dp_eal_cleanup(): a table of stages run in order, each
 * with its undo. When a stage fails, the stages already done are undone in
 * reverse order, so a failed init leaves nothing behind (no thread, no
 * mapping, no file) and can simply be retried.
 */

#include <string.h>

#include <dp_eal.h>
#include <dp_devargs.h>

#include "eal_private.h"

DP_LOG_REGISTER(eal, "eal", INFO);

struct eal_config eal_cfg;
enum dp_iova_mode eal_iova_mode = DP_IOVA_DC;

static int eal_initialized;	/* 0, 1 = in progress, 2 = done */

static int
eal_iova_select(void)
{
	enum dp_iova_mode want = eal_bus_iommu_class();

	if (eal_cfg.iova_mode_req != DP_IOVA_DC) {
		eal_iova_mode = eal_cfg.iova_mode_req;
		DP_LOG(INFO, eal, "IOVA mode %s (forced by --iova-mode)",
			dp_iova_mode_name(eal_iova_mode));
	} else if (want == DP_IOVA_PA) {
		eal_iova_mode = DP_IOVA_PA;
		DP_LOG(INFO, eal, "IOVA mode PA (a device needs physical "
			"addresses: uio or vfio without IOMMU)");
	} else {
		eal_iova_mode = DP_IOVA_VA;
		DP_LOG(INFO, eal, "IOVA mode VA (%s)", want == DP_IOVA_VA ?
			"every device is behind an IOMMU" :
			"no device needs physical addresses");
	}
	return 0;
}

static void
eal_iova_reset(void)
{
	eal_iova_mode = DP_IOVA_DC;
}

static const struct eal_stage {
	const char *name;
	int (*init)(void);
	void (*fini)(void);
} eal_stages[] = {
	{ "lcores", eal_lcore_init, eal_lcore_fini },
	{ "tsc", eal_tsc_init, NULL },
	{ "interrupts", eal_intr_init, eal_intr_fini },
	{ "bus scan", eal_bus_scan_all, eal_bus_cleanup_all },
	{ "iova mode", eal_iova_select, eal_iova_reset },
	/*
	 * Undoing the probe removes the devices (stopping their DMA and
	 * unmapping it) before the memory under it is released.
	 */
	{ "bus probe", eal_bus_probe_all, eal_bus_cleanup_all },
	{ "worker threads", eal_threads_start, eal_threads_stop },
};

/* How many stages of the current init have completed. */
static unsigned int stages_done;

static void
undo_stages(void)
{
	while (stages_done > 0) {
		const struct eal_stage *st = &eal_stages[--stages_done];

		if (st->fini)
			st->fini();
	}
}

int
dp_eal_init(int argc, char **argv)
{
	int expected = 0, consumed, rc;
	unsigned int i;

	if (!__atomic_compare_exchange_n(&eal_initialized, &expected, 1, false,
			__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		DP_LOG(ERR, eal, "dp_eal_init: already initialized (call "
			"dp_eal_cleanup() before initializing again)");
		return -EALREADY;
	}

	consumed = eal_parse_args(&eal_cfg, argc, argv);
	if (consumed < 0) {
		__atomic_store_n(&eal_initialized, 0, __ATOMIC_RELEASE);
		return consumed;
	}

	stages_done = 0;
	for (i = 0; i < DP_DIM(eal_stages); i++) {
		rc = eal_stages[i].init();
		if (rc < 0) {
			DP_LOG(ERR, eal, "initialization failed at stage '%s': %s",
				eal_stages[i].name, dp_strerror(rc));
			undo_stages();
			eal_devargs_clear();
			__atomic_store_n(&eal_initialized, 0, __ATOMIC_RELEASE);
			return rc;
		}
		stages_done++;
	}

	__atomic_store_n(&eal_initialized, 2, __ATOMIC_RELEASE);
	return consumed;
}

int
dp_eal_cleanup(void)
{
	int expected = 2;

	if (!__atomic_compare_exchange_n(&eal_initialized, &expected, 1, false,
			__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return -EALREADY;
	undo_stages();
	eal_devargs_clear();
	__atomic_store_n(&eal_initialized, 0, __ATOMIC_RELEASE);
	return 0;
}

bool
dp_eal_is_initialized(void)
{
	return __atomic_load_n(&eal_initialized, __ATOMIC_ACQUIRE) == 2;
}

enum dp_iova_mode
dp_eal_iova_mode(void)
{
	return eal_iova_mode;
}

const char *
dp_iova_mode_name(enum dp_iova_mode mode)
{
	switch (mode) {
	case DP_IOVA_PA: return "PA";
	case DP_IOVA_VA: return "VA";
	default: return "DC";
	}
}

bool
dp_eal_has_hugepages(void)
{
	return !eal_cfg.no_huge;
}

bool
dp_eal_has_pci(void)
{
	return !eal_cfg.no_pci;
}

const char *
dp_eal_get_file_prefix(void)
{
	return eal_cfg.file_prefix;
}

const char *
dp_version(void)
{
	return "dpkit " DP_VERSION_STR;
}
