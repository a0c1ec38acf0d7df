// SPDX-License-Identifier: BSD-3-Clause
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>

#include <scmi/scmi.h>

#include "workloads.h"

static int fail(struct workload_err *err, const char *fmt, ...)
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
	int last_error;
};

static void *agent_worker_run(void *arg)
{
	struct agent_worker *w = arg;
	unsigned int nagents = w->h->version->num_agents;

	for (int i = 0; i < w->ncmds; i++) {
		struct scmi_base_agent_info info;
		uint32_t want = (uint32_t)(w->idx + i) % (nagents + 1);
		int ret = w->h->base_ops->discover_agent(w->h, want, &info);

		if (ret) {
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

int workload_agent_threads(const char *uri, int nthreads, int ncmds, struct workload_err *err)
{
	struct scmi_config cfg = {.log_level = SCMI_LOG_SILENT};
	struct agent_worker w[64];
	pthread_t th[64];
	struct scmi_handle *h;
	struct scmi_stats st;
	int ret = 0;

	if (nthreads > 64)
		return fail(err, "too many threads");
	ret = scmi_open(uri, &cfg, &h);
	if (ret)
		return fail(err, "scmi_open(%s): %s", uri, scmi_strerror(ret));
	for (int i = 0; i < nthreads; i++) {
		w[i] = (struct agent_worker){.h = h, .idx = i, .ncmds = ncmds};
		pthread_create(&th[i], NULL, agent_worker_run, &w[i]);
	}
	for (int i = 0; i < nthreads; i++)
		pthread_join(th[i], NULL);
	for (int i = 0; i < nthreads && !ret; i++) {
		if (w[i].mismatches)
			ret = fail(err, "thread %d got %d replies meant for others", i,
				   w[i].mismatches);
		else if (w[i].errors)
			ret = fail(err, "thread %d: %d errors, last %s", i, w[i].errors,
				   scmi_strerror(w[i].last_error));
		else if (w[i].done != ncmds)
			ret = fail(err, "thread %d completed %d of %d", i, w[i].done, ncmds);
	}
	scmi_stats_get(h, &st);
	if (!ret && st.sent != st.responses)
		ret = fail(err, "sent %llu, responses %llu", (unsigned long long)st.sent,
			   (unsigned long long)st.responses);
	if (!ret && st.drop_unknown_token + st.drop_bad_state + st.timeouts)
		ret = fail(err, "unexpected drops or timeouts");
	scmi_close(h);
	return ret;
}
