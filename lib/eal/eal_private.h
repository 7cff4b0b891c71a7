/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef EAL_PRIVATE_H
#define EAL_PRIVATE_H

/*
 * Internal state of the EAL shared by its files: the parsed configuration
 * and the init/cleanup stages. Not installed.
 */

#include <limits.h>
#include <sched.h>
#include <inttypes.h>

#include <dp_eal.h>
#include <dp_log.h>

extern int dp_logtype_eal;

#define EAL_FILE_PREFIX_MAX 32
#define EAL_DEFAULT_FILE_PREFIX "dpkit"

/* Everything the command line can say, after validation. */
struct eal_config {
	/* lcores: lcore_cpus[i] are the CPUs lcore i may run on (one CPU
	 * unless --lcores gave a group); an empty set means disabled. */
	cpu_set_t lcore_cpus[DP_MAX_LCORE];
	unsigned int nb_lcores;
	bool lcores_given;		/* -l, -c or --lcores was used */
	unsigned int main_lcore;
	bool main_lcore_given;

	/* memory */
	uint64_t memory;		/* -m, bytes; 0 = default */
	uint64_t socket_mem[DP_MAX_NUMA_NODES];	/* --socket-mem, bytes */
	bool socket_mem_given;
	bool no_huge;
	bool in_memory;
	char huge_dir[PATH_MAX];	/* "" = pick a mount */
	char file_prefix[EAL_FILE_PREFIX_MAX];
	enum dp_iova_mode iova_mode_req;	/* DC = auto */
	unsigned int mem_channels;	/* -n, accepted for compatibility */

	/* devices */
	bool no_pci;
};

/* The configuration of the current (or last) init. */
extern struct eal_config eal_cfg;

/* Set once the IOVA mode is decided (iova mode stage), with the reason. */
extern enum dp_iova_mode eal_iova_mode;
extern char eal_iova_reason[160];

/* Options */
void eal_config_reset(struct eal_config *cfg);
int eal_parse_args(struct eal_config *cfg, int argc, char **argv);
void eal_devargs_clear(void);
int eal_parse_lcore_list(struct eal_config *cfg, const char *str,
	bool allow_cpu_map, const char *opt);
int eal_parse_coremask(struct eal_config *cfg, const char *str);
int eal_parse_size(const char *s, uint64_t unit, uint64_t *bytes);
int eal_available_cpus(cpu_set_t *set);
void eal_format_cpuset(const cpu_set_t *set, char *buf, size_t len);

/* Writes a block of text (usage) to the log sink, unfiltered. */
void eal_log_text(const char *text);

/* Stages run in order by dp_eal_init() and undone in reverse order. */
int eal_lcore_init(void);
void eal_lcore_fini(void);
int eal_tsc_init(void);
int eal_bus_scan_all(void);
void eal_bus_cleanup_all(void);
int eal_bus_probe_all(void);
enum dp_iova_mode eal_bus_iommu_class(void);
int eal_threads_start(void);
void eal_threads_stop(void);
int eal_intr_init(void);
void eal_intr_fini(void);

/* CPUs for control threads (not the lcores' when possible). */
int eal_control_cpuset(cpu_set_t *set);
/* Memory stage: hugepages or --no-huge memory, memsegs, heaps. */
int eal_memory_init(void);
void eal_memory_fini(void);
bool eal_pagemap_readable(void);

#endif /* EAL_PRIVATE_H */
