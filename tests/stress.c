// SPDX-License-Identifier: BSD-3-Clause
/*
 * Stress runner: the concurrency workloads without Criterion, so that the
 * ThreadSanitizer build can run them (see workloads.h).
 */
#include <stdio.h>
#include <string.h>

#include "workloads.h"

struct stress_case {
	const char *name;
	int (*run)(struct workload_err *err);
};

static int xfer_8_threads(struct workload_err *err)
{
	return workload_agent_threads("loopback://?max_msg=16", 8, 1000, err);
}

static int xfer_12_threads_3_xfers(struct workload_err *err)
{
	return workload_agent_threads("loopback://?max_msg=3", 12, 500, err);
}

static int xfer_polling(struct workload_err *err)
{
	return workload_agent_threads("loopback://?max_msg=8&polling=1", 8, 500, err);
}

static int polling_faults(struct workload_err *err)
{
	return workload_polling_faults(8, 300, err);
}

static int notify_storm(struct workload_err *err)
{
	return workload_notify_storm(8, 100000, err);
}

static int protocols_mixed(struct workload_err *err)
{
	return workload_protocols_mixed(8, 150, err);
}

static int request_storm(struct workload_err *err)
{
	return workload_request_storm(6, 60, err);
}

static const struct stress_case cases[] = {
	{"request_storm", request_storm},
	{"protocols_mixed", protocols_mixed}, {"notify_storm", notify_storm},
	{"xfer_8_threads", xfer_8_threads},   {"xfer_12_threads_3_xfers", xfer_12_threads_3_xfers},
	{"xfer_polling", xfer_polling},	      {"polling_faults", polling_faults},
};

int main(int argc, char **argv)
{
	int failed = 0;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct workload_err err = {{0}};

		if (argc > 1 && strcmp(argv[1], cases[i].name))
			continue;
		if (cases[i].run(&err)) {
			printf("FAIL %s: %s\n", cases[i].name, err.msg);
			failed++;
		} else {
			printf("ok   %s%s%s\n", cases[i].name, err.msg[0] ? ": " : "", err.msg);
		}
	}
	return failed ? 1 : 0;
}
