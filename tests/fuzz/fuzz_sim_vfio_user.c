// SPDX-License-Identifier: BSD-3-Clause
/*
 * libFuzzer harness for the server side of scmi-sim --vfio-user
 * (sim/server/vfio_user.c): the input is what a hostile client does -- the
 * vfio-user messages it sends (with fds), the guest memory it maps with
 * DMA_MAP and writes while the server walks its virtqueues, its doorbells.
 * The server must never crash, hang, leak or keep anything of a session
 * into the next.
 *
 * Nothing is built per input.  vfio_user.c is compiled into the harness
 * with a core of the harness's own in place of sim/server/core.c (the
 * services server.h lists: srv_request(), srv_log(), and the two path
 * helpers of shmem.c), so that everything runs on the fuzzing thread in
 * one deterministic order: the mode's poll() is called until it has
 * nothing left to do after each step of the input.  One server per
 * configuration (--no-p2a, --no-msix) listens in a temporary directory for
 * the whole run, and one simulator, in virtual time, serves them all:
 * sim_reset() (sim_reset.h) brings it back after each input.  Each input is
 * a session: the harness connects, plays the input, shuts its side down,
 * and the server must notice the end of file, unmap the windows, close the
 * eventfds and reset the device.  The harness reads (and checks) the
 * server's replies between two of its poll()s.
 *
 * The guest memory is a memfd of GUEST_SIZE bytes the harness keeps mapped
 * (zeroed before each input) and passes with DMA_MAP at GUEST_IOVA; the
 * harness's driver lays out the rings in it (layout below), and the input
 * writes into it at any time.
 *
 * Input: an options byte, then steps [op][len][len bytes] (bytes missing at
 * the end read as 0):
 *   options: bit 0 VERSION (with JSON capabilities) first; bit 1 DMA_MAP
 *   of the guest memory (read-write); bit 2 interrupts (eventfds for
 *   MSI-X, or INTx with --no-msix; MSI-X enabled in config space); bit 3
 *   virtio bring-up (features, both queues at the layout below, vectors,
 *   DRIVER_OK); bit 4 the server of --no-p2a; bit 5 of --no-msix; bits 6-7
 *   the queue size (4, 16, 64, 256).
 *   op % 12:
 *     0 RAW        the bytes as they are, on the socket
 *     1 MSG        [cmd][flags][body]: one message, header by the harness
 *     2 MSG_FDS    [fds][cmd][flags][body]: the same with fds % 4 fds
 *                  (3: 11, more than the server takes) of kind
 *                  fds >> 2 & 3: the guest memfd, a one-page memfd, an
 *                  eventfd, the guest memfd opened read-only
 *     3 MEM        [off 24 bits][bytes]: write into the guest memory
 *     4 WRITE      [region][off 16][bytes]: REGION_WRITE
 *     5 READ       [region][off 16][count 16]: REGION_READ
 *     6 DOORBELL   [queue]: the queue's notify register (REGION_WRITE)
 *     7 CMD        [bytes]: an SCMI command into the cmdq (request buffer,
 *                  response buffer of 256 bytes, avail entry), doorbell
 *     8 EVBUF      [n][len]: n eventq buffers of len bytes, doorbell
 *     9 TICK       [t]: the simulator's virtual clock (t + 1) * 100 us on
 *     10 STEP      [step]: a step of the simulator's activity (events)
 *     11 RECONNECT: shut the session down, wait for the server to notice,
 *                  connect again (no prologue)
 * At the end the clock moves 10 s on (every delayed output goes out), then
 * the session ends.
 *
 * Checks, besides the sanitizers: the server answers with whole reply
 * messages (type REPLY, sizes within the protocol's limit, an error code
 * with every ERROR); a step never keeps poll() busy for ever; after the
 * session the server is disconnected with no window mapped and no P2A
 * message held.  FUZZ_SIM_VFIO_USER_CHECK_FRESH=1 also replays each input
 * on a server and a simulator made for it, and compares what the server
 * sent, the guest memory and the interrupts: reusing them must not change
 * a thing; it then also counts the open fds and the guest memfd's
 * mappings (the harness's own only), which are otherwise counted every
 * 64 inputs.  FUZZ_SIM_VFIO_USER_DEBUG=1 prints the server's log.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define FUZZ_NAME "fuzz_sim_vfio_user"
#include "areas.h"
#include "fuzz_check.h"
#include "server.h"
#include "sim_reset.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* vfio-user */
#define VU_HDR		 16u
#define VU_MAX_MSG	 ((1u << 20) + 64u)
#define CMD_VERSION	 1u
#define CMD_DMA_MAP	 2u
#define CMD_SET_IRQS	 8u
#define CMD_REGION_WRITE 10u
#define CMD_REGION_READ	 9u
#define VU_NO_REPLY	 0x10u

