// SPDX-License-Identifier: BSD-3-Clause
/* Status codes, errno mapping and scmi_strerror(). */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <string.h>

#include "helpers.h"

Test(strerror, any_int_gives_a_string)
{
	/* Signed-overflow bait (-INT_MIN) and values that are no errno. */
	static const int odd[] = {INT_MIN, INT_MIN + 1, INT_MAX, 1, 4096, -4096, -100000};

	for (size_t i = 0; i < sizeof(odd) / sizeof(odd[0]); i++) {
		const char *s = scmi_strerror(odd[i]);

		cr_assert_not_null(s, "%d", odd[i]);
		cr_assert_str_eq(s, "Unknown error", "%d", odd[i]);
	}
	cr_assert_str_eq(scmi_strerror(0), "Success");
	/* A system errno libscmi has no text of its own for. */
	cr_assert(strstr(scmi_strerror(-ENOSPC), "space"), "%s", scmi_strerror(-ENOSPC));
	cr_assert(strstr(scmi_strerror(-EACCES), "DENIED"));
}

Test(strerror, every_status_maps_and_names)
{
	for (int32_t st = SCMI_ERR_PROTOCOL_ERROR; st <= SCMI_SUCCESS; st++) {
		int err = scmi_status_to_errno(st);

		cr_assert_str_neq(scmi_status_name(st), "UNKNOWN", "%d", st);
		cr_assert_str_neq(scmi_strerror(err), "Unknown error", "%d", st);
	}
	cr_assert_eq(scmi_status_to_errno(-11), -EIO);
	cr_assert_eq(scmi_status_to_errno(SCMI_STATUS_NONE), -EIO);
	cr_assert_str_eq(scmi_status_name(SCMI_STATUS_NONE), "UNKNOWN");
}

/* ---- scmi_last_error_msg() ---------------------------------------------------- */

static const struct scmi_config quiet = {.log_level = SCMI_LOG_SILENT};

/* scmi_open() says why it refused a URI, even with logging off. */
Test(last_error_msg, open_names_the_bad_uri)
{
	struct scmi_handle *h = NULL;

	cr_assert_eq(scmi_open("loopbak://", &quiet, &h), -EINVAL);
	cr_assert_null(h);
	cr_assert(strstr(scmi_last_error_msg(), "unknown URI scheme 'loopbak://'"), "'%s'",
		  scmi_last_error_msg());
	cr_assert_eq(scmi_open("loopback://?nosuch=1", &quiet, &h), -EINVAL);
	cr_assert(strstr(scmi_last_error_msg(), "nosuch=1"), "'%s'", scmi_last_error_msg());
	cr_assert_eq(scmi_open("/dev/mem", &quiet, &h), -EINVAL);
	cr_assert(strstr(scmi_last_error_msg(), "malformed"), "'%s'", scmi_last_error_msg());
	/* A successful open clears it. */
	cr_assert_eq(scmi_open("loopback://", &quiet, &h), 0);
	cr_assert_str_eq(scmi_last_error_msg(), "");
	scmi_close(h);
}

static void *other_thread(void *arg)
{
	const char **msg = arg;

	*msg = scmi_last_error_msg();
	return NULL;
}

/* A refusal libscmi makes itself carries its reason; a call that then
 * succeeds, or fails with the platform's status, has none. */
Test(last_error_msg, local_refusals_say_why_platform_answers_do_not)
{
	struct scmi_handle *h = NULL;
	const char *theirs = NULL;
	uint32_t level, n;
	pthread_t t;
	int ret;

	cr_assert_eq(scmi_open("loopback://?status=perf:level_get:DENIED", &quiet, &h), 0);
	n = (uint32_t)h->perf_ops->count_get(h);
	cr_assert_gt(h->power_ops->count_get(h), 0); /* brought up */
	cr_assert_eq(h->power_ops->state_set(h, 99, 0), -EINVAL);
	cr_assert(strstr(scmi_last_error_msg(), "power: no domain 99 ("), "'%s'",
		  scmi_last_error_msg());
	cr_assert_eq(scmi_last_status(), SCMI_STATUS_NONE, "nothing was sent");

	/* Per thread: another thread has none. */
	cr_assert_eq(pthread_create(&t, NULL, other_thread, &theirs), 0);
	pthread_join(t, NULL);
	cr_assert_str_eq(theirs, "");

	/* The next call clears it, whatever its outcome. */
	cr_assert_eq(h->perf_ops->limits_get(h, 0, &level, &level), 0);
	cr_assert_str_eq(scmi_last_error_msg(), "");

	cr_assert_eq(h->perf_ops->level_set(h, n, 1), -EINVAL);
	cr_assert(strstr(scmi_last_error_msg(), "perf: no domain"), "'%s'", scmi_last_error_msg());
	/* The platform's refusal: its status, and no local reason. */
	ret = h->perf_ops->level_get(h, 3, &level); /* no fastchannel */
	cr_assert_eq(ret, -EACCES);
	cr_assert_eq(scmi_last_status(), SCMI_ERR_DENIED);
	cr_assert_str_eq(scmi_last_error_msg(), "");

	/* Arguments a protocol checks against what it discovered. */
	cr_assert_eq(h->voltage_ops->level_set(h, 0, SCMI_VOLTAGE_LEVEL_SET_AUTO, 5000000),
		     -ERANGE);
	cr_assert(strstr(scmi_last_error_msg(), "voltage: domain 0 has no level 5000000 uV"),
		  "'%s'", scmi_last_error_msg());
	cr_assert_eq(h->sensor_ops->trip_point_config(h, 0, 99, SCMI_SENSOR_TRIP_UP, 0), -EINVAL);
	cr_assert(strstr(scmi_last_error_msg(), "sensor 0: bad trip point 99"), "'%s'",
		  scmi_last_error_msg());
	scmi_close(h);
}
