// SPDX-License-Identifier: BSD-3-Clause
/* Status codes, errno mapping and scmi_strerror(). */
#include <errno.h>
#include <limits.h>

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
