// SPDX-License-Identifier: BSD-3-Clause
/*
 * The library as a product: its version API, scmi_open(NULL) naming the
 * platform through SCMI_URI, loopback:// registered by libscmi-sim, and the
 * CLI's choice of platform (--uri, then SCMI_URI, then the simulator).
 * That a program linking libscmi alone cannot open loopback:// is checked
 * by install/consumer_core.c (ctest core_only; it must not link the simulator).
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

extern char **environ;

static void describe_ignore(void *arg, const char *section, const char *key, const char *value)
{
}

Test(library, version_api_matches_the_macros)
{
	char buf[32];

	cr_assert_eq(scmi_version(), (unsigned int)SCMI_VERSION_HEX);
	cr_assert_eq(SCMI_VERSION_HEX,
		     (SCMI_VERSION_MAJOR << 16) | (SCMI_VERSION_MINOR << 8) | SCMI_VERSION_PATCH);
	cr_assert_str_eq(scmi_version_string(), SCMI_VERSION_STRING);
	snprintf(buf, sizeof(buf), "%d.%d.%d", SCMI_VERSION_MAJOR, SCMI_VERSION_MINOR,
		 SCMI_VERSION_PATCH);
	cr_assert_str_eq(scmi_version_string(), buf);
	cr_assert_eq(scmi_version() >> 16, (unsigned int)SCMI_VERSION_MAJOR);
	cr_assert_eq((scmi_version() >> 8) & 0xff, (unsigned int)SCMI_VERSION_MINOR);
	cr_assert_eq(scmi_version() & 0xff, (unsigned int)SCMI_VERSION_PATCH);
	/* The protocol-version helpers are another thing. */
	cr_assert_eq(SCMI_PROTO_VERSION_MAJOR(SCMI_PROTO_VERSION(3, 1)), 3);
	cr_assert_eq(SCMI_PROTO_VERSION_MINOR(SCMI_PROTO_VERSION(3, 1)), 1);
}

Test(library, open_null_without_scmi_uri_says_how_to_name_a_platform)
{
	static struct test_log lg;
	struct scmi_config cfg = test_config(&lg);
	struct scmi_handle *h = (void *)1;

	test_log_init(&lg);
	cr_assert_eq(unsetenv("SCMI_URI"), 0);
	cr_assert_eq(scmi_open(NULL, &cfg, &h), -EINVAL);
	cr_assert_null(h);
	cr_assert(test_log_contains(&lg, "no platform named"), "%s", lg.text);
	cr_assert(test_log_contains(&lg, "SCMI_URI"), "%s", lg.text);
	/* Empty counts as unset. */
	test_log_init(&lg);
	cr_assert_eq(setenv("SCMI_URI", "", 1), 0);
	cr_assert_eq(scmi_open(NULL, &cfg, &h), -EINVAL);
	cr_assert(test_log_contains(&lg, "SCMI_URI"), "%s", lg.text);
	/* scmi_probe() takes the same way. */
	cr_assert_eq(scmi_probe(NULL, &cfg, describe_ignore, NULL), -EINVAL);
}

Test(library, open_null_takes_scmi_uri)
{
	static struct test_log lg;
	struct scmi_config cfg = test_config(&lg);
	struct scmi_handle *h;

	test_log_init(&lg);
	cr_assert_eq(setenv("SCMI_URI", "loopback://?profile=scmi-2.0", 1), 0);
	cr_assert_eq(scmi_open(NULL, &cfg, &h), 0, "%s", lg.text);
	cr_assert(h->version->major_ver == 2 && h->version->minor_ver == 0,
		  "the profile of SCMI_URI was used");
	scmi_close(h);
	cr_assert_eq(setenv("SCMI_URI", "loopback://?profile=newest", 1), 0);
	cr_assert_eq(scmi_open(NULL, &cfg, &h), 0, "%s", lg.text);
	cr_assert(h->version->major_ver > 2 || h->version->minor_ver > 0);
	scmi_close(h);
	/* A URI given wins over the environment. */
	cr_assert_eq(setenv("SCMI_URI", "nosuch://", 1), 0);
	cr_assert_eq(scmi_open("loopback://", &cfg, &h), 0, "%s", lg.text);
	scmi_close(h);
	test_log_init(&lg);
	cr_assert_eq(scmi_open(NULL, &cfg, &h), -EINVAL);
	cr_assert(test_log_contains(&lg, "nosuch"), "%s", lg.text);
	unsetenv("SCMI_URI");
}

