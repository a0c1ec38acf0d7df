// SPDX-License-Identifier: BSD-3-Clause
/*
 * The scmi-sim server program (SCMI_SIM_BIN is its path), run as a separate
 * process.  The test is the agent, with its own minimal shared-memory code
 * (nothing from lib/): it maps the file named by the URI the server prints,
 * writes commands into A2P areas, and reads responses and P2A messages.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "helpers.h"

/* Area layout (SCMI shared memory). */
#define A_STATUS  0x04
#define A_FLAGS	  0x10
#define A_LENGTH  0x14
#define A_HEADER  0x18
#define A_PAYLOAD 0x1c
#define ST_FREE	  1u
#define ST_ERROR  2u

#define HDR(proto, msg, type, token)                                         \
	((uint32_t)(msg) | (uint32_t)(type) << 8 | (uint32_t)(proto) << 10 | \
	 (uint32_t)(token) << 18)

#define TESTPROTO 0x80

struct server {
	pid_t pid;
	char uri[1024];
	char path[512];
	char ctl[128];
	uint8_t *map;
	size_t map_len;
	size_t a2p, p2a, size;
	bool has_db;
	size_t db;
	unsigned int db_width;
	uint32_t token;
};

/* Value of parameter @key in the URI's query, or NULL. */
static const char *uri_param(const struct server *s, const char *key, char *buf, size_t size)
{
	const char *q = strchr(s->uri, '?');
	size_t klen = strlen(key);

	while (q) {
		q++;
		if (!strncmp(q, key, klen) && q[klen] == '=') {
			const char *v = q + klen + 1;
			size_t n = strcspn(v, "&");

			cr_assert_lt(n, size);
			memcpy(buf, v, n);
			buf[n] = '\0';
			return buf;
		}
		q = strchr(q, '&');
	}
	return NULL;
}

static size_t uri_num(const struct server *s, const char *key)
{
	char buf[64];
	const char *v = uri_param(s, key, buf, sizeof(buf));

	cr_assert(v, "URI '%s' has no %s", s->uri, key);
	return (size_t)strtoull(v, NULL, 0);
}

/* Start scmi-sim with @args (NULL-terminated) plus --shmem and --control;
 * read the URI line and map the file. */
