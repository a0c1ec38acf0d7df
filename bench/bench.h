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

/* shmem.c: the shmem:// round trip against scmi-sim and its floors, with
 * @iters samples per figure. */
void bench_shmem(size_t iters);

#endif /* SCMI_BENCH_H */
