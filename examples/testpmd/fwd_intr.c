/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * --rx-intr: a forwarding lcore that finds nothing to receive goes to
 * sleep on the RX interrupts of its queues, the l3fwd-power way: arm,
 * poll once more (a packet may have come just before the arming and
 * raised no interrupt), sleep, disarm, poll again. Only the lcore that
 * owns the streams calls this.
 */

#include <errno.h>
#include <unistd.h>
#include <sys/epoll.h>

#include "fwd.h"

/* Forget interrupts that fired while the lcore was polling anyway. */
static void
drain(const struct fwd_intr *in, unsigned int n)
{
	uint64_t count;
	unsigned int i;

	for (i = 0; i < n; i++)
		while (read(in->fds[i], &count, sizeof(count)) > 0)
			;
}

static void
set_armed(struct fwd_lcore *fc, bool on)
{
	unsigned int i;

	for (i = 0; i < fc->nb_streams; i++) {
		const struct fwd_stream *fs = fc->streams[i];

		if (on)
			dp_eth_dev_rx_intr_enable(fs->rx_port, fs->rx_queue);
		else
			dp_eth_dev_rx_intr_disable(fs->rx_port, fs->rx_queue);
	}
	fc->intr->armed = on;
}

void
fwd_intr_after_pass(struct fwd_lcore *fc, uint32_t got)
{
	struct fwd_intr *in = fc->intr;
	struct epoll_event ev[16];
	int n;

	if (in->armed) {
		/* This was the re-check after arming. */
		if (got == 0 && !__atomic_load_n(&fc->stop, __ATOMIC_RELAXED)) {
			in->sleeps++;
			do {
				n = epoll_wait(in->epfd, ev, (int)DP_DIM(ev),
					FWD_SLEEP_MS);
			} while (n < 0 && errno == EINTR);
			if (n > 0)
				in->wakeups++;
		}
		set_armed(fc, false);
		drain(in, fc->nb_streams);
		in->idle = 0;
		return;
	}
	if (got != 0) {
		in->idle = 0;
		return;
	}
	if (++in->idle < FWD_IDLE_PASSES)
		return;
	drain(in, fc->nb_streams);
	set_armed(fc, true);
}
