// SPDX-License-Identifier: BSD-3-Clause
/*
 * scmi-sim --uio DIR: a fake UIO device, the platform side of the agent's
 * uio:// transport.  The contract between the two is docs/UIO.md (section
 * 3 is this file); in short:
 *
 *   DIR/sys/class/uio/uio0/{name,version,event}
 *   platform form: .../maps/map0 "mbox" (the doorbell page),
 *                  .../maps/map1 "shmem" (the channel areas),
 *                  DIR/dev/uio0 a regular file holding map K at K pages
 *   pci form:      .../device/{vendor,device}, .../device/resource0 (256
 *                  bytes of registers, the doorbell at 0x0c),
 *                  .../device/resource2 (the areas), DIR/dev/uio0 empty,
 *                  .../device/resource (the BARs' physical addresses)
 *   --fastchannels: the simulator's memory window, at its physical address:
 *                  platform: map1 goes on past the areas to cover it;
 *                  pci: .../device/resource4
 *   DIR/dev/uio0.irq a symlink: the slave side of a pseudo-terminal (the
 *                  interrupt), or /dev/full (no usable interrupt)
 *
 * The channels are shmem.c's (struct srv_areas) on the areas' mapping; the
 * doorbell is polled in memory like --shmem --doorbell.  The interrupt:
 * the server holds the pty master and one descriptor of the slave (in raw
 * mode, kept open so that the agent's close does not hang the pty up).
 * After each write the agent is to notice (srv_areas_on_signal()) it
 * raises: if the agent has the interrupt enabled, it writes the new count
 * (native uint32_t) to the master and counts the interrupt as masked until
 * the agent writes a 4-byte non-zero value (enable) to the slave, which it
 * reads from the master in poll() (non-blocking; the main loop watches the
 * master while it sleeps, fds()); a raise while masked is
 * latched and sent at the next enable.  The interrupt starts disabled: the
 * agent enables it at open.
 *
 * Control commands of the mode: uio-irq-storm N (N interrupts with nothing
 * to read, one per enable), uio-irq-drop N (the next N raises are lost),
 * uio-remove (the files go, the pty closes; the server stops serving).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "areas.h"

#define UIO_PAGE	 4096u
#define UIO_MAX_PATHS	 64   /* files and directories made under DIR */
#define UIO_PCI_REGS	 256u /* resource0, ivshmem's register BAR */
#define UIO_PCI_DOORBELL 0x0c /* ivshmem's Doorbell register */
#define UIO_MBOX_ADDR	 0x10000000ull
#define UIO_BAR0_ADDR	 0x10000000ull /* pci: the BARs' made-up addresses */
#define UIO_BAR2_ADDR	 0x20000000ull
#define UIO_PCI_BARS	 6
#define UIO_NAME	 "uio0"
#define UIO_SYSFS	 "sys/class/uio/" UIO_NAME

struct uio {
	struct srv *srv;
	char *dir; /* absolute */
	bool pci;
	bool irq; /* a pty behind dev/uio0.irq */
	bool removed;

	/* What was made under DIR, in order (removed in reverse). */
	unsigned int n_made;
	char *made[UIO_MAX_PATHS];
	bool made_dir[UIO_MAX_PATHS];

	int mem_fd, regs_fd; /* platform: dev/uio0, -1; pci: resource2, resource0 */
	uint8_t *regs;	     /* the doorbell's page */
	size_t regs_len;
	uint8_t *mem; /* the areas */
	size_t mem_len;
	bool fc;      /* --fastchannels: the simulator's window shared */
	uint8_t *win; /* it, mapped; or NULL */
	size_t win_len;
	uint64_t win_phys;
	int win_fd; /* pci: resource4 */
	struct srv_areas *areas;

	int master, slave, event_fd;
	char slave_path[64];
	bool enabled;	   /* the agent's last enable/disable, and not masked */
	bool pending;	   /* a raise latched while disabled */
	unsigned int drop; /* raises still to lose (uio-irq-drop) */
	uint64_t storm;	   /* storm interrupts still to send */
	uint8_t rx[4];	   /* a partial enable/disable write */
	size_t rx_len;
	uint32_t count; /* interrupts sent: what the agent reads */

	uint64_t raised, dropped, latched, lost, enables, disables, storm_sent;
};

static void uio_close_fd(int fd)
{
	if (fd >= 0)
		close(fd);
}

