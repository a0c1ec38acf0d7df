// SPDX-License-Identifier: BSD-3-Clause
/*
 * scmi - talk to an SCMI platform from the command line.
 *
 *   scmi [--uri URI] [--json] [--timeout MS] [--quirks LIST] [-v] [--trace] COMMAND [ARGS...]
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <scmi-sim/loopback.h>

#include "cli.h"

static const struct cli_cmd *const commands[] = {
	&cli_cmd_info,	  &cli_cmd_monitor, &cli_cmd_power, &cli_cmd_system,  &cli_cmd_perf,
	&cli_cmd_clock,	  &cli_cmd_sensor,  &cli_cmd_reset, &cli_cmd_voltage, &cli_cmd_powercap,
	&cli_cmd_pinctrl, &cli_cmd_probe,   &cli_cmd_stats, &cli_cmd_raw,
};

const struct cli_events *const cli_all_events[] = {
	&cli_base_events,
	&cli_power_events,
	&cli_system_events,
	&cli_perf_events,
	&cli_clock_events,
	&cli_sensor_events,
	&cli_reset_events,
	&cli_voltage_events,
	&cli_powercap_events,
	&cli_pinctrl_events,
	NULL,
};

static void usage(FILE *out, const char *prog)
{
	fprintf(out,
		"Usage: %s [OPTIONS] COMMAND [VERB] [ARGS...] [OPTIONS]\n"
		"Talk to an Arm SCMI platform.\n\n"
		"Options (also accepted after COMMAND, where it has no option of that name):\n"
		"  -u, --uri URI       platform to open (default: $SCMI_URI, else loopback://,\n"
		"                      the simulator)\n"
		"  -j, --json          print results as JSON\n"
		"  -t, --timeout TIME  response timeout (ms, or with a unit: 500ms, 2s)\n"
		"  -v, --verbose       log more (repeat for debug)\n"
		"      --quirks LIST   turn platform quirks off or on: -NAME,+NAME,... (\"all\"\n"
		"                      names every one; \"scmi info\" shows the active ones)\n"
		"      --trace         print the SCMI trace events to stderr, as the\n"
		"                      kernel's trace buffer shows them\n"
		"  -h, --help          show this help\n\n"
		"Commands (\"%s COMMAND --help\" for each one's verbs and options):\n",
		prog, prog);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-9s %s\n", commands[i]->name, commands[i]->help);
	fprintf(out,
		"\nNumbers with units: frequencies in Hz, kHz, MHz, GHz; voltages in uV, mV, V;\n"
		"power in uW, mW, W; times in ns, us, ms, s (\"1.2GHz\", \"-0.6V\", \"250ms\").\n"
		"A number without a unit is in the unit the option names.\n"
		"Exit status: 0 success, 1 the platform refused or failed, 2 bad command line.\n"
		"Errors say whether the platform answered (\"SCMI status DENIED from the\n"
		"platform\") or the request was refused here (\"... (nothing sent)\").\n");
}

/* ---- global options ------------------------------------------------------------ */

enum {
	OPT_URI = 0x1000,
	OPT_JSON,
	OPT_TIMEOUT,
	OPT_VERBOSE,
	OPT_QUIRKS,
	OPT_TRACE,
};

static const struct {
	struct option opt;
	char letter;
} global_opts[] = {
	{{"uri", required_argument, NULL, OPT_URI}, 'u'},
	{{"json", no_argument, NULL, OPT_JSON}, 'j'},
	{{"timeout", required_argument, NULL, OPT_TIMEOUT}, 't'},
	{{"verbose", no_argument, NULL, OPT_VERBOSE}, 'v'},
	{{"quirks", required_argument, NULL, OPT_QUIRKS}, '\0'}, /* long only */
	{{"trace", no_argument, NULL, OPT_TRACE}, 0},
};

#define NUM_GLOBAL_OPTS (sizeof(global_opts) / sizeof(global_opts[0]))