/* The device as vfio_user.c presents it (its header comment). */
#define REGION_BAR0   0u
#define REGION_CFG    7u
#define COMMON	      0x0000u
#define NOTIFY	      0x3000u
#define NOTIFY_MUL    4u
#define MSIX_CTRL     0x42u
#define NVEC	      3u
#define S_ACK	      1u
#define S_DRIVER      2u
#define S_DRIVER_OK   4u
#define S_FEATURES_OK 8u

/* The guest memory and where the harness's driver puts things in it. */
#define GUEST_IOVA 0x100000ull
#define GUEST_SIZE 0x20000u
#define CMD_DESC   0x0000u
#define CMD_AVAIL  0x1000u
#define CMD_USED   0x1400u
#define EV_DESC	   0x2000u
#define EV_AVAIL   0x3000u
#define EV_USED	   0x3400u
#define CMD_BUFS   0x8000u  /* slot s: request at +0x200 s, response at +0x100 */
#define EV_BUFS	   0x18000u /* buffer k (mod 64) at +0x100 k */

#define OPT_VERSION   0x01u
#define OPT_MAP	      0x02u
#define OPT_IRQS      0x04u
#define OPT_VIRTIO    0x08u
#define OPT_NO_P2A    0x10u
#define OPT_NO_MSIX   0x20u
#define OPT_SERVER(o) (((o) >> 4) & 3u)
#define OPT_QSIZE(o)  (4u << (2 * (((o) >> 6) & 3u)))

#define MAX_FDS	 11	/* per message, at most */
#define PUMP_MAX 100000 /* poll() calls with work, in one step: a hang */

/* ---- the core's services to the mode (server.h) -------------------------- */

struct srv {
	void *mode;
	char path[108];
	int listen_fd;
	struct srv_ctx cur; /* the request being processed */
};

/* Delayed outputs: the simulator (virtual time) holds them and emits them
 * later without their request's context; the real core keeps it (it holds
 * them itself).  So each request that left outputs held is noted with the
 * header its delayed response will carry, and a delayed response takes the
 * context of the oldest request noted with its header. */
#define HELD_MAX 64
static struct {
	uint32_t hdr;
	struct srv_ctx ctx;
} held[HELD_MAX];
static unsigned int n_held;

static struct sim_reset *simr;
static struct scmi_sim *sim;
static struct srv *cur_srv;
static bool debug;
static bool check_fresh; /* FUZZ_SIM_VFIO_USER_CHECK_FRESH */
static size_t log_bytes;

void srv_log(struct srv *srv, enum srv_log_level level, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	(void)srv;
	/* Every line is formatted (with the hostile values), then dropped. */
	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	log_bytes += n > 0 ? (size_t)n : 0;
	if (debug)
		fprintf(stderr, "scmi-sim[%d]: %s\n", (int)level, buf);
}

void srv_request(struct srv *srv, struct srv_ctx ctx, const void *msg, size_t len)
{
	int before = scmi_sim_time_pending(sim, NULL), after;

	srv->cur = ctx;
	scmi_sim_process(sim, msg, len);
	srv->cur = (struct srv_ctx){-1, 0};
	after = scmi_sim_time_pending(sim, NULL);
	if (after > before && len >= 4 && n_held < HELD_MAX) {
		uint32_t h;

		memcpy(&h, msg, 4);
		held[n_held].hdr = (h & ~(3u << 8)) | 2u << 8;
		held[n_held++].ctx = ctx;
	}
}

char *srv_abs_path(const char *path)
{
	return strdup(path); /* always absolute here */
}

bool srv_uri_safe(const char *opt, const char *path)
{
	(void)opt;
	(void)path;
	return true;
}

static uint32_t ld32(const uint8_t *p);

