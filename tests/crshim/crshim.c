// SPDX-License-Identifier: BSD-3-Clause
/*
 * crshim's runner (criterion/criterion.h says what crshim is): main()
 * forks one child per test (per parameter of a parameterized test), up to
 * --jobs at a time, and ends with Criterion's synthesis line.
 *
 * Options (Criterion's names): --jobs N / -jN, --filter PATTERN (fnmatch
 * on "suite/name"), --list, --verbose; --short-filename and unknown
 * --options are ignored.  CRSHIM_SKIP: space-separated fnmatch patterns on
 * "suite/name" of tests to skip (each named on stderr), e.g. timing-bound
 * tests under an emulator (scripts/cross.sh).
 */
#include "criterion/criterion.h"

#include <errno.h>
#include <fnmatch.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct crs_test {
	const char *suite, *name, *file;
	int line;
	void (*fn)(void *);
	const struct crs_opts *opts;
	struct crs_param_array (*params)(void);
};

struct crs_suite {
	const char *name;
	const struct crs_opts *opts;
};

static struct crs_test *tests;
static size_t n_tests, cap_tests;
static struct crs_suite *suites;
static size_t n_suites, cap_suites;

/* In the child. */
static const struct crs_test *cur;
static pthread_t main_thread;
static sigjmp_buf abort_jmp;
static volatile int in_body, failed, skipped;

enum { RES_PASS = 100, RES_FAIL = 101, RES_SKIP = 102 };

static void *grow(void *p, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return p;
	*cap = *cap ? *cap * 2 : 64;
	p = realloc(p, *cap * size);
	if (!p) {
		perror("crshim");
		exit(2);
	}
	return p;
}

void crs_register(const char *suite, const char *name, void (*fn)(void *), const struct crs_opts *opts,
		  struct crs_param_array (*params)(void), const char *file, int line)
{
	tests = grow(tests, &cap_tests, n_tests, sizeof(*tests));
	tests[n_tests++] = (struct crs_test){ .suite = suite, .name = name, .file = file, .line = line,
					      .fn = fn, .opts = opts, .params = params };
}

void crs_register_suite(const char *suite, const struct crs_opts *opts)
{
	suites = grow(suites, &cap_suites, n_suites, sizeof(*suites));
	suites[n_suites++] = (struct crs_suite){ .name = suite, .opts = opts };
}

static const struct crs_opts *suite_opts(const char *suite)
{
	for (size_t i = 0; i < n_suites; i++)
		if (!strcmp(suites[i].name, suite))
			return suites[i].opts;
	return NULL;
}

static void vmsg(const char *fmt, va_list ap)
{
	char buf[2048];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	/* fmt is " " plus the caller's message, maybe empty. */
	if (buf[1])
		fprintf(stderr, ": %s", buf + 1);
}

static void end_test(void)
{
	if (pthread_equal(pthread_self(), main_thread) && in_body)
		siglongjmp(abort_jmp, 1);
	/* Another thread, or .init / .fini themselves: the process ends. */
	fflush(NULL);
	_exit(skipped ? RES_SKIP : RES_FAIL);
}

void crs_fail(int fatal, const char *file, int line, const char *expr, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "[----] %s:%d: %s failed (%s)", file, line, fatal ? "Assertion" : "Expectation",
		expr);
	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	failed = 1;
	if (fatal)
		end_test();
}

void crs_skip(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "[SKIP] %s::%s", cur ? cur->suite : "?", cur ? cur->name : "?");
	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	skipped = 1;
	end_test();
	abort(); /* not reached */
}

void crs_log(const char *level, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "[%s] ", level);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static double timeout_scale(void)
{
	const char *s = getenv("CRSHIM_TIMEOUT_SCALE");
	double v = s ? strtod(s, NULL) : 1.0;

	return v > 0 ? v : 1.0;
}

/* The child: run one test (with parameter @param, or NULL) and exit. */
static void __attribute__((noreturn)) run_child(const struct crs_test *t, void *param)
{
	const struct crs_opts *volatile so = suite_opts(t->suite);
	double timeout = t->opts->timeout > 0 ? t->opts->timeout : so ? so->timeout : 0;

	cur = t;
	main_thread = pthread_self();
	if (timeout > 0)
		alarm((unsigned)(timeout * timeout_scale() + 0.999));
	if (so && so->init)
		so->init();
	if (t->opts->init)
		t->opts->init();
	in_body = 1;
	if (!sigsetjmp(abort_jmp, 0))
		t->fn(param);
	in_body = 0;
	if (t->opts->fini)
		t->opts->fini();
	if (so && so->fini)
		so->fini();
	fflush(NULL);
	_exit(skipped ? RES_SKIP : failed ? RES_FAIL : RES_PASS);
}

struct job {
	pid_t pid;
	const struct crs_test *t;
	size_t param;
	int has_param;
};

static size_t n_run, n_pass, n_fail, n_crash, n_skip;
static int verbose;

