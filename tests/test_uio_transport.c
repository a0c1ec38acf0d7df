// SPDX-License-Identifier: BSD-3-Clause
/*
 * The uio:// transport against a fake UIO device built here, as docs/UIO.md
 * §3 lays it out: a sysfs-like directory (maps/mapK of a platform device, or
 * device/resourceN of a PCI function), a regular file as /dev/uio0, and as
 * the interrupt file either the slave of a pseudo-terminal in raw mode (the
 * platform raises an interrupt by writing a uint32_t to the master and reads
 * the agent's re-enable writes from it) or /dev/full (enabling fails: no
 * usable interrupt, the agent polls).
 *
 * The platform is played by a thread of the test: it watches the doorbell,
 * hands each command to an in-process simulator (scmi_sim_process()),
 * writes the response into the A2P area and raises the interrupt, and
 * posts notifications into the P2A area the same way.  Knobs let a test
 * drop interrupts (a missed one), raise interrupts with nothing to read (a
 * storm), or remove the device (close the pty master).
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <scmi/shmem.h>
#include <scmi/transport.h>

#include "agent_testproto.h"
#include "common.h"
#include "helpers.h"

#define TP	  0xF0
#define AREA	  128u
#define SHM_SIZE  0x1000u
#define PAGE	  4096u
#define BAR0_SIZE 256u
#define P2A_QUEUE 64u

enum form {
	FORM_PLATFORM,
	FORM_PCI
};

/* An interrupt line toward the agent: a pty and the platform's view of it. */
struct line {
	int master, slave; /* -1: none */
	bool enabled;	   /* the agent enabled the interrupt (platform thread) */
	bool latched;	   /* a raise while disabled (platform thread) */
	uint32_t count;
	unsigned int rx_bytes;
	atomic_uint raised, enables;
};

/* The fake device and the platform playing it. */
struct plat {
	enum form form;
	char dir[64];
	char sys[128];
	char devnode[128];
	char irq[128];
	char uri[1024];
	uint8_t *shm;  /* the channel areas (map1 / resource2), SHM_SIZE */
	uint8_t *regs; /* the doorbell's region (map0 / resource0) */
	volatile uint32_t *db;
	void *maps[3];
	size_t map_lens[3];
	struct line l[2]; /* uio0's interrupt; uio1's (p2a_dev) */
	uint8_t *p2a;	  /* the P2A area */
	struct line *p2a_line;

	struct scmi_sim *sim;
	pthread_t thread;
	bool running;
	atomic_bool stop;
	uint8_t p2a_q[P2A_QUEUE][AREA];
	size_t p2a_len[P2A_QUEUE];
	unsigned int p2a_head, p2a_tail;
	/* Counters and knobs (any thread). */
	atomic_uint doorbells, requests, dropped;
	atomic_uint drop;	       /* skip the next N raises */
	atomic_uint storm;	       /* raise N interrupts with nothing to read */
	atomic_uint burst;	       /* write N counts at once, ignoring the protocol */
	atomic_uint emit;	       /* emit N test-protocol notifications */
	atomic_bool remove_on_command; /* close the master instead of answering */
	atomic_bool removed;
};

static struct plat P;

/* ---- the fake device ----------------------------------------------------- */

static void area_put(uint8_t *area, unsigned int off, uint32_t v);

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	cr_assert(f, "%s", path);
	fputs(text, f);
	fclose(f);
}

static void mkdirs(const char *path)
{
	char buf[512];

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *s = buf + 1; *s; s++) {
		if (*s == '/') {
			*s = '\0';
			mkdir(buf, 0755);
			*s = '/';
		}
	}
	cr_assert(!mkdir(buf, 0755) || errno == EEXIST, "mkdir %s", buf);
}

/* A file of @size bytes at @path, mapped. */
static void *file_map(const char *path, size_t size, int slot)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	void *m;

	cr_assert_geq(fd, 0, "%s", path);
	cr_assert_eq(ftruncate(fd, (off_t)size), 0);
	m = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	cr_assert_neq(m, MAP_FAILED);
	close(fd);
	P.maps[slot] = m;
	P.map_lens[slot] = size;
	return m;
}

static void map_dir(const char *dev, unsigned int k, const char *name, uint64_t addr, size_t size)
{
	char dir[512], buf[32];

	snprintf(dir, sizeof(dir), "%s/maps/map%u", dev, k);
	mkdirs(dir);
	write_file(dir, "name", name);
	snprintf(buf, sizeof(buf), "0x%llx\n", (unsigned long long)addr);
	write_file(dir, "addr", buf);
	snprintf(buf, sizeof(buf), "0x%zx\n", size);
	write_file(dir, "size", buf);
	write_file(dir, "offset", "0x0\n");
}

/* A pty standing in for an interrupt: raw mode, its slave linked as the
 * interrupt file @link. */
