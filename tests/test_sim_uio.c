// SPDX-License-Identifier: BSD-3-Clause
/*
 * scmi-sim --uio DIR, the fake UIO device of docs/UIO.md section 3, run as
 * a separate process (SCMI_SIM_BIN).  The test plays the agent by hand,
 * as a uio:// transport would against a real device: it finds the regions
 * in the sysfs entries the server made, maps them through DIR/dev/uio0 (or
 * the PCI resource files), writes commands into A2P areas, rings the
 * doorbell, and waits for the interrupt on DIR/dev/uio0.irq (4-byte count
 * read, 4-byte enable written).  Nothing from lib/ or transports/.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"

/* Area layout (SCMI shared memory), in 32-bit words. */
#define W_STATUS  1
#define W_FLAGS	  4
#define W_LENGTH  5
#define W_HEADER  6
#define W_PAYLOAD 7
#define FREE	  1u
#define ERROR	  2u

#define PAGE	  4096u
#define TESTPROTO 0x80

struct dev {
	pid_t pid;
	char parent[64]; /* a fresh directory; DIR is parent/uio-dev */
	char dir[128];
	char ctl[160];
	char uri[1024];
	bool pci;
	uint8_t *regs, *mem;
	size_t regs_len, mem_len;
	volatile uint32_t *db;
	size_t a2p, p2a, size;
	int irq; /* the interrupt file, opened by irq_open() */
	uint32_t token;
};

/* ---- the server process ----------------------------------------------------- */

static const char *param(const struct dev *d, const char *key)
{
	static char buf[512];
	const char *q = strchr(d->uri, '?');
	size_t klen = strlen(key);

	for (; q; q = strchr(q, '&')) {
		q++;
		if (!strncmp(q, key, klen) && q[klen] == '=') {
			size_t n = strcspn(q + klen + 1, "&");

			cr_assert_lt(n, sizeof(buf));
			memcpy(buf, q + klen + 1, n);
			buf[n] = '\0';
			return buf;
		}
	}
	return NULL;
}

static size_t param_num(const struct dev *d, const char *key)
{
	const char *v = param(d, key);

	cr_assert(v, "URI '%s' has no %s", d->uri, key);
	return (size_t)strtoull(v, NULL, 0);
}

/* The text of DIR/sys/class/uio/uio0/@rel (static buffer), newline kept. */
static const char *sysfs(const struct dev *d, const char *rel)
{
	static char buf[1024]; /* device/resource: 7 lines of 57 bytes */
	char path[384];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/sys/class/uio/uio0/%s", d->dir, rel);
	fd = open(path, O_RDONLY);
	cr_assert_geq(fd, 0, "%s: %s", path, strerror(errno));
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	cr_assert_geq(n, 0);
	buf[n] = '\0';
	return buf;
}

static size_t sysfs_num(const struct dev *d, const char *rel)
{
	return (size_t)strtoull(sysfs(d, rel), NULL, 16);
}

static void *map_file(const char *path, size_t len, off_t off)
{
	int fd = open(path, O_RDWR);
	void *p;

	cr_assert_geq(fd, 0, "%s: %s", path, strerror(errno));
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, off);
	cr_assert_neq(p, MAP_FAILED, "mmap %s: %s", path, strerror(errno));
	close(fd);
	return p;
}

static size_t file_size(const char *path)
{
	struct stat st;

	cr_assert_eq(stat(path, &st), 0, "%s: %s", path, strerror(errno));
	return (size_t)st.st_size;
}

/* Map the regions as a uio:// transport would: maps through the device
 * node at K pages (platform), BARs through device/resourceN (pci). */
static void map_regions(struct dev *d)
{
	char path[384];

	if (!d->pci) {
		snprintf(path, sizeof(path), "%s/dev/uio0", d->dir);
		cr_assert_str_eq(param(d, "devnode"), path);
		d->regs_len = sysfs_num(d, "maps/map0/size");
		d->mem_len = sysfs_num(d, "maps/map1/size");
		d->regs = map_file(path, d->regs_len, 0);
		d->mem = map_file(path, d->mem_len, PAGE);
		cr_assert_str_eq(param(d, "db"), "map0:0x0");
		d->db = (volatile uint32_t *)(void *)d->regs;
	} else {
		snprintf(path, sizeof(path), "%s/sys/class/uio/uio0/device/resource0", d->dir);
		d->regs_len = file_size(path);
		d->regs = map_file(path, d->regs_len, 0);
		snprintf(path, sizeof(path), "%s/sys/class/uio/uio0/device/resource2", d->dir);
		d->mem_len = file_size(path);
		d->mem = map_file(path, d->mem_len, 0);
		cr_assert_str_eq(param(d, "db"), "res0:0xc");
		d->db = (volatile uint32_t *)(void *)(d->regs + 0xc);
	}
	cr_assert_str_eq(param(d, "shm"), d->pci ? "res2" : "map1");
}