static void server_start(struct server *s, const char *const *args)
{
	static unsigned int n;
	const char *argv[40] = {SCMI_SIM_BIN, "--shmem", NULL, "--control", NULL};
	int argc = 5, fd;
	char shm[256];
	struct stat st;

	memset(s, 0, sizeof(*s));
	snprintf(shm, sizeof(shm), "/tmp/scmi-sim-test-%d-%u.shm", (int)getpid(), n);
	snprintf(s->ctl, sizeof(s->ctl), "/tmp/scmi-sim-test-%d-%u.ctl", (int)getpid(), n++);
	argv[2] = shm;
	argv[4] = s->ctl;
	for (size_t i = 0; args && args[i]; i++)
		argv[argc++] = args[i];
	s->pid = test_sim_spawn(argv, false, s->uri, sizeof(s->uri));

	cr_assert_eq(strncmp(s->uri, "shmem://", 8), 0, "URI '%s'", s->uri);
	snprintf(s->path, sizeof(s->path), "%.*s", (int)strcspn(s->uri + 8, "?"), s->uri + 8);
	cr_assert_str_eq(s->path, shm, "the URI names the file by its absolute path");
	s->a2p = uri_num(s, "a2p");
	s->p2a = uri_num(s, "p2a");
	s->size = uri_num(s, "size");
	{
		char buf[64];

		s->has_db = uri_param(s, "db", buf, sizeof(buf)) != NULL;
		if (s->has_db) {
			s->db = uri_num(s, "db");
			s->db_width = (unsigned int)uri_num(s, "db_width");
		}
	}
	fd = open(s->path, O_RDWR);
	cr_assert_geq(fd, 0, "%s: %s", s->path, strerror(errno));
	cr_assert_eq(fstat(fd, &st), 0);
	/* The areas, not a --fastchannels window far into a sparse file. */
	s->map_len = (size_t)st.st_size < (1u << 20) ? (size_t)st.st_size : 1u << 20;
	cr_assert_geq(s->map_len, s->p2a + s->size);
	s->map = mmap(NULL, s->map_len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	cr_assert_neq(s->map, MAP_FAILED);
	close(fd);
	s->token = 1;
}

/* Exit status of the server (asserts it exits within 10 s). */
static int server_wait(struct server *s)
{
	int status = test_sim_wait(s->pid);

	if (s->map)
		munmap(s->map, s->map_len);
	s->map = NULL;
	return status;
}

static void server_stop(struct server *s)
{
	kill(s->pid, SIGTERM);
	cr_assert_eq(server_wait(s), 0, "exit status after SIGTERM");
}

/* ---- the agent side of an area -------------------------------------------- */

static uint32_t rd(struct server *s, size_t area, size_t off)
{
	return __atomic_load_n((uint32_t *)(void *)(s->map + area + off), __ATOMIC_ACQUIRE);
}

static void wr(struct server *s, size_t area, size_t off, uint32_t v)
{
	__atomic_store_n((uint32_t *)(void *)(s->map + area + off), v, __ATOMIC_RELEASE);
}

struct area_wait {
	struct server *s;
	size_t area;
	uint32_t mask, want;
};

static bool area_is(void *arg)
{
	struct area_wait *w = arg;

	return (rd(w->s, w->area, A_STATUS) & w->mask) == w->want;
}

static bool wait_status(struct server *s, size_t area, uint32_t mask, uint32_t want)
{
	struct area_wait w = {s, area, mask, want};

	return test_wait_until(area_is, &w, 5000);
}

static void ring(struct server *s)
{
	uint8_t *p = s->map + s->db;

	switch (s->db_width) {
	case 8:
		__atomic_store_n(p, (uint8_t)1, __ATOMIC_RELEASE);
		break;
	case 16:
		__atomic_store_n((uint16_t *)(void *)p, (uint16_t)1, __ATOMIC_RELEASE);
		break;
	case 64:
		__atomic_store_n((uint64_t *)(void *)p, (uint64_t)1, __ATOMIC_RELEASE);
		break;
	default:
		__atomic_store_n((uint32_t *)(void *)p, 1u, __ATOMIC_RELEASE);
	}
}

/* Write a command into @area: fields first, channel_status = 0 last (the
 * server, polling, takes a cleared FREE as "a command is there"). */
static uint32_t post(struct server *s, size_t area, uint8_t proto, uint8_t msg,
		     const uint32_t *payload, size_t words, uint32_t length)
{
	uint32_t hdr = HDR(proto, msg, 0, s->token++ & 0x3ff);

	cr_assert(wait_status(s, area, ST_FREE, ST_FREE), "A2P area 0x%zx never free", area);
	wr(s, area, A_FLAGS, 0);
	wr(s, area, A_LENGTH, length ? length : 4 + 4 * (uint32_t)words);
	wr(s, area, A_HEADER, hdr);
	for (size_t i = 0; i < words; i++)
		wr(s, area, A_PAYLOAD + 4 * i, payload[i]);
	wr(s, area, A_STATUS, 0);
	return hdr;
}

/* A command and its response: returns the status word; data into @out. */
static int32_t call(struct server *s, size_t area, uint8_t proto, uint8_t msg,
		    const uint32_t *payload, size_t words, uint32_t *out, size_t out_words)
{
	uint32_t hdr = post(s, area, proto, msg, payload, words, 0), len;

	if (s->has_db)
		ring(s);
	cr_assert(wait_status(s, area, ST_FREE | ST_ERROR, ST_FREE), "no response in 0x%zx", area);
	cr_assert_eq(rd(s, area, A_HEADER), hdr, "the response carries the command's header");
	len = rd(s, area, A_LENGTH);
	cr_assert_geq(len, 8);
	cr_assert_leq(len, s->size - 24);
	for (size_t i = 0; i < out_words && 8 + 4 * i < len; i++)
		out[i] = rd(s, area, A_PAYLOAD + 4 + 4 * i);
	return (int32_t)rd(s, area, A_PAYLOAD);
}

/* One control command; its reply line (static buffer). */
static const char *control(struct server *s, const char *cmd)
{
	return test_control_at(s->ctl, cmd);
}

/* A counter from `stats`. */
static unsigned long stat_of(struct server *s, const char *key)
{
	return (unsigned long)test_field(control(s, "stats"), key);
}

/* Enable test protocol event @evt for @src through @area. */
static void enable_test_event(struct server *s, size_t area, uint32_t evt, uint32_t src)
{
	uint32_t req[3] = {evt, src, 1};

	cr_assert_eq(call(s, area, TESTPROTO, 0x5, req, 3, NULL, 0), 0, "test NOTIFY");
}

/* ---- tests --------------------------------------------------------------- */

TestSuite(sim_server, .timeout = 60);

Test(sim_server, base_protocol_version_round_trip)
{
	struct server s;
	uint32_t data[2] = {0};

	server_start(&s, NULL);
	cr_assert_eq(s.a2p, 0);
	cr_assert_eq(s.p2a, 128);
	cr_assert_eq(s.size, 128);
	cr_assert_eq(rd(&s, s.a2p, A_STATUS), ST_FREE, "A2P starts free");
	cr_assert_eq(rd(&s, s.p2a, A_STATUS), ST_FREE, "P2A starts free");
	cr_assert_eq(call(&s, s.a2p, 0x10, 0x0, NULL, 0, data, 1), 0);
	cr_assert_eq(data[0], 0x20001, "Base 2.1 (newest profile), got 0x%x", data[0]);
	cr_assert_eq(rd(&s, s.a2p, A_LENGTH), 12, "header + status + version");
	/* A second command on the same area, and a multi-word reply. */
	cr_assert_eq(call(&s, s.a2p, 0x10, 0x3, NULL, 0, data, 2), 0, "DISCOVER_VENDOR");
	cr_assert_neq(data[0], 0, "a vendor name");
	cr_assert_eq(stat_of(&s, "a2p_responses"), 2);
	server_stop(&s);
}

Test(sim_server, no_fastchannels_out_of_reach)
{
	struct server s;
	uint32_t req[2] = {0, 0x7 /* PERFORMANCE_LEVEL_SET */};

	server_start(&s, NULL);
	cr_assert_eq(call(&s, s.a2p, 0x13, 0xb, req, 2, NULL, 0), -1,
		     "perf DESCRIBE_FASTCHANNEL: NOT_SUPPORTED");
	req[1] = 0x5; /* POWERCAP_CAP_SET */
	cr_assert_eq(call(&s, s.a2p, 0x18, 0xc, req, 2, NULL, 0), -1,
		     "powercap DESCRIBE_FASTCHANNEL: NOT_SUPPORTED");
	server_stop(&s);
}

struct level_wait {
	struct server *s;
	uint32_t want;
};

static bool perf_level_is(void *arg)
{
	struct level_wait *w = arg;
	uint32_t dom = 0, level = 0;

	cr_assert_eq(call(w->s, w->s->a2p, 0x13, 0x8, &dom, 1, &level, 1), 0, "LEVEL_GET");
	return level == w->want;
}

/* --fastchannels: an advertised address is an offset in the file. */
Test(sim_server, fastchannels_in_the_file)
{
	const char *args[] = {"--fastchannels", NULL};
	struct server s;
	uint32_t req[2] = {0, 0x7 /* PERFORMANCE_LEVEL_SET */}, fc[11] = {0}, lv[7] = {0};
	uint32_t dom = 0, cur = 0;
	uint64_t addr, db;
	size_t page = (size_t)sysconf(_SC_PAGESIZE), off;
	struct level_wait w = {&s, 0};
	uint8_t *win;
	int fd;

	server_start(&s, args);
	cr_assert_eq(call(&s, s.a2p, 0x13, 0xb, req, 2, fc, 11), 0, "DESCRIBE_FASTCHANNEL");
	addr = fc[2] | (uint64_t)fc[3] << 32;
	cr_assert_eq(fc[4], 4, "a 4-byte level channel");
	cr_assert_geq(addr, 0x50000000u, "in the platform's window");
	/* Two levels of domain 0 (entries of 5 words at Perf 4.0), and the
	 * current one: set the other. */
	cr_assert_eq(call(&s, s.a2p, 0x13, 0x4, (uint32_t[]){0, 0}, 2, lv, 7), 0);
	cr_assert_geq(lv[0] & 0xfff, 2);
	cr_assert_eq(call(&s, s.a2p, 0x13, 0x8, &dom, 1, &cur, 1), 0);
	w.want = cur == lv[1] ? lv[6] : lv[1];

	fd = open(s.path, O_RDWR);
	cr_assert_geq(fd, 0);
	off = (size_t)addr & ~(page - 1);
	win = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)off);
	cr_assert_neq(win, MAP_FAILED);
	close(fd);
	__atomic_store_n((uint32_t *)(void *)(win + (addr - off)), w.want, __ATOMIC_RELEASE);
	if (fc[0] & 1) {
		/* Ring it as the spec says, at its width (b[2:1]). */
		unsigned int width = 8u << ((fc[0] >> 1) & 3);
		uint64_t set = fc[7] | (uint64_t)fc[8] << 32, keep = fc[9] | (uint64_t)fc[10] << 32;
		uint8_t *p;

		db = fc[5] | (uint64_t)fc[6] << 32;
		cr_assert_geq(db, off);
		cr_assert_lt(db + width / 8, off + 2 * page);
		p = win + (db - off);
		switch (width) {
		case 8:
			__atomic_store_n(p, (uint8_t)((keep ? *p & keep : 0) | set),
					 __ATOMIC_RELEASE);
			break;
		case 16:
			__atomic_store_n(
				(uint16_t *)(void *)p,
				(uint16_t)((keep ? *(uint16_t *)(void *)p & keep : 0) | set),
				__ATOMIC_RELEASE);
			break;
		case 32:
			__atomic_store_n(
				(uint32_t *)(void *)p,
				(uint32_t)((keep ? *(uint32_t *)(void *)p & keep : 0) | set),
				__ATOMIC_RELEASE);
			break;
		default:
			__atomic_store_n((uint64_t *)(void *)p,
					 (keep ? *(uint64_t *)(void *)p & keep : 0) | set,
					 __ATOMIC_RELEASE);
		}
	}
	cr_assert(test_wait_until(perf_level_is, &w, 5000),
		  "the platform took level %u from the fastchannel", w.want);
	munmap(win, 2 * page);
	server_stop(&s);
}

