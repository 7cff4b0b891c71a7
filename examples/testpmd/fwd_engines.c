/* SPDX-License-Identifier: BSD-3-Clause */
/* The list of forwarding engines and lookups by name. */

#include <stdio.h>
#include <string.h>

#include "fwd.h"

const struct fwd_engine *const fwd_engines[] = {
	&fwd_engine_io,
	&fwd_engine_mac,
	&fwd_engine_macswap,
	&fwd_engine_rxonly,
	&fwd_engine_txonly,
	&fwd_engine_flowgen,
	NULL,
};

const struct fwd_engine *
fwd_engine_find(const char *name)
{
	unsigned int i;

	for (i = 0; fwd_engines[i] != NULL; i++)
		if (strcmp(fwd_engines[i]->name, name) == 0)
			return fwd_engines[i];
	return NULL;
}

const char *
fwd_engine_names(char *buf, size_t size)
{
	size_t off = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; fwd_engines[i] != NULL && off < size; i++)
		off += (size_t)snprintf(buf + off, size - off, "%s%s",
			i ? ", " : "", fwd_engines[i]->name);
	return buf;
}