/* ---- the files ----------------------------------------------------------- */

/* DIR/@rel, malloc'ed. */
static char *uio_path(struct uio *u, const char *rel)
{
	size_t n = strlen(u->dir) + 1 + strlen(rel) + 1;
	char *p = malloc(n);

	if (p)
		snprintf(p, n, "%s/%s", u->dir, rel);
	return p;
}

/* Remember @p (taken) for removal.  0 or -ENOMEM (@p freed). */
static int uio_made(struct uio *u, char *p, bool dir)
{
	if (u->n_made == UIO_MAX_PATHS) {
		srv_log(NULL, SRV_LOG_ERR, "--uio: more than %d directories to make",
			UIO_MAX_PATHS);
		free(p);
		return -ENOMEM;
	}
	u->made_dir[u->n_made] = dir;
	u->made[u->n_made++] = p;
	return 0;
}

static int uio_fail(const char *what, const char *path, int err)
{
	srv_log(NULL, SRV_LOG_ERR, "--uio: cannot %s '%s': %s", what, path, strerror(err));
	return -err;
}

/* mkdir -p DIR/@rel; every directory below DIR is removed at exit (if
 * empty), DIR itself only if this made it. */
static int uio_mkdirs(struct uio *u, const char *rel)
{
	char *full = uio_path(u, rel);
	size_t base = strlen(u->dir);
	int ret = 0;

	if (!full)
		return -ENOMEM;
	for (char *p = full + 1; !ret; p++) {
		bool end = !*p, made = false, known = false;
		struct stat st;
		char *copy;

		if (*p && *p != '/')
			continue;
		*p = '\0';
		if (stat(full, &st)) {
			if (mkdir(full, 0755) && errno != EEXIST)
				ret = uio_fail("create directory", full, errno);
			made = !ret;
		} else if (!S_ISDIR(st.st_mode)) {
			ret = uio_fail("use", full, ENOTDIR);
		}
		/* Ours: anything below DIR, and DIR when it was not there. */
		if (!ret && ((size_t)(p - full) > base || made)) {
			for (unsigned int i = 0; i < u->n_made && !known; i++)
				known = !strcmp(u->made[i], full);
			if (!known && (!(copy = strdup(full)) || uio_made(u, copy, true)))
				ret = -ENOMEM;
		}
		if (end)
			break;
		*p = '/';
	}
	free(full);
	return ret;
}

/* Create (or truncate) the regular file DIR/@rel of @size bytes, with
 * @text if not NULL.  Its descriptor if @keep_fd (else 0), or -errno. */
