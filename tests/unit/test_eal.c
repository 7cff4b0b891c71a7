/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * EAL core tests: every option in good and bad forms (values stored, or
 * -EINVAL plus the log line), argv handling, init/cleanup/init, lcore
 * launch and wait, log level filtering, TSC calibration.
 */

#include <pthread.h>
#include <sched.h>
#include <time.h>

#include "test_helpers.h"

#include <dp_eal.h>
#include <dp_cycles.h>
#include <dp_devargs.h>
#include <dp_pci_addr.h>

#include "eal_private.h"

/* Options every full init in this file uses: no hugepages, no devices. */
#define QUIET_INIT "--no-huge", "-m", "64", "--no-pci", "--log-level=eal:warning"

static int first_cpu = -1, last_cpu = -1, nb_cpus;

static void
find_cpus(void)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	sched_getaffinity(0, sizeof(set), &set);
	nb_cpus = 0;
	for (int c = 0; c < CPU_SETSIZE && c < DP_MAX_LCORE; c++)
		if (CPU_ISSET(c, &set)) {
			if (first_cpu < 0)
				first_cpu = c;
			last_cpu = c;
			nb_cpus++;
		}
}

/* Lcore @p lcore is enabled and runs on exactly the CPUs of @p cpus. */
static void
assert_lcore_cpus(const struct eal_config *cfg, unsigned int lcore,
	const int *cpus, int n)
{
	cpu_set_t want;

	CPU_ZERO(&want);
	for (int i = 0; i < n; i++)
		CPU_SET(cpus[i], &want);
	assert_true(CPU_EQUAL(&cfg->lcore_cpus[lcore], &want));
}

/* Lcore @p lcore is enabled and runs on CPU @p cpu only. */
static void
assert_only_cpu(const struct eal_config *cfg, unsigned int lcore, int cpu)
{
	assert_lcore_cpus(cfg, lcore, &cpu, 1);
}

/* Parse only (no init): returns eal_parse_args()'s result. */
static int
parse(struct eal_config *cfg, const char *const *args)
{
	struct test_argv a;
	int rc;

	test_argv_build(&a, args);
	rc = eal_parse_args(cfg, a.argc, a.argv);
	test_argv_free(&a);
	return rc;
}

/* ---- bad input: -EINVAL and the right message --------------------------- */

struct bad_case {
	const char *args[8];
	const char *msg;
};

