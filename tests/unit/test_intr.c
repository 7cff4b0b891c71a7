/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * EAL interrupts: callbacks on the interrupt thread (count, order, argument,
 * duplicate and unknown registrations, unregistering from inside a
 * callback, waiting for a running callback), draining of the fd per type,
 * and the per-queue event fd calls against a bus that records what it is
 * asked.
 */

#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>
#include <sys/eventfd.h>

#include "test_helpers.h"

#include <dp_interrupts.h>

#include "eal_private.h"

/* ---- a fake bus ------------------------------------------------------------------- */

struct fake_bus {
	unsigned int enables, disables, acks;
	unsigned int last_nb_efd;
	int fail_enable;
};

static struct fake_bus fbus;

static int
fake_enable(struct dp_intr_handle *h)
{
	fbus.enables++;
	fbus.last_nb_efd = h->nb_efd;
	return fbus.fail_enable;
}

static int
fake_disable(struct dp_intr_handle *h)
{
	(void)h;
	fbus.disables++;
	return 0;
}

static int
fake_ack(struct dp_intr_handle *h)
{
	(void)h;
	fbus.acks++;
	return 0;
}

static const struct dp_intr_ops fake_ops = {
	.enable = fake_enable,
	.disable = fake_disable,
	.ack = fake_ack,
};

static void
handle_init(struct dp_intr_handle *h, enum dp_intr_type type, unsigned int vectors)
{
	memset(h, 0, sizeof(*h));
	h->type = type;
	h->fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	assert_true(h->fd >= 0);
	h->max_vectors = vectors;
	h->ops = &fake_ops;
	memset(&fbus, 0, sizeof(fbus));
}

static void
fire(const struct dp_intr_handle *h)
{
	uint64_t one = 1;

	assert_int_equal(write(h->fd, &one, sizeof(one)), sizeof(one));
}

/* ---- callbacks ----------------------------------------------------------------------- */

struct counter {
	unsigned int calls;
	bool on_intr_thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	unsigned int order[8];
	unsigned int nb_order;
};

#define COUNTER_INIT { 0, false, PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, { 0 }, 0 }

static struct counter *order_log;

static void
count_cb(struct dp_intr_handle *h, void *arg)
{
	struct counter *c = arg;

	(void)h;
	pthread_mutex_lock(&c->lock);
	c->calls++;
	c->on_intr_thread = dp_intr_thread_is_current();
	pthread_cond_broadcast(&c->cond);
	pthread_mutex_unlock(&c->lock);
}

/* Records which of two callbacks ran, in order, in order_log. */
static void
order_cb(struct dp_intr_handle *h, void *arg)
{
	(void)h;
	order_log->order[order_log->nb_order++] = (unsigned int)(uintptr_t)arg;
	count_cb(h, order_log);
}

static bool
wait_calls(struct counter *c, unsigned int n)
{
	struct timespec ts;
	bool ok;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 5;
	pthread_mutex_lock(&c->lock);
	while (c->calls < n)
		if (pthread_cond_timedwait(&c->cond, &c->lock, &ts) != 0)
			break;
	ok = c->calls >= n;
	pthread_mutex_unlock(&c->lock);
	return ok;
}

static void
test_callback_basics(void **state)
{
	struct dp_intr_handle h;
	struct counter c = COUNTER_INIT;
	uint64_t left;

	(void)state;
	handle_init(&h, DP_INTR_TYPE_VFIO_MSIX, 4);
	assert_false(dp_intr_thread_is_current());
	assert_int_equal(dp_intr_callback_register(NULL, count_cb, &c), -EINVAL);
	assert_int_equal(dp_intr_callback_register(&h, NULL, &c), -EINVAL);
	assert_int_equal(dp_intr_callback_register(&h, count_cb, &c), 0);
	assert_int_equal(dp_intr_callback_register(&h, count_cb, &c), -EEXIST);

	fire(&h);
	assert_true(wait_calls(&c, 1));
	assert_true(c.on_intr_thread);
	/* The thread drained the eventfd: nothing is pending any more. */
	usleep(20000);
	assert_true(read(h.fd, &left, sizeof(left)) < 0 && errno == EAGAIN);
	assert_int_equal(c.calls, 1);

	fire(&h);
	assert_true(wait_calls(&c, 2));
	assert_int_equal(dp_intr_callback_unregister(&h, count_cb, &c), 1);
	assert_int_equal(dp_intr_callback_unregister(&h, count_cb, &c), -ENOENT);
	/* Not watched any more: firing does nothing. */
	fire(&h);
	usleep(50000);
	assert_int_equal(c.calls, 2);

	eal_intr_fini();
	close(h.fd);
}

