/* SPDX-License-Identifier: BSD-3-Clause */
/* Shared helpers for the Criterion suites. */
#ifndef SCMI_TESTS_HELPERS_H
#define SCMI_TESTS_HELPERS_H

#include <pthread.h>
#include <stdatomic.h>
#include <sys/types.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <criterion/criterion.h>
#include <scmi-sim/loopback.h>
#include <scmi/scmi.h>
#include <scmi-sim/sim.h>

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
 * default) or one scmi-sim serves ("shmem").  On the latter, a loopback://
 * URI is served by an scmi-sim server of its own instead (started here, the
 * URI's parameters translated to its configuration, stopped when the handle
 * is closed), and the handle is opened on the URI the server prints; other
 * URIs are opened as given.  SCMI_TEST_SIM_SERVER says how the server runs:
 * "thread" (the default: scmi-sim's server core on a thread of the test
 * process, its simulator within reach of test_sim()) or "process" (the
 * scmi-sim program, reached through its control socket only).
 */
struct scmi_handle *test_open(const char *uri, const struct scmi_config *cfg);

/* The transport the suites run on: "loopback" or "shmem". */
const char *test_transport(void);
/* Whether the suites run on loopback:// (the simulator in process). */
bool test_on_loopback(void);
/* How scmi-sim serves the suites' transport: "thread" or "process"; NULL
 * on loopback. */
const char *test_sim_server(void);
/* Whether the suites' platform is a simulator in this process (loopback,
 * or a server on a thread): test_sim() works. */
bool test_has_sim(void);
/* Skip the test unless the platform is a simulator in process (rogue
 * models, the simulator's state); the message names the line that needs
 * it. */
#define test_need_sim() test_need_sim_at(__FILE__, __LINE__)
void test_need_sim_at(const char *file, int line);
/* Skip the test unless the suites' transport takes @n commands in flight
 * at once (loopback: 64; shmem: one per channel, which an asynchronous
 * command holds until its delayed response). */
#define test_need_in_flight(n) test_need_in_flight_at((n), __FILE__, __LINE__)
void test_need_in_flight_at(unsigned int n, const char *file, int line);
/* Skips where the transport cannot reach the platform's memory window
 * (fastchannels, statistics areas): virtio-vfio-user:// today. */
#define test_need_window() test_need_window_at(__FILE__, __LINE__)
bool test_has_window(void);
void test_need_window_at(const char *file, int line);
/* The simulator behind @h: the loopback one, or that of the server thread
 * serving it; skips the test when there is none in process (a server
 * process). */
#define test_sim(h) test_sim_at((h), __FILE__, __LINE__)
struct scmi_sim *test_sim_at(const struct scmi_handle *h, const char *file, int line);
/*
 * The simulator as a description of the platform -- what it offers and
 * never changes on its own: protocols and versions, domains, names, levels,
 * rates.  Where there is one in process, the live one (test_sim()); with a
 * server process a simulator of the same configuration in process (a
 * loopback handle opened on the same URI without its fault knobs), whose
 * state is never the platform's: use the helpers below for state,
 * statistics, faults and events.
 */
struct scmi_sim *test_model(const struct scmi_handle *h);
/* A counter of the simulator's statistics (struct scmi_sim_stats:
 * "requests", "notifications", "responses", "delayed_responses",
 * "malformed", "faults"); with a server process through its control
 * socket. */
uint64_t test_stat(const struct scmi_handle *h, const char *name);
/* Requests the platform has taken so far: test_stat(h, "requests"). */
uint64_t test_requests(const struct scmi_handle *h);
/*
 * The platform acts, on any transport: the simulator's call where it is in
 * process, else a control command (scmi-sim --help, CONTROL PROTOCOL).
 * Each returns what the simulator's call does (notifications sent, 0, or a
 * negative errno).  With a server process, a change made by another agent
 * than 0 (power) or with a reset state (reset) has no control command: the
 * test skips.
 */
int test_notify_enabled(const struct scmi_handle *h, uint8_t proto, uint8_t evt, uint32_t src);
int test_clock_rate_change(const struct scmi_handle *h, uint32_t id, uint64_t rate);
int test_perf_limits_set(const struct scmi_handle *h, uint32_t dom, uint32_t max, uint32_t min);
int test_perf_level_set(const struct scmi_handle *h, uint32_t dom, uint32_t level);
int test_power_state_change(const struct scmi_handle *h, uint32_t dom, uint32_t state,
			    uint32_t agent);
