/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * DMA mapping of EAL memory into a VFIO container: every memseg when the
 * container gets its IOMMU, later ones through the memory-event hook, all
 * of them undone at cleanup. IOVA is whatever the EAL recorded in the
 * memseg: the virtual address in VA mode, the physical one in PA mode.
 *
 * Pinning counts against RLIMIT_MEMLOCK unless the process has
 * CAP_IPC_LOCK; the limit is checked against the memory to map first, so
 * the user gets one line naming the fix instead of an ENOMEM halfway.
 */

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <linux/capability.h>

#include <dp_memory.h>

#include "vfio_private.h"

static bool
has_cap_ipc_lock(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
		.pid = 0,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	if (syscall(SYS_capget, &hdr, data) != 0)
		return false;
	return (data[CAP_IPC_LOCK / 32].effective >> (CAP_IPC_LOCK % 32)) & 1;
}

/* Bytes this process has locked already (VmLck), 0 if unknown. */
static uint64_t
locked_bytes(void)
{
	unsigned long long kb = 0;
	char line[128];
	FILE *f;

	f = fopen("/proc/self/status", "re");
	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmLck: %llu kB", &kb) == 1)
			break;
	fclose(f);
	return (uint64_t)kb << 10;
}

/* RLIMIT_MEMLOCK's soft limit in bytes (RLIM_INFINITY if unknown). */
static uint64_t
memlock_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_MEMLOCK, &rl) != 0)
		return (uint64_t)RLIM_INFINITY;
	return (uint64_t)rl.rlim_cur;
}

int
vfio_memlock_check(uint64_t need, uint64_t limit, uint64_t locked,
	bool cap_ipc_lock)
{
	if (cap_ipc_lock || limit == (uint64_t)RLIM_INFINITY)
		return 0;
	if (locked <= limit && need <= limit - locked)
		return 0;
	DP_LOG(ERR, bus_vfio, "cannot pin %" PRIu64 " kB of memory for DMA: "
		"the locked-memory limit (RLIMIT_MEMLOCK) is %" PRIu64 " kB and "
		"%" PRIu64 " kB are locked already; raise it with "
		"'ulimit -l unlimited' in the shell that starts the program, a "
		"'<user> - memlock unlimited' line in /etc/security/limits.conf "
		"(LimitMEMLOCK=infinity for a systemd service), or run with "
		"CAP_IPC_LOCK", need >> 10, limit >> 10, locked >> 10);
	return -ENOMEM;
}

static int
memseg_sum(const struct dp_memseg *ms, void *arg)
{
	*(uint64_t *)arg += ms->len;
	return 0;
}

static int
memseg_map(const struct dp_memseg *ms, void *arg)
{
	struct vfio_container *c = arg;

	if (ms->iova == DP_BAD_IOVA) {
		DP_LOG(ERR, bus_vfio, "memory at %p has no IOVA: cannot map "
			"it for DMA", ms->addr);
		return -EINVAL;
	}
	return vfio_dma_map(c, (uint64_t)(uintptr_t)ms->addr, ms->iova,
		ms->len);
}

/* Can this process pin @p need more bytes? Logs the fix if not. */
static int
memlock_ok(uint64_t need)
{
	return vfio_memlock_check(need, memlock_limit(), locked_bytes(),
		has_cap_ipc_lock());
}

static void
mem_event(enum dp_mem_event ev, const struct dp_memseg *ms, void *arg)
{
	struct vfio_container *c = arg;

	/* Errors are logged by the callees; nobody to return them to. */
	if (ev == DP_MEM_EVENT_ALLOC) {
		if (memlock_ok(ms->len) == 0)
			memseg_map(ms, c);
	} else {
		vfio_dma_unmap(c, ms->iova, ms->len);
	}
}

int
vfio_mem_hook(struct vfio_container *c)
{
	uint64_t total = 0;
	int rc;

	if (c->mem_hooked || c->noiommu)
		return 0;
	dp_memseg_walk(memseg_sum, &total);
	rc = memlock_ok(total);
	if (rc < 0)
		return rc;
	rc = dp_memseg_walk(memseg_map, c);
	if (rc != 0) {
		while (c->dmas != NULL)
			vfio_dma_unmap(c, c->dmas->iova, c->dmas->len);
		return rc < 0 ? rc : -EIO;
	}
	rc = dp_mem_event_callback_register("vfio", mem_event, c);
	if (rc < 0) {
		DP_LOG(ERR, bus_vfio, "cannot follow memory events: %s",
			strerror(-rc));
		while (c->dmas != NULL)
			vfio_dma_unmap(c, c->dmas->iova, c->dmas->len);
		return rc;
	}
	c->mem_hooked = true;
	DP_LOG(INFO, bus_vfio, "%" PRIu64 " MB of EAL memory mapped for DMA "
		"(IOVA mode %s)", total >> 20,
		dp_iova_mode_name(dp_eal_iova_mode()));
	return 0;
}

void
vfio_mem_unhook(struct vfio_container *c)
{
	if (!c->mem_hooked)
		return;
	dp_mem_event_callback_unregister("vfio", c);
	c->mem_hooked = false;
}