static void pty_setup(struct line *l, const char *link)
{
	struct termios t;
	const char *name;

	l->master = posix_openpt(O_RDWR | O_NOCTTY);
	cr_assert_geq(l->master, 0);
	cr_assert_eq(grantpt(l->master), 0);
	cr_assert_eq(unlockpt(l->master), 0);
	name = ptsname(l->master);
	cr_assert(name);
	l->slave = open(name, O_RDWR | O_NOCTTY);
	cr_assert_geq(l->slave, 0);
	cr_assert_eq(tcgetattr(l->slave, &t), 0);
	cfmakeraw(&t);
	cr_assert_eq(tcsetattr(l->slave, TCSANOW, &t), 0);
	cr_assert_eq(symlink(name, link), 0);
	fcntl(l->master, F_SETFL, fcntl(l->master, F_GETFL) | O_NONBLOCK);
}

/* Build the device under a temp dir; @irq: a pty, else /dev/full. */
static void fake_build(enum form form, bool irq)
{
	char dev[256], path[512];

	memset(&P, 0, sizeof(P));
	P.form = form;
	for (int i = 0; i < 2; i++)
		P.l[i].master = P.l[i].slave = -1;
	snprintf(P.dir, sizeof(P.dir), "/tmp/scmi-uio-test-XXXXXX");
	cr_assert(mkdtemp(P.dir));
	snprintf(P.sys, sizeof(P.sys), "%s/sys", P.dir);
	snprintf(P.devnode, sizeof(P.devnode), "%s/dev/uio0", P.dir);
	snprintf(P.irq, sizeof(P.irq), "%s/dev/uio0.irq", P.dir);
	snprintf(dev, sizeof(dev), "%s/class/uio/uio0", P.sys);
	mkdirs(dev);
	snprintf(path, sizeof(path), "%s/dev", P.dir);
	mkdirs(path);
	write_file(dev, "name", "scmi-sim\n");
	write_file(dev, "version", "1\n");
	write_file(dev, "event", "0\n");
	if (form == FORM_PLATFORM) {
		uint8_t *m;

		map_dir(dev, 0, "mbox", 0x10000000, PAGE);
		map_dir(dev, 1, "shmem", 0x10001000, SHM_SIZE);
		m = file_map(P.devnode, PAGE + SHM_SIZE, 0);
		P.regs = m;
		P.shm = m + PAGE;
		P.db = (volatile uint32_t *)P.regs;
	} else {
		snprintf(path, sizeof(path), "%s/device", dev);
		mkdirs(path);
		write_file(path, "vendor", "0x1af4\n");
		write_file(path, "device", "0x1110\n");
		snprintf(path, sizeof(path), "%s/device/resource0", dev);
		P.regs = file_map(path, BAR0_SIZE, 0);
		snprintf(path, sizeof(path), "%s/device/resource2", dev);
		P.shm = file_map(path, SHM_SIZE, 1);
		P.db = (volatile uint32_t *)(P.regs + 0x0c);
		close(open(P.devnode, O_RDWR | O_CREAT, 0644));
	}
	P.p2a = P.shm + AREA;
	P.p2a_line = &P.l[0];
	if (irq)
		pty_setup(&P.l[0], P.irq);
	else
		cr_assert_eq(symlink("/dev/full", P.irq), 0);
	/* Both areas FREE: the agent's to write, nothing posted. */
	for (unsigned int off = 0; off < 2 * AREA; off += AREA)
		__atomic_store_n((uint32_t *)(P.shm + off + SCMI_SHMEM_OFF_STATUS),
				 SCMI_SHMEM_STATUS_FREE, __ATOMIC_RELEASE);
	if (form == FORM_PLATFORM)
		snprintf(P.uri, sizeof(P.uri),
			 "uio://uio0?sysfs=%s&devnode=%s&irq=%s&shm=map1&a2p=0x0&p2a=0x80&size=%u"
			 "&db=map0:0x0",
			 P.sys, P.devnode, P.irq, AREA);
	else
		snprintf(P.uri, sizeof(P.uri),
			 "uio:///dev/uio0?sysfs=%s&devnode=%s&irq=%s&shm=res2&a2p=0&p2a=0x80"
			 "&db=res0:0xc",
			 P.sys, P.devnode, P.irq);
}

/*
 * A second device, uio1, for p2a_dev=: one map (map0, a page) holding the
 * P2A area at 0, and an interrupt of its own.  The URI puts the default
 * channel's P2A area there.
 */
static void fake_add_p2a_dev(void)
{
	char dev[256], node[256], irq[256];
	uint8_t *m;

	snprintf(dev, sizeof(dev), "%s/class/uio/uio1", P.sys);
	snprintf(node, sizeof(node), "%s/dev/uio1", P.dir);
	snprintf(irq, sizeof(irq), "%s/dev/uio1.irq", P.dir);
	mkdirs(dev);
	write_file(dev, "name", "scmi-p2a\n");
	map_dir(dev, 0, "p2a", 0x20000000, PAGE);
	m = file_map(node, PAGE, 2);
	P.p2a = m;
	P.p2a_line = &P.l[1];
	area_put(P.p2a, SCMI_SHMEM_OFF_STATUS, SCMI_SHMEM_STATUS_FREE);
	pty_setup(&P.l[1], irq);
	snprintf(P.uri, sizeof(P.uri),
		 "uio://uio0?sysfs=%s&devnode=%s&irq=%s&shm=map1&a2p=0x0&size=%u&db=map0:0x0"
		 "&p2a_dev=uio1&p2a_shm=map0&p2a=0x0&p2a_devnode=%s&p2a_irq=%s",
		 P.sys, P.devnode, P.irq, AREA, node, irq);
}

