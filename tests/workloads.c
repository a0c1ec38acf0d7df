// SPDX-License-Identifier: BSD-3-Clause
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#include <errno.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <scmi-sim/loopback.h>
#include <scmi/scmi.h>
#include <scmi-sim/sim.h>

#include "agent_testproto.h"

#include "workloads.h"

__attribute__((format(printf, 2, 3))) static int fail(struct workload_err *err, const char *fmt,
						      ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

struct agent_worker {
	struct scmi_handle *h;
	int idx;
	int ncmds;
	int done;
	int mismatches;
	int errors;
	int timeouts;
	int last_error;
	bool timeouts_ok; /* the platform loses replies on purpose */
};

static void *agent_worker_run(void *arg)
{
	struct agent_worker *w = arg;
	unsigned int nagents = w->h->version->num_agents;

	for (int i = 0; i < w->ncmds; i++) {
		struct scmi_base_agent_info info;
		uint32_t want = (uint32_t)(w->idx + i) % (nagents + 1);
		int ret = w->h->base_ops->discover_agent(w->h, want, &info);

		if (ret == -ETIMEDOUT && w->timeouts_ok) {
			w->timeouts++;
		} else if (ret) {
			w->errors++;
			w->last_error = ret;
		} else if (info.id != want) {
			w->mismatches++;
		} else {
			w->done++;
		}
	}
	return NULL;
}

/* @nthreads callers on @h; closes @h. */
static int agent_threads_run(struct scmi_handle *h, int nthreads, int ncmds, bool timeouts_ok,
			     struct workload_err *err)
{
	struct agent_worker w[64];
	pthread_t th[64];
	struct scmi_stats st;
	int ret = 0, timeouts = 0;

	for (int i = 0; i < nthreads; i++) {
		w[i] = (struct agent_worker){
			.h = h, .idx = i, .ncmds = ncmds, .timeouts_ok = timeouts_ok};
		pthread_create(&th[i], NULL, agent_worker_run, &w[i]);
	}
	for (int i = 0; i < nthreads; i++)
		pthread_join(th[i], NULL);
	for (int i = 0; i < nthreads && !ret; i++) {
		timeouts += w[i].timeouts;
		if (w[i].mismatches)
			ret = fail(err, "thread %d got %d replies meant for others", i,
				   w[i].mismatches);
		else if (w[i].errors)
			ret = fail(err, "thread %d: %d errors, last %s", i, w[i].errors,
				   scmi_strerror(w[i].last_error));
		else if (w[i].done + w[i].timeouts != ncmds)
			ret = fail(err, "thread %d completed %d of %d", i, w[i].done, ncmds);
	}
	scmi_stats_get(h, &st);
	if (timeouts_ok) {
		if (!ret && !timeouts)
			ret = fail(err, "no command timed out: the late replies were not late");
	} else {
		if (!ret && st.sent != st.responses)
			ret = fail(err, "sent %llu, responses %llu", (unsigned long long)st.sent,
				   (unsigned long long)st.responses);
		if (!ret && st.drop_unknown_token + st.drop_bad_state + st.timeouts)
			ret = fail(err, "unexpected drops or timeouts");
	}
	scmi_close(h);
	return ret;
}

int workload_agent_threads(const char *uri, int nthreads, int ncmds, struct workload_err *err)
{
	struct scmi_config cfg = {.log_level = SCMI_LOG_SILENT};
	struct scmi_handle *h;
	int ret;

	if (nthreads > 64)
		return fail(err, "too many threads");
	ret = scmi_open(uri, &cfg, &h);
	if (ret)
		return fail(err, "scmi_open(%s): %s", uri, scmi_strerror(ret));
	return agent_threads_run(h, nthreads, ncmds, false, err);
}

int workload_polling_faults(int nthreads, int ncmds, struct workload_err *err)
{
	static const char uri[] = "loopback://?max_msg=8&polling=1&timeout_ms=30&dup=1";
	struct scmi_config cfg = {.log_level = SCMI_LOG_SILENT};
	/* Every 5th DISCOVER_AGENT reply comes after 60 ms: too late. */
	struct scmi_sim_fault late = {
		.kind = SCMI_SIM_FAULT_LATE,
		.every = 5,
		.protocol = SCMI_PROTOCOL_BASE,
		.message = 0x7,
		.param = 60000,
	};
	struct scmi_handle *h;
	int ret;

	if (nthreads > 64)
		return fail(err, "too many threads");
	/* Discovery runs under the same 30 ms timeout: on a loaded machine
	 * (sanitizers, parallel tests) it may time out; that is not what this
	 * workload is about, so it tries again a few times. */
	for (int tries = 0; tries < 5; tries++)
		if ((ret = scmi_open(uri, &cfg, &h)) != -ETIMEDOUT)
			break;
	if (ret)
		return fail(err, "scmi_open(%s): %s", uri, scmi_strerror(ret));
	ret = scmi_sim_fault_add(scmi_loopback_sim(h), &late);
	if (ret) {
		scmi_close(h);
		return fail(err, "fault: %s", scmi_strerror(ret));
	}
	return agent_threads_run(h, nthreads, ncmds, true, err);
}

/* ---- notification storm ------------------------------------------------------ */

#define STORM_PROTO   0xF0
#define STORM_SOURCES 8
#define STORM_NBS     4 /* registrations each thread juggles */

enum {
	NB_IDLE,
	NB_ACTIVE,
	NB_GONE
};

struct storm_nb {
	struct scmi_notifier_block nb; /* first: the callback casts back */
	atomic_int state;
	atomic_int *violations;
	atomic_ulong *calls;
};

struct storm_worker {
	struct scmi_handle *h;
	unsigned int seed;
	atomic_bool *stop;
	struct storm_nb nbs[STORM_NBS];
	int errors;
	int last_error;
	unsigned long cycles;
};

static int storm_cb(struct scmi_notifier_block *nb, unsigned int evt, const void *report)
{
	struct storm_nb *s = (struct storm_nb *)nb;
	const struct tp_report *r = report;

	if (atomic_load(&s->state) == NB_GONE || r->hdr.evt_id != evt)
		atomic_fetch_add(s->violations, 1);
	atomic_fetch_add(s->calls, 1);
	return SCMI_NOTIFY_OK;
}

static void *storm_worker_run(void *arg)
{
	struct storm_worker *w = arg;

	while (!atomic_load(w->stop)) {
		int i = (int)(rand_r(&w->seed) % STORM_NBS);
		struct storm_nb *s = &w->nbs[i];
		uint32_t src = (uint32_t)rand_r(&w->seed) % STORM_SOURCES;
		const uint32_t *srcp = rand_r(&w->seed) % 4 ? &src : NULL;
		uint8_t evt = (uint8_t)(rand_r(&w->seed) % 2);
		int ret;

		s->nb.priority = (int)(rand_r(&w->seed) % 3);
		atomic_store(&s->state, NB_ACTIVE);
		ret = w->h->notify_ops->event_notifier_register(w->h, STORM_PROTO, evt, srcp,
								&s->nb);
		if (ret) {
			w->errors++;
			w->last_error = ret;
			atomic_store(&s->state, NB_GONE);
			continue;
		}
		if (rand_r(&w->seed) % 2)
			sched_yield();
		ret = w->h->notify_ops->event_notifier_unregister(w->h, STORM_PROTO, evt, srcp,
								  &s->nb);
		/* From here on the callback must not run for this block. */
		atomic_store(&s->state, NB_GONE);
		if (ret) {
			w->errors++;
			w->last_error = ret;
		}
		w->cycles++;
	}
	return NULL;
}

struct storm_accounting {
	struct scmi_handle *h;
	uint64_t want;
};

static bool storm_all_accounted(struct storm_accounting *a, struct scmi_event_stats *st)
{
	scmi_event_stats_get(a->h, STORM_PROTO, st);
	return st->received >= a->want && st->delivered + st->dropped_queue_full +
							  st->dropped_no_handler +
							  st->dropped_malformed ==
						  st->received;
}

int workload_notify_storm(int nthreads, uint32_t nevents, struct workload_err *err)
{
	struct scmi_config cfg = {.log_level = SCMI_LOG_SILENT, .event_queue_depth = 1024};
	atomic_int violations = 0;
	atomic_ulong calls = 0;
	atomic_bool stop = false;
	struct storm_worker *w;
	struct scmi_event_stats st;
	struct storm_accounting acc;
	pthread_t th[16];
	struct scmi_handle *h;
	uint32_t sent = 0;
	char uri[64];
	int ret;

	if (nthreads > 16)
		return fail(err, "too many threads");
	snprintf(uri, sizeof(uri), "loopback://?test_protocols=0x%x:%u", STORM_PROTO,
		 STORM_SOURCES);
	ret = scmi_open(uri, &cfg, &h);
	if (ret)
		return fail(err, "scmi_open: %s", scmi_strerror(ret));
	ret = tp_register_events(h, STORM_PROTO);
	if (ret) {
		scmi_close(h);
		return fail(err, "test protocol: %s", scmi_strerror(ret));
	}
	/* A permanent listener keeps events flowing through the chains the
	 * workers churn (event 0, every source). */
	static struct storm_nb keeper;

	keeper = (struct storm_nb){
		.nb.notifier_call = storm_cb, .violations = &violations, .calls = &calls};
	atomic_init(&keeper.state, NB_ACTIVE);
	ret = h->notify_ops->event_notifier_register(h, STORM_PROTO, 0, NULL, &keeper.nb);
	if (ret) {
		scmi_close(h);
		return fail(err, "register: %s", scmi_strerror(ret));
	}
	w = calloc((size_t)nthreads, sizeof(*w));
	for (int i = 0; i < nthreads; i++) {
		w[i].h = h;
		w[i].seed = (unsigned int)i * 7919u + 1;
		w[i].stop = &stop;
		for (int j = 0; j < STORM_NBS; j++) {
			w[i].nbs[j].nb.notifier_call = storm_cb;
			w[i].nbs[j].violations = &violations;
			w[i].nbs[j].calls = &calls;
			atomic_init(&w[i].nbs[j].state, NB_IDLE);
		}
		pthread_create(&th[i], NULL, storm_worker_run, &w[i]);
	}
	/* The stream: every source, both events, in small chunks on the sim
	 * thread, paced so that it overlaps the registration churn. */
	while (sent < nevents) {
		uint32_t n = nevents - sent < 50 ? nevents - sent : 50;
		int r = tp_emit(h, STORM_PROTO, (uint8_t)(sent / 50 % 2), sent / 50 % STORM_SOURCES,
				n, 1);
		struct timespec pace = {0, 20000L};

		nanosleep(&pace, NULL);

		if (r < 0) {
			ret = fail(err, "emit: %s", scmi_strerror(r));
			break;
		}
		sent += n;
	}
	atomic_store(&stop, true);
	for (int i = 0; i < nthreads; i++)
		pthread_join(th[i], NULL);
	if (h->notify_ops->event_notifier_unregister(h, STORM_PROTO, 0, NULL, &keeper.nb) && !ret)
		ret = fail(err, "unregistering the permanent listener failed");

	acc.h = h;
	acc.want = nevents;
	for (int i = 0; i < 30000 && !storm_all_accounted(&acc, &st); i++) {
		struct timespec ts = {0, 1000000L};

		nanosleep(&ts, NULL);
	}
	for (int i = 0; i < nthreads && !ret; i++)
		if (w[i].errors)
			ret = fail(err, "thread %d: %d errors, last %s", i, w[i].errors,
				   scmi_strerror(w[i].last_error));
	if (!ret && atomic_load(&violations))
		ret = fail(err, "%d callbacks after their unregistration returned",
			   atomic_load(&violations));
	if (!ret && !storm_all_accounted(&acc, &st))
		ret = fail(err,
			   "events unaccounted: received %llu delivered %llu full %llu none %llu "
			   "bad %llu",
			   (unsigned long long)st.received, (unsigned long long)st.delivered,
			   (unsigned long long)st.dropped_queue_full,
			   (unsigned long long)st.dropped_no_handler,
			   (unsigned long long)st.dropped_malformed);
	for (uint32_t s = 0; !ret && s < STORM_SOURCES; s++)
		for (uint8_t e = 0; !ret && e < 2; e++)
			if (scmi_sim_notify_enabled(scmi_loopback_sim(h), STORM_PROTO, e, s) != 0)
				ret = fail(err, "event %u source %u still enabled at the platform",
					   e, s);
	if (!ret && (!atomic_load(&calls) || !st.delivered))
		ret = fail(err, "no event was ever delivered (%lu calls)", atomic_load(&calls));
	if (!ret) {
		unsigned long cycles = 0;

		for (int i = 0; i < nthreads; i++)
			cycles += w[i].cycles;
		snprintf(err->msg, sizeof(err->msg),
			 "%lu register/unregister cycles, %llu events: %llu delivered (%lu calls), "
			 "%llu no listener, %llu queue full",
			 cycles, (unsigned long long)st.received, (unsigned long long)st.delivered,
			 atomic_load(&calls), (unsigned long long)st.dropped_no_handler,
			 (unsigned long long)st.dropped_queue_full);
	}
	scmi_close(h);
	tp_cleanup();
	free(w);
	return ret;
}

/* ---- every protocol at once ---------------------------------------------------------- */

struct mixed_worker {
	struct scmi_handle *h;
	int idx, iterations;
	int failures;
	int last_error;
	const char *last_op;
};

/* Refusals by the platform or by local validation are fine here; lost
 * replies, timeouts and malformed replies are not. */
static void mixed_check(struct mixed_worker *w, const char *op, int ret)
{
	switch (ret) {
	case 0:
	case -EINVAL:
	case -EOPNOTSUPP:
	case -EACCES:
	case -ERANGE:
	case -EBUSY:
	case -ENOENT:
		return;
	default:
		w->failures++;
		w->last_error = ret;
		w->last_op = op;
	}
}

static void mixed_perf(struct mixed_worker *w, uint32_t i)
{
	const struct scmi_perf_domain_info *di;
	struct scmi_handle *h = w->h;
	uint32_t lvl, max, min;
	int n = h->perf_ops->count_get(h);
	uint32_t d;

	if (n <= 0)
		return mixed_check(w, "perf count", n);
	d = i % (uint32_t)n;
	mixed_check(w, "perf level_get", h->perf_ops->level_get(h, d, &lvl));
	mixed_check(w, "perf limits_get", h->perf_ops->limits_get(h, d, &max, &min));
	if (!h->perf_ops->info_get(h, d, &di) && di->num_levels)
		mixed_check(w, "perf level_set",
			    h->perf_ops->level_set(h, d, di->levels[i % di->num_levels].perf));
}

static void mixed_clock(struct mixed_worker *w, uint32_t i)
{
	struct scmi_handle *h = w->h;
	int n = h->clock_ops->count_get(h);
	uint64_t rate;
	bool on;
	uint32_t c;

	if (n <= 0)
		return mixed_check(w, "clock count", n);
	c = i % (uint32_t)n;
	mixed_check(w, "clock rate_get", h->clock_ops->rate_get(h, c, &rate));
	mixed_check(w, "clock state_get", h->clock_ops->state_get(h, c, &on));
	if (!h->clock_ops->rate_get(h, c, &rate))
		mixed_check(w, "clock rate_set",
			    h->clock_ops->rate_set(h, c, rate, i % 2 ? SCMI_CLOCK_RATE_ASYNC : 0,
						   NULL));
}

static void mixed_others(struct mixed_worker *w, uint32_t i)
{
	struct scmi_handle *h = w->h;
	uint32_t state, cap, power, pai;
	int64_t value;
	int32_t uv;
	int n;

	if ((n = h->power_ops->count_get(h)) > 0)
		mixed_check(w, "power state_get",
			    h->power_ops->state_get(h, i % (uint32_t)n, &state));
	if ((n = h->sensor_ops->count_get(h)) > 0)
		mixed_check(w, "sensor reading_get",
			    h->sensor_ops->reading_get(h, i % (uint32_t)n, &value));
	if ((n = h->voltage_ops->count_get(h)) > 0)
		mixed_check(w, "voltage level_get",
			    h->voltage_ops->level_get(h, i % (uint32_t)n, &uv));
	if ((n = h->powercap_ops->count_get(h)) > 0) {
		mixed_check(w, "powercap cap_get",
			    h->powercap_ops->cap_get(h, i % (uint32_t)n, &cap));
		mixed_check(w, "powercap measurements_get",
			    h->powercap_ops->measurements_get(h, i % (uint32_t)n, &power, &pai));
	}
	if ((n = h->reset_ops->count_get(h)) > 0 && i % 8 == 0)
		mixed_check(w, "reset",
			    h->reset_ops->reset(h, i % (uint32_t)n, 0, SCMI_RESET_AUTO));
}

static void *mixed_run(void *arg)
{
	struct mixed_worker *w = arg;

	for (int i = 0; i < w->iterations; i++) {
		uint32_t k = (uint32_t)(w->idx * 7919 + i);

		mixed_perf(w, k);
		mixed_clock(w, k);
		mixed_others(w, k);
	}
	return NULL;
}

static int mixed_cb(struct scmi_notifier_block *nb, unsigned int evt, const void *report)
{
	atomic_fetch_add((atomic_ulong *)(nb + 1), 1);
	return SCMI_NOTIFY_OK;
}

struct mixed_listener {
	struct scmi_notifier_block nb;
	atomic_ulong calls; /* right after nb: the callback's counter */
	uint8_t proto, evt;
	bool registered;
};

int workload_protocols_mixed(int nthreads, int iterations, struct workload_err *err)
{
	struct scmi_config cfg = {.log_level = SCMI_LOG_SILENT};
	struct mixed_listener ls[] = {
		{.proto = SCMI_PROTOCOL_PERF, .evt = SCMI_EVENT_PERF_LIMITS_CHANGED},
		{.proto = SCMI_PROTOCOL_PERF, .evt = SCMI_EVENT_PERF_LEVEL_CHANGED},
		{.proto = SCMI_PROTOCOL_CLOCK, .evt = SCMI_EVENT_CLOCK_RATE_CHANGED},
		{.proto = SCMI_PROTOCOL_POWER, .evt = SCMI_EVENT_POWER_STATE_CHANGED},
		{.proto = SCMI_PROTOCOL_RESET, .evt = SCMI_EVENT_RESET_ISSUED},
		{.proto = SCMI_PROTOCOL_SENSOR, .evt = SCMI_EVENT_SENSOR_UPDATE},
	};
	struct mixed_worker w[16];
	pthread_t th[16];
	struct scmi_handle *h;
	unsigned long delivered = 0;
	int ret;

	if (nthreads > 16)
		return fail(err, "too many threads");
	ret = scmi_open("loopback://?activity_ms=1", &cfg, &h);
	if (ret)
		return fail(err, "scmi_open: %s", scmi_strerror(ret));
	if (!h->perf_ops || !h->clock_ops || !h->power_ops || !h->sensor_ops || !h->reset_ops ||
	    !h->voltage_ops || !h->powercap_ops) {
		scmi_close(h);
		return fail(err, "the newest profile lacks a protocol");
	}
	for (size_t i = 0; i < sizeof(ls) / sizeof(ls[0]); i++) {
		ls[i].nb.notifier_call = mixed_cb;
		atomic_init(&ls[i].calls, 0);
		ls[i].registered = !h->notify_ops->event_notifier_register(
			h, ls[i].proto, ls[i].evt, NULL, &ls[i].nb);
	}
	for (int i = 0; i < nthreads; i++) {
		w[i] = (struct mixed_worker){.h = h, .idx = i, .iterations = iterations};
		pthread_create(&th[i], NULL, mixed_run, &w[i]);
	}
	for (int i = 0; i < nthreads; i++)
		pthread_join(th[i], NULL);
	for (size_t i = 0; i < sizeof(ls) / sizeof(ls[0]); i++) {
		if (ls[i].registered)
			h->notify_ops->event_notifier_unregister(h, ls[i].proto, ls[i].evt, NULL,
								 &ls[i].nb);
		delivered += atomic_load(&ls[i].calls);
	}
	ret = 0;
	for (int i = 0; i < nthreads && !ret; i++)
		if (w[i].failures)
			ret = fail(err, "thread %d: %d failures, last %s: %s", i, w[i].failures,
				   w[i].last_op, scmi_strerror(w[i].last_error));
	if (!ret && !delivered)
		ret = fail(err, "no notification delivered");
	if (!ret)
		snprintf(err->msg, sizeof(err->msg), "%d threads x %d rounds, %lu notifications",
			 nthreads, iterations, delivered);
	scmi_close(h);
	return ret;
}

/* ---- non-blocking request storm ------------------------------------------------- */

#define RSTORM_REQS 32 /* requests each thread keeps in rotation */
#define RSTORM_BASE 1000

struct rstorm_req {
	struct scmi_req req;
	int64_t value;
	uint32_t want;
	atomic_int state; /* 0 idle, 1 submitted, 2 completed */
	atomic_int calls;
	struct rstorm_thread *t;
};

struct rstorm_thread {
	struct scmi_handle *h;
	int idx;
	int rounds;
	unsigned int nsensors;
	struct rstorm_req r[RSTORM_REQS];
	atomic_int completed, cancelled, timed_out, bad, doubles;
	int submit_errors, last_error;
};

static void rstorm_done(struct scmi_req *req)
{
	struct rstorm_req *q = req->data;
	struct rstorm_thread *t = q->t;

	if (atomic_fetch_add(&q->calls, 1) != 0 || atomic_load(&q->state) != 1)
		atomic_fetch_add(&t->doubles, 1);
	if (req->status == -ECANCELED)
		atomic_fetch_add(&t->cancelled, 1);
	else if (req->status == -ETIMEDOUT || req->status == -EBUSY)
		atomic_fetch_add(&t->timed_out, 1); /* lost, or the platform's BUSY */
	else if (req->status || q->value != RSTORM_BASE + (int64_t)q->want)
		atomic_fetch_add(&t->bad, 1);
	else
		atomic_fetch_add(&t->completed, 1);
	atomic_store(&q->state, 2);
}

static void *rstorm_run(void *arg)
{
	struct rstorm_thread *t = arg;
	unsigned int seed = (unsigned int)t->idx * 7919u + 1;

	for (int round = 0; round < t->rounds; round++) {
		for (int i = 0; i < RSTORM_REQS; i++) {
			struct rstorm_req *q = &t->r[i];
			int ret;

			if (atomic_load(&q->state) == 1) {
				/* Still out: sometimes cancel it. */
				if (rand_r(&seed) % 32 == 0)
					scmi_req_cancel(&q->req);
				continue;
			}
			q->want = (uint32_t)(t->idx + round + i) % t->nsensors;
			q->req.data = q;
			atomic_store(&q->calls, 0);
			atomic_store(&q->state, 1);
			ret = SCMI_ASYNC(&q->req, rstorm_done,
					 t->h->sensor_ops->reading_get(t->h, q->want, &q->value));
			if (ret) {
				atomic_store(&q->state, 0);
				t->submit_errors++;
				t->last_error = ret;
			}
		}
		/* Blocking calls share the xfers and tokens meanwhile. */
		{
			uint32_t want = (uint32_t)round % t->nsensors;
			int64_t v;
			int ret = t->h->sensor_ops->reading_get(t->h, want, &v);

			/* BUSY: the platform still counts the asynchronous reads
			 * given up here (late replies) against its limit. */
			if (ret && ret != -ETIMEDOUT && ret != -ENOBUFS && ret != -EBUSY) {
				t->submit_errors++;
				t->last_error = ret;
			} else if (!ret && v != RSTORM_BASE + (int64_t)want) {
				atomic_fetch_add(&t->bad, 1);
			}
		}
	}
	return NULL;
}

/* Pin every sensor's readings to RSTORM_BASE + its id. */
static int rstorm_pin(struct scmi_handle *h, unsigned int *n)
{
	int count = h->sensor_ops->count_get(h);

	if (count <= 0)
		return count ? count : -ENODEV;
	for (int id = 0; id < count; id++) {
		const struct scmi_sensor_info *si;
		int64_t v[SCMI_SENSOR_MAX_AXES];
		unsigned int axes;
		int ret = h->sensor_ops->info_get(h, (uint32_t)id, &si);

		if (ret)
			return ret;
		axes = si->num_axes ? si->num_axes : 1;
		for (unsigned int a = 0; a < axes; a++)
			v[a] = RSTORM_BASE + id;
		ret = scmi_sim_sensor_value_set(scmi_loopback_sim(h), (uint32_t)id, v, axes);
		if (ret < 0)
			return ret;
	}
	*n = (unsigned int)count;
	return 0;
}

int workload_request_storm(int nthreads, int rounds, struct workload_err *err)
{
	/* Every 7th READING_GET reply comes after the 40 ms timeout. */
	static const char uri[] = "loopback://?max_msg=8&timeout_ms=40";
	struct scmi_sim_fault late = {
		.kind = SCMI_SIM_FAULT_LATE,
		.every = 7,
		.protocol = SCMI_PROTOCOL_SENSOR,
		.message = 0x6,
		.param = 60000,
	};
	struct scmi_config cfg = {.log_level = SCMI_LOG_SILENT, .dresp_timeout_ms = 40};
	static struct rstorm_thread t[16];
	pthread_t th[16];
	struct scmi_handle *h;
	unsigned int nsensors = 0;
	int ret = 0;

	if (nthreads > 16)
		return fail(err, "too many threads");
	for (int tries = 0; tries < 5; tries++)
		if ((ret = scmi_open(uri, &cfg, &h)) != -ETIMEDOUT)
			break;
	if (ret)
		return fail(err, "scmi_open(%s): %s", uri, scmi_strerror(ret));
	/* The bring-up and pinning under the timeout may need a retry too. */
	for (int tries = 0; tries < 5; tries++)
		if ((ret = rstorm_pin(h, &nsensors)) != -ETIMEDOUT)
			break;
	if (!ret)
		ret = scmi_sim_fault_add(scmi_loopback_sim(h), &late);
	if (ret) {
		scmi_close(h);
		return fail(err, "setup: %s", scmi_strerror(ret));
	}
	for (int i = 0; i < nthreads; i++) {
		memset(&t[i], 0, sizeof(t[i]));
		t[i].h = h;
		t[i].idx = i;
		t[i].rounds = rounds;
		t[i].nsensors = nsensors;
		for (int j = 0; j < RSTORM_REQS; j++)
			t[i].r[j].t = &t[i];
		pthread_create(&th[i], NULL, rstorm_run, &t[i]);
	}
	for (int i = 0; i < nthreads; i++)
		pthread_join(th[i], NULL);
	/* Close with requests still out: each completes, once, before close
	 * returns. */
	scmi_close(h);
	if (getenv("WORKLOAD_VERBOSE")) {
		int c = 0, x = 0, tmo = 0;

		for (int i = 0; i < nthreads; i++) {
			c += atomic_load(&t[i].completed);
			x += atomic_load(&t[i].cancelled);
			tmo += atomic_load(&t[i].timed_out);
		}
		fprintf(stderr, "request_storm: %d completed, %d cancelled, %d timed out\n", c, x,
			tmo);
	}
	for (int i = 0; i < nthreads && !ret; i++) {
		int out = 0;

		for (int j = 0; j < RSTORM_REQS; j++)
			out += atomic_load(&t[i].r[j].state) == 1;
		if (atomic_load(&t[i].doubles))
			ret = fail(err, "thread %d: %d requests completed twice", i,
				   atomic_load(&t[i].doubles));
		else if (out)
			ret = fail(err, "thread %d: %d requests never completed", i, out);
		else if (atomic_load(&t[i].bad))
			ret = fail(err, "thread %d: %d wrong results", i, atomic_load(&t[i].bad));
		else if (t[i].submit_errors)
			ret = fail(err, "thread %d: %d submissions failed, last %s", i,
				   t[i].submit_errors, scmi_strerror(t[i].last_error));
		else if (!atomic_load(&t[i].completed))
			ret = fail(err, "thread %d: nothing completed", i);
	}
	return ret;
}
