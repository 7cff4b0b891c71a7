/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Command-line options of dp_eal_init(): one table drives both parsing and
 * the usage text. The parser is our own (not getopt) so that it keeps no
 * global state, never permutes argv and can say exactly what was wrong.
 */

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <dp_devargs.h>
#include <dp_pci_addr.h>

#include "eal_private.h"

enum opt_id {
	OPT_LCORES_L,
	OPT_COREMASK,
	OPT_LCORES,
	OPT_MAIN_LCORE,
	OPT_MEMORY,
	OPT_SOCKET_MEM,
	OPT_NO_HUGE,
	OPT_HUGE_DIR,
	OPT_FILE_PREFIX,
	OPT_IN_MEMORY,
	OPT_IOVA_MODE,
	OPT_ALLOW,
	OPT_BLOCK,
	OPT_VDEV,
	OPT_NO_PCI,
	OPT_LOG_LEVEL,
	OPT_VERSION,
	OPT_HELP,
	OPT_MEM_CHANNELS,
	OPT_DRIVER_PATH,
	OPT_NO_SHCONF,
	OPT_NO_TELEMETRY,
	OPT_PROC_TYPE,
};

struct opt_def {
	const char *long_name;	/* without "--", NULL if none */
	char short_name;	/* 0 if none */
	const char *arg;	/* name of the argument in usage, NULL = flag */
	enum opt_id id;
	const char *help;	/* NULL: accepted for compatibility, not shown */
};

static const struct opt_def opt_defs[] = {
	{ "lcores", 'l', "LIST", OPT_LCORES_L,
	  "lcores to run on: '0-3,5'; --lcores also maps LCORES@CPUS "
	  "('0@2,(1-2)@(3,5)')" },
	{ NULL, 'c', "MASK", OPT_COREMASK,
	  "lcores as a hexadecimal CPU mask ('0xf')" },
	{ "main-lcore", 0, "ID", OPT_MAIN_LCORE,
	  "lcore that runs main() (default: the first lcore)" },
	{ "memory", 'm', "MB", OPT_MEMORY,
	  "memory to reserve, in MB (suffix K/M/G accepted; default 256M or what is free)" },
	{ "socket-mem", 0, "MB,MB,..", OPT_SOCKET_MEM,
	  "memory to reserve per NUMA socket, in MB" },
	{ "no-huge", 0, NULL, OPT_NO_HUGE,
	  "use ordinary 4 KB pages, IOVA = VA (no root needed; virtual ports only)" },
	{ "huge-dir", 0, "DIR", OPT_HUGE_DIR,
	  "hugetlbfs mount to take pages from (default: the first mount of the chosen size)" },
	{ "file-prefix", 0, "NAME", OPT_FILE_PREFIX,
	  "prefix of hugepage file names (default 'dpkit'); one per concurrent process" },
	{ "in-memory", 0, NULL, OPT_IN_MEMORY,
	  "hugepages from memfd, no files left behind even after a crash" },
	{ "iova-mode", 0, "pa|va", OPT_IOVA_MODE,
	  "force the IOVA mode (default: decided from the devices found)" },
	{ "allow", 'a', "BDF[,k=v]", OPT_ALLOW,
	  "probe only these PCI devices (repeatable); device arguments after ','" },
	{ "block", 'b', "BDF", OPT_BLOCK,
	  "never probe this PCI device (repeatable)" },
	{ "vdev", 0, "NAME[,k=v]", OPT_VDEV,
	  "create a virtual device, e.g. net_null0,size=64 (repeatable)" },
	{ "no-pci", 0, NULL, OPT_NO_PCI,
	  "do not scan the PCI bus" },
	{ "log-level", 0, "[PATTERN:]LEVEL", OPT_LOG_LEVEL,
	  "log level for all components or those matching a glob ('bus.*:debug')" },
	{ "version", 'v', NULL, OPT_VERSION,
	  "log the library version at startup" },
	{ "help", 'h', NULL, OPT_HELP,
	  "show this help" },
	/* Accepted so that DPDK command lines keep working. */
	{ NULL, 'n', "N", OPT_MEM_CHANNELS, NULL },
	{ NULL, 'd', "PATH", OPT_DRIVER_PATH, NULL },
	{ "no-shconf", 0, NULL, OPT_NO_SHCONF, NULL },
	{ "no-telemetry", 0, NULL, OPT_NO_TELEMETRY, NULL },
	{ "proc-type", 0, "TYPE", OPT_PROC_TYPE, NULL },
};