/* The simulator's output, as core.c's srv_emit() hands it to the mode. */
static void emit(void *priv, enum scmi_sim_chan chan, const void *msg, size_t len,
		 uint64_t delay_us)
{
	struct srv_ctx ctx = cur_srv ? cur_srv->cur : (struct srv_ctx){-1, 0};

	(void)priv;
	(void)delay_us; /* virtual time: held outputs come back with 0 */
	if (!cur_srv)
		return;
	if (ctx.chan < 0 && len >= 4) {
		uint32_t h;

		memcpy(&h, msg, 4);
		for (unsigned int i = 0; i < n_held; i++) {
			if (held[i].hdr != h)
				continue;
			ctx = held[i].ctx;
			memmove(&held[i], &held[i + 1], (n_held - i - 1) * sizeof(held[0]));
			n_held--;
			break;
		}
	}
	if (debug && len >= 8)
		fprintf(stderr, "%s: simulator -> chan %d ctx %d: 0x%08x 0x%08x (%zu bytes)\n",
			FUZZ_NAME, (int)chan, ctx.chan, ld32(msg), ld32((const uint8_t *)msg + 4),
			len);
	srv_mode_vfio_user.output(cur_srv->mode, ctx, chan, msg, len);
}

/* ---- servers ---------------------------------------------------------------- */

static char dir[64];
static struct srv *servers[4];
static struct srv *fresh_srv; /* FUZZ_SIM_VFIO_USER_CHECK_FRESH: this input's own */

static struct srv *server_new(unsigned int cfg, const char *name)
{
	struct srv *s = calloc(1, sizeof(*s));
	struct srv_opts o;
	struct pollfd p;
	int ret;

	FUZZ_CHECK(s, "out of memory");
	srv_opts_default(&o);
	snprintf(s->path, sizeof(s->path), "%s/%s", dir, name);
	o.vfu_path = s->path;
	o.vfu_no_p2a = cfg & 1;
	o.vfu_no_msix = cfg & 2;
	s->cur = (struct srv_ctx){-1, 0};
	ret = srv_mode_vfio_user.open(s, &o, &s->mode);
	FUZZ_CHECK(!ret, "open: %d", ret);
	FUZZ_CHECK(srv_mode_vfio_user.fds(s->mode, &p, 1) == 1, "no listening socket");
	s->listen_fd = p.fd;
	return s;
}

static void server_free(struct srv *s)
{
	if (!s)
		return;
	srv_mode_vfio_user.close(s->mode, false);
	free(s);
}

/* scmi-sim's defaults, as core.c (not linked here) sets them; the options
 * byte picks the two of the mode. */
void srv_opts_default(struct srv_opts *o)
{
	*o = (struct srv_opts){.size = 128, .db_width = 32, .db_set = 1, .queue = 64};
}

/* Whether the server has no client (it watches its listening socket). */
static bool server_idle(struct srv *s)
{
	struct pollfd p;

	return srv_mode_vfio_user.fds(s->mode, &p, 1) == 1 && p.fd == s->listen_fd;
}

static uint64_t stat_of(struct srv *s, const char *key)
{
	char buf[1024], k[64];
	const char *p;

	srv_mode_vfio_user.stats(s->mode, buf, sizeof(buf));
	snprintf(k, sizeof(k), "%s=", key);
	p = strstr(buf, k);
	FUZZ_CHECK(p, "stats '%s' without %s", buf, key);
	return strtoull(p + strlen(k), NULL, 0);
}

/* ---- the client's side ----------------------------------------------------- */

static int guest_fd = -1;
static uint8_t *guest;
static int evfd[NVEC + 1]; /* MSI-X vectors, then INTx */

/* What the server sent, as a reader thread sees it. */
struct rx {
	int fd;
	uint64_t hash, bytes, replies;
	uint8_t hdr[VU_HDR];
	size_t hdr_got;
	uint64_t body_left;
	bool eof;
};

static void hash_bytes(uint64_t *h, const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		*h = (*h ^ b[i]) * 0x100000001b3ull;
}

static uint32_t ld32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Whole replies, nothing else. */
static void rx_check(struct rx *r, const uint8_t *p, size_t n)
{
	while (n) {
		if (r->body_left) {
			size_t k = r->body_left < n ? (size_t)r->body_left : n;

			r->body_left -= k;
			p += k;
			n -= k;
			continue;
		}
		while (n && r->hdr_got < VU_HDR) {
			r->hdr[r->hdr_got++] = *p++;
			n--;
		}
		if (r->hdr_got < VU_HDR)
			return;
		{
			uint32_t len = ld32(r->hdr + 4), flags = ld32(r->hdr + 8),
				 err = ld32(r->hdr + 12);

			FUZZ_CHECK(len >= VU_HDR && len <= VU_MAX_MSG, "reply of %u bytes", len);
			FUZZ_CHECK((flags & 0xf) == 1, "reply with flags 0x%x", flags);
			FUZZ_CHECK(!(flags & 0x20) || (err && len == VU_HDR),
				   "ERROR reply with error %u, %u bytes", err, len);
			FUZZ_CHECK((flags & 0x20) || !err, "reply with error %u but no ERROR", err);
			r->body_left = len - VU_HDR;
			r->hdr_got = 0;
			r->replies++;
		}
	}
}

