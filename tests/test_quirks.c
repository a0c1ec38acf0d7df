// SPDX-License-Identifier: BSD-3-Clause
/*
 * Platform quirks (issue 13 §4, lib/quirks.c): each quirk on by the
 * platform's identity, off by another identity and off by configuration,
 * with the simulator misbehaving as the firmware does; the configuration
 * parser; the list API; `scmi info`.
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <scmi/quirks.h>

#include "helpers.h"

#define C_CPU	0 /* discrete rates, async RATE_SET */
#define C_GPU	1 /* range 100 MHz..1 GHz, step 1 MHz */
#define S_POWER 3 /* async reads */

/* The identities the quirks are keyed on (lib/quirks.c). */
#define SCP_OLD "vendor=arm&sub_vendor=arm&impl_ver=0x02050000"
#define SCP_NEW "vendor=arm&sub_vendor=arm&impl_ver=0x03000000"
#define ST	"vendor=ST&sub_vendor=STM32MP2"
#define NXP	"vendor=NXP&sub_vendor=i.MX95"

/* Old SCP-firmware's range answer: count 1, remaining 0, the whole triplet. */
#define RANGE_1_OF_3 "range_count=1:0:-1:3"
/* Clock RATE_SET (0x14:5) never completed by a delayed response. */
#define NO_DRESP "no_dresp=0x14:5"
/* Sensor READING_GET (0x15:6) answered inline. */
#define INLINE "inline_dresp=0x15:6"

static struct test_log lg;

static struct scmi_handle *open_cfg(const char *uri, const char *quirks, unsigned int dresp_ms)
{
	struct scmi_config cfg;

	test_log_init(&lg);
	cfg = test_config(&lg);
	cfg.log_level = SCMI_LOG_INFO;
	cfg.quirks = quirks;
	cfg.dresp_timeout_ms = dresp_ms;
	return test_open(uri, &cfg);
}

/* Is quirk @name active on @h?  (Fails the test for an unknown name.) */
static bool active(const struct scmi_handle *h, const char *name)
{
	struct scmi_quirk_info qi;

	for (unsigned int i = 0; !scmi_quirk_get(h, i, &qi); i++)
		if (!strcmp(qi.name, name))
			return qi.active;
	cr_assert_fail("no quirk %s", name);
	return false;
}

static unsigned int num_active(const struct scmi_handle *h)
{
	struct scmi_quirk_info qi;
	unsigned int n = 0;

	for (unsigned int i = 0; !scmi_quirk_get(h, i, &qi); i++)
		n += qi.active;
	return n;
}

/* ---- the list --------------------------------------------------------------- */

Test(quirks, list_without_handle)
{
	static const char *const names[] = {"clock_rate_range_count", "clock_rate_set_no_dresp",
					    "sensor_async_inline"};
	struct scmi_quirk_info qi;

	for (unsigned int i = 0; i < 3; i++) {
		cr_assert_eq(scmi_quirk_get(NULL, i, &qi), 0);
		cr_assert_str_eq(qi.name, names[i]);
		cr_assert(qi.description && strlen(qi.description) > 20);
		cr_assert(qi.vendor && *qi.vendor);
		cr_assert_leq(qi.impl_ver_min, qi.impl_ver_max);
		cr_assert_not(qi.active);
	}
	cr_assert_eq(scmi_quirk_get(NULL, 3, &qi), -ENOENT);
	cr_assert_eq(scmi_quirk_get(NULL, 0, NULL), -EINVAL);
}

Test(quirks, none_on_the_simulators_own_identity)
{
	struct scmi_handle *h = open_cfg("loopback://", NULL, 0);

	cr_assert_str_eq(h->version->vendor_id, "libscmi");
	cr_assert_eq(num_active(h), 0);
	scmi_close(h);
}

