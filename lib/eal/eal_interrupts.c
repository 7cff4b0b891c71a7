/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Interrupts: the interrupt thread (one epoll set, callbacks run one at a
 * time), callback registration, and the calls a driver makes on a
 * device's handle (enable, disable, ack, per-queue event fds), which go to
 * the bus that filled the handle.
 *
 * The thread starts on the first registration, so a process that never
 * asks for an interrupt has no extra thread; dp_eal_cleanup() stops it.
 */

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>

#include <dp_interrupts.h>

#include "eal_private.h"

/* Callbacks on one fd; more is almost certainly a leak in the caller. */
#define INTR_MAX_CALLBACKS 16
#define INTR_MAX_EVENTS 16

struct intr_cb {
	struct intr_cb *next;
	dp_intr_callback_t fn;
	void *arg;
	bool removed;		/* unregistered; freed once not running */
};

/* One fd in the epoll set. */
struct intr_src {
	struct intr_src *next;
	struct dp_intr_handle *h;
	int fd;
	struct intr_cb *cbs;
	unsigned int nb_cbs;	/* not removed */
	bool active;		/* the thread is running its callbacks */
};

static struct {
	pthread_mutex_t lock;
	pthread_cond_t idle;	/* a source stopped being active */
	struct intr_src *srcs;
	int epfd;
	int wakefd;		/* wakes the thread to make it quit */
	pthread_t thread;
	bool running;
	bool quit;
} intr = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.idle = PTHREAD_COND_INITIALIZER,
	.epfd = -1,
	.wakefd = -1,
};

bool
dp_intr_thread_is_current(void)
{
	return __atomic_load_n(&intr.running, __ATOMIC_ACQUIRE) &&
		pthread_equal(pthread_self(), intr.thread);
}

static struct intr_src *
src_find(int fd)
{
	struct intr_src *s;

	for (s = intr.srcs; s; s = s->next)
		if (s->fd == fd)
			return s;
	return NULL;
}

/*
 * Free the removed callbacks of an idle source, and the source itself
 * when none is left. Called with the lock held.
 */
static void
src_purge(struct intr_src *src)
{
	struct intr_cb **pp, *cb;
	struct intr_src **sp;

	for (pp = &src->cbs; (cb = *pp) != NULL;) {
		if (cb->removed) {
			*pp = cb->next;
			free(cb);
		} else {
			pp = &cb->next;
		}
	}
	if (src->cbs != NULL)
		return;
	epoll_ctl(intr.epfd, EPOLL_CTL_DEL, src->fd, NULL);
	for (sp = &intr.srcs; *sp; sp = &(*sp)->next) {
		if (*sp == src) {
			*sp = src->next;
			break;
		}
	}
	free(src);
}

/* Consume the event that made @p h's fd readable. */
static void
intr_drain(const struct dp_intr_handle *h)
{
	uint64_t count;
	int32_t uio_count;
	ssize_t n;

	switch (h->type) {
	case DP_INTR_TYPE_VFIO_INTX:
	case DP_INTR_TYPE_VFIO_MSI:
	case DP_INTR_TYPE_VFIO_MSIX:
		n = read(h->fd, &count, sizeof(count));
		break;
	case DP_INTR_TYPE_UIO:
		/* UIO reads are exactly 4 bytes: the interrupt count. */
		n = read(h->fd, &uio_count, sizeof(uio_count));
		break;
	default:
		return;
	}
	if (n < 0 && errno != EAGAIN && errno != EINTR)
		DP_LOG(WARNING, eal, "reading interrupt fd %d: %s", h->fd,
			strerror(errno));
}