/* Start `scmi-sim --uio DIR --control CTL @args...`; read its URI; map. */
static void dev_start(struct dev *d, const char *const *args)
{
	static unsigned int n;
	const char *argv[32] = {SCMI_SIM_BIN, "--uio", NULL, "--control", NULL};
	int argc = 5;
	char path[256];

	memset(d, 0, sizeof(*d));
	d->irq = -1;
	d->token = 1;
	snprintf(d->parent, sizeof(d->parent), "/tmp/scmi-sim-uio-test-XXXXXX");
	cr_assert(mkdtemp(d->parent), "mkdtemp: %s", strerror(errno));
	snprintf(d->dir, sizeof(d->dir), "%s/uio-dev", d->parent);
	snprintf(d->ctl, sizeof(d->ctl), "%s/ctl.%u", d->parent, n++);
	argv[2] = d->dir;
	argv[4] = d->ctl;
	for (size_t i = 0; args && args[i]; i++) {
		argv[argc++] = args[i];
		if (!strcmp(args[i], "pci"))
			d->pci = true;
	}
	d->pid = test_sim_spawn(argv, false, d->uri, sizeof(d->uri));

	cr_assert_eq(strncmp(d->uri, "uio://uio0?", 11), 0, "URI '%s'", d->uri);
	snprintf(path, sizeof(path), "%s/sys", d->dir);
	cr_assert_str_eq(param(d, "sysfs"), path);
	snprintf(path, sizeof(path), "%s/dev/uio0.irq", d->dir);
	cr_assert_str_eq(param(d, "irq"), path);
	d->a2p = param_num(d, "a2p");
	d->p2a = param_num(d, "p2a");
	d->size = param_num(d, "size");
	map_regions(d);
	cr_assert_geq(d->mem_len, d->p2a + d->size);
}

/* Exit status of the server (it must exit within 10 s). */
static int dev_wait(struct dev *d)
{
	int status = test_sim_wait(d->pid);

	if (d->irq >= 0)
		close(d->irq);
	d->irq = -1;
	munmap(d->regs, d->regs_len);
	munmap(d->mem, d->mem_len);
	return status;
}

/* SIGTERM; exit 0; everything under DIR gone, DIR too (it made it). */
static void dev_stop(struct dev *d)
{
	kill(d->pid, SIGTERM);
	cr_assert_eq(dev_wait(d), 0, "exit status after SIGTERM");
	cr_assert_neq(access(d->dir, F_OK), 0, "%s removed", d->dir);
	cr_assert_eq(rmdir(d->parent), 0, "only DIR was under %s: %s", d->parent, strerror(errno));
}

/* One control command; its reply line (static buffer). */
static const char *control(struct dev *d, const char *cmd)
{
	return test_control_at(d->ctl, cmd);
}

/* A counter of `stats` (it ends with the mode's counters). */
static unsigned long long stat_of(struct dev *d, const char *key)
{
	return test_field(control(d, "stats"), key);
}

/* ---- the agent's side -------------------------------------------------------- */

static volatile uint32_t *area(struct dev *d, size_t off)
{
	return (volatile uint32_t *)(void *)(d->mem + off);
}

static uint32_t get(struct dev *d, size_t off, unsigned int word)
{
	return __atomic_load_n(&area(d, off)[word], __ATOMIC_ACQUIRE);
}

static void set(struct dev *d, size_t off, unsigned int word, uint32_t v)
{
	__atomic_store_n(&area(d, off)[word], v, __ATOMIC_RELEASE);
}

struct status_is {
	struct dev *d;
	size_t off;
	uint32_t mask, want;
};

static bool status_is(void *arg)
{
	struct status_is *s = arg;

	return (get(s->d, s->off, W_STATUS) & s->mask) == s->want;
}

static bool wait_status(struct dev *d, size_t off, uint32_t mask, uint32_t want)
{
	struct status_is s = {d, off, mask, want};

	return test_wait_until(status_is, &s, 5000);
}

/* Fill the A2P area at @off with a command (channel_status cleared last)
 * and ring the doorbell.  The header sent. */