/* Read what the server sent so far (it never waits for room: see
 * sess_connect()).  At the end of file, the last reply must be whole. */
static void rx_drain(struct rx *r)
{
	static uint8_t buf[65536];

	while (r->fd >= 0 && !r->eof) {
		char ctl[CMSG_SPACE(16 * sizeof(int))];
		struct iovec iov = {buf, sizeof(buf)};
		struct msghdr mh = {.msg_iov = &iov,
				    .msg_iovlen = 1,
				    .msg_control = ctl,
				    .msg_controllen = sizeof(ctl)};
		ssize_t n = recvmsg(r->fd, &mh, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);

		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
			return;
		if (n <= 0) {
			FUZZ_CHECK(!r->hdr_got && !r->body_left, "the server's last reply is cut");
			r->eof = true;
			return;
		}
		FUZZ_CHECK(!CMSG_FIRSTHDR(&mh), "the server sent fds");
		if (check_fresh)
			hash_bytes(&r->hash, buf, (size_t)n);
		r->bytes += (size_t)n;
		rx_check(r, buf, (size_t)n);
	}
}

/* A session: one connection at a time. */
struct sess {
	struct srv *srv;
	int fd;
	struct rx rx;
	uint16_t id;
	unsigned int qsize;
	uint16_t cmd_avail, ev_avail, ev_next;
	uint64_t digest; /* of every connection's replies */
};

/* The server's poll() until it has nothing to do, reading its replies in
 * between. */
static void pump(struct sess *s)
{
	int n = 0;

	for (;;) {
		int work = srv_mode_vfio_user.poll(s->srv->mode);

		rx_drain(&s->rx);
		if (work <= 0)
			break;
		FUZZ_CHECK(++n < PUMP_MAX, "the server's poll() keeps finding work");
	}
}

static void sess_connect(struct sess *s)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};

	s->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	FUZZ_CHECK(s->fd >= 0, "socket: %s", strerror(errno));
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", s->srv->path);
	FUZZ_CHECK(!connect(s->fd, (struct sockaddr *)&sa, sizeof(sa)), "connect: %s",
		   strerror(errno));
	s->rx = (struct rx){.fd = s->fd, .hash = 0xcbf29ce484222325ull};
	pump(s); /* accepted */
	FUZZ_CHECK(!server_idle(s->srv), "the server did not accept the connection");
	/* The harness reads the replies between two of the server's poll()s:
	 * with room for what one step can make it send (16 replies of up to
	 * 16 KiB) it never waits for the reader (which would be a second of
	 * vu_send()). */
	{
		struct pollfd p;
		int big = 1 << 22;

		FUZZ_CHECK(srv_mode_vfio_user.fds(s->srv->mode, &p, 1) == 1, "no client fd");
		setsockopt(p.fd, SOL_SOCKET, SO_SNDBUF, &big, sizeof(big));
	}
	s->cmd_avail = s->ev_avail = s->ev_next = 0;
}

/* The client goes: the server must notice and wait for the next. */
static void sess_disconnect(struct sess *s)
{
	shutdown(s->fd, SHUT_WR);
	pump(s);
	FUZZ_CHECK(server_idle(s->srv), "the server kept a client that left");
	rx_drain(&s->rx);
	FUZZ_CHECK(s->rx.eof, "the server left the connection open");
	close(s->fd);
	s->fd = -1;
	hash_bytes(&s->digest, &s->rx.hash, sizeof(s->rx.hash));
	FUZZ_CHECK(stat_of(s->srv, "vfu_windows") == 0, "DMA windows left mapped");
	FUZZ_CHECK(stat_of(s->srv, "p2a_queued") == 0, "P2A messages held after the reset");
}

/* Send @len bytes with @nfds fds; waits for room (the server is pumped
 * meanwhile), gives up if the server closed the connection. */
