// SPDX-License-Identifier: BSD-3-Clause
/*
 * scmi-sim --shmem: the platform side of SCMI shared-memory channels laid
 * out in a file that the agent's shmem:// transport maps.  The channel
 * logic (struct srv_areas, areas.h) serves other modes too: --uio (uio.c)
 * runs it on the maps of its fake UIO device.
 *
 * Each area has the standard layout (offsets in bytes, little-endian u32):
 *   0x00 reserved, 0x04 channel_status (b0 FREE, b1 ERROR), 0x08 reserved
 *   (8 bytes), 0x10 flags, 0x14 length (header + payload), 0x18 header,
 *   0x1C payload.
 * Written from scratch for the simulator: nothing here is shared with the
 * agent's transport code.
 *
 * A2P (commands): an area whose FREE bit the agent cleared holds a command
 * (with a doorbell, once the doorbell rang).  The server reads header and
 * length once, rejects a bad length with ERROR|FREE, hands the message to
 * the simulator and leaves the area busy (state WAIT) until the response
 * comes out of the simulator -- at once, or later under a delay fault.  The
 * response goes into the same area, FREE last.  A response for a request
 * that no longer owns the area (a duplicate, or one that came after the
 * agent rewrote the area) is dropped and counted: on shared memory there is
 * nowhere to put it.  An area left busy because the simulator dropped the
 * response takes a new command when its header changes (the agent gave up
 * and reused the area with a new token) or, with a doorbell, when the
 * doorbell rings again with a new header.
 *
 * P2A (notifications, delayed responses): routed by the protocol id of the
 * header to the protocol's own area if it has one, else the common one;
 * written only into an area the agent acknowledged (FREE = 1), FREE cleared
 * last; queued meanwhile (bounded; drops counted).
 *
 * Every access to the shared file is an aligned 32-bit atomic load or store
 * (the doorbell: at its width); FREE is read with acquire and written with
 * release ordering.  After each write the agent is to notice -- a response
 * or an ERROR in an A2P area, a message in a P2A area -- the owner's signal
 * hook runs (--uio raises its interrupt there).
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "areas.h"

#define SMT_STATUS   0x04
#define SMT_FLAGS    0x10
#define SMT_LENGTH   0x14
#define SMT_HEADER   0x18
#define SMT_PAYLOAD  0x1c
#define SMT_OVERHEAD 24 /* bytes before the header */

#define SMT_FREE  (1u << 0)
#define SMT_ERROR (1u << 1)

#define SHM_PAGE 4096u

enum shm_a2p_state {
	SHM_IDLE, /* FREE set: the agent owns the area */
	SHM_WAIT, /* a command is with the simulator */
};

struct shm_msg {
	struct shm_msg *next;
	size_t len;
	uint8_t data[];
};

struct shm_chan {
	int proto; /* -1: the common channel */
	size_t a2p_off;
	size_t p2a_off;
	enum shm_a2p_state state;
	uint64_t seq;
	uint32_t req_hdr;
	/* P2A queue */
	struct shm_msg *head, **tail;
	unsigned int queued;
	uint64_t requests, p2a_sent; /* this channel's share of the totals */
};

/* The channels, on memory the mode provides. */
struct srv_areas {
	struct srv *srv;
	uint8_t *map;
	size_t size;
	unsigned int queue;
	unsigned int n_chans;
	struct shm_chan chans[1 + SRV_MAX_CHANNELS];
	uint8_t *db; /* the doorbell register, or NULL */
	unsigned int db_width;
	uint64_t db_set;
	void (*signal)(void *priv);
	void *signal_priv;
	uint8_t *buf; /* one request */

	uint64_t requests, bad_length, responses, a2p_dropped, truncated, doorbells;
	uint64_t p2a_sent, p2a_dropped;
};