/* Remove the device (again: nothing happens). */
static void fake_remove(void)
{
	char cmd[128];

	if (!P.dir[0])
		return;
	for (int i = 0; i < 3; i++)
		if (P.maps[i])
			munmap(P.maps[i], P.map_lens[i]);
	memset(P.maps, 0, sizeof(P.maps));
	for (int i = 0; i < 2; i++) {
		if (P.l[i].master >= 0)
			close(P.l[i].master);
		if (P.l[i].slave >= 0)
			close(P.l[i].slave);
		P.l[i].master = P.l[i].slave = -1;
	}
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", P.dir);
	P.dir[0] = '\0';
	if (system(cmd))
		cr_log_warn("could not remove the fake device");
}

/* ---- the platform -------------------------------------------------------- */

static uint32_t area_get(const uint8_t *area, unsigned int off)
{
	return __atomic_load_n((const uint32_t *)(area + off), __ATOMIC_ACQUIRE);
}

static void area_put(uint8_t *area, unsigned int off, uint32_t v)
{
	__atomic_store_n((uint32_t *)(area + off), v, __ATOMIC_RELEASE);
}

/* Write a message (header + payload) into an area; the status word last. */
static void area_post(uint8_t *area, const void *msg, size_t len, uint32_t status)
{
	memcpy(area + SCMI_SHMEM_OFF_HEADER, msg, len);
	area_put(area, SCMI_SHMEM_OFF_LENGTH, (uint32_t)len);
	area_put(area, SCMI_SHMEM_OFF_STATUS, status);
}

static void irq_write(struct line *l)
{
	uint32_t c = ++l->count;

	cr_assert_eq(write(l->master, &c, sizeof(c)), (ssize_t)sizeof(c));
	atomic_fetch_add(&l->raised, 1);
}

/* Raise the interrupt as the contract says: only while enabled, latched
 * otherwise; a pending drop swallows it (a missed interrupt). */
static void raise_irq(struct line *l)
{
	if (l->master < 0)
		return;
	if (atomic_load(&P.drop)) {
		atomic_fetch_sub(&P.drop, 1);
		atomic_fetch_add(&P.dropped, 1);
		return;
	}
	if (!l->enabled) {
		l->latched = true;
		return;
	}
	l->enabled = false;
	irq_write(l);
}

static void emit(void *priv, enum scmi_sim_chan chan, const void *msg, size_t len,
		 uint64_t delay_us)
{
	(void)priv;
	(void)delay_us;
	cr_assert_leq(len, AREA - SCMI_SHMEM_OFF_HEADER);
	if (chan == SCMI_SIM_CHAN_A2P) {
		area_post(P.shm, msg, len, SCMI_SHMEM_STATUS_FREE);
		raise_irq(&P.l[0]);
		return;
	}
	cr_assert_lt(P.p2a_tail - P.p2a_head, P2A_QUEUE, "P2A queue full");
	memcpy(P.p2a_q[P.p2a_tail % P2A_QUEUE], msg, len);
	P.p2a_len[P.p2a_tail++ % P2A_QUEUE] = len;
}

/* The agent's writes on an interrupt file: 4-byte re-enables. */
static void read_enables(struct line *l)
{
	uint8_t buf[64];
	ssize_t n;

	if (l->master < 0)
		return;
	while ((n = read(l->master, buf, sizeof(buf))) > 0) {
		l->rx_bytes += (unsigned int)n;
		while (l->rx_bytes >= 4) {
			l->rx_bytes -= 4;
			atomic_fetch_add(&l->enables, 1);
			l->enabled = true;
		}
	}
	if (l->enabled && l->latched) {
		l->latched = false;
		l->enabled = false;
		irq_write(l);
	}
}

static void take_command(void)
{
	uint32_t len = area_get(P.shm, SCMI_SHMEM_OFF_LENGTH);
	uint8_t msg[AREA];

	if (atomic_load(&P.remove_on_command)) {
		close(P.l[0].master);
		P.l[0].master = -1;
		atomic_store(&P.removed, true);
		return;
	}
	cr_assert(len >= 4 && len <= AREA - SCMI_SHMEM_OFF_HEADER, "length %u", len);
	memcpy(msg, P.shm + SCMI_SHMEM_OFF_HEADER, len);
	atomic_fetch_add(&P.requests, 1);
	scmi_sim_process(P.sim, msg, len);
}

