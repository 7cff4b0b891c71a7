/* SPDX-License-Identifier: BSD-3-Clause */
/* dp_errno storage and dp_strerror(): errno texts plus dpkit's own codes. */

#include <stdio.h>
#include <string.h>

#include <dp_common.h>

__thread int per_lcore_dp_errno;

static const char *const dp_error_texts[] = {
	[DP_EHELP - DP_ERRNO_BASE] = "help requested (usage printed)",
	[DP_ENOPRIMARY - DP_ERRNO_BASE] = "no primary process",
};

const char *
dp_strerror(int errnum)
{
	static __thread char buf[128];

	if (errnum < 0)
		errnum = -errnum;
	if (errnum > DP_ERRNO_BASE && errnum < DP_ERRNO_MAX)
		return dp_error_texts[errnum - DP_ERRNO_BASE];
	/* strerror_r (GNU) may return a static string rather than fill buf. */
	return strerror_r(errnum, buf, sizeof(buf));
}