static void
test_bad_options(void **state)
{
	char big_cpu[16], mask_bad[32], group_bad[48], remap[48];
	/* Two different CPU sets need two CPUs; with one, CPU 127 is absent. */
	const char *remap_msg = nb_cpus >= 2 ?
		"lcore 0 is mapped to two different CPU sets" :
		"does not exist or is not available";
	const struct bad_case cases[] = {
		{ { "--foo" }, "unknown option '--foo'" },
		{ { "--no-hgue" }, "did you mean --no-huge" },
		{ { "-x" }, "unknown option '-x'" },
		{ { "-l", "200" }, "lcore 200 is too large" },
		{ { "-l", big_cpu }, "does not exist or is not available" },
		{ { "-l", "0", "-c", "1" }, "use only one of -l, -c, --lcores" },
		{ { "-c", "1", "--lcores", "0" }, "use only one of -l, -c, --lcores" },
		{ { "-l", "abc" }, "malformed lcore list" },
		{ { "-l", "3-1" }, "malformed lcore list" },
		{ { "-l", "0,,1" }, "malformed lcore list" },
		{ { "-l", "0@0" }, "malformed lcore list" },
		{ { "-l", "(0)" }, "malformed lcore list" },
		{ { "--lcores", "(0" }, "malformed lcore list" },
		{ { "--lcores", "()" }, "malformed lcore list" },
		{ { "--lcores", "0@(0" }, "malformed lcore list" },
		{ { "--lcores", "0@" }, "malformed lcore list" },
		{ { "--lcores", "(0)(1)" }, "malformed lcore list" },
		{ { "--lcores", "(1-5000)" }, "lcore 5000 is too large" },
		{ { "--lcores", "0@(5000)" }, "CPU 5000 does not exist" },
		{ { "--lcores", group_bad }, "does not exist or is not available" },
		{ { "--lcores", remap }, remap_msg },
		{ { "-l" }, "-l needs an argument" },
		{ { "-c", "xyz" }, "malformed core mask" },
		{ { "-c", "0" }, "the mask selects no lcore" },
		{ { "-c", mask_bad }, "does not exist or is not available" },
		{ { "-l", "0", "--main-lcore", "5" }, "--main-lcore 5 is not one of the enabled lcores" },
		{ { "--main-lcore", "x" }, "--main-lcore 'x': not an lcore id" },
		{ { "-m", "abc" }, "-m 'abc': expected a size" },
		{ { "-m", "0" }, "-m '0': expected a size" },
		{ { "-m", "-5" }, "-m '-5': expected a size" },
		{ { "-m", "12Q" }, "-m '12Q': expected a size" },
		{ { "-m", "18014398509481983K" }, "-m 18014398509481983K: more memory than any machine has" },
		{ { "-m", "2000000000000" }, "-m 2000000000000: more memory than any machine has" },
		{ { "--socket-mem", "17592186044416" }, "17592186044416 MB is more memory than any machine has" },
		{ { "--socket-mem", "64,17592186044418" }, "17592186044418 MB is more memory than any machine has" },
		{ { "-m", "64", "--socket-mem", "64" }, "-m and --socket-mem cannot be used together" },
		{ { "--socket-mem", "0,0" }, "asks for no memory" },
		{ { "--socket-mem", "1,,2" }, "--socket-mem '1,,2': malformed" },
		{ { "--socket-mem=1,2,3,4,5,6,7,8,9" }, "more than" },
		{ { "--no-huge", "--socket-mem", "64" }, "--socket-mem cannot be used with --no-huge" },
		{ { "--no-huge", "--huge-dir", "/tmp" }, "--huge-dir cannot be used with --no-huge" },
		{ { "--no-huge=1" }, "--no-huge takes no argument" },
		{ { "--file-prefix", "a/b" }, "--file-prefix 'a/b'" },
		{ { "--file-prefix=" }, "--file-prefix ''" },
		{ { "--iova-mode=xx" }, "--iova-mode 'xx': expected 'pa' or 'va'" },
		{ { "-a", "zz:00.0" }, "not a PCI address" },
		{ { "-a", "00:20.0" }, "not a PCI address" },
		{ { "-a", "01:00.0", "-b", "02:00.0" }, "-a/--allow and -b/--block cannot be used together" },
		{ { "-a", "01:00.0", "-a", "0000:01:00.0,x=1" }, "device named twice" },
		{ { "--vdev", "0bad" }, "not a device name" },
		{ { "--vdev", "net_null0", "--vdev=net_null0,size=64" }, "device named twice" },
		{ { "--no-pci", "-a", "01:00.0" }, "--no-pci disables the PCI bus" },
		{ { "--log-level=loud" }, "unknown level 'loud'" },
		{ { "--log-level", ":debug" }, "missing or too long component pattern" },
		{ { "-n", "0" }, "-n '0': expected a number" },
		{ { "--proc-type=secondary" }, "runs single-process only" },
	};
	struct test_argv a;
	size_t i;
	int rc;

	(void)state;
	snprintf(big_cpu, sizeof(big_cpu), "%d", DP_MAX_LCORE - 1);
	snprintf(mask_bad, sizeof(mask_bad), "0x%llx", 1ull << 40);
	snprintf(group_bad, sizeof(group_bad), "(0)@(%d,%d)", first_cpu,
		DP_MAX_LCORE - 1);
	snprintf(remap, sizeof(remap), "0@%d,0@(%d,%d)", first_cpu, first_cpu,
		nb_cpus >= 2 ? last_cpu : DP_MAX_LCORE - 1);
	for (i = 0; i < DP_DIM(cases); i++) {
		test_log_capture();
		test_argv_build(&a, cases[i].args);
		rc = dp_eal_init(a.argc, a.argv);
		test_argv_free(&a);
		test_log_release();
		if (rc != -EINVAL)
			fail_msg("case %zu (%s ...): expected -EINVAL, got %d",
				i, cases[i].args[0], rc);
		assert_logged(cases[i].msg);
		/* A rejected init leaves nothing: the devargs list is empty. */
		assert_null(dp_devargs_next(NULL, NULL));
		assert_false(dp_eal_is_initialized());
	}
}

/* ---- good input: the values that were stored --------------------------- */

