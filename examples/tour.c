// SPDX-License-Identifier: BSD-3-Clause
/* The README's API tour: open a platform, read what it is, change a
 * performance level and hear about it, close.  Usage: tour [URI] */
#include <semaphore.h>
#include <stdio.h>
#include <time.h>

#include <scmi/scmi.h>

static sem_t heard;

/* Runs on the perf protocol's delivery thread, not main's. */
static int on_level(struct scmi_notifier_block *nb, unsigned int evt_id, const void *report)
{
	const struct scmi_perf_level_report *r = report;

	printf("event: domain %u now at level %u\n", r->domain_id, r->performance_level);
	sem_post(&heard);
	return SCMI_NOTIFY_OK;
}

int main(int argc, char **argv)
{
	static struct scmi_notifier_block nb = {.notifier_call = on_level};
	const struct scmi_perf_domain_info *d;
	struct scmi_handle *h;
	struct timespec until;
	uint32_t dom = 0, cur;
	int ret = scmi_open(argc > 1 ? argv[1] : "loopback://", NULL, &h);

	if (ret) {
		fprintf(stderr, "scmi_open: %s\n", scmi_strerror(ret));
		return 1;
	}
	printf("%s, SCMI %u.%u, %u protocols\n", h->version->vendor_id, h->version->major_ver,
	       h->version->minor_ver, h->version->num_protocols);
	sem_init(&heard, 0, 0);
	if (!h->perf_ops || (ret = h->perf_ops->info_get(h, dom, &d)) ||
	    (ret = h->perf_ops->level_get(h, dom, &cur)) ||
	    (ret = h->notify_ops->event_notifier_register(
		     h, SCMI_PROTOCOL_PERF, SCMI_EVENT_PERF_LEVEL_CHANGED, &dom, &nb)))
		goto out;
	printf("%s: level %u of %u..%u\n", d->name, cur, d->levels[0].perf,
	       d->levels[d->num_levels - 1].perf);
	/* Move to the other end of the table: the platform reports the change. */
	ret = h->perf_ops->level_set(h, dom,
				     cur == d->levels[0].perf ? d->levels[d->num_levels - 1].perf
							      : d->levels[0].perf);
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 2;
	if (!ret && sem_timedwait(&heard, &until))
		ret = -1;
out:
	if (ret)
		fprintf(stderr, "tour: %s\n", ret == -1 ? "no event" : scmi_strerror(ret));
	scmi_close(h); /* unregisters nb too */
	return ret ? 1 : 0;
}
