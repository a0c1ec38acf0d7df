// SPDX-License-Identifier: BSD-3-Clause
/* scmi powercap: placeholder until the protocol is implemented. */
#include "cli.h"

static int powercap_run(struct cli *cli, int argc, char **argv)
{
	fprintf(stderr, "%s powercap: not implemented yet\n", cli->prog);
	return CLI_EXIT_FAIL;
}

const struct cli_cmd cli_cmd_powercap = {
	.name = "powercap",
	.args = "...",
	.help = "powercap protocol (not implemented yet)",
	.run = powercap_run,
};

const struct cli_events cli_powercap_events = {NULL, 0};
