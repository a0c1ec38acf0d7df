// SPDX-License-Identifier: BSD-3-Clause
/* scmi sensor: placeholder until the protocol is implemented. */
#include "cli.h"

static int sensor_run(struct cli *cli, int argc, char **argv)
{
	fprintf(stderr, "%s sensor: not implemented yet\n", cli->prog);
	return CLI_EXIT_FAIL;
}

const struct cli_cmd cli_cmd_sensor = {
	.name = "sensor",
	.args = "...",
	.help = "sensor protocol (not implemented yet)",
	.run = sensor_run,
};

const struct cli_events cli_sensor_events = {NULL, 0};