/* The usage hook and the program name, for -h. */
static dp_usage_hook_t usage_hook;

dp_usage_hook_t
dp_eal_set_usage_hook(dp_usage_hook_t hook)
{
	dp_usage_hook_t old = usage_hook;

	usage_hook = hook;
	return old;
}

void
dp_eal_usage(FILE *f)
{
	char text[4096], left[48];
	size_t len = 0, i;
	const struct opt_def *d;

	len += snprintf(text + len, sizeof(text) - len,
		"EAL options (%s), given before '--':\n", dp_version());
	for (i = 0; i < DP_DIM(opt_defs) && len < sizeof(text); i++) {
		d = &opt_defs[i];
		if (d->help == NULL)
			continue;
		if (d->short_name && d->long_name)
			snprintf(left, sizeof(left), "-%c, --%s%s%s",
				d->short_name, d->long_name,
				d->arg ? " " : "", d->arg ? d->arg : "");
		else if (d->short_name)
			snprintf(left, sizeof(left), "-%c%s%s", d->short_name,
				d->arg ? " " : "", d->arg ? d->arg : "");
		else
			snprintf(left, sizeof(left), "    --%s%s%s",
				d->long_name, d->arg ? "=" : "",
				d->arg ? d->arg : "");
		len += snprintf(text + len, sizeof(text) - len,
			"  %-32s %s\n", left, d->help);
	}
	if (len < sizeof(text))
		snprintf(text + len, sizeof(text) - len,
			"  (-n, -d, --no-shconf, --no-telemetry and --proc-type=primary are "
			"accepted for DPDK compatibility and have no effect)\n");
	if (f != NULL) {
		fputs(text, f);
		fflush(f);
	} else {
		eal_log_text(text);
	}
}

/* ---- helpers ----------------------------------------------------------- */

static int
parse_u64(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (s == NULL || !isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno != 0 || *end != '\0')
		return -EINVAL;
	*out = v;
	return 0;
}

/*
 * A number of @p unit bytes ("512"), or with a K/M/G suffix, optionally
 * followed by B ("64M", "2048kB", "1G"). Result in bytes. Also parses the
 * pagesize= of hugetlbfs mounts.
 */
int
eal_parse_size(const char *s, uint64_t unit, uint64_t *bytes)
{
	char *end, *digits_end;
	unsigned long long v;
	uint64_t mult = unit;

	if (s == NULL || !isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0)
		return -EINVAL;
	digits_end = end;
	switch (toupper((unsigned char)*end)) {
	case 'K': mult = 1ull << 10; end++; break;
	case 'M': mult = 1ull << 20; end++; break;
	case 'G': mult = 1ull << 30; end++; break;
	default: break;
	}
	if (end != digits_end && toupper((unsigned char)*end) == 'B')
		end++;
	if (*end != '\0' || v > UINT64_MAX / mult)
		return -EINVAL;
	*bytes = v * mult;
	return 0;
}

/*
 * Larger than any machine's memory: a bound that keeps the page rounding
 * of -m and --socket-mem amounts from wrapping around to 0.
 */
#define EAL_MEM_MAX_BYTES (1ull << 60)

/* "512" (MB), or a number with a K/M/G suffix; not 0; -ERANGE if huge. */
static int
parse_mem_size(const char *s, uint64_t *bytes)
{
	uint64_t v;

	if (eal_parse_size(s, 1ull << 20, &v) != 0 || v == 0)
		return -EINVAL;
	if (v > EAL_MEM_MAX_BYTES)
		return -ERANGE;
	*bytes = v;
	return 0;
}

int
eal_available_cpus(cpu_set_t *set)
{
	CPU_ZERO(set);
	if (sched_getaffinity(0, sizeof(*set), set) != 0)
		return -errno;
	return 0;
}