/* The library side of --fastchannels, in process. */
Test(sim_server, shared_mem_config)
{
	struct scmi_sim_config cfg = {0};
	struct scmi_sim *sim = NULL;
	uint64_t phys;
	size_t size;
	uint8_t *buf;

	scmi_sim_memory_window(&phys, &size);
	cr_assert_eq(phys, 0x50000000u);
	cr_assert_geq(size, 4096);
	buf = aligned_alloc(64, size + 64);
	cr_assert(buf);
	memset(buf, 0xa5, size + 64);
	cfg.shared_mem = buf;
	cfg.shared_mem_size = size - 1;
	cr_assert_eq(scmi_sim_new(&cfg, &sim), -EINVAL, "too small");
	cfg.shared_mem = buf + 4;
	cfg.shared_mem_size = size;
	cr_assert_eq(scmi_sim_new(&cfg, &sim), -EINVAL, "misaligned");
	cfg.shared_mem = buf;
	cr_assert_eq(scmi_sim_new(&cfg, &sim), 0);
	cr_assert_eq(scmi_sim_memory_map(sim, phys, 4), buf, "the window is the caller's memory");
	cr_assert_eq(buf[size - 1], 0, "zeroed");
	cr_assert_eq(buf[size], 0xa5, "nothing past it touched");
	scmi_sim_free(sim);
	cr_assert_eq(buf[size], 0xa5);
	free(buf); /* the simulator did not */
}

