/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DP_INTERRUPTS_H
#define DP_INTERRUPTS_H

/**
 * @file
 * Interrupts (driver SDK and applications).
 *
 * A device's interrupts reach user space as file descriptors: an eventfd
 * per vector under VFIO, the /dev/uioN counter under UIO. The bus fills a
 * struct dp_intr_handle for each device it hands to a driver; the driver
 * uses the functions here and never touches VFIO or UIO itself.
 *
 * Two ways to wait:
 *  - Callbacks (link state, mailbox, errors): dp_intr_callback_register()
 *    puts the handle's vector-0 fd into the epoll set of one interrupt
 *    thread ("dp-intr"), started on first use and stopped by
 *    dp_eal_cleanup(). When the fd fires, the thread consumes the event
 *    (the 8-byte eventfd count, or the 4-byte UIO count) and calls the
 *    callbacks of that fd, one at a time. Callbacks must not block for
 *    long: they delay every other interrupt.
 *  - Per-queue event fds (RX interrupts): dp_intr_efd_enable() gives a
 *    vector per queue, each with its own eventfd, that the application
 *    puts into its own epoll set, so that an lcore can sleep until its
 *    queue has packets and go back to polling then.
 *
 * Vector 0 is always the "other causes" vector (link state, ...); queue q
 * uses vector q + 1 (MSI-X only).
 */

#include <stdbool.h>
#include <stdint.h>

#include <dp_common.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Most per-queue event fds a handle can carry. */
#define DP_INTR_MAX_EFD 32

/** Passed as @p arg to dp_intr_callback_unregister(): match any argument. */
#define DP_INTR_ANY_ARG ((void *)-1)

/** What is behind a handle's file descriptor. */
enum dp_intr_type {
	DP_INTR_TYPE_NONE = 0,	/**< no interrupt (device has none, or not set up) */
	DP_INTR_TYPE_EXT,	/**< any fd: the callback consumes the event itself */
	DP_INTR_TYPE_VFIO_INTX,	/**< VFIO legacy INTx: masked after each event until dp_intr_ack() */
	DP_INTR_TYPE_VFIO_MSI,	/**< VFIO MSI, one vector */
	DP_INTR_TYPE_VFIO_MSIX,	/**< VFIO MSI-X, one vector per eventfd */
	DP_INTR_TYPE_UIO,	/**< /dev/uioN: INTx, masked until dp_intr_ack() */
};

struct dp_intr_handle;

/** What a bus does for its handles (filled by the bus, not by drivers). */
struct dp_intr_ops {
	/** Route the vectors to the handle's fds and unmask them. */
	int (*enable)(struct dp_intr_handle *h);
	/** Stop delivering interrupts. */
	int (*disable)(struct dp_intr_handle *h);
	/** Unmask a level-triggered interrupt after it was handled. */
	int (*ack)(struct dp_intr_handle *h);
};

/**
 * A device's interrupts. Filled by the bus; a driver reads it and passes
 * it to the functions below.
 */
struct dp_intr_handle {
	enum dp_intr_type type;	/**< kind of source */
	int fd;			/**< readable when vector 0 fires; -1 if none */
	unsigned int max_vectors;	/**< vectors the device offers (1 for INTx/MSI) */
	unsigned int nb_efd;	/**< per-queue event fds in use (dp_intr_efd_enable()) */
	int efds[DP_INTR_MAX_EFD];	/**< eventfd of queue q is efds[q] (vector q + 1) */
	bool enabled;		/**< dp_intr_enable() done and not undone */
	const struct dp_intr_ops *ops;	/**< bus operations; NULL for DP_INTR_TYPE_EXT */
	void *bus_priv;		/**< the bus's per-device state */
};

/**
 * Interrupt callback, run on the interrupt thread.
 *
 * @param h
 *   The handle that fired.
 * @param arg
 *   What was given at registration.
 */
typedef void (*dp_intr_callback_t)(struct dp_intr_handle *h, void *arg);

