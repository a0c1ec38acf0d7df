// SPDX-License-Identifier: BSD-3-Clause
/*
 * scmi - talk to an SCMI platform from the command line.
 *
 *   scmi [--uri URI] [--json] [--timeout MS] [-v] COMMAND [ARGS...]
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const struct cli_cmd *const commands[] = {
	&cli_cmd_info,	  &cli_cmd_monitor,  &cli_cmd_power,   &cli_cmd_system,
	&cli_cmd_perf,	  &cli_cmd_clock,    &cli_cmd_sensor,  &cli_cmd_reset,
	&cli_cmd_voltage, &cli_cmd_powercap, &cli_cmd_pinctrl,
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
		"Usage: %s [OPTIONS] COMMAND [ARGS...]\n"
		"Talk to an Arm SCMI platform.\n\n"
		"Options:\n"
		"  -u, --uri URI       platform to open (default: loopback://, the simulator)\n"
		"  -j, --json          print results as JSON\n"
		"  -t, --timeout MS    response timeout in milliseconds\n"
		"  -v, --verbose       log more (repeat for debug)\n"
		"  -h, --help          show this help\n\n"
		"Commands:\n",
		prog);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-8s %-28s %s\n", commands[i]->name, commands[i]->args,
			commands[i]->help);
}

int cli_fail(const struct cli *cli, const char *what, int err)
{
	fprintf(stderr, "%s: %s: %s\n", cli->prog, what, scmi_strerror(err));
	return CLI_EXIT_FAIL;
}

int cli_usage_error(const struct cli *cli, const struct cli_cmd *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s %s: ", cli->prog, cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nUsage: %s [OPTIONS] %s %s\n", cli->prog, cmd->name, cmd->args);
	return CLI_EXIT_USAGE;
}

void cli_json_print(struct json_object *obj)
{
	puts(json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PRETTY |
							 JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(obj);
}

const char *cli_version_str(uint32_t version, char buf[16])
{
	snprintf(buf, 16, "%u.%u", SCMI_VERSION_MAJOR(version), SCMI_VERSION_MINOR(version));
	return buf;
}

static void cli_log(void *priv, enum scmi_log_level level, const char *msg)
{
	const struct cli *cli = priv;
	static const char *const names[] = {"", "error", "warning", "info", "debug"};

	fprintf(stderr, "%s: %s: %s\n", cli->prog, level >= 1 && level <= 4 ? names[level] : "",
		msg);
}

int cli_open(struct cli *cli)
{
	int ret = scmi_open(cli->uri, &cli->cfg, &cli->h);

	if (ret) {
		fprintf(stderr, "%s: cannot open %s: %s\n", cli->prog, cli->uri,
			scmi_strerror(ret));
		return CLI_EXIT_FAIL;
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
	static const struct option opts[] = {
		{"uri", required_argument, NULL, 'u'},	   {"json", no_argument, NULL, 'j'},
		{"timeout", required_argument, NULL, 't'}, {"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},	   {NULL, 0, NULL, 0},
	};
	struct cli cli = {.uri = "loopback://", .prog = "scmi"};
	struct scmi_config cfg = {0};
	const struct cli_cmd *cmd;
	char *end;
	long val;
	int c, ret;

	cfg.log_fn = cli_log;
	cfg.log_priv = &cli;
	cfg.log_level = SCMI_LOG_ERR;
	/* '+': stop at the first non-option, the subcommand. */
	while ((c = getopt_long(argc, argv, "+u:jt:vh", opts, NULL)) != -1) {
		switch (c) {
		case 'u':
			cli.uri = optarg;
			break;
		case 'j':
			cli.json = true;
			break;
		case 't':
			errno = 0;
			val = strtol(optarg, &end, 10);
			if (errno || *end || val < 1 || val > 3600000) {
				fprintf(stderr, "%s: --timeout: '%s' is not a number of ms\n",
					cli.prog, optarg);
				usage(stderr, cli.prog);
				return CLI_EXIT_USAGE;
			}
			cfg.timeout_ms = (unsigned int)val;
			break;
		case 'v':
			cfg.log_level =
				cfg.log_level < SCMI_LOG_DEBUG ? cfg.log_level + 1 : SCMI_LOG_DEBUG;
			break;
		case 'h':
			usage(stdout, cli.prog);
			return CLI_EXIT_OK;
		default:
			usage(stderr, cli.prog);
			return CLI_EXIT_USAGE;
		}
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

	cli.cfg = cfg;
	argc -= optind;
	argv += optind;
	optind = 0; /* glibc: fully re-initialise getopt for the subcommand */
	ret = cmd->run(&cli, argc, argv);
	scmi_close(cli.h);
	return ret;
}
