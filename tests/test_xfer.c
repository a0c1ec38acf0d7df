// SPDX-License-Identifier: BSD-3-Clause
/* The xfer / token manager. */
#include <errno.h>
#include <stdlib.h>

#include "common.h"
#include "helpers.h"
#include "workloads.h"

static struct scmi_instance *fake_instance(void)
{
	struct scmi_instance *inst = calloc(1, sizeof(*inst));

	cr_assert_not_null(inst);
	inst->log.level = SCMI_LOG_SILENT;
	inst->timeout_ms = 100;
	return inst;
}

Test(tokens, monotonic_and_wrap)
{
	struct scmi_instance *inst = fake_instance();
	struct scmi_xfers_info info;

	cr_assert_eq(scmi_xfers_init(&info, inst, 8, 64, true), 0);
	pthread_mutex_lock(&info.lock);
	/* Released at once, tokens still never repeat before wrapping. */
	for (unsigned int i = 0; i < 3 * SCMI_MAX_TOKENS; i++) {
		int t = scmi_xfer_token_alloc(&info);

		cr_assert_eq(t, (int)(i % SCMI_MAX_TOKENS), "alloc %u", i);
		scmi_xfer_token_release(&info, (uint16_t)t);
	}
	pthread_mutex_unlock(&info.lock);
	scmi_xfers_destroy(&info);
	free(inst);
}

Test(tokens, skip_in_flight)
{
	struct scmi_instance *inst = fake_instance();
	struct scmi_xfers_info info;
	int t;

	cr_assert_eq(scmi_xfers_init(&info, inst, 8, 64, true), 0);
	pthread_mutex_lock(&info.lock);
	/* Hold 0 and 1, then hand out up to 1021 and release them. */
	cr_assert_eq(scmi_xfer_token_alloc(&info), 0);
	cr_assert_eq(scmi_xfer_token_alloc(&info), 1);
	for (int i = 2; i < 1022; i++)
		scmi_xfer_token_release(&info, (uint16_t)scmi_xfer_token_alloc(&info));
	/* Hold 1022 and 1023 too: after 1021 the next must wrap past 0,1. */
	cr_assert_eq(scmi_xfer_token_alloc(&info), 1022);
	cr_assert_eq(scmi_xfer_token_alloc(&info), 1023);
	cr_assert_eq(scmi_xfer_token_alloc(&info), 2, "in-flight 0 and 1 are skipped");
	scmi_xfer_token_release(&info, 2);
	/* Free 1022: last is 2, so the next is 3, not the lower free one. */
	scmi_xfer_token_release(&info, 1022);
	cr_assert_eq(scmi_xfer_token_alloc(&info), 3);

	/* Exhaust the space. */
	for (t = 0; t >= 0; t = scmi_xfer_token_alloc(&info))
		;
	cr_assert_eq(t, -EBUSY);
	scmi_xfer_token_release(&info, 700);
	cr_assert_eq(scmi_xfer_token_alloc(&info), 700, "the only free token");
	pthread_mutex_unlock(&info.lock);
	scmi_xfers_destroy(&info);
	free(inst);
}

Test(tokens, pool_exhaustion_is_an_error_not_a_hang)
{
	struct scmi_instance *inst = fake_instance();
	struct scmi_xfers_info info;
	struct scmi_xfer *x[4], *extra;
	uint64_t t0;

	cr_assert_eq(scmi_xfers_init(&info, inst, 4, 64, true), 0);
	for (int i = 0; i < 4; i++) {
		cr_assert_eq(scmi_xfer_get_init(&info, 0x10, 0, 0, 0, 0, &x[i]), 0);
		cr_assert_eq(x[i]->token, i);
		cr_assert_eq(scmi_hdr_token(x[i]->t.hdr), i);
	}
	cr_assert_eq(scmi_xfers_in_use(&info), 4);
	t0 = test_now_ms();
	cr_assert_eq(scmi_xfer_get_init(&info, 0x10, 0, 0, 0, 50, &extra), -ENOBUFS);
	cr_assert_geq(test_now_ms() - t0, 45, "waited for a free xfer");
	cr_assert_eq(atomic_load(&inst->stats.xfer_exhausted), 1);
	cr_assert_eq(scmi_xfer_get_init(&info, 0x10, 0, 65, 0, 50, &extra), -EMSGSIZE);

	scmi_xfer_put(x[2]);
	cr_assert_eq(scmi_xfer_get_init(&info, 0x10, 0, 0, 0, 50, &extra), 0);
	cr_assert_eq(extra->token, 4, "monotonic: not the freed token 2");
	scmi_xfer_put(extra);
	for (int i = 0; i < 4; i++)
		if (i != 2)
			scmi_xfer_put(x[i]);
	cr_assert_eq(scmi_xfers_in_use(&info), 0);
	scmi_xfers_destroy(&info);
	free(inst);
}

/* ---- many threads through one handle ---------------------------------------- */

static void run_workers(const char *uri, int nthreads)
{
	struct workload_err err = {{0}};

	cr_assert_eq(workload_agent_threads(uri, nthreads, 1500, &err), 0, "%s", err.msg);
}

Test(xfer, eight_threads_share_a_pool, .timeout = 120)
{
	run_workers("loopback://?max_msg=16", 8);
}

Test(xfer, more_threads_than_xfers, .timeout = 120)
{
	/* 12 callers, 3 xfers: callers queue for xfers, none fails. */
	run_workers("loopback://?max_msg=3", 12);
}

Test(xfer, threads_with_polling, .timeout = 120)
{
	run_workers("loopback://?max_msg=8&polling=1", 8);
}