int test_reset_issue(const struct scmi_handle *h, uint32_t dom, uint32_t agent, uint32_t state);
int test_powercap_power_set(const struct scmi_handle *h, uint32_t dom, uint32_t mw);

/* A perf domain / clock as the platform has it now: with a server process
 * the description of test_model() with the state (level and limits; rate,
 * gate, duty cycle, phase, parent) read through the control socket. */
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
/* Fault knobs as scmi_sim_fault_add(), _clear(), _hits(); with a server
 * process through fault-add, fault clear, fault-hits.  A DROP knob skips
 * the test on any transport but loopback: on shared memory a dropped
 * response leaves the channel busy for good, so there is no retry. */
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
/* A control command (scmi-sim --help, CONTROL PROTOCOL) to the server of
 * @h (skips on loopback); its reply line, without the newline, in a static
 * buffer.  A server thread runs it on its loop's thread (srv_command()). */
const char *test_control(const struct scmi_handle *h, const char *cmd);
/* The same to the control socket at @path (a server the test started). */
const char *test_control_at(const char *path, const char *cmd);
/* The number after " @key=" in a reply line (decimal, or hex with 0x);
 * asserts there is one. */
uint64_t test_field(const char *reply, const char *key);

/* scmi_close() that also stops the scmi-sim server serving @h, if any. */
void test_close(struct scmi_handle *h);
#define scmi_close(h) test_close(h)

/*
 * scmi-sim servers, for suites that drive one directly (test_open() uses
 * them too).  Every field may be left 0.
 */
struct test_server;
struct test_server_opts {
	const char *transport;	  /* "shmem"; NULL: SCMI_TEST_TRANSPORT's */
	const char *server;	  /* "thread" or "process"; NULL: SCMI_TEST_SIM_SERVER's */
	const char *per_protocol; /* protocols with a channel of their own, as
				   * --per-protocol ("0x13,clock"), or NULL */
	unsigned int doorbell;	  /* a doorbell of that width (--doorbell=); 0: none */
	unsigned int queue;	  /* P2A messages held per area (--queue); 0: 1024 */
	bool may_stop;		  /* process: the test may SIGSTOP it (it then dies by
				   * SIGKILL, not SIGTERM, with the test) */
	const char *const *args;  /* process: more scmi-sim options, NULL-terminated */
};
/* Start a server for the platform a loopback:// URI describes (@uri NULL:
 * "loopback://"; its timeout_ms is the caller's business).  Stopped by
 * test_server_stop(), or at exit. */
struct test_server *test_server_start(const char *uri, const struct test_server_opts *o);
/* The server serving the handle test_open() returned, or NULL. */
struct test_server *test_server_of(const struct scmi_handle *h);
/* The URI an agent opens; the file the server made. */
const char *test_server_uri(const struct test_server *s);
const char *test_server_path(const struct test_server *s);
/* Its process id (0: a thread server, or a process test_server_wait()ed). */
pid_t test_server_pid(const struct test_server *s);
/* Its simulator if it runs on a thread, else NULL. */
struct scmi_sim *test_server_sim(const struct test_server *s);
/* A control command; the reply as test_control(). */
const char *test_server_control(struct test_server *s, const char *cmd);
/* A process server: wait (10 s at most) for it to exit; its exit status
 * (128 + signal if killed).  Its files stay until test_server_stop(). */
int test_server_wait(struct test_server *s);
/* Stop it (a process: SIGCONT, SIGTERM, reaped; a thread: joined), remove
 * what it left behind. */
void test_server_stop(struct test_server *s);

/*
 * scmi-sim as a process the test runs itself: @argv (NULL-terminated, the
 * program first).  It dies with the test (by SIGKILL if @may_stop: the test
 * may SIGSTOP it) and shares its stderr; the first line it prints (the URI
 * it serves, without the newline) goes into @uri.  Asserts that line comes
 * within 10 s (else the process is reaped and the test fails); its pid.
 */
pid_t test_sim_spawn(const char *const *argv, bool may_stop, char *uri, size_t size);
/* Reap scmi-sim process @pid (it must exit within 10 s): its exit status,
 * 128 + the signal if one killed it. */
int test_sim_wait(pid_t pid);
/* Run scmi-sim (@argv as above) to its end: what it printed on stdout into
 * @out, on stderr into @err (NULL: the test's stderr), each cut to its
 * size and NUL-terminated; its exit status (test_sim_wait()). */
int test_sim_run(const char *const *argv, char *out, size_t out_size, char *err, size_t err_size);

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
 * unless the simulator is in process (test_need_sim()). */
