/* SPDX-License-Identifier: BSD-3-Clause */
/* crshim: Criterion's parameterized tests (criterion.h says what crshim is). */
#ifndef SCMI_CRSHIM_PARAMETERIZED_H
#define SCMI_CRSHIM_PARAMETERIZED_H

#include "criterion.h"

#define ParameterizedTestParameters(suite, name) \
	static struct crs_param_array CRS_ID_(suite, name##_crsparams)(void)

#define ParameterizedTest(param, suite, name, ...)                                               \
	static struct crs_param_array CRS_ID_(suite, name##_crsparams)(void);                       \
	static void CRS_ID_(suite, name)(param);                                                 \
	static void CRS_ID_(suite, name##_crsp)(void *p_)                                           \
	{                                                                                        \
		CRS_ID_(suite, name)(p_);                                                        \
	}                                                                                        \
	static const struct crs_opts CRS_ID_(suite, name##_crso) = { .sentinel_ = 0, __VA_ARGS__ }; \
	__attribute__((constructor)) static void CRS_ID_(suite, name##_crsr)(void)                  \
	{                                                                                        \
		crs_register(#suite, #name, CRS_ID_(suite, name##_crsp), &CRS_ID_(suite, name##_crso), \
			     CRS_ID_(suite, name##_crsparams), __FILE__, __LINE__);                 \
	}                                                                                        \
	static void CRS_ID_(suite, name)(param)

#define cr_make_param_array(type, arr, n) \
	((struct crs_param_array){ .ptr = (arr), .nb = (n), .size = sizeof(type) })

#endif
