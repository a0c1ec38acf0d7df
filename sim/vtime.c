/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The simulator's clock.  In real time (the default) it is CLOCK_MONOTONIC
 * and delayed outputs go to the emit callback with their delay, for the
 * caller (the runner) to deliver when due.  In virtual time
 * (scmi_sim_config.virtual_time) the clock only moves with
 * scmi_sim_time_advance(), and the simulator holds delayed outputs itself:
 * they are emitted, with delay 0, from the advance that reaches their due
 * time.  A single-threaded harness then sees delayed responses, pending
 * async accounting, async power changes and sensor updates in one
 * deterministic order, whatever the machine's speed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sim-internal.h"

/* Held outputs beyond this many are refused (the emit gets them at once). */
#define SIM_VT_MAX 65536u

struct sim_vt_msg {
	uint64_t due_ns;
	uint64_t seq; /* emission order: ties keep it */
	enum scmi_sim_chan chan;
	size_t len;
	uint8_t *buf;
};

uint64_t sim_now_ns(const struct scmi_sim *sim)
{
	struct timespec ts;

	if (sim->vtime)
		return sim->vnow_ns;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

bool sim_vtime_hold(struct scmi_sim *sim, enum scmi_sim_chan chan, const uint8_t *buf, size_t len,
		    uint64_t delay_us)
{
	struct sim_vt_msg *m;

	if (!sim->vtime || !delay_us)
		return false;
	if (sim->vq_n == sim->vq_cap) {
		size_t cap = sim->vq_cap ? 2 * sim->vq_cap : 16;
		struct sim_vt_msg *q;

		if (cap > SIM_VT_MAX)
			return false;
		q = realloc(sim->vq, cap * sizeof(*q));
		if (!q)
			return false;
		sim->vq = q;
		sim->vq_cap = cap;
	}
	m = &sim->vq[sim->vq_n];
	m->buf = malloc(len);
	if (!m->buf)
		return false;
	memcpy(m->buf, buf, len);
	m->len = len;
	m->chan = chan;
	m->seq = sim->vq_seq++;
	/* Saturate: a delay past the end of time is never due. */
	m->due_ns = delay_us > (UINT64_MAX - sim->vnow_ns) / 1000u
			    ? UINT64_MAX
			    : sim->vnow_ns + delay_us * 1000u;
	sim->vq_n++;
	return true;
}

static uint64_t sim_vt_emitted(const struct scmi_sim *sim)
{
	return sim->stats.responses + sim->stats.delayed_responses + sim->stats.notifications;
}

/* Index of the held output due first (ties: emitted first), or -1. */
static long sim_vt_next(const struct scmi_sim *sim, uint64_t until)
{
	long best = -1;

	for (size_t i = 0; i < sim->vq_n; i++) {
		const struct sim_vt_msg *m = &sim->vq[i];

		if (m->due_ns > until)
			continue;
		if (best < 0 || m->due_ns < sim->vq[best].due_ns ||
		    (m->due_ns == sim->vq[best].due_ns && m->seq < sim->vq[best].seq))
			best = (long)i;
	}
	return best;
}

int scmi_sim_time_advance(struct scmi_sim *sim, uint64_t ns)
{
	uint64_t target, before;
	long i;
	int sent;

	if (!sim)
		return -EINVAL;
	sim_lock(sim);
	if (!sim->vtime) {
		sim_unlock(sim);
		return -EINVAL;
	}
	target = ns > UINT64_MAX - sim->vnow_ns ? UINT64_MAX : sim->vnow_ns + ns;
	before = sim_vt_emitted(sim);
	while ((i = sim_vt_next(sim, target)) >= 0) {
		struct sim_vt_msg m = sim->vq[i];

		sim->vq[i] = sim->vq[--sim->vq_n];
		if (m.due_ns > sim->vnow_ns)
			sim->vnow_ns = m.due_ns;
		sim_out_emit(sim, m.chan, m.buf, m.len, 0);
		free(m.buf);
	}
	sim->vnow_ns = target;
	/* The models' own clocks (sensor updates, trip points, fastchannel
	 * writes) look at the new time once. */
	if (atomic_load_explicit(&sim->poll_wanted, memory_order_acquire))
		sim_poll_locked(sim);
	sent = (int)(sim_vt_emitted(sim) - before);
	sim_unlock(sim);
	return sent;
}

int scmi_sim_time_get(struct scmi_sim *sim, uint64_t *ns)
{
	if (!sim || !ns)
		return -EINVAL;
	sim_lock(sim);
	*ns = sim_now_ns(sim);
	sim_unlock(sim);
	return 0;
}

int scmi_sim_time_pending(struct scmi_sim *sim, uint64_t *next_due_ns)
{
	long i;
	int n;

	if (!sim)
		return -EINVAL;
	sim_lock(sim);
	if (!sim->vtime) {
		sim_unlock(sim);
		return -EINVAL;
	}
	n = (int)sim->vq_n;
	i = sim_vt_next(sim, UINT64_MAX);
	if (next_due_ns)
		*next_due_ns = i >= 0 ? sim->vq[i].due_ns : 0;
	sim_unlock(sim);
	return n;
}

void sim_vtime_free(struct scmi_sim *sim)
{
	for (size_t i = 0; i < sim->vq_n; i++)
		free(sim->vq[i].buf);
	free(sim->vq);
	sim->vq = NULL;
	sim->vq_n = sim->vq_cap = 0;
}