static void sess_send(struct sess *s, const void *p, size_t len, const int *fds, unsigned int nfds)
{
	char ctl[CMSG_SPACE(MAX_FDS * sizeof(int))];
	size_t sent = 0;
	int waits = 0;

	while (sent < len) {
		struct iovec iov = {(uint8_t *)p + sent, len - sent};
		struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
		ssize_t n;

		if (nfds && !sent) {
			struct cmsghdr *cm;

			memset(ctl, 0, sizeof(ctl));
			mh.msg_control = ctl;
			mh.msg_controllen = CMSG_SPACE(nfds * sizeof(int));
			cm = CMSG_FIRSTHDR(&mh);
			cm->cmsg_level = SOL_SOCKET;
			cm->cmsg_type = SCM_RIGHTS;
			cm->cmsg_len = CMSG_LEN(nfds * sizeof(int));
			memcpy(CMSG_DATA(cm), fds, nfds * sizeof(int));
		}
		n = sendmsg(s->fd, &mh, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n > 0) {
			sent += (size_t)n;
			continue;
		}
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			pump(s);
			if (server_idle(s->srv))
				return; /* it dropped us */
			FUZZ_CHECK(++waits < PUMP_MAX, "the server does not read");
			continue;
		}
		return; /* EPIPE, ECONNRESET: the server dropped us */
	}
}

static void sess_msg(struct sess *s, uint16_t cmd, uint32_t flags, const void *body, size_t len,
		     const int *fds, unsigned int nfds)
{
	uint8_t *m = malloc(VU_HDR + len);
	uint32_t size = (uint32_t)(VU_HDR + len), zero = 0;

	FUZZ_CHECK(m, "out of memory");
	memcpy(m, &s->id, 2);
	memcpy(m + 2, &cmd, 2);
	memcpy(m + 4, &size, 4);
	memcpy(m + 8, &flags, 4);
	memcpy(m + 12, &zero, 4);
	if (len)
		memcpy(m + VU_HDR, body, len);
	s->id++;
	sess_send(s, m, VU_HDR + len, fds, nfds);
	free(m);
}

static void region_write_flags(struct sess *s, uint32_t region, uint64_t off, const void *p,
			       uint32_t n, uint32_t flags)
{
	uint8_t b[16 + 256];

	if (n > 256)
		n = 256;
	memcpy(b, &off, 8);
	memcpy(b + 8, &region, 4);
	memcpy(b + 12, &n, 4);
	memcpy(b + 16, p, n);
	sess_msg(s, CMD_REGION_WRITE, flags, b, 16 + n, NULL, 0);
}

static void region_write(struct sess *s, uint32_t region, uint64_t off, const void *p, uint32_t n)
{
	region_write_flags(s, region, off, p, n, 0);
}

/* The prologue's writes: posted (no reply), fewer syscalls. */
static void posted_write(struct sess *s, uint32_t region, uint64_t off, const void *p, uint32_t n)
{
	region_write_flags(s, region, off, p, n, VU_NO_REPLY);
}

static void common_write(struct sess *s, uint32_t off, uint64_t v, uint32_t width)
{
	posted_write(s, REGION_BAR0, COMMON + off, &v, width);
}

static void doorbell(struct sess *s, uint16_t q)
{
	region_write(s, REGION_BAR0, NOTIFY + NOTIFY_MUL * (uint64_t)q, &q, 2);
}

static void put16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, 2);
}

static void desc(uint32_t table, uint16_t i, uint64_t addr, uint32_t len, uint16_t flags,
		 uint16_t next)
{
	uint8_t *d = guest + table + 16u * i;

	memcpy(d, &addr, 8);
	memcpy(d + 8, &len, 4);
	memcpy(d + 12, &flags, 2);
	memcpy(d + 14, &next, 2);
}

static void avail_push(uint32_t avail, unsigned int qsize, uint16_t *idx, uint16_t head)
{
	put16(guest + avail + 4 + 2u * (*idx % qsize), head);
	(*idx)++;
	__atomic_store_n((uint16_t *)(void *)(guest + avail + 2), *idx, __ATOMIC_RELEASE);
}

/* ---- the prologue ------------------------------------------------------------- */

