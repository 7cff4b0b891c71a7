/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DP_LOG_H
#define DP_LOG_H

/**
 * @file
 * Logging. Every component registers a log type with a name ("eal",
 * "ring", "bus.pci", "pmd.net.igb", ...) and a default level; messages
 * below the type's level are dropped before any formatting happens.
 * Levels are set per type with dp_log_set_level(), by glob pattern with
 * dp_log_set_level_pattern() or from the command line with
 * `--log-level=[pattern:]level`.
 *
 * Output goes to stderr unless the application supplies another stream or
 * a callback. The library never writes to stdout.
 *
 * Usage inside a component:
 * @code
 *   DP_LOG_REGISTER(ring, "ring", INFO);   // once, in one .c file
 *   extern int dp_logtype_ring;            // in the private header
 *   DP_LOG(ERR, ring, "ring '%s' already exists", name);
 * @endcode
 */

#include <stdio.h>
#include <stdarg.h>

#include <dp_common.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Log levels, most severe first (same values as syslog + 1). */
enum dp_log_level {
	DP_LOG_EMERG = 1,	/**< system is unusable */
	DP_LOG_ALERT = 2,	/**< action must be taken immediately */
	DP_LOG_CRIT = 3,	/**< critical condition */
	DP_LOG_ERR = 4,		/**< error: an operation failed */
	DP_LOG_WARNING = 5,	/**< something is wrong but work goes on */
	DP_LOG_NOTICE = 6,	/**< normal but significant */
	DP_LOG_INFO = 7,	/**< informational */
	DP_LOG_DEBUG = 8,	/**< debugging detail */
};

/** Largest number of log types that can be registered. */
#define DP_LOG_MAX_TYPES 128
/** Longest log type name, including the terminating NUL. */
#define DP_LOG_NAME_MAX 32
/** The catch-all log type (name "dpkit"), used before registration. */
#define DP_LOGTYPE_DEFAULT 0

/**
 * Callback that receives every message that passes the level filter.
 *
 * @param level
 *   Level of the message.
 * @param component
 *   Name of the log type.
 * @param msg
 *   The formatted message, without a trailing newline.
 * @param arg
 *   The pointer given to dp_log_set_callback().
 */
typedef void (*dp_log_callback_t)(int level, const char *component,
	const char *msg, void *arg);

/**
 * Register a log type, or find an existing one with the same name.
 *
 * Level settings made earlier by pattern (dp_log_set_level_pattern() or
 * --log-level) apply to the new type.
 *
 * @param name
 *   Name of the log type (at most DP_LOG_NAME_MAX - 1 characters).
 * @param default_level
 *   Level used when no setting matches.
 * @return
 *   The log type id (>= 0), or -EINVAL / -ENOSPC.
 */
int dp_log_register(const char *name, int default_level);

/**
 * Define the log type variable dp_logtype_<component> and register it
 * before main() runs.
 */
#define DP_LOG_REGISTER(component, name, level) \
	int dp_logtype_##component = DP_LOGTYPE_DEFAULT; \
	DP_INIT(dp_log_register_##component) \
	{ \
		int t_ = dp_log_register(name, DP_LOG_##level); \
		if (t_ >= 0) \
			dp_logtype_##component = t_; \
	}

/**
 * Log a message.
 *
 * @param level
 *   Level without prefix: ERR, WARNING, NOTICE, INFO, DEBUG, ...
 * @param component
 *   Suffix of the log type variable (dp_logtype_<component>).
 * @param ...
 *   printf-style format and arguments; a trailing newline is optional.
 */
#define DP_LOG(level, component, ...) \
	dp_log(DP_LOG_##level, dp_logtype_##component, __VA_ARGS__)

/**
 * Log a message with an explicit level and log type.
 *
 * @return
 *   0 if the message was written, 1 if it was filtered out, or a negative
 *   errno value on bad arguments.
 */
int dp_log(int level, int logtype, const char *fmt, ...)
	__dp_format_printf(3, 4);

/** Same as dp_log() with a va_list. */
int dp_vlog(int level, int logtype, const char *fmt, va_list ap)
	__dp_format_printf(3, 0);

/**
 * Would a message of @p level on @p logtype be written?
 *
 * @return
 *   true if yes.
 */
bool dp_log_can_log(int logtype, int level);

/**
 * Set the level of one log type.
 *
 * @return
 *   0, or -EINVAL for an unknown type or a level outside 1..8.
 */
int dp_log_set_level(int logtype, int level);

/**
 * Set the level of every log type whose name matches a glob pattern
 * (fnmatch(3): `*`, `?`, `[...]`), now and for types registered later.
 *
 * @return
 *   The number of already registered types that matched, or -EINVAL.
 */
int dp_log_set_level_pattern(const char *pattern, int level);

/** Set the level of every log type, now and later. Same as pattern "*". */
int dp_log_set_global_level(int level);

/**
 * Current level of a log type.
 *
 * @return
 *   The level, or -EINVAL for an unknown type.
 */
int dp_log_get_level(int logtype);

/**
 * Find a registered log type by exact name.
 *
 * @return
 *   The log type id, or -ENOENT.
 */
int dp_log_lookup(const char *name);

/**
 * Parse a level name ("err", "error", "warning", "info", "debug", ...) or
 * number ("1".."8").
 *
 * @return
 *   The level, or -EINVAL.
 */
int dp_log_parse_level(const char *str);

/** Name of a level ("error", "warning", ...); "unknown" when out of range. */
const char *dp_log_level_name(int level);

/**
 * Send messages to @p stream instead of stderr. NULL restores stderr.
 * Replaces any callback.
 */
void dp_log_set_stream(FILE *stream);

/** The stream log messages currently go to (NULL when a callback is set). */
FILE *dp_log_get_stream(void);

/**
 * Send messages to @p cb instead of a stream. NULL restores stderr.
 * The callback may be called from any thread, one message at a time.
 */
void dp_log_set_callback(dp_log_callback_t cb, void *arg);

/**
 * Print the registered log types and their levels.
 *
 * @param f
 *   Where to print (stderr if NULL).
 */
void dp_log_dump(FILE *f);

/** Catch-all log type variable, usable as DP_LOG(..., default, ...). */
extern int dp_logtype_default;

#ifdef __cplusplus
}
#endif

#endif /* DP_LOG_H */