/* "0-3,5" style text of a CPU set, for messages. */
void
eal_format_cpuset(const cpu_set_t *set, char *buf, size_t len)
{
	size_t off = 0;
	int i, start = -1;

	buf[0] = '\0';
	for (i = 0; i <= CPU_SETSIZE && off < len; i++) {
		bool in = i < CPU_SETSIZE && CPU_ISSET(i, set);

		if (in && start < 0)
			start = i;
		if (!in && start >= 0) {
			if (start == i - 1)
				off += snprintf(buf + off, len - off, "%s%d",
					off ? "," : "", start);
			else
				off += snprintf(buf + off, len - off, "%s%d-%d",
					off ? "," : "", start, i - 1);
			start = -1;
		}
	}
}

static int
lcore_too_large(unsigned long lcore, const char *opt, const char *str)
{
	DP_LOG(ERR, eal, "%s %s: lcore %lu is too large (at most %d; "
		"rebuild with -Dmax_lcores=N for more)", opt, str, lcore,
		DP_MAX_LCORE - 1);
	return -EINVAL;
}

/*
 * Enables @p lcore on the CPU set @p cpus, after checking that the lcore id
 * fits, that every CPU is one this process may use, and that an lcore named
 * twice is given the same CPUs both times.
 */
static int
enable_lcore(struct eal_config *cfg, unsigned long lcore, const cpu_set_t *cpus,
	const cpu_set_t *avail, const char *opt, const char *str)
{
	cpu_set_t missing;
	char list[256];
	int cpu;

	if (lcore >= DP_MAX_LCORE)
		return lcore_too_large(lcore, opt, str);
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++)
		if (CPU_ISSET(cpu, cpus) && !CPU_ISSET(cpu, avail))
			break;
	if (cpu < CPU_SETSIZE) {
		eal_format_cpuset(avail, list, sizeof(list));
		DP_LOG(ERR, eal, "%s %s: CPU %d does not exist or is not "
			"available to this process (available CPUs: %s)",
			opt, str, cpu, list);
		return -EINVAL;
	}
	if (CPU_COUNT(&cfg->lcore_cpus[lcore]) > 0) {
		CPU_XOR(&missing, &cfg->lcore_cpus[lcore], cpus);
		if (CPU_COUNT(&missing) > 0) {
			DP_LOG(ERR, eal, "%s %s: lcore %lu is mapped to two "
				"different CPU sets", opt, str, lcore);
			return -EINVAL;
		}
		return 0;
	}
	cfg->nb_lcores++;
	CPU_OR(&cfg->lcore_cpus[lcore], &cfg->lcore_cpus[lcore], cpus);
	return 0;
}

static int
parse_uint_token(const char **p, unsigned long *out)
{
	char *end;

	if (!isdigit((unsigned char)**p))
		return -EINVAL;
	errno = 0;
	*out = strtoul(*p, &end, 10);
	if (errno != 0)
		return -EINVAL;
	*p = end;
	return 0;
}

/*
 * One id set of an lcore list: "3", "0-3", or (when @p allow_group)
 * "(0-1,5)". The ids land in @p ids and *grouped says whether parentheses
 * were used. An id too large for a cpu_set_t is -ERANGE with the id in
 * *too_large, so the caller can say which side of '@' it was on.
 */
static int
parse_id_set(const char **p, bool allow_group, cpu_set_t *ids, bool *grouped,
	unsigned long *too_large)
{
	bool group = allow_group && **p == '(';
	unsigned long first, last, id;

	CPU_ZERO(ids);
	*grouped = group;
	if (group)
		(*p)++;
	for (;;) {
		if (parse_uint_token(p, &first) != 0)
			return -EINVAL;
		last = first;
		if (**p == '-') {
			(*p)++;
			if (parse_uint_token(p, &last) != 0 || last < first)
				return -EINVAL;
		}
		if (last >= CPU_SETSIZE) {
			*too_large = last;
			return -ERANGE;
		}
		for (id = first; id <= last; id++)
			CPU_SET(id, ids);
		if (!group || **p != ',')
			break;
		(*p)++;
	}
	if (group) {
		if (**p != ')')
			return -EINVAL;
		(*p)++;
	}
	return 0;
}