Test(library, loopback_is_registered_by_the_simulator_library)
{
	static struct test_log lg;
	struct scmi_config cfg = test_config(&lg);
	struct scmi_handle *h;

	test_log_init(&lg);
	/* Linked in: registered at load; registering again is harmless. */
	cr_assert_eq(scmi_sim_loopback_register(), 0);
	cr_assert_eq(scmi_transport_unregister("loopback"), 0);
	cr_assert_eq(scmi_open("loopback://", &cfg, &h), -EINVAL);
	cr_assert(test_log_contains(&lg, "link libscmi-sim"), "%s", lg.text);
	cr_assert_eq(scmi_sim_loopback_register(), 0);
	cr_assert_eq(scmi_open("loopback://", &cfg, &h), 0, "%s", lg.text);
	cr_assert_not_null(scmi_loopback_sim(h));
	scmi_close(h);
}

#ifdef SCMI_CLI
struct run {
	int status;
	char out[8192], err[8192];
};

static void read_all(int fd, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;

	while (len + 1 < size && (n = read(fd, buf + len, size - 1 - len)) > 0)
		len += (size_t)n;
	buf[len] = '\0';
}

/* Run the CLI with @args, SCMI_URI set to @env (NULL: unset).  Output is
 * small: stdout is read to its end before stderr. */
static void run_cli(const char *env, const char *const *args, struct run *r)
{
	const char *argv[16] = {SCMI_CLI};
	posix_spawn_file_actions_t fa;
	int out[2], err[2], ws;
	pid_t pid;
	size_t n;

	for (n = 1; args[n - 1] && n < 15; n++)
		argv[n] = args[n - 1];
	argv[n] = NULL;
	if (env)
		cr_assert_eq(setenv("SCMI_URI", env, 1), 0);
	else
		cr_assert_eq(unsetenv("SCMI_URI"), 0);
	cr_assert_eq(pipe2(out, O_CLOEXEC), 0);
	cr_assert_eq(pipe2(err, O_CLOEXEC), 0);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	posix_spawn_file_actions_adddup2(&fa, err[1], 2);
	cr_assert_eq(posix_spawn(&pid, SCMI_CLI, &fa, NULL, (char *const *)argv, environ), 0);
	posix_spawn_file_actions_destroy(&fa);
	close(out[1]);
	close(err[1]);
	read_all(out[0], r->out, sizeof(r->out));
	read_all(err[0], r->err, sizeof(r->err));
	close(out[0]);
	close(err[0]);
	cr_assert_eq(waitpid(pid, &ws, 0), pid);
	r->status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
	unsetenv("SCMI_URI");
}

#define SIM_NOTE "talking to the simulator"

Test(library, cli_uri_then_scmi_uri_then_the_simulator)
{
	static struct run r;
	const char *p;

	/* Nothing named: the simulator, said once on stderr. */
	run_cli(NULL, (const char *const[]){"info", NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_not_null(p = strstr(r.err, SIM_NOTE), "%s", r.err);
	cr_assert_null(strstr(p + 1, SIM_NOTE), "said once: %s", r.err);
	cr_assert_not_null(strstr(r.out, "vendor:"), "%s", r.out);
	/* SCMI_URI: used, nothing said. */
	run_cli("loopback://?profile=scmi-2.0", (const char *const[]){"info", "--json", NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_null(strstr(r.err, SIM_NOTE), "%s", r.err);
	cr_assert_not_null(strstr(r.out, "\"scmi_version\":\"2.0\""),
			   "profile scmi-2.0 from SCMI_URI: %s", r.out);
	run_cli("nosuch://", (const char *const[]){"info", NULL}, &r);
	cr_assert_neq(r.status, 0);
	cr_assert_not_null(strstr(r.err, "nosuch"), "%s", r.err);
	/* --uri wins over SCMI_URI. */
	run_cli("nosuch://", (const char *const[]){"--uri", "loopback://", "info", NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_null(strstr(r.err, SIM_NOTE), "%s", r.err);
}
#endif
