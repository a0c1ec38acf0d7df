/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * shmem:// (internal): the URI's parameters, parsed and checked.
 *
 *   shmem://PATH?a2p=ADDR[&p2a=ADDR][&size=N]
 *          [&a2p.0xNN=ADDR[&p2a.0xNN=ADDR]]...
 *          [&db=ADDR[&db_width=8|16|32|64][&db_set=V][&db_preserve=MASK]]
 *          [&poll_us=N][&completion=poll|irq][&timeout_ms=N]
 *
 * PATH: the memory device or file, absolute; empty for /dev/mem (so
 * shmem:///tmp/x.shm names a file).  ADDR: byte offsets in it.  a2p/p2a:
 * the default channel's areas (p2a optional: without it, no notifications
 * or delayed responses).  a2p.0xNN/p2a.0xNN: a channel of protocol 0xNN
 * (hex, 0x11..0xff) of its own.  size: of every area (default 128, at least
 * 32, a multiple of 4, at most 1 MiB).  db: a doorbell register in the same
 * device, rung after each command; db_width its width in bits (default 32),
 * db_set the bits written (default 1), db_preserve the bits kept by a
 * read-modify-write (default 0: a plain write).  poll_us: how often the P2A
 * areas are polled, in microseconds (10..1000000, default 1000).
 * completion: "poll" (default) or "irq", the latter only for a transport
 * with a completion wake-up.  timeout_ms: how long a command waits for its
 * response (1..3600000; default: the transport's, which
 * scmi_config.timeout_ms overrides in turn).
 *
 * Every area is 4-byte aligned and the doorbell aligned to its width; no
 * two areas overlap, and the doorbell overlaps none.
 *
 * The same parser serves uio:// (transports/uio-mailbox/), whose areas and
 * doorbell lie in regions of a UIO device: shmem_config_parse_opts() with
 * the differences in struct shmem_config_opts.
 */
#ifndef SCMI_TRANSPORTS_SHMEM_CONFIG_H
#define SCMI_TRANSPORTS_SHMEM_CONFIG_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <scmi/transport.h>

#define SHMEM_DEFAULT_PATH    "/dev/mem"
#define SHMEM_DEFAULT_SIZE    128u
#define SHMEM_MAX_AREA_SIZE   (1u << 20)
#define SHMEM_DEFAULT_POLL_US 1000u
#define SHMEM_MIN_POLL_US     10u
#define SHMEM_MAX_POLL_US     1000000u
/* The default channel and one per protocol (0x11..0xff): more than a URI's
 * 32 parameters can describe. */
#define SHMEM_MAX_CHANNELS 32

enum shmem_completion {
	SHMEM_COMPLETION_POLL,
	SHMEM_COMPLETION_IRQ,
};

/** One channel: an A2P area and optionally a P2A one. */
struct shmem_chan_config {
	uint8_t protocol; /* 0 for the default channel, else its protocol */
	uint64_t a2p;	  /* byte offset of the A2P area */
	uint64_t p2a;	  /* byte offset of the P2A area, if has_p2a */
	bool has_p2a;
};

struct shmem_config {
	char path[PATH_MAX];
	size_t size; /* of every area */
	/* chans[0] is the default channel; per-protocol ones follow in the
	 * URI's order. */
	struct shmem_chan_config chans[SHMEM_MAX_CHANNELS];
	size_t num_chans;
	bool has_db;
	uint64_t db;	       /* byte offset of the doorbell register */
	unsigned int db_width; /* 8, 16, 32 or 64 */
	uint64_t db_set;
	uint64_t db_preserve;
	unsigned int poll_us;
	bool poll_us_set;	 /* given in the URI */
	unsigned int timeout_ms; /* 0: the transport's default */
	enum shmem_completion completion;
	/* Where the areas lie (uio://): the P2A areas, and the doorbell, in
	 * another region than the A2P areas (not checked against them). */
	bool p2a_apart;
	bool db_apart;
};

/** What a transport using the shared parser changes in it. */
struct shmem_config_opts {
	const char *name;  /* log prefix: "shmem", "uio" */
	bool irq_capable;  /* completion=irq allowed */
	bool irq_default;  /* completion defaults to irq */
	bool a2p_optional; /* a2p= defaults to 0 */
	bool p2a_apart;	   /* the P2A areas lie in another region */
	/* Parameters the transport reads itself (NULL-terminated, or NULL):
	 * not unknown here. */
	const char *const *own_keys;
	/* db='s value: NULL for an offset in the areas' device; else it
	 * parses @value into *@off and says whether the register lies in
	 * another region than the A2P areas (0 or -EINVAL, logged). */
	int (*parse_db)(const char *value, uint64_t *off, bool *apart, void *arg,
			struct scmi_chan *chan);
	void *arg; /* for parse_db */
};

/**
 * Parse and check the parameters of @uri (every parameter is consumed: an
 * unknown one is an error here) into @cfg.  @irq_capable: whether the
 * transport has a completion wake-up (shmem over a file or /dev/mem has
 * none; completion=irq is refused without).  Each rejection is logged
 * through @chan (NULL: silent) naming the parameter.  0 or -EINVAL.
 */
int shmem_config_parse(const struct scmi_uri *uri, bool irq_capable, struct shmem_config *cfg,
		       struct scmi_chan *chan);

/**
 * The channel parameters of @uri (a2p, p2a, size, a2p.0xNN, p2a.0xNN, db,
 * db_width, db_set, db_preserve, poll_us, completion) into @cfg as
 * @opts says, the path aside (cfg->path stays empty).  Every parameter is
 * consumed: one that is neither of those nor in opts->own_keys is an error.
 * 0 or -EINVAL, logged through @chan.
 */
int shmem_config_parse_opts(const struct scmi_uri *uri, const struct shmem_config_opts *opts,
			    struct shmem_config *cfg, struct scmi_chan *chan);

/** Whether any channel has a P2A area. */
bool shmem_config_has_p2a(const struct shmem_config *cfg);

/** The channel serving @protocol: its own, else the default one. */
const struct shmem_chan_config *shmem_config_chan(const struct shmem_config *cfg, uint8_t protocol);

#endif