/*
 * "0-3,5": lcore ids, each pinned to the CPU of the same number. With
 * allow_cpu_map (--lcores) DPDK's full form is accepted too: elements
 * "LCORES@CPUS" where either side is a number, a range or a parenthesised
 * group, e.g. "0@2,(1-2)@(3,5),(6,7)". Every lcore of an element runs on
 * all the CPUs of its CPU side; a group without '@' runs each of its
 * lcores on the whole group, a plain number or range on its own CPU.
 */
int
eal_parse_lcore_list(struct eal_config *cfg, const char *str,
	bool allow_cpu_map, const char *opt)
{
	cpu_set_t avail, lcore_ids, cpus, own_cpu;
	const char *p = str;
	unsigned long too_large, l;
	bool grouped, cpu_grouped;
	int rc;

	if (eal_available_cpus(&avail) != 0) {
		DP_LOG(ERR, eal, "cannot read this process's CPU affinity: %s",
			dp_strerror(errno));
		return -EINVAL;
	}
	if (str == NULL || *str == '\0')
		goto malformed;
	for (;;) {
		rc = parse_id_set(&p, allow_cpu_map, &lcore_ids, &grouped,
			&too_large);
		if (rc == -ERANGE)
			return lcore_too_large(too_large, opt, str);
		if (rc != 0)
			goto malformed;
		cpus = lcore_ids;
		if (*p == '@') {
			if (!allow_cpu_map)
				goto malformed;
			p++;
			rc = parse_id_set(&p, true, &cpus, &cpu_grouped,
				&too_large);
			if (rc == -ERANGE) {
				DP_LOG(ERR, eal, "%s %s: CPU %lu does not exist",
					opt, str, too_large);
				return -EINVAL;
			}
			if (rc != 0)
				goto malformed;
			grouped = true;
		}
		for (l = 0; l < CPU_SETSIZE; l++) {
			if (!CPU_ISSET(l, &lcore_ids))
				continue;
			CPU_ZERO(&own_cpu);
			CPU_SET(l, &own_cpu);
			rc = enable_lcore(cfg, l, grouped ? &cpus : &own_cpu,
				&avail, opt, str);
			if (rc != 0)
				return rc;
		}
		if (*p == '\0')
			break;
		if (*p != ',')
			goto malformed;
		p++;
	}
	return 0;

malformed:
	DP_LOG(ERR, eal, "%s '%s': malformed lcore list (expected e.g. '0-3,5'%s)",
		opt, str ? str : "", allow_cpu_map ?
		" or '0@2,(1-2)@(3,5)'" : "");
	return -EINVAL;
}

int
eal_parse_coremask(struct eal_config *cfg, const char *str)
{
	cpu_set_t avail;
	const char *p = str;
	size_t len;
	int i, bit, digit, rc;

	if (eal_available_cpus(&avail) != 0)
		return -EINVAL;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		p += 2;
	len = strlen(p);
	if (len == 0)
		goto malformed;
	for (i = (int)len - 1, bit = 0; i >= 0; i--, bit += 4) {
		if (!isxdigit((unsigned char)p[i]))
			goto malformed;
		digit = isdigit((unsigned char)p[i]) ? p[i] - '0' :
			tolower((unsigned char)p[i]) - 'a' + 10;
		for (int b = 0; b < 4; b++) {
			if (!(digit & (1 << b)))
				continue;
			cpu_set_t own_cpu;

			CPU_ZERO(&own_cpu);
			CPU_SET(bit + b, &own_cpu);
			rc = enable_lcore(cfg, bit + b, &own_cpu, &avail, "-c",
				str);
			if (rc != 0)
				return rc;
		}
	}
	if (cfg->nb_lcores == 0) {
		DP_LOG(ERR, eal, "-c %s: the mask selects no lcore", str);
		return -EINVAL;
	}
	return 0;

malformed:
	DP_LOG(ERR, eal, "-c '%s': malformed core mask (expected hexadecimal, "
		"e.g. 0x3)", str);
	return -EINVAL;
}