static void
test_good_lcore_options(void **state)
{
	struct eal_config cfg;
	char list[32], mask[32], map[64], main_opt[16];

	(void)state;
	snprintf(list, sizeof(list), "%d", first_cpu);
	assert_int_equal(parse(&cfg, (const char *[]){ "-l", list, NULL }), 2);
	assert_int_equal(cfg.nb_lcores, 1);
	assert_only_cpu(&cfg, first_cpu, first_cpu);
	assert_int_equal(cfg.main_lcore, first_cpu);
	assert_true(cfg.lcores_given);

	snprintf(mask, sizeof(mask), "0x%llx", 1ull << first_cpu);
	assert_int_equal(parse(&cfg, (const char *[]){ "-c", mask, NULL }), 2);
	assert_int_equal(cfg.nb_lcores, 1);
	assert_only_cpu(&cfg, first_cpu, first_cpu);

	/* --lcores with a mapping: lcore 7 runs on the first CPU. */
	snprintf(map, sizeof(map), "7@%d", first_cpu);
	assert_int_equal(parse(&cfg, (const char *[]){ "--lcores", map, NULL }), 2);
	assert_only_cpu(&cfg, 7, first_cpu);
	assert_int_equal(cfg.main_lcore, 7);

	/* Groups: lcores 7 and 9 share the first CPU; the same lcore named
	 * twice with the same CPUs is fine. */
	snprintf(map, sizeof(map), "(7,9)@%d,9@(%d)", first_cpu, first_cpu);
	assert_int_equal(parse(&cfg, (const char *[]){ "--lcores", map, NULL }), 2);
	assert_int_equal(cfg.nb_lcores, 2);
	assert_only_cpu(&cfg, 7, first_cpu);
	assert_only_cpu(&cfg, 9, first_cpu);
	assert_int_equal(CPU_COUNT(&cfg.lcore_cpus[8]), 0);

	/* No option: every available CPU. */
	assert_int_equal(parse(&cfg, (const char *[]){ NULL }), 0);
	assert_int_equal(cfg.nb_lcores, nb_cpus);
	assert_false(cfg.lcores_given);

	if (nb_cpus < 2)
		return;
	snprintf(list, sizeof(list), "%d-%d", first_cpu, last_cpu);
	snprintf(main_opt, sizeof(main_opt), "%d", last_cpu);
	assert_int_equal(parse(&cfg, (const char *[]){ "-l", list,
		"--main-lcore", main_opt, NULL }), 4);
	assert_int_equal(cfg.main_lcore, last_cpu);
	assert_only_cpu(&cfg, first_cpu, first_cpu);
	assert_only_cpu(&cfg, last_cpu, last_cpu);

	snprintf(list, sizeof(list), "%d,%d", first_cpu, last_cpu);
	assert_int_equal(parse(&cfg, (const char *[]){ "-l", list, NULL }), 2);
	assert_int_equal(cfg.nb_lcores, 2);

	/* DPDK's --lcores forms: a group without '@' runs each of its lcores
	 * on the whole group; a plain range pins each lcore to its own CPU;
	 * 'LCORES@(CPUS)' runs every lcore on every CPU of the group. */
	snprintf(map, sizeof(map), "(%d,%d),100@(%d-%d),(110-111)@%d",
		first_cpu, last_cpu, first_cpu, last_cpu, last_cpu);
	assert_int_equal(parse(&cfg, (const char *[]){ "--lcores", map, NULL }), 2);
	assert_int_equal(cfg.nb_lcores, 5);
	assert_lcore_cpus(&cfg, first_cpu, (int[]){ first_cpu, last_cpu }, 2);
	assert_lcore_cpus(&cfg, last_cpu, (int[]){ first_cpu, last_cpu }, 2);
	assert_lcore_cpus(&cfg, 100, (int[]){ first_cpu, last_cpu }, 2);
	assert_only_cpu(&cfg, 110, last_cpu);
	assert_only_cpu(&cfg, 111, last_cpu);
	snprintf(map, sizeof(map), "%d-%d", first_cpu, last_cpu);
	assert_int_equal(parse(&cfg, (const char *[]){ "--lcores", map, NULL }), 2);
	assert_only_cpu(&cfg, first_cpu, first_cpu);
	assert_only_cpu(&cfg, last_cpu, last_cpu);
	snprintf(mask, sizeof(mask), "%llx",
		(1ull << first_cpu) | (1ull << last_cpu));
	assert_int_equal(parse(&cfg, (const char *[]){ "-c", mask, NULL }), 2);
	assert_int_equal(cfg.nb_lcores, 2);
}

