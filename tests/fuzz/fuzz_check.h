/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What every harness shares: FUZZ_CHECK(cond, fmt, ...) aborts with
 * "<FUZZ_NAME>: file:line: check 'cond' failed: <message>" when a
 * documented property does not hold (define FUZZ_NAME before including).
 */
#ifndef SCMI_TESTS_FUZZ_CHECK_H
#define SCMI_TESTS_FUZZ_CHECK_H

#include <stdio.h>
#include <stdlib.h>

#ifndef FUZZ_NAME
#error "define FUZZ_NAME (the harness's name) before including fuzz_check.h"
#endif

#define FUZZ_CHECK(cond, ...)                                                          \
	do {                                                                           \
		if (!(cond)) {                                                         \
			fprintf(stderr, "%s: %s:%d: check '%s' failed: ", FUZZ_NAME,   \
				__FILE__, __LINE__, #cond);                            \
			fprintf(stderr, __VA_ARGS__);                                  \
			fputc('\n', stderr);                                           \
			abort();                                                       \
		}                                                                      \
	} while (0)

#endif
