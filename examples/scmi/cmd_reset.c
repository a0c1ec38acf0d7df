// SPDX-License-Identifier: BSD-3-Clause
/* scmi reset: placeholder until the protocol is implemented. */
#include "cli.h"

static int reset_run(struct cli *cli, int argc, char **argv)
{
	fprintf(stderr, "%s reset: not implemented yet\n", cli->prog);
	return CLI_EXIT_FAIL;
}

const struct cli_cmd cli_cmd_reset = {
	.name = "reset",
	.args = "...",
	.help = "reset protocol (not implemented yet)",
	.run = reset_run,
};

const struct cli_events cli_reset_events = {NULL, 0};