static void
test_good_memory_options(void **state)
{
	struct eal_config cfg;

	(void)state;
	assert_int_equal(parse(&cfg, (const char *[]){ "-m", "64", NULL }), 2);
	assert_int_equal(cfg.memory, 64ull << 20);
	assert_int_equal(parse(&cfg, (const char *[]){ "-m1G", NULL }), 1);
	assert_int_equal(cfg.memory, 1ull << 30);
	assert_int_equal(parse(&cfg, (const char *[]){ "--memory=512K", NULL }), 1);
	assert_int_equal(cfg.memory, 512ull << 10);

	assert_int_equal(parse(&cfg, (const char *[]){ "--socket-mem", "128,0,64", NULL }), 2);
	assert_true(cfg.socket_mem_given);
	assert_int_equal(cfg.socket_mem[0], 128ull << 20);
	assert_int_equal(cfg.socket_mem[1], 0);
	assert_int_equal(cfg.socket_mem[2], 64ull << 20);

	assert_int_equal(parse(&cfg, (const char *[]){ "--no-huge", "--in-memory",
		"--file-prefix", "run-2.a", NULL }), 4);
	assert_true(cfg.no_huge);
	assert_true(cfg.in_memory);
	assert_string_equal(cfg.file_prefix, "run-2.a");

	assert_int_equal(parse(&cfg, (const char *[]){ "--huge-dir=/mnt/huge", NULL }), 1);
	assert_string_equal(cfg.huge_dir, "/mnt/huge");
	assert_string_equal(cfg.file_prefix, "dpkit");

	assert_int_equal(parse(&cfg, (const char *[]){ "--iova-mode=va", NULL }), 1);
	assert_int_equal(cfg.iova_mode_req, DP_IOVA_VA);
	assert_int_equal(parse(&cfg, (const char *[]){ "--iova-mode", "PA", NULL }), 2);
	assert_int_equal(cfg.iova_mode_req, DP_IOVA_PA);
	assert_int_equal(parse(&cfg, (const char *[]){ NULL }), 0);
	assert_int_equal(cfg.iova_mode_req, DP_IOVA_DC);
	assert_int_equal(cfg.memory, 0);
}

static void
test_good_device_options(void **state)
{
	const struct dp_devargs *da;
	struct eal_config cfg;

	(void)state;
	assert_int_equal(parse(&cfg, (const char *[]){ "-a", "01:00.0,rxq=2,mode=x",
		"--allow=0000:02:00.1", "--vdev", "net_null0,size=64",
		"--vdev=net_ring0", NULL }), 6);
	da = dp_devargs_find("pci", "0000:01:00.0");
	assert_non_null(da);
	assert_int_equal(da->policy, DP_DEVARGS_ALLOW);
	assert_string_equal(da->args, "rxq=2,mode=x");
	da = dp_devargs_find("pci", "0000:02:00.1");
	assert_non_null(da);
	assert_string_equal(da->args, "");
	da = dp_devargs_find("vdev", "net_null0");
	assert_non_null(da);
	assert_string_equal(da->args, "size=64");
	assert_int_equal(dp_devargs_count("vdev", DP_DEVARGS_ALLOW), 2);
	assert_int_equal(dp_devargs_count("pci", DP_DEVARGS_ALLOW), 2);
	/* Command-line order is kept. */
	da = dp_devargs_next("vdev", NULL);
	assert_string_equal(da->name, "net_null0");
	assert_string_equal(dp_devargs_next("vdev", da)->name, "net_ring0");

	assert_int_equal(parse(&cfg, (const char *[]){ "-b", "0000:03:00.0",
		"-b", "04:00.0", "--no-pci", NULL }), 5);
	assert_int_equal(dp_devargs_count("pci", DP_DEVARGS_BLOCK), 2);
	assert_null(dp_devargs_find("vdev", "net_null0"));	/* reset */
	assert_true(cfg.no_pci);
	eal_devargs_clear();
}

static void
test_good_misc_options(void **state)
{
	struct eal_config cfg;
	int t;

	(void)state;
	t = dp_log_register("test.misc", DP_LOG_INFO);
	test_log_capture();
	assert_int_equal(parse(&cfg, (const char *[]){ "-n", "4", "-d", "x.so",
		"--no-shconf", "--no-telemetry", "--proc-type=primary", "-v",
		"--log-level", "test.*:debug", NULL }), 10);
	test_log_release();
	assert_int_equal(cfg.mem_channels, 4);
	assert_logged("-d x.so ignored");
	assert_logged(dp_version());
	assert_int_equal(dp_log_get_level(t), DP_LOG_DEBUG);
	assert_int_equal(parse(&cfg, (const char *[]){ "--log-level=test.misc:3", NULL }), 1);
	assert_int_equal(dp_log_get_level(t), DP_LOG_CRIT);
}

/* ---- argv contract ------------------------------------------------------- */