static void prologue(struct sess *s, uint8_t opt)
{
	bool msix = !(opt & OPT_NO_MSIX), p2a = !(opt & OPT_NO_P2A);

	if (opt & OPT_VERSION) {
		static const char js[] =
			"{\"capabilities\":{\"max_msg_fds\":8,\"max_data_xfer_size\":1048576}}";
		uint8_t b[4 + sizeof(js)] = {0, 0, 2, 0};

		memcpy(b + 4, js, sizeof(js));
		sess_msg(s, CMD_VERSION, 0, b, sizeof(b), NULL, 0);
	}
	if (opt & OPT_MAP) {
		uint8_t b[32] = {0};
		uint32_t argsz = 32, flags = 3;
		uint64_t iova = GUEST_IOVA, size = GUEST_SIZE;

		memcpy(b, &argsz, 4);
		memcpy(b + 4, &flags, 4);
		memcpy(b + 16, &iova, 8);
		memcpy(b + 24, &size, 8);
		sess_msg(s, CMD_DMA_MAP, 0, b, sizeof(b), &guest_fd, 1);
	}
	if (opt & OPT_IRQS) {
		uint8_t b[20] = {0};
		uint32_t v[5] = {20, 0x04 | 0x20, msix ? 2 : 0, 0, msix ? NVEC : 1};
		uint16_t ctrl = 0x8000;

		memcpy(b, v, sizeof(b));
		sess_msg(s, CMD_SET_IRQS, 0, b, sizeof(b), msix ? evfd : &evfd[NVEC],
			 msix ? NVEC : 1);
		if (msix)
			posted_write(s, REGION_CFG, MSIX_CTRL, &ctrl, 2);
	}
	if (opt & OPT_VIRTIO) {
		static const uint32_t rings[2][3] = {{CMD_DESC, CMD_AVAIL, CMD_USED},
						     {EV_DESC, EV_AVAIL, EV_USED}};

		bool vec = msix && (opt & OPT_IRQS);

		common_write(s, 0x14, 0, 1);
		common_write(s, 0x14, S_ACK | S_DRIVER, 1);
		/* A write applies the fields it covers in the structure's order:
		 * the select first, then what it selects. */
		common_write(s, 0x08, (uint64_t)(p2a ? 1 : 0) << 32, 8);
		common_write(s, 0x08, 1 | 1ull << 32, 8);
		common_write(s, 0x14, S_ACK | S_DRIVER | S_FEATURES_OK, 1);
		if (vec)
			common_write(s, 0x10, 2, 2);
		for (unsigned int q = 0; q < (p2a ? 2u : 1u); q++) {
			uint8_t b[0x38 - 0x16] = {0};
			uint16_t f[3] = {(uint16_t)q, (uint16_t)s->qsize,
					 vec ? (uint16_t)q : 0xffff};
			uint64_t a[3] = {GUEST_IOVA + rings[q][0], GUEST_IOVA + rings[q][1],
					 GUEST_IOVA + rings[q][2]};

			/* queue_select, size, msix_vector, enable 0 (left
			 * alone), notify_off, the three addresses */
			memcpy(b, f, sizeof(f));
			memcpy(b + 0x20 - 0x16, a, sizeof(a));
			posted_write(s, REGION_BAR0, COMMON + 0x16, b, sizeof(b));
			common_write(s, 0x1c, 1, 2);
		}
		common_write(s, 0x14, S_ACK | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK, 1);
	}
	pump(s);
}

/* ---- the steps ---------------------------------------------------------------- */

enum {
	OP_RAW,
	OP_MSG,
	OP_MSG_FDS,
	OP_MEM,
	OP_WRITE,
	OP_READ,
	OP_DOORBELL,
	OP_CMD,
	OP_EVBUF,
	OP_TICK,
	OP_STEP,
	OP_RECONNECT,
	OP_COUNT
};

/* Byte @i of the payload, 0 past its end. */
static uint8_t at(const uint8_t *p, size_t len, size_t i)
{
	return i < len ? p[i] : 0;
}

static int fd_of_kind(unsigned int kind)
{
	char path[64];
	int fd;

	switch (kind) {
	case 0:
		return dup(guest_fd);
	case 1:
		fd = memfd_create("fuzz-short", MFD_CLOEXEC);
		if (fd >= 0 && ftruncate(fd, 4096))
			abort();
		return fd;
	case 2:
		return eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	default:
		snprintf(path, sizeof(path), "/proc/self/fd/%d", guest_fd);
		return open(path, O_RDONLY | O_CLOEXEC);
	}
}