static void *plat_main(void *arg)
{
	struct line *l = &P.l[0];

	(void)arg;
	while (!atomic_load(&P.stop)) {
		struct pollfd pfd[2] = {{.fd = P.l[0].master, .events = POLLIN},
					{.fd = P.l[1].master, .events = POLLIN}};

		/* The platform's own pace: look at the agent's writes, the
		 * doorbell and the P2A area, then wait for the agent's next
		 * write at most 100 us. */
		read_enables(&P.l[0]);
		read_enables(&P.l[1]);
		if (__atomic_load_n(P.db, __ATOMIC_ACQUIRE) & 1) {
			__atomic_store_n(P.db, 0, __ATOMIC_RELEASE);
			atomic_fetch_add(&P.doorbells, 1);
			take_command();
		}
		if (P.p2a_head != P.p2a_tail && (area_get(P.p2a, SCMI_SHMEM_OFF_STATUS) & 1)) {
			unsigned int i = P.p2a_head++ % P2A_QUEUE;

			area_post(P.p2a, P.p2a_q[i], P.p2a_len[i], 0);
			raise_irq(P.p2a_line);
		}
		if (atomic_load(&P.emit)) {
			atomic_fetch_sub(&P.emit, 1);
			scmi_sim_test_emit(P.sim, TP, 0, 0, 1, false);
		}
		if (l->master >= 0 && atomic_load(&P.storm) && l->enabled) {
			atomic_fetch_sub(&P.storm, 1);
			l->enabled = false;
			irq_write(l);
		}
		while (l->master >= 0 && atomic_load(&P.burst)) {
			atomic_fetch_sub(&P.burst, 1);
			irq_write(l);
		}
		poll(pfd, 2, 0);
		if (!(pfd[0].revents & POLLIN) && !(pfd[1].revents & POLLIN)) {
			struct timespec ts = {0, 100000};

			nanosleep(&ts, NULL);
		}
	}
	return NULL;
}

static void plat_start(void)
{
	struct scmi_sim_config sc = {.max_msg_size = AREA - 32};

	cr_assert_eq(scmi_sim_new(&sc, &P.sim), 0);
	cr_assert_eq(scmi_sim_test_protocol_add(P.sim, TP, 1), 0);
	scmi_sim_set_emit(P.sim, emit, NULL);
	cr_assert_eq(pthread_create(&P.thread, NULL, plat_main, NULL), 0);
	P.running = true;
}

static void plat_stop(void)
{
	if (P.running) {
		atomic_store(&P.stop, true);
		pthread_join(P.thread, NULL);
		P.running = false;
	}
	scmi_sim_free(P.sim);
	P.sim = NULL;
}

/* After each test, also one an assertion ended early: no thread, no
 * files left behind. */
static void suite_fini(void)
{
	plat_stop();
	fake_remove();
}

TestSuite(uio_transport, .fini = suite_fini);

/* A device of @form, its platform running. */
static void setup(enum form form, bool irq)
{
	fake_build(form, irq);
	plat_start();
}

static void teardown(void)
{
	plat_stop();
	fake_remove();
}

static struct scmi_handle *open_uri(const char *uri, struct test_log *lg, unsigned int timeout_ms)
{
	struct scmi_config cfg = test_config(lg);
	struct scmi_handle *h = NULL;
	int ret;

	cfg.timeout_ms = timeout_ms;
	ret = scmi_open(uri, &cfg, &h);
	cr_assert_eq(ret, 0, "scmi_open(%s): %d", uri, ret);
	return h;
}

/* The URI of the device with @extra parameters appended. */
static const char *uri_with(const char *extra)
{
	static char buf[1200];

	snprintf(buf, sizeof(buf), "%s%s", P.uri, extra);
	return buf;
}

/* Base PROTOCOL_VERSION over @h: the simulator's. */
static void base_version_round_trip(struct scmi_handle *h)
{
	uint32_t want, got = 0;
	size_t len = 0;

	cr_assert_eq(scmi_sim_protocol_version_get(P.sim, 0x10, &want), 0);
	cr_assert_eq(scmi_raw_command(h, 0x10, 0x0, NULL, 0, &got, sizeof(got), &len), 0);
	cr_assert_eq(len, 4);
	cr_assert_eq(le32toh(got), want);
}

static uint32_t caps_of(const struct scmi_handle *h)
{
	return scmi_inst(h)->tinfo.caps;
}

/* ---- open errors ---------------------------------------------------------- */

static int try_open(const char *uri, struct test_log *lg)
{
	struct scmi_config cfg = test_config(lg);
	struct scmi_handle *h = NULL;
	int ret = scmi_open(uri, &cfg, &h);

	if (!ret)
		scmi_close(h);
	return ret;
}

static void expect_open_error(const char *uri, int err, const char *needle)
{
	struct test_log lg;

	test_log_init(&lg);
	cr_expect_eq(try_open(uri, &lg), err, "%s", uri);
	cr_expect(test_log_contains(&lg, needle), "%s: log lacks '%s':\n%s", uri, needle, lg.text);
}

/* "uio://@device?sysfs=...&@params" */
static const char *sys_uri(const char *device, const char *params)
{
	static char buf[1200];

	snprintf(buf, sizeof(buf), "uio://%s?sysfs=%s&%s", device, P.sys, params);
	return buf;
}

/* The device's URI without channel parameters, plus @extra. */
static const char *bare_with(const char *extra)
{
	static char buf[1200];

	snprintf(buf, sizeof(buf), "uio://uio0?sysfs=%s&devnode=%s&irq=%s&shm=map1%s", P.sys,
		 P.devnode, P.irq, extra);
	return buf;
}