/* --trace: one line per event on stderr, as in the kernel's trace buffer. */
static void trace_print(void *priv, const struct scmi_trace_record *rec)
{
	char line[1024];

	(void)priv;
	if (scmi_trace_format(rec, line, sizeof(line)) >= 0)
		fprintf(stderr, "%s\n", line);
}

/* Apply global option @code (OPT_*); a bad value exits with usage status. */
static void global_option(struct cli *cli, int code, const char *arg)
{
	int64_t ms;

	switch (code) {
	case OPT_URI:
		cli->uri = arg;
		break;
	case OPT_JSON:
		cli->json = true;
		break;
	case OPT_TIMEOUT:
		if (cli_parse_quantity(arg, CLI_TIME, -3, -3, 1, 3600000, &ms)) {
			cli_bad_value(cli, NULL, "--timeout", arg,
				      "not a timeout (1 ms to 1 hour: a number of ms, or with a "
				      "unit: ns, us, ms or s)");
			exit(CLI_EXIT_USAGE);
		}
		cli->cfg.timeout_ms = (unsigned int)ms;
		break;
	case OPT_QUIRKS:
		cli->cfg.quirks = arg;
		break;
	case OPT_TRACE:
		cli->cfg.trace_fn = trace_print;
		break;
	default:
		if (cli->cfg.log_level < SCMI_LOG_DEBUG)
			cli->cfg.log_level++;
		break;
	}
}

/* Global option code of short letter @c, or 0. */
static int global_code(int c)
{
	for (size_t i = 0; i < NUM_GLOBAL_OPTS; i++)
		if (global_opts[i].letter == c)
			return global_opts[i].opt.val;
	return 0;
}

static bool has_long(const struct option *longopts, const char *name)
{
	for (; longopts && longopts->name; longopts++)
		if (!strcmp(longopts->name, name))
			return true;
	return false;
}

int cli_getopt(struct cli *cli, int argc, char **argv, const char *shortopts,
	       const struct option *longopts)
{
	static struct option merged[64];
	static char shorts[96];
	char own_letters[8] = ""; /* global letters the subcommand does not use */
	size_t n = 0, len;
	int c;

	for (; longopts && longopts[n].name && n < 64 - NUM_GLOBAL_OPTS - 1; n++)
		merged[n] = longopts[n];
	snprintf(shorts, sizeof(shorts), "%s", shortopts);
	len = strlen(shorts);
	for (size_t i = 0; i < NUM_GLOBAL_OPTS; i++) {
		char letter = global_opts[i].letter;

		if (!has_long(longopts, global_opts[i].opt.name))
			merged[n++] = global_opts[i].opt;
		if (letter && !strchr(shortopts, letter) && len + 3 < sizeof(shorts)) {
			shorts[len++] = letter;
			if (global_opts[i].opt.has_arg == required_argument)
				shorts[len++] = ':';
			shorts[len] = '\0';
			own_letters[strlen(own_letters)] = letter;
		}
	}
	memset(&merged[n], 0, sizeof(merged[n]));
	for (;;) {
		c = getopt_long(argc, argv, shorts, merged, NULL);
		if (c >= OPT_URI && c <= OPT_TRACE)
			global_option(cli, c, optarg);
		else if (c > 0 && c < 0x80 && strchr(own_letters, c))
			global_option(cli, global_code(c), optarg);
		else
			return c;
	}
}

