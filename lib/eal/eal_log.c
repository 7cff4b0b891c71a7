/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Log type registry, level filtering by name and glob pattern, and the
 * output sink (a stream, stderr by default, or a user callback).
 */

#include <fnmatch.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <dp_log.h>

struct log_type {
	char name[DP_LOG_NAME_MAX];
	int level;	/* read without the lock: an aligned int */
};

/* A level set by pattern, remembered for types registered later. */
struct log_pattern {
	char pattern[DP_LOG_NAME_MAX * 2];
	int level;
};

#define LOG_MAX_PATTERNS 32

static struct {
	pthread_mutex_t lock;
	struct log_type types[DP_LOG_MAX_TYPES];
	int nb_types;
	struct log_pattern patterns[LOG_MAX_PATTERNS];
	int nb_patterns;
	FILE *stream;			/* NULL means stderr */
	dp_log_callback_t cb;
	void *cb_arg;
} logs = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.types = { [DP_LOGTYPE_DEFAULT] = { "dpkit", DP_LOG_INFO } },
	.nb_types = 1,
};

int dp_logtype_default = DP_LOGTYPE_DEFAULT;

static const char *const level_names[] = {
	[DP_LOG_EMERG] = "emergency",
	[DP_LOG_ALERT] = "alert",
	[DP_LOG_CRIT] = "critical",
	[DP_LOG_ERR] = "error",
	[DP_LOG_WARNING] = "warning",
	[DP_LOG_NOTICE] = "notice",
	[DP_LOG_INFO] = "info",
	[DP_LOG_DEBUG] = "debug",
};

static bool
level_valid(int level)
{
	return level >= DP_LOG_EMERG && level <= DP_LOG_DEBUG;
}

const char *
dp_log_level_name(int level)
{
	return level_valid(level) ? level_names[level] : "unknown";
}

int
dp_log_parse_level(const char *str)
{
	static const struct { const char *name; int level; } aliases[] = {
		{ "emerg", DP_LOG_EMERG }, { "emergency", DP_LOG_EMERG },
		{ "alert", DP_LOG_ALERT }, { "crit", DP_LOG_CRIT },
		{ "critical", DP_LOG_CRIT }, { "err", DP_LOG_ERR },
		{ "error", DP_LOG_ERR }, { "warning", DP_LOG_WARNING },
		{ "warn", DP_LOG_WARNING }, { "notice", DP_LOG_NOTICE },
		{ "info", DP_LOG_INFO }, { "debug", DP_LOG_DEBUG },
	};
	char *end;
	long v;
	size_t i;

	if (str == NULL || *str == '\0')
		return -EINVAL;
	for (i = 0; i < DP_DIM(aliases); i++)
		if (strcasecmp(str, aliases[i].name) == 0)
			return aliases[i].level;
	errno = 0;
	v = strtol(str, &end, 10);
	if (errno != 0 || *end != '\0' || !level_valid((int)v))
		return -EINVAL;
	return (int)v;
}

/* The last matching pattern wins, as the user typed them in order. */
static int
pattern_level_for(const char *name, int fallback)
{
	int level = fallback;
	int i;

	for (i = 0; i < logs.nb_patterns; i++)
		if (fnmatch(logs.patterns[i].pattern, name, 0) == 0)
			level = logs.patterns[i].level;
	return level;
}

int
dp_log_register(const char *name, int default_level)
{
	int i, id;

	if (name == NULL || *name == '\0' || strlen(name) >= DP_LOG_NAME_MAX ||
	    !level_valid(default_level))
		return -EINVAL;

	pthread_mutex_lock(&logs.lock);
	for (i = 0; i < logs.nb_types; i++) {
		if (strcmp(logs.types[i].name, name) == 0) {
			pthread_mutex_unlock(&logs.lock);
			return i;
		}
	}
	if (logs.nb_types == DP_LOG_MAX_TYPES) {
		pthread_mutex_unlock(&logs.lock);
		return -ENOSPC;
	}
	id = logs.nb_types;
	strcpy(logs.types[id].name, name);
	logs.types[id].level = pattern_level_for(name, default_level);
	logs.nb_types++;
	pthread_mutex_unlock(&logs.lock);
	return id;
}

int
dp_log_lookup(const char *name)
{
	int i, found = -ENOENT;

	if (name == NULL)
		return -EINVAL;
	pthread_mutex_lock(&logs.lock);
	for (i = 0; i < logs.nb_types; i++) {
		if (strcmp(logs.types[i].name, name) == 0) {
			found = i;
			break;
		}
	}
	pthread_mutex_unlock(&logs.lock);
	return found;
}

int
dp_log_set_level(int logtype, int level)
{
	if (logtype < 0 || logtype >= logs.nb_types || !level_valid(level))
		return -EINVAL;
	__atomic_store_n(&logs.types[logtype].level, level, __ATOMIC_RELAXED);
	return 0;
}

int
dp_log_get_level(int logtype)
{
	if (logtype < 0 || logtype >= logs.nb_types)
		return -EINVAL;
	return __atomic_load_n(&logs.types[logtype].level, __ATOMIC_RELAXED);
}

