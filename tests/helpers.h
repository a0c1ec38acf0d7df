/* SPDX-License-Identifier: BSD-3-Clause */
/* Shared helpers for the Criterion suites. */
#ifndef SCMI_TESTS_HELPERS_H
#define SCMI_TESTS_HELPERS_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <criterion/criterion.h>
#include <scmi/loopback.h>
#include <scmi/scmi.h>
#include <scmi/sim.h>

/* Log lines captured from a handle, for asserting on error messages. */
struct test_log {
	pthread_mutex_t lock;
	char text[8192];
	size_t len;
};

void test_log_fn(void *priv, enum scmi_log_level level, const char *msg);
void test_log_init(struct test_log *lg);
bool test_log_contains(struct test_log *lg, const char *needle);

/* A config that logs into @lg (may be NULL: silent). */
struct scmi_config test_config(struct test_log *lg);

/*
 * scmi_open() that must succeed.  @uri NULL means "loopback://".
 *
 * The transport under the suites is SCMI_TEST_TRANSPORT: "loopback" (the
 * default) or "shmem".  With shmem, a loopback:// URI is served by an
 * scmi-sim process of its own instead (started here, its parameters
 * translated to scmi-sim options, stopped when the handle is closed), and
 * the handle is opened on the shmem:// URI it prints; other URIs are opened
 * as given.
 */
struct scmi_handle *test_open(const char *uri, const struct scmi_config *cfg);

/* The transport the suites run on: "loopback" or "shmem". */
const char *test_transport(void);
/* Whether the suites run on loopback:// (the simulator in process). */
bool test_on_loopback(void);
/* Skip the test unless the platform is the in-process simulator (rogue
 * models, byte-level access, the simulator's state); the message names
 * the line that needs it. */
#define test_need_sim() test_need_sim_at(__FILE__, __LINE__)
void test_need_sim_at(const char *file, int line);
/* The in-process simulator behind @h; skips the test when the suites run
 * on another transport (there is none). */
#define test_sim(h) test_sim_at((h), __FILE__, __LINE__)
struct scmi_sim *test_sim_at(const struct scmi_handle *h, const char *file, int line);
/*
 * The simulator as a description of the platform -- what it offers and
 * never changes on its own: protocols and versions, domains, names, levels,
 * rates.  On loopback the live one (test_sim()); on shmem a simulator of
 * the same configuration in process (a loopback handle opened on the same
 * URI without its fault knobs), whose state is never the platform's: use
 * test_sim() for state, statistics, faults and events.
 */
struct scmi_sim *test_model(const struct scmi_handle *h);
/* A counter of the simulator's statistics (struct scmi_sim_stats:
 * "requests", "notifications", "responses", "delayed_responses",
 * "malformed", "faults"); on shmem through the control socket. */
uint64_t test_stat(const struct scmi_handle *h, const char *name);
/* Requests the platform has taken so far: test_stat(h, "requests"). */
uint64_t test_requests(const struct scmi_handle *h);
/*
 * The platform acts, on any transport: the simulator's call on loopback, a
 * control command on shmem (scmi-sim --help, CONTROL PROTOCOL).  Each
 * returns what the simulator's call does (notifications sent, 0, or a
 * negative errno).  On shmem, a change made by another agent than 0 (power)
 * or with a reset state (reset) has no control command: the test skips.
 */
int test_notify_enabled(const struct scmi_handle *h, uint8_t proto, uint8_t evt, uint32_t src);
int test_clock_rate_change(const struct scmi_handle *h, uint32_t id, uint64_t rate);
int test_perf_limits_set(const struct scmi_handle *h, uint32_t dom, uint32_t max, uint32_t min);
int test_perf_level_set(const struct scmi_handle *h, uint32_t dom, uint32_t level);
int test_power_state_change(const struct scmi_handle *h, uint32_t dom, uint32_t state,
			    uint32_t agent);
int test_reset_issue(const struct scmi_handle *h, uint32_t dom, uint32_t agent, uint32_t state);
int test_powercap_power_set(const struct scmi_handle *h, uint32_t dom, uint32_t mw);

/* A perf domain / clock as the platform has it now: on shmem the
 * description of test_model() with the state (level and limits; rate, gate,
 * duty cycle, phase, parent) read through the control socket. */
struct scmi_sim_perf_domain;
struct scmi_sim_clock_info;
int test_perf_domain(const struct scmi_handle *h, uint32_t dom, struct scmi_sim_perf_domain *out);
int test_clock_info(const struct scmi_handle *h, uint32_t id, struct scmi_sim_clock_info *out);
/* The same for a power, reset, voltage and powercap domain (their state
 * and counters from power-state, reset-state, voltage-state,
 * powercap-state). */
struct scmi_sim_power_domain;
struct scmi_sim_reset_domain;
struct scmi_sim_voltage_domain;
struct scmi_sim_powercap_domain;
/* Fault knobs as scmi_sim_fault_add(), _clear(), _hits(); on shmem
 * through fault-add, fault clear, fault-hits. */
int test_fault_add(const struct scmi_handle *h, const struct scmi_sim_fault *f);
void test_fault_clear(const struct scmi_handle *h);
uint64_t test_fault_hits(const struct scmi_handle *h, enum scmi_sim_fault_kind kind);
struct scmi_sim_perf_stats;
int test_perf_stats(const struct scmi_handle *h, struct scmi_sim_perf_stats *out);
int test_power_domain(const struct scmi_handle *h, uint32_t dom, struct scmi_sim_power_domain *out);
int test_reset_domain(const struct scmi_handle *h, uint32_t dom, struct scmi_sim_reset_domain *out);
int test_voltage_domain(const struct scmi_handle *h, uint32_t dom,
			struct scmi_sim_voltage_domain *out);
int test_powercap_domain(const struct scmi_handle *h, uint32_t dom,
			 struct scmi_sim_powercap_domain *out);

/* Whether the next scmi-sim servers offer fastchannels (default true, as
 * loopback does); without, the platform uses messages only (no perf or
 * powercap fastchannels). */
void test_server_fastchannels(bool on);
/* A command line to the control socket of the scmi-sim serving @h (shmem
 * only; skips on loopback); its reply line, without the newline, in a
 * static buffer. */
const char *test_control(const struct scmi_handle *h, const char *cmd);
/* The same to the control socket at @path (a server the test started). */
const char *test_control_at(const char *path, const char *cmd);

/* scmi_close() that also stops the scmi-sim process serving @h, if any. */
void test_close(struct scmi_handle *h);
#define scmi_close(h) test_close(h)

static inline uint64_t test_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static inline void test_sleep_ms(unsigned int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

struct sim_proto_ops;

/* Replace the simulator's model of @ops->id with @ops at @version (a rogue
 * platform for one protocol); asserts it worked. */
void test_model_swap(struct scmi_sim *sim, const struct sim_proto_ops *ops, uint32_t version);
/* Open @uri (NULL: the default loopback) logging into @lg (NULL: silent),
 * with @ops in place of its protocol's model at @version.  Skips the test
 * on a transport other than loopback. */
struct scmi_handle *test_open_model(const char *uri, struct test_log *lg,
				    const struct sim_proto_ops *ops, uint32_t version);

/* Wait until cond() is true or @ms pass; true if it became true.  Polls
 * every millisecond: tests wait on conditions, never sleep blindly. */
bool test_wait_until(bool (*cond)(void *arg), void *arg, unsigned int ms);

#endif