/* The --shmem mode: the areas in a file. */
struct shm {
	struct srv *srv;
	char *path;
	int fd;
	uint8_t *map;
	size_t map_len;
	struct srv_areas *areas;
	bool doorbell;
	size_t db_off;
	unsigned int db_width;
	uint64_t db_set;
	uint64_t db_preserve;
	uint8_t *win; /* the simulator's window (--fastchannels) */
	size_t win_len;
};

/* ---- area access ----------------------------------------------------- */

static uint32_t *shm_word(struct srv_areas *s, size_t area, size_t off)
{
	return (uint32_t *)(void *)(s->map + area + off);
}

static uint32_t shm_rd(struct srv_areas *s, size_t area, size_t off)
{
	return le32toh(__atomic_load_n(shm_word(s, area, off), __ATOMIC_RELAXED));
}

static void shm_wr(struct srv_areas *s, size_t area, size_t off, uint32_t v)
{
	__atomic_store_n(shm_word(s, area, off), htole32(v), __ATOMIC_RELAXED);
}

static uint32_t shm_status(struct srv_areas *s, size_t area)
{
	return le32toh(__atomic_load_n(shm_word(s, area, SMT_STATUS), __ATOMIC_ACQUIRE));
}

/* The last store of a message: everything before it is visible first. */
static void shm_status_set(struct srv_areas *s, size_t area, uint32_t v)
{
	__atomic_store_n(shm_word(s, area, SMT_STATUS), htole32(v), __ATOMIC_RELEASE);
}

/* @len bytes from @src to the area at @off, in 32-bit words (the last one
 * zero-padded; the caller checked that it fits the area). */
static void shm_put(struct srv_areas *s, size_t area, size_t off, const uint8_t *src, size_t len)
{
	for (size_t i = 0; i < len; i += 4) {
		uint8_t w[4] = {0};

		memcpy(w, src + i, len - i < 4 ? len - i : 4);
		shm_wr(s, area, off + i,
		       (uint32_t)w[0] | (uint32_t)w[1] << 8 | (uint32_t)w[2] << 16 |
			       (uint32_t)w[3] << 24);
	}
}

static void shm_get(struct srv_areas *s, size_t area, size_t off, uint8_t *dst, size_t len)
{
	for (size_t i = 0; i < len; i += 4) {
		uint32_t v = shm_rd(s, area, off + i);
		uint8_t w[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
				(uint8_t)(v >> 24)};

		memcpy(dst + i, w, len - i < 4 ? len - i : 4);
	}
}

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Largest header + payload an area holds. */
static size_t shm_max_len(struct srv_areas *s)
{
	return s->size - SMT_OVERHEAD;
}

/* The agent has something to notice (after the store that tells it). */
static void shm_signal(struct srv_areas *s)
{
	if (s->signal)
		s->signal(s->signal_priv);
}

/* Doorbell: were the set bits written?  Clear them if so (and only them). */
static bool shm_doorbell_take(struct srv_areas *s)
{
	void *p = s->db;
	uint64_t v;

	switch (s->db_width) {
	case 8:
		v = __atomic_load_n((uint8_t *)p, __ATOMIC_ACQUIRE);
		if (v & s->db_set)
			__atomic_fetch_and((uint8_t *)p, (uint8_t)~s->db_set, __ATOMIC_ACQ_REL);
		break;
	case 16:
		v = le16toh(__atomic_load_n((uint16_t *)p, __ATOMIC_ACQUIRE));
		if (v & s->db_set)
			__atomic_fetch_and((uint16_t *)p, htole16((uint16_t)~s->db_set),
					   __ATOMIC_ACQ_REL);
		break;
	case 64:
		v = le64toh(__atomic_load_n((uint64_t *)p, __ATOMIC_ACQUIRE));
		if (v & s->db_set)
			__atomic_fetch_and((uint64_t *)p, htole64(~s->db_set), __ATOMIC_ACQ_REL);
		break;
	default:
		v = le32toh(__atomic_load_n((uint32_t *)p, __ATOMIC_ACQUIRE));
		if (v & s->db_set)
			__atomic_fetch_and((uint32_t *)p, htole32((uint32_t)~s->db_set),
					   __ATOMIC_ACQ_REL);
		break;
	}
	return (v & s->db_set) != 0;
}