Test(sim_server, profile_and_versions_options)
{
	const char *args[] = {"--profile", "scmi-2.0", "--versions", "clock:1.0", NULL};
	struct server s;
	uint32_t v = 0;

	server_start(&s, args);
	cr_assert_eq(call(&s, s.a2p, 0x10, 0x0, NULL, 0, &v, 1), 0);
	cr_assert_eq(v, 0x20000);
	cr_assert_eq(call(&s, s.a2p, 0x17, 0x0, NULL, 0, &v, 1), -1,
		     "no voltage protocol in scmi-2.0: NOT_SUPPORTED");
	server_stop(&s);
}

Test(sim_server, bad_length_sets_error)
{
	struct server s;
	uint32_t v = 0;

	server_start(&s, NULL);
	post(&s, s.a2p, 0x10, 0x0, NULL, 0, 3);
	cr_assert(wait_status(&s, s.a2p, ST_FREE | ST_ERROR, ST_FREE | ST_ERROR),
		  "length 3: ERROR (and FREE: the area is the agent's again)");
	post(&s, s.a2p, 0x10, 0x0, NULL, 0, (uint32_t)s.size - 23);
	cr_assert(wait_status(&s, s.a2p, ST_FREE | ST_ERROR, ST_FREE | ST_ERROR),
		  "length size-23: ERROR");
	cr_assert_eq(stat_of(&s, "bad_length"), 2);
	/* The largest length is taken (a PROTOCOL_ERROR from the model). */
	post(&s, s.a2p, 0x10, 0x0, NULL, 0, (uint32_t)s.size - 24);
	cr_assert(wait_status(&s, s.a2p, ST_FREE | ST_ERROR, ST_FREE));
	cr_assert_eq((int32_t)rd(&s, s.a2p, A_PAYLOAD), -10, "PROTOCOL_ERROR, got %d",
		     (int32_t)rd(&s, s.a2p, A_PAYLOAD));
	/* Writing channel_status = 0 cleared ERROR: the channel works. */
	cr_assert_eq(call(&s, s.a2p, 0x10, 0x0, NULL, 0, &v, 1), 0);
	cr_assert_eq(v, 0x20001);
	server_stop(&s);
}

