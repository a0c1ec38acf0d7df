// SPDX-License-Identifier: BSD-3-Clause
/* URI parsing and scmi_open() argument errors. */
#include <errno.h>

#include "helpers.h"
#include "uri.h"

/* scmi_open must fail with -EINVAL and log a line containing @needle. */
static void expect_einval(const char *uri, const char *needle)
{
	static struct test_log lg; /* outlives the test: teardown closes h, and close logs */
	struct scmi_config cfg;
	struct scmi_handle *h = (void *)0x1;
	int ret;

	test_log_init(&lg);
	cfg = test_config(&lg);
	ret = scmi_open(uri, &cfg, &h);
	cr_assert_eq(ret, -EINVAL, "%s: got %d", uri, ret);
	cr_assert_null(h, "%s: handle must be NULL on failure", uri);
	cr_assert(test_log_contains(&lg, needle), "%s: log lacks '%s':\n%s", uri, needle, lg.text);
}

Test(uri, unknown_scheme)
{
	expect_einval("foo://", "unknown URI scheme 'foo://'");
}

Test(uri, not_a_uri)
{
	expect_einval("loopback", "expected scheme://");
	expect_einval("", "expected scheme://");
	expect_einval("1abc://", "invalid scheme");
}

Test(uri, unknown_parameter_is_named)
{
	expect_einval("loopback://?bogus=1", "bogus");
	expect_einval("loopback://?max_msg=4&frobnicate=yes", "frobnicate");
}

Test(uri, malformed_parameters_are_named)
{
	expect_einval("loopback://?max_msg=abc", "max_msg=abc");
	expect_einval("loopback://?max_msg=0", "max_msg=0");
	expect_einval("loopback://?max_msg=1025", "max_msg=1025");
	expect_einval("loopback://?max_msg=-1", "max_msg=-1");
	expect_einval("loopback://?max_msg_size=4", "max_msg_size=4");
	expect_einval("loopback://?timeout_ms=", "timeout_ms=");
	expect_einval("loopback://?polling=2", "polling=2");
	expect_einval("loopback://?max_msg", "'max_msg' is malformed");
	expect_einval("loopback://?a%=1", "malformed");
	expect_einval("loopback://?drop=x", "drop=x");
	expect_einval("loopback://?versions=perf", "perf");
	expect_einval("loopback://?versions=perf:x.y", "perf:x.y");
	expect_einval("loopback://?versions=0x05:1.0", "0x05");
}

Test(uri, structural_errors)
{
	expect_einval("loopback://?max_msg=4&max_msg=8", "given twice");
	expect_einval("loopback://?&", "empty parameter");
	expect_einval("loopback://?max_msg=4&&polling=1", "empty parameter");
	expect_einval("loopback://some/path", "takes no path");
	expect_einval("loopback://?profile=nope", "nope");
}

Test(uri, percent_escapes_and_defaults)
{
	struct scmi_handle *h = test_open("loopback://?profile=scmi%2D2.0", NULL);

	cr_assert_eq(h->version->major_ver, 2);
	cr_assert_eq(h->version->minor_ver, 0);
	scmi_close(h);
	h = test_open(NULL, NULL); /* NULL means loopback:// */
	cr_assert_not_null(scmi_loopback_sim(h));
	scmi_close(h);
}

Test(uri, parser_accessors)
{
	struct scmi_logger lg = {.level = SCMI_LOG_SILENT};
	struct scmi_uri *u;
	uint64_t v = 7;

	cr_assert_eq(scmi_uri_parse("shmem:///dev/mem%20x?tx=0x1000&rx=8&flag=", &lg, &u), 0);
	cr_assert_str_eq(scmi_uri_scheme(u), "shmem");
	cr_assert_str_eq(scmi_uri_path(u), "/dev/mem x");
	cr_assert_eq(scmi_uri_num_params(u), 3);
	cr_assert_eq(scmi_uri_param_u64(u, "tx", 0, UINT64_MAX, &v), 1);
	cr_assert_eq(v, 0x1000);
	cr_assert_eq(scmi_uri_param_u64(u, "missing", 0, 10, &v), 0);
	cr_assert_eq(v, 0x1000, "absent parameter leaves the value alone");
	cr_assert_eq(scmi_uri_param_u64(u, "rx", 0, 4, &v), -EINVAL, "out of range");
	cr_assert_str_eq(scmi_uri_param(u, "flag"), "");
	cr_assert_eq(scmi_uri_check_unused(u), 0);
	scmi_uri_free(u);

	cr_assert_eq(scmi_uri_parse("x://?a=1&b=2", &lg, &u), 0);
	cr_assert_eq(scmi_uri_param(u, "a")[0], '1');
	cr_assert_eq(scmi_uri_check_unused(u), -EINVAL, "b was never looked up");
	scmi_uri_free(u);
}

Test(uri, bad_config)
{
	struct scmi_config cfg = test_config(NULL);
	struct scmi_event_queue_config q = {.protocol_id = 0x13, .depth = 70000};
	struct scmi_handle *h;

	cr_assert_eq(scmi_open(NULL, NULL, NULL), -EINVAL);
	cfg.event_queue_depth = 1u << 20;
	cr_assert_eq(scmi_open(NULL, &cfg, &h), -EINVAL);
	cfg = test_config(NULL);
	cfg.event_queues = &q;
	cfg.num_event_queues = 1;
	cr_assert_eq(scmi_open(NULL, &cfg, &h), -EINVAL, "depth too large");
	cfg.event_queues = NULL;
	cr_assert_eq(scmi_open(NULL, &cfg, &h), -EINVAL, "count without array");
	cfg = test_config(NULL);
	cfg.timeout_ms = 10u * 3600u * 1000u;
	cr_assert_eq(scmi_open(NULL, &cfg, &h), -EINVAL, "absurd timeout");
}
