// SPDX-License-Identifier: BSD-3-Clause
/*
 * The daemon loop (issue 13): a program running its own libuv loop, passed
 * in scmi_config.loop, reads a sensor DL_READS times against a platform
 * that takes DL_DELAY_US to answer each command (loopback://, delay_us=)
 * and takes DL_MAX_MSG commands in flight (max_msg=).
 *
 *   blocking      the reads one after the other (reading_get() called
 *                 directly): DL_READS times the platform's delay;
 *   on the loop   every read submitted at once with SCMI_ASYNC() from the
 *                 loop's thread, completions run on the loop (the engine
 *                 keeps DL_MAX_MSG in flight, queues the rest): about
 *                 DL_READS / DL_MAX_MSG times the platform's delay.
 *
 * The floor is measured in the same run: the median of one blocking read
 * (the platform's delay as the simulator's millisecond timers round it,
 * plus the round trip) times ceil(DL_READS / DL_MAX_MSG), the time of that
 * many batches of DL_MAX_MSG concurrent reads.  The blocking run's ratio
 * to it is then about DL_MAX_MSG, the loop's about 1.
 *
 * Heap allocations per non-blocking read in steady state: counted over the
 * whole process (bench.c's malloc wrappers) in a run on the loop with the
 * delay knob cleared.  With a delay, the in-process simulator copies each
 * delayed response into a heap-allocated message (sim/runner.c,
 * rn_emit()): one allocation per read that is the test platform's, not
 * libscmi's (printed too, to show the counter at work).  Without one the
 * simulator allocates nothing, so what is counted is libscmi's (and
 * libuv's) alone, on the same path through libscmi: DL_READS requests
 * submitted at once, DL_MAX_MSG in flight, the rest in the engine's
 * backlog, completions delivered on the loop.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include <scmi-sim/loopback.h>
#include <scmi-sim/sim.h>
#include <scmi/scmi.h>

#include "bench.h"

#define DL_READS    1000u
#define DL_MAX_MSG  16u
#define DL_DELAY_US 1000u
#define DL_SENSOR   1u	/* the simulator's sensor 1: synchronous reads only */
#define DL_SAMPLES  50u /* blocking reads for the floor */

struct dl_read {
	struct scmi_req req;
	int64_t value;
};

struct dl_run {
	uv_loop_t *loop;
	struct dl_read *reads;
	unsigned int n, done, failed;
	int first_err;
};

static void dl_fail(struct dl_run *run, int err)
{
	if (!run->failed++)
		run->first_err = err;
}

/* On the loop's thread: one read completed. */
static void dl_done(struct scmi_req *req)
{
	struct dl_run *run = req->data;

	if (req->status)
		dl_fail(run, req->status);
	if (++run->done == run->n)
		uv_stop(run->loop);
}

/*
 * Every read submitted at once from the loop's thread, then the loop runs
 * until the last completion.  Returns the wall time, ns; *@submit_ns the
 * time the loop spent submitting.
 */
static uint64_t dl_run_loop(struct scmi_handle *h, struct dl_run *run, uint64_t *submit_ns)
{
	uint64_t t0 = now_ns(), t1;

	run->done = 0;
	for (unsigned int i = 0; i < run->n; i++) {
		struct dl_read *r = &run->reads[i];
		int ret;

		r->req.data = run;
		ret = SCMI_ASYNC(&r->req, dl_done,
				 h->sensor_ops->reading_get(h, DL_SENSOR, &r->value));
		if (ret) {
			dl_fail(run, ret);
			run->done++;
		}
	}
	t1 = now_ns();
	if (run->done < run->n)
		uv_run(run->loop, UV_RUN_DEFAULT);
	*submit_ns = t1 - t0;
	return now_ns() - t0;
}

static bool dl_failed(const char *name, struct dl_run *run, struct scmi_handle *h,
		      const struct scmi_stats *before)
{
	struct scmi_stats after;
	char why[200];
	uint64_t lost;

	stats_get(h, &after);
	lost = commands_lost(before, &after, why, sizeof(why));
	if (!run->failed && !lost)
		return false;
	print_failed(name, "%u of %u reads failed (first: %s); %s", run->failed, run->n,
		     run->failed ? scmi_strerror(run->first_err) : "none", why);
	return true;
}

