/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Lcores: the table of enabled lcores and their CPUs and sockets, the
 * pinned worker threads, and remote launch / wait.
 *
 * An idle worker sleeps on a condition variable rather than spinning, so
 * that lcores the application does not use cost no CPU (this matters on
 * small machines where the workers share cores with everything else).
 */

#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dp_lcore.h>

#include "eal_private.h"

__thread unsigned int per_lcore_dp_lcore_id = DP_LCORE_ID_ANY;

struct lcore_slot {
	bool enabled;
	cpu_set_t cpus;		/* where the thread may run (pinned) */
	int cpu;		/* the first of them, for dp_lcore_to_cpu_id() */
	int socket;		/* their node, or ANY when they span nodes */

	pthread_t thread;
	bool thread_running;

	/* Mailbox between the launcher and the worker, under lock. */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	enum dp_lcore_state state;
	dp_lcore_function_t *f;
	void *arg;
	int ret;
	bool quit;
};

static struct lcore_slot lcores[DP_MAX_LCORE];
static unsigned int main_lcore;
static unsigned int nb_lcores;

/* Sockets that have CPUs, sorted, for dp_socket_id_by_idx(). */
static int socket_ids[DP_MAX_NUMA_NODES];
static unsigned int nb_sockets;

/* The main thread's affinity before init, restored by cleanup. */
static cpu_set_t main_saved_affinity;
static bool main_affinity_saved;

/* NUMA node of a CPU from sysfs (cpuN/nodeM link); 0 when not NUMA. */
static int
cpu_socket(int cpu)
{
	char path[64];
	struct dirent *e;
	DIR *d;
	int node = 0;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d", cpu);
	d = opendir(path);
	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, "node", 4) == 0 &&
		    e->d_name[4] >= '0' && e->d_name[4] <= '9') {
			node = atoi(e->d_name + 4);
			break;
		}
	}
	closedir(d);
	return node;
}

static int
first_cpu(const cpu_set_t *cpus)
{
	int cpu;

	for (cpu = 0; cpu < CPU_SETSIZE; cpu++)
		if (CPU_ISSET(cpu, cpus))
			return cpu;
	return -1;
}

/* The node of a set of CPUs, or DP_SOCKET_ID_ANY when they span nodes. */
static int
cpuset_socket(const cpu_set_t *cpus)
{
	int cpu, socket = DP_SOCKET_ID_ANY;

	for (cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (!CPU_ISSET(cpu, cpus))
			continue;
		if (socket == DP_SOCKET_ID_ANY)
			socket = cpu_socket(cpu);
		else if (socket != cpu_socket(cpu))
			return DP_SOCKET_ID_ANY;
	}
	return socket;
}

static void
add_socket(int socket)
{
	unsigned int i, j;

	for (i = 0; i < nb_sockets; i++)
		if (socket_ids[i] == socket)
			return;
	if (nb_sockets == DP_MAX_NUMA_NODES)
		return;
	for (i = 0; i < nb_sockets && socket_ids[i] < socket; i++)
		;
	for (j = nb_sockets; j > i; j--)
		socket_ids[j] = socket_ids[j - 1];
	socket_ids[i] = socket;
	nb_sockets++;
}

int
eal_lcore_init(void)
{
	cpu_set_t avail;
	unsigned int l;
	int cpu, rc;

	memset(socket_ids, 0, sizeof(socket_ids));
	nb_sockets = 0;
	/* Sockets of every CPU we may use, not only the enabled ones. */
	if (eal_available_cpus(&avail) == 0)
		for (cpu = 0; cpu < CPU_SETSIZE; cpu++)
			if (CPU_ISSET(cpu, &avail))
				add_socket(cpu_socket(cpu));

	nb_lcores = 0;
	for (l = 0; l < DP_MAX_LCORE; l++) {
		struct lcore_slot *s = &lcores[l];

		s->cpus = eal_cfg.lcore_cpus[l];
		s->enabled = CPU_COUNT(&s->cpus) > 0;
		s->cpu = s->enabled ? first_cpu(&s->cpus) : -1;
		s->socket = s->enabled ? cpuset_socket(&s->cpus) :
			DP_SOCKET_ID_ANY;
		s->state = DP_LCORE_WAIT;
		s->thread_running = false;
		if (s->enabled) {
			nb_lcores++;
			if (s->socket != DP_SOCKET_ID_ANY)
				add_socket(s->socket);
		}
	}
	main_lcore = eal_cfg.main_lcore;

	/* The calling thread becomes the main lcore, pinned to its CPU. */
	if (pthread_getaffinity_np(pthread_self(), sizeof(main_saved_affinity),
			&main_saved_affinity) == 0)
		main_affinity_saved = true;
	rc = pthread_setaffinity_np(pthread_self(),
		sizeof(lcores[main_lcore].cpus), &lcores[main_lcore].cpus);
	if (rc != 0) {
		DP_LOG(ERR, eal, "cannot pin the main lcore to CPU %d: %s",
			lcores[main_lcore].cpu, dp_strerror(rc));
		return -rc;
	}
	per_lcore_dp_lcore_id = main_lcore;
	DP_LOG(DEBUG, eal, "main lcore %u on CPU %d (socket %d), %u lcores",
		main_lcore, lcores[main_lcore].cpu, lcores[main_lcore].socket,
		nb_lcores);
	return 0;
}