Test(sim_server, notification_through_the_control_socket)
{
	const char *args[] = {"--test-protocols", "0x80:4", NULL};
	struct server s;

	server_start(&s, args);
	cr_assert_str_eq(control(&s, "notify 0x80 1 2"), "ok sent=0", "not enabled yet");
	cr_assert_str_eq(control(&s, "notify-enabled 0x80 1 2"), "ok 0");
	enable_test_event(&s, s.a2p, 1, 2);
	cr_assert_str_eq(control(&s, "notify-enabled 0x80 1 2"), "ok 1");
	cr_assert_str_eq(control(&s, "notify-enabled 0x80 1 3"), "ok 0", "another source");
	cr_assert_eq(strncmp(control(&s, "notify-enabled 0x80 1"), "error usage", 11), 0);
	cr_assert_str_eq(control(&s, "notify 0x80 1 2"), "ok sent=1");
	cr_assert(wait_status(&s, s.p2a, ST_FREE, 0), "a notification in P2A");
	cr_assert_eq(rd(&s, s.p2a, A_HEADER) & 0x3ffff, HDR(TESTPROTO, 1, 3, 0),
		     "type 3, protocol 0x80, event 1: 0x%x", rd(&s, s.p2a, A_HEADER));
	cr_assert_eq(rd(&s, s.p2a, A_LENGTH), 16, "header + {src, seq, evt}");
	cr_assert_eq(rd(&s, s.p2a, A_PAYLOAD), 2, "source");
	cr_assert_eq(rd(&s, s.p2a, A_PAYLOAD + 8), 1, "event");
	cr_assert_eq(rd(&s, s.p2a, A_FLAGS), 0, "no ack interrupt wanted");
	wr(&s, s.p2a, A_STATUS, ST_FREE); /* acknowledge */
	cr_assert_eq(stat_of(&s, "p2a_sent"), 1);
	server_stop(&s);
}

Test(sim_server, p2a_not_overwritten_until_acknowledged)
{
	const char *args[] = {"--test-protocols", "0x80:1", "--queue", "2", NULL};
	struct server s;
	uint32_t seq1;

	server_start(&s, args);
	enable_test_event(&s, s.a2p, 0, 0);
	cr_assert_str_eq(control(&s, "notify 0x80 0 0 4"), "ok sent=4");
	cr_assert(wait_status(&s, s.p2a, ST_FREE, 0));
	seq1 = rd(&s, s.p2a, A_PAYLOAD + 4);
	/* One in the area, two queued, one dropped (queue of 2). */
	cr_assert_eq(stat_of(&s, "p2a_queued"), 2);
	cr_assert_eq(stat_of(&s, "p2a_dropped"), 1);
	cr_assert_eq(rd(&s, s.p2a, A_PAYLOAD + 4), seq1, "not overwritten before the ack");
	cr_assert_eq(rd(&s, s.p2a, A_STATUS), 0);
	for (uint32_t i = 1; i <= 2; i++) {
		wr(&s, s.p2a, A_STATUS, ST_FREE);
		cr_assert(wait_status(&s, s.p2a, ST_FREE, 0), "next one after the ack");
		cr_assert_eq(rd(&s, s.p2a, A_PAYLOAD + 4), seq1 + i, "in order");
	}
	wr(&s, s.p2a, A_STATUS, ST_FREE);
	cr_assert_eq(stat_of(&s, "p2a_queued"), 0);
	cr_assert_eq(stat_of(&s, "p2a_sent"), 3);
	cr_assert_eq(rd(&s, s.p2a, A_STATUS), ST_FREE, "nothing more");
	server_stop(&s);
}

Test(sim_server, per_protocol_channels)
{
	const char *args[] = {"--test-protocols", "0x80:1", "--per-protocol", "perf,0x80", NULL};
	struct server s;
	size_t perf_a2p, t_a2p, t_p2a;
	uint32_t v = 0, req[2] = {0 /* delay_us */, 0xabcd1234};

	server_start(&s, args);
	perf_a2p = uri_num(&s, "a2p.0x13");
	t_a2p = uri_num(&s, "a2p.0x80");
	t_p2a = uri_num(&s, "p2a.0x80");
	cr_assert_eq(perf_a2p, 0x100);
	cr_assert_eq(uri_num(&s, "p2a.0x13"), 0x180);
	cr_assert_eq(t_a2p, 0x200);
	cr_assert_eq(t_p2a, 0x280);
	cr_assert_eq(call(&s, perf_a2p, 0x13, 0x0, NULL, 0, &v, 1), 0);
	cr_assert_eq(v, 0x40000, "perf 4.0 answered through its own area");
	cr_assert_eq(rd(&s, s.a2p, A_STATUS), ST_FREE, "the common area untouched");

	/* Notifications and delayed responses of 0x80 go to its P2A area. */
	enable_test_event(&s, t_a2p, 0, 0);
	cr_assert_str_eq(control(&s, "notify 0x80 0 0"), "ok sent=1");
	cr_assert(wait_status(&s, t_p2a, ST_FREE, 0));
	cr_assert_eq((rd(&s, t_p2a, A_HEADER) >> 8) & 3, 3, "a notification");
	wr(&s, t_p2a, A_STATUS, ST_FREE);
	req[0] = 1000; /* ASYNC_ECHO: delayed response after 1 ms */
	cr_assert_eq(call(&s, t_a2p, TESTPROTO, 0x4, req, 2, NULL, 0), 0);
	cr_assert(wait_status(&s, t_p2a, ST_FREE, 0), "the delayed response");
	cr_assert_eq((rd(&s, t_p2a, A_HEADER) >> 8) & 3, 2, "type 2");
	cr_assert_eq(rd(&s, t_p2a, A_HEADER) & ~0x300u, rd(&s, t_a2p, A_HEADER) & ~0x300u,
		     "same protocol, message and token as the command");
	cr_assert_eq(rd(&s, t_p2a, A_LENGTH), 12, "header + status + echoed word");
	cr_assert_eq(rd(&s, t_p2a, A_PAYLOAD), 0);
	cr_assert_eq(rd(&s, t_p2a, A_PAYLOAD + 4), 0xabcd1234);
	wr(&s, t_p2a, A_STATUS, ST_FREE);
	cr_assert_eq(rd(&s, s.p2a, A_STATUS), ST_FREE, "nothing in the common P2A area");
	server_stop(&s);
}

