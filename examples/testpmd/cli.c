/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The interactive prompt (-i): the commands, their parsing with a message
 * for every mistake, and the input loop. On a terminal, lines come from
 * libedit (editing, history in ~/.dpkit_testpmd_history, completion of
 * command words); from a pipe or file they are read as they are and
 * echoed after the prompt, so a script's transcript reads like a session.
 * Either way the loop wakes up every few milliseconds for the forwarding
 * housekeeping (statistics period, --nb-pkts, --duration).
 */

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <editline/readline.h>

#include <dp_cycles.h>

#include "testpmd.h"

#define PROMPT "testpmd> "
#define MAX_TOKENS 8
#define HISTORY_FILE ".dpkit_testpmd_history"
#define HISTORY_MAX 1000
#define TICK_MS 20

struct cmd {
	const char *name;	/* first word */
	const char *usage;	/* full syntax, for help and errors */
	const char *help;	/* what it does */
	int (*fn)(int argc, char **argv);
};

static const struct cmd cmds[];

/* ---- argument helpers ----------------------------------------------------- */

/* Port argument: "all" (returns every port) or one existing port id. */
static int
parse_ports(const char *arg, uint16_t *ids, uint16_t *n)
{
	uint64_t v;
	uint16_t p;

	*n = 0;
	if (strcmp(arg, "all") == 0) {
		DP_ETH_FOREACH_DEV(p)
			ids[(*n)++] = p;
		return 0;
	}
	if (tp_parse_u64(arg, 0, DP_MAX_ETHPORTS - 1, &v) < 0 ||
	    !dp_eth_dev_is_valid_port((uint16_t)v)) {
		tp_err("'%s' is not a port: give 'all' or a port id (%u port%s: "
			"0 to %u)", arg, tp_nb_ports(), tp_nb_ports() == 1 ? "" : "s",
			tp_nb_ports() ? tp_nb_ports() - 1 : 0);
		return -1;
	}
	ids[(*n)++] = (uint16_t)v;
	return 0;
}

/* Say what was wrong and every form of the command. */
static int
usage_error(const char *name, const char *what)
{
	char forms[512];
	size_t off = 0;
	unsigned int i;

	forms[0] = '\0';
	for (i = 0; cmds[i].name != NULL && off < sizeof(forms); i++)
		if (strcmp(cmds[i].name, name) == 0)
			off += (size_t)snprintf(forms + off, sizeof(forms) - off,
				"%s'%s'", off ? " or " : "", cmds[i].usage);
	tp_err("%s; usage: %s", what, forms);
	return -1;
}

static int
refuse_while_running(const char *what)
{
	if (!tp_fwd_running())
		return 0;
	tp_err("packet forwarding is running: 'stop' it before %s", what);
	return -1;
}

/* ---- commands ------------------------------------------------------------ */

static int
cmd_start(int argc, char **argv)
{
	uint64_t n = 1;

	if (argc > 1 && strcmp(argv[1], "tx_first") != 0)
		return usage_error(argv[0], "unknown argument");
	if (argc > 3)
		return usage_error(argv[0], "too many arguments");
	if (argc == 3 && tp_parse_u64(argv[2], 1, 1024, &n) < 0)
		return usage_error(argv[0], "the number of bursts must be 1 to 1024");
	return tp_fwd_start(argc > 1 ? (unsigned int)n : 0) < 0 ? -1 : 0;
}

static int
cmd_stop(int argc, char **argv)
{
	if (argc != 1)
		return usage_error(argv[0], "stop takes no argument");
	tp_fwd_stop();
	return 0;
}

static int
cmd_show(int argc, char **argv)
{
	uint16_t ids[DP_MAX_ETHPORTS], n, i;

	if (argc == 3 && strcmp(argv[1], "config") == 0 &&
	    strcmp(argv[2], "fwd") == 0) {
		tp_fwd_config_show();
		return 0;
	}
	if (argc == 4 && strcmp(argv[1], "fwd") == 0 &&
	    strcmp(argv[2], "stats") == 0 && strcmp(argv[3], "all") == 0) {
		tp_fwd_stats_current();
		return 0;
	}
	if (argc != 4 || strcmp(argv[1], "port") != 0)
		return usage_error(argv[0], "what should be shown?");
	if (strcmp(argv[2], "info") != 0 && strcmp(argv[2], "stats") != 0 &&
	    strcmp(argv[2], "xstats") != 0)
		return usage_error(argv[0], "show port info, stats or xstats");
	if (parse_ports(argv[3], ids, &n) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (argv[2][0] == 'i')
			tp_port_info_show(ids[i]);
		else if (argv[2][0] == 's')
			tp_port_stats_show(ids[i]);
		else
			tp_port_xstats_show(ids[i]);
	}
	return 0;
}