void
eal_lcore_fini(void)
{
	unsigned int l;

	if (main_affinity_saved)
		pthread_setaffinity_np(pthread_self(),
			sizeof(main_saved_affinity), &main_saved_affinity);
	main_affinity_saved = false;
	per_lcore_dp_lcore_id = DP_LCORE_ID_ANY;
	for (l = 0; l < DP_MAX_LCORE; l++)
		lcores[l].enabled = false;
	nb_lcores = 0;
}

/*
 * CPUs for control threads (the interrupt thread): those the process could
 * run on before dp_eal_init() pinned the main thread, minus the lcores'
 * CPUs when that leaves any.
 */
int
eal_control_cpuset(cpu_set_t *set)
{
	cpu_set_t others, used;
	unsigned int l;

	if (!main_affinity_saved)
		return -ENOENT;
	*set = main_saved_affinity;
	CPU_ZERO(&used);
	for (l = 0; l < DP_MAX_LCORE; l++)
		if (lcores[l].enabled)
			CPU_OR(&used, &used, &lcores[l].cpus);
	/* saved minus used: XOR keeps what is in one of them, AND the saved */
	CPU_XOR(&others, &main_saved_affinity, &used);
	CPU_AND(&others, &others, &main_saved_affinity);
	if (CPU_COUNT(&others) > 0)
		*set = others;
	return 0;
}

/* ---- worker threads -------------------------------------------------- */