/* ---- A2P ----------------------------------------------------------------- */

/* A command in channel @i's A2P area: read it once and hand it over. */
static void shm_take_request(struct srv_areas *s, unsigned int i, uint32_t hdr)
{
	struct shm_chan *c = &s->chans[i];
	size_t area = c->a2p_off;
	uint32_t len = shm_rd(s, area, SMT_LENGTH);

	s->requests++;
	c->requests++;
	c->seq++;
	c->req_hdr = hdr;
	if (len < 4 || len > shm_max_len(s)) {
		s->bad_length++;
		srv_log(s->srv, SRV_LOG_INFO, "A2P 0x%zx: bad length %u (header 0x%08x)", area, len,
			hdr);
		c->state = SHM_IDLE;
		shm_status_set(s, area, SMT_FREE | SMT_ERROR);
		shm_signal(s);
		return;
	}
	put_le32(s->buf, hdr);
	shm_get(s, area, SMT_PAYLOAD, s->buf + 4, len - 4);
	c->state = SHM_WAIT;
	srv_log(s->srv, SRV_LOG_DEBUG, "A2P 0x%zx: command 0x%08x, %u bytes", area, hdr, len);
	srv_request(s->srv, (struct srv_ctx){(int)i, c->seq}, s->buf, len);
}

static void shm_write_response(struct srv_areas *s, struct shm_chan *c, const uint8_t *msg,
			       size_t len)
{
	size_t area = c->a2p_off;

	if (len > shm_max_len(s)) {
		s->truncated++;
		len = shm_max_len(s);
	}
	shm_put(s, area, SMT_PAYLOAD, msg + 4, len - 4);
	shm_wr(s, area, SMT_LENGTH, (uint32_t)len);
	shm_wr(s, area, SMT_HEADER, get_le32(msg));
	c->state = SHM_IDLE;
	s->responses++;
	shm_status_set(s, area, SMT_FREE);
	shm_signal(s);
}

/* ---- P2A ----------------------------------------------------------------- */

static struct shm_chan *shm_p2a_route(struct srv_areas *s, uint32_t hdr)
{
	unsigned int proto = (hdr >> 10) & 0xff;

	for (unsigned int i = 1; i < s->n_chans; i++)
		if (s->chans[i].proto == (int)proto)
			return &s->chans[i];
	return &s->chans[0];
}

/* The oldest queued message, if the agent acknowledged the previous one. */
static int shm_p2a_flush(struct srv_areas *s, struct shm_chan *c)
{
	size_t area = c->p2a_off;
	struct shm_msg *m = c->head;

	if (!m || !(shm_status(s, area) & SMT_FREE))
		return 0;
	shm_wr(s, area, SMT_FLAGS, 0); /* no completion interrupt wanted */
	shm_put(s, area, SMT_PAYLOAD, m->data + 4, m->len - 4);
	shm_wr(s, area, SMT_LENGTH, (uint32_t)m->len);
	shm_wr(s, area, SMT_HEADER, get_le32(m->data));
	shm_status_set(s, area, 0);
	c->head = m->next;
	if (!c->head)
		c->tail = &c->head;
	c->queued--;
	s->p2a_sent++;
	c->p2a_sent++;
	free(m);
	shm_signal(s);
	return 1;
}

static void shm_p2a_queue(struct srv_areas *s, const uint8_t *msg, size_t len)
{
	struct shm_chan *c = shm_p2a_route(s, get_le32(msg));
	struct shm_msg *m;

	if (len > shm_max_len(s)) {
		s->truncated++;
		len = shm_max_len(s);
	}
	if (c->queued >= s->queue || !(m = malloc(sizeof(*m) + len))) {
		s->p2a_dropped++;
		srv_log(s->srv, SRV_LOG_INFO, "P2A 0x%zx: message 0x%08x dropped (queue full)",
			c->p2a_off, get_le32(msg));
		return;
	}
	m->next = NULL;
	m->len = len;
	memcpy(m->data, msg, len);
	*c->tail = m;
	c->tail = &m->next;
	c->queued++;
	shm_p2a_flush(s, c);
}

