// SPDX-License-Identifier: BSD-3-Clause
/* scmi system: placeholder until the protocol is implemented. */
#include "cli.h"

static int system_run(struct cli *cli, int argc, char **argv)
{
	fprintf(stderr, "%s system: not implemented yet\n", cli->prog);
	return CLI_EXIT_FAIL;
}

const struct cli_cmd cli_cmd_system = {
	.name = "system",
	.args = "...",
	.help = "system protocol (not implemented yet)",
	.run = system_run,
};

const struct cli_events cli_system_events = {NULL, 0};
