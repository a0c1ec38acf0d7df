/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Concurrency workloads shared by the Criterion suites and the stress
 * runner (tests/stress.c).  The stress runner exists because Criterion
 * cannot run under ThreadSanitizer (Snaipe/Criterion#274: its inheritable
 * arena collides with TSan's memory layout), so the TSan build runs these
 * workloads through a plain main().
 *
 * Each workload returns 0 on success, or -1 with a message in @err.
 */
#ifndef SCMI_TESTS_WORKLOADS_H
#define SCMI_TESTS_WORKLOADS_H

#include <stddef.h>

struct workload_err {
	char msg[512];
};

/* @nthreads callers share one handle opened on @uri, each issuing
 * @ncmds commands whose replies identify the request; every reply must
 * reach its own caller. */
int workload_agent_threads(const char *uri, int nthreads, int ncmds, struct workload_err *err);

#endif