Test(uio_transport, open_errors_platform)
{
	char params[600], path[300];

	fake_build(FORM_PLATFORM, true);
	/* Missing device, map, node; a map too small. */
	expect_open_error(sys_uri("uio7", "shm=map1"), -ENOENT, "no UIO device uio7");
	expect_open_error(sys_uri("uio0", "shm=map3"), -ENOENT, "uio0 has no map3");
	snprintf(params, sizeof(params), "devnode=%s/dev/nope&shm=map1", P.dir);
	expect_open_error(sys_uri("uio0", params), -ENOENT, "/dev/nope");
	snprintf(params, sizeof(params), "devnode=%s&irq=%s/dev/noirq&shm=map1", P.devnode, P.dir);
	expect_open_error(sys_uri("uio0", params), -ENOENT, "/dev/noirq");
	expect_open_error(uri_with("&a2p.0x13=0x100&p2a.0x13=0x1000"), -ERANGE,
			  "p2a.0x13=0x1000 (128 bytes) ends past uio0 map1");
	expect_open_error(bare_with("&size=8192"), -ERANGE, "region too small");
	expect_open_error(bare_with("&db=map0:0x1000"), -ERANGE,
			  "db=0x1000 (4 bytes) ends past uio0 map0");
	/* Bad or unknown parameters. */
	expect_open_error(uri_with("&bogus=1"), -EINVAL, "unknown parameter 'bogus'");
	expect_open_error(uri_with("&completion=sometimes"), -EINVAL, "completion=sometimes");
	expect_open_error(uri_with("&p2a_shm=map1"), -EINVAL, "p2a_shm= needs p2a_dev=");
	expect_open_error(uri_with("&p2a_dev=uio1"), -ENOENT, "no UIO device uio1");
	expect_open_error(bare_with("&p2a_dev=uio0"), -EINVAL, "p2a_dev= needs a P2A area");
	expect_open_error(sys_uri("uio0", "a2p=0"), -EINVAL, "shm=REGION");
	expect_open_error(sys_uri("uio0", "shm=ram1"), -EINVAL, "shm=ram1: expected mapK");
	expect_open_error(sys_uri("uio0", "shm=map1&db=map0"), -EINVAL,
			  "db=map0: expected REGION:OFF");
	expect_open_error(sys_uri("", "shm=map1"), -EINVAL, "the device is required");
	expect_open_error(sys_uri("dev/uio0", "shm=map1"), -EINVAL, "not a UIO device");
	expect_open_error(bare_with("&a2p=0x2"), -EINVAL, "a2p=0x2 is not 4-byte aligned");
	expect_open_error(bare_with("&a2p=0x40&p2a=0x80&size=256"), -EINVAL, "overlaps");
	expect_open_error(bare_with("&db=map1:0x10"), -EINVAL, "overlaps");
	/* Permission denied: not testable as root (root opens anything). */
	if (geteuid() != 0) {
		cr_assert_eq(chmod(P.devnode, 0), 0);
		expect_open_error(P.uri, -EACCES, P.devnode);
		cr_assert_eq(chmod(P.devnode, 0644), 0);
		snprintf(path, sizeof(path), "%s/class/uio/uio0/maps/map1/size", P.sys);
		cr_assert_eq(chmod(path, 0), 0);
		expect_open_error(P.uri, -EACCES, path);
	}
	fake_remove();
}

Test(uio_transport, open_errors_pci)
{
	fake_build(FORM_PCI, false);
	expect_open_error(sys_uri("uio0", "shm=res3"), -ENOENT, "uio0 has no BAR 3");
	expect_open_error(sys_uri("uio0", "shm=res2&db=res0:0x100"), -ERANGE,
			  "db=0x100 (4 bytes) ends past uio0 res0");
	expect_open_error(sys_uri("uio0", "shm=res2&a2p=0xff0"), -ERANGE,
			  "a2p=0xff0 (128 bytes) ends past uio0 res2");
	expect_open_error(sys_uri("uio0", "shm=res6"), -EINVAL, "res6");
	fake_remove();
}

/* ---- commands --------------------------------------------------------------- */

static bool raised_beyond(void *arg)
{
	return atomic_load(&P.l[0].raised) > *(unsigned int *)arg;
}

Test(uio_transport, base_version_by_interrupt)
{
	struct scmi_handle *h;
	unsigned int raised;

	setup(FORM_PLATFORM, true);
	h = open_uri(P.uri, NULL, 1000);
	cr_assert_eq(caps_of(h) & SCMI_TRANSPORT_POLLING, 0, "completions by interrupt");
	cr_assert(caps_of(h) & SCMI_TRANSPORT_P2A);
	raised = atomic_load(&P.l[0].raised);
	cr_assert_gt(raised, 0, "discovery answered by interrupts");
	base_version_round_trip(h);
	/* Its interrupt: raised at once, or latched until the agent
	 * re-enabled after the previous one (the response may have been
	 * taken before, by the scan after the previous interrupt). */
	cr_assert(test_wait_until(raised_beyond, &raised, 1000));
	/* Every command rang the doorbell once. */
	for (int i = 0; i < 10; i++)
		base_version_round_trip(h);
	cr_assert_eq(atomic_load(&P.doorbells), atomic_load(&P.requests));
	cr_assert_geq(atomic_load(&P.requests), 11);
	scmi_close(h);
	/* The agent re-enabled after each interrupt (and once at open). */
	cr_assert_geq(atomic_load(&P.l[0].enables), atomic_load(&P.l[0].raised));
	teardown();
}

