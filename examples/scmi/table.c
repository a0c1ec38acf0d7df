// SPDX-License-Identifier: BSD-3-Clause
/*
 * The one table layout of the text output: a header line in capitals,
 * columns two spaces apart and as wide as their widest cell, text
 * left-aligned, numbers right-aligned.  Rows are kept until printed.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct cli_table {
	size_t ncols;
	const struct cli_column *cols;
	char **cells; /* nrows * ncols, NULL: empty */
	size_t nrows, cap;
};

struct cli_table *cli_table_new(const struct cli_column *cols, size_t ncols)
{
	struct cli_table *t = calloc(1, sizeof(*t));

	if (!t)
		abort();
	t->cols = cols;
	t->ncols = ncols;
	return t;
}

void cli_table_add(struct cli_table *t, ...)
{
	va_list ap;

	if (t->nrows == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 16;
		t->cells = realloc(t->cells, t->cap * t->ncols * sizeof(*t->cells));
		if (!t->cells)
			abort();
	}
	va_start(ap, t);
	for (size_t c = 0; c < t->ncols; c++) {
		const char *s = va_arg(ap, const char *);

		t->cells[t->nrows * t->ncols + c] = s ? strdup(s) : NULL;
	}
	va_end(ap);
	t->nrows++;
}

void cli_table_addf(struct cli_table *t, size_t col, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	if (!t->nrows || col >= t->ncols)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	free(t->cells[(t->nrows - 1) * t->ncols + col]);
	t->cells[(t->nrows - 1) * t->ncols + col] = strdup(buf);
}

/* Display width: UTF-8 continuation bytes take no column. */
static size_t width(const char *s)
{
	size_t w = 0;

	for (; s && *s; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
}

static void cell(const char *s, size_t w, bool right, bool last)
{
	size_t pad = w - width(s);

	if (right)
		printf("%*s%s", (int)pad, "", s);
	else if (last)
		printf("%s", s);
	else
		printf("%s%*s", s, (int)pad, "");
}

void cli_table_print(struct cli_table *t)
{
	size_t *w = calloc(t->ncols, sizeof(*w));
	size_t last = t->ncols - 1;

	if (!w)
		abort();
	for (size_t c = 0; c < t->ncols; c++) {
		w[c] = width(t->cols[c].name);
		for (size_t r = 0; r < t->nrows; r++) {
			size_t cw = width(t->cells[r * t->ncols + c]);

			if (cw > w[c])
				w[c] = cw;
		}
	}
	for (size_t c = 0; c < t->ncols; c++) {
		if (c)
			printf("  ");
		cell(t->cols[c].name, w[c], t->cols[c].right, c == last);
	}
	printf("\n");
	for (size_t r = 0; r < t->nrows; r++) {
		char **row = &t->cells[r * t->ncols];
		size_t n = t->ncols;

		while (n > 1 && !row[n - 1])
			n--; /* no trailing blanks */
		for (size_t c = 0; c < n; c++) {
			if (c)
				printf("  ");
			cell(row[c] ? row[c] : "", w[c], t->cols[c].right, c == n - 1);
		}
		printf("\n");
	}
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(w);
	free(t);
}

void cli_kv(const char *key, const char *fmt, ...)
{
	char k[64];
	va_list ap;

	snprintf(k, sizeof(k), "%s:", key);
	printf("%-17s", k);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}