/* The identity the URI gives the simulator is what Base reports. */
Test(quirks, identity_from_the_uri)
{
	struct scmi_handle *h = open_cfg("loopback://?" SCP_OLD, NULL, 0);

	cr_assert_str_eq(h->version->vendor_id, "arm");
	cr_assert_str_eq(h->version->sub_vendor_id, "arm");
	cr_assert_eq(h->version->impl_ver, 0x02050000u);
	cr_assert(active(h, "clock_rate_range_count"));
	cr_assert_eq(num_active(h), 1);
	cr_assert(test_log_contains(&lg, "quirk clock_rate_range_count active"));
	scmi_close(h);
}

/* Vendor strings compare without regard to case; the version range holds
 * at both ends. */
Test(quirks, matching_rules)
{
	struct scmi_handle *h;

	h = open_cfg("loopback://?vendor=ARM&sub_vendor=Arm&impl_ver=0", NULL, 0);
	cr_assert(active(h, "clock_rate_range_count"));
	scmi_close(h);
	h = open_cfg("loopback://?vendor=arm&sub_vendor=arm&impl_ver=0x02ffffff", NULL, 0);
	cr_assert(active(h, "clock_rate_range_count"));
	scmi_close(h);
	h = open_cfg("loopback://?" SCP_NEW, NULL, 0);
	cr_assert_not(active(h, "clock_rate_range_count"));
	scmi_close(h);
	/* The sub-vendor counts where the entry names one. */
	h = open_cfg("loopback://?vendor=arm&sub_vendor=juno&impl_ver=0x02050000", NULL, 0);
	cr_assert_not(active(h, "clock_rate_range_count"));
	scmi_close(h);
	/* ... and not where it does not. */
	h = open_cfg("loopback://?vendor=st&sub_vendor=", NULL, 0);
	cr_assert(active(h, "clock_rate_set_no_dresp"));
	cr_assert_eq(num_active(h), 1);
	scmi_close(h);
}

/* ---- configuration -------------------------------------------------------------- */

static int open_err(const char *quirks, char *msg, size_t size)
{
	struct scmi_config cfg = {.log_level = SCMI_LOG_SILENT, .quirks = quirks};
	struct scmi_handle *h = NULL;
	int ret = scmi_open("loopback://", &cfg, &h);

	snprintf(msg, size, "%s", scmi_last_error_msg());
	if (!ret)
		scmi_close(h);
	else
		cr_assert_null(h);
	return ret;
}

Test(quirks, config_errors)
{
	char msg[256];

	cr_assert_eq(open_err("-bogus", msg, sizeof(msg)), -EINVAL);
	cr_assert(strstr(msg, "unknown quirk 'bogus'"), "%s", msg);
	cr_assert_eq(open_err("+sensor_async_inline,clock_rate_rangecount", msg, sizeof(msg)),
		     -EINVAL);
	cr_assert(strstr(msg, "unknown quirk 'clock_rate_rangecount'"), "%s", msg);
	cr_assert_eq(open_err("Sensor_async_inline", msg, sizeof(msg)), -EINVAL);
	cr_assert_eq(open_err("-", msg, sizeof(msg)), -EINVAL);
	cr_assert(strstr(msg, "empty item"), "%s", msg);
	cr_assert_eq(open_err("-all,,", msg, sizeof(msg)), -EINVAL);
	cr_assert_eq(open_err(",", msg, sizeof(msg)), -EINVAL);
	cr_assert_eq(open_err("", msg, sizeof(msg)), 0);
	cr_assert_eq(open_err("-all", msg, sizeof(msg)), 0);
	cr_assert_eq(open_err("+all,-all,sensor_async_inline", msg, sizeof(msg)), 0);
}

