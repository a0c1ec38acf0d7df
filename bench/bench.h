/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the parts of the bench program share: the clock, the figures and the
 * printing of the table (bench.c), and the phases that live in other files.
 */
#ifndef SCMI_BENCH_H
#define SCMI_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <scmi/scmi.h>

/* How long a phase may wait for work still in flight before it gives up. */
#define WAIT_LIMIT_NS (10ull * 1000000000ull)

struct figure {
	double median, p99;
};

uint64_t now_ns(void);
/* Median and p99 of @n samples (sorts @v). */
struct figure summarize(uint64_t *v, size_t n);

/*
 * Columns: name, median, p99, unit, ratio to the floor, and the work the run
 * lost (commands that failed or timed out, events dropped) -- always 0 on a
 * line with a figure: a run that lost work prints a FAILED line instead.
 */
void print_row(const char *name, const char *median, const char *p99, const char *unit,
	       const char *ratio, const char *lost);
/* A figure with its ratio to @floor (none when @floor is 0). */
void print_line(const char *name, struct figure f, const char *unit, double floor);
/* A figure without a distribution (rates, counts), with @decimals digits. */
void print_value(const char *name, int decimals, double v, const char *unit, double ratio,
		 const char *lost);
/* The figure @name cannot be trusted: say why, print no number, and make
 * the program exit non-zero. */
void print_failed(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

void stats_get(struct scmi_handle *h, struct scmi_stats *st);
/* Commands the handle lost between two snapshots, described into @why. */
uint64_t commands_lost(const struct scmi_stats *a, const struct scmi_stats *b, char *why,
		       size_t size);

/* Heap allocations of the whole process so far (malloc, calloc, realloc;
 * the program is linked with --wrap for them). */
unsigned long bench_allocs(void);

/* daemon.c: the daemon loop -- 1000 sensor reads against a 1 ms platform
 * with 16 in flight, blocking and non-blocking on the caller's libuv loop,
 * and the heap allocations per non-blocking read. */
void bench_daemon(void);

/* shmem.c: the shmem:// round trip against scmi-sim and its floors, with
 * @iters samples per figure. */
void bench_shmem(size_t iters);
/* uio.c: the interrupt floor (a two-process eventfd ping-pong) and, when
 * the uio:// transport is built, the uio:// round trip against
 * `scmi-sim --uio`, with @iters samples per figure. */
void bench_uio(size_t iters);
/* virtio.c: the virtqueue floor (a shared ring and two eventfds between two
 * processes) and, when the virtio-vfio-user:// transport is built, its
 * round trip against `scmi-sim --vfio-user` with loopback:// beside it,
 * with @iters samples per figure. */
void bench_virtio(size_t iters);

/* shmem.c, with scmi-sim (SCMI_SIM_BIN) only: the server process. */
struct bench_sim {
	pid_t pid;
	char uri[1024]; /* the URI it printed */
};
/** Start scmi-sim with @args (NULL-terminated, after the program name) and
 *  read the URI it prints.  0, or -1 with the reason in @why. */
int bench_sim_start(struct bench_sim *s, const char *const *args, char *why, size_t size);
/** SIGTERM, then wait (bounded; SIGKILL if it does not go). */
void bench_sim_stop(struct bench_sim *s);
/** Wait (bounded) for a child; SIGKILL it if it does not go.  Its exit
 *  status, or -1. */
int bench_reap(pid_t pid);
/** One PROTOCOL_VERSION of Base; a reply other than @expect is -EPROTO. */
int bench_base_version(struct scmi_handle *h, uint32_t expect);

#endif /* SCMI_BENCH_H */
