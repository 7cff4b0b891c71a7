/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Roots of sysfs and /dev (replaceable for tests) and readers for the
 * one-value files sysfs is made of.
 */

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <dp_sysfs.h>

#define ROOT_MAX (PATH_MAX / 2)

/* Set by dp_sysfs_set_root(); "" means "environment or default". */
static char sysfs_root_set[ROOT_MAX];
static char dev_root_set[ROOT_MAX];

static const char *
root_of(const char *set, const char *env, const char *dflt)
{
	const char *e;

	if (set[0] != '\0')
		return set;
	e = getenv(env);
	return (e != NULL && e[0] != '\0') ? e : dflt;
}

const char *
dp_sysfs_root(void)
{
	return root_of(sysfs_root_set, "DPKIT_SYSFS_ROOT", "/sys");
}

const char *
dp_dev_root(void)
{
	return root_of(dev_root_set, "DPKIT_DEV_ROOT", "/dev");
}

int
dp_sysfs_set_root(const char *sysfs, const char *dev)
{
	if ((sysfs && strlen(sysfs) >= ROOT_MAX) ||
	    (dev && strlen(dev) >= ROOT_MAX))
		return -ENAMETOOLONG;
	snprintf(sysfs_root_set, sizeof(sysfs_root_set), "%s", sysfs ? sysfs : "");
	snprintf(dev_root_set, sizeof(dev_root_set), "%s", dev ? dev : "");
	return 0;
}

static int
vpath(char *buf, size_t size, const char *root, const char *fmt, va_list ap)
{
	int n, m;

	n = snprintf(buf, size, "%s", root);
	if (n < 0 || (size_t)n >= size)
		goto toolong;
	m = vsnprintf(buf + n, size - (size_t)n, fmt, ap);
	if (m < 0 || (size_t)(n + m) >= size)
		goto toolong;
	return 0;
toolong:
	if (size > 0)
		buf[0] = '\0';
	return -ENAMETOOLONG;
}

int
dp_sysfs_path(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vpath(buf, size, dp_sysfs_root(), fmt, ap);
	va_end(ap);
	return rc;
}

int
dp_dev_path(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vpath(buf, size, dp_dev_root(), fmt, ap);
	va_end(ap);
	return rc;
}

int
dp_sysfs_read_str(const char *path, char *buf, size_t size)
{
	ssize_t n;
	char *nl;
	int fd;

	if (size == 0)
		return -EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	if (n < 0) {
		n = -errno;
		close(fd);
		buf[0] = '\0';
		return (int)n;
	}
	close(fd);
	buf[n] = '\0';
	nl = strchr(buf, '\n');
	if (nl != NULL)
		*nl = '\0';
	return (int)strlen(buf);
}

int
dp_sysfs_read_long(const char *path, long long *val)
{
	char buf[64], *end;
	long long v;
	int rc;

	rc = dp_sysfs_read_str(path, buf, sizeof(buf));
	if (rc < 0)
		return rc;
	if (rc == 0)
		return -EINVAL;
	errno = 0;
	v = strtoll(buf, &end, 0);
	if (errno != 0 || end == buf || *end != '\0')
		return -EINVAL;
	*val = v;
	return 0;
}

int
dp_sysfs_link_name(const char *path, char *buf, size_t size)
{
	char target[PATH_MAX];
	const char *base;
	ssize_t n;

	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = '\0';
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	if (strlen(base) >= size)
		return -ENAMETOOLONG;
	strcpy(buf, base);
	return (int)strlen(buf);
}
