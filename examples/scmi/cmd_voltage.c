// SPDX-License-Identifier: BSD-3-Clause
/* scmi voltage: placeholder until the protocol is implemented. */
#include "cli.h"

static int voltage_run(struct cli *cli, int argc, char **argv)
{
	fprintf(stderr, "%s voltage: not implemented yet\n", cli->prog);
	return CLI_EXIT_FAIL;
}

const struct cli_cmd cli_cmd_voltage = {
	.name = "voltage",
	.args = "...",
	.help = "voltage protocol (not implemented yet)",
	.run = voltage_run,
};

const struct cli_events cli_voltage_events = {NULL, 0};