static void
test_callback_order_and_any_arg(void **state)
{
	struct dp_intr_handle h;
	struct counter c = COUNTER_INIT;

	(void)state;
	handle_init(&h, DP_INTR_TYPE_VFIO_MSI, 1);
	order_log = &c;
	assert_int_equal(dp_intr_callback_register(&h, order_cb, (void *)1), 0);
	assert_int_equal(dp_intr_callback_register(&h, order_cb, (void *)2), 0);
	fire(&h);
	assert_true(wait_calls(&c, 2));
	assert_int_equal(c.nb_order, 2);
	assert_int_equal(c.order[0], 1);
	assert_int_equal(c.order[1], 2);
	/* Both registrations go with DP_INTR_ANY_ARG. */
	assert_int_equal(dp_intr_callback_unregister(&h, order_cb, DP_INTR_ANY_ARG), 2);
	eal_intr_fini();
	close(h.fd);
}

/* Unregisters itself from inside the callback (no cmocka assert there:
 * it runs on the interrupt thread). */
static int self_remove_rc;

static void
self_removing_cb(struct dp_intr_handle *h, void *arg)
{
	self_remove_rc = dp_intr_callback_unregister(h, self_removing_cb, arg);
	count_cb(h, arg);
}

static void
test_unregister_from_callback(void **state)
{
	struct dp_intr_handle h;
	struct counter c = COUNTER_INIT;

	(void)state;
	handle_init(&h, DP_INTR_TYPE_VFIO_MSIX, 2);
	assert_int_equal(dp_intr_callback_register(&h, self_removing_cb, &c), 0);
	fire(&h);
	assert_true(wait_calls(&c, 1));
	assert_int_equal(self_remove_rc, 1);
	usleep(20000);
	fire(&h);
	usleep(50000);
	assert_int_equal(c.calls, 1);
	assert_int_equal(dp_intr_callback_unregister(&h, self_removing_cb, &c), -ENOENT);
	eal_intr_fini();
	close(h.fd);
}

/* A slow callback: unregister from another thread waits for it. */
static volatile bool slow_done;

static void
slow_cb(struct dp_intr_handle *h, void *arg)
{
	(void)h;
	count_cb(h, arg);
	usleep(200000);
	slow_done = true;
}

static void
test_unregister_waits_for_running_callback(void **state)
{
	struct dp_intr_handle h;
	struct counter c = COUNTER_INIT;

	(void)state;
	handle_init(&h, DP_INTR_TYPE_VFIO_MSIX, 2);
	slow_done = false;
	assert_int_equal(dp_intr_callback_register(&h, slow_cb, &c), 0);
	fire(&h);
	assert_true(wait_calls(&c, 1));
	assert_int_equal(dp_intr_callback_unregister(&h, slow_cb, &c), 1);
	/* It returned only after the callback had finished. */
	assert_true(slow_done);
	eal_intr_fini();
	close(h.fd);
}

static void
test_unregister_all(void **state)
{
	struct dp_intr_handle h;
	struct counter c = COUNTER_INIT;

	(void)state;
	handle_init(&h, DP_INTR_TYPE_VFIO_MSIX, 2);
	assert_int_equal(dp_intr_callback_unregister_all(&h), 0);
	assert_int_equal(dp_intr_callback_register(&h, count_cb, &c), 0);
	assert_int_equal(dp_intr_callback_register(&h, slow_cb, &c), 0);
	assert_int_equal(dp_intr_callback_unregister_all(&h), 2);
	assert_int_equal(dp_intr_callback_unregister(&h, count_cb, &c), -ENOENT);
	/* Nothing is watched any more. */
	fire(&h);
	usleep(50000);
	assert_int_equal(c.calls, 0);
	assert_int_equal(dp_intr_callback_unregister_all(NULL), -EINVAL);
	eal_intr_fini();
	close(h.fd);
}

static void
test_fini_drops_leftovers(void **state)
{
	struct dp_intr_handle h;
	struct counter c = COUNTER_INIT;

	(void)state;
	handle_init(&h, DP_INTR_TYPE_VFIO_MSIX, 2);
	assert_int_equal(dp_intr_callback_register(&h, count_cb, &c), 0);
	test_log_capture();
	eal_intr_fini();
	test_log_release();
	assert_logged("1 interrupt callback(s) were still registered at cleanup");
	/* Registering again starts a new thread. */
	assert_int_equal(dp_intr_callback_register(&h, count_cb, &c), 0);
	fire(&h);
	assert_true(wait_calls(&c, 1));
	assert_int_equal(dp_intr_callback_unregister(&h, count_cb, &c), 1);
	eal_intr_fini();
	close(h.fd);
}

