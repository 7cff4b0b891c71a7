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

/*
 * The generated table of built-in drivers (drivers/dp_builtin_drivers.c).
 * Referring to it here is what makes a static link pull every driver into
 * a program that calls dp_eal_init(): drivers register from constructors,
 * and a linker only takes archive members something refers to.
 */
extern const void *const *const dp_builtin_drivers[];
static const void *const *const *const eal_keep_drivers __attribute__((used)) =
	dp_builtin_drivers;

struct eal_config eal_cfg;
enum dp_iova_mode eal_iova_mode = DP_IOVA_DC;
char eal_iova_reason[160];

static int eal_initialized;	/* 0, 1 = in progress, 2 = done */

/*
 * The IOVA mode: --iova-mode forces it; --no-huge means VA (4 KB pages
 * have no stable physical address); otherwise PA only when a device needs
 * physical addresses, VA in every other case. PA needs readable PFNs in
 * /proc/self/pagemap. The reason is logged and kept for dp_mem_dump().
 */
static int
eal_iova_select(void)
{
	enum dp_iova_mode want = eal_bus_iommu_class();
	const char *why;

	if (eal_cfg.no_huge && want == DP_IOVA_PA) {
		DP_LOG(ERR, eal, "a device needs physical addresses (uio, or "
			"vfio without an IOMMU) but --no-huge memory has none: "
			"leave --no-huge out (with hugepages reserved), or bind the "
			"device to vfio-pci with an IOMMU");
		return -EINVAL;
	}
	if (eal_cfg.iova_mode_req == DP_IOVA_VA && want == DP_IOVA_PA) {
		DP_LOG(ERR, eal, "--iova-mode=va, but a device needs physical "
			"addresses (uio, or vfio without an IOMMU): leave the option "
			"out, or bind the device to vfio-pci with an IOMMU");
		return -EINVAL;
	}
	if (eal_cfg.no_huge) {
		eal_iova_mode = DP_IOVA_VA;
		why = eal_cfg.iova_mode_req == DP_IOVA_VA ?
			"forced by --iova-mode=va (and --no-huge)" :
			"--no-huge: 4 KB pages have no fixed physical address, "
			"so devices can only reach them through an IOMMU";
	} else if (eal_cfg.iova_mode_req != DP_IOVA_DC) {
		eal_iova_mode = eal_cfg.iova_mode_req;
		why = eal_iova_mode == DP_IOVA_PA ?
			"forced by --iova-mode=pa" : "forced by --iova-mode=va";
	} else if (want == DP_IOVA_PA) {
		eal_iova_mode = DP_IOVA_PA;
		why = "a device needs physical addresses (uio, or vfio without "
			"an IOMMU)";
	} else if (want == DP_IOVA_VA) {
		eal_iova_mode = DP_IOVA_VA;
		why = "every device is behind an IOMMU (vfio)";
	} else {
		eal_iova_mode = DP_IOVA_VA;
		why = "no device needs physical addresses";
	}
	if (eal_iova_mode == DP_IOVA_PA && !eal_pagemap_readable()) {
		DP_LOG(ERR, eal, "IOVA mode PA (%s) needs physical addresses, but "
			"/proc/self/pagemap shows PFN 0 (no CAP_SYS_ADMIN): run as "
			"root (or with CAP_SYS_ADMIN), or %s", why,
			eal_cfg.iova_mode_req == DP_IOVA_PA ?
			"use vfio with an IOMMU and --iova-mode=va" :
			"bind the device to vfio-pci with an IOMMU (IOVA mode VA)");
		eal_iova_mode = DP_IOVA_DC;
		return -EPERM;
	}
	snprintf(eal_iova_reason, sizeof(eal_iova_reason), "%s", why);
	DP_LOG(INFO, eal, "IOVA mode %s: %s", dp_iova_mode_name(eal_iova_mode),
		why);
	return 0;
}

static void
eal_iova_reset(void)
{
	eal_iova_mode = DP_IOVA_DC;
	eal_iova_reason[0] = '\0';
}

/*
 * Drivers attached at probe free their memory (rings, pools) when they
 * detach, so devices must go before memory does: the probe stage's undo
 * is the bus cleanup (which the scan stage's undo then finds done). A
 * probe that fails half way detaches what it attached itself.
 */
static int
eal_bus_probe_stage(void)
{
	int rc = eal_bus_probe_all();

	if (rc < 0)
		eal_bus_cleanup_all();
	return rc;
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
	{ "memory", eal_memory_init, eal_memory_fini },
	/*
	 * Undoing the probe removes the devices (stopping their DMA and
	 * unmapping it) before the memory under it is released.
	 */
	{ "bus probe", eal_bus_probe_stage, eal_bus_cleanup_all },
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

	/* Same contract as DPDK: argv[ret] becomes the program name. Only
	 * now, so that a failed init leaves argv as it was for a retry. */
	argv[consumed] = argv[0];
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