static uint32_t send_cmd(struct dev *d, size_t off, uint8_t proto, uint8_t msg,
			 const uint32_t *payload, size_t words)
{
	uint32_t hdr = msg | (uint32_t)proto << 10 | (d->token++ & 0x3ffu) << 18;

	cr_assert(get(d, off, W_STATUS) & FREE, "A2P area 0x%zx busy", off);
	set(d, off, W_FLAGS, 0);
	set(d, off, W_LENGTH, 4 + 4 * (uint32_t)words);
	set(d, off, W_HEADER, hdr);
	for (size_t i = 0; i < words; i++)
		set(d, off, W_PAYLOAD + (unsigned int)i, payload[i]);
	set(d, off, W_STATUS, 0);
	__atomic_store_n(d->db, 1u, __ATOMIC_RELEASE);
	return hdr;
}

/* The response to @hdr in the area at @off (FREE already seen): its
 * status; the first data word into *@data if not NULL. */
static int32_t response(struct dev *d, size_t off, uint32_t hdr, uint32_t *data)
{
	uint32_t len = get(d, off, W_LENGTH);

	cr_assert_eq(get(d, off, W_STATUS), FREE, "a response, not an error");
	cr_assert_eq(get(d, off, W_HEADER), hdr, "the command's header comes back");
	cr_assert_geq(len, 8);
	if (data) {
		cr_assert_geq(len, 12);
		*data = get(d, off, W_PAYLOAD + 1);
	}
	return (int32_t)get(d, off, W_PAYLOAD);
}

/* A command, its completion seen by polling FREE ("polling in"). */
static int32_t call_polling(struct dev *d, size_t off, uint8_t proto, uint8_t msg,
			    const uint32_t *payload, size_t words, uint32_t *data)
{
	uint32_t hdr = send_cmd(d, off, proto, msg, payload, words);

	cr_assert(wait_status(d, off, FREE, FREE), "no response in 0x%zx", off);
	return response(d, off, hdr, data);
}

static void irq_open(struct dev *d)
{
	d->irq = open(param(d, "irq"), O_RDWR | O_NOCTTY | O_CLOEXEC);
	cr_assert_geq(d->irq, 0, "%s: %s", param(d, "irq"), strerror(errno));
}

/* Enable (1) or disable (0) the interrupt: 0 or the write's -errno. */
static int irq_control(struct dev *d, uint32_t on)
{
	ssize_t w = write(d->irq, &on, sizeof(on));

	if (w == (ssize_t)sizeof(on))
		return 0;
	return w < 0 ? -errno : -EIO;
}

/* Whether an interrupt comes within @ms. */
static bool irq_ready(struct dev *d, int ms)
{
	struct pollfd p = {d->irq, POLLIN, 0};

	return poll(&p, 1, ms) == 1 && (p.revents & POLLIN);
}

/* Wait for the next interrupt (5 s at most): the count it carries. */
static uint32_t irq_wait(struct dev *d)
{
	uint32_t count = 0;

	cr_assert(irq_ready(d, 5000), "no interrupt");
	cr_assert_eq(read(d->irq, &count, sizeof(count)), (ssize_t)sizeof(count));
	return count;
}

/* Whether no interrupt is outstanding.  Asked after a control command
 * answered: the server raises before it reads the control socket. */
static bool irq_quiet(struct dev *d)
{
	return !irq_ready(d, 0);
}

/* Enable the test protocol's event 0 for source @src through the common
 * channel, completion by polling. */
static void enable_test_event(struct dev *d, uint32_t src)
{
	uint32_t req[3] = {0, src, 1};

	cr_assert_eq(call_polling(d, d->a2p, TESTPROTO, 0x5, req, 3, NULL), 0, "test NOTIFY");
}

/* ---- tests ----------------------------------------------------------------- */

TestSuite(sim_uio, .timeout = 60);