static void step(struct sess *s, uint8_t op, const uint8_t *p, size_t len)
{
	switch (op % OP_COUNT) {
	case OP_RAW:
		sess_send(s, p, len, NULL, 0);
		break;
	case OP_MSG:
		sess_msg(s, at(p, len, 0), at(p, len, 1), p + (len > 2 ? 2 : len),
			 len > 2 ? len - 2 : 0, NULL, 0);
		break;
	case OP_MSG_FDS: {
		/* 3: more than the server takes (8) */
		unsigned int n = at(p, len, 0) % 4 == 3 ? MAX_FDS : at(p, len, 0) % 4,
			     kind = at(p, len, 0) >> 2 & 3;
		int fds[MAX_FDS];

		for (unsigned int i = 0; i < n; i++) {
			fds[i] = fd_of_kind(kind);
			FUZZ_CHECK(fds[i] >= 0, "fd: %s", strerror(errno));
		}
		sess_msg(s, at(p, len, 1), at(p, len, 2), p + (len > 3 ? 3 : len),
			 len > 3 ? len - 3 : 0, fds, n);
		for (unsigned int i = 0; i < n; i++)
			close(fds[i]);
		break;
	}
	case OP_MEM: {
		size_t off = ((size_t)at(p, len, 0) | (size_t)at(p, len, 1) << 8 |
			      (size_t)at(p, len, 2) << 16) %
			     GUEST_SIZE;

		for (size_t i = 3; i < len; i++)
			guest[(off + i - 3) % GUEST_SIZE] = p[i];
		break;
	}
	case OP_WRITE:
		region_write(s, at(p, len, 0), at(p, len, 1) | at(p, len, 2) << 8,
			     p + (len > 3 ? 3 : len), len > 3 ? (uint32_t)len - 3 : 0);
		break;
	case OP_READ: {
		uint8_t b[16];
		uint64_t off = at(p, len, 1) | at(p, len, 2) << 8;
		uint32_t region = at(p, len, 0), count = at(p, len, 3) | at(p, len, 4) << 8;

		memcpy(b, &off, 8);
		memcpy(b + 8, &region, 4);
		memcpy(b + 12, &count, 4);
		sess_msg(s, CMD_REGION_READ, 0, b, sizeof(b), NULL, 0);
		break;
	}
	case OP_DOORBELL:
		doorbell(s, at(p, len, 0));
		break;
	case OP_CMD: {
		unsigned int slot = s->cmd_avail % (s->qsize / 2);
		uint32_t buf = CMD_BUFS + 0x200u * slot;
		size_t n = len < 0x100 ? len : 0x100;

		memcpy(guest + buf, p, n);
		desc(CMD_DESC, (uint16_t)(2 * slot), GUEST_IOVA + buf, (uint32_t)n, 1,
		     (uint16_t)(2 * slot + 1));
		desc(CMD_DESC, (uint16_t)(2 * slot + 1), GUEST_IOVA + buf + 0x100, 0x100, 2, 0);
		avail_push(CMD_AVAIL, s->qsize, &s->cmd_avail, (uint16_t)(2 * slot));
		doorbell(s, 0);
		break;
	}
	case OP_EVBUF: {
		unsigned int n = at(p, len, 0) % 16;

		for (unsigned int i = 0; i < n; i++) {
			uint16_t d = (uint16_t)(s->ev_next++ % s->qsize);

			desc(EV_DESC, d, GUEST_IOVA + EV_BUFS + 0x100u * (d % 64), at(p, len, 1), 2,
			     0);
			avail_push(EV_AVAIL, s->qsize, &s->ev_avail, d);
		}
		doorbell(s, 1);
		break;
	}
	case OP_TICK:
		scmi_sim_time_advance(sim, (at(p, len, 0) + 1ull) * 100000ull);
		break;
	case OP_STEP:
		scmi_sim_activity_step(sim, at(p, len, 0));
		break;
	case OP_RECONNECT:
		sess_disconnect(s);
		sess_connect(s);
		break;
	}
	pump(s);
}

/* ---- one input ---------------------------------------------------------------- */

struct result {
	uint64_t replies; /* digest */
	uint64_t memory;
	uint64_t irqs[NVEC + 1];
};

static void run(struct srv *srv, const uint8_t *data, size_t size, struct result *res)
{
	struct sess s = {.srv = srv, .fd = -1, .digest = 0xcbf29ce484222325ull};
	uint8_t opt = data[0];
	size_t off = 1;

	memset(guest, 0, GUEST_SIZE);
	for (unsigned int i = 0; i <= NVEC; i++) {
		uint64_t v;

		if (read(evfd[i], &v, sizeof(v)) < 0) {
			/* EAGAIN: nothing signalled */
		}
	}
	n_held = 0;
	cur_srv = srv;
	s.qsize = OPT_QSIZE(opt);
	sess_connect(&s);
	prologue(&s, opt);
	while (off < size) {
		uint8_t op = data[off];
		size_t len = off + 1 < size ? data[off + 1] : 0;

		off += 2;
		if (off > size)
			off = size;
		if (len > size - off)
			len = size - off;
		step(&s, op, data + off, len);
		off += len;
	}
	scmi_sim_time_advance(sim, 10000000000ull);
	pump(&s);
	if (debug) {
		char st[1024];

		srv_mode_vfio_user.stats(srv->mode, st, sizeof(st));
		fprintf(stderr, "%s: %s\n", FUZZ_NAME, st);
	}
	sess_disconnect(&s);
	cur_srv = NULL;
	res->replies = s.digest;
	res->memory = 0xcbf29ce484222325ull;
	if (check_fresh) /* (costly: every byte of it) */
		hash_bytes(&res->memory, guest, GUEST_SIZE);
	for (unsigned int i = 0; i <= NVEC; i++) {
		res->irqs[i] = 0;
		if (read(evfd[i], &res->irqs[i], sizeof(res->irqs[i])) < 0)
			res->irqs[i] = 0;
	}
	sim_reset(simr, 0);
}

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		n++;
	closedir(d);
	return n;
}

