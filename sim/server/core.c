// SPDX-License-Identifier: BSD-3-Clause
/*
 * The server core: the simulator and its output, the timers (delayed
 * output, activity, model polling), the main loop, and the entry points a
 * program (main.c) or a test uses to run a server on a thread of its own.
 * The way the agent reaches the platform is a mode (server.h); the control
 * socket is control.c.
 *
 * The main loop never spins for long: after any work it keeps looking for
 * SRV_SPIN_NS (so that a ping-pong stays fast), then sleeps in ppoll() for
 * a period that doubles from SRV_MIN_SLEEP_US up to max_sleep_us, cut short
 * by the control socket, a signal, the wake-up descriptor, the mode's own
 * descriptors (its fds(): a socket, a pty) or the next timer.  So a mode
 * whose agent reaches it through a descriptor is served as soon as it
 * writes; the back-off matters only for shared memory, which has none.
 *
 * One thread runs the loop; the mode, the control socket, the timers and
 * the delayed messages are that thread's alone.  Other threads reach it
 * only through srv_quit(), srv_command() and the simulator (scmi_sim_* is
 * thread-safe): output the simulator produces on another thread (a test
 * that changes the platform's state) goes to an inbox under srv->lock that
 * the loop empties, woken through an eventfd.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "server.h"

#define SRV_SPIN_NS	   200000ull /* keep looking this long after work */
#define SRV_MIN_SLEEP_US   10u
#define SRV_POLL_PERIOD_NS 1000000ull		   /* model poll hooks, once wanted */
#define SRV_MAX_PENDING	   4096u		   /* delayed messages held at once */
#define SRV_MAX_MODE_FDS   4			   /* the mode's, at most */
#define SRV_MAX_FDS	   (19 + SRV_MAX_MODE_FDS) /* wake-up + control socket's 18 */

/* A simulator output message waiting for its due time. */
struct srv_pending {
	struct srv_pending *next;
	uint64_t due_ns;
	struct srv_ctx ctx;
	enum scmi_sim_chan chan;
	size_t len;
	uint8_t data[];
};

/* A control command another thread asked the loop to run. */
struct srv_cmd {
	char *line;
	char *reply;
	size_t size;
	bool done;
};

struct srv {
	struct scmi_sim *sim;
	const struct srv_mode *mode;
	void *mode_state;
	struct srv_ctl *ctl;
	int verbose;
	unsigned int max_sleep_us;

	/* Shared with other threads. */
	int quit; /* atomic: srv_quit() was called */
	int mail; /* atomic: the inbox or a command waits (under lock) */
	int wake_fd;
	pthread_mutex_t lock;
	pthread_cond_t cmd_done;
	bool running; /* a thread runs (or is about to run) the loop */
	struct srv_pending *inbox, **inbox_tail;
	unsigned int n_inbox;
	uint64_t inbox_dropped;
	struct srv_cmd *cmd;
	pthread_t thread; /* srv_start() */
	bool threaded;

	/* The loop's own. */
	struct srv_ctx cur;	     /* the request being processed */
	struct srv_pending *pending; /* by due time, then emission order */
	unsigned int n_pending;

	unsigned int activity_ms;
	unsigned int activity_step;
	unsigned int manual_step; /* the control command 'step' */
	uint64_t next_activity_ns;
	uint64_t next_poll_ns;

	uint64_t requests;
	uint64_t held;
	uint64_t held_dropped;
};

/* The server whose loop the calling thread runs, if any. */
static __thread struct srv *srv_self;