static void report(const struct job *j, int status)
{
	char id[512];

	if (j->has_param)
		snprintf(id, sizeof(id), "%s::%s[%zu]", j->t->suite, j->t->name, j->param);
	else
		snprintf(id, sizeof(id), "%s::%s", j->t->suite, j->t->name);
	n_run++;
	if (WIFEXITED(status) && WEXITSTATUS(status) == RES_PASS) {
		n_pass++;
		if (verbose)
			fprintf(stderr, "[PASS] %s\n", id);
	} else if (WIFEXITED(status) && WEXITSTATUS(status) == RES_SKIP) {
		n_skip++;
		n_run--;
	} else if (WIFEXITED(status) && WEXITSTATUS(status) == RES_FAIL) {
		n_fail++;
		fprintf(stderr, "[FAIL] %s (%s:%d)\n", id, j->t->file, j->t->line);
	} else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM) {
		n_fail++;
		fprintf(stderr, "[FAIL] %s: timed out (%s:%d)\n", id, j->t->file, j->t->line);
	} else {
		n_crash++;
		if (WIFSIGNALED(status))
			fprintf(stderr, "[FAIL] %s: CRASH, signal %d (%s:%d)\n", id, WTERMSIG(status),
				j->t->file, j->t->line);
		else
			fprintf(stderr, "[FAIL] %s: exited with %d (%s:%d)\n", id, WEXITSTATUS(status),
				j->t->file, j->t->line);
	}
}

static struct job *running;
static int n_running, max_jobs = 1;

static void wait_one(void)
{
	int status;
	pid_t pid;

	do
		pid = waitpid(-1, &status, 0);
	while (pid < 0 && errno == EINTR);
	if (pid < 0) {
		perror("crshim: waitpid");
		exit(2);
	}
	for (int i = 0; i < n_running; i++) {
		if (running[i].pid == pid) {
			report(&running[i], status);
			running[i] = running[--n_running];
			return;
		}
	}
}

static void start(const struct crs_test *t, void *param, size_t idx, int has_param)
{
	pid_t pid;

	while (n_running >= max_jobs)
		wait_one();
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		perror("crshim: fork");
		exit(2);
	}
	if (pid == 0)
		run_child(t, param);
	running[n_running++] = (struct job){ .pid = pid, .t = t, .param = idx, .has_param = has_param };
}

static int skipped_by_env(const char *id)
{
	const char *list = getenv("CRSHIM_SKIP");
	char pat[256];

	while (list && *list) {
		size_t n = strcspn(list, " ");

		if (n && n < sizeof(pat)) {
			memcpy(pat, list, n);
			pat[n] = '\0';
			if (!fnmatch(pat, id, 0))
				return 1;
		}
		list += n;
		list += strspn(list, " ");
	}
	return 0;
}

static int by_place(const void *a, const void *b)
{
	const struct crs_test *x = a, *y = b;
	int r = strcmp(x->suite, y->suite);

	return r ? r : strcmp(x->name, y->name);
}

int main(int argc, char **argv)
{
	const char *filter = NULL;
	int list = 0;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--jobs") && i + 1 < argc)
			max_jobs = atoi(argv[++i]);
		else if (!strncmp(a, "--jobs=", 7))
			max_jobs = atoi(a + 7);
		else if (!strncmp(a, "-j", 2) && a[2])
			max_jobs = atoi(a + 2);
		else if (!strcmp(a, "--filter") && i + 1 < argc)
			filter = argv[++i];
		else if (!strncmp(a, "--filter=", 9))
			filter = a + 9;
		else if (!strcmp(a, "--list") || !strcmp(a, "-l"))
			list = 1;
		else if (!strcmp(a, "--verbose") || !strncmp(a, "--verbose=", 10))
			verbose = 1;
	}
	if (max_jobs < 1)
		max_jobs = 1;
	running = calloc((size_t)max_jobs, sizeof(*running));
	if (!running)
		return 2;
	qsort(tests, n_tests, sizeof(*tests), by_place);

	for (size_t i = 0; i < n_tests; i++) {
		const struct crs_test *t = &tests[i];
		char id[512];

		snprintf(id, sizeof(id), "%s/%s", t->suite, t->name);
		if (filter && fnmatch(filter, id, 0))
			continue;
		if (list) {
			printf("%s: %s\n", t->suite, t->name);
			continue;
		}
		if (t->opts->disabled || skipped_by_env(id)) {
			if (!t->opts->disabled)
				fprintf(stderr, "[SKIP] %s::%s: CRSHIM_SKIP\n", t->suite, t->name);
			n_skip++;
			continue;
		}
		if (t->params) {
			struct crs_param_array pa = t->params();

			for (size_t k = 0; k < pa.nb; k++)
				start(t, (char *)pa.ptr + k * pa.size, k, 1);
		} else {
			start(t, NULL, 0, 0);
		}
	}
	while (n_running)
		wait_one();
	if (list)
		return 0;
	printf("[====] Synthesis: Tested: %zu | Passing: %zu | Failing: %zu | Crashing: %zu\n", n_run,
	       n_pass, n_fail, n_crash);
	return n_fail || n_crash ? 1 : 0;
}
