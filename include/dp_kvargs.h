/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DP_KVARGS_H
#define DP_KVARGS_H

/**
 * @file
 * Parsing of "key=value,key=value" device arguments (the part after the
 * device name in --vdev and -a). Drivers list the keys they accept; an
 * unknown key or a malformed pair is refused with a message that names it
 * and lists the valid keys.
 */

#include <dp_common.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Most pairs in one argument string. */
#define DP_KVARGS_MAX 32

/** One key=value pair (both NUL-terminated copies). */
struct dp_kvargs_pair {
	char *key;	/**< the key */
	char *value;	/**< the value; "" for a bare key */
};

/** A parsed argument string. */
struct dp_kvargs {
	char who[64];	/**< device name for messages ("device" if none) */
	char *str;	/**< private copy the pairs point into */
	unsigned int count;	/**< number of pairs */
	struct dp_kvargs_pair pairs[DP_KVARGS_MAX];	/**< in order */
};

/**
 * Parse @p args.
 *
 * @param args
 *   "k=v,k2=v2" ("" or NULL gives an empty list). A key without "=" is
 *   allowed and has the value "".
 * @param valid_keys
 *   NULL-terminated list of accepted keys, or NULL to accept any key.
 * @param who
 *   Name used in error messages (the device name), may be NULL.
 * @return
 *   The list (free with dp_kvargs_free()), or NULL with dp_errno = EINVAL
 *   (logged: which key was unknown or which pair malformed) or ENOMEM.
 */
struct dp_kvargs *dp_kvargs_parse(const char *args,
	const char *const valid_keys[], const char *who);

/** Free a list from dp_kvargs_parse(); NULL is ignored. */
void dp_kvargs_free(struct dp_kvargs *kv);

/** Number of pairs with @p key (all pairs if @p key is NULL). */
unsigned int dp_kvargs_count(const struct dp_kvargs *kv, const char *key);

/**
 * Value of the last pair with @p key.
 *
 * @return
 *   The value, or NULL if the key is absent.
 */
const char *dp_kvargs_get(const struct dp_kvargs *kv, const char *key);

/**
 * Call @p handler for every pair with @p key (every pair if NULL), in order.
 *
 * @return
 *   0, or the first negative value a handler returned (iteration stops).
 */
int dp_kvargs_process(const struct dp_kvargs *kv, const char *key,
	int (*handler)(const char *key, const char *value, void *opaque),
	void *opaque);

/**
 * Read an unsigned number (decimal or 0x hex) for @p key.
 *
 * @param out
 *   Left unchanged when the key is absent (so it can hold the default).
 * @return
 *   0 (also when absent), or -EINVAL when the value is not a number in
 *   [@p min, @p max] (logged with the device name, key and range).
 */
int dp_kvargs_get_u64(const struct dp_kvargs *kv, const char *key,
	uint64_t min, uint64_t max, uint64_t *out);

/**
 * Read a boolean for @p key: 1/0, true/false, yes/no, on/off; a bare key
 * means true.
 *
 * @return
 *   0 (also when absent), or -EINVAL (logged).
 */
int dp_kvargs_get_bool(const struct dp_kvargs *kv, const char *key, bool *out);

#ifdef __cplusplus
}
#endif

#endif /* DP_KVARGS_H */