static uint64_t srv_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int srv_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (!s || !*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end || v < min || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

void srv_log(struct srv *srv, enum srv_log_level level, const char *fmt, ...)
{
	va_list ap;

	if (srv && (int)level > srv->verbose)
		return;
	fputs("scmi-sim: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* As an option error of the program: the message and where help is. */
static void __attribute__((format(printf, 1, 2))) srv_config_error(const char *fmt, ...)
{
	va_list ap;

	fputs("scmi-sim: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'scmi-sim --help'.\n", stderr);
}

struct scmi_sim *srv_sim(struct srv *srv)
{
	return srv->sim;
}

/* Cut the loop's sleep short.  Async-signal-safe. */
static void srv_wake(struct srv *srv)
{
	uint64_t one = 1;

	if (write(srv->wake_fd, &one, sizeof(one)) < 0) {
		/* Full (it never is: the loop reads it): awake anyway. */
	}
}

void srv_quit(struct srv *srv)
{
	__atomic_store_n(&srv->quit, 1, __ATOMIC_RELEASE);
	srv_wake(srv);
}

void srv_activity(struct srv *srv, unsigned int period_ms)
{
	srv->activity_ms = period_ms;
	srv->next_activity_ns = srv_now_ns() + (uint64_t)period_ms * 1000000ull;
}

void srv_step(struct srv *srv)
{
	scmi_sim_activity_step(srv->sim, srv->manual_step++);
}

void srv_stats(struct srv *srv, char *buf, size_t size)
{
	struct scmi_sim_stats st;
	int n;

	scmi_sim_stats_get(srv->sim, &st);
	n = snprintf(buf, size,
		     "requests=%llu malformed=%llu responses=%llu delayed_responses=%llu "
		     "notifications=%llu faults=%llu held=%u held_dropped=%llu",
		     (unsigned long long)st.requests, (unsigned long long)st.malformed,
		     (unsigned long long)st.responses, (unsigned long long)st.delayed_responses,
		     (unsigned long long)st.notifications, (unsigned long long)st.faults_applied,
		     srv->n_pending, (unsigned long long)srv->held_dropped);
	if (n > 0 && (size_t)n + 1 < size && srv->mode->stats) {
		buf[n] = ' ';
		srv->mode->stats(srv->mode_state, buf + n + 1, size - (size_t)n - 1);
	}
}

int srv_mode_command(struct srv *srv, int argc, char **argv, char *reply, size_t size)
{
	if (!srv->mode->command)
		return -ENOENT;
	return srv->mode->command(srv->mode_state, argc, argv, reply, size);
}

/* ---- the simulator's output -------------------------------------------- */

static struct srv_pending *srv_pending_new(uint64_t due_ns, struct srv_ctx ctx,
					   enum scmi_sim_chan chan, const void *msg, size_t len)
{
	struct srv_pending *p = malloc(sizeof(*p) + len);

	if (!p)
		return NULL;
	p->next = NULL;
	p->due_ns = due_ns;
	p->ctx = ctx;
	p->chan = chan;
	p->len = len;
	memcpy(p->data, msg, len);
	return p;
}

/* Into the list of held messages, after every message due no later: equal
 * due times keep their order. */
static void srv_hold(struct srv *srv, struct srv_pending *p)
{
	struct srv_pending **pp;

	for (pp = &srv->pending; *pp && (*pp)->due_ns <= p->due_ns; pp = &(*pp)->next)
		;
	p->next = *pp;
	*pp = p;
	srv->n_pending++;
	srv->held++;
}

/* Output produced on a thread other than the loop's (a test changing the
 * platform's state): platform-initiated by nature, so no request context;
 * the loop delivers it when due. */
static void srv_emit_foreign(struct srv *srv, enum scmi_sim_chan chan, const void *msg, size_t len,
			     uint64_t delay_us)
{
	struct srv_pending *p;

	pthread_mutex_lock(&srv->lock);
	if (srv->n_inbox >= SRV_MAX_PENDING ||
	    !(p = srv_pending_new(srv_now_ns() + delay_us * 1000ull, (struct srv_ctx){-1, 0}, chan,
				  msg, len))) {
		srv->inbox_dropped++;
		pthread_mutex_unlock(&srv->lock);
		return;
	}
	*srv->inbox_tail = p;
	srv->inbox_tail = &p->next;
	srv->n_inbox++;
	__atomic_store_n(&srv->mail, 1, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&srv->lock);
	srv_wake(srv);
}

/* Called with the simulator's lock held: must not call back into it. */
static void srv_emit(void *priv, enum scmi_sim_chan chan, const void *msg, size_t len,
		     uint64_t delay_us)
{
	struct srv *srv = priv;
	struct srv_pending *p;

	if (srv_self != srv) {
		srv_emit_foreign(srv, chan, msg, len, delay_us);
		return;
	}
	if (!delay_us) {
		srv->mode->output(srv->mode_state, srv->cur, chan, msg, len);
		return;
	}
	if (srv->n_pending >= SRV_MAX_PENDING ||
	    !(p = srv_pending_new(srv_now_ns() + delay_us * 1000ull, srv->cur, chan, msg, len))) {
		srv->held_dropped++;
		return;
	}
	srv_hold(srv, p);
}

void srv_request(struct srv *srv, struct srv_ctx ctx, const void *msg, size_t len)
{
	srv->requests++;
	srv->cur = ctx;
	if (scmi_sim_process(srv->sim, msg, len))
		srv_log(srv, SRV_LOG_DEBUG, "channel %d: request dropped (not a command)",
			ctx.chan);
	srv->cur = (struct srv_ctx){-1, 0};
}

static int srv_deliver_due(struct srv *srv, uint64_t now)
{
	int n = 0;

	while (srv->pending && srv->pending->due_ns <= now) {
		struct srv_pending *p = srv->pending;

		srv->pending = p->next;
		srv->n_pending--;
		srv->mode->output(srv->mode_state, p->ctx, p->chan, p->data, p->len);
		free(p);
		n++;
	}
	return n;
}

/* Activity, model polling and held messages; the next deadline in *next. */
static int srv_timers(struct srv *srv, uint64_t now, uint64_t *next)
{
	int work = srv_deliver_due(srv, now);

	*next = UINT64_MAX;
	if (srv->activity_ms) {
		if (now >= srv->next_activity_ns) {
			scmi_sim_activity_step(srv->sim, srv->activity_step++);
			srv->next_activity_ns = now + (uint64_t)srv->activity_ms * 1000000ull;
			work++;
		}
		*next = srv->next_activity_ns;
	}
	if (scmi_sim_needs_poll(srv->sim)) {
		if (now >= srv->next_poll_ns) {
			scmi_sim_poll(srv->sim);
			srv->next_poll_ns = now + SRV_POLL_PERIOD_NS;
		}
		if (srv->next_poll_ns < *next)
			*next = srv->next_poll_ns;
	}
	/* Output of the poll hooks and the activity is due now too. */
	work += srv_deliver_due(srv, now);
	if (srv->pending && srv->pending->due_ns < *next)
		*next = srv->pending->due_ns;
	return work;
}

/* ---- other threads' mail ------------------------------------------------ */

static void srv_cmd_finish(struct srv *srv, struct srv_cmd *c)
{
	srv_ctl_command(srv, c->line, c->reply, c->size);
	pthread_mutex_lock(&srv->lock);
	c->done = true;
	pthread_cond_broadcast(&srv->cmd_done);
	pthread_mutex_unlock(&srv->lock);
}

/* What other threads left: their simulator output, a command. */
static int srv_mail(struct srv *srv)
{
	struct srv_pending *in;
	struct srv_cmd *c;
	int work = 0;

	if (!__atomic_load_n(&srv->mail, __ATOMIC_ACQUIRE))
		return 0;
	pthread_mutex_lock(&srv->lock);
	in = srv->inbox;
	srv->inbox = NULL;
	srv->inbox_tail = &srv->inbox;
	srv->n_inbox = 0;
	srv->held_dropped += srv->inbox_dropped;
	srv->inbox_dropped = 0;
	c = srv->cmd;
	srv->cmd = NULL;
	__atomic_store_n(&srv->mail, 0, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&srv->lock);
	while (in) {
		struct srv_pending *p = in;

		in = p->next;
		if (srv->n_pending >= SRV_MAX_PENDING) {
			srv->held_dropped++;
			free(p);
			continue;
		}
		srv_hold(srv, p);
		work++;
	}
	if (c) {
		srv_cmd_finish(srv, c);
		work++;
	}
	return work;
}

int srv_command(struct srv *srv, const char *line, char *reply, size_t size)
{
	struct srv_cmd c = {.reply = reply, .size = size};
	bool post;

	if (!size)
		return -EINVAL;
	c.line = strdup(line);
	if (!c.line)
		return -ENOMEM;
	pthread_mutex_lock(&srv->lock);
	post = srv->running && srv_self != srv;
	if (post) {
		/* One at a time: wait for the previous one to be taken. */
		while (srv->cmd)
			pthread_cond_wait(&srv->cmd_done, &srv->lock);
		srv->cmd = &c;
		__atomic_store_n(&srv->mail, 1, __ATOMIC_RELEASE);
		srv_wake(srv);
		while (!c.done)
			pthread_cond_wait(&srv->cmd_done, &srv->lock);
	}
	pthread_mutex_unlock(&srv->lock);
	if (!post) /* no loop running but the caller's: run it here */
		srv_ctl_command(srv, c.line, reply, size);
	free(c.line);
	return 0;
}

/* ---- the main loop --------------------------------------------------------- */

int srv_run(struct srv *srv)
{
	uint64_t last_work = srv_now_ns();
	unsigned int sleep_us = 0;
	struct srv_cmd *c;

	pthread_mutex_lock(&srv->lock);
	srv->running = true;
	pthread_mutex_unlock(&srv->lock);
	srv_self = srv;
	while (!__atomic_load_n(&srv->quit, __ATOMIC_ACQUIRE)) {
		struct pollfd fds[SRV_MAX_FDS];
		uint64_t now, next, wait_ns;
		struct timespec ts;
		int nfds, nmode, work, ret;

		work = srv_mail(srv);
		work += srv->mode->poll(srv->mode_state);
		now = srv_now_ns();
		work += srv_timers(srv, now, &next);
		if (work) {
			last_work = now;
			sleep_us = 0;
		}
		if (now - last_work < SRV_SPIN_NS) {
			wait_ns = 0; /* still busy: look again right away */
		} else {
			sleep_us = sleep_us ? sleep_us * 2 : SRV_MIN_SLEEP_US;
			if (sleep_us > srv->max_sleep_us)
				sleep_us = srv->max_sleep_us;
			wait_ns = (uint64_t)sleep_us * 1000ull;
			if (next <= now)
				wait_ns = 0;
			else if (next != UINT64_MAX && next - now < wait_ns)
				wait_ns = next - now;
		}
		fds[0] = (struct pollfd){.fd = srv->wake_fd, .events = POLLIN};
		nmode = srv->mode->fds ? srv->mode->fds(srv->mode_state, fds + 1, SRV_MAX_MODE_FDS)
				       : 0;
		if (nmode < 0 || nmode > SRV_MAX_MODE_FDS)
			nmode = 0;
		if (!srv->ctl && !nmode && !wait_ns) {
			sched_yield();
			continue;
		}
		nfds = 1 + nmode;
		nfds += srv->ctl ? srv_ctl_fds(srv->ctl, fds + nfds, SRV_MAX_FDS - nfds) : 0;
		ts.tv_sec = (time_t)(wait_ns / 1000000000ull);
		ts.tv_nsec = (long)(wait_ns % 1000000000ull);
		ret = ppoll(fds, (nfds_t)nfds, &ts, NULL);
		if (ret <= 0)
			continue;
		if (fds[0].revents & POLLIN) {
			uint64_t v;

			if (read(srv->wake_fd, &v, sizeof(v)) < 0) {
				/* EAGAIN: another reader cannot exist; nothing to do */
			}
			last_work = srv_now_ns();
			sleep_us = 0;
		}
		for (int i = 1; i <= nmode; i++) {
			if (fds[i].revents) { /* the mode's poll() has work */
				last_work = srv_now_ns();
				sleep_us = 0;
			}
		}
		if (srv->ctl && srv_ctl_handle(srv->ctl, fds + 1 + nmode, nfds - 1 - nmode)) {
			last_work = srv_now_ns();
			sleep_us = 0;
		}
	}
	srv_self = NULL;
	/* A command posted as the loop ended still gets its reply. */
	pthread_mutex_lock(&srv->lock);
	srv->running = false;
	c = srv->cmd;
	srv->cmd = NULL;
	pthread_mutex_unlock(&srv->lock);
	if (c)
		srv_cmd_finish(srv, c);
	return 0;
}

static void *srv_thread_main(void *arg)
{
	srv_run(arg);
	return NULL;
}

int srv_start(struct srv *srv)
{
	int ret;

	if (srv->threaded)
		return -EBUSY;
	pthread_mutex_lock(&srv->lock);
	srv->running = true; /* srv_command() posts from now on */
	pthread_mutex_unlock(&srv->lock);
	ret = pthread_create(&srv->thread, NULL, srv_thread_main, srv);
	if (ret) {
		pthread_mutex_lock(&srv->lock);
		srv->running = false;
		pthread_mutex_unlock(&srv->lock);
		return -ret;
	}
	srv->threaded = true;
	return 0;
}

void srv_stop(struct srv *srv)
{
	if (!srv->threaded)
		return;
	srv_quit(srv);
	pthread_join(srv->thread, NULL);
	srv->threaded = false;
}

/* ---- setting up and tearing down ------------------------------------------ */

/* Everything that configures the simulator: 0, or the exit status (2 for
 * a bad value, with a message). */
static int srv_setup_sim(struct srv *srv, const struct srv_config *c)
{
	struct scmi_sim_config cfg = c->sim;
	char err[256];
	int ret;

	cfg.max_msg_size = c->o.size - 32; /* status at 0x1C, data from 0x20 */
	if (srv->mode->shared_mem)
		cfg.shared_mem = srv->mode->shared_mem(srv->mode_state, &cfg.shared_mem_size);
	ret = scmi_sim_new(&cfg, &srv->sim);
	if (ret == -EINVAL) {
		srv_config_error("the simulator refused the configuration%s%s",
				 cfg.profile ? ": profile " : "", cfg.profile ? cfg.profile : "");
		return 2;
	}
	if (ret) {
		srv_log(NULL, SRV_LOG_ERR, "simulator: %s", strerror(-ret));
		return 1;
	}
	/* Without the window in shared memory, fastchannels would be out of
	 * the agent's reach: offer none, so that agents use messages. */
	if (!cfg.shared_mem) {
		scmi_sim_perf_fastchannels_enable(srv->sim, false);
		scmi_sim_powercap_fc_mode_set(srv->sim, SCMI_SIM_POWERCAP_FC_OFF);
	}
	if (c->versions && scmi_sim_versions_apply(srv->sim, c->versions, err, sizeof(err))) {
		srv_config_error("--versions: %s", err);
		return 2;
	}
	if (c->test_protocols &&
	    scmi_sim_test_protocols_apply(srv->sim, c->test_protocols, err, sizeof(err))) {
		srv_config_error("--test-protocols: %s", err);
		return 2;
	}
	if (c->vendor || c->sub_vendor || c->set_impl_ver) {
		struct scmi_sim_base_info info;

		if (scmi_sim_base_info_get(srv->sim, &info) ||
		    scmi_sim_base_identity_set(srv->sim, c->vendor, c->sub_vendor,
					       c->set_impl_ver ? c->impl_ver : info.impl_version)) {
			srv_config_error("--vendor/--sub-vendor: at most 16 characters");
			return 2;
		}
	}
	for (unsigned int i = 0; i < c->n_faults; i++) {
		char knob[256], *eq;

		snprintf(knob, sizeof(knob), "%s", c->faults[i]);
		eq = strchr(knob, '=');
		if (eq)
			*eq = '\0';
		if (scmi_sim_fault_parse(srv->sim, knob, eq ? eq + 1 : NULL)) {
			srv_config_error("fault knob '%s' is unknown or malformed", c->faults[i]);
			return 2;
		}
	}
	scmi_sim_set_emit(srv->sim, srv_emit, srv);
	return 0;
}

static void srv_free_list(struct srv_pending *p)
{
	while (p) {
		struct srv_pending *next = p->next;

		free(p);
		p = next;
	}
}

static void srv_free(struct srv *srv, bool keep)
{
	if (srv->sim)
		scmi_sim_set_emit(srv->sim, NULL, NULL);
	if (srv->ctl)
		srv_ctl_close(srv->ctl);
	srv_free_list(srv->pending);
	srv_free_list(srv->inbox);
	/* The simulator first: its shared memory may be the mode's. */
	scmi_sim_free(srv->sim);
	if (srv->mode_state)
		srv->mode->close(srv->mode_state, keep);
	if (srv->wake_fd >= 0)
		close(srv->wake_fd);
	pthread_cond_destroy(&srv->cmd_done);
	pthread_mutex_destroy(&srv->lock);
	free(srv);
}

void srv_opts_default(struct srv_opts *o)
{
	*o = (struct srv_opts){
		.size = 128,
		.db_width = 32,
		.db_set = 1,
		.queue = 64,
		.max_sleep_us = SRV_DEFAULT_SLEEP_US,
		.uio_irq = -1,
	};
}

int srv_create(const struct srv_config *c, struct srv **out)
{
	struct srv *srv = calloc(1, sizeof(*srv));
	int ret;

	*out = NULL;
	if (!srv) {
		srv_log(NULL, SRV_LOG_ERR, "out of memory");
		return 1;
	}
	srv->cur = (struct srv_ctx){-1, 0};
	srv->mode = c->mode ? c->mode : &srv_mode_shmem;
	srv->verbose = c->o.verbose;
	srv->max_sleep_us = c->o.max_sleep_us ? c->o.max_sleep_us : SRV_DEFAULT_SLEEP_US;
	srv->inbox_tail = &srv->inbox;
	pthread_mutex_init(&srv->lock, NULL);
	pthread_cond_init(&srv->cmd_done, NULL);
	srv->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (srv->wake_fd < 0) {
		srv_log(NULL, SRV_LOG_ERR, "eventfd: %s", strerror(errno));
		srv_free(srv, false);
		return 1;
	}
	/* The mode first: the simulator's shared memory may be in its file. */
	if (srv->mode->open(srv, &c->o, &srv->mode_state)) {
		srv->mode_state = NULL;
		srv_free(srv, false);
		return 1;
	}
	ret = srv_setup_sim(srv, c);
	if (!ret && c->control && srv_ctl_open(srv, c->control, &srv->ctl))
		ret = 1;
	if (ret) {
		srv_free(srv, false);
		return ret;
	}
	if (c->activity_ms)
		srv_activity(srv, c->activity_ms);
	*out = srv;
	return 0;
}

void srv_print_uri(struct srv *srv, FILE *f)
{
	srv->mode->print_uri(srv->mode_state, f);
}

int srv_uri(struct srv *srv, char *buf, size_t size)
{
	FILE *f = fmemopen(buf, size, "w");
	long n;

	if (!f)
		return -errno;
	srv_print_uri(srv, f);
	n = ftell(f);
	fclose(f);
	if (n < 0 || (size_t)n >= size)
		return -ENAMETOOLONG;
	return 0;
}

void srv_destroy(struct srv *srv, bool keep)
{
	if (!srv)
		return;
	srv_stop(srv);
	srv_free(srv, keep);
}