Test(sim_uio, platform_layout)
{
	struct dev d;
	char path[384], link[256];
	ssize_t n;

	dev_start(&d, NULL);
	cr_assert_eq(d.a2p, 0);
	cr_assert_eq(d.p2a, 128);
	cr_assert_eq(d.size, 128);
	cr_assert_str_eq(sysfs(&d, "name"), "scmi-sim\n");
	cr_assert_str_eq(sysfs(&d, "version"), "1\n");
	cr_assert_str_eq(sysfs(&d, "event"), "0\n");
	cr_assert_str_eq(sysfs(&d, "maps/map0/name"), "mbox\n");
	cr_assert_str_eq(sysfs(&d, "maps/map0/addr"), "0x0000000010000000\n");
	cr_assert_str_eq(sysfs(&d, "maps/map0/size"), "0x0000000000001000\n");
	cr_assert_str_eq(sysfs(&d, "maps/map0/offset"), "0x0\n");
	cr_assert_str_eq(sysfs(&d, "maps/map1/name"), "shmem\n");
	cr_assert_str_eq(sysfs(&d, "maps/map1/addr"), "0x0000000010001000\n");
	cr_assert_str_eq(sysfs(&d, "maps/map1/size"), "0x0000000000001000\n");
	cr_assert_str_eq(sysfs(&d, "maps/map1/offset"), "0x0\n");
	snprintf(path, sizeof(path), "%s/sys/class/uio/uio0/device", d.dir);
	cr_assert_neq(access(path, F_OK), 0, "no device/ in the platform form");
	snprintf(path, sizeof(path), "%s/dev/uio0", d.dir);
	cr_assert_eq(file_size(path), 2 * PAGE, "map0, then map1 at one page");
	/* The interrupt: a pseudo-terminal's slave. */
	snprintf(path, sizeof(path), "%s/dev/uio0.irq", d.dir);
	n = readlink(path, link, sizeof(link) - 1);
	cr_assert_gt(n, 0, "%s is a symlink", path);
	link[n] = '\0';
	cr_assert_eq(strncmp(link, "/dev/pts/", 9), 0, "%s -> %s", path, link);
	cr_assert_eq(param(&d, "completion"), NULL, "the transport picks irq by itself");
	/* Every area starts free; the doorbell is clear. */
	cr_assert_eq(get(&d, d.a2p, W_STATUS), FREE);
	cr_assert_eq(get(&d, d.p2a, W_STATUS), FREE);
	cr_assert_eq(*d.db, 0);
	cr_assert_str_eq(control(&d, "ping"), "ok pong");
	cr_assert_eq(stat_of(&d, "uio_irq"), 1);
	dev_stop(&d);
}

Test(sim_uio, command_completes_with_an_interrupt)
{
	struct dev d;
	uint32_t hdr, version = 0;

	dev_start(&d, NULL);
	irq_open(&d);
	cr_assert_eq(irq_control(&d, 1), 0, "enable");
	hdr = send_cmd(&d, d.a2p, 0x10, 0x0, NULL, 0); /* Base PROTOCOL_VERSION */
	cr_assert_eq(irq_wait(&d), 1, "the first interrupt carries count 1");
	cr_assert_eq(get(&d, d.a2p, W_STATUS) & FREE, FREE, "FREE before the interrupt");
	cr_assert_eq(response(&d, d.a2p, hdr, &version), 0);
	cr_assert_eq(version, 0x20001, "Base 2.1, got 0x%x", version);
	cr_assert_eq(*d.db & 1, 0, "the doorbell bit was taken");
	/* Masked until re-enabled: the next completion waits for it. */
	hdr = send_cmd(&d, d.a2p, 0x10, 0x3, NULL, 0); /* DISCOVER_VENDOR */
	cr_assert(wait_status(&d, d.a2p, FREE, FREE));
	cr_assert_eq(response(&d, d.a2p, hdr, NULL), 0);
	cr_assert_eq(stat_of(&d, "uio_irq_pending"), 1, "latched while masked");
	cr_assert(irq_quiet(&d));
	cr_assert_eq(irq_control(&d, 1), 0, "re-enable");
	cr_assert_eq(irq_wait(&d), 2, "the latched one, at re-enable");
	cr_assert_eq(stat_of(&d, "uio_irq_sent"), 2);
	cr_assert_str_eq(sysfs(&d, "event"), "2\n");
	cr_assert_eq(stat_of(&d, "a2p_responses"), 2);
	cr_assert_eq(stat_of(&d, "doorbells"), 2);
	dev_stop(&d);
}

Test(sim_uio, ping_pong_through_the_interrupt)
{
	struct dev d;

	dev_start(&d, NULL);
	irq_open(&d);
	for (uint32_t i = 1; i <= 200; i++) {
		uint32_t hdr;

		cr_assert_eq(irq_control(&d, 1), 0);
		hdr = send_cmd(&d, d.a2p, 0x10, 0x0, NULL, 0);
		cr_assert_eq(irq_wait(&d), i);
		cr_assert_eq(response(&d, d.a2p, hdr, NULL), 0);
	}
	/* An enable travels through the pty, the doorbell through memory:
	 * the response may come first, and its interrupt is latched until
	 * the enable arrives -- never lost. */
	cr_assert_eq(stat_of(&d, "uio_irq_sent"), 200);
	cr_assert_eq(stat_of(&d, "uio_irq_lost"), 0);
	dev_stop(&d);
}