static int
parse_socket_mem(struct eal_config *cfg, const char *str)
{
	const char *p = str;
	unsigned long mb;
	unsigned int n = 0;
	uint64_t total = 0;

	for (;;) {
		if (n == DP_MAX_NUMA_NODES) {
			DP_LOG(ERR, eal, "--socket-mem %s: more than %d sockets",
				str, DP_MAX_NUMA_NODES);
			return -EINVAL;
		}
		if (parse_uint_token(&p, &mb) != 0)
			goto malformed;
		if (mb > EAL_MEM_MAX_BYTES >> 20) {
			DP_LOG(ERR, eal, "--socket-mem %s: %lu MB is more memory "
				"than any machine has", str, mb);
			return -EINVAL;
		}
		cfg->socket_mem[n++] = (uint64_t)mb << 20;
		total += mb;
		if (*p == '\0')
			break;
		if (*p != ',')
			goto malformed;
		p++;
	}
	if (total == 0) {
		DP_LOG(ERR, eal, "--socket-mem %s: asks for no memory at all", str);
		return -EINVAL;
	}
	cfg->socket_mem_given = true;
	return 0;

malformed:
	DP_LOG(ERR, eal, "--socket-mem '%s': malformed (expected MB per socket, "
		"e.g. 1024,1024)", str);
	return -EINVAL;
}

static int
parse_log_level_opt(const char *str)
{
	const char *sep = strrchr(str, ':');
	char pattern[128];
	int level;

	/* DPDK's older "pattern,level" spelling is accepted too. */
	if (sep == NULL)
		sep = strrchr(str, ',');
	level = dp_log_parse_level(sep ? sep + 1 : str);
	if (level < 0) {
		DP_LOG(ERR, eal, "--log-level %s: unknown level '%s' (use one of "
			"emerg, alert, crit, err, warning, notice, info, debug, "
			"or 1-8)", str, sep ? sep + 1 : str);
		return -EINVAL;
	}
	if (sep == NULL)
		return dp_log_set_global_level(level);
	if (sep == str || (size_t)(sep - str) >= sizeof(pattern)) {
		DP_LOG(ERR, eal, "--log-level %s: missing or too long component "
			"pattern before ':'", str);
		return -EINVAL;
	}
	memcpy(pattern, str, sep - str);
	pattern[sep - str] = '\0';
	return dp_log_set_level_pattern(pattern, level) < 0 ? -EINVAL : 0;
}

static int
parse_file_prefix(struct eal_config *cfg, const char *str)
{
	size_t i, len = strlen(str);

	if (len == 0 || len >= sizeof(cfg->file_prefix))
		goto bad;
	for (i = 0; i < len; i++)
		if (!isalnum((unsigned char)str[i]) && strchr("._-", str[i]) == NULL)
			goto bad;
	strcpy(cfg->file_prefix, str);
	return 0;
bad:
	DP_LOG(ERR, eal, "--file-prefix '%s': use 1 to %zu letters, digits, "
		"'.', '_' or '-'", str, sizeof(cfg->file_prefix) - 1);
	return -EINVAL;
}

static int
add_devargs(enum dp_devargs_policy policy, const char *bus, const char *str,
	const char *opt)
{
	int rc = dp_devargs_add(policy, bus, str);

	if (rc == -EINVAL)
		DP_LOG(ERR, eal, "%s '%s': %s", opt, str,
			strcmp(bus, "pci") == 0 ?
			"not a PCI address (expected DDDD:BB:DD.F or BB:DD.F)" :
			"not a device name (expected e.g. net_null0,key=value)");
	else if (rc == -EEXIST)
		DP_LOG(ERR, eal, "%s '%s': device named twice", opt, str);
	else if (rc < 0)
		DP_LOG(ERR, eal, "%s '%s': %s", opt, str, dp_strerror(rc));
	return rc < 0 ? -EINVAL : 0;
}

/* Suggest the option the user probably meant: edit distance <= 2. */
static const char *
closest_option(const char *name)
{
	const char *best = NULL;
	size_t i, a, b, la, lb;
	unsigned int d[40][40], dist, best_dist = 3;

	la = strcspn(name, "=");
	if (la >= 40)
		return NULL;
	for (i = 0; i < DP_DIM(opt_defs); i++) {
		const char *cand = opt_defs[i].long_name;

		if (cand == NULL || (lb = strlen(cand)) >= 40)
			continue;
		for (a = 0; a <= la; a++)
			d[a][0] = a;
		for (b = 0; b <= lb; b++)
			d[0][b] = b;
		for (a = 1; a <= la; a++)
			for (b = 1; b <= lb; b++) {
				unsigned int sub = d[a - 1][b - 1] +
					(name[a - 1] != cand[b - 1]);
				unsigned int del = d[a - 1][b] + 1;
				unsigned int ins = d[a][b - 1] + 1;

				d[a][b] = sub < del ? (sub < ins ? sub : ins) :
					(del < ins ? del : ins);
			}
		dist = d[la][lb];
		if (dist < best_dist) {
			best_dist = dist;
			best = cand;
		}
	}
	return best;
}