static void
test_argv_shift(void **state)
{
	struct eal_config cfg;
	struct test_argv a;
	int rc;

	(void)state;
	test_argv_build(&a, (const char *[]){ "--no-pci", "-m", "64", "--",
		"-p", "3", NULL });
	rc = eal_parse_args(&cfg, a.argc, a.argv);
	assert_int_equal(rc, 4);
	assert_string_equal(a.argv[rc], "--");	/* parsing alone: untouched */
	test_argv_free(&a);

	/* After a successful init the application sees [prog, -p, 3]. */
	test_argv_build(&a, (const char *[]){ QUIET_INIT, "--", "-p", "3", NULL });
	rc = dp_eal_init(a.argc, a.argv);
	assert_int_equal(rc, 6);
	assert_string_equal(a.argv[rc], "test");
	assert_string_equal(a.argv[rc + 1], "-p");
	assert_string_equal(a.argv[rc + 2], "3");
	assert_int_equal(a.argc - rc, 3);
	assert_int_equal(dp_eal_cleanup(), 0);
	test_argv_free(&a);

	/* A failed init (here at the memory stage) leaves argv as it was, so
	 * the same argv can be retried. */
	{
		const char *const args[] = { "--no-huge", "--no-pci", "-m",
			"100000000G", "--log-level=eal:emerg", NULL };

		test_argv_build(&a, args);
		assert_true(dp_eal_init(a.argc, a.argv) < 0);
		/* Every slot, argv[5] (where the name would go) included. */
		assert_int_equal(a.argc, 6);
		assert_string_equal(a.argv[0], "test");
		for (int i = 0; args[i] != NULL; i++)
			assert_string_equal(a.argv[i + 1], args[i]);
		test_argv_free(&a);
	}

	/* The first non-option word ends the EAL options. */
	test_argv_build(&a, (const char *[]){ "--no-pci", "app_arg", "--no-huge", NULL });
	rc = eal_parse_args(&cfg, a.argc, a.argv);
	assert_int_equal(rc, 1);
	assert_false(cfg.no_huge);
	assert_string_equal(a.argv[rc + 1], "app_arg");
	test_argv_free(&a);

	/* Nothing at all. */
	test_argv_build(&a, (const char *[]){ NULL });
	assert_int_equal(eal_parse_args(&cfg, a.argc, a.argv), 0);
	test_argv_free(&a);
	assert_int_equal(eal_parse_args(&cfg, 0, NULL), -EINVAL);
}

static void
test_help(void **state)
{
	struct test_argv a;
	int rc;

	(void)state;
	test_log_capture();
	test_argv_build(&a, (const char *[]){ "-l", "0", "-h", NULL });
	rc = dp_eal_init(a.argc, a.argv);
	test_argv_free(&a);
	test_log_release();
	assert_int_equal(rc, -DP_EHELP);
	assert_false(dp_eal_is_initialized());
	assert_logged("--no-huge");
	assert_logged("--vdev=NAME[,k=v]");
	assert_string_equal(dp_strerror(-DP_EHELP), "help requested (usage printed)");
	assert_string_equal(dp_strerror(EINVAL), "Invalid argument");
}

static void
test_pci_addr(void **state)
{
	struct dp_pci_addr x, y;
	char buf[DP_PCI_ADDR_STRLEN];

	(void)state;
	assert_int_equal(dp_pci_addr_parse("0000:3b:00.1", &x), 0);
	assert_int_equal(x.domain, 0);
	assert_int_equal(x.bus, 0x3b);
	assert_int_equal(x.devid, 0);
	assert_int_equal(x.function, 1);
	assert_int_equal(dp_pci_addr_parse("3b:1f.7", &y), 0);
	assert_int_equal(y.devid, 0x1f);
	dp_pci_addr_format(&y, buf, sizeof(buf));
	assert_string_equal(buf, "0000:3b:1f.7");
	assert_true(dp_pci_addr_cmp(&x, &y) < 0);
	assert_int_equal(dp_pci_addr_parse("3b:1f.8", &y), -EINVAL);
	assert_int_equal(dp_pci_addr_parse("3b:20.0", &y), -EINVAL);
	assert_int_equal(dp_pci_addr_parse("3b:00.0x", &y), -EINVAL);
	assert_int_equal(dp_pci_addr_parse("100:00.0", &y), -EINVAL);
	assert_int_equal(dp_pci_addr_parse("00000:00:00.0", &y), -EINVAL);
}

/* ---- init / cleanup ------------------------------------------------------- */

static int
full_init(const char *const *extra)
{
	return test_eal_init_args((const char *[]){ QUIET_INIT, NULL }, extra);
}

static void
test_init_cleanup_init(void **state)
{
	cpu_set_t before, after;

	(void)state;
	sched_getaffinity(0, sizeof(before), &before);
	assert_int_equal(dp_eal_cleanup(), -EALREADY);
	assert_int_equal(full_init(NULL), 5);
	assert_true(dp_eal_is_initialized());
	assert_int_equal(dp_lcore_id(), dp_get_main_lcore());
	assert_int_equal(dp_lcore_count(), nb_cpus);

	test_log_capture();
	assert_int_equal(full_init(NULL), -EALREADY);
	test_log_release();
	assert_logged("already initialized");

	assert_int_equal(dp_eal_cleanup(), 0);
	assert_false(dp_eal_is_initialized());
	assert_int_equal(dp_lcore_id(), DP_LCORE_ID_ANY);
	/* The main thread may run everywhere again. */
	sched_getaffinity(0, sizeof(after), &after);
	assert_true(CPU_EQUAL(&before, &after));

	/* A failed init in between changes nothing. */
	test_log_capture();
	assert_int_equal(full_init((const char *[]){ "--bogus", NULL }), -EINVAL);
	test_log_release();
	assert_int_equal(full_init(NULL), 5);
	assert_int_equal(dp_lcore_count(), nb_cpus);
	assert_int_equal(dp_eal_cleanup(), 0);
}