static int
cmd_clear(int argc, char **argv)
{
	uint16_t ids[DP_MAX_ETHPORTS], n, i;

	if (argc != 4 || strcmp(argv[1], "port") != 0 ||
	    strcmp(argv[2], "stats") != 0)
		return usage_error(argv[0], "what should be cleared?");
	if (parse_ports(argv[3], ids, &n) < 0)
		return -1;
	for (i = 0; i < n; i++)
		tp_port_stats_clear(ids[i]);
	return 0;
}

static int
set_fwd(const char *mode)
{
	const struct fwd_engine *e = fwd_engine_find(mode);
	char names[128];

	if (e == NULL) {
		tp_err("unknown forwarding mode '%s': choose one of %s", mode,
			fwd_engine_names(names, sizeof(names)));
		return -1;
	}
	if (refuse_while_running("changing the forwarding mode") < 0)
		return -1;
	tp_cfg.engine = e;
	printf("Set %s packet forwarding mode\n", e->name);
	return 0;
}

static int
set_promisc(int argc, char **argv)
{
	uint16_t ids[DP_MAX_ETHPORTS], n, i;
	bool on;

	if (argc != 4)
		return usage_error(argv[0], "set promisc needs a port and on|off");
	if (strcmp(argv[3], "on") == 0)
		on = true;
	else if (strcmp(argv[3], "off") == 0)
		on = false;
	else
		return usage_error(argv[0], "promiscuous mode is 'on' or 'off'");
	if (parse_ports(argv[2], ids, &n) < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (tp_port_promisc(ids[i], on) < 0)
			return -1;
	return 0;
}

static int
set_nbcore(int argc, char **argv)
{
	unsigned int avail = tp_fwd_lcores_avail();
	uint64_t v;

	if (argc != 3)
		return usage_error(argv[0], "set nbcore needs a number");
	if (tp_parse_u64(argv[2], 1, DP_MAX_LCORE, &v) < 0 || v > avail) {
		tp_err("nbcore '%s': give 1 to %u (the worker lcores of -l)",
			argv[2], avail);
		return -1;
	}
	if (refuse_while_running("changing the number of cores") < 0)
		return -1;
	tp_cfg.nb_fwd_lcores = (unsigned int)v;
	printf("Number of forwarding cores set to %u\n", tp_cfg.nb_fwd_lcores);
	return 0;
}

static int
cmd_set(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "fwd") == 0) {
		if (argc != 3)
			return usage_error(argv[0], "set fwd needs a mode");
		return set_fwd(argv[2]);
	}
	if (argc >= 2 && strcmp(argv[1], "promisc") == 0)
		return set_promisc(argc, argv);
	if (argc >= 2 && strcmp(argv[1], "nbcore") == 0)
		return set_nbcore(argc, argv);
	return usage_error(argv[0], "set fwd, promisc or nbcore");
}

static int
cmd_port(int argc, char **argv)
{
	uint16_t ids[DP_MAX_ETHPORTS], n, i;
	bool start;

	if (argc != 3 || (strcmp(argv[1], "start") != 0 &&
	    strcmp(argv[1], "stop") != 0))
		return usage_error(argv[0], "port start or port stop, and which");
	start = strcmp(argv[1], "start") == 0;
	if (parse_ports(argv[2], ids, &n) < 0)
		return -1;
	if (refuse_while_running(start ? "starting ports" : "stopping ports") < 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (start && tp_ports[ids[i]].started) {
			printf("Port %u is already started\n", ids[i]);
			continue;
		}
		if (!start && !tp_ports[ids[i]].started) {
			printf("Port %u is already stopped\n", ids[i]);
			continue;
		}
		if ((start ? tp_port_start(ids[i]) : tp_port_stop(ids[i])) < 0)
			return -1;
	}
	return 0;
}