/* ---- one option ------------------------------------------------------- */

static int
handle_option(struct eal_config *cfg, const struct opt_def *d, const char *val,
	const char *spelled, bool *seen_lcore_opt)
{
	uint64_t v;
	int rc;

	switch (d->id) {
	case OPT_LCORES_L:
	case OPT_LCORES:
	case OPT_COREMASK:
		if (cfg->lcores_given) {
			DP_LOG(ERR, eal, "%s: lcores were already given with %s; "
				"use only one of -l, -c, --lcores", spelled,
				seen_lcore_opt[0] ? "-l/--lcores" : "-c");
			return -EINVAL;
		}
		cfg->lcores_given = true;
		seen_lcore_opt[d->id == OPT_COREMASK ? 1 : 0] = true;
		if (d->id == OPT_COREMASK)
			return eal_parse_coremask(cfg, val);
		return eal_parse_lcore_list(cfg, val,
			strcmp(spelled, "--lcores") == 0, spelled);
	case OPT_MAIN_LCORE:
		if (parse_u64(val, &v) != 0 || v >= DP_MAX_LCORE) {
			DP_LOG(ERR, eal, "--main-lcore '%s': not an lcore id "
				"(0-%d)", val, DP_MAX_LCORE - 1);
			return -EINVAL;
		}
		cfg->main_lcore = (unsigned int)v;
		cfg->main_lcore_given = true;
		return 0;
	case OPT_MEMORY:
		rc = parse_mem_size(val, &cfg->memory);
		if (rc == -ERANGE) {
			DP_LOG(ERR, eal, "-m %s: more memory than any machine "
				"has", val);
			return -EINVAL;
		}
		if (rc != 0) {
			DP_LOG(ERR, eal, "-m '%s': expected a size in MB "
				"(e.g. 512, or 1G)", val);
			return -EINVAL;
		}
		return 0;
	case OPT_SOCKET_MEM:
		return parse_socket_mem(cfg, val);
	case OPT_NO_HUGE:
		cfg->no_huge = true;
		return 0;
	case OPT_HUGE_DIR:
		if (*val == '\0' || strlen(val) >= sizeof(cfg->huge_dir)) {
			DP_LOG(ERR, eal, "--huge-dir: empty or too long path");
			return -EINVAL;
		}
		strcpy(cfg->huge_dir, val);
		return 0;
	case OPT_FILE_PREFIX:
		return parse_file_prefix(cfg, val);
	case OPT_IN_MEMORY:
		cfg->in_memory = true;
		return 0;
	case OPT_IOVA_MODE:
		if (strcasecmp(val, "pa") == 0)
			cfg->iova_mode_req = DP_IOVA_PA;
		else if (strcasecmp(val, "va") == 0)
			cfg->iova_mode_req = DP_IOVA_VA;
		else {
			DP_LOG(ERR, eal, "--iova-mode '%s': expected 'pa' or 'va'",
				val);
			return -EINVAL;
		}
		return 0;
	case OPT_ALLOW:
		return add_devargs(DP_DEVARGS_ALLOW, "pci", val, spelled);
	case OPT_BLOCK:
		return add_devargs(DP_DEVARGS_BLOCK, "pci", val, spelled);
	case OPT_VDEV:
		return add_devargs(DP_DEVARGS_ALLOW, "vdev", val, spelled);
	case OPT_NO_PCI:
		cfg->no_pci = true;
		return 0;
	case OPT_LOG_LEVEL:
		return 0;	/* applied in the first pass */
	case OPT_VERSION:
		DP_LOG(NOTICE, eal, "%s", dp_version());
		return 0;
	case OPT_HELP:
		return -DP_EHELP;
	case OPT_MEM_CHANNELS:
		if (parse_u64(val, &v) != 0 || v == 0 || v > 64) {
			DP_LOG(ERR, eal, "-n '%s': expected a number of memory "
				"channels (1-64)", val);
			return -EINVAL;
		}
		cfg->mem_channels = (unsigned int)v;
		return 0;
	case OPT_DRIVER_PATH:
		DP_LOG(NOTICE, eal, "-d %s ignored: every dpkit driver is built "
			"into the library", val);
		return 0;
	case OPT_NO_SHCONF:
	case OPT_NO_TELEMETRY:
		return 0;
	case OPT_PROC_TYPE:
		if (strcmp(val, "primary") == 0 || strcmp(val, "auto") == 0)
			return 0;
		DP_LOG(ERR, eal, "--proc-type %s: dpkit runs single-process only "
			"(use 'primary' or leave the option out)", val);
		return -EINVAL;
	}
	return -EINVAL;
}

