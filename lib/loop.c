// SPDX-License-Identifier: BSD-3-Clause
/*
 * The handle's loop thread.
 *
 * Synchronous calls onto the thread are queued as stack-allocated records
 * (no heap use) and run from the uv_async_t callback; the caller sleeps on
 * the record's condition variable until it has run.
 */
#include <errno.h>
#include <string.h>

#include "loop.h"

struct scmi_loop_call {
	int (*fn)(void *arg);
	void *arg;
	int ret;
	bool done;
	pthread_cond_t cond;
	struct scmi_loop_call *next;
};

static void close_any(uv_handle_t *h, void *arg)
{
	(void)arg;
	if (!uv_is_closing(h))
		uv_close(h, NULL);
}

static void loop_wake_cb(uv_async_t *async)
{
	struct scmi_loop *l = async->data;
	struct scmi_loop_call *c, *next, *rev = NULL;
	bool stopping;

	pthread_mutex_lock(&l->lock);
	c = l->calls;
	l->calls = NULL;
	stopping = l->stopping;
	pthread_mutex_unlock(&l->lock);

	/* The list is LIFO; run the calls in the order they were queued. */
	for (; c; c = next) {
		next = c->next;
		c->next = rev;
		rev = c;
	}
	for (c = rev; c; c = next) {
		next = c->next;
		c->ret = c->fn(c->arg);
		pthread_mutex_lock(&l->lock);
		c->done = true;
		pthread_cond_signal(&c->cond);
		pthread_mutex_unlock(&l->lock);
	}
	/* Stopping: close whatever is left so that uv_run() returns. */
	if (stopping)
		uv_walk(&l->uv, close_any, NULL);
}

static void *loop_thread(void *arg)
{
	struct scmi_loop *l = arg;

	uv_run(&l->uv, UV_RUN_DEFAULT);
	return NULL;
}

int scmi_loop_start(struct scmi_loop *l)
{
	int ret;

	memset(l, 0, sizeof(*l));
	ret = uv_loop_init(&l->uv);
	if (ret)
		return ret;
	ret = uv_async_init(&l->uv, &l->wake, loop_wake_cb);
	if (ret)
		goto fail_loop;
	l->wake.data = l;
	pthread_mutex_init(&l->lock, NULL);
	ret = -pthread_create(&l->thread, NULL, loop_thread, l);
	if (ret)
		goto fail_async;
	l->running = true;
	return 0;

fail_async:
	pthread_mutex_destroy(&l->lock);
	uv_close((uv_handle_t *)&l->wake, NULL);
	uv_run(&l->uv, UV_RUN_DEFAULT);
fail_loop:
	uv_loop_close(&l->uv);
	return ret;
}

bool scmi_loop_on_thread(const struct scmi_loop *l)
{
	return l->running && pthread_equal(pthread_self(), l->thread);
}

int scmi_loop_call(struct scmi_loop *l, int (*fn)(void *arg), void *arg)
{
	struct scmi_loop_call c = {.fn = fn, .arg = arg};
	int ret;

	if (scmi_loop_on_thread(l))
		return fn(arg);
	pthread_cond_init(&c.cond, NULL);
	pthread_mutex_lock(&l->lock);
	if (l->stopping) {
		pthread_mutex_unlock(&l->lock);
		pthread_cond_destroy(&c.cond);
		return -ESHUTDOWN;
	}
	c.next = l->calls;
	l->calls = &c;
	pthread_mutex_unlock(&l->lock);
	uv_async_send(&l->wake);

	pthread_mutex_lock(&l->lock);
	while (!c.done)
		pthread_cond_wait(&c.cond, &l->lock);
	ret = c.ret;
	pthread_mutex_unlock(&l->lock);
	pthread_cond_destroy(&c.cond);
	return ret;
}

void scmi_loop_stop(struct scmi_loop *l)
{
	if (!l->running)
		return;
	pthread_mutex_lock(&l->lock);
	l->stopping = true;
	pthread_mutex_unlock(&l->lock);
	uv_async_send(&l->wake);
	pthread_join(l->thread, NULL);
	l->running = false;
	uv_loop_close(&l->uv);
	pthread_mutex_destroy(&l->lock);
}
