// SPDX-License-Identifier: BSD-3-Clause
/* scmi perf: placeholder until the protocol is implemented. */
#include "cli.h"

static int perf_run(struct cli *cli, int argc, char **argv)
{
	fprintf(stderr, "%s perf: not implemented yet\n", cli->prog);
	return CLI_EXIT_FAIL;
}

const struct cli_cmd cli_cmd_perf = {
	.name = "perf",
	.args = "...",
	.help = "perf protocol (not implemented yet)",
	.run = perf_run,
};

const struct cli_events cli_perf_events = {NULL, 0};