static const struct opt_def *
find_long(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < DP_DIM(opt_defs); i++)
		if (opt_defs[i].long_name &&
		    strlen(opt_defs[i].long_name) == len &&
		    strncmp(opt_defs[i].long_name, name, len) == 0)
			return &opt_defs[i];
	return NULL;
}

static const struct opt_def *
find_short(char c)
{
	size_t i;

	for (i = 0; i < DP_DIM(opt_defs); i++)
		if (opt_defs[i].short_name == c)
			return &opt_defs[i];
	return NULL;
}

/*
 * Walk argv. In the first pass (log_only) only --log-level is applied and
 * errors are not reported, so that the level holds for every message of
 * the second pass.
 */
static int
walk_args(struct eal_config *cfg, int argc, char **argv, bool log_only,
	int *end)
{
	bool seen_lcore_opt[2] = { false, false };
	char spelled[64];
	int i, rc;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		const struct opt_def *d;
		const char *val = NULL;

		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		if (a[0] != '-' || a[1] == '\0')
			break;	/* first non-option: the application's */

		if (a[1] == '-') {
			const char *name = a + 2;
			const char *eq = strchr(name, '=');
			size_t len = eq ? (size_t)(eq - name) : strlen(name);

			d = find_long(name, len);
			if (d == NULL) {
				if (log_only)
					continue;
				const char *hint = closest_option(name);

				if (hint)
					DP_LOG(ERR, eal, "unknown option '%s' "
						"(did you mean --%s? see --help)",
						a, hint);
				else
					DP_LOG(ERR, eal, "unknown option '%s' "
						"(see --help)", a);
				return -EINVAL;
			}
			snprintf(spelled, sizeof(spelled), "--%.*s", (int)len, name);
			if (eq != NULL) {
				if (d->arg == NULL) {
					if (log_only)
						continue;
					DP_LOG(ERR, eal, "%s takes no argument",
						spelled);
					return -EINVAL;
				}
				val = eq + 1;
			}
		} else {
			d = find_short(a[1]);
			if (d == NULL || (d->arg == NULL && a[2] != '\0')) {
				if (log_only)
					continue;
				DP_LOG(ERR, eal, "unknown option '%s' (see --help)",
					a);
				return -EINVAL;
			}
			snprintf(spelled, sizeof(spelled), "-%c", a[1]);
			if (a[2] != '\0')
				val = a + 2;
		}

		if (d->arg != NULL && val == NULL) {
			if (i + 1 >= argc) {
				if (log_only)
					continue;
				DP_LOG(ERR, eal, "%s needs an argument (%s)",
					spelled, d->arg);
				return -EINVAL;
			}
			val = argv[++i];
		}

		if (log_only) {
			if (d->id == OPT_LOG_LEVEL)
				parse_log_level_opt(val);
			continue;
		}
		if (d->id == OPT_LOG_LEVEL) {
			/* Report a bad level now (pass one stayed silent). */
			rc = parse_log_level_opt(val);
		} else {
			rc = handle_option(cfg, d, val, spelled, seen_lcore_opt);
		}
		if (rc < 0)
			return rc;
	}
	*end = i;
	return 0;
}