int
dp_log_set_level_pattern(const char *pattern, int level)
{
	int i, matched = 0;

	if (pattern == NULL || *pattern == '\0' ||
	    strlen(pattern) >= sizeof(logs.patterns[0].pattern) ||
	    !level_valid(level))
		return -EINVAL;

	pthread_mutex_lock(&logs.lock);
	/* "*" supersedes everything said before it: forget older patterns. */
	if (strcmp(pattern, "*") == 0)
		logs.nb_patterns = 0;
	if (logs.nb_patterns == LOG_MAX_PATTERNS) {
		/* Drop the oldest; the newest setting must take effect. */
		memmove(&logs.patterns[0], &logs.patterns[1],
			sizeof(logs.patterns[0]) * (LOG_MAX_PATTERNS - 1));
		logs.nb_patterns--;
	}
	strcpy(logs.patterns[logs.nb_patterns].pattern, pattern);
	logs.patterns[logs.nb_patterns].level = level;
	logs.nb_patterns++;
	for (i = 0; i < logs.nb_types; i++) {
		if (fnmatch(pattern, logs.types[i].name, 0) == 0) {
			__atomic_store_n(&logs.types[i].level, level,
				__ATOMIC_RELAXED);
			matched++;
		}
	}
	pthread_mutex_unlock(&logs.lock);
	return matched;
}

int
dp_log_set_global_level(int level)
{
	int rc = dp_log_set_level_pattern("*", level);

	return rc < 0 ? rc : 0;
}

bool
dp_log_can_log(int logtype, int level)
{
	if (logtype < 0 || logtype >= DP_LOG_MAX_TYPES)
		logtype = DP_LOGTYPE_DEFAULT;
	return level <= __atomic_load_n(&logs.types[logtype].level,
		__ATOMIC_RELAXED);
}

void
dp_log_set_stream(FILE *stream)
{
	pthread_mutex_lock(&logs.lock);
	logs.stream = stream;
	logs.cb = NULL;
	logs.cb_arg = NULL;
	pthread_mutex_unlock(&logs.lock);
}

FILE *
dp_log_get_stream(void)
{
	FILE *f;

	pthread_mutex_lock(&logs.lock);
	f = logs.cb != NULL ? NULL : (logs.stream ? logs.stream : stderr);
	pthread_mutex_unlock(&logs.lock);
	return f;
}

void
dp_log_set_callback(dp_log_callback_t cb, void *arg)
{
	pthread_mutex_lock(&logs.lock);
	logs.cb = cb;
	logs.cb_arg = arg;
	logs.stream = NULL;
	pthread_mutex_unlock(&logs.lock);
}

int
dp_vlog(int level, int logtype, const char *fmt, va_list ap)
{
	char msg[1024];
	const char *component;
	FILE *out;
	int len;

	if (fmt == NULL || !level_valid(level))
		return -EINVAL;
	if (logtype < 0 || logtype >= logs.nb_types)
		logtype = DP_LOGTYPE_DEFAULT;
	if (!dp_log_can_log(logtype, level))
		return 1;

	len = vsnprintf(msg, sizeof(msg), fmt, ap);
	if (len < 0)
		return -EINVAL;
	if ((size_t)len >= sizeof(msg))
		len = sizeof(msg) - 1;
	/* One line per message whatever the caller wrote at the end. */
	while (len > 0 && msg[len - 1] == '\n')
		msg[--len] = '\0';

	component = logs.types[logtype].name;
	pthread_mutex_lock(&logs.lock);
	if (logs.cb != NULL) {
		logs.cb(level, component, msg, logs.cb_arg);
	} else {
		out = logs.stream ? logs.stream : stderr;
		if (level <= DP_LOG_WARNING)
			fprintf(out, "%s: %s: %s\n", component,
				dp_log_level_name(level), msg);
		else
			fprintf(out, "%s: %s\n", component, msg);
		fflush(out);
	}
	pthread_mutex_unlock(&logs.lock);
	return 0;
}

int
dp_log(int level, int logtype, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = dp_vlog(level, logtype, fmt, ap);
	va_end(ap);
	return rc;
}

void
dp_log_dump(FILE *f)
{
	int i;

	if (f == NULL)
		f = stderr;
	pthread_mutex_lock(&logs.lock);
	for (i = 0; i < logs.nb_types; i++)
		fprintf(f, "  %-24s %s\n", logs.types[i].name,
			dp_log_level_name(logs.types[i].level));
	pthread_mutex_unlock(&logs.lock);
}

/* Internal: a block of text (the usage) to wherever log lines go. */
void eal_log_text(const char *text);

void
eal_log_text(const char *text)
{
	FILE *out;

	pthread_mutex_lock(&logs.lock);
	if (logs.cb != NULL) {
		logs.cb(DP_LOG_NOTICE, logs.types[DP_LOGTYPE_DEFAULT].name, text,
			logs.cb_arg);
	} else {
		out = logs.stream ? logs.stream : stderr;
		fputs(text, out);
		fflush(out);
	}
	pthread_mutex_unlock(&logs.lock);
}