Test(uio_transport, base_version_polling_fallback_pci)
{
	struct test_log lg;
	struct scmi_handle *h;

	test_log_init(&lg);
	setup(FORM_PCI, false);
	h = open_uri(P.uri, &lg, 1000);
	cr_assert(test_log_contains(&lg, "enabling the interrupt"), "%s", lg.text);
	cr_assert(test_log_contains(&lg, "polled instead"), "%s", lg.text);
	cr_assert(caps_of(h) & SCMI_TRANSPORT_POLLING, "doorbell out, polling in");
	for (int i = 0; i < 5; i++)
		base_version_round_trip(h);
	cr_assert_eq(atomic_load(&P.doorbells), atomic_load(&P.requests));
	scmi_close(h);
	teardown();
}

Test(uio_transport, completion_poll_asked_for)
{
	struct scmi_handle *h;

	setup(FORM_PLATFORM, true);
	h = open_uri(uri_with("&completion=poll&poll_us=500"), NULL, 1000);
	cr_assert(caps_of(h) & SCMI_TRANSPORT_POLLING);
	base_version_round_trip(h);
	cr_assert_eq(atomic_load(&P.l[0].enables), 0, "the interrupt is left alone");
	cr_assert_eq(atomic_load(&P.doorbells), atomic_load(&P.requests));
	scmi_close(h);
	teardown();
}

/* ---- notifications ----------------------------------------------------------- */

struct counter {
	struct scmi_notifier_block nb;
	atomic_uint seen;
};

static int count_cb(struct scmi_notifier_block *nb, unsigned int evt, const void *report)
{
	(void)evt;
	(void)report;
	atomic_fetch_add(&((struct counter *)nb)->seen, 1);
	return 0;
}

static unsigned int want_seen;
static uint32_t tp_src;

/* Listen to event 0 of the test protocol on @h, counting into @c. */
static void listen_tp(struct scmi_handle *h, struct counter *c)
{
	c->nb.notifier_call = count_cb;
	atomic_init(&c->seen, 0);
	cr_assert_eq(tp_register_events(h, TP), 0);
	cr_assert_eq(h->notify_ops->event_notifier_register(h, TP, 0, &tp_src, &c->nb), 0);
}

/* Stop listening, close @h, stop the platform, remove the device. */
static void finish_tp(struct scmi_handle *h, struct counter *c)
{
	cr_assert_eq(h->notify_ops->event_notifier_unregister(h, TP, 0, &tp_src, &c->nb), 0);
	scmi_close(h);
	tp_cleanup();
	teardown();
}

static bool seen_enough(void *arg)
{
	return atomic_load(&((struct counter *)arg)->seen) >= want_seen;
}

/* A notification over P2A, signalled by the interrupt: the safety scan is
 * set to 10 s, so only the interrupt can deliver it within the wait. */
Test(uio_transport, notification_by_interrupt)
{
	struct counter c;
	struct scmi_handle *h;
	uint64_t t0;

	setup(FORM_PLATFORM, true);
	h = open_uri(uri_with("&poll_us=1000000"), NULL, 1000);
	listen_tp(h, &c);
	t0 = test_now_ms();
	want_seen = 3;
	atomic_store(&P.emit, 3);
	cr_assert(test_wait_until(seen_enough, &c, 900), "%u seen", atomic_load(&c.seen));
	cr_assert_lt(test_now_ms() - t0, 900);
	finish_tp(h, &c);
}

/* A missed interrupt -- for a response and for a notification -- is
 * recovered by the safety scan (poll_us=20000: 20 ms). */
Test(uio_transport, missed_interrupt_recovered)
{
	struct counter c;
	struct scmi_handle *h;
	struct scmi_stats st;

	setup(FORM_PLATFORM, true);
	h = open_uri(uri_with("&poll_us=20000"), NULL, 2000);
	atomic_store(&P.drop, 1);
	base_version_round_trip(h);
	cr_assert_eq(atomic_load(&P.dropped), 1, "the response's interrupt was missed");
	listen_tp(h, &c);
	atomic_store(&P.drop, 1);
	want_seen = 1;
	atomic_store(&P.emit, 1);
	cr_assert(test_wait_until(seen_enough, &c, 2000));
	cr_assert_eq(atomic_load(&P.dropped), 2, "the notification's interrupt was missed");
	base_version_round_trip(h);
	cr_assert_eq(scmi_stats_get(h, &st), 0);
	cr_assert_eq(st.timeouts, 0);
	finish_tp(h, &c);
}

static bool storm_over(void *arg)
{
	(void)arg;
	return !atomic_load(&P.storm) && !atomic_load(&P.burst) &&
	       atomic_load(&P.l[0].enables) >= *(unsigned int *)arg;
}

