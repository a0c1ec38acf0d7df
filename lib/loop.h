/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The handle's own libuv loop thread (internal).  It owns the transport's
 * fds and timers and runs the RX path; libuv handles of this loop are only
 * touched on this thread.  Other threads get work done on it with
 * scmi_loop_call().
 */
#ifndef SCMI_LIB_LOOP_H
#define SCMI_LIB_LOOP_H

#include <pthread.h>
#include <stdbool.h>
#include <uv.h>

struct scmi_loop_call;

struct scmi_loop {
	uv_loop_t uv;
	uv_async_t wake; /* runs queued calls; closed on stop */
	pthread_t thread;
	/* Protects @calls and @stopping.  Leaf lock: nothing else is taken
	 * while it is held. */
	pthread_mutex_t lock;
	struct scmi_loop_call *calls;
	bool stopping;
	bool running;
};

/** Initialise the loop and start its thread. 0 or negative errno. */
int scmi_loop_start(struct scmi_loop *l);
/** Run fn(arg) on the loop thread and return its result.  Called on the
 *  loop thread itself, runs fn directly. */
int scmi_loop_call(struct scmi_loop *l, int (*fn)(void *arg), void *arg);
/** Close every handle still open on the loop, stop and join the thread,
 *  close the loop.  Not on the loop thread. */
void scmi_loop_stop(struct scmi_loop *l);
bool scmi_loop_on_thread(const struct scmi_loop *l);

#endif