/* ---- enable / disable / ack / per-queue event fds ------------------------------------ */

static void
test_enable_disable_ack(void **state)
{
	struct dp_intr_handle h;

	(void)state;
	handle_init(&h, DP_INTR_TYPE_VFIO_INTX, 1);
	assert_int_equal(dp_intr_enable(&h), 0);
	assert_true(h.enabled);
	assert_int_equal(dp_intr_ack(&h), 0);
	assert_int_equal(fbus.acks, 1);
	assert_int_equal(dp_intr_disable(&h), 0);
	assert_false(h.enabled);
	assert_int_equal(fbus.enables, 1);
	assert_int_equal(fbus.disables, 1);

	/* MSI-X needs no ack: the bus is not called. */
	h.type = DP_INTR_TYPE_VFIO_MSIX;
	assert_int_equal(dp_intr_ack(&h), 0);
	assert_int_equal(fbus.acks, 1);

	/* A failing bus leaves the handle disabled. */
	fbus.fail_enable = -EIO;
	assert_int_equal(dp_intr_enable(&h), -EIO);
	assert_false(h.enabled);

	h.ops = NULL;
	assert_int_equal(dp_intr_enable(&h), -ENOTSUP);
	assert_int_equal(dp_intr_disable(&h), -ENOTSUP);
	assert_int_equal(dp_intr_enable(NULL), -EINVAL);
	close(h.fd);
}

static void
test_efd(void **state)
{
	struct dp_intr_handle h;
	uint64_t two = 2;
	int fd;

	(void)state;
	handle_init(&h, DP_INTR_TYPE_VFIO_MSIX, 4);

	test_log_capture();
	assert_int_equal(dp_intr_efd_enable(&h, 4), -EINVAL);
	assert_logged("the device has 4 MSI-X vectors (one is kept for link state)");
	assert_int_equal(dp_intr_efd_enable(&h, 0), -EINVAL);
	test_log_release();

	/* Not enabled yet: the fds exist, the bus is not asked. */
	assert_int_equal(dp_intr_efd_enable(&h, 3), 0);
	assert_int_equal(h.nb_efd, 3);
	assert_int_equal(fbus.enables, 0);
	assert_int_equal(dp_intr_efd_enable(&h, 1), -EBUSY);
	for (unsigned int q = 0; q < 3; q++)
		assert_true(dp_intr_efd_get(&h, q) >= 0);
	assert_int_equal(dp_intr_efd_get(&h, 3), -EINVAL);

	/* Enable routes vector 0 and the three queue vectors. */
	assert_int_equal(dp_intr_enable(&h), 0);
	assert_int_equal(fbus.last_nb_efd, 3);

	/* The application's side: read the count, then nothing is left. */
	fd = dp_intr_efd_get(&h, 1);
	assert_int_equal(write(fd, &two, sizeof(two)), sizeof(two));
	assert_int_equal(dp_intr_efd_clear(&h, 1), 2);
	assert_int_equal(dp_intr_efd_clear(&h, 1), 0);

	/* Closing them re-routes only vector 0 while enabled. */
	dp_intr_efd_disable(&h);
	assert_int_equal(h.nb_efd, 0);
	assert_int_equal(fbus.enables, 2);
	assert_int_equal(fbus.last_nb_efd, 0);
	assert_int_equal(fcntl(fd, F_GETFD), -1);	/* closed */

	/* A failed re-route while enabled closes the new fds again. */
	fbus.fail_enable = -EIO;
	assert_int_equal(dp_intr_efd_enable(&h, 2), -EIO);
	assert_int_equal(h.nb_efd, 0);
	close(h.fd);

	/* Single-vector handles cannot have queue vectors. */
	handle_init(&h, DP_INTR_TYPE_UIO, 1);
	test_log_capture();
	assert_int_equal(dp_intr_efd_enable(&h, 1), -ENOTSUP);
	test_log_release();
	assert_logged("per-queue interrupts need MSI-X under vfio-pci; this "
		"device's interrupts are UIO INTx (bind it to vfio-pci instead)");
	close(h.fd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_callback_basics),
		cmocka_unit_test(test_callback_order_and_any_arg),
		cmocka_unit_test(test_unregister_from_callback),
		cmocka_unit_test(test_unregister_waits_for_running_callback),
		cmocka_unit_test(test_unregister_all),
		cmocka_unit_test(test_fini_drops_leftovers),
		cmocka_unit_test(test_enable_disable_ack),
		cmocka_unit_test(test_efd),
	};

	return cmocka_run_group_tests_name("intr", tests, NULL, NULL);
}