static void *
worker_main(void *p)
{
	struct lcore_slot *s = p;
	unsigned int id = (unsigned int)(s - lcores);
	dp_lcore_function_t *f;
	void *arg;
	int ret;

	per_lcore_dp_lcore_id = id;
	pthread_mutex_lock(&s->lock);
	for (;;) {
		while (s->state != DP_LCORE_RUNNING && !s->quit)
			pthread_cond_wait(&s->cond, &s->lock);
		if (s->quit)
			break;
		f = s->f;
		arg = s->arg;
		pthread_mutex_unlock(&s->lock);

		ret = f(arg);

		pthread_mutex_lock(&s->lock);
		s->ret = ret;
		s->state = DP_LCORE_FINISHED;
		pthread_cond_broadcast(&s->cond);
	}
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

int
eal_threads_start(void)
{
	char name[16];
	unsigned int l;
	int rc;

	DP_LCORE_FOREACH_WORKER(l) {
		struct lcore_slot *s = &lcores[l];

		pthread_mutex_init(&s->lock, NULL);
		pthread_cond_init(&s->cond, NULL);
		s->quit = false;
		s->state = DP_LCORE_WAIT;
		rc = pthread_create(&s->thread, NULL, worker_main, s);
		if (rc != 0) {
			DP_LOG(ERR, eal, "cannot create the thread of lcore %u: %s",
				l, dp_strerror(rc));
			pthread_cond_destroy(&s->cond);
			pthread_mutex_destroy(&s->lock);
			eal_threads_stop();
			return -rc;
		}
		s->thread_running = true;
		rc = pthread_setaffinity_np(s->thread, sizeof(s->cpus),
			&s->cpus);
		if (rc != 0) {
			DP_LOG(ERR, eal, "cannot pin lcore %u to its CPUs "
				"(first %d): %s", l, s->cpu, dp_strerror(rc));
			eal_threads_stop();
			return -rc;
		}
		snprintf(name, sizeof(name), "dp-lcore-%u", l);
		pthread_setname_np(s->thread, name);
	}
	return 0;
}

void
eal_threads_stop(void)
{
	unsigned int l;

	for (l = 0; l < DP_MAX_LCORE; l++) {
		struct lcore_slot *s = &lcores[l];

		if (!s->thread_running)
			continue;
		pthread_mutex_lock(&s->lock);
		if (s->state == DP_LCORE_RUNNING)
			DP_LOG(WARNING, eal, "cleanup waits for lcore %u, which "
				"is still running a launched function", l);
		while (s->state == DP_LCORE_RUNNING)
			pthread_cond_wait(&s->cond, &s->lock);
		s->quit = true;
		pthread_cond_broadcast(&s->cond);
		pthread_mutex_unlock(&s->lock);
		pthread_join(s->thread, NULL);
		pthread_cond_destroy(&s->cond);
		pthread_mutex_destroy(&s->lock);
		s->thread_running = false;
	}
}

static bool
is_worker(unsigned int id)
{
	return id < DP_MAX_LCORE && lcores[id].enabled && id != main_lcore &&
		lcores[id].thread_running;
}

int
dp_eal_remote_launch(dp_lcore_function_t *f, void *arg, unsigned int worker_id)
{
	struct lcore_slot *s;

	if (f == NULL || !is_worker(worker_id))
		return -EINVAL;
	s = &lcores[worker_id];
	pthread_mutex_lock(&s->lock);
	if (s->state != DP_LCORE_WAIT) {
		pthread_mutex_unlock(&s->lock);
		return -EBUSY;
	}
	s->f = f;
	s->arg = arg;
	s->state = DP_LCORE_RUNNING;
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
	return 0;
}

int
dp_eal_mp_remote_launch(dp_lcore_function_t *f, void *arg,
	enum dp_call_main call_main)
{
	unsigned int l;
	int rc;

	if (f == NULL)
		return -EINVAL;
	/* All or nothing: check every worker is idle first. */
	DP_LCORE_FOREACH_WORKER(l)
		if (dp_eal_get_lcore_state(l) != DP_LCORE_WAIT)
			return -EBUSY;
	DP_LCORE_FOREACH_WORKER(l) {
		rc = dp_eal_remote_launch(f, arg, l);
		if (rc != 0)
			return rc;
	}
	if (call_main == DP_CALL_MAIN)
		f(arg);
	return 0;
}

enum dp_lcore_state
dp_eal_get_lcore_state(unsigned int worker_id)
{
	enum dp_lcore_state st;
	struct lcore_slot *s;

	if (!is_worker(worker_id))
		return DP_LCORE_WAIT;
	s = &lcores[worker_id];
	pthread_mutex_lock(&s->lock);
	st = s->state;
	pthread_mutex_unlock(&s->lock);
	return st;
}

int
dp_eal_wait_lcore(unsigned int worker_id)
{
	struct lcore_slot *s;
	int ret;

	if (!is_worker(worker_id))
		return 0;
	s = &lcores[worker_id];
	pthread_mutex_lock(&s->lock);
	if (s->state == DP_LCORE_WAIT) {
		pthread_mutex_unlock(&s->lock);
		return 0;
	}
	while (s->state == DP_LCORE_RUNNING)
		pthread_cond_wait(&s->cond, &s->lock);
	ret = s->ret;
	s->state = DP_LCORE_WAIT;
	pthread_mutex_unlock(&s->lock);
	return ret;
}

void
dp_eal_mp_wait_lcore(void)
{
	unsigned int l;

	DP_LCORE_FOREACH_WORKER(l)
		dp_eal_wait_lcore(l);
}

/* ---- queries ---------------------------------------------------------- */

unsigned int
dp_get_main_lcore(void)
{
	return main_lcore;
}

unsigned int
dp_lcore_count(void)
{
	return nb_lcores;
}

int
dp_lcore_is_enabled(unsigned int lcore_id)
{
	return lcore_id < DP_MAX_LCORE && lcores[lcore_id].enabled;
}

unsigned int
dp_get_next_lcore(unsigned int i, int skip_main, int wrap)
{
	unsigned int tries;

	i++;
	if (wrap)
		i %= DP_MAX_LCORE;
	for (tries = 0; i < DP_MAX_LCORE && tries < DP_MAX_LCORE; tries++) {
		if (lcores[i].enabled && !(skip_main && i == main_lcore))
			return i;
		i++;
		if (wrap)
			i %= DP_MAX_LCORE;
	}
	return DP_MAX_LCORE;
}

int
dp_lcore_to_socket_id(unsigned int lcore_id)
{
	if (!dp_lcore_is_enabled(lcore_id))
		return DP_SOCKET_ID_ANY;
	return lcores[lcore_id].socket;
}

int
dp_lcore_to_cpu_id(unsigned int lcore_id)
{
	if (!dp_lcore_is_enabled(lcore_id))
		return -EINVAL;
	return lcores[lcore_id].cpu;
}

int
dp_socket_id(void)
{
	return dp_lcore_to_socket_id(dp_lcore_id());
}

unsigned int
dp_socket_count(void)
{
	return nb_sockets;
}

int
dp_socket_id_by_idx(unsigned int idx)
{
	if (idx >= nb_sockets)
		return -EINVAL;
	return socket_ids[idx];
}
