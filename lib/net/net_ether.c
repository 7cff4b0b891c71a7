/* SPDX-License-Identifier: BSD-3-Clause */
/* MAC address text conversion and random addresses. */

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <dp_ether.h>

void
dp_ether_format_addr(char *buf, size_t size, const struct dp_ether_addr *ea)
{
	const uint8_t *b = ea->addr_bytes;

	snprintf(buf, size, "%02x:%02x:%02x:%02x:%02x:%02x",
		b[0], b[1], b[2], b[3], b[4], b[5]);
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int
dp_ether_unformat_addr(const char *str, struct dp_ether_addr *ea)
{
	uint8_t out[DP_ETHER_ADDR_LEN];
	int i, hi, lo;
	size_t len;

	if (str == NULL || ea == NULL)
		return -EINVAL;
	/* The length first: every index below stays inside the string. */
	len = strnlen(str, 18);
	if (len != 14 && len != 17)
		return -EINVAL;
	/* Cisco style: xxxx.xxxx.xxxx */
	if (len == 14) {
		if (str[4] != '.' || str[9] != '.')
			return -EINVAL;
		for (i = 0; i < DP_ETHER_ADDR_LEN; i++) {
			const char *p = str + (i / 2) * 5 + (i % 2) * 2;

			hi = hexval(p[0]);
			lo = hexval(p[1]);
			if (hi < 0 || lo < 0)
				return -EINVAL;
			out[i] = (uint8_t)(hi << 4 | lo);
		}
		memcpy(ea->addr_bytes, out, sizeof(out));
		return 0;
	}
	for (i = 0; i < DP_ETHER_ADDR_LEN; i++) {
		const char *p = str + i * 3;

		hi = hexval(p[0]);
		lo = hexval(p[1]);
		if (hi < 0 || lo < 0)
			return -EINVAL;
		if (i < DP_ETHER_ADDR_LEN - 1 ? (p[2] != ':' && p[2] != '-' ) :
		    p[2] != '\0')
			return -EINVAL;
		if (i > 0 && p[-1] != str[2])	/* one separator throughout */
			return -EINVAL;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	memcpy(ea->addr_bytes, out, sizeof(out));
	return 0;
}

void
dp_eth_random_addr(struct dp_ether_addr *ea)
{
	if (getrandom(ea->addr_bytes, DP_ETHER_ADDR_LEN, 0) != DP_ETHER_ADDR_LEN) {
		for (int i = 0; i < DP_ETHER_ADDR_LEN; i++)
			ea->addr_bytes[i] = (uint8_t)random();
	}
	ea->addr_bytes[0] &= (uint8_t)~0x01;	/* unicast */
	ea->addr_bytes[0] |= 0x02;		/* locally administered */
}
