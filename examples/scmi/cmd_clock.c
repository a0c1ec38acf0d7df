// SPDX-License-Identifier: BSD-3-Clause
/* scmi clock: placeholder until the protocol is implemented. */
#include "cli.h"

static int clock_run(struct cli *cli, int argc, char **argv)
{
	fprintf(stderr, "%s clock: not implemented yet\n", cli->prog);
	return CLI_EXIT_FAIL;
}

const struct cli_cmd cli_cmd_clock = {
	.name = "clock",
	.args = "...",
	.help = "clock protocol (not implemented yet)",
	.run = clock_run,
};

const struct cli_events cli_clock_events = {NULL, 0};
