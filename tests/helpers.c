// SPDX-License-Identifier: BSD-3-Clause
#include <stdio.h>

#include "helpers.h"
#include "../sim/sim-internal.h"

void test_log_init(struct test_log *lg)
{
	memset(lg, 0, sizeof(*lg));
	pthread_mutex_init(&lg->lock, NULL);
}

void test_log_fn(void *priv, enum scmi_log_level level, const char *msg)
{
	struct test_log *lg = priv;
	int n;

	(void)level;
	pthread_mutex_lock(&lg->lock);
	n = snprintf(lg->text + lg->len, sizeof(lg->text) - lg->len, "%s\n", msg);
	if (n > 0 && lg->len + (size_t)n < sizeof(lg->text))
		lg->len += (size_t)n;
	pthread_mutex_unlock(&lg->lock);
}

bool test_log_contains(struct test_log *lg, const char *needle)
{
	bool found;

	pthread_mutex_lock(&lg->lock);
	found = strstr(lg->text, needle) != NULL;
	pthread_mutex_unlock(&lg->lock);
	return found;
}

struct scmi_config test_config(struct test_log *lg)
{
	struct scmi_config cfg = {0};

	if (lg) {
		cfg.log_fn = test_log_fn;
		cfg.log_priv = lg;
		cfg.log_level = SCMI_LOG_DEBUG;
	} else {
		cfg.log_level = SCMI_LOG_SILENT;
	}
	return cfg;
}

struct scmi_handle *test_open(const char *uri, const struct scmi_config *cfg)
{
	struct scmi_config quiet = test_config(NULL);
	struct scmi_handle *h = NULL;
	int ret = scmi_open(uri, cfg ? cfg : &quiet, &h);

	cr_assert_eq(ret, 0, "scmi_open(%s): %s", uri ? uri : "NULL", scmi_strerror(ret));
	cr_assert_not_null(h);
	return h;
}

bool test_wait_until(bool (*cond)(void *arg), void *arg, unsigned int ms)
{
	uint64_t end = test_now_ms() + ms;

	do {
		if (cond(arg))
			return true;
		test_sleep_ms(1);
	} while (test_now_ms() < end);
	return cond(arg);
}

void test_model_swap(struct scmi_sim *sim, const struct sim_proto_ops *ops, uint32_t version)
{
	sim_model_unregister(sim, ops->id);
	cr_assert_eq(sim_model_register(sim, ops, version), 0, "model %s", ops->name);
}

struct scmi_handle *test_open_model(const char *uri, struct test_log *lg,
				    const struct sim_proto_ops *ops, uint32_t version)
{
	struct scmi_config cfg;
	struct scmi_handle *h;

	if (lg)
		test_log_init(lg);
	cfg = test_config(lg);
	h = test_open(uri, &cfg);
	test_model_swap(scmi_loopback_sim(h), ops, version);
	return h;
}