Test(quirks, config_turns_off_and_on)
{
	struct scmi_handle *h;

	h = open_cfg("loopback://?" ST, "-clock_rate_set_no_dresp", 0);
	cr_assert_eq(num_active(h), 0);
	scmi_close(h);
	h = open_cfg("loopback://?" ST, "-all", 0);
	cr_assert_eq(num_active(h), 0);
	scmi_close(h);
	/* The last word wins; a bare name means '+'. */
	h = open_cfg("loopback://?" ST, "-all,+clock_rate_set_no_dresp,sensor_async_inline", 0);
	cr_assert(active(h, "clock_rate_set_no_dresp"));
	cr_assert(active(h, "sensor_async_inline"));
	cr_assert_eq(num_active(h), 2);
	scmi_close(h);
	h = open_cfg("loopback://", "+all", 0);
	cr_assert_eq(num_active(h), 3);
	cr_assert(test_log_contains(&lg, "(forced by the configuration)"));
	scmi_close(h);
}

/* ---- clock_rate_range_count ------------------------------------------------------- */

static const struct scmi_clock_info *gpu(const struct scmi_handle *h)
{
	const struct scmi_clock_info *ci;

	cr_assert_eq(h->clock_ops->info_get(h, C_GPU, &ci), 0);
	return ci;
}

static void gpu_range_ok(const struct scmi_handle *h)
{
	const struct scmi_clock_info *ci = gpu(h);

	cr_assert_eq(ci->rates_err, 0);
	cr_assert_not(ci->rate_discrete);
	cr_assert_eq(ci->range.min_rate, 100000000ull);
	cr_assert_eq(ci->range.max_rate, 1000000000ull);
	cr_assert_eq(ci->range.step_size, 1000000ull);
	cr_assert_geq(test_fault_hits(h, SCMI_SIM_FAULT_RANGE_COUNT), 1);
}

Test(quirks, range_count_on_by_identity)
{
	struct scmi_handle *h = open_cfg("loopback://?" SCP_OLD "&" RANGE_1_OF_3, NULL, 0);

	gpu_range_ok(h);
	scmi_close(h);
}

Test(quirks, range_count_forced_on)
{
	struct scmi_handle *h = open_cfg("loopback://?" RANGE_1_OF_3, "+clock_rate_range_count", 0);

	gpu_range_ok(h);
	scmi_close(h);
}

static void gpu_range_refused(const struct scmi_handle *h)
{
	cr_assert_eq(gpu(h)->rates_err, -EPROTO);
	cr_assert_geq(test_fault_hits(h, SCMI_SIM_FAULT_RANGE_COUNT), 1);
	/* The clock itself stays usable (docs/PROTOCOLS.md, rule 4). */
	cr_assert_eq(h->clock_ops->rate_set(h, C_GPU, 200000000ull, 0, NULL), 0);
}

Test(quirks, range_count_off_by_identity)
{
	struct scmi_handle *h = open_cfg("loopback://?" SCP_NEW "&" RANGE_1_OF_3, NULL, 0);

	gpu_range_refused(h);
	scmi_close(h);
}

Test(quirks, range_count_off_by_config)
{
	struct scmi_handle *h =
		open_cfg("loopback://?" SCP_OLD "&" RANGE_1_OF_3, "-clock_rate_range_count", 0);

	gpu_range_refused(h);
	scmi_close(h);
}

/* The quirk accepts that one miscount only: a count of 1 with one entry,
 * or with something remaining, is still malformed. */
Test(quirks, range_count_stays_narrow)
{
	static const char *const uris[] = {
		"loopback://?" SCP_OLD "&range_count=1:0:-1",
		"loopback://?" SCP_OLD "&range_count=1:1:-1:3",
		"loopback://?" SCP_OLD "&range_count=2:0:-1:3",
		"loopback://?" SCP_OLD "&range_count=1:0:-1:4",
	};

	for (size_t i = 0; i < sizeof(uris) / sizeof(uris[0]); i++) {
		struct scmi_handle *h = open_cfg(uris[i], NULL, 0);

		cr_assert(active(h, "clock_rate_range_count"));
		cr_assert_eq(gpu(h)->rates_err, -EPROTO, "%s", uris[i]);
		scmi_close(h);
	}
}