/* Run the callbacks of one source. Called and returns with the lock held. */
static void
intr_dispatch(struct intr_src *src, uint32_t events)
{
	struct dp_intr_handle *h = src->h;
	dp_intr_callback_t fn;
	struct intr_cb *cb;
	void *arg;

	src->active = true;
	if ((events & EPOLLIN) == 0) {
		/* EPOLLERR/EPOLLHUP without data: the fd is dead, stop watching. */
		DP_LOG(WARNING, eal, "interrupt fd %d reported an error; its "
			"callbacks will not run again", src->fd);
		epoll_ctl(intr.epfd, EPOLL_CTL_DEL, src->fd, NULL);
		for (cb = src->cbs; cb; cb = cb->next)
			cb->removed = true;
		src->nb_cbs = 0;
		goto done;
	}
	pthread_mutex_unlock(&intr.lock);
	intr_drain(h);
	pthread_mutex_lock(&intr.lock);
	/*
	 * Callbacks are not freed while the source is active, so the list
	 * can be walked across the unlocked calls.
	 */
	for (cb = src->cbs; cb; cb = cb->next) {
		if (cb->removed)
			continue;
		fn = cb->fn;
		arg = cb->arg;
		pthread_mutex_unlock(&intr.lock);
		fn(h, arg);
		pthread_mutex_lock(&intr.lock);
	}
done:
	src->active = false;
	src_purge(src);
	pthread_cond_broadcast(&intr.idle);
}

static void *
intr_thread_main(void *unused)
{
	struct epoll_event evs[INTR_MAX_EVENTS];
	struct intr_src *src;
	uint64_t v;
	int i, n;

	(void)unused;
	for (;;) {
		n = epoll_wait(intr.epfd, evs, INTR_MAX_EVENTS, -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			DP_LOG(ERR, eal, "interrupt thread: epoll_wait: %s; "
				"interrupts are no longer delivered",
				strerror(errno));
			return NULL;
		}
		for (i = 0; i < n; i++) {
			if (evs[i].data.fd == intr.wakefd) {
				if (read(intr.wakefd, &v, sizeof(v)) < 0)
					v = 0;
				pthread_mutex_lock(&intr.lock);
				if (intr.quit) {
					pthread_mutex_unlock(&intr.lock);
					return NULL;
				}
				pthread_mutex_unlock(&intr.lock);
				continue;
			}
			pthread_mutex_lock(&intr.lock);
			/* The fd may have been unregistered since epoll_wait. */
			src = src_find(evs[i].data.fd);
			if (src != NULL)
				intr_dispatch(src, evs[i].events);
			pthread_mutex_unlock(&intr.lock);
		}
	}
}

/* Start the thread. Called with the lock held. */
static int
intr_thread_start(void)
{
	struct epoll_event ev = { .events = EPOLLIN };
	pthread_attr_t attr;
	cpu_set_t cpus;
	int rc;

	intr.epfd = epoll_create1(EPOLL_CLOEXEC);
	if (intr.epfd < 0) {
		rc = -errno;
		DP_LOG(ERR, eal, "cannot create the interrupt epoll set: %s",
			strerror(-rc));
		return rc;
	}
	intr.wakefd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (intr.wakefd < 0) {
		rc = -errno;
		goto fail;
	}
	ev.data.fd = intr.wakefd;
	if (epoll_ctl(intr.epfd, EPOLL_CTL_ADD, intr.wakefd, &ev) < 0) {
		rc = -errno;
		goto fail;
	}
	pthread_attr_init(&attr);
	/*
	 * Keep the thread off the lcores' CPUs where possible: it runs on the
	 * CPUs the process had before dp_eal_init() pinned the main thread.
	 */
	if (eal_control_cpuset(&cpus) == 0)
		pthread_attr_setaffinity_np(&attr, sizeof(cpus), &cpus);
	intr.quit = false;
	rc = pthread_create(&intr.thread, &attr, intr_thread_main, NULL);
	pthread_attr_destroy(&attr);
	if (rc != 0) {
		rc = -rc;
		goto fail;
	}
	pthread_setname_np(intr.thread, "dp-intr");
	__atomic_store_n(&intr.running, true, __ATOMIC_RELEASE);
	return 0;
fail:
	DP_LOG(ERR, eal, "cannot start the interrupt thread: %s",
		strerror(-rc));
	if (intr.wakefd >= 0)
		close(intr.wakefd);
	close(intr.epfd);
	intr.wakefd = intr.epfd = -1;
	return rc;
}