static int uio_file(struct uio *u, const char *rel, const char *text, size_t size, bool keep_fd)
{
	char *p = uio_path(u, rel);
	struct stat st;
	int fd, err;

	if (!p)
		return -ENOMEM;
	if (!lstat(p, &st) && !S_ISREG(st.st_mode)) {
		srv_log(NULL, SRV_LOG_ERR, "--uio: '%s' exists and is not a regular file", p);
		free(p);
		return -EEXIST;
	}
	fd = open(p, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0) {
		err = uio_fail("create", p, errno);
		free(p);
		return err;
	}
	err = uio_made(u, p, false);
	if (!err && text && write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		err = uio_fail("write", u->made[u->n_made - 1], errno ? errno : EIO);
	if (!err && size && ftruncate(fd, (off_t)size))
		err = uio_fail("size", u->made[u->n_made - 1], errno);
	if (err || !keep_fd) {
		close(fd);
		return err;
	}
	return fd;
}

/* The sysfs entries of map @k: name, and addr, size as the kernel writes
 * them (%pa: 0x and 16 hex digits), offset 0. */
static int uio_map_entry(struct uio *u, unsigned int k, const char *name, uint64_t addr,
			 uint64_t size)
{
	char rel[128], text[4][64];
	const char *files[4] = {"name", "addr", "size", "offset"};
	int ret;

	snprintf(rel, sizeof(rel), UIO_SYSFS "/maps/map%u", k);
	ret = uio_mkdirs(u, rel);
	snprintf(text[0], sizeof(text[0]), "%s\n", name);
	snprintf(text[1], sizeof(text[1]), "0x%016llx\n", (unsigned long long)addr);
	snprintf(text[2], sizeof(text[2]), "0x%016llx\n", (unsigned long long)size);
	snprintf(text[3], sizeof(text[3]), "0x0\n");
	for (unsigned int i = 0; i < 4 && !ret; i++) {
		snprintf(rel, sizeof(rel), UIO_SYSFS "/maps/map%u/%s", k, files[i]);
		ret = uio_file(u, rel, text[i], 0, false);
	}
	return ret;
}

static void *uio_map(int fd, size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* The platform form: map0 (one page of registers) and map1 (the areas)
 * in one file, dev/uio0.  With the window, map1 is a larger memory whose
 * areas end where the window starts (at its physical address), like an
 * SRAM holding both the channels and the fastchannels. */
static int uio_make_platform(struct uio *u, size_t areas)
{
	uint64_t shm_addr = u->fc ? u->win_phys - areas : UIO_MBOX_ADDR + UIO_PAGE;
	int ret = uio_map_entry(u, 0, "mbox", UIO_MBOX_ADDR, UIO_PAGE);

	if (!ret)
		ret = uio_map_entry(u, 1, "shmem", shm_addr, areas + u->win_len);
	if (!ret)
		ret = uio_file(u, "dev/" UIO_NAME, NULL, UIO_PAGE + areas + u->win_len, true);
	if (ret < 0)
		return ret;
	u->mem_fd = ret;
	u->regs_len = UIO_PAGE + areas + u->win_len;
	u->regs = uio_map(u->mem_fd, u->regs_len);
	if (!u->regs)
		return uio_fail("map", u->made[u->n_made - 1], errno);
	u->mem = u->regs + UIO_PAGE;
	if (u->fc)
		u->win = u->mem + areas;
	return 0;
}

/* pci: device/resource, as the kernel writes it: one line per BAR and
 * one for the ROM, "start end flags" (0x and 16 hex digits each; zeros
 * for an unused one). */
static int uio_pci_resource(struct uio *u, size_t areas)
{
	uint64_t start[UIO_PCI_BARS + 1] = {0}, len[UIO_PCI_BARS + 1] = {0};
	char text[(UIO_PCI_BARS + 1) * 64];
	size_t n = 0;

	start[0] = UIO_BAR0_ADDR;
	len[0] = UIO_PCI_REGS;
	start[2] = UIO_BAR2_ADDR;
	len[2] = areas;
	if (u->fc) {
		start[4] = u->win_phys;
		len[4] = u->win_len;
	}
	for (unsigned int i = 0; i <= UIO_PCI_BARS; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "0x%016llx 0x%016llx 0x%016llx\n",
				      (unsigned long long)start[i],
				      (unsigned long long)(len[i] ? start[i] + len[i] - 1 : 0),
				      len[i] ? 0x40200ull : 0ull); /* IORESOURCE_MEM */
	return uio_file(u, UIO_SYSFS "/device/resource", text, 0, false);
}

/* The pci form, ivshmem-like: BAR0 the registers, BAR2 the areas. */
static int uio_make_pci(struct uio *u, size_t areas)
{
	int ret = uio_mkdirs(u, UIO_SYSFS "/device");

	if (!ret)
		ret = uio_file(u, UIO_SYSFS "/device/vendor", "0x1af4\n", 0, false);
	if (!ret)
		ret = uio_file(u, UIO_SYSFS "/device/device", "0x1110\n", 0, false);
	if (!ret)
		ret = uio_file(u, "dev/" UIO_NAME, NULL, 0, false);
	if (!ret)
		ret = uio_file(u, UIO_SYSFS "/device/resource0", NULL, UIO_PCI_REGS, true);
	if (ret < 0)
		return ret;
	u->regs_fd = ret;
	u->regs_len = UIO_PCI_REGS;
	u->regs = uio_map(u->regs_fd, u->regs_len);
	if (!u->regs)
		return uio_fail("map", u->made[u->n_made - 1], errno);
	ret = uio_file(u, UIO_SYSFS "/device/resource2", NULL, areas, true);
	if (ret < 0)
		return ret;
	u->mem_fd = ret;
	u->mem_len = areas;
	u->mem = uio_map(u->mem_fd, u->mem_len);
	if (!u->mem)
		return uio_fail("map", u->made[u->n_made - 1], errno);
	if (u->fc) {
		ret = uio_file(u, UIO_SYSFS "/device/resource4", NULL, u->win_len, true);
		if (ret < 0)
			return ret;
		u->win_fd = ret;
		u->win = uio_map(u->win_fd, u->win_len);
		if (!u->win)
			return uio_fail("map", u->made[u->n_made - 1], errno);
	}
	return uio_pci_resource(u, areas);
}

/* The interrupt toward the agent: a pty in raw mode, or /dev/full. */
static int uio_make_irq(struct uio *u)
{
	char *link = uio_path(u, "dev/" UIO_NAME ".irq");
	const char *target = "/dev/full";
	struct termios t;
	int err;

	if (!link)
		return -ENOMEM;
	if (u->irq) {
		const char *name;

		u->master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
		if (u->master < 0 || grantpt(u->master) || unlockpt(u->master) ||
		    !(name = ptsname(u->master))) {
			err = uio_fail("set up a pseudo-terminal for", link, errno);
			free(link);
			return err;
		}
		snprintf(u->slave_path, sizeof(u->slave_path), "%s", name);
		/* Held open, so that the agent's close does not hang it up. */
		u->slave = open(u->slave_path, O_RDWR | O_NOCTTY | O_CLOEXEC);
		if (u->slave < 0 || tcgetattr(u->slave, &t)) {
			err = uio_fail("open", u->slave_path, errno);
			free(link);
			return err;
		}
		cfmakeraw(&t); /* no echo, no line discipline: bytes as written */
		if (tcsetattr(u->slave, TCSANOW, &t) ||
		    fcntl(u->master, F_SETFL, fcntl(u->master, F_GETFL) | O_NONBLOCK)) {
			err = uio_fail("configure", u->slave_path, errno);
			free(link);
			return err;
		}
		target = u->slave_path;
	}
	if (unlink(link) && errno != ENOENT) {
		err = uio_fail("replace", link, errno);
		free(link);
		return err;
	}
	if (symlink(target, link)) {
		err = uio_fail("create the link", link, errno);
		free(link);
		return err;
	}
	return uio_made(u, link, false);
}

/* Remove what was made, newest first. */
static void uio_unmake(struct uio *u)
{
	while (u->n_made) {
		char *p = u->made[--u->n_made];

		if (u->made_dir[u->n_made])
			rmdir(p); /* fails, harmlessly, when not empty */
		else
			unlink(p);
		free(p);
	}
}

/* ---- the interrupt --------------------------------------------------------- */

/* Rewrite sysfs's event, best effort (the count only grows: no truncation
 * needed). */
static void uio_event_file(struct uio *u)
{
	char buf[16];
	int n = snprintf(buf, sizeof(buf), "%u\n", u->count);

	if (u->event_fd >= 0 && pwrite(u->event_fd, buf, (size_t)n, 0) < 0)
		srv_log(u->srv, SRV_LOG_DEBUG, "event: %s", strerror(errno));
}

/* One interrupt to the agent: the new count, then masked until it
 * re-enables. */
static void uio_send(struct uio *u)
{
	uint32_t n = u->count + 1;

	u->enabled = false;
	if (write(u->master, &n, sizeof(n)) != (ssize_t)sizeof(n)) {
		u->lost++;
		srv_log(u->srv, SRV_LOG_INFO, "interrupt %u lost: %s", n,
			strerror(errno ? errno : EIO));
		return;
	}
	u->count = n;
	uio_event_file(u);
}

/* The areas' signal: a response or a P2A message is there. */
static void uio_raise(void *priv)
{
	struct uio *u = priv;

	u->raised++;
	if (!u->irq || u->removed)
		return;
	if (u->drop) {
		u->drop--;
		u->dropped++;
		return;
	}
	if (u->enabled) {
		uio_send(u);
	} else if (!u->pending) {
		u->pending = true;
		u->latched++;
	}
}

/* The agent's enable (non-zero) and disable (0) writes; then what waits
 * for an enabled interrupt.  Work done. */
static int uio_irq_control(struct uio *u)
{
	int work = 0;
	ssize_t r;

	while ((r = read(u->master, u->rx + u->rx_len, sizeof(u->rx) - u->rx_len)) > 0) {
		uint32_t v;

		work++;
		u->rx_len += (size_t)r;
		if (u->rx_len < sizeof(u->rx))
			continue;
		u->rx_len = 0;
		memcpy(&v, u->rx, sizeof(v));
		u->enabled = v != 0;
		if (v)
			u->enables++;
		else
			u->disables++;
	}
	if (u->enabled && (u->pending || u->storm)) {
		if (u->pending) {
			u->pending = false;
		} else {
			u->storm--;
			u->storm_sent++;
		}
		uio_send(u);
		work++;
	}
	return work;
}

/* ---- the mode ----------------------------------------------------------------- */

static int uio_poll(void *state)
{
	struct uio *u = state;
	int work;

	if (u->removed)
		return 0; /* the device is gone: nobody answers */
	work = u->irq ? uio_irq_control(u) : 0;
	return work + srv_areas_poll(u->areas);
}

/* The pty master: the agent's enable wakes the loop (the doorbell is in
 * memory, polled). */
static int uio_fds(void *state, struct pollfd *fds, int max)
{
	struct uio *u = state;

	if (max < 1 || u->removed || !u->irq || u->master < 0)
		return 0;
	fds[0] = (struct pollfd){.fd = u->master, .events = POLLIN};
	return 1;
}

static void uio_output(void *state, struct srv_ctx ctx, enum scmi_sim_chan chan, const void *msg,
		       size_t len)
{
	srv_areas_output(((struct uio *)state)->areas, ctx, chan, msg, len);
}

static void uio_print_uri(void *state, FILE *f)
{
	struct uio *u = state;

	fprintf(f,
		"uio://" UIO_NAME "?sysfs=%s/sys&devnode=%s/dev/" UIO_NAME "&irq=%s/dev/" UIO_NAME
		".irq&shm=%s&",
		u->dir, u->dir, u->dir, u->pci ? "res2" : "map1");
	srv_areas_print(u->areas, f);
	fprintf(f, "&db=%s", u->pci ? "res0:0xc" : "map0:0x0");
}

static void uio_stats(void *state, char *buf, size_t size)
{
	struct uio *u = state;
	int n;

	srv_areas_stats(u->areas, buf, size);
	n = (int)strlen(buf);
	snprintf(buf + n, size - (size_t)n,
		 " uio_irq=%d uio_irq_raised=%llu uio_irq_sent=%u uio_irq_enabled=%d "
		 "uio_irq_pending=%d uio_irq_latched=%llu uio_irq_dropped=%llu uio_irq_lost=%llu "
		 "uio_irq_enables=%llu uio_irq_disables=%llu uio_irq_storm_sent=%llu "
		 "uio_irq_storm_left=%llu uio_removed=%d",
		 u->irq, (unsigned long long)u->raised, u->count, u->enabled, u->pending,
		 (unsigned long long)u->latched, (unsigned long long)u->dropped,
		 (unsigned long long)u->lost, (unsigned long long)u->enables,
		 (unsigned long long)u->disables, (unsigned long long)u->storm_sent,
		 (unsigned long long)u->storm, u->removed);
}

/* The device goes away: its files, then the pty (the agent's reads see
 * end of file, its writes EIO). */
static void uio_remove(struct uio *u)
{
	uio_unmake(u);
	uio_close_fd(u->master);
	uio_close_fd(u->slave);
	u->master = u->slave = -1;
	u->removed = true;
	srv_log(u->srv, SRV_LOG_INFO, "device removed (uio-remove)");
}

static int uio_command(void *state, int argc, char **argv, char *reply, size_t size)
{
	struct uio *u = state;
	bool storm = !strcmp(argv[0], "uio-irq-storm");
	uint64_t n;

	if (!storm && strcmp(argv[0], "uio-irq-drop") && strcmp(argv[0], "uio-remove"))
		return -ENOENT;
	if (u->removed) {
		snprintf(reply, size, "error the device was removed");
	} else if (!strcmp(argv[0], "uio-remove")) {
		if (argc != 1) {
			snprintf(reply, size, "error usage: uio-remove");
			return 0;
		}
		uio_remove(u);
		snprintf(reply, size, "ok");
	} else if (argc != 2 || srv_parse_u64(argv[1], 0, 1000000, &n)) {
		snprintf(reply, size, "error usage: %s N (0..1000000)", argv[0]);
	} else if (!u->irq) {
		snprintf(reply, size, "error no interrupt (--no-uio-irq)");
	} else if (storm) {
		/* One now if enabled, the rest one per re-enable. */
		u->storm += n;
		uio_irq_control(u);
		snprintf(reply, size, "ok");
	} else {
		u->drop = (unsigned int)n;
		snprintf(reply, size, "ok");
	}
	return 0;
}

static void uio_free(struct uio *u, bool remove)
{
	srv_areas_free(u->areas);
	if (remove)
		uio_unmake(u);
	while (u->n_made)
		free(u->made[--u->n_made]);
	if (u->regs)
		munmap(u->regs, u->regs_len);
	if (u->mem && u->pci)
		munmap(u->mem, u->mem_len);
	if (u->win && u->pci)
		munmap(u->win, u->win_len);
	uio_close_fd(u->win_fd);
	uio_close_fd(u->mem_fd);
	uio_close_fd(u->regs_fd);
	uio_close_fd(u->master);
	uio_close_fd(u->slave);
	uio_close_fd(u->event_fd);
	free(u->dir);
	free(u);
}

static void *uio_shared_mem(void *state, size_t *size)
{
	struct uio *u = state;

	*size = u->win ? u->win_len : 0;
	return u->win;
}

static void uio_close(void *state, bool keep)
{
	uio_free(state, !keep);
}

/* A size that a BAR or a map could have: a power of two, a page at least. */
static size_t uio_region_size(size_t len)
{
	size_t s = UIO_PAGE;

	while (s < len)
		s *= 2;
	return s;
}

static int uio_open_mode(struct srv *srv, const struct srv_opts *o, void **state)
{
	struct uio *u = calloc(1, sizeof(*u));
	size_t areas = uio_region_size(srv_areas_len(o));
	int ret;

	if (!u)
		return -ENOMEM;
	u->srv = srv;
	u->mem_fd = u->regs_fd = u->win_fd = u->master = u->slave = u->event_fd = -1;
	u->pci = o->uio_pci;
	u->irq = o->uio_irq < 0 ? !o->uio_pci : o->uio_irq;
	u->dir = srv_abs_path(o->uio_dir);
	if (!u->dir) {
		uio_free(u, false);
		return -ENOMEM;
	}
	if (!srv_uri_safe("--uio", u->dir)) {
		uio_free(u, false);
		return -EINVAL;
	}
	while (strlen(u->dir) > 1 && u->dir[strlen(u->dir) - 1] == '/')
		u->dir[strlen(u->dir) - 1] = '\0';
	if (o->fastchannels) {
		/* Wanted here; mapped by the form's maker. */
		scmi_sim_memory_window(&u->win_phys, &u->win_len);
		if (u->win_phys % UIO_PAGE || u->win_phys < UIO_BAR2_ADDR + areas) {
			srv_log(NULL, SRV_LOG_ERR, "--fastchannels: window at 0x%llx unusable",
				(unsigned long long)u->win_phys);
			uio_free(u, false);
			return -EINVAL;
		}
		u->fc = true;
	}

	ret = uio_mkdirs(u, UIO_SYSFS);
	if (!ret)
		ret = uio_mkdirs(u, "dev");
	if (!ret)
		ret = uio_file(u, UIO_SYSFS "/name", "scmi-sim\n", 0, false);
	if (!ret)
		ret = uio_file(u, UIO_SYSFS "/version", "1\n", 0, false);
	if (!ret) {
		ret = uio_file(u, UIO_SYSFS "/event", "0\n", 0, true);
		if (ret >= 0) {
			u->event_fd = ret;
			ret = 0;
		}
	}
	if (!ret)
		ret = u->pci ? uio_make_pci(u, areas) : uio_make_platform(u, areas);
	if (!ret)
		ret = uio_make_irq(u);
	if (!ret)
		ret = srv_areas_new(srv, o, u->mem, &u->areas);
	if (ret) {
		uio_free(u, true);
		return ret;
	}
	srv_areas_doorbell(u->areas, u->regs + (u->pci ? UIO_PCI_DOORBELL : 0), 32, 1);
	srv_areas_on_signal(u->areas, uio_raise, u);
	srv_log(srv, SRV_LOG_INFO,
		"serving %u channel pair(s) of %zu bytes in a fake UIO device (%s form) under "
		"%s, interrupt %s",
		1 + o->n_protos, o->size, u->pci ? "pci" : "platform", u->dir,
		u->irq ? u->slave_path : "none (/dev/full)");
	*state = u;
	return 0;
}

const struct srv_mode srv_mode_uio = {
	.name = "uio",
	.open = uio_open_mode,
	.print_uri = uio_print_uri,
	.poll = uio_poll,
	.output = uio_output,
	.stats = uio_stats,
	.shared_mem = uio_shared_mem,
	.command = uio_command,
	.fds = uio_fds,
	.close = uio_close,
};
