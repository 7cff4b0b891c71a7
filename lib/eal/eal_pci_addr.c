/* SPDX-License-Identifier: BSD-3-Clause */
/* PCI address parsing and formatting ("0000:01:00.0" and "01:00.0"). */

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <dp_pci_addr.h>

/* Exactly @p ndigits hex digits (1..ndigits), advancing *p. */
static int
hex_field(const char **p, int maxdigits, unsigned long *out)
{
	unsigned long v = 0;
	int n = 0;

	while (isxdigit((unsigned char)**p) && n < maxdigits) {
		char c = (char)tolower((unsigned char)**p);

		v = v * 16 + (unsigned long)(isdigit((unsigned char)c) ? c - '0' : c - 'a' + 10);
		(*p)++;
		n++;
	}
	if (n == 0 || isxdigit((unsigned char)**p))
		return -EINVAL;
	*out = v;
	return 0;
}

int
dp_pci_addr_parse(const char *str, struct dp_pci_addr *addr)
{
	unsigned long f1, f2, dev, fn, domain = 0, bus;
	const char *p = str;

	if (str == NULL || addr == NULL)
		return -EINVAL;
	if (hex_field(&p, 4, &f1) != 0 || *p++ != ':')
		return -EINVAL;
	if (hex_field(&p, 2, &f2) != 0)
		return -EINVAL;
	if (*p == ':') {		/* domain:bus:dev.fn */
		p++;
		domain = f1;
		bus = f2;
		if (hex_field(&p, 2, &dev) != 0)
			return -EINVAL;
	} else {			/* bus:dev.fn */
		if (f1 > 0xff)
			return -EINVAL;
		bus = f1;
		dev = f2;
	}
	if (*p++ != '.' || hex_field(&p, 1, &fn) != 0 || *p != '\0')
		return -EINVAL;
	if (dev > 31 || fn > 7)
		return -EINVAL;
	addr->domain = (uint32_t)domain;
	addr->bus = (uint8_t)bus;
	addr->devid = (uint8_t)dev;
	addr->function = (uint8_t)fn;
	return 0;
}

void
dp_pci_addr_format(const struct dp_pci_addr *addr, char *buf, size_t size)
{
	snprintf(buf, size, "%04x:%02x:%02x.%x", addr->domain, addr->bus,
		addr->devid, addr->function);
}

int
dp_pci_addr_cmp(const struct dp_pci_addr *a, const struct dp_pci_addr *b)
{
	uint64_t ka = ((uint64_t)a->domain << 24) | (a->bus << 16) |
		(a->devid << 8) | a->function;
	uint64_t kb = ((uint64_t)b->domain << 24) | (b->bus << 16) |
		(b->devid << 8) | b->function;

	return ka < kb ? -1 : ka > kb;
}