void cli_json_print(struct json_object *obj)
{
	puts(json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PRETTY |
							 JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(obj);
}

const char *cli_version_str(uint32_t version, char buf[16])
{
	snprintf(buf, 16, "%u.%u", SCMI_PROTO_VERSION_MAJOR(version),
		 SCMI_PROTO_VERSION_MINOR(version));
	return buf;
}

/*
 * Error lines logged while scmi_open() runs are held back: if the open
 * fails, the failure line names the reason (scmi_last_error_msg()) and the
 * same line logged is not repeated.  Lines may come from libscmi's thread.
 */
#define HELD_LINES 8
static struct {
	pthread_mutex_t lock;
	bool holding;
	unsigned int n;
	char line[HELD_LINES][SCMI_ERROR_MSG_MAX];
} held = {.lock = PTHREAD_MUTEX_INITIALIZER};

static const char *const level_names[] = {"", "error", "warning", "info", "debug"};

static void cli_log(void *priv, enum scmi_log_level level, const char *msg)
{
	const struct cli *cli = priv;

	if (level == SCMI_LOG_ERR) {
		pthread_mutex_lock(&held.lock);
		if (held.holding && held.n < HELD_LINES) {
			snprintf(held.line[held.n++], SCMI_ERROR_MSG_MAX, "%s", msg);
			pthread_mutex_unlock(&held.lock);
			return;
		}
		pthread_mutex_unlock(&held.lock);
	}
	fprintf(stderr, "%s: %s: %s\n", cli->prog,
		level >= 1 && level <= 4 ? level_names[level] : "", msg);
}

/* Print the lines held back, but the reason the failure line gives. */
static void release_held(const struct cli *cli, const char *reason)
{
	pthread_mutex_lock(&held.lock);
	held.holding = false;
	for (unsigned int i = 0; i < held.n; i++)
		if (!reason || strcmp(reason, held.line[i]))
			fprintf(stderr, "%s: error: %s\n", cli->prog, held.line[i]);
	held.n = 0;
	pthread_mutex_unlock(&held.lock);
}

const char *cli_uri(struct cli *cli)
{
	const char *env = getenv("SCMI_URI");

	/* --uri, then SCMI_URI, then the simulator (said once). */
	if (!cli->uri && env && *env)
		cli->uri = env;
	if (!cli->uri) {
		cli->uri = "loopback://";
		fprintf(stderr, "%s: no --uri and no SCMI_URI: talking to the simulator (%s)\n",
			cli->prog, cli->uri);
	}
	/* In libscmi-sim, which --as-needed would drop if nothing used it. */
	scmi_sim_loopback_register();
	return cli->uri;
}

int cli_open(struct cli *cli)
{
	char what[320];
	int ret;

	pthread_mutex_lock(&held.lock);
	held.holding = true;
	pthread_mutex_unlock(&held.lock);
	ret = scmi_open(cli_uri(cli), &cli->cfg, &cli->h);
	release_held(cli, ret ? scmi_last_error_msg() : NULL);
	if (ret) {
		snprintf(what, sizeof(what), "cannot open %s", cli->uri);
		cli->h = NULL;
		return cli_fail(cli, what, ret);
	}
	return 0;
}

static const struct cli_cmd *find_command(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(commands[i]->name, name))
			return commands[i];
	return NULL;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	struct cli cli = {.prog = "scmi"};
	const struct cli_cmd *cmd;
	int c, ret;

	cli.cfg.log_fn = cli_log;
	cli.cfg.log_priv = &cli;
	cli.cfg.log_level = SCMI_LOG_ERR;
	/* '+': stop at the first non-option, the subcommand. */
	while ((c = cli_getopt(&cli, argc, argv, "+h", opts)) != -1) {
		if (c == 'h') {
			usage(stdout, cli.prog);
			return CLI_EXIT_OK;
		}
		usage(stderr, cli.prog);
		return CLI_EXIT_USAGE;
	}
	if (optind >= argc) {
		fprintf(stderr, "%s: no command given\n", cli.prog);
		usage(stderr, cli.prog);
		return CLI_EXIT_USAGE;
	}
	cmd = find_command(argv[optind]);
	if (!cmd) {
		fprintf(stderr, "%s: unknown command '%s'\n", cli.prog, argv[optind]);
		usage(stderr, cli.prog);
		return CLI_EXIT_USAGE;
	}

	argc -= optind;
	argv += optind;
	optind = 0; /* glibc: fully re-initialise getopt for the subcommand */
	ret = cmd->run(&cli, argc, argv);
	scmi_close(cli.h);
	return ret;
}