int
dp_intr_callback_register(struct dp_intr_handle *h, dp_intr_callback_t cb,
	void *arg)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct intr_src *src;
	struct intr_cb *c, **tail;
	int rc;

	if (h == NULL || cb == NULL || h->fd < 0)
		return -EINVAL;
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return -ENOMEM;
	c->fn = cb;
	c->arg = arg;

	pthread_mutex_lock(&intr.lock);
	if (!intr.running) {
		rc = intr_thread_start();
		if (rc < 0)
			goto fail;
	}
	src = src_find(h->fd);
	if (src == NULL) {
		src = calloc(1, sizeof(*src));
		if (src == NULL) {
			rc = -ENOMEM;
			goto fail;
		}
		src->h = h;
		src->fd = h->fd;
		ev.data.fd = h->fd;
		if (epoll_ctl(intr.epfd, EPOLL_CTL_ADD, h->fd, &ev) < 0) {
			rc = -errno;
			DP_LOG(ERR, eal, "cannot watch interrupt fd %d: %s",
				h->fd, strerror(-rc));
			free(src);
			goto fail;
		}
		src->next = intr.srcs;
		intr.srcs = src;
	}
	for (tail = &src->cbs; *tail; tail = &(*tail)->next) {
		if (!(*tail)->removed && (*tail)->fn == cb &&
		    (*tail)->arg == arg) {
			rc = -EEXIST;
			goto fail;
		}
	}
	if (src->nb_cbs >= INTR_MAX_CALLBACKS) {
		DP_LOG(ERR, eal, "interrupt fd %d already has %u callbacks",
			h->fd, src->nb_cbs);
		rc = -ENOSPC;
		goto fail;
	}
	*tail = c;
	src->nb_cbs++;
	pthread_mutex_unlock(&intr.lock);
	return 0;
fail:
	pthread_mutex_unlock(&intr.lock);
	free(c);
	return rc;
}

/*
 * Remove the callbacks of @h that match @cb (NULL: all) and @arg; wait for
 * a running dispatch unless called from inside it.
 */
static int
intr_unregister(struct dp_intr_handle *h, dp_intr_callback_t cb, void *arg)
{
	struct intr_src *src;
	struct intr_cb *c;
	int count = 0;

	pthread_mutex_lock(&intr.lock);
	src = src_find(h->fd);
	if (src != NULL) {
		for (c = src->cbs; c; c = c->next) {
			if (!c->removed && (cb == NULL || c->fn == cb) &&
			    (arg == DP_INTR_ANY_ARG || c->arg == arg)) {
				c->removed = true;
				src->nb_cbs--;
				count++;
			}
		}
	}
	if (count == 0) {
		pthread_mutex_unlock(&intr.lock);
		return 0;
	}
	if (src->active && dp_intr_thread_is_current()) {
		/* Inside a callback: the thread purges when it returns. */
		pthread_mutex_unlock(&intr.lock);
		return count;
	}
	/* Wait for a running dispatch; it purges the source itself. */
	while ((src = src_find(h->fd)) != NULL && src->active)
		pthread_cond_wait(&intr.idle, &intr.lock);
	if (src != NULL)
		src_purge(src);
	pthread_mutex_unlock(&intr.lock);
	return count;
}

int
dp_intr_callback_unregister(struct dp_intr_handle *h, dp_intr_callback_t cb,
	void *arg)
{
	int n;

	if (h == NULL || cb == NULL || h->fd < 0)
		return -EINVAL;
	n = intr_unregister(h, cb, arg);
	return n > 0 ? n : -ENOENT;
}

int
dp_intr_callback_unregister_all(struct dp_intr_handle *h)
{
	if (h == NULL)
		return -EINVAL;
	if (h->fd < 0)
		return 0;
	return intr_unregister(h, NULL, DP_INTR_ANY_ARG);
}

int
eal_intr_init(void)
{
	return 0;
}

void
eal_intr_fini(void)
{
	struct intr_src *src;
	struct intr_cb *cb;
	unsigned int left = 0;
	uint64_t one = 1;

	pthread_mutex_lock(&intr.lock);
	if (!intr.running) {
		pthread_mutex_unlock(&intr.lock);
		return;
	}
	intr.quit = true;
	if (write(intr.wakefd, &one, sizeof(one)) < 0)
		DP_LOG(WARNING, eal, "cannot wake the interrupt thread: %s",
			strerror(errno));
	pthread_mutex_unlock(&intr.lock);
	pthread_join(intr.thread, NULL);

	pthread_mutex_lock(&intr.lock);
	__atomic_store_n(&intr.running, false, __ATOMIC_RELEASE);
	while ((src = intr.srcs) != NULL) {
		intr.srcs = src->next;
		while ((cb = src->cbs) != NULL) {
			src->cbs = cb->next;
			left += !cb->removed;
			free(cb);
		}
		free(src);
	}
	close(intr.wakefd);
	close(intr.epfd);
	intr.wakefd = intr.epfd = -1;
	pthread_mutex_unlock(&intr.lock);
	if (left > 0)
		DP_LOG(WARNING, eal, "%u interrupt callback(s) were still "
			"registered at cleanup (drivers should unregister "
			"them when their device is removed)", left);
}