/**
 * Call @p cb on the interrupt thread whenever @p h's vector-0 fd fires.
 * Several callbacks may be registered on one handle; they run in
 * registration order. Starts the interrupt thread if it is not running.
 *
 * @return
 *   0; -EINVAL (NULL argument, or a handle without fd); -EEXIST (the same
 *   callback and argument twice); -ENOSPC (too many callbacks on one fd);
 *   -ENOMEM; or the error of epoll_ctl()/pthread_create().
 */
int dp_intr_callback_register(struct dp_intr_handle *h, dp_intr_callback_t cb,
	void *arg);

/**
 * Remove callbacks of @p h. From any thread but the interrupt thread, it
 * returns only once none of the removed callbacks is running, so @p arg
 * may be freed afterwards. From inside a callback it takes effect when the
 * callback returns.
 *
 * @param cb
 *   The callback to remove.
 * @param arg
 *   Its argument, or DP_INTR_ANY_ARG for every registration of @p cb.
 * @return
 *   The number of callbacks removed (> 0), or -ENOENT / -EINVAL.
 */
int dp_intr_callback_unregister(struct dp_intr_handle *h,
	dp_intr_callback_t cb, void *arg);

/**
 * Remove every callback of @p h, waiting (from any other thread) for a
 * running one to return. The bus calls it when it closes a device, so that
 * a driver's forgotten registration cannot outlive the handle.
 *
 * @return
 *   The number of callbacks removed (0 if none), or -EINVAL.
 */
int dp_intr_callback_unregister_all(struct dp_intr_handle *h);

/**
 * Start delivering the device's interrupts to its fds (vector 0 and, after
 * dp_intr_efd_enable(), one per queue). The device itself must also be
 * told to raise them (its interrupt mask registers).
 *
 * @return
 *   0, -ENOTSUP for a handle without interrupts, or the bus's error.
 */
int dp_intr_enable(struct dp_intr_handle *h);

/**
 * Stop delivering the device's interrupts.
 *
 * @return
 *   0, -ENOTSUP, or the bus's error.
 */
int dp_intr_disable(struct dp_intr_handle *h);

/**
 * Unmask a level-triggered interrupt (VFIO INTx, UIO) once its cause has
 * been cleared in the device. A no-op for MSI and MSI-X.
 *
 * @return
 *   0, -ENOTSUP, or the bus's error.
 */
int dp_intr_ack(struct dp_intr_handle *h);

/**
 * Create one eventfd per queue (vectors 1..@p nb_efd). Takes effect at the
 * next dp_intr_enable() (or at once if interrupts are enabled).
 *
 * @return
 *   0; -ENOTSUP when the device has a single vector (INTx, MSI, UIO: RX
 *   interrupts need MSI-X); -EINVAL when @p nb_efd is 0, above
 *   DP_INTR_MAX_EFD or above what the device offers (logged); -EBUSY when
 *   event fds already exist; -errno of eventfd().
 */
int dp_intr_efd_enable(struct dp_intr_handle *h, unsigned int nb_efd);

/**
 * Close the per-queue event fds (and stop their vectors if interrupts are
 * enabled).
 */
void dp_intr_efd_disable(struct dp_intr_handle *h);

/**
 * The event fd of queue @p queue, to put into the application's own epoll
 * set (EPOLLIN).
 *
 * @return
 *   The fd, or -EINVAL.
 */
int dp_intr_efd_get(const struct dp_intr_handle *h, unsigned int queue);

/**
 * Consume the pending events of queue @p queue's event fd (after epoll
 * reported it readable), so the next epoll_wait() sleeps again.
 *
 * @return
 *   The number of interrupts since the last call (0 if none), or -EINVAL.
 */
int64_t dp_intr_efd_clear(const struct dp_intr_handle *h, unsigned int queue);

/** Is the caller the interrupt thread? */
bool dp_intr_thread_is_current(void);

#ifdef __cplusplus
}
#endif

#endif /* DP_INTERRUPTS_H */