Test(sim_server, doorbell_mode)
{
	const char *args[] = {"--doorbell=16", NULL};
	struct server s;
	uint32_t v = 0;

	server_start(&s, args);
	cr_assert(s.has_db);
	cr_assert_eq(s.db_width, 16);
	cr_assert_eq(s.db % 8, 0);
	cr_assert_eq(s.db, 0x100, "right after the areas");
	/* Without the doorbell the command is not looked at: two control
	 * round trips are two more turns of the server's loop. */
	post(&s, s.a2p, 0x10, 0x0, NULL, 0, 0);
	control(&s, "ping");
	cr_assert_str_eq(control(&s, "ping"), "ok pong");
	cr_assert_eq(rd(&s, s.a2p, A_STATUS), 0, "not taken before the doorbell");
	ring(&s);
	cr_assert(wait_status(&s, s.a2p, ST_FREE, ST_FREE));
	cr_assert_eq(*(volatile uint16_t *)(void *)(s.map + s.db), 0, "the server cleared it");
	cr_assert_eq(stat_of(&s, "doorbells"), 1);
	cr_assert_eq(call(&s, s.a2p, 0x10, 0x0, NULL, 0, &v, 1), 0, "call() rings");
	cr_assert_eq(v, 0x20001);
	server_stop(&s);
}

Test(sim_server, fault_knobs_from_the_command_line_and_control)
{
	const char *args[] = {"--status=base:protocol_version:DENIED", NULL};
	struct server s;
	uint32_t v = 0;

	server_start(&s, args);
	cr_assert_eq(call(&s, s.a2p, 0x10, 0x0, NULL, 0, &v, 1), -3, "DENIED by the knob");
	cr_assert_str_eq(control(&s, "fault clear"), "ok");
	cr_assert_eq(call(&s, s.a2p, 0x10, 0x0, NULL, 0, &v, 1), 0);
	cr_assert_str_eq(control(&s, "fault dup"), "ok");
	cr_assert_eq(call(&s, s.a2p, 0x10, 0x0, NULL, 0, &v, 1), 0);
	cr_assert_eq(stat_of(&s, "a2p_dropped"), 1, "the duplicate has nowhere to go");
	cr_assert_eq(strncmp(control(&s, "fault nonsense=1"), "error", 5), 0);

	/* fault-add: a STATUS knob (kind 9) on base PROTOCOL_VERSION only,
	 * once; fault-hits counts it. */
	cr_assert_str_eq(control(&s, "fault clear"), "ok");
	cr_assert_str_eq(control(&s, "fault-hits 9"), "ok 1", "the --status knob fired once");
	cr_assert_str_eq(control(&s, "fault-add 9 1 1 0x10 0 -3"), "ok");
	cr_assert_eq(call(&s, s.a2p, 0x10, 0x0, NULL, 0, &v, 1), -3, "DENIED once");
	cr_assert_eq(call(&s, s.a2p, 0x10, 0x0, NULL, 0, &v, 1), 0, "count 1: then disarmed");
	cr_assert_str_eq(control(&s, "fault-hits 9"), "ok 2");
	cr_assert_eq(strncmp(control(&s, "fault-add 9 1 1 0x100 0 -3"), "error bad", 9), 0,
		     "protocol beyond 255");
	cr_assert_eq(strncmp(control(&s, "fault-add 99 1 1 -1 -1 0"), "error", 5), 0,
		     "unknown kind");
	cr_assert_eq(strncmp(control(&s, "fault-add 9 1"), "error usage", 11), 0);
	/* Kinds by name too (status is kind 9). */
	cr_assert_str_eq(control(&s, "fault-hits status"), "ok 2");
	cr_assert_str_eq(control(&s, "fault-add drop 1 1 0x10 0 0"), "ok");
	cr_assert_str_eq(control(&s, "fault-hits drop"), "ok 0");
	cr_assert_eq(strncmp(control(&s, "fault-hits nosuchknob"), "error bad kind", 14), 0);
	server_stop(&s);
}