/* Interrupts with nothing to read -- by the protocol and in one burst --
 * deliver nothing and break nothing. */
Test(uio_transport, interrupt_storm)
{
	struct counter c;
	struct scmi_handle *h;
	struct scmi_stats st0, st;
	unsigned int want;

	setup(FORM_PLATFORM, true);
	h = open_uri(P.uri, NULL, 1000);
	listen_tp(h, &c);
	cr_assert_eq(scmi_stats_get(h, &st0), 0);
	want = atomic_load(&P.l[0].enables) + 200;
	atomic_store(&P.storm, 200);
	cr_assert(test_wait_until(storm_over, &want, 5000), "%u storm left, %u enables",
		  atomic_load(&P.storm), atomic_load(&P.l[0].enables));
	want = atomic_load(&P.l[0].enables) + 1;
	atomic_store(&P.burst, 300);
	cr_assert(test_wait_until(storm_over, &want, 5000));
	for (int i = 0; i < 5; i++)
		base_version_round_trip(h);
	cr_assert_eq(scmi_stats_get(h, &st), 0);
	cr_assert_eq(atomic_load(&c.seen), 0, "nothing delivered");
	cr_assert_eq(st.notifications, st0.notifications);
	cr_assert_eq(st.drop_unknown_token + st.drop_bad_state + st.drop_bad_type,
		     st0.drop_unknown_token + st0.drop_bad_state + st0.drop_bad_type,
		     "nothing misdelivered");
	cr_assert_eq(st.responses, st0.responses + 5);
	/* And a real notification still comes through. */
	want_seen = 1;
	atomic_store(&P.emit, 1);
	cr_assert(test_wait_until(seen_enough, &c, 1000));
	finish_tp(h, &c);
}

/* P2A areas in a second device (p2a_dev=), signalled by its own
 * interrupt: notifications arrive by that interrupt (the safety scan is
 * 10 s), responses by uio0's. */
Test(uio_transport, p2a_dev_notification)
{
	struct counter c;
	struct scmi_handle *h;
	uint64_t t0;

	fake_build(FORM_PLATFORM, true);
	fake_add_p2a_dev();
	plat_start();
	h = open_uri(uri_with("&poll_us=1000000"), NULL, 1000);
	cr_assert_eq(caps_of(h) & SCMI_TRANSPORT_POLLING, 0);
	cr_assert(caps_of(h) & SCMI_TRANSPORT_P2A);
	cr_assert_eq(atomic_load(&P.l[1].enables), 1, "uio1's interrupt enabled at open");
	listen_tp(h, &c);
	base_version_round_trip(h);
	t0 = test_now_ms();
	want_seen = 2;
	atomic_store(&P.emit, 2);
	cr_assert(test_wait_until(seen_enough, &c, 900), "%u seen", atomic_load(&c.seen));
	cr_assert_lt(test_now_ms() - t0, 900);
	cr_assert_geq(atomic_load(&P.l[1].raised), 1);
	cr_assert_eq(area_get(P.shm + AREA, SCMI_SHMEM_OFF_LENGTH), 0,
		     "nothing posted in uio0's memory");
	finish_tp(h, &c);
}

/* ---- the device going away ------------------------------------------------- */

static bool removed(void *arg)
{
	(void)arg;
	return atomic_load(&P.removed);
}

/* The pty master closed while a command is outstanding: it fails with
 * -ENODEV long before its timeout, and so does every later one; close is
 * clean. */
Test(uio_transport, device_removed_while_open)
{
	struct test_log lg;
	struct scmi_handle *h;
	uint64_t t0;
	uint32_t v;
	size_t len;
	int ret;

	test_log_init(&lg);
	setup(FORM_PLATFORM, true);
	h = open_uri(P.uri, &lg, 3000);
	base_version_round_trip(h);
	atomic_store(&P.remove_on_command, true);
	t0 = test_now_ms();
	ret = scmi_raw_command(h, 0x10, 0x0, NULL, 0, &v, sizeof(v), &len);
	cr_assert_eq(ret, -ENODEV, "outstanding command: %d", ret);
	cr_assert_lt(test_now_ms() - t0, 2000, "failed at once, not by the timeout");
	cr_assert(test_wait_until(removed, NULL, 2000));
	for (int i = 0; i < 3; i++) {
		t0 = test_now_ms();
		ret = scmi_raw_command(h, 0x10, 0x0, NULL, 0, &v, sizeof(v), &len);
		cr_assert_eq(ret, -ENODEV, "later command: %d", ret);
		cr_assert_lt(test_now_ms() - t0, 1000, "at once, not by the 3 s timeout");
	}
	cr_assert(test_log_contains(&lg, "the device is gone"), "%s", lg.text);
	{
		/* Logged once. */
		const char *first = strstr(lg.text, "the device is gone");

		cr_assert_null(strstr(first + 1, "the device is gone"), "%s", lg.text);
	}
	scmi_close(h);
	teardown();
}

/* Removed while idle, both sides of the pty closed (the agent's read then
 * sees end of file): the hang-up alone is noticed. */