Test(sim_uio, disabled_interrupt_is_latched)
{
	struct dev d;

	dev_start(&d, NULL);
	irq_open(&d);
	/* It starts disabled: a completion now is latched. */
	cr_assert_eq(call_polling(&d, d.a2p, 0x10, 0x0, NULL, 0, NULL), 0);
	cr_assert_eq(stat_of(&d, "uio_irq_pending"), 1);
	cr_assert(irq_quiet(&d), "no interrupt while disabled");
	/* Enabled then disabled again: still nothing. */
	cr_assert_eq(irq_control(&d, 0), 0);
	cr_assert_eq(stat_of(&d, "uio_irq_disables"), 1);
	cr_assert(irq_quiet(&d));
	cr_assert_eq(irq_control(&d, 1), 0);
	cr_assert_eq(irq_wait(&d), 1);
	cr_assert_eq(stat_of(&d, "uio_irq_latched"), 1);
	cr_assert_eq(stat_of(&d, "uio_irq_pending"), 0);
	dev_stop(&d);
}

Test(sim_uio, bad_length_error_raises_too)
{
	struct dev d;

	dev_start(&d, NULL);
	irq_open(&d);
	cr_assert_eq(irq_control(&d, 1), 0);
	set(&d, d.a2p, W_LENGTH, 2); /* shorter than a header */
	set(&d, d.a2p, W_HEADER, 0x10 << 10);
	set(&d, d.a2p, W_STATUS, 0);
	__atomic_store_n(d.db, 1u, __ATOMIC_RELEASE);
	cr_assert_eq(irq_wait(&d), 1);
	cr_assert_eq(get(&d, d.a2p, W_STATUS), FREE | ERROR);
	dev_stop(&d);
}

Test(sim_uio, notification_raises_the_interrupt)
{
	const char *args[] = {"--test-protocols", "0x80:8", NULL};
	struct dev d;

	dev_start(&d, args);
	irq_open(&d);
	enable_test_event(&d, 7);
	cr_assert_eq(irq_control(&d, 1), 0, "enable (the latched completion comes)");
	cr_assert_eq(irq_wait(&d), 1);
	cr_assert_eq(irq_control(&d, 1), 0);
	cr_assert(irq_quiet(&d));
	cr_assert_str_eq(control(&d, "notify 0x80 0 7"), "ok sent=1");
	cr_assert_eq(irq_wait(&d), 2, "the P2A message's interrupt");
	cr_assert_eq(get(&d, d.p2a, W_STATUS) & FREE, 0, "the P2A area holds the message");
	cr_assert_eq((get(&d, d.p2a, W_HEADER) >> 10) & 0xff, TESTPROTO);
	cr_assert_eq((get(&d, d.p2a, W_HEADER) >> 8) & 0x3, 3, "a notification");
	cr_assert_eq(get(&d, d.p2a, W_PAYLOAD), 7, "its source");
	/* The next one waits in the queue until the agent acknowledges. */
	cr_assert_eq(irq_control(&d, 1), 0);
	cr_assert_str_eq(control(&d, "notify 0x80 0 7"), "ok sent=1");
	cr_assert(irq_quiet(&d), "no message written: no interrupt");
	cr_assert_eq(stat_of(&d, "p2a_queued"), 1);
	set(&d, d.p2a, W_STATUS, FREE);
	cr_assert_eq(irq_wait(&d), 3);
	cr_assert_eq(stat_of(&d, "p2a_sent"), 2);
	dev_stop(&d);
}

Test(sim_uio, interrupt_storm)
{
	struct dev d;

	dev_start(&d, NULL);
	irq_open(&d);
	cr_assert_str_eq(control(&d, "uio-irq-storm 3"), "ok");
	cr_assert(irq_quiet(&d), "not while disabled");
	for (uint32_t i = 1; i <= 3; i++) {
		cr_assert_eq(irq_control(&d, 1), 0);
		cr_assert_eq(irq_wait(&d), i, "storm interrupt %u", i);
	}
	cr_assert_eq(irq_control(&d, 1), 0);
	cr_assert_eq(stat_of(&d, "uio_irq_storm_left"), 0);
	cr_assert_eq(stat_of(&d, "uio_irq_storm_sent"), 3);
	cr_assert(irq_quiet(&d), "three, no more");
	/* Nothing to read anywhere, and the channel still works. */
	cr_assert_eq(get(&d, d.a2p, W_STATUS), FREE);
	cr_assert_eq(get(&d, d.p2a, W_STATUS), FREE);
	send_cmd(&d, d.a2p, 0x10, 0x0, NULL, 0);
	cr_assert_eq(irq_wait(&d), 4);
	cr_assert_str_eq(control(&d, "uio-irq-storm"), "error usage: uio-irq-storm N (0..1000000)");
	cr_assert_str_eq(control(&d, "uio-irq-storm x"),
			 "error usage: uio-irq-storm N (0..1000000)");
	dev_stop(&d);
}

