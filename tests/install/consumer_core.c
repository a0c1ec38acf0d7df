// SPDX-License-Identifier: BSD-3-Clause
/*
 * A program that links libscmi alone (the shared library, no simulator):
 * loopback:// is not there, and scmi_open() says which library brings it;
 * scmi_open(NULL) without SCMI_URI says how to name a platform, and with
 * SCMI_URI=loopback:// reaches the same refusal.  No Criterion: it must
 * not link the test helpers (they link the simulator).  Built in the tree
 * (ctest core_only) and against the installed tree (run.sh, run-cmake.sh).
 */
#define _POSIX_C_SOURCE 200809L /* setenv() under -std=c11 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <scmi/scmi.h>

static char logged[4096];

static void log_fn(void *priv, enum scmi_log_level level, const char *msg)
{
	size_t len = strlen(logged);

	snprintf(logged + len, sizeof(logged) - len, "%s\n", msg);
}

static int fails(const char *what, const char *uri, const char *needle)
{
	struct scmi_config cfg = {.log_fn = log_fn, .log_level = SCMI_LOG_DEBUG};
	struct scmi_handle *h = NULL;
	int ret;

	logged[0] = '\0';
	ret = scmi_open(uri, &cfg, &h);
	if (ret != -EINVAL || h || !strstr(logged, needle)) {
		fprintf(stderr, "FAIL %s: scmi_open(%s) = %d, log:\n%s", what, uri ? uri : "NULL",
			ret, logged);
		return 1;
	}
	printf("ok %s: %s", what, logged);
	return 0;
}

int main(void)
{
	int bad = 0;

	unsetenv("SCMI_URI");
	bad += fails("loopback without libscmi-sim", "loopback://", "link libscmi-sim");
	bad += fails("NULL without SCMI_URI", NULL, "SCMI_URI");
	setenv("SCMI_URI", "loopback://?profile=scmi-2.0", 1);
	bad += fails("NULL with SCMI_URI=loopback://", NULL, "link libscmi-sim");
	if (scmi_version() != SCMI_VERSION_HEX ||
	    strcmp(scmi_version_string(), SCMI_VERSION_STRING)) {
		fprintf(stderr, "FAIL version: %#x %s\n", scmi_version(), scmi_version_string());
		bad++;
	}
	return bad ? 1 : 0;
}
