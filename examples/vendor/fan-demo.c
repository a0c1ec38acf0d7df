// SPDX-License-Identifier: BSD-3-Clause
/*
 * fan-demo: the example vendor protocol (fan.c) in use.  Registers it,
 * opens a platform (default: the simulator serving it under vendor
 * "Acme"), lists the fans, and sets a speed without blocking, with the
 * handle's callbacks run from a poll() loop (scmi_config.dispatch).
 *
 *	fan-demo ['loopback://?vendor_example=1&vendor=Acme&impl_ver=0x10002']
 */
#include <err.h>
#include <poll.h>
#include <stdio.h>

#include <scmi/scmi.h>

#include "fan.h"

#define DEFAULT_URI "loopback://?vendor_example=1&vendor=Acme&impl_ver=0x10002"

struct demo {
	struct scmi_req req;
	struct scmi_notifier_block nb;
	uint32_t actual;
	int done, events;
};

static void set_done(struct scmi_req *req)
{
	struct demo *d = req->data;

	if (req->status < 0)
		printf("speed_set_wait: %s\n", scmi_strerror(req->status));
	else
		printf("fan 0 reached %u rpm\n", d->actual);
	d->done = 1;
}

static int on_speed(struct scmi_notifier_block *nb, unsigned int evt, const void *report)
{
	struct demo *d = scmi_container_of(nb, struct demo, nb);
	const struct fan_speed_report *r = report;

	(void)evt;
	printf("event: fan %u now %u rpm\n", r->fan_id, r->rpm);
	d->events++;
	return SCMI_NOTIFY_OK;
}

int main(int argc, char **argv)
{
	struct scmi_config cfg = {.dispatch = true};
	struct demo d = {.nb.notifier_call = on_speed};
	const struct fan_ops *fan;
	struct scmi_handle *h;
	uint32_t src = 0;
	int n, ret;

	if (fan_register())
		errx(1, "cannot register the fan protocol");
	ret = scmi_open(argc > 1 ? argv[1] : DEFAULT_URI, &cfg, &h);
	if (ret)
		errx(1, "scmi_open: %s", scmi_strerror(ret));
	printf("platform %s/%s 0x%x\n", h->version->vendor_id, h->version->sub_vendor_id,
	       h->version->impl_ver);
	fan = scmi_vendor_ops(h, FAN_PROTOCOL_ID);
	if (!fan) {
		printf("no fan protocol on this platform\n");
		scmi_close(h);
		return 0;
	}
	n = fan->count_get(h);
	for (int i = 0; i < n; i++) {
		const struct fan_info *fi;
		uint32_t rpm = 0;

		fan->info_get(h, (uint32_t)i, &fi);
		fan->speed_get(h, (uint32_t)i, &rpm);
		printf("fan %d %-22s %5u rpm (max %u)%s%s%s\n", i, fi->name, rpm, fi->max_rpm,
		       fi->async ? " async" : "", fi->notify ? " events" : "",
		       fi->fastchannel ? " fastchannel" : "");
	}
	ret = h->notify_ops->event_notifier_register(h, FAN_PROTOCOL_ID, FAN_EVENT_SPEED_CHANGED,
						     &src, &d.nb);
	if (ret)
		errx(1, "event_notifier_register: %s", scmi_strerror(ret));

	d.req.data = &d;
	ret = SCMI_ASYNC(&d.req, set_done, fan->speed_set_wait(h, 0, 2500, &d.actual));
	if (ret)
		errx(1, "speed_set_wait: %s", scmi_strerror(ret));
	while (!d.done || !d.events) {
		struct pollfd pfd = {.fd = scmi_get_fd(h), .events = POLLIN};

		if (poll(&pfd, 1, 5000) <= 0)
			errx(1, "nothing came");
		scmi_dispatch(h);
	}
	scmi_close(h);
	fan_unregister();
	return 0;
}