Test(uio_transport, device_removed_while_idle)
{
	struct test_log lg;
	struct scmi_handle *h;
	uint32_t v;
	size_t len;

	test_log_init(&lg);
	setup(FORM_PLATFORM, true);
	h = open_uri(P.uri, &lg, 500);
	base_version_round_trip(h);
	plat_stop();
	close(P.l[0].master);
	close(P.l[0].slave);
	P.l[0].master = P.l[0].slave = -1;
	cr_assert_eq(scmi_raw_command(h, 0x10, 0x0, NULL, 0, &v, sizeof(v), &len), -ENODEV);
	scmi_close(h);
	fake_remove();
}

/* ---- map_memory(): platform memory by physical address ------------------- */

/* The transport's map_memory() on @h. */
static volatile uint32_t *phys_map(struct scmi_handle *h, uint64_t addr, size_t size)
{
	const struct scmi_instance *inst = scmi_inst(h);

	return inst->tops->map_memory(inst->tpriv, addr, size);
}

/*
 * Fastchannels and the like: an address inside any map or BAR with a
 * physical address is served, whether the URI names that region or not
 * (pci: BAR addresses from device/resource; a BAR listed as unused is not
 * served), to its last byte and not one past; anything else is NULL.
 */
Test(uio_transport, map_memory_serves_every_map_and_bar)
{
	char dev[512], path[600];
	volatile uint32_t *p;
	struct scmi_handle *h;
	uint8_t *win;
	int fd;

	/* pci: BAR 4 a 64 KiB window at 0x50000000, BAR 5 present but unused. */
	fake_build(FORM_PCI, false);
	snprintf(dev, sizeof(dev), "%s/class/uio/uio0/device", P.sys);
	write_file(dev, "resource",
		   "0x0000000010000000 0x00000000100000ff 0x0000000000040200\n"
		   "0x0000000000000000 0x0000000000000000 0x0000000000000000\n"
		   "0x0000000020000000 0x0000000020000fff 0x0000000000040200\n"
		   "0x0000000000000000 0x0000000000000000 0x0000000000000000\n"
		   "0x0000000050000000 0x000000005000ffff 0x0000000000040200\n"
		   "0x0000000000000000 0x0000000000000000 0x0000000000000000\n"
		   "0x0000000000000000 0x0000000000000000 0x0000000000000000\n");
	snprintf(path, sizeof(path), "%s/resource4", dev);
	win = file_map(path, 0x10000, 2);
	snprintf(path, sizeof(path), "%s/resource5", dev);
	fd = open(path, O_RDWR | O_CREAT, 0644);
	cr_assert_geq(fd, 0);
	cr_assert_eq(ftruncate(fd, PAGE), 0);
	close(fd);
	plat_start();
	h = open_uri(P.uri, NULL, 1000);
	p = phys_map(h, 0x50000010, 16);
	cr_assert_not_null(p, "BAR 4, not in the URI");
	*p = 0xabcd1234;
	cr_assert_eq(*(volatile uint32_t *)(win + 0x10), 0xabcd1234, "the same memory");
	cr_assert_not_null(phys_map(h, 0x5000fff0, 16), "up to its last byte");
	cr_assert_null(phys_map(h, 0x5000fff8, 16), "not one past");
	cr_assert_null(phys_map(h, 0x4ffffffc, 8));
	cr_assert_null(phys_map(h, 0x60000000, 4), "no BAR there");
	p = phys_map(h, 0x20000ff0, 4);
	cr_assert_not_null(p, "BAR 2, named");
	*p = 0x600d;
	cr_assert_eq(area_get(P.shm, 0xff0), 0x600d, "BAR 2 at 0x20000000");
	cr_assert_null(phys_map(h, 0, 4), "BAR 5: no address");
	scmi_close(h);
	teardown();

	/* platform: map2, a page at 0x50000000 at page 2 of the node. */
	fake_build(FORM_PLATFORM, false);
	snprintf(dev, sizeof(dev), "%s/class/uio/uio0", P.sys);
	map_dir(dev, 2, "sram", 0x50000000, PAGE);
	cr_assert_eq(truncate(P.devnode, 3 * PAGE), 0);
	plat_start();
	h = open_uri(P.uri, NULL, 1000);
	p = phys_map(h, 0x50000008, 8);
	cr_assert_not_null(p, "map2, not in the URI");
	*p = 0x5a5a;
	fd = open(P.devnode, O_RDONLY);
	cr_assert_geq(fd, 0);
	{
		uint32_t v = 0;

		cr_assert_eq(pread(fd, &v, 4, 2 * PAGE + 8), 4);
		cr_assert_eq(v, 0x5a5a, "map2 is page 2 of the node");
	}
	close(fd);
	cr_assert_null(phys_map(h, 0x50000ffc, 8), "not one past");
	p = phys_map(h, 0x10001000 + 0xff0, 4);
	cr_assert_not_null(p, "map1, named");
	*p = 0x600d;
	cr_assert_eq(area_get(P.shm, 0xff0), 0x600d, "map1 at 0x10001000");
	scmi_close(h);
	teardown();
}