/* ---- clock_rate_set_no_dresp ------------------------------------------------------ */

static struct scmi_sim_clock_stats clock_stats(const struct scmi_handle *h)
{
	struct scmi_sim_clock_stats st;

	cr_assert_eq(scmi_sim_clock_stats_get(test_sim(h), &st), 0);
	return st;
}

static uint64_t dresp_timeouts(const struct scmi_handle *h)
{
	struct scmi_stats st;

	cr_assert_eq(scmi_stats_get(h, &st), 0);
	return st.dresp_timeouts;
}

static void rate_is(const struct scmi_handle *h, uint64_t want)
{
	uint64_t rate;

	cr_assert_eq(h->clock_ops->rate_get(h, C_CPU, &rate), 0);
	cr_assert_eq(rate, want);
}

/* With the quirk: no asynchronous RATE_SET is sent, nothing waits. */
Test(quirks, no_dresp_on_by_identity)
{
	/* A wait for the delayed response would take 10 s. */
	struct scmi_handle *h = open_cfg("loopback://?" ST "&" NO_DRESP, NULL, 10000);
	uint64_t t0 = test_now_ms(), actual = 1;

	cr_assert(active(h, "clock_rate_set_no_dresp"));
	for (int i = 0; i < 3; i++)
		cr_assert_eq(h->clock_ops->rate_set(h, C_CPU, i == 1 ? 1000000000ull : 800000000ull,
						    SCMI_CLOCK_RATE_ASYNC, &actual),
			     0);
	cr_assert_lt(test_now_ms() - t0, 5000);
	cr_assert_eq(actual, 0); /* the synchronous form reports no rate */
	rate_is(h, 800000000ull);
	cr_assert_eq(clock_stats(h).async_rate_sets, 0);
	cr_assert_eq(clock_stats(h).rate_sets, 3);
	cr_assert_eq(dresp_timeouts(h), 0);
	cr_assert_eq(test_fault_hits(h, SCMI_SIM_FAULT_NO_DRESP), 0);
	/* NO_WAIT asks for no delayed response: it stays asynchronous. */
	cr_assert_eq(h->clock_ops->rate_set(h, C_CPU, 1000000000ull,
					    SCMI_CLOCK_RATE_ASYNC | SCMI_CLOCK_RATE_NO_WAIT, NULL),
		     0);
	cr_assert_eq(clock_stats(h).async_rate_sets, 1);
	scmi_close(h);
}

/* Without it, on the misbehaving platform: the first asynchronous RATE_SET
 * waits out one delayed-response timeout, is asked again synchronously,
 * and every later one is synchronous. */
static void no_dresp_learnt(const char *uri, const char *quirks)
{
	struct scmi_handle *h = open_cfg(uri, quirks, 300);
	uint64_t t0, t1;

	cr_assert_not(active(h, "clock_rate_set_no_dresp"));
	t0 = test_now_ms();
	cr_assert_eq(h->clock_ops->rate_set(h, C_CPU, 800000000ull, SCMI_CLOCK_RATE_ASYNC, NULL),
		     0);
	t1 = test_now_ms();
	cr_assert_geq(t1 - t0, 300);
	rate_is(h, 800000000ull);
	cr_assert_eq(dresp_timeouts(h), 1);
	cr_assert_eq(test_fault_hits(h, SCMI_SIM_FAULT_NO_DRESP), 1);
	cr_assert_eq(clock_stats(h).async_rate_sets, 1);
	cr_assert_eq(clock_stats(h).rate_sets, 2); /* async, then sync */
	cr_assert(test_log_contains(&lg, "sent no delayed response"));

	cr_assert_eq(h->clock_ops->rate_set(h, C_CPU, 1000000000ull, SCMI_CLOCK_RATE_ASYNC, NULL),
		     0);
	rate_is(h, 1000000000ull);
	cr_assert_eq(dresp_timeouts(h), 1);
	cr_assert_eq(clock_stats(h).async_rate_sets, 1);
	cr_assert_eq(clock_stats(h).rate_sets, 3);
	scmi_close(h);
}

