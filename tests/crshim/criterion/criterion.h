/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * crshim: a minimal stand-in for the part of Criterion's API that the
 * libscmi suites use, for targets where Debian has no Criterion (s390x:
 * Criterion's BoxFort has no port there).  Built instead of Criterion when
 * SCMI_TEST_CRITERION_SHIM is ON or no criterion.pc is found
 * (tests/CMakeLists.txt, docs/PORTABILITY.md).
 *
 * Each test runs in a forked child, like Criterion: the suite's .init,
 * the test's .init, the body, the test's .fini, the suite's .fini.  A
 * failed cr_assert_* ends the test (after its .fini when it failed on
 * the test's own thread); a failed cr_expect_* marks it failed and goes
 * on; cr_skip_test() ends it as skipped.  .timeout is in seconds, scaled
 * by CRSHIM_TIMEOUT_SCALE (e.g. 10 under an emulator).
 */
#ifndef SCMI_CRSHIM_CRITERION_H
#define SCMI_CRSHIM_CRITERION_H

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct crs_opts {
	int sentinel_;
	void (*init)(void);
	void (*fini)(void);
	double timeout;
	bool disabled;
	const char *description;
	int exit_code;
	int signal;
};

struct crs_param_array {
	void *ptr;
	size_t nb;
	size_t size;
};

void crs_register(const char *suite, const char *name, void (*fn)(void *), const struct crs_opts *opts,
		  struct crs_param_array (*params)(void), const char *file, int line);
void crs_register_suite(const char *suite, const struct crs_opts *opts);
void crs_fail(int fatal, const char *file, int line, const char *expr, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void crs_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void crs_log(const char *level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define CRS_ID_(a, b) crs_##a##_##b

#define Test(suite, name, ...)                                                                   \
	static void CRS_ID_(suite, name)(void);                                                  \
	static void CRS_ID_(suite, name##_crsp)(void *p_)                                           \
	{                                                                                        \
		(void)p_;                                                                        \
		CRS_ID_(suite, name)();                                                          \
	}                                                                                        \
	static const struct crs_opts CRS_ID_(suite, name##_crso) = { .sentinel_ = 0, __VA_ARGS__ }; \
	__attribute__((constructor)) static void CRS_ID_(suite, name##_crsr)(void)                  \
	{                                                                                        \
		crs_register(#suite, #name, CRS_ID_(suite, name##_crsp), &CRS_ID_(suite, name##_crso), \
			     NULL, __FILE__, __LINE__);                                          \
	}                                                                                        \
	static void CRS_ID_(suite, name)(void)

#define TestSuite(suite, ...)                                                            \
	static const struct crs_opts CRS_ID_(suite, suite_o_) = { .sentinel_ = 0, __VA_ARGS__ }; \
	__attribute__((constructor)) static void CRS_ID_(suite, suite_r_)(void)          \
	{                                                                                \
		crs_register_suite(#suite, &CRS_ID_(suite, suite_o_));                   \
	}                                                                                \
	struct crs_opts

/* " " fmt: the optional message is a string literal (as with Criterion). */
#define crs_check_(fatal, cond, expr, ...)                                                \
	do {                                                                              \
		if (!(cond))                                                              \
			crs_fail(fatal, __FILE__, __LINE__, expr, " " __VA_ARGS__);       \
	} while (0)

#define cr_assert(cond, ...)          crs_check_(1, (cond), #cond, __VA_ARGS__)
#define cr_expect(cond, ...)          crs_check_(0, (cond), #cond, __VA_ARGS__)
#define cr_assert_not(cond, ...)      crs_check_(1, !(cond), "!(" #cond ")", __VA_ARGS__)
#define cr_expect_not(cond, ...)      crs_check_(0, !(cond), "!(" #cond ")", __VA_ARGS__)
#define cr_assert_fail(...)           crs_check_(1, 0, "cr_assert_fail", __VA_ARGS__)
#define cr_expect_fail(...)           crs_check_(0, 0, "cr_expect_fail", __VA_ARGS__)

#define crs_cmp_(fatal, a, op, b, ...) crs_check_(fatal, (a) op (b), #a " " #op " " #b, __VA_ARGS__)
#define cr_assert_eq(a, b, ...)  crs_cmp_(1, a, ==, b, __VA_ARGS__)
#define cr_assert_neq(a, b, ...) crs_cmp_(1, a, !=, b, __VA_ARGS__)
#define cr_assert_lt(a, b, ...)  crs_cmp_(1, a, <, b, __VA_ARGS__)
#define cr_assert_leq(a, b, ...) crs_cmp_(1, a, <=, b, __VA_ARGS__)
#define cr_assert_gt(a, b, ...)  crs_cmp_(1, a, >, b, __VA_ARGS__)
#define cr_assert_geq(a, b, ...) crs_cmp_(1, a, >=, b, __VA_ARGS__)
#define cr_expect_eq(a, b, ...)  crs_cmp_(0, a, ==, b, __VA_ARGS__)
#define cr_expect_neq(a, b, ...) crs_cmp_(0, a, !=, b, __VA_ARGS__)
#define cr_expect_lt(a, b, ...)  crs_cmp_(0, a, <, b, __VA_ARGS__)
#define cr_expect_leq(a, b, ...) crs_cmp_(0, a, <=, b, __VA_ARGS__)
#define cr_expect_gt(a, b, ...)  crs_cmp_(0, a, >, b, __VA_ARGS__)
#define cr_expect_geq(a, b, ...) crs_cmp_(0, a, >=, b, __VA_ARGS__)

#define cr_assert_null(p, ...)      crs_check_(1, (p) == NULL, #p " == NULL", __VA_ARGS__)
#define cr_assert_not_null(p, ...)  crs_check_(1, (p) != NULL, #p " != NULL", __VA_ARGS__)
#define cr_expect_null(p, ...)      crs_check_(0, (p) == NULL, #p " == NULL", __VA_ARGS__)
#define cr_expect_not_null(p, ...)  crs_check_(0, (p) != NULL, #p " != NULL", __VA_ARGS__)

#define cr_assert_str_eq(a, b, ...)  crs_check_(1, strcmp((a), (b)) == 0, #a " == " #b, __VA_ARGS__)
#define cr_assert_str_neq(a, b, ...) crs_check_(1, strcmp((a), (b)) != 0, #a " != " #b, __VA_ARGS__)
#define cr_expect_str_eq(a, b, ...)  crs_check_(0, strcmp((a), (b)) == 0, #a " == " #b, __VA_ARGS__)
#define cr_expect_str_neq(a, b, ...) crs_check_(0, strcmp((a), (b)) != 0, #a " != " #b, __VA_ARGS__)

#define cr_assert_arr_eq(a, b, size, ...) \
	crs_check_(1, memcmp((a), (b), (size)) == 0, #a "[] == " #b "[]", __VA_ARGS__)
#define cr_expect_arr_eq(a, b, size, ...) \
	crs_check_(0, memcmp((a), (b), (size)) == 0, #a "[] == " #b "[]", __VA_ARGS__)
#define cr_assert_float_eq(a, b, eps, ...) \
	crs_check_(1, fabs((double)(a) - (double)(b)) <= (double)(eps), #a " ~= " #b, __VA_ARGS__)
#define cr_expect_float_eq(a, b, eps, ...) \
	crs_check_(0, fabs((double)(a) - (double)(b)) <= (double)(eps), #a " ~= " #b, __VA_ARGS__)

#define cr_skip_test(...) crs_skip(" " __VA_ARGS__)
#define cr_log_info(...)  crs_log("INFO", __VA_ARGS__)
#define cr_log_warn(...)  crs_log("WARN", __VA_ARGS__)
#define cr_log_error(...) crs_log("ERR ", __VA_ARGS__)

#endif