/* Wait (forwarding stops by itself, or S seconds pass), for scripts. */
static int
cmd_wait(int argc, char **argv)
{
	double secs = 0;
	uint64_t end = 0;
	char *stop;

	if (argc > 2)
		return usage_error(argv[0], "too many arguments");
	if (argc == 2) {
		secs = strtod(argv[1], &stop);
		if (*stop != '\0' || !(secs > 0) || secs > 1e6)
			return usage_error(argv[0], "seconds must be a number above 0");
		end = dp_rdtsc() + (uint64_t)(secs * (double)dp_get_tsc_hz());
	} else if (!tp_fwd_running()) {
		printf("Packet forwarding is not running\n");
		return 0;
	} else if (!tp_fwd_bounded()) {
		tp_err("forwarding would never stop by itself (no --nb-pkts or "
			"--duration): use 'wait SECONDS' or 'stop'");
		return -1;
	}
	while (!tp_signal_received) {
		tp_fwd_tick();
		if (end == 0 && !tp_fwd_running())
			break;
		if (end != 0 && dp_rdtsc() >= end)
			break;
		usleep(TICK_MS * 1000);
	}
	return 0;
}

static int
cmd_help(int argc, char **argv)
{
	unsigned int i;

	(void)argc;
	(void)argv;
	printf("Commands (PORT is a port id or 'all'):\n");
	for (i = 0; cmds[i].name != NULL; i++)
		printf("  %-34s %s\n", cmds[i].usage, cmds[i].help);
	printf("Forwarding modes:\n");
	for (i = 0; fwd_engines[i] != NULL; i++)
		printf("  %-10s %s\n", fwd_engines[i]->name, fwd_engines[i]->what);
	return 0;
}

static int
cmd_quit(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return 1;
}

static const struct cmd cmds[] = {
	{ "start", "start [tx_first [N]]",
	  "start forwarding (tx_first: send N bursts first, default 1)",
	  cmd_start },
	{ "stop", "stop", "stop forwarding and show the forward statistics",
	  cmd_stop },
	{ "show", "show port info|stats|xstats PORT",
	  "port settings, counters with throughput, extended counters",
	  cmd_show },
	{ "show", "show config fwd", "streams and the lcores that poll them",
	  cmd_show },
	{ "show", "show fwd stats all",
	  "forward statistics of the current or last run", cmd_show },
	{ "clear", "clear port stats PORT", "reset the port counters",
	  cmd_clear },
	{ "set", "set fwd MODE", "choose the forwarding mode", cmd_set },
	{ "set", "set promisc PORT on|off", "promiscuous mode", cmd_set },
	{ "set", "set nbcore N", "number of forwarding lcores", cmd_set },
	{ "port", "port start|stop PORT", "start or stop ports", cmd_port },
	{ "wait", "wait [SECONDS]",
	  "until forwarding stops by itself (--nb-pkts, --duration), or "
	  "SECONDS", cmd_wait },
	{ "help", "help", "this list", cmd_help },
	{ "quit", "quit", "stop forwarding, close the ports, exit", cmd_quit },
	{ NULL, NULL, NULL, NULL },
};

/* ---- dispatch ------------------------------------------------------------- */

int
tp_cli_exec(char *line)
{
	char *argv[MAX_TOKENS + 1], *save = NULL, *tok;
	int argc = 0, rc;
	unsigned int i;

	for (tok = strtok_r(line, " \t\r\n", &save); tok != NULL;
	     tok = strtok_r(NULL, " \t\r\n", &save)) {
		if (argc == MAX_TOKENS) {
			tp_err("too many words (type 'help')");
			return -1;
		}
		argv[argc++] = tok;
	}
	argv[argc] = NULL;
	if (argc == 0 || argv[0][0] == '#')
		return 0;
	for (i = 0; cmds[i].name != NULL; i++)
		if (strcmp(cmds[i].name, argv[0]) == 0)
			break;
	if (cmds[i].name == NULL) {
		if (strcmp(argv[0], "exit") == 0)
			return 1;
		tp_err("unknown command '%s' (type 'help' for the list)", argv[0]);
		return -1;
	}
	rc = cmds[i].fn(argc, argv);
	fflush(stdout);
	return rc;
}

/* ---- input ------------------------------------------------------------------- */

static bool cli_quit;