Test(sim_uio, dropped_interrupt)
{
	struct dev d;
	uint32_t hdr;

	dev_start(&d, NULL);
	irq_open(&d);
	cr_assert_eq(irq_control(&d, 1), 0);
	cr_assert_str_eq(control(&d, "uio-irq-drop 1"), "ok");
	hdr = send_cmd(&d, d.a2p, 0x10, 0x0, NULL, 0);
	cr_assert(wait_status(&d, d.a2p, FREE, FREE), "the response comes");
	cr_assert_eq(response(&d, d.a2p, hdr, NULL), 0);
	cr_assert_eq(stat_of(&d, "uio_irq_dropped"), 1);
	cr_assert(irq_quiet(&d), "its interrupt was lost, not latched");
	cr_assert_eq(stat_of(&d, "uio_irq_pending"), 0);
	/* Still enabled: the next one comes. */
	send_cmd(&d, d.a2p, 0x10, 0x0, NULL, 0);
	cr_assert_eq(irq_wait(&d), 1);
	dev_stop(&d);
}

Test(sim_uio, removed_while_open)
{
	struct dev d;
	uint32_t count;
	char path[384];

	dev_start(&d, NULL);
	irq_open(&d);
	cr_assert_eq(irq_control(&d, 1), 0);
	cr_assert_str_eq(control(&d, "uio-remove"), "ok");
	cr_assert_neq(access(d.dir, F_OK), 0, "DIR is gone");
	/* The agent's view: end of file on read, EIO on the enable write. */
	{
		struct pollfd p = {d.irq, POLLIN, 0};

		cr_assert_eq(poll(&p, 1, 5000), 1, "a hang-up wakes a waiting agent");
		cr_assert_eq(p.revents & (POLLIN | POLLHUP), POLLIN | POLLHUP, "revents 0x%x",
			     p.revents);
	}
	cr_assert_eq(read(d.irq, &count, sizeof(count)), 0);
	cr_assert_eq(irq_control(&d, 1), -EIO);
	/* Nobody answers any more; the mappings stay valid. */
	send_cmd(&d, d.a2p, 0x10, 0x0, NULL, 0);
	cr_assert_str_eq(control(&d, "uio-remove"), "error the device was removed");
	cr_assert_eq(get(&d, d.a2p, W_STATUS) & FREE, 0, "no response");
	cr_assert_eq(stat_of(&d, "uio_removed"), 1);
	snprintf(path, sizeof(path), "%s/dev/uio0", d.dir);
	cr_assert_neq(access(path, F_OK), 0);
	dev_stop(&d);
}

Test(sim_uio, pci_form_polling_in)
{
	const char *args[] = {"--uio-form", "pci", NULL};
	struct dev d;
	char path[384], link[64];
	uint32_t v = 1;
	ssize_t n;

	dev_start(&d, args);
	cr_assert_str_eq(sysfs(&d, "name"), "scmi-sim\n");
	cr_assert_str_eq(sysfs(&d, "device/vendor"), "0x1af4\n");
	cr_assert_str_eq(sysfs(&d, "device/device"), "0x1110\n");
	cr_assert_eq(d.regs_len, 256, "resource0: 256 bytes of registers");
	cr_assert_eq(d.mem_len, PAGE, "resource2: the areas, a page");
	snprintf(path, sizeof(path), "%s/sys/class/uio/uio0/maps", d.dir);
	cr_assert_neq(access(path, F_OK), 0, "no maps in the pci form");
	snprintf(path, sizeof(path), "%s/dev/uio0", d.dir);
	cr_assert_eq(file_size(path), 0, "nothing mapped through the node");
	n = readlink(param(&d, "irq"), link, sizeof(link) - 1);
	cr_assert_gt(n, 0);
	link[n] = '\0';
	cr_assert_str_eq(link, "/dev/full", "no usable interrupt");
	irq_open(&d);
	cr_assert_eq(irq_control(&d, v), -ENOSPC, "enabling fails: poll instead");
	cr_assert_eq(call_polling(&d, d.a2p, 0x10, 0x0, NULL, 0, &v), 0);
	cr_assert_eq(v, 0x20001);
	cr_assert_eq(*d.db & 1, 0, "the Doorbell register's bit taken");
	cr_assert_eq(stat_of(&d, "uio_irq"), 0);
	cr_assert_str_eq(control(&d, "uio-irq-storm 1"), "error no interrupt (--no-uio-irq)");
	dev_stop(&d);
}

