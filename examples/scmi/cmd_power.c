// SPDX-License-Identifier: BSD-3-Clause
/* scmi power: placeholder until the protocol is implemented. */
#include "cli.h"

static int power_run(struct cli *cli, int argc, char **argv)
{
	fprintf(stderr, "%s power: not implemented yet\n", cli->prog);
	return CLI_EXIT_FAIL;
}

const struct cli_cmd cli_cmd_power = {
	.name = "power",
	.args = "...",
	.help = "power protocol (not implemented yet)",
	.run = power_run,
};

const struct cli_events cli_power_events = {NULL, 0};