void bench_daemon(void)
{
	static struct dl_read reads[DL_READS];
	char uri[64];
	uv_loop_t loop;
	struct scmi_config cfg = {.log_level = SCMI_LOG_ERR, .loop = &loop};
	struct dl_run run = {.loop = &loop, .reads = reads, .n = DL_READS};
	uint64_t samples[DL_SAMPLES], t0, block_ns, loop_ns, submit_ns;
	unsigned long a0, a1, sim_allocs;
	struct scmi_stats before;
	struct scmi_handle *h;
	double floor_ns;
	struct figure one;
	int64_t v;
	int ret;

	snprintf(uri, sizeof(uri), "loopback://?max_msg=%u&delay_us=%u", DL_MAX_MSG, DL_DELAY_US);
	if (uv_loop_init(&loop)) {
		print_failed("daemon loop", "uv_loop_init failed");
		return;
	}
	ret = scmi_open(uri, &cfg, &h);
	if (ret) {
		print_failed("daemon loop", "scmi_open(%s): %s", uri, scmi_strerror(ret));
		uv_loop_close(&loop);
		return;
	}
	/* Bring the protocol up (blocking, as scmi/request.h advises). */
	ret = h->sensor_ops ? h->sensor_ops->count_get(h) : -EOPNOTSUPP;
	if (ret <= (int)DL_SENSOR) {
		print_failed("daemon loop", "no sensor %u: %s", DL_SENSOR,
			     scmi_strerror(ret < 0 ? ret : -ENOENT));
		goto out;
	}
	stats_get(h, &before);

	/* The floor: one blocking read, its median. */
	for (unsigned int i = 0; i < DL_SAMPLES; i++) {
		t0 = now_ns();
		if ((ret = h->sensor_ops->reading_get(h, DL_SENSOR, &v)))
			dl_fail(&run, ret);
		samples[i] = now_ns() - t0;
	}
	one = summarize(samples, DL_SAMPLES);
	floor_ns = one.median * (double)((DL_READS + DL_MAX_MSG - 1) / DL_MAX_MSG);

	/* DL_READS blocking reads. */
	t0 = now_ns();
	for (unsigned int i = 0; i < DL_READS; i++)
		if ((ret = h->sensor_ops->reading_get(h, DL_SENSOR, &v)))
			dl_fail(&run, ret);
	block_ns = now_ns() - t0;
	if (dl_failed("daemon: blocking reads", &run, h, &before))
		goto out;

	/* The same on the loop: one warm-up run (the engine's thread starts),
	 * then the measured one. */
	dl_run_loop(h, &run, &submit_ns);
	a0 = bench_allocs();
	loop_ns = dl_run_loop(h, &run, &submit_ns);
	sim_allocs = bench_allocs() - a0;
	if (dl_failed("daemon: reads on the loop", &run, h, &before))
		goto out;

	/* Steady state without the simulator's delayed-message copies. */
	scmi_sim_fault_clear(scmi_loopback_sim(h));
	dl_run_loop(h, &run, &t0);
	a0 = bench_allocs();
	dl_run_loop(h, &run, &t0);
	a1 = bench_allocs();
	if (dl_failed("daemon: reads on the loop, no delay", &run, h, &before))
		goto out;

	print_line("daemon: one read, 1 ms platform",
		   (struct figure){one.median / 1e3, one.p99 / 1e3}, "us", 0);
	print_value("daemon: floor, 1000/16 x one read", 1, floor_ns / 1e6, "ms", 0, "-");
	print_value("daemon: 1000 reads, blocking", 1, (double)block_ns / 1e6, "ms",
		    (double)block_ns / floor_ns, "0");
	print_value("daemon: 1000 reads on the loop", 1, (double)loop_ns / 1e6, "ms",
		    (double)loop_ns / floor_ns, "0");
	print_value("daemon: loop time per submission", 0, (double)submit_ns / DL_READS, "ns", 0,
		    "-");
	print_value("heap allocations per async read", 3, (double)(a1 - a0) / DL_READS, "allocs", 0,
		    "0");
	/* The counter at work: the simulator's copies of delayed replies. */
	print_value("  with delay, simulator's copies", 3, (double)sim_allocs / DL_READS, "allocs",
		    0, "0");
out:
	scmi_close(h);
	uv_run(&loop, UV_RUN_NOWAIT); /* the handle's async handle closes */
	if (uv_loop_close(&loop))
		fprintf(stderr, "bench: daemon loop: uv_loop_close: handles left\n");
}
