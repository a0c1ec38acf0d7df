// SPDX-License-Identifier: BSD-3-Clause
/* scmi monitor: placeholder until the notification core lands. */
#include "cli.h"

static int monitor_run(struct cli *cli, int argc, char **argv)
{
	fprintf(stderr, "%s monitor: not implemented yet\n", cli->prog);
	return CLI_EXIT_FAIL;
}

const struct cli_cmd cli_cmd_monitor = {
	.name = "monitor",
	.args = "...",
	.help = "print platform notifications as they arrive",
	.run = monitor_run,
};

const struct cli_events cli_base_events = {NULL, 0};