/* --fastchannels: the simulator's memory window at its physical address
 * (0x50000000, 64 KiB) -- the platform form's map1 goes on past the areas
 * to cover it, the pci form has it as BAR 4, its address in
 * device/resource. */
Test(sim_uio, fastchannel_window_in_both_forms)
{
	const char *plat[] = {"--fastchannels", NULL};
	const char *pci[] = {"--uio-form", "pci", "--fastchannels", NULL};
	struct dev d;
	char path[384];

	dev_start(&d, plat);
	cr_assert_str_eq(sysfs(&d, "maps/map0/addr"), "0x0000000010000000\n");
	cr_assert_str_eq(sysfs(&d, "maps/map1/addr"), "0x000000004ffff000\n",
			 "the areas' page, then the window at 0x50000000");
	cr_assert_str_eq(sysfs(&d, "maps/map1/size"), "0x0000000000011000\n");
	snprintf(path, sizeof(path), "%s/sys/class/uio/uio0/maps/map2", d.dir);
	cr_assert_neq(access(path, F_OK), 0, "no other map");
	snprintf(path, sizeof(path), "%s/dev/uio0", d.dir);
	cr_assert_eq(file_size(path), 2 * PAGE + 0x10000);
	dev_stop(&d);

	dev_start(&d, pci);
	cr_assert_str_eq(sysfs(&d, "device/resource"),
			 "0x0000000010000000 0x00000000100000ff 0x0000000000040200\n"
			 "0x0000000000000000 0x0000000000000000 0x0000000000000000\n"
			 "0x0000000020000000 0x0000000020000fff 0x0000000000040200\n"
			 "0x0000000000000000 0x0000000000000000 0x0000000000000000\n"
			 "0x0000000050000000 0x000000005000ffff 0x0000000000040200\n"
			 "0x0000000000000000 0x0000000000000000 0x0000000000000000\n"
			 "0x0000000000000000 0x0000000000000000 0x0000000000000000\n");
	snprintf(path, sizeof(path), "%s/sys/class/uio/uio0/device/resource4", d.dir);
	cr_assert_eq(file_size(path), 0x10000, "BAR 4: the window");
	dev_stop(&d);
}

Test(sim_uio, pci_form_with_interrupt)
{
	const char *args[] = {"--uio-form", "pci", "--uio-irq", NULL};
	struct dev d;
	uint32_t hdr;

	dev_start(&d, args);
	irq_open(&d);
	cr_assert_eq(irq_control(&d, 1), 0);
	hdr = send_cmd(&d, d.a2p, 0x10, 0x0, NULL, 0);
	cr_assert_eq(irq_wait(&d), 1);
	cr_assert_eq(response(&d, d.a2p, hdr, NULL), 0);
	dev_stop(&d);
}

Test(sim_uio, platform_form_without_interrupt)
{
	const char *args[] = {"--no-uio-irq", NULL};
	struct dev d;

	dev_start(&d, args);
	irq_open(&d);
	cr_assert_eq(irq_control(&d, 1), -ENOSPC);
	cr_assert_eq(call_polling(&d, d.a2p, 0x10, 0x0, NULL, 0, NULL), 0);
	dev_stop(&d);
}

Test(sim_uio, per_protocol_channel)
{
	const char *args[] = {
		"--test-protocols", "0x80:4", "--per-protocol", "0x80", "--size", "256", NULL};
	struct dev d;
	size_t a2p, p2a;
	uint32_t req[3] = {0, 3, 1}, hdr;

	dev_start(&d, args);
	cr_assert_eq(d.size, 256);
	a2p = param_num(&d, "a2p.0x80");
	p2a = param_num(&d, "p2a.0x80");
	cr_assert_eq(a2p, 512);
	cr_assert_eq(p2a, 768);
	irq_open(&d);
	cr_assert_eq(irq_control(&d, 1), 0);
	hdr = send_cmd(&d, a2p, TESTPROTO, 0x5, req, 3);
	cr_assert_eq(irq_wait(&d), 1);
	cr_assert_eq(response(&d, a2p, hdr, NULL), 0);
	cr_assert_eq(irq_control(&d, 1), 0);
	cr_assert_str_eq(control(&d, "notify 0x80 0 3"), "ok sent=1");
	cr_assert_eq(irq_wait(&d), 2);
	cr_assert_eq(get(&d, p2a, W_STATUS) & FREE, 0, "in the protocol's own P2A area");
	cr_assert_eq(get(&d, d.p2a, W_STATUS), FREE);
	dev_stop(&d);
}

