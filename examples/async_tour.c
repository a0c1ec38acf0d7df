// SPDX-License-Identifier: BSD-3-Clause
/* The README's non-blocking tour: read every sensor from a libuv loop
 * without ever blocking it.  Usage: async_tour [URI] */
#include <stdio.h>
#include <stdlib.h>

#include <uv.h>

#include <scmi/scmi.h>

struct reading {
	struct scmi_req req; /* the caller's, like a uv_fs_t */
	uint32_t id;
	int64_t value; /* filled in before the callback runs */
};

static int pending;

static void read_done(struct scmi_req *req)
{
	struct reading *r = req->data;

	if (req->status < 0)
		printf("sensor %u: %s\n", r->id, scmi_strerror(req->status));
	else
		printf("sensor %u: %lld\n", r->id, (long long)r->value);
	if (--pending == 0)
		uv_stop(uv_default_loop()); /* callbacks run on this loop's thread */
}

int main(int argc, char **argv)
{
	struct scmi_config cfg = {.loop = uv_default_loop()};
	struct scmi_handle *h;
	struct reading *r;
	int n, ret;

	ret = scmi_open(argc > 1 ? argv[1] : NULL, &cfg, &h);
	if (ret) {
		fprintf(stderr, "scmi_open: %s\n", scmi_last_error_msg());
		return 1;
	}
	/* The first call of a protocol brings it up, blocking: make it here
	 * (or keep it off the loop too: SCMI_ASYNC() of scmi_protocol_prepare()). */
	n = h->sensor_ops ? h->sensor_ops->count_get(h) : -EOPNOTSUPP;
	if (n <= 0) {
		fprintf(stderr, "no sensors: %s\n", scmi_strerror(n));
		scmi_close(h);
		return 1;
	}
	r = calloc((size_t)n, sizeof(*r));
	for (int i = 0; i < n; i++) {
		r[i].id = (uint32_t)i;
		r[i].req.data = &r[i];
		/* Any op, wrapped: returns at once; read_done() runs later. */
		ret = SCMI_ASYNC(&r[i].req, read_done,
				 h->sensor_ops->reading_get(h, r[i].id, &r[i].value));
		if (ret)
			printf("sensor %d: not read: %s\n", i, scmi_strerror(ret));
		else
			pending++;
	}
	if (pending)
		uv_run(uv_default_loop(), UV_RUN_DEFAULT);
	scmi_close(h); /* on the loop's thread, as the loop mode wants */
	uv_run(uv_default_loop(), UV_RUN_NOWAIT); /* let the handle's uv handles close */
	free(r);
	return 0;
}