Test(sim_server, late_and_dropped_responses)
{
	const char *args[] = {"--delay_us=3000", "--drop=2", NULL};
	struct server s;
	uint32_t hdr, v = 0;

	server_start(&s, args);
	/* delay_us: the area stays the platform's until the response is due. */
	cr_assert_eq(call(&s, s.a2p, 0x10, 0x0, NULL, 0, &v, 1), 0, "first: late, answered");
	cr_assert_eq(v, 0x20001);
	/* drop=2: the second response never comes; the area stays busy... */
	hdr = post(&s, s.a2p, 0x10, 0x0, NULL, 0, 0);
	cr_assert_eq(stat_of(&s, "a2p_requests"), 2);
	cr_assert_eq(rd(&s, s.a2p, A_STATUS), 0);
	cr_assert_eq(rd(&s, s.a2p, A_HEADER), hdr);
	/* ...until the agent gives up and reuses it with a new token. */
	hdr = HDR(0x10, 0x0, 0, s.token++);
	wr(&s, s.a2p, A_HEADER, hdr);
	cr_assert(wait_status(&s, s.a2p, ST_FREE | ST_ERROR, ST_FREE), "the new command answered");
	cr_assert_eq(rd(&s, s.a2p, A_HEADER), hdr);
	cr_assert_eq(rd(&s, s.a2p, A_PAYLOAD + 4), 0x20001);
	cr_assert_eq(stat_of(&s, "a2p_requests"), 3);
	server_stop(&s);
}

Test(sim_server, platform_changes_through_the_control_socket)
{
	struct server s;

	server_start(&s, NULL);
	cr_assert_str_eq(control(&s, "sensor 0 42000"), "ok sent=0", "nothing enabled");
	cr_assert_str_eq(control(&s, "step"), "ok");
	cr_assert_str_eq(control(&s, "activity 0"), "ok");
	cr_assert_eq(strncmp(control(&s, "sensor 9999 1"), "error", 5), 0);
	cr_assert_eq(strncmp(control(&s, "notify"), "error usage", 11), 0);
	cr_assert_eq(strncmp(control(&s, "frobnicate"), "error unknown command", 21), 0);
	server_stop(&s);
}

/* perf-state and clock-state report what perf-level and clock-rate set. */
Test(sim_server, state_through_the_control_socket)
{
	unsigned int level, max, min;
	unsigned long long rate;
	int enabled;
	struct server s;
	char cmd[128];

	server_start(&s, NULL);
	cr_assert_eq(sscanf(control(&s, "perf-state 0"), "ok level=%u max=%u min=%u", &level, &max,
			    &min),
		     3);
	cr_assert_leq(min, max);
	snprintf(cmd, sizeof(cmd), "perf-level 0 %u", min);
	cr_assert_str_eq(control(&s, cmd), "ok");
	snprintf(cmd, sizeof(cmd), "ok level=%u max=%u min=%u", min, max, min);
	cr_assert_str_eq(control(&s, "perf-state 0"), cmd);
	cr_assert_eq(strncmp(control(&s, "perf-state 9999"), "error", 5), 0);
	cr_assert_eq(strncmp(control(&s, "perf-state"), "error usage", 11), 0);

	cr_assert_eq(
		sscanf(control(&s, "clock-state 0"), "ok rate=%llu enabled=%d", &rate, &enabled),
		2);
	cr_assert_gt(rate, 0);
	cr_assert_eq(strncmp(control(&s, "clock-state 9999"), "error", 5), 0);

	/* reset 0 by agent 2: counted, and the last agent. */
	cr_assert_eq(strncmp(control(&s, "reset 0 2"), "ok sent=", 8), 0);
	cr_assert_not_null(strstr(control(&s, "reset-state 0"), " resets=1 "), "%s",
			   control(&s, "reset-state 0"));
	cr_assert_not_null(strstr(control(&s, "reset-state 0"), " last_agent=2"));
	cr_assert_eq(strncmp(control(&s, "reset-state 9999"), "error", 5), 0);
	cr_assert_str_eq(control(&s, "perf-stats"),
			 "ok fc_level_sets=0 fc_limits_sets=0 fc_rejected=0 doorbell_rings=0 "
			 "doorbell_clobbered=0",
			 "no fastchannel without --fastchannels");
	cr_assert_eq(strncmp(control(&s, "power-state 0"), "ok state=", 9), 0);
	cr_assert_eq(strncmp(control(&s, "power-state 9999"), "error", 5), 0);
	cr_assert_eq(strncmp(control(&s, "voltage-state 0"), "ok config=", 10), 0);
	cr_assert_eq(strncmp(control(&s, "voltage-state 9999"), "error", 5), 0);
	/* A new measurement shows in powercap-state. */
	cr_assert_eq(strncmp(control(&s, "powercap-power 0 1234"), "ok sent=", 8), 0);
	cr_assert_not_null(strstr(control(&s, "powercap-state 0"), " power=1234 "), "%s",
			   control(&s, "powercap-state 0"));
	cr_assert_eq(strncmp(control(&s, "powercap-state 9999"), "error", 5), 0);
	server_stop(&s);
}