static void
cli_line(char *line)
{
	if (line == NULL) {	/* Ctrl-D, or a signal */
		printf("\n");
		cli_quit = true;
		return;
	}
	if (line[0] != '\0')
		add_history(line);
	if (tp_cli_exec(line) == 1)
		cli_quit = true;
	free(line);
}

/* Words for tab completion. */
static const char *const words[] = {
	"start", "tx_first", "stop", "show", "port", "info", "stats", "xstats",
	"config", "fwd", "clear", "set", "promisc", "nbcore", "all", "on",
	"off", "wait", "help", "quit", "io", "mac", "macswap", "rxonly",
	"txonly", "flowgen", NULL,
};

static char *
complete_word(const char *text, int state)
{
	static size_t i, len;

	if (state == 0) {
		i = 0;
		len = strlen(text);
	}
	while (words[i] != NULL) {
		const char *w = words[i++];

		if (strncmp(w, text, len) == 0)
			return strdup(w);
	}
	return NULL;
}

static void
history_path(char *buf, size_t size)
{
	const char *home = getenv("HOME");

	buf[0] = '\0';
	if (home != NULL && home[0] != '\0')
		snprintf(buf, size, "%s/%s", home, HISTORY_FILE);
}

/* Run the housekeeping; redraw the prompt if it printed something. */
static void
tick_redraw(void)
{
	bool was = tp_fwd_running();

	tp_fwd_tick();
	if (was && !tp_fwd_running())
		rl_forced_update_display();
}

/*
 * libedit reads keys through this: it waits for one while the forwarding
 * housekeeping keeps running. A signal ends the line like Ctrl-D.
 */
static int
wait_key(FILE *f)
{
	unsigned char c;
	ssize_t n;

	(void)f;
	while (!tp_signal_received) {
		struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };

		if (poll(&pfd, 1, TICK_MS) > 0) {
			n = read(STDIN_FILENO, &c, 1);
			if (n == 1)
				return c;
			if (n == 0 || errno != EINTR)
				return EOF;
		}
		tick_redraw();
	}
	return EOF;
}

static void
run_terminal(void)
{
	char hist[4096], *line;

	history_path(hist, sizeof(hist));
	using_history();
	stifle_history(HISTORY_MAX);
	if (hist[0])
		read_history(hist);
	rl_readline_name = "dpkit-testpmd";
	rl_completion_entry_function = complete_word;
	rl_getc_function = wait_key;
	while (!cli_quit && !tp_signal_received) {
		line = readline(PROMPT);
		cli_line(line);
	}
	if (hist[0] && write_history(hist) != 0)
		tp_warn("cannot write the command history to %s", hist);
}

/* Commands from a pipe or a file: one per line, echoed after the prompt. */
static void
run_pipe(void)
{
	char buf[4096];
	size_t len = 0;
	bool eof = false;

	while (!cli_quit && !tp_signal_received && !eof) {
		struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
		char *nl;

		if (poll(&pfd, 1, TICK_MS) > 0) {
			ssize_t n = read(STDIN_FILENO, buf + len,
				sizeof(buf) - 1 - len);

			if (n < 0 && errno != EINTR)
				eof = true;
			else if (n == 0)
				eof = true;
			else if (n > 0)
				len += (size_t)n;
			/* A last line without a newline still counts. */
			if (eof && len > 0 && len < sizeof(buf) - 1)
				buf[len++] = '\n';
		}
		while (!cli_quit && (nl = memchr(buf, '\n', len)) != NULL) {
			size_t used = (size_t)(nl - buf) + 1;

			*nl = '\0';
			printf(PROMPT "%s\n", buf);
			fflush(stdout);
			if (tp_cli_exec(buf) == 1)
				cli_quit = true;
			memmove(buf, buf + used, len - used);
			len -= used;
		}
		if (len == sizeof(buf) - 1) {
			tp_err("command line longer than %zu bytes: ignored",
				sizeof(buf) - 2);
			len = 0;
		}
		tp_fwd_tick();
	}
	if (eof && !cli_quit)
		printf("end of input: quitting\n");
}

void
tp_cli_run(void)
{
	if (isatty(STDIN_FILENO))
		run_terminal();
	else
		run_pipe();
	if (tp_signal_received)
		printf("\n%s received: quitting\n", strsignal(tp_signal_received));
	fflush(stdout);
}
