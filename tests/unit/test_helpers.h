/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TEST_HELPERS_H
#define TEST_HELPERS_H

/*
 * Shared helpers for the cmocka runners: capture of log lines (to assert
 * the message a bad input produced) and argv building.
 */

#include <dirent.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <dp_eal.h>
#include <dp_log.h>

/* Exit status meson counts as "skipped". */
#define TEST_SKIP_EXIT 77

struct test_log {
	char text[16384];
	size_t len;
	unsigned int lines;
};

static struct test_log test_log_buf;

static void __attribute__((unused))
test_log_cb(int level, const char *component, const char *msg, void *arg)
{
	struct test_log *l = arg;
	int n;

	(void)level;
	n = snprintf(l->text + l->len, sizeof(l->text) - l->len, "%s: %s\n",
		component, msg);
	if (n > 0 && l->len + (size_t)n < sizeof(l->text))
		l->len += (size_t)n;
	l->lines++;
	/* Keep the messages visible in the meson test log too. */
	fprintf(stderr, "  [log] %s: %s\n", component, msg);
}

/* Start capturing log lines (forgetting earlier ones). */
static void __attribute__((unused))
test_log_capture(void)
{
	memset(&test_log_buf, 0, sizeof(test_log_buf));
	dp_log_set_callback(test_log_cb, &test_log_buf);
}

/* Stop capturing; log lines go to stderr again. */
static void __attribute__((unused))
test_log_release(void)
{
	dp_log_set_stream(NULL);
}

/* Was a line containing @p needle logged since test_log_capture()? */
static bool __attribute__((unused))
test_log_contains(const char *needle)
{
	return strstr(test_log_buf.text, needle) != NULL;
}

#define assert_logged(needle) do { \
	if (!test_log_contains(needle)) \
		fail_msg("expected a log line containing \"%s\"; got:\n%s", \
			needle, test_log_buf.text); \
} while (0)

/* argv from a NULL-terminated list; strings are duplicated (argv is rewritten). */
struct test_argv {
	int argc;
	char *argv[64];
	char *orig[64];	/* the strings to free: argv itself gets rewritten */
};

static void __attribute__((unused))
test_argv_build(struct test_argv *a, const char *const *args)
{
	a->argc = 0;
	a->argv[a->argc++] = strdup("test");
	while (*args && a->argc < 63)
		a->argv[a->argc++] = strdup(*args++);
	a->argv[a->argc] = NULL;
	memcpy(a->orig, a->argv, sizeof(a->orig));
}

static void __attribute__((unused))
test_argv_free(struct test_argv *a)
{
	for (int i = 0; i < a->argc; i++)
		free(a->orig[i]);
	a->argc = 0;
}

/*
 * dp_eal_init() with the arguments of @p fixed followed by those of
 * @p extra (both NULL-terminated, either may be NULL); its result.
 */
static int __attribute__((unused))
test_eal_init_args(const char *const *fixed, const char *const *extra)
{
	const char *args[64];
	struct test_argv a;
	int n = 0, rc;

	while (fixed && *fixed && n < 62)
		args[n++] = *fixed++;
	while (extra && *extra && n < 62)
		args[n++] = *extra++;
	args[n] = NULL;
	test_argv_build(&a, args);
	rc = dp_eal_init(a.argc, a.argv);
	test_argv_free(&a);
	return rc;
}

/* test_eal_init_expect() value for "any success". */
#define TEST_INIT_OK 1000

/*
 * test_eal_init_args() with the log captured (for assert_logged()); fails
 * the test unless it returns @p expect.
 */
static void __attribute__((unused))
test_eal_init_expect(const char *const *fixed, const char *const *extra,
	int expect)
{
	int rc;

	test_log_capture();
	rc = test_eal_init_args(fixed, extra);
	test_log_release();
	if (expect == TEST_INIT_OK ? rc < 0 : rc != expect)
		fail_msg("dp_eal_init: expected %d, got %d; log:\n%s", expect, rc,
			test_log_buf.text);
}

/* What @p print writes to a FILE, as a string the caller frees. */
static __attribute__((unused)) char *
test_capture_output(void (*print)(FILE *f))
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (f == NULL)
		return NULL;
	print(f);
	fclose(f);
	return text;
}

/*
 * Open file descriptors of this process; with @p link_prefix, only those
 * whose /proc/self/fd link starts with it (e.g. "/memfd:").
 */
static unsigned int __attribute__((unused))
test_count_fds(const char *link_prefix)
{
	char path[300], target[256];
	unsigned int n = 0;
	struct dirent *e;
	ssize_t len;
	DIR *d = opendir("/proc/self/fd");

	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (link_prefix == NULL) {
			n++;
			continue;
		}
		snprintf(path, sizeof(path), "/proc/self/fd/%s", e->d_name);
		len = readlink(path, target, sizeof(target) - 1);
		if (len <= 0)
			continue;
		target[len] = '\0';
		if (strncmp(target, link_prefix, strlen(link_prefix)) == 0)
			n++;
	}
	closedir(d);
	return n;
}

#endif /* TEST_HELPERS_H */