Test(sim_server, sigterm_exits_0_and_removes_the_file)
{
	struct server s;
	char path[512], ctl[128];

	server_start(&s, NULL);
	snprintf(path, sizeof(path), "%s", s.path);
	snprintf(ctl, sizeof(ctl), "%s", s.ctl);
	cr_assert_eq(access(ctl, F_OK), 0);
	server_stop(&s);
	cr_assert_neq(access(path, F_OK), 0, "the file is gone");
	cr_assert_neq(access(ctl, F_OK), 0, "the socket is gone");
}

Test(sim_server, quit_and_keep)
{
	const char *args[] = {"--keep", NULL};
	struct server s;

	server_start(&s, args);
	cr_assert_str_eq(control(&s, "quit"), "ok");
	cr_assert_eq(server_wait(&s), 0);
	cr_assert_eq(access(s.path, F_OK), 0, "--keep: the file stays");
	cr_assert_neq(access(s.ctl, F_OK), 0, "the socket is gone");
	unlink(s.path);
}

Test(sim_server, ping_pong_is_fast)
{
	struct server s;
	uint64_t t0;
	unsigned int i;

	server_start(&s, NULL);
	t0 = test_now_ms();
	for (i = 0; i < 200; i++) {
		uint32_t hdr = post(&s, s.a2p, 0x10, 0x0, NULL, 0, 0);

		/* A tight wait, as a polling agent does. */
		while (!(rd(&s, s.a2p, A_STATUS) & ST_FREE))
			sched_yield();
		cr_assert_eq(rd(&s, s.a2p, A_HEADER), hdr);
	}
	/* The server keeps looking right after work: no sleep per message. */
	cr_assert_lt(test_now_ms() - t0, 2000, "200 round trips took %llu ms",
		     (unsigned long long)(test_now_ms() - t0));
	server_stop(&s);
}

/* ---- the command line ----------------------------------------------------- */

struct run {
	int status;
	char out[32768];
	char err[4096];
};

static void run_sim(const char *const *args, struct run *r)
{
	const char *argv[16] = {SCMI_SIM_BIN};
	int argc = 1;

	for (size_t i = 0; args[i]; i++)
		argv[argc++] = args[i];
	r->status = test_sim_run(argv, r->out, sizeof(r->out), r->err, sizeof(r->err));
}

Test(sim_server, help_exits_0)
{
	static struct run r;
	const char *args[] = {"--help", NULL};
	const char *sections[] = {"NAME",    "SYNOPSIS",	 "DESCRIPTION",
				  "OPTIONS", "CONTROL PROTOCOL", "EXIT STATUS",
				  "EXAMPLES"};

	run_sim(args, &r);
	cr_assert_eq(r.status, 0);
	for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
		cr_assert(strstr(r.out, sections[i]), "--help has %s", sections[i]);
}

Test(sim_server, bad_options_exit_2)
{
	static struct run r;
	static const struct {
		const char *args[6];
		const char *msg;
	} cases[] = {
		{{"--bogus", NULL}, "unknown option '--bogus'"},
		{{NULL}, "--shmem PATH is needed"},
		{{"--shmem", "/tmp/scmi-sim-test-never.shm", "--size", "99", NULL}, "--size"},
		{{"--shmem", "/tmp/scmi-sim-test-never.shm", "--size", "130", NULL},
		 "multiple of 4"},
		{{"--shmem", "/tmp/scmi-sim-test-never.shm", "--doorbell=12", NULL}, "width"},
		{{"--shmem", "/tmp/scmi-sim-test-never.shm", "--per-protocol", "0x05", NULL},
		 "--per-protocol"},
		{{"--shmem", "/tmp/scmi-sim-test-never.shm", "--drop=x", NULL}, "drop=x"},
		{{"--shmem", "/tmp/scmi-sim-test-never.shm", "--profile", "nope", NULL},
		 "profile nope"},
		{{"--shmem", "/tmp/scmi-sim-test-never.shm", "--versions", "perf", NULL},
		 "versions"},
		{{"--shmem", "/tmp/scmi-sim-test-never.shm", "stray", NULL}, "unexpected argument"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		run_sim(cases[i].args, &r);
		cr_assert_eq(r.status, 2, "case %zu: status %d (%s)", i, r.status, r.err);
		cr_assert(strstr(r.err, cases[i].msg), "case %zu: '%s' in '%s'", i, cases[i].msg,
			  r.err);
		cr_assert(strstr(r.err, "--help"), "case %zu: points at --help", i);
		cr_assert_eq(r.out[0], '\0', "case %zu: no URI printed", i);
	}
	cr_assert_neq(access("/tmp/scmi-sim-test-never.shm", F_OK), 0,
		      "no file created on a usage error");
}
