// SPDX-License-Identifier: BSD-3-Clause
/* An out-of-tree program built only with `pkg-config --cflags --libs scmi`. */
#include <stdio.h>

#include <scmi/scmi.h>

int main(void)
{
	struct scmi_handle *h;
	int ret = scmi_open("loopback://", NULL, &h);

	if (ret) {
		fprintf(stderr, "scmi_open: %s\n", scmi_strerror(ret));
		return 1;
	}
	printf("vendor=%s version=%u.%u agents=%u\n", h->version->vendor_id,
	       h->version->major_ver, h->version->minor_ver, h->version->num_agents);
	ret = h->version->vendor_id[0] ? 0 : 1;
	scmi_close(h);
	return ret;
}