/* ---- the channels, for any mode (areas.h) ------------------------------- */

size_t srv_areas_len(const struct srv_opts *o)
{
	return 2 * (1 + (size_t)o->n_protos) * o->size;
}

int srv_areas_new(struct srv *srv, const struct srv_opts *o, void *mem, struct srv_areas **out)
{
	struct srv_areas *s = calloc(1, sizeof(*s));

	if (!s || !(s->buf = malloc(o->size))) {
		free(s);
		return -ENOMEM;
	}
	s->srv = srv;
	s->map = mem;
	s->size = o->size;
	s->queue = o->queue;
	/* Common channel, then one pair per protocol, each S bytes apart. */
	s->n_chans = 1 + o->n_protos;
	for (unsigned int i = 0; i < s->n_chans; i++) {
		struct shm_chan *c = &s->chans[i];

		c->proto = i ? o->protos[i - 1] : -1;
		c->a2p_off = 2 * i * o->size;
		c->p2a_off = c->a2p_off + o->size;
		c->state = SHM_IDLE;
		c->tail = &c->head;
		/* Fresh memory reads as zeros: mark every area free. */
		shm_status_set(s, c->a2p_off, SMT_FREE);
		shm_status_set(s, c->p2a_off, SMT_FREE);
	}
	*out = s;
	return 0;
}

void srv_areas_doorbell(struct srv_areas *s, void *reg, unsigned int width, uint64_t set)
{
	s->db = reg;
	s->db_width = width;
	s->db_set = set;
}

void srv_areas_on_signal(struct srv_areas *s, void (*fn)(void *priv), void *priv)
{
	s->signal = fn;
	s->signal_priv = priv;
}

void srv_areas_output(struct srv_areas *s, struct srv_ctx ctx, enum scmi_sim_chan chan,
		      const void *msg, size_t len)
{
	if (len < 4)
		return; /* the simulator never emits one; nothing to route */
	if (chan == SCMI_SIM_CHAN_P2A) {
		shm_p2a_queue(s, msg, len);
		return;
	}
	if (ctx.chan < 0 || (unsigned int)ctx.chan >= s->n_chans ||
	    s->chans[ctx.chan].state != SHM_WAIT || s->chans[ctx.chan].seq != ctx.seq) {
		/* A duplicate, or its request no longer owns the area. */
		s->a2p_dropped++;
		srv_log(s->srv, SRV_LOG_DEBUG, "response 0x%08x dropped: no request waiting for it",
			get_le32(msg));
		return;
	}
	shm_write_response(s, &s->chans[ctx.chan], msg, len);
}

int srv_areas_poll(struct srv_areas *s)
{
	bool rang = false;
	int work = 0;

	if (s->db && shm_doorbell_take(s)) {
		rang = true;
		s->doorbells++;
		work++;
	}
	for (unsigned int i = 0; i < s->n_chans; i++) {
		struct shm_chan *c = &s->chans[i];

		if ((!s->db || rang) && !(shm_status(s, c->a2p_off) & SMT_FREE)) {
			uint32_t hdr = shm_rd(s, c->a2p_off, SMT_HEADER);

			if (c->state == SHM_IDLE || hdr != c->req_hdr) {
				shm_take_request(s, i, hdr);
				work++;
			}
		}
		work += shm_p2a_flush(s, c);
	}
	return work;
}

void srv_areas_print(struct srv_areas *s, FILE *f)
{
	fprintf(f, "a2p=0x%zx&p2a=0x%zx&size=%zu", s->chans[0].a2p_off, s->chans[0].p2a_off,
		s->size);
	for (unsigned int i = 1; i < s->n_chans; i++)
		fprintf(f, "&a2p.0x%02x=0x%zx&p2a.0x%02x=0x%zx", s->chans[i].proto,
			s->chans[i].a2p_off, s->chans[i].proto, s->chans[i].p2a_off);
}