/* Rules that involve several options, checked once all are known. */
static int
check_combinations(struct eal_config *cfg)
{
	cpu_set_t avail;
	unsigned int l;

	if (cfg->memory && cfg->socket_mem_given) {
		DP_LOG(ERR, eal, "-m and --socket-mem cannot be used together: "
			"give the total with -m or the per-socket amounts with "
			"--socket-mem");
		return -EINVAL;
	}
	if (cfg->no_huge && cfg->socket_mem_given) {
		DP_LOG(ERR, eal, "--socket-mem cannot be used with --no-huge "
			"(4 KB pages are not placed per socket); use -m");
		return -EINVAL;
	}
	if (cfg->no_huge && cfg->iova_mode_req == DP_IOVA_PA) {
		DP_LOG(ERR, eal, "--iova-mode=pa cannot be used with --no-huge "
			"(4 KB pages have no fixed physical address); reserve "
			"hugepages and leave --no-huge out");
		return -EINVAL;
	}
	if (cfg->no_huge && cfg->huge_dir[0] != '\0') {
		DP_LOG(ERR, eal, "--huge-dir cannot be used with --no-huge");
		return -EINVAL;
	}
	if (dp_devargs_count("pci", DP_DEVARGS_ALLOW) &&
	    dp_devargs_count("pci", DP_DEVARGS_BLOCK)) {
		DP_LOG(ERR, eal, "-a/--allow and -b/--block cannot be used "
			"together: with an allow list every other device is "
			"already skipped");
		return -EINVAL;
	}
	if (cfg->no_pci && dp_devargs_count("pci", DP_DEVARGS_ALLOW)) {
		DP_LOG(ERR, eal, "-a/--allow names a PCI device but --no-pci "
			"disables the PCI bus");
		return -EINVAL;
	}

	if (!cfg->lcores_given) {
		/* Default: every CPU this process may run on. */
		if (eal_available_cpus(&avail) != 0)
			return -EINVAL;
		for (l = 0; l < DP_MAX_LCORE && l < CPU_SETSIZE; l++)
			if (CPU_ISSET(l, &avail)) {
				CPU_SET(l, &cfg->lcore_cpus[l]);
				cfg->nb_lcores++;
			}
	}
	if (cfg->nb_lcores == 0) {
		DP_LOG(ERR, eal, "no lcore to run on");
		return -EINVAL;
	}
	if (cfg->main_lcore_given) {
		if (cfg->main_lcore >= DP_MAX_LCORE ||
		    CPU_COUNT(&cfg->lcore_cpus[cfg->main_lcore]) == 0) {
			DP_LOG(ERR, eal, "--main-lcore %u is not one of the "
				"enabled lcores", cfg->main_lcore);
			return -EINVAL;
		}
	} else {
		for (l = 0; l < DP_MAX_LCORE; l++)
			if (CPU_COUNT(&cfg->lcore_cpus[l]) > 0)
				break;
		cfg->main_lcore = l;
	}
	return 0;
}

void
eal_config_reset(struct eal_config *cfg)
{
	unsigned int i;

	memset(cfg, 0, sizeof(*cfg));
	for (i = 0; i < DP_MAX_LCORE; i++)
		CPU_ZERO(&cfg->lcore_cpus[i]);
	strcpy(cfg->file_prefix, EAL_DEFAULT_FILE_PREFIX);
	cfg->iova_mode_req = DP_IOVA_DC;
}

int
eal_parse_args(struct eal_config *cfg, int argc, char **argv)
{
	int end = 1, rc;

	eal_config_reset(cfg);
	eal_devargs_clear();
	if (argc < 1 || argv == NULL || argv[0] == NULL) {
		DP_LOG(ERR, eal, "dp_eal_init: argv must hold at least the "
			"program name");
		return -EINVAL;
	}

	walk_args(cfg, argc, argv, true, &end);
	rc = walk_args(cfg, argc, argv, false, &end);
	if (rc == -DP_EHELP) {
		dp_eal_usage(NULL);
		if (usage_hook)
			usage_hook(argv[0]);
	}
	if (rc == 0)
		rc = check_combinations(cfg);
	if (rc < 0) {
		eal_devargs_clear();
		return rc;
	}

	/* argv itself is rewritten by dp_eal_init() once init succeeded, so
	 * that a failed init can be retried with the same argv. */
	return end - 1;
}