/* ---- lcores ---------------------------------------------------------------- */

struct launch_arg {
	int ran_on_cpu[DP_MAX_LCORE];
	unsigned int calls;
	pthread_mutex_t gate;
};

static int
record_cpu(void *p)
{
	struct launch_arg *la = p;
	unsigned int id = dp_lcore_id();

	la->ran_on_cpu[id] = sched_getcpu();
	__atomic_fetch_add(&la->calls, 1, __ATOMIC_RELAXED);
	return 1000 + (int)id;
}

static int
wait_on_gate(void *p)
{
	struct launch_arg *la = p;

	pthread_mutex_lock(&la->gate);
	pthread_mutex_unlock(&la->gate);
	return 7;
}

static void *
foreign_thread(void *p)
{
	*(unsigned int *)p = dp_lcore_id();
	return NULL;
}

static void
test_lcore_launch(void **state)
{
	struct launch_arg la;
	unsigned int l, workers = 0, foreign = 0;
	pthread_t t;

	(void)state;
	memset(&la, 0xff, sizeof(la.ran_on_cpu));
	la.calls = 0;
	pthread_mutex_init(&la.gate, NULL);
	assert_int_equal(full_init(NULL), 5);

	/* Every worker runs the function on its own CPU and returns its value. */
	DP_LCORE_FOREACH_WORKER(l) {
		assert_int_equal(dp_eal_remote_launch(record_cpu, &la, l), 0);
		workers++;
	}
	DP_LCORE_FOREACH_WORKER(l) {
		assert_int_equal(dp_eal_wait_lcore(l), 1000 + (int)l);
		assert_int_equal(la.ran_on_cpu[l], dp_lcore_to_cpu_id(l));
		assert_int_equal(dp_eal_get_lcore_state(l), DP_LCORE_WAIT);
		/* Nothing launched: wait returns 0 at once. */
		assert_int_equal(dp_eal_wait_lcore(l), 0);
	}
	assert_int_equal(la.calls, workers);
	assert_int_equal(workers, dp_lcore_count() - 1);

	/* The main lcore is not a worker. */
	assert_int_equal(dp_eal_remote_launch(record_cpu, &la,
		dp_get_main_lcore()), -EINVAL);
	assert_int_equal(dp_eal_remote_launch(NULL, &la, 0), -EINVAL);
	assert_int_equal(dp_eal_remote_launch(record_cpu, &la, DP_MAX_LCORE),
		-EINVAL);

	/* A busy worker refuses a second launch. */
	if (workers > 0) {
		l = dp_get_next_lcore(-1, 1, 0);
		pthread_mutex_lock(&la.gate);
		assert_int_equal(dp_eal_remote_launch(wait_on_gate, &la, l), 0);
		assert_int_equal(dp_eal_remote_launch(record_cpu, &la, l), -EBUSY);
		assert_int_equal(dp_eal_mp_remote_launch(record_cpu, &la,
			DP_SKIP_MAIN), -EBUSY);
		pthread_mutex_unlock(&la.gate);
		assert_int_equal(dp_eal_wait_lcore(l), 7);
	}

	/* Launch everywhere, main included. */
	la.calls = 0;
	assert_int_equal(dp_eal_mp_remote_launch(record_cpu, &la, DP_CALL_MAIN), 0);
	dp_eal_mp_wait_lcore();
	assert_int_equal(la.calls, dp_lcore_count());
	assert_int_equal(la.ran_on_cpu[dp_get_main_lcore()],
		dp_lcore_to_cpu_id(dp_get_main_lcore()));

	/* Queries. */
	assert_true(dp_lcore_is_enabled(dp_get_main_lcore()));
	assert_false(dp_lcore_is_enabled(DP_MAX_LCORE + 5));
	assert_int_equal(dp_lcore_to_cpu_id(DP_MAX_LCORE - 1) < 0,
		!dp_lcore_is_enabled(DP_MAX_LCORE - 1));
	assert_true(dp_socket_count() >= 1);
	assert_int_equal(dp_socket_id_by_idx(0), dp_lcore_to_socket_id(
		dp_get_main_lcore()));
	assert_int_equal(dp_socket_id_by_idx(dp_socket_count()), -EINVAL);
	assert_int_equal(dp_socket_id(), dp_lcore_to_socket_id(dp_lcore_id()));

	/* A thread the EAL did not create has no lcore id. */
	pthread_create(&t, NULL, foreign_thread, &foreign);
	pthread_join(t, NULL);
	assert_int_equal(foreign, DP_LCORE_ID_ANY);

	assert_int_equal(dp_eal_cleanup(), 0);
	pthread_mutex_destroy(&la.gate);
}