struct scmi_handle *test_open_model(const char *uri, struct test_log *lg,
				    const struct sim_proto_ops *ops, uint32_t version);

/* Wait until cond() is true or @ms pass (times SCMI_TEST_WAIT_SCALE, under
 * emulation); true if it became true.  Polls every millisecond: tests wait
 * on conditions, never sleep blindly. */
bool test_wait_until(bool (*cond)(void *arg), void *arg, unsigned int ms);
/* Wait until protocol @proto's "delivered" counter reaches @n: it counts
 * an event once its callbacks have returned, a little after they ran. */
bool test_wait_delivered(const struct scmi_handle *h, uint8_t proto, uint64_t n, unsigned int ms);

/*
 * Non-blocking requests (scmi/request.h), as the suites submit them.
 *
 * A struct test_req is the request, how many times its callback ran since
 * its last submission, and the status the callback got; embed it where the
 * op's outputs live as long as it does.  It starts zeroed (static, "= {0}",
 * calloc() or test_req_init()): each submission checks that the callback
 * of the one before ran once at most.  req.data stays the caller's.
 */
struct test_req {
	struct scmi_req req;
	atomic_int calls;
	int status;
};

/* Zero @r, before its first use. */
void test_req_init(struct test_req *r);
/* Asserts the callback of @r's last submission ran once at most (so far). */
void test_req_at_most_once(struct test_req *r);
/* Before a submission: test_req_at_most_once(), then counts from 0 again
 * (TEST_SUBMIT() does it). */
void test_req_arm(struct test_req *r);
/* The completion callback the macros below give SCMI_ASYNC(). */
void test_req_done(struct scmi_req *req);
/* For test_wait_until(): whether the callback of @arg (a struct test_req)
 * ran. */
bool test_req_called(void *arg);
/* Waits for the callback of @r, submitted: asserts it runs (10 s at most)
 * exactly once; its status.  @what names the call in messages. */
int test_req_wait(struct test_req *r, const char *what);
/* @submitted is what SCMI_ASYNC() returned for @r on @h.  Submitted: its
 * callback runs exactly once and leaves nothing outstanding on @h; the
 * callback's status. */
int test_req_result(const struct scmi_handle *h, struct test_req *r, int submitted,
		    const char *what);
/* Refused: a negative errno, no callback, nothing outstanding on @h; the
 * errno. */
int test_req_refusal(const struct scmi_handle *h, struct test_req *r, int submitted,
		     const char *what);
/* Either: test_req_result() if submitted, else test_req_refusal(). */
int test_req_outcome(const struct scmi_handle *h, struct test_req *r, int submitted,
		     const char *what);
/* The same op blocking returned @want: @refused, the submission is refused
 * with that errno (negative); else it is submitted and its callback gets
 * @want (test_req_refusal(), test_req_result()). */
void test_req_as_blocking(const struct scmi_handle *h, struct test_req *r, int submitted,
			  bool refused, int want, const char *what);

#define TEST_STR_(x) #x
#define TEST_STR(x)  TEST_STR_(x)
/* "line N: call", naming a call in the messages of the macros below. */
#define TEST_REQ_WHAT(call_text) "line " TEST_STR(__LINE__) ": " call_text

/* Submit op call @call (any op of a handle's ops tables, with its
 * arguments) as request @r: what SCMI_ASYNC() returned (0: submitted, its
 * callback will run; else the errno it was refused with). */
#define TEST_SUBMIT(r, call) (test_req_arm(r), SCMI_ASYNC(&(r)->req, test_req_done, call))
/* Run @call on @h under SCMI_ASYNC() in @r, which must be submitted:
 * evaluates to the callback's status (test_req_result()). */
#define TEST_ASYNC(h, r, call) \
	test_req_result((h), (r), TEST_SUBMIT((r), call), TEST_REQ_WHAT(#call))
/* @call under SCMI_ASYNC(), which must refuse it: evaluates to the errno
 * (test_req_refusal()). */
#define TEST_ASYNC_REFUSED(h, r, call) \
	test_req_refusal((h), (r), TEST_SUBMIT((r), call), TEST_REQ_WHAT(#call))
/* @call under SCMI_ASYNC(), submitted or refused: the callback's status or
 * the refusal, whichever it was (test_req_outcome()). */
#define TEST_ASYNC_OUTCOME(h, r, call) \
	test_req_outcome((h), (r), TEST_SUBMIT((r), call), TEST_REQ_WHAT(#call))

#endif
