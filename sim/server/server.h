/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * scmi-sim, the server: the simulator's platform served to an agent in
 * another process -- or, for tests, on another thread of the agent's own.
 * Internal interface between the core (core.c: the simulator, its output,
 * timers, the main loop, the entry points below), the program (main.c:
 * options and signals), the control socket (control.c) and the modes --
 * one file per way of reaching the agent (shmem.c; uio.c, a fake UIO device
 * on shmem.c's channel logic; vfio_user.c, a vfio-user server presenting a
 * virtio-scmi PCI function).  core.c,
 * control.c and the modes make the static library scmi_sim_server.
 *
 * The server is single-threaded: one thread runs the main loop, which calls
 * the mode's poll(), which hands each request it finds to srv_request();
 * the simulator's output comes back through the mode's output() (at once,
 * or at its due time from the main loop's timer list).  The mode, the
 * control socket and everything below marked "loop thread" belong to that
 * thread and need no locking.  Other threads (a test running the server on
 * a thread) may call srv_quit(), srv_command() and the simulator's own API
 * (scmi_sim_*, thread-safe; output it produces on their thread is handed to
 * the loop), nothing else.
 *
 * Like the rest of sim/, this never includes lib/ or transports/ headers.
 */
#ifndef SCMI_SIM_SERVER_H
#define SCMI_SIM_SERVER_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <scmi-sim/sim.h>

#define SRV_MAX_CHANNELS     32	   /* per-protocol channel pairs */
#define SRV_DEFAULT_SLEEP_US 1000u /* --max-sleep-us */

/* Options, as parsed by main.c (or set by a test); a mode reads the ones
 * it knows. */
struct srv_opts {
	const char *path; /* --shmem PATH */
	size_t size;	  /* --size: bytes per shared-memory area */
	unsigned int n_protos;
	uint8_t protos[SRV_MAX_CHANNELS]; /* --per-protocol */
	bool doorbell;
	unsigned int db_width; /* 8, 16, 32, 64 */
	uint64_t db_set;
	uint64_t db_preserve;
	bool keep;		   /* --keep: leave the file behind */
	bool fastchannels;	   /* --fastchannels: the sim's window shared */
	unsigned int queue;	   /* --queue: P2A messages held per area */
	unsigned int max_sleep_us; /* --max-sleep-us: longest idle sleep (0: default) */
	int verbose;
	const char *uio_dir;  /* --uio DIR */
	bool uio_pci;	      /* --uio-form pci */
	int uio_irq;	      /* --uio-irq 1, --no-uio-irq 0, -1: the form's default */
	const char *vfu_path; /* --vfio-user SOCKET */
	bool vfu_no_p2a;      /* --no-p2a: no eventq (P2A_CHANNELS not offered) */
	bool vfu_no_msix;     /* --no-msix: INTx only */
	const char *ivshmem_path; /* --ivshmem SOCKET (ivshmem.c) */
	bool devmem;		  /* --devmem PATH: path is the marker (devmem.c) */
};

struct srv;
struct pollfd;

/* Request context: which channel a request came from, and which of its
 * requests it was (so that a late response finds out whether its request
 * still owns the channel). */
struct srv_ctx {
	int chan; /* mode-defined; -1: not from a request */
	uint64_t seq;
};

struct srv_mode {
	const char *name;
	/* Create what the mode serves.  0 or a negative errno (logged). */
	int (*open)(struct srv *srv, const struct srv_opts *o, void **state);
	/* Print the URI an agent opens, without the newline. */
	void (*print_uri)(void *state, FILE *f);
	/* Look for requests (srv_request() each) and move queued output.
	 * Returns how much it did (0: nothing; the loop backs off). */
	int (*poll)(void *state);
	/* One simulator output message, due now.  @ctx: the request that
	 * caused it ({-1, 0} for platform-initiated messages). */
	void (*output)(void *state, struct srv_ctx ctx, enum scmi_sim_chan chan, const void *msg,
		       size_t len);
	/* "key=value ..." counters for the control socket's stats. */
	void (*stats)(void *state, char *buf, size_t size);
	/* Optional: memory shared with the agent for the simulator's window
	 * (scmi_sim_config.shared_mem), or NULL.  Called once, after open(),
	 * before the simulator exists; valid until close(). */
	void *(*shared_mem)(void *state, size_t *size);
	/* Optional: a control socket command of the mode's own (argv[0] the
	 * command, @argc > 0), its reply line into @reply.  -ENOENT: not one
	 * of the mode's (the control socket says "unknown command"); else 0. */
	int (*command)(void *state, int argc, char **argv, char *reply, size_t size);
	/* Optional: descriptors whose readiness means work for poll() (a
	 * socket, a pty), at most @max into @fds.  The main loop sleeps in
	 * ppoll() on them as well, so that it wakes up as soon as one is
	 * ready instead of at the end of its back-off sleep.  Called before
	 * every sleep; a descriptor reported ready must stop being ready once
	 * poll() has run (or be left out), else the loop never sleeps.
	 * Count (0: none now). */
	int (*fds)(void *state, struct pollfd *fds, int max);
	/* Undo open(); remove what it created unless @keep. */
	void (*close)(void *state, bool keep);
};

extern const struct srv_mode srv_mode_shmem;
extern const struct srv_mode srv_mode_uio;
extern const struct srv_mode srv_mode_ivshmem; /* ivshmem.c: QEMU's ivshmem server */
extern const struct srv_mode srv_mode_devmem;  /* devmem.c: a slice of existing memory */
#ifdef SRV_HAVE_VFIO_USER
extern const struct srv_mode srv_mode_vfio_user; /* vfio_user.c (needs json-c) */
#endif

/* ---- running a server (core.c) ------------------------------------------ */

/* Everything a server is made of: scmi-sim's command line, as main.c parses
 * it, or a test's choice. */
struct srv_config {
	const struct srv_mode *mode; /* NULL: srv_mode_shmem */
	struct srv_opts o;
	const char *control;	    /* --control PATH, or NULL */
	struct scmi_sim_config sim; /* --profile, --max-list-items; max_msg_size
				     * (o.size - 32) and shared_mem are set here */
	const char *versions;	    /* --versions LIST, or NULL */
	const char *test_protocols; /* --test-protocols LIST, or NULL */
	unsigned int activity_ms;   /* --activity */
	const char *vendor;	    /* --vendor NAME, or NULL */
	const char *sub_vendor;	    /* --sub-vendor NAME, or NULL */
	bool set_impl_ver;	    /* --impl-ver given */
	uint32_t impl_ver;	    /* --impl-ver */
	unsigned int n_faults;
	const char *const *faults; /* "KNOB[=VALUE]" each (--fault) */
};

/** scmi-sim's defaults: 128-byte areas, a 32-bit doorbell setting bit 0,
 *  64 queued P2A messages per area. */
void srv_opts_default(struct srv_opts *o);
/** Open the mode, make and configure the simulator, open the control
 *  socket.  0, or scmi-sim's exit status with a message on standard error:
 *  1 (could not set up) or 2 (a value the simulator refuses). */
int srv_create(const struct srv_config *c, struct srv **out);
/** The URI an agent opens (no newline): to @f, or into @buf (0 or
 *  -ENAMETOOLONG). */
void srv_print_uri(struct srv *srv, FILE *f);
int srv_uri(struct srv *srv, char *buf, size_t size);
/** Run the main loop on the calling thread until srv_quit(). */
int srv_run(struct srv *srv);
/** Run the main loop on a thread of its own (srv_stop() ends it).  0 or a
 *  negative errno. */
int srv_start(struct srv *srv);
/** srv_quit() and wait for srv_start()'s thread to end.  No-op otherwise. */
void srv_stop(struct srv *srv);
/** Any thread: run one control command (srv_ctl_command()) on the loop's
 *  thread -- or on the caller's when no loop is running -- and wait for its
 *  reply.  0 or a negative errno. */
int srv_command(struct srv *srv, const char *line, char *reply, size_t size);
/** srv_stop(), then close and free everything; the mode removes what it
 *  created unless @keep.  NULL is a no-op. */
void srv_destroy(struct srv *srv, bool keep);

/* ---- services of the core to the modes and the control socket ---------- */

/** Loop thread: feed one request (header + payload) to the simulator; its
 *  output goes to the mode's output() with @ctx, now or at its due time. */
void srv_request(struct srv *srv, struct srv_ctx ctx, const void *msg, size_t len);
/** Any thread. */
struct scmi_sim *srv_sim(struct srv *srv);
/** Ask the main loop to end (exit status 0).  Any thread; async-signal-safe. */
void srv_quit(struct srv *srv);
/** Loop thread: set the activity period (0: off). */
void srv_activity(struct srv *srv, unsigned int period_ms);
/** Loop thread: one step of the activity, now (its own sequence of steps,
 *  apart from the timer's). */
void srv_step(struct srv *srv);
/** Loop thread: counters of the core and of the mode, one line. */
void srv_stats(struct srv *srv, char *buf, size_t size);
/** The mode's command() (-ENOENT when it has none or does not know it). */
int srv_mode_command(struct srv *srv, int argc, char **argv, char *reply, size_t size);

enum srv_log_level {
	SRV_LOG_ERR,
	SRV_LOG_INFO,
	SRV_LOG_DEBUG
};
void srv_log(struct srv *srv, enum srv_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/** Parse a number (decimal or 0x hex) in [min, max].  0 or -EINVAL. */
int srv_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out);

/* ---- control socket (control.c) -------------------------------------- */

struct srv_ctl;

int srv_ctl_open(struct srv *srv, const char *path, struct srv_ctl **out);
/** Fill @fds with the descriptors to watch (at most @max).  Count. */
int srv_ctl_fds(struct srv_ctl *c, struct pollfd *fds, int max);
/** Handle whatever is ready on those descriptors.  Work done. */
int srv_ctl_handle(struct srv_ctl *c, const struct pollfd *fds, int n);
/** Loop thread: run one command line; the reply (no newline) goes to
 *  @reply. */
void srv_ctl_command(struct srv *srv, char *line, char *reply, size_t size);
void srv_ctl_close(struct srv_ctl *c);

#endif /* SCMI_SIM_SERVER_H */