void srv_areas_stats(struct srv_areas *s, char *buf, size_t size)
{
	unsigned int queued = 0;
	int n;

	for (unsigned int i = 0; i < s->n_chans; i++)
		queued += s->chans[i].queued;
	n = snprintf(buf, size,
		     "a2p_requests=%llu bad_length=%llu a2p_responses=%llu a2p_dropped=%llu "
		     "truncated=%llu doorbells=%llu p2a_sent=%llu p2a_queued=%u p2a_dropped=%llu",
		     (unsigned long long)s->requests, (unsigned long long)s->bad_length,
		     (unsigned long long)s->responses, (unsigned long long)s->a2p_dropped,
		     (unsigned long long)s->truncated, (unsigned long long)s->doorbells,
		     (unsigned long long)s->p2a_sent, queued, (unsigned long long)s->p2a_dropped);
	/* Each per-protocol channel's share, named as in the URI. */
	for (unsigned int i = 1; i < s->n_chans && n > 0 && (size_t)n < size; i++) {
		const struct shm_chan *c = &s->chans[i];

		n += snprintf(buf + n, size - (size_t)n,
			      " a2p_requests.0x%02x=%llu p2a_sent.0x%02x=%llu", c->proto,
			      (unsigned long long)c->requests, c->proto,
			      (unsigned long long)c->p2a_sent);
	}
}

void srv_areas_free(struct srv_areas *s)
{
	if (!s)
		return;
	for (unsigned int i = 0; i < s->n_chans; i++) {
		while (s->chans[i].head) {
			struct shm_msg *m = s->chans[i].head;

			s->chans[i].head = m->next;
			free(m);
		}
	}
	free(s->buf);
	free(s);
}

/* ---- the --shmem mode ------------------------------------------------------ */

static void shm_output(void *state, struct srv_ctx ctx, enum scmi_sim_chan chan, const void *msg,
		       size_t len)
{
	srv_areas_output(((struct shm *)state)->areas, ctx, chan, msg, len);
}

static int shm_poll(void *state)
{
	return srv_areas_poll(((struct shm *)state)->areas);
}

static void shm_print_uri(void *state, FILE *f)
{
	struct shm *s = state;

	fprintf(f, "shmem://%s?", s->path);
	srv_areas_print(s->areas, f);
	if (s->doorbell) {
		fprintf(f, "&db=0x%zx&db_width=%u&db_set=0x%llx", s->db_off, s->db_width,
			(unsigned long long)s->db_set);
		if (s->db_preserve)
			fprintf(f, "&db_preserve=0x%llx", (unsigned long long)s->db_preserve);
	}
}

static void shm_stats(void *state, char *buf, size_t size)
{
	srv_areas_stats(((struct shm *)state)->areas, buf, size);
}

static void shm_free(struct shm *s, bool unlink_file)
{
	srv_areas_free(s->areas);
	if (s->map && s->map != MAP_FAILED)
		munmap(s->map, s->map_len);
	if (s->win && s->win != MAP_FAILED)
		munmap(s->win, s->win_len);
	if (s->fd >= 0)
		close(s->fd);
	if (unlink_file && s->path)
		unlink(s->path);
	free(s->path);
	free(s);
}

static void *shm_shared_mem(void *state, size_t *size)
{
	struct shm *s = state;

	*size = s->win_len;
	return s->win;
}

static void shm_close(void *state, bool keep)
{
	shm_free(state, !keep);
}

char *srv_abs_path(const char *path)
{
	char cwd[4096];
	size_t n;
	char *p;

	if (path[0] == '/')
		return strdup(path);
	if (!getcwd(cwd, sizeof(cwd)))
		return NULL;
	n = strlen(cwd) + 1 + strlen(path) + 1;
	p = malloc(n);
	if (p)
		snprintf(p, n, "%s/%s", cwd, path);
	return p;
}

