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
#include <stdint.h>

struct workload_err {
	char msg[512];
};

/* @nthreads callers share one handle opened on @uri, each issuing
 * @ncmds commands whose replies identify the request; every reply must
 * reach its own caller. */
int workload_agent_threads(const char *uri, int nthreads, int ncmds, struct workload_err *err);

/* @nthreads callers on a polling loopback handle whose platform sends
 * every response twice and some of them late (after the caller gave up):
 * every reply that reaches a caller is its own, nothing but timeouts
 * fails, and (under TSan) no parked reply is written while being read. */
int workload_polling_faults(int nthreads, int ncmds, struct workload_err *err);

/* 8 threads register and unregister notifiers (single sources and all
 * sources) on a test protocol while the simulator streams @nevents events:
 * no crash, no callback after its unregistration returned, every event
 * accounted for, every platform-side enable released at the end. */
int workload_notify_storm(int nthreads, uint32_t nevents, struct workload_err *err);

/* @nthreads callers use every protocol of one handle at once (gets, sets,
 * async rate sets, resets) while the platform's activity mode changes
 * things on its own and listeners receive the notifications: no call may
 * fail with anything but the platform refusing (no timeout, no protocol
 * error), and TSan must see no race in the protocol implementations. */
int workload_protocols_mixed(int nthreads, int iterations, struct workload_err *err);

/* @nthreads threads keep 32 non-blocking sensor reads each in
 * rotation for @rounds rounds, cancelling some, mixed with blocking calls,
 * while the platform answers some too late; then the handle closes with
 * requests outstanding: every request completes exactly once (its reply,
 * -ETIMEDOUT, -ECANCELED, or the platform's BUSY for an asynchronous read
 * over its limit), every reply is its own request's. */
int workload_request_storm(int nthreads, int rounds, struct workload_err *err);

#endif