/* `scmi-sim --uio @dir`, no control socket: its pid; its URI checked. */
static pid_t serve(const char *dir)
{
	const char *argv[] = {SCMI_SIM_BIN, "--uio", dir, NULL};
	char line[1024];
	pid_t pid = test_sim_spawn(argv, false, line, sizeof(line));

	cr_assert_eq(strncmp(line, "uio://uio0?sysfs=", 17), 0, "%s", line);
	return pid;
}

static void terminate(pid_t pid)
{
	kill(pid, SIGTERM);
	cr_assert_eq(test_sim_wait(pid), 0);
}

Test(sim_uio, quit_with_keep_leaves_the_files)
{
	const char *args[] = {"--keep", NULL};
	struct dev d;
	char path[384];

	dev_start(&d, args);
	cr_assert_str_eq(control(&d, "quit"), "ok");
	cr_assert_eq(dev_wait(&d), 0);
	snprintf(path, sizeof(path), "%s/sys/class/uio/uio0/maps/map1/size", d.dir);
	cr_assert_eq(access(path, F_OK), 0, "--keep: the files stay");
	cr_assert_neq(access(d.ctl, F_OK), 0, "the socket is gone");
	/* A second server takes the kept tree over and removes it all but
	 * DIR (which it found there). */
	terminate(serve(d.dir));
	cr_assert_neq(access(path, F_OK), 0);
	cr_assert_eq(rmdir(d.dir), 0, "DIR stays, empty: %s", strerror(errno));
	cr_assert_eq(rmdir(d.parent), 0);
}

Test(sim_uio, existing_dir_stays)
{
	char dir[] = "/tmp/scmi-sim-uio-test-XXXXXX";

	cr_assert(mkdtemp(dir));
	terminate(serve(dir));
	cr_assert_eq(rmdir(dir), 0, "%s is still there, and empty: %s", dir, strerror(errno));
}

/* ---- the command line ---------------------------------------------------------- */

Test(sim_uio, bad_options_exit_2)
{
	static const struct {
		const char *args[6];
		const char *msg;
	} cases[] = {
		{{"--uio", "/tmp/scmi-uio-never", "--shmem", "/tmp/scmi-uio-never.shm", NULL},
		 "one mode at a time"},
		{{"--uio", "/tmp/scmi-uio-never", "--uio-form", "isa", NULL}, "--uio-form"},
		{{"--shmem", "/tmp/scmi-uio-never.shm", "--uio-irq", NULL}, "need --uio"},
		{{"--uio", "/tmp/scmi-uio-never", "--doorbell", NULL}, "do not apply to --uio"},
		{{"--uio", "", NULL}, "--uio: empty path"},
		{{"--uio", "/tmp/scmi uio", NULL}, "cannot go into a URI"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *argv[8] = {SCMI_SIM_BIN};
		char err[4096], out[16];
		int argc = 1, status;

		for (size_t k = 0; cases[i].args[k]; k++)
			argv[argc++] = cases[i].args[k];
		status = test_sim_run(argv, out, sizeof(out), err, sizeof(err));
		cr_assert_str_eq(out, "", "case %zu: no URI", i);
		/* A path that cannot go into a URI is a setup failure (1). */
		cr_assert_eq(status, i == 5 ? 1 : 2, "case %zu: status %d (%s)", i, status, err);
		cr_assert(strstr(err, cases[i].msg), "case %zu: '%s' in '%s'", i, cases[i].msg,
			  err);
	}
	cr_assert_neq(access("/tmp/scmi-uio-never", F_OK), 0, "nothing created");
	cr_assert_neq(access("/tmp/scmi uio", F_OK), 0, "nothing created");
}

Test(sim_uio, help_documents_the_mode)
{
	const char *argv[] = {SCMI_SIM_BIN, "--help", NULL};
	static char out[65536];

	cr_assert_eq(test_sim_run(argv, out, sizeof(out), NULL, 0), 0);
	for (const char *const *w =
		     (const char *const[]){"--uio DIR", "--uio-form", "--uio-irq", "--no-uio-irq",
					   "uio-irq-storm", "uio-irq-drop", "uio-remove", NULL};
	     *w; w++)
		cr_assert(strstr(out, *w), "--help mentions %s", *w);
}