/* Mappings of the guest memfd ("/memfd:fuzz-guest" in /proc/self/maps). */
static int count_guest_maps(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	int n = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, "/memfd:fuzz-guest"))
			n++;
	fclose(f);
	return n;
}

static unsigned long execs;

static void cleanup(void)
{
	for (unsigned int i = 0; i < 4; i++) {
		server_free(servers[i]);
		servers[i] = NULL;
	}
	sim_reset_free(simr);
	simr = NULL;
	if (dir[0])
		rmdir(dir);
}

static void setup(void)
{
	struct scmi_sim_config cfg = {.max_msg_size = 96, .virtual_time = true};
	int ret;

	debug = getenv("FUZZ_SIM_VFIO_USER_DEBUG") != NULL;
	check_fresh = getenv("FUZZ_SIM_VFIO_USER_CHECK_FRESH") != NULL;
	snprintf(dir, sizeof(dir), "/tmp/fuzz_sim_vfio_user.XXXXXX");
	FUZZ_CHECK(mkdtemp(dir), "mkdtemp: %s", strerror(errno));
	guest_fd = memfd_create("fuzz-guest", MFD_CLOEXEC);
	FUZZ_CHECK(guest_fd >= 0 && !ftruncate(guest_fd, GUEST_SIZE), "memfd");
	guest = mmap(NULL, GUEST_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, guest_fd, 0);
	FUZZ_CHECK(guest != MAP_FAILED, "mmap: %s", strerror(errno));
	for (unsigned int i = 0; i <= NVEC; i++) {
		evfd[i] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		FUZZ_CHECK(evfd[i] >= 0, "eventfd");
	}
	ret = sim_reset_new(&cfg, &simr);
	FUZZ_CHECK(!ret, "sim_reset_new: %d", ret);
	sim = sim_reset_sim(simr);
	scmi_sim_set_emit(sim, emit, NULL);
	atexit(cleanup);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[4] = {"vfu", "vfu-no-p2a", "vfu-no-msix", "vfu-intx"};
	struct result a, b;
	unsigned int cfg;
	int fds = -1;

	if (!simr)
		setup();
	if (size < 1)
		return 0;
	cfg = OPT_SERVER(data[0]);
	if (!servers[cfg])
		servers[cfg] = server_new(cfg, names[cfg]);
	if (check_fresh || !(execs % 64))
		fds = count_fds();
	execs++;
	run(servers[cfg], data, size, &a);
	if (check_fresh) {
		struct sim_reset *keep = simr;
		int ret;

		/* The same input on a server and a simulator of its own. */
		ret = sim_reset_new(
			&(struct scmi_sim_config){.max_msg_size = 96, .virtual_time = true}, &simr);
		FUZZ_CHECK(!ret, "sim_reset_new: %d", ret);
		sim = sim_reset_sim(simr);
		scmi_sim_set_emit(sim, emit, NULL);
		fresh_srv = server_new(cfg, "fresh");
		run(fresh_srv, data, size, &b);
		server_free(fresh_srv);
		fresh_srv = NULL;
		sim_reset_free(simr);
		simr = keep;
		sim = sim_reset_sim(simr);
		FUZZ_CHECK(a.replies == b.replies,
			   "the server answered differently than a new one: a session left "
			   "state behind");
		FUZZ_CHECK(a.memory == b.memory,
			   "the guest memory differs from a new server's session");
		FUZZ_CHECK(!memcmp(a.irqs, b.irqs, sizeof(a.irqs)),
			   "the interrupts differ from a new server's session");
		FUZZ_CHECK(count_guest_maps() == 1, "%d mappings of the guest memory",
			   count_guest_maps());
	}
	if (fds >= 0)
		FUZZ_CHECK(count_fds() == fds, "%d fds open, %d before", count_fds(), fds);
	return 0;
}
