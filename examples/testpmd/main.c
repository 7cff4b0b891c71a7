/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dpkit-testpmd: forward packets between ports in one of several modes and
 * report what happened, non-interactively (start, run until a signal,
 * --nb-pkts or --duration, stop) or at a prompt (-i).
 *
 *   dpkit-testpmd [EAL options] [--] [testpmd options]
 *
 * Exit status: 0 when everything went well, 1 when a port, the pool or
 * the final mbuf count failed, 2 for a wrong command line.
 */

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <dp_eal.h>
#include <dp_errno.h>

#include "testpmd.h"

volatile sig_atomic_t tp_signal_received;

void
tp_err(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);	/* keep the order of both streams in a log */
	fputs("testpmd: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void
tp_warn(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("testpmd: warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void
on_signal(int sig)
{
	tp_signal_received = sig;
}

static void
catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: poll() and usleep() return so the loops notice. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/* Start, wait for a stop condition, a signal or Enter, stop. */
static int
run_batch(void)
{
	bool tty = isatty(STDIN_FILENO);

	if (tp_fwd_start(tp_cfg.tx_first ? 1 : 0) < 0)
		return TP_EXIT_FAIL;
	if (!tp_fwd_bounded())
		printf("Forwarding: press Ctrl-C%s to stop\n",
			tty ? " or Enter" : "");
	fflush(stdout);
	while (tp_fwd_running() && !tp_signal_received) {
		struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
		char c;

		if (tty && poll(&pfd, 1, 20) > 0) {
			if (read(STDIN_FILENO, &c, 1) <= 0 || c == '\n')
				break;
		} else if (!tty) {
			usleep(20 * 1000);
		}
		tp_fwd_tick();
	}
	if (tp_signal_received)
		printf("\n%s received: stopping\n", strsignal(tp_signal_received));
	if (tp_fwd_running())
		tp_fwd_stop();
	return TP_EXIT_OK;
}

/* Enough lcores for --nb-cores? TP_EXIT_OK or TP_EXIT_USAGE. */
static int
check_lcores(void)
{
	unsigned int avail = tp_fwd_lcores_avail();

	if (avail == 0) {
		tp_err("no lcore to forward on: the main lcore runs the command "
			"line, forwarding needs another; give at least two lcores, "
			"e.g. -l 0-1");
		return TP_EXIT_USAGE;
	}
	if (tp_cfg.nb_fwd_lcores > avail) {
		tp_err("--nb-cores=%u: only %u forwarding lcore%s (the lcores of "
			"-l except the main one): add lcores with -l or lower "
			"--nb-cores", tp_cfg.nb_fwd_lcores, avail,
			avail == 1 ? "" : "s");
		return TP_EXIT_USAGE;
	}
	return TP_EXIT_OK;
}

/* The testpmd arguments: TP_EXIT_OK to go on, -1 after --help, or the status. */
static int
parse_app_args(int eal_rc, int eal_argc, char **argv, int app_argc,
	char **app)
{
	int rc;

	/* EAL stops at the first argument that is not an option. */
	if (eal_rc + 1 < eal_argc) {
		tp_err("unexpected argument '%s' (options start with - or --; "
			"see --help)", argv[eal_rc + 1]);
		return TP_EXIT_USAGE;
	}
	rc = tp_args_parse(app_argc, app);
	if (rc == -DP_EHELP)
		return -1;
	if (rc < 0)
		return TP_EXIT_USAGE;
	return check_lcores();
}

int
main(int argc, char **argv)
{
	char **app = calloc((size_t)argc + 1, sizeof(*app));
	int eal_argc, app_argc, rc, status;

	if (app == NULL)
		return TP_EXIT_FAIL;
	eal_argc = tp_args_split(argc, argv, app, &app_argc);
	dp_eal_set_usage_hook(tp_usage);
	rc = dp_eal_init(eal_argc, argv);
	if (rc < 0) {
		free(app);
		if (rc == -DP_EHELP)
			return TP_EXIT_OK;
		tp_args_hint(eal_argc, argv);
		tp_err("cannot initialize the EAL: %s (the reason is logged "
			"above)", dp_strerror(rc));
		return rc == -EINVAL ? TP_EXIT_USAGE : TP_EXIT_FAIL;
	}
	status = parse_app_args(rc, eal_argc, argv, app_argc, app);
	free(app);
	if (status != TP_EXIT_OK) {
		dp_eal_cleanup();
		return status < 0 ? TP_EXIT_OK : status;
	}
	catch_signals();

	status = tp_ports_init();
	if (status == TP_EXIT_OK) {
		if (tp_cfg.interactive) {
			if (tp_cfg.auto_start &&
			    tp_fwd_start(tp_cfg.tx_first ? 1 : 0) < 0)
				status = TP_EXIT_FAIL;
			tp_cli_run();
			if (tp_fwd_running())
				tp_fwd_stop();
		} else {
			status = run_batch();
		}
	}
	tp_fwd_release();
	rc = tp_ports_close();
	if (status == TP_EXIT_OK)
		status = rc;
	dp_eal_cleanup();
	printf("Bye...\n");
	return status;
}