int
dp_intr_enable(struct dp_intr_handle *h)
{
	int rc;

	if (h == NULL)
		return -EINVAL;
	if (h->ops == NULL || h->ops->enable == NULL)
		return -ENOTSUP;
	rc = h->ops->enable(h);
	if (rc == 0)
		h->enabled = true;
	return rc;
}

int
dp_intr_disable(struct dp_intr_handle *h)
{
	int rc;

	if (h == NULL)
		return -EINVAL;
	if (h->ops == NULL || h->ops->disable == NULL)
		return -ENOTSUP;
	rc = h->ops->disable(h);
	if (rc == 0)
		h->enabled = false;
	return rc;
}

int
dp_intr_ack(struct dp_intr_handle *h)
{
	if (h == NULL)
		return -EINVAL;
	if (h->type == DP_INTR_TYPE_VFIO_MSI || h->type == DP_INTR_TYPE_VFIO_MSIX)
		return 0;
	if (h->ops == NULL || h->ops->ack == NULL)
		return -ENOTSUP;
	return h->ops->ack(h);
}

static void
efd_close_all(struct dp_intr_handle *h, unsigned int n)
{
	while (n-- > 0) {
		close(h->efds[n]);
		h->efds[n] = -1;
	}
}

int
dp_intr_efd_enable(struct dp_intr_handle *h, unsigned int nb_efd)
{
	unsigned int i;
	int rc;

	if (h == NULL)
		return -EINVAL;
	if (h->type != DP_INTR_TYPE_VFIO_MSIX) {
		DP_LOG(ERR, eal, "per-queue interrupts need MSI-X under "
			"vfio-pci; this device's interrupts are %s",
			h->type == DP_INTR_TYPE_UIO ? "UIO INTx (bind it to "
			"vfio-pci instead)" : h->type == DP_INTR_TYPE_NONE ?
			"not available" : "a single vector");
		return -ENOTSUP;
	}
	if (nb_efd == 0 || nb_efd > DP_INTR_MAX_EFD ||
	    nb_efd + 1 > h->max_vectors) {
		DP_LOG(ERR, eal, "cannot give %u queues their own interrupt: "
			"the device has %u MSI-X vectors (one is kept for link "
			"state) and at most %u queue vectors are supported",
			nb_efd, h->max_vectors, DP_INTR_MAX_EFD);
		return -EINVAL;
	}
	if (h->nb_efd != 0)
		return -EBUSY;
	for (i = 0; i < nb_efd; i++) {
		h->efds[i] = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (h->efds[i] < 0) {
			rc = -errno;
			efd_close_all(h, i);
			return rc;
		}
	}
	h->nb_efd = nb_efd;
	if (h->enabled) {
		rc = h->ops->enable(h);
		if (rc < 0) {
			h->nb_efd = 0;
			efd_close_all(h, nb_efd);
			/* Put vector 0 back the way it was. */
			h->ops->enable(h);
			return rc;
		}
	}
	return 0;
}

void
dp_intr_efd_disable(struct dp_intr_handle *h)
{
	unsigned int n;

	if (h == NULL || h->nb_efd == 0)
		return;
	n = h->nb_efd;
	h->nb_efd = 0;
	if (h->enabled && h->ops->enable(h) < 0)
		DP_LOG(WARNING, eal, "could not re-route interrupts after "
			"closing the queue event fds");
	efd_close_all(h, n);
}

int
dp_intr_efd_get(const struct dp_intr_handle *h, unsigned int queue)
{
	if (h == NULL || queue >= h->nb_efd)
		return -EINVAL;
	return h->efds[queue];
}

int64_t
dp_intr_efd_clear(const struct dp_intr_handle *h, unsigned int queue)
{
	uint64_t count;

	if (h == NULL || queue >= h->nb_efd)
		return -EINVAL;
	if (read(h->efds[queue], &count, sizeof(count)) != sizeof(count))
		return 0;
	return (int64_t)count;
}