Test(quirks, no_dresp_off_by_identity)
{
	no_dresp_learnt("loopback://?" NO_DRESP, NULL);
}

Test(quirks, no_dresp_off_by_config)
{
	no_dresp_learnt("loopback://?" ST "&" NO_DRESP, "-clock_rate_set_no_dresp");
}

/* A conforming platform keeps its asynchronous RATE_SETs. */
Test(quirks, no_dresp_conforming_platform_stays_async)
{
	struct scmi_handle *h = open_cfg("loopback://", NULL, 0);
	uint64_t actual = 0;

	cr_assert_eq(h->clock_ops->rate_set(h, C_CPU, 800000000ull, SCMI_CLOCK_RATE_ASYNC, &actual),
		     0);
	cr_assert_eq(
		h->clock_ops->rate_set(h, C_CPU, 1000000000ull, SCMI_CLOCK_RATE_ASYNC, &actual), 0);
	cr_assert_eq(actual, 1000000000ull);
	cr_assert_eq(clock_stats(h).async_rate_sets, 2);
	cr_assert_eq(dresp_timeouts(h), 0);
	scmi_close(h);
}

/* ---- sensor_async_inline ------------------------------------------------------------ */

static void pin(const struct scmi_handle *h, int64_t v)
{
	cr_assert_geq(scmi_sim_sensor_value_set(test_sim(h), S_POWER, &v, 1), 0);
}

Test(quirks, inline_on_by_identity)
{
	struct scmi_handle *h = open_cfg("loopback://?" NXP "&" INLINE, NULL, 10000);
	struct scmi_sensor_reading r;
	uint64_t t0 = test_now_ms();
	int64_t v;

	cr_assert(active(h, "sensor_async_inline"));
	pin(h, 23456);
	cr_assert_eq(h->sensor_ops->reading_read(h, S_POWER, SCMI_SENSOR_READ_ASYNC, 1, &r), 1);
	cr_assert_eq(r.value, 23456);
	/* AUTO reads an async sensor asynchronously: inline too. */
	pin(h, -77);
	cr_assert_eq(h->sensor_ops->reading_get(h, S_POWER, &v), 0);
	cr_assert_eq(v, -77);
	cr_assert_lt(test_now_ms() - t0, 5000);
	cr_assert_eq(test_fault_hits(h, SCMI_SIM_FAULT_INLINE_DRESP), 2);
	cr_assert_eq(dresp_timeouts(h), 0);
	scmi_close(h);
}

static void inline_refused(const char *uri, const char *quirks)
{
	struct scmi_handle *h = open_cfg(uri, quirks, 200);
	struct scmi_sensor_reading r;

	cr_assert_not(active(h, "sensor_async_inline"));
	pin(h, 23456);
	cr_assert_eq(h->sensor_ops->reading_read(h, S_POWER, SCMI_SENSOR_READ_ASYNC, 1, &r),
		     -ETIMEDOUT);
	cr_assert_eq(test_fault_hits(h, SCMI_SIM_FAULT_INLINE_DRESP), 1);
	cr_assert_eq(dresp_timeouts(h), 1);
	/* The synchronous form still reads. */
	cr_assert_eq(h->sensor_ops->reading_read(h, S_POWER, SCMI_SENSOR_READ_SYNC, 1, &r), 1);
	cr_assert_eq(r.value, 23456);
	scmi_close(h);
}

Test(quirks, inline_off_by_identity)
{
	inline_refused("loopback://?" INLINE, NULL);
}

Test(quirks, inline_off_by_config)
{
	inline_refused("loopback://?" NXP "&" INLINE, "-sensor_async_inline");
}