static void
test_next_lcore(void **state)
{
	char map[32];
	unsigned int l, n = 0;

	(void)state;
	/* Sparse lcore ids: 3 and 9, both on the first CPU. */
	snprintf(map, sizeof(map), "3@%d,9@%d", first_cpu, first_cpu);
	assert_int_equal(full_init((const char *[]){ "--lcores", map, NULL }), 7);
	assert_int_equal(dp_get_main_lcore(), 3);
	DP_LCORE_FOREACH(l)
		n += l;
	assert_int_equal(n, 12);
	assert_int_equal(dp_get_next_lcore(-1, 1, 0), 9);
	assert_int_equal(dp_get_next_lcore(9, 0, 0), DP_MAX_LCORE);
	assert_int_equal(dp_get_next_lcore(9, 0, 1), 3);
	assert_int_equal(dp_lcore_to_cpu_id(9), first_cpu);
	assert_int_equal(dp_eal_cleanup(), 0);
}

static int
report_affinity(void *arg)
{
	cpu_set_t *set = arg;

	CPU_ZERO(set);
	return sched_getaffinity(0, sizeof(*set), set);
}

/* An lcore mapped to a CPU group really runs with that affinity. */
static void
test_lcore_cpu_group(void **state)
{
	cpu_set_t want, got;
	char map[48];

	(void)state;
	snprintf(map, sizeof(map), "0@%d,(5-6)@(%d,%d)", first_cpu, first_cpu,
		last_cpu);
	assert_int_equal(full_init((const char *[]){ "--lcores", map, NULL }), 7);
	CPU_ZERO(&want);
	CPU_SET(first_cpu, &want);
	CPU_SET(last_cpu, &want);
	for (unsigned int l = 5; l <= 6; l++) {
		assert_int_equal(dp_eal_remote_launch(report_affinity, &got, l), 0);
		assert_int_equal(dp_eal_wait_lcore(l), 0);
		assert_true(CPU_EQUAL(&got, &want));
		assert_int_equal(dp_lcore_to_cpu_id(l), first_cpu);
		assert_int_equal(dp_lcore_to_socket_id(l),
			dp_lcore_to_socket_id(0));
	}
	assert_int_equal(report_affinity(&got), 0);	/* main: lcore 0 */
	CPU_ZERO(&want);
	CPU_SET(first_cpu, &want);
	assert_true(CPU_EQUAL(&got, &want));
	assert_int_equal(dp_eal_cleanup(), 0);
}

/* ---- logging ---------------------------------------------------------------- */

