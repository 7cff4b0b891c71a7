/* SPDX-License-Identifier: BSD-3-Clause */
/* key=value argument lists for devices: parsing, lookup, typed getters. */

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <dp_kvargs.h>
#include <dp_log.h>

DP_LOG_REGISTER(kvargs, "kvargs", INFO);

static bool
key_valid(const char *key, const char *const valid_keys[])
{
	if (valid_keys == NULL)
		return true;
	for (; *valid_keys; valid_keys++)
		if (strcmp(*valid_keys, key) == 0)
			return true;
	return false;
}

static void
log_unknown_key(const char *who, const char *key, const char *const valid[])
{
	char list[256];
	size_t off = 0;

	list[0] = '\0';
	for (; *valid && off < sizeof(list); valid++)
		off += snprintf(list + off, sizeof(list) - off, "%s%s",
			off ? ", " : "", *valid);
	DP_LOG(ERR, kvargs, "%s: unknown argument '%s' (valid: %s)",
		who ? who : "device", key, list[0] ? list : "none");
}

struct dp_kvargs *
dp_kvargs_parse(const char *args, const char *const valid_keys[],
	const char *who)
{
	struct dp_kvargs *kv;
	char *p, *tok;

	kv = calloc(1, sizeof(*kv));
	if (kv == NULL) {
		dp_errno = ENOMEM;
		return NULL;
	}
	snprintf(kv->who, sizeof(kv->who), "%s", who ? who : "device");
	kv->str = strdup(args ? args : "");
	if (kv->str == NULL) {
		free(kv);
		dp_errno = ENOMEM;
		return NULL;
	}
	p = kv->str;
	while (*kv->str != '\0' && (tok = strsep(&p, ",")) != NULL) {
		char *eq = strchr(tok, '=');

		if (eq != NULL)
			*eq = '\0';
		if (*tok == '\0') {
			DP_LOG(ERR, kvargs, "%s: argument with an empty key in '%s'",
				who ? who : "device", args);
			goto bad;
		}
		if (!key_valid(tok, valid_keys)) {
			log_unknown_key(who, tok, valid_keys);
			goto bad;
		}
		if (kv->count == DP_KVARGS_MAX) {
			DP_LOG(ERR, kvargs, "%s: more than %d arguments",
				who ? who : "device", DP_KVARGS_MAX);
			goto bad;
		}
		kv->pairs[kv->count].key = tok;
		kv->pairs[kv->count].value = eq ? eq + 1 : tok + strlen(tok);
		kv->count++;
	}
	return kv;
bad:
	dp_kvargs_free(kv);
	dp_errno = EINVAL;
	return NULL;
}

void
dp_kvargs_free(struct dp_kvargs *kv)
{
	if (kv == NULL)
		return;
	free(kv->str);
	free(kv);
}

unsigned int
dp_kvargs_count(const struct dp_kvargs *kv, const char *key)
{
	unsigned int i, n = 0;

	if (kv == NULL)
		return 0;
	for (i = 0; i < kv->count; i++)
		if (key == NULL || strcmp(kv->pairs[i].key, key) == 0)
			n++;
	return n;
}

const char *
dp_kvargs_get(const struct dp_kvargs *kv, const char *key)
{
	const char *v = NULL;
	unsigned int i;

	if (kv == NULL || key == NULL)
		return NULL;
	for (i = 0; i < kv->count; i++)
		if (strcmp(kv->pairs[i].key, key) == 0)
			v = kv->pairs[i].value;
	return v;
}

int
dp_kvargs_process(const struct dp_kvargs *kv, const char *key,
	int (*handler)(const char *key, const char *value, void *opaque),
	void *opaque)
{
	unsigned int i;
	int rc;

	if (kv == NULL || handler == NULL)
		return -EINVAL;
	for (i = 0; i < kv->count; i++) {
		if (key != NULL && strcmp(kv->pairs[i].key, key) != 0)
			continue;
		rc = handler(kv->pairs[i].key, kv->pairs[i].value, opaque);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int
dp_kvargs_get_u64(const struct dp_kvargs *kv, const char *key, uint64_t min,
	uint64_t max, uint64_t *out)
{
	const char *v = dp_kvargs_get(kv, key);
	unsigned long long x;
	char *end;

	if (v == NULL)
		return 0;
	errno = 0;
	x = isdigit((unsigned char)*v) ? strtoull(v, &end, 0) : 0;
	if (!isdigit((unsigned char)*v) || errno != 0 || *end != '\0' ||
	    x < min || x > max) {
		DP_LOG(ERR, kvargs, "%s: %s=%s: expected a number from %llu "
			"to %llu", kv->who, key, v, (unsigned long long)min, (unsigned long long)max);
		return -EINVAL;
	}
	*out = x;
	return 0;
}

int
dp_kvargs_get_bool(const struct dp_kvargs *kv, const char *key, bool *out)
{
	static const char *const yes[] = { "", "1", "true", "yes", "on" };
	static const char *const no[] = { "0", "false", "no", "off" };
	const char *v = dp_kvargs_get(kv, key);
	size_t i;

	if (v == NULL)
		return 0;
	for (i = 0; i < DP_DIM(yes); i++)
		if (strcasecmp(v, yes[i]) == 0) {
			*out = true;
			return 0;
		}
	for (i = 0; i < DP_DIM(no); i++)
		if (strcasecmp(v, no[i]) == 0) {
			*out = false;
			return 0;
		}
	DP_LOG(ERR, kvargs, "%s: %s=%s: expected 0/1, true/false, yes/no or "
		"on/off", kv->who, key, v);
	return -EINVAL;
}
