// SPDX-License-Identifier: BSD-3-Clause
/* scmi pinctrl: placeholder until the protocol is implemented. */
#include "cli.h"

static int pinctrl_run(struct cli *cli, int argc, char **argv)
{
	fprintf(stderr, "%s pinctrl: not implemented yet\n", cli->prog);
	return CLI_EXIT_FAIL;
}

const struct cli_cmd cli_cmd_pinctrl = {
	.name = "pinctrl",
	.args = "...",
	.help = "pinctrl protocol (not implemented yet)",
	.run = pinctrl_run,
};

const struct cli_events cli_pinctrl_events = {NULL, 0};