static void
test_log_levels(void **state)
{
	int a, b, c, a2;

	(void)state;
	a = dp_log_register("lvl.alpha", DP_LOG_INFO);
	b = dp_log_register("lvl.beta", DP_LOG_NOTICE);
	assert_true(a > 0);
	assert_true(b > 0 && b != a);
	a2 = dp_log_register("lvl.alpha", DP_LOG_DEBUG);
	assert_int_equal(a2, a);	/* same name, same type */
	assert_int_equal(dp_log_register("", DP_LOG_INFO), -EINVAL);
	assert_int_equal(dp_log_register("x", 0), -EINVAL);
	assert_int_equal(dp_log_lookup("lvl.beta"), b);
	assert_int_equal(dp_log_lookup("lvl.none"), -ENOENT);

	test_log_capture();
	assert_int_equal(dp_log(DP_LOG_DEBUG, a, "hidden %d", 1), 1);
	assert_int_equal(dp_log(DP_LOG_INFO, a, "shown %d\n", 2), 0);
	assert_int_equal(dp_log(DP_LOG_INFO, b, "hidden beta"), 1);
	assert_int_equal(test_log_buf.lines, 1);
	assert_logged("lvl.alpha: shown 2\n");

	/* Glob patterns apply to matching types only. */
	assert_int_equal(dp_log_set_level_pattern("lvl.b*", DP_LOG_DEBUG), 1);
	assert_int_equal(dp_log(DP_LOG_DEBUG, b, "beta debug"), 0);
	assert_int_equal(dp_log(DP_LOG_DEBUG, a, "alpha debug"), 1);
	assert_int_equal(dp_log_get_level(b), DP_LOG_DEBUG);

	/* A type registered later picks up a remembered pattern. */
	assert_int_equal(dp_log_set_level_pattern("lvl.g*", DP_LOG_ERR), 0);
	c = dp_log_register("lvl.gamma", DP_LOG_DEBUG);
	assert_int_equal(dp_log_get_level(c), DP_LOG_ERR);
	assert_int_equal(dp_log(DP_LOG_WARNING, c, "filtered"), 1);
	assert_int_equal(dp_log(DP_LOG_ERR, c, "kept"), 0);

	/* Global level. */
	assert_int_equal(dp_log_set_global_level(DP_LOG_ERR), 0);
	assert_int_equal(dp_log(DP_LOG_INFO, a, "x"), 1);
	assert_false(dp_log_can_log(b, DP_LOG_WARNING));
	assert_true(dp_log_can_log(b, DP_LOG_ERR));
	assert_int_equal(dp_log_set_level(a, DP_LOG_DEBUG), 0);
	assert_true(dp_log_can_log(a, DP_LOG_DEBUG));
	assert_int_equal(dp_log_set_level(a, 9), -EINVAL);
	assert_int_equal(dp_log_set_level(DP_LOG_MAX_TYPES, DP_LOG_INFO), -EINVAL);
	dp_log_set_global_level(DP_LOG_INFO);
	test_log_release();

	assert_int_equal(dp_log_parse_level("warning"), DP_LOG_WARNING);
	assert_int_equal(dp_log_parse_level("ERR"), DP_LOG_ERR);
	assert_int_equal(dp_log_parse_level("8"), DP_LOG_DEBUG);
	assert_int_equal(dp_log_parse_level("9"), -EINVAL);
	assert_int_equal(dp_log_parse_level("loud"), -EINVAL);
	assert_string_equal(dp_log_level_name(DP_LOG_ERR), "error");
}

static void
test_log_stream(void **state)
{
	char buf[256] = "";
	FILE *f = fmemopen(buf, sizeof(buf), "w");
	int t = dp_log_register("test.stream", DP_LOG_INFO);

	(void)state;
	dp_log_set_stream(f);
	assert_ptr_equal(dp_log_get_stream(), f);
	dp_log(DP_LOG_ERR, t, "bad thing %s", "happened");
	dp_log(DP_LOG_INFO, t, "fine");
	dp_log_set_stream(NULL);
	fclose(f);
	assert_string_equal(buf, "test.stream: error: bad thing happened\n"
		"test.stream: fine\n");
	assert_ptr_equal(dp_log_get_stream(), stderr);
}

/* ---- cycles ------------------------------------------------------------------ */

static void
test_tsc_hz(void **state)
{
	struct timespec t0, t1;
	uint64_t c0, c1, hz = dp_get_tsc_hz();
	double ns, measured, err;

	(void)state;
	assert_true(hz > 100000000ull);	/* no x86 TSC runs below 100 MHz */
	/* Measure independently over 200 ms of the raw monotonic clock. */
	clock_gettime(CLOCK_MONOTONIC_RAW, &t0);
	c0 = dp_rdtsc_precise();
	do {
		clock_gettime(CLOCK_MONOTONIC_RAW, &t1);
		ns = (t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec);
	} while (ns < 2e8);
	c1 = dp_rdtsc_precise();
	measured = (double)(c1 - c0) * 1e9 / ns;
	err = (measured - (double)hz) / measured;
	if (err < 0)
		err = -err;
	fprintf(stderr, "  tsc_hz=%" PRIu64 " measured=%.0f error=%.4f%%\n",
		hz, measured, err * 100);
	assert_true(err < 0.01);

	/* dp_delay_us waits at least as long as asked. */
	clock_gettime(CLOCK_MONOTONIC_RAW, &t0);
	dp_delay_us(2000);
	clock_gettime(CLOCK_MONOTONIC_RAW, &t1);
	ns = (t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec);
	assert_true(ns >= 2000 * 1000 * 0.99);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_options),
		cmocka_unit_test(test_good_lcore_options),
		cmocka_unit_test(test_good_memory_options),
		cmocka_unit_test(test_good_device_options),
		cmocka_unit_test(test_good_misc_options),
		cmocka_unit_test(test_argv_shift),
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_pci_addr),
		cmocka_unit_test(test_init_cleanup_init),
		cmocka_unit_test(test_lcore_launch),
		cmocka_unit_test(test_next_lcore),
		cmocka_unit_test(test_lcore_cpu_group),
		cmocka_unit_test(test_log_levels),
		cmocka_unit_test(test_log_stream),
		cmocka_unit_test(test_tsc_hz),
	};

	find_cpus();
	return cmocka_run_group_tests_name("eal", tests, NULL, NULL);
}