bool srv_uri_safe(const char *opt, const char *path)
{
	if (!strpbrk(path, "?#&%= \t\n"))
		return true;
	srv_log(NULL, SRV_LOG_ERR,
		"%s: '%s' cannot go into a URI as it is (no ?, #, &, %%, = or blanks)", opt, path);
	return false;
}

static int shm_open_mode(struct srv *srv, const struct srv_opts *o, void **state)
{
	struct shm *s = calloc(1, sizeof(*s));
	size_t end, total;
	struct stat st;
	int err;

	if (!s)
		return -ENOMEM;
	s->srv = srv;
	s->fd = -1;
	s->path = srv_abs_path(o->path);
	if (!s->path) {
		shm_free(s, false);
		return -ENOMEM;
	}
	if (!srv_uri_safe("--shmem", s->path)) {
		shm_free(s, false);
		return -EINVAL;
	}

	end = srv_areas_len(o);
	s->doorbell = o->doorbell;
	s->db_width = o->db_width;
	s->db_set = o->db_set;
	s->db_preserve = o->db_preserve;
	s->db_off = (end + 7) & ~(size_t)7;
	if (s->doorbell)
		end = s->db_off + 8;
	total = (end + SHM_PAGE - 1) / SHM_PAGE * SHM_PAGE;
	s->map_len = total;
	if (o->fastchannels) {
		uint64_t phys;

		/* The window at file offset = its physical address: an agent
		 * maps an advertised address from the file as from /dev/mem. */
		scmi_sim_memory_window(&phys, &s->win_len);
		if (phys % SHM_PAGE || phys < total) {
			srv_log(NULL, SRV_LOG_ERR, "--fastchannels: window at 0x%llx unusable",
				(unsigned long long)phys);
			shm_free(s, false);
			return -EINVAL;
		}
		total = (size_t)phys + s->win_len;
	}

	if (!lstat(s->path, &st) && !S_ISREG(st.st_mode)) {
		srv_log(NULL, SRV_LOG_ERR,
			"--shmem: '%s' exists and is not a regular file; "
			"refusing to truncate it",
			s->path);
		shm_free(s, false);
		return -EEXIST;
	}
	s->fd = open(s->path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (s->fd < 0 || ftruncate(s->fd, (off_t)total)) {
		err = errno;
		srv_log(NULL, SRV_LOG_ERR, "--shmem: cannot create '%s': %s", s->path,
			strerror(err));
		shm_free(s, s->fd >= 0);
		return -err;
	}
	s->map = mmap(NULL, s->map_len, PROT_READ | PROT_WRITE, MAP_SHARED, s->fd, 0);
	if (s->map != MAP_FAILED && o->fastchannels)
		s->win = mmap(NULL, s->win_len, PROT_READ | PROT_WRITE, MAP_SHARED, s->fd,
			      (off_t)(total - s->win_len));
	if (s->map == MAP_FAILED || s->win == MAP_FAILED) {
		err = errno;
		srv_log(NULL, SRV_LOG_ERR, "--shmem: cannot map '%s': %s", s->path, strerror(err));
		shm_free(s, true);
		return -err;
	}
	err = srv_areas_new(srv, o, s->map, &s->areas);
	if (err) {
		shm_free(s, true);
		return err;
	}
	if (s->doorbell)
		srv_areas_doorbell(s->areas, s->map + s->db_off, s->db_width, s->db_set);
	srv_log(srv, SRV_LOG_INFO, "serving %u channel pair(s) of %zu bytes in %s (%zu bytes)",
		1 + o->n_protos, o->size, s->path, total);
	*state = s;
	return 0;
}

const struct srv_mode srv_mode_shmem = {
	.name = "shmem",
	.open = shm_open_mode,
	.print_uri = shm_print_uri,
	.poll = shm_poll,
	.output = shm_output,
	.stats = shm_stats,
	.shared_mem = shm_shared_mem,
	.close = shm_close,
};
