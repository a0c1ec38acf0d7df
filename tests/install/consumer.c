// SPDX-License-Identifier: BSD-3-Clause
/*
 * An out-of-tree program built against the installed tree only (pkg-config
 * scmi-sim, or find_package(scmi) with scmi::scmi-sim): it opens the
 * simulator through loopback://, which libscmi-sim registers.
 */
#include <stdio.h>
#include <string.h>

#include <scmi/scmi.h>
#include <scmi-sim/loopback.h>

int main(void)
{
	struct scmi_handle *h;
	int ret = scmi_open("loopback://", NULL, &h);

	if (ret) {
		fprintf(stderr, "scmi_open: %s\n", scmi_strerror(ret));
		return 1;
	}
	printf("libscmi %s: vendor=%s version=%u.%u agents=%u\n", scmi_version_string(),
	       h->version->vendor_id, h->version->major_ver, h->version->minor_ver,
	       h->version->num_agents);
	ret = h->version->vendor_id[0] && scmi_loopback_sim(h) &&
			      scmi_version() == SCMI_VERSION_HEX &&
			      !strcmp(scmi_version_string(), SCMI_VERSION_STRING)
		      ? 0
		      : 1;
	scmi_close(h);
	return ret;
}