/* Forced on a conforming platform, the quirk misreads it, and says so. */
Test(quirks, inline_forced_on_a_conforming_platform)
{
	struct scmi_handle *h = open_cfg("loopback://", "+sensor_async_inline", 0);
	struct scmi_sensor_reading r;

	cr_assert_eq(h->sensor_ops->reading_read(h, S_POWER, SCMI_SENSOR_READ_ASYNC, 1, &r),
		     -EPROTO);
	cr_assert(test_log_contains(&lg, "no inline reading, but quirk sensor_async_inline"));
	/* The synchronous form is unaffected. */
	cr_assert_eq(h->sensor_ops->reading_read(h, S_POWER, SCMI_SENSOR_READ_SYNC, 1, &r), 1);
	scmi_close(h);
}

/* ---- scmi info ---------------------------------------------------------------------- */

#ifdef SCMI_CLI
/* Run the CLI with @args; its stdout (and stderr) into @out; exit status. */
static int cli(const char *const *args, char *out, size_t size)
{
	const char *argv[16] = {SCMI_CLI};
	posix_spawn_file_actions_t fa;
	size_t n = 1, len = 0;
	int fd[2], ws;
	pid_t pid;
	ssize_t r;

	for (; args[n - 1] && n < 15; n++)
		argv[n] = args[n - 1];
	argv[n] = NULL;
	cr_assert_eq(pipe2(fd, O_CLOEXEC), 0);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fd[1], 1);
	posix_spawn_file_actions_adddup2(&fa, fd[1], 2);
	cr_assert_eq(posix_spawn(&pid, SCMI_CLI, &fa, NULL, (char *const *)argv, NULL), 0);
	posix_spawn_file_actions_destroy(&fa);
	close(fd[1]);
	while (len + 1 < size && (r = read(fd[0], out + len, size - 1 - len)) > 0)
		len += (size_t)r;
	out[len] = '\0';
	close(fd[0]);
	cr_assert_eq(waitpid(pid, &ws, 0), pid);
	return WIFEXITED(ws) ? WEXITSTATUS(ws) : 128;
}

#define CLI(out, ...) cli((const char *const[]){__VA_ARGS__, NULL}, out, sizeof(out))

Test(quirks, cli_info)
{
	char out[8192];

	cr_assert_eq(CLI(out, "--uri", "loopback://?" ST, "info"), 0);
	cr_assert(strstr(out, "\nquirks:          clock_rate_set_no_dresp\n"), "%s", out);
	cr_assert_eq(
		CLI(out, "--uri", "loopback://?" ST, "--quirks", "+sensor_async_inline", "info"),
		0);
	cr_assert(strstr(out, "\nquirks:          clock_rate_set_no_dresp, sensor_async_inline\n"),
		  "%s", out);
	cr_assert_eq(CLI(out, "--uri", "loopback://?" ST, "--quirks=-all", "info"), 0);
	cr_assert(strstr(out, "\nquirks:          none\n"), "%s", out);
	cr_assert_eq(CLI(out, "--uri", "loopback://", "info"), 0);
	cr_assert(strstr(out, "\nquirks:          none\n"), "%s", out);
}

Test(quirks, cli_info_json)
{
	char out[8192];

	cr_assert_eq(CLI(out, "--uri", "loopback://?" SCP_OLD, "--json", "info"), 0);
	cr_assert(strstr(out, "\"quirks\":[\n    \"clock_rate_range_count\"\n  ]"), "%s", out);
	cr_assert_eq(CLI(out, "--uri", "loopback://", "--json", "info"), 0);
	cr_assert(strstr(out, "\"quirks\":[\n  ]") || strstr(out, "\"quirks\":[]"), "%s", out);
}

Test(quirks, cli_bad_quirk)
{
	char out[8192];

	cr_assert_eq(CLI(out, "--uri", "loopback://", "--quirks", "-nope", "info"), 1);
	cr_assert(strstr(out, "unknown quirk 'nope'"), "%s", out);
}
#endif
