/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vfio-user client: the bottom layer of the virtio-vfio-user:// transport
 * (README.md in this directory).
 *
 * One struct vfu_client talks to one vfio-user server over a connected
 * UNIX stream socket: VERSION negotiation, device / region / IRQ info,
 * region accesses (through the server's mmap-able areas when it offers
 * them, REGION_READ / REGION_WRITE messages otherwise), DMA windows of
 * client memory (a memfd passed to the server), eventfds for interrupts,
 * device reset, and the server's DMA_READ / DMA_WRITE requests.
 *
 * Nothing here knows about PCI, virtio or SCMI, nor about a handle: logging
 * goes through a scmi_log_fn callback so that the layer can be used and
 * tested alone.
 *
 * Threads: every function may be called from any thread.  Message
 * exchanges are serialised by an internal lock (one command in flight at a
 * time); accesses through a mapped area take no lock.
 *
 * Errors: 0 or a negative errno.  A reply that breaks the protocol (size,
 * command, message id, fds) fails the call with -EPROTO and a log line
 * naming the command and what was wrong; an error reply fails it with the
 * server's errno (-EIO when the server gave none); no reply within the
 * timeout gives -ETIMEDOUT (a late reply is recognised and dropped).  When
 * the server goes away (EOF, ECONNRESET, EPIPE) or the byte stream cannot
 * be trusted any more (a message of impossible size, cut short), the call
 * that sees it fails with -ENOTCONN, -EPIPE or -EPROTO, and every later
 * call with -ENOTCONN: the client is then only good for vfu_client_close().
 *
 * Wire format: all fields are encoded and decoded explicitly in
 * little-endian order (what both ends use on the hosts we run on).
 */
#ifndef SCMI_VFIO_USER_H
#define SCMI_VFIO_USER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <scmi/handle.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- protocol numbers --------------------------------------------- */

enum vfu_command {
	VFU_CMD_VERSION = 1,
	VFU_CMD_DMA_MAP = 2,
	VFU_CMD_DMA_UNMAP = 3,
	VFU_CMD_DEVICE_GET_INFO = 4,
	VFU_CMD_DEVICE_GET_REGION_INFO = 5,
	VFU_CMD_DEVICE_GET_REGION_IO_FDS = 6,
	VFU_CMD_DEVICE_GET_IRQ_INFO = 7,
	VFU_CMD_DEVICE_SET_IRQS = 8,
	VFU_CMD_REGION_READ = 9,
	VFU_CMD_REGION_WRITE = 10,
	VFU_CMD_DMA_READ = 11,
	VFU_CMD_DMA_WRITE = 12,
	VFU_CMD_DEVICE_RESET = 13,
};

#define VFU_HDR_SIZE 16u
/* Header flags. */
#define VFU_F_TYPE_MASK	 0xfu
#define VFU_F_TYPE_CMD	 0x0u
#define VFU_F_TYPE_REPLY 0x1u
#define VFU_F_NO_REPLY	 0x10u
#define VFU_F_ERROR	 0x20u

/* The version we propose; we accept any minor up to it. */
#define VFU_VERSION_MAJOR 0u
#define VFU_VERSION_MINOR 2u

/* Defaults of the capabilities a peer does not state. */
#define VFU_DEFAULT_MAX_FDS	  1u
#define VFU_DEFAULT_MAX_DATA_XFER (1u << 20)
#define VFU_DEFAULT_MAX_DMA_MAPS  65535u
#define VFU_DEFAULT_PGSIZES	  4096u
/* What we advertise and accept: fds per message, bytes per transfer. */
#define VFU_CLIENT_MAX_FDS	 8u
#define VFU_CLIENT_MAX_DATA_XFER (1u << 20)
/* The largest message we read: a full transfer plus its two heads. */
#define VFU_MAX_MSG_SIZE (VFU_CLIENT_MAX_DATA_XFER + 64u)

/* Device info flags. */
#define VFU_DEV_F_RESET 0x1u
#define VFU_DEV_F_PCI	0x2u
/* Region info flags. */
#define VFU_REGION_F_READ  0x1u
#define VFU_REGION_F_WRITE 0x2u
#define VFU_REGION_F_MMAP  0x4u
#define VFU_REGION_F_CAPS  0x8u
/* Region capability ids. */
#define VFU_REGION_CAP_SPARSE_MMAP 1u
#define VFU_REGION_CAP_TYPE	   2u
/* PCI region indices. */
#define VFU_PCI_BAR0_REGION   0u
#define VFU_PCI_ROM_REGION    6u
#define VFU_PCI_CONFIG_REGION 7u
#define VFU_PCI_NUM_REGIONS   9u
/* IRQ indices and info flags. */
#define VFU_PCI_INTX_IRQ     0u
#define VFU_PCI_MSI_IRQ	     1u
#define VFU_PCI_MSIX_IRQ     2u
#define VFU_PCI_ERR_IRQ	     3u
#define VFU_PCI_REQ_IRQ	     4u
#define VFU_IRQ_F_EVENTFD    0x1u
#define VFU_IRQ_F_MASKABLE   0x2u
#define VFU_IRQ_F_AUTOMASKED 0x4u
#define VFU_IRQ_F_NORESIZE   0x8u
/* SET_IRQS flags. */
#define VFU_IRQ_SET_DATA_NONE	   0x01u
#define VFU_IRQ_SET_DATA_BOOL	   0x02u
#define VFU_IRQ_SET_DATA_EVENTFD   0x04u
#define VFU_IRQ_SET_ACTION_MASK	   0x08u
#define VFU_IRQ_SET_ACTION_UNMASK  0x10u
#define VFU_IRQ_SET_ACTION_TRIGGER 0x20u
/* DMA_MAP flags: what the server may do with the window. */
#define VFU_DMA_F_READ	0x1u
#define VFU_DMA_F_WRITE 0x2u

/* Limits of what we accept from a server. */
#define VFU_MAX_REGIONS	     100u /* num_regions (as qemu) */
#define VFU_MAX_IRQ_TYPES    50u  /* num_irqs (as qemu) */
#define VFU_MAX_SPARSE_AREAS 64u
#define VFU_MAX_REGION_INFO  4096u /* reply argsz with caps */
#define VFU_MAX_DMA_WINDOWS  16u
#define VFU_DMA_PAGE	     4096u

/** The command's name for log lines ("DMA_MAP"), "command N" if unknown. */
const char *vfu_command_name(uint16_t cmd);

/* ---- header and small decoders (also used by the tests and fuzzers) --- */

struct vfu_hdr {
	uint16_t msg_id;
	uint16_t cmd;
	uint32_t size; /**< whole message, header included */
	uint32_t flags;
	uint32_t error;
};

/** Encode @h into 16 bytes at @p. */
void vfu_hdr_encode(void *p, const struct vfu_hdr *h);
/** Decode 16 bytes at @p into @h (no checks). */
void vfu_hdr_decode(const void *p, struct vfu_hdr *h);

/** What the server said in its VERSION reply (defaults where it was
 *  silent). */
struct vfu_server_caps {
	uint16_t major;
	uint16_t minor;
	uint32_t max_msg_fds;	     /**< fds it takes per message (0..1024) */
	uint64_t max_data_xfer_size; /**< bytes per REGION_* / DMA_* transfer */
	uint32_t max_dma_maps;
	uint64_t pgsizes;
	bool write_multiple;
};

/**
 * Parse the payload of a VERSION reply (@len bytes at @payload: major,
 * minor, optional JSON) into @caps.  Lenient as libvfio-user is where the
 * protocol allows it: no JSON, JSON without its NUL, no "capabilities",
 * unknown keys and "migration" are accepted; a major other than 0, a minor
 * above the one we proposed, a JSON syntax error, a non-object where an
 * object is due, a known key of the wrong type or out of range, or a twin
 * socket we did not ask for give -EPROTO with a reason in @why (a static
 * string).
 */
int vfu_parse_version_reply(const void *payload, size_t len, struct vfu_server_caps *caps,
			    const char **why);

/** The JSON we send with VERSION (our max_msg_fds and @max_xfer as
 *  max_data_xfer_size), built with json-c; malloc'ed, NUL terminated; its
 *  length with the NUL in *@len.  NULL on ENOMEM. */
char *vfu_client_caps_json(uint32_t max_xfer, size_t *len);

/* ---- the client ------------------------------------------------------- */

struct vfu_client;

struct vfu_client_config {
	/** Log sink (NULL: silent); @log_priv is passed back. */
	scmi_log_fn log;
	void *log_priv;
	/** Most verbose level passed to @log (0: SCMI_LOG_INFO). */
	enum scmi_log_level log_level;
	/** Reply timeout per command, ms (0: 5000). */
	unsigned int timeout_ms;
	/** Largest transfer we accept from the server and advertise (0:
	 *  VFU_CLIENT_MAX_DATA_XFER; at most that). */
	uint32_t max_data_xfer_size;
	/** Optional: called once when the connection is found broken (server
	 *  gone, stream unusable), with the errno the detecting call got.
	 *  Called from the detecting thread after the client's lock is
	 *  released; may call vfu_client_*() (they fail with -ENOTCONN). */
	void (*disconnected)(void *priv, int err);
	void *disconnected_priv;
};

/**
 * Connect to the server listening on @path and negotiate the version.
 * @cfg may be NULL (defaults).  On success *@out owns the socket.
 */
int vfu_client_connect(const char *path, const struct vfu_client_config *cfg,
		       struct vfu_client **out);
/**
 * Take over the connected stream socket @fd (closed by vfu_client_close(),
 * also on failure here).  No message is exchanged: call
 * vfu_client_negotiate() next.
 */
int vfu_client_attach(int fd, const struct vfu_client_config *cfg, struct vfu_client **out);
/** VERSION negotiation; must be the first exchange.  Done by
 *  vfu_client_connect(). */
int vfu_client_negotiate(struct vfu_client *c);
/**
 * Close the socket, unmap the regions and DMA windows, close the eventfds
 * the client created.  No other call on @c may be in progress.  NULL is
 * fine.
 */
void vfu_client_close(struct vfu_client *c);

/** The server's capabilities (valid after negotiation). */
const struct vfu_server_caps *vfu_client_server_caps(const struct vfu_client *c);
/** Whether the connection is still usable. */
bool vfu_client_connected(const struct vfu_client *c);
/** The socket, to watch for readability (server requests, EOF) on an
 *  event loop; call vfu_client_process() when it is readable. */
int vfu_client_fd(const struct vfu_client *c);
/**
 * Serve what the server sent while no command was in flight: DMA_READ /
 * DMA_WRITE requests are answered, a stray reply is logged and dropped,
 * EOF breaks the connection.  Never waits for a message that has not
 * begun to arrive, nor for a command in flight on another thread (that
 * thread serves what arrives meanwhile: 0 is returned).  Returns the
 * number of messages handled, or a negative errno (-ENOTCONN once the
 * server is gone).  Made for a level-triggered poll on vfu_client_fd().
 */
int vfu_client_process(struct vfu_client *c);

/* Device information. */
struct vfu_device_info {
	uint32_t flags; /**< VFU_DEV_F_* */
	uint32_t num_regions;
	uint32_t num_irqs;
};
/** DEVICE_GET_INFO.  num_regions ≤ VFU_MAX_REGIONS and num_irqs ≤
 *  VFU_MAX_IRQ_TYPES are enforced (-EPROTO). */
int vfu_device_get_info(struct vfu_client *c, struct vfu_device_info *info);

struct vfu_area {
	uint64_t offset; /**< within the region */
	uint64_t size;
	void *ptr; /**< local mapping, NULL if mapping failed */
};

struct vfu_region {
	uint32_t index;
	uint32_t flags;	 /**< VFU_REGION_F_* as the server sent them */
	uint64_t size;	 /**< 0: the region does not exist */
	uint64_t offset; /**< mmap offset of the region in its fd */
	bool has_type;
	uint32_t type, subtype; /**< TYPE capability */
	unsigned int nr_areas;	/**< mmap-able areas (sparse cap or whole) */
	struct vfu_area areas[VFU_MAX_SPARSE_AREAS];
	unsigned int nr_mapped; /**< areas with a local mapping */
};

/**
 * DEVICE_GET_REGION_INFO for @index (asking again with a larger argsz when
 * the server has capabilities to send), with its capability chain; when
 * the server passes an fd for an mmap-able region, each area is mapped
 * (MAP_SHARED) and later accesses inside it use the mapping.  A server
 * that sets MMAP but sends no fd, or whose areas cannot be mapped, is
 * logged and reached by messages.  The info is kept in the client (a
 * second call replaces it); *@info receives a pointer to it, valid until
 * the next call for this index or vfu_client_close().  @info may be NULL.
 */
int vfu_region_get_info(struct vfu_client *c, uint32_t index, const struct vfu_region **info);

/** Copy the info vfu_region_get_info() keeps for region @index into
 *  *@out (areas without local pointers' ownership: read only).  -ENOENT
 *  when it was never asked. */
int vfu_region_peek(struct vfu_client *c, uint32_t index, struct vfu_region *out);

/**
 * Read @count bytes at @offset of region @index into @buf with
 * REGION_READ messages (split to the server's max_data_xfer_size).  Within
 * a region whose info is known the range is checked first (-EINVAL).
 */
int vfu_region_read(struct vfu_client *c, uint32_t index, uint64_t offset, void *buf, size_t count);
/** The same for REGION_WRITE. */
int vfu_region_write(struct vfu_client *c, uint32_t index, uint64_t offset, const void *buf,
		     size_t count);
/**
 * REGION_WRITE of @count bytes (1..64, one message) flagged NO_REPLY, for
 * doorbells: returns once sent.  The server executes commands in order, so
 * the reply to any later command means it was done; its errors are not
 * reported (a server that answers anyway has the reply dropped, an error
 * logged).  Always a message, even inside a mapped area.
 */
int vfu_region_write_posted(struct vfu_client *c, uint32_t index, uint64_t offset, const void *buf,
			    size_t count);
/**
 * Little-endian device register of @width bytes (1, 2, 4, 8) at @offset of
 * region @index, as a host value: one aligned access through the mapping
 * when the range lies in a mapped area (width-aligned offset), one
 * REGION_READ / REGION_WRITE message otherwise.  -EINVAL for another
 * width, or a range outside a known region.
 */
int vfu_region_read_val(struct vfu_client *c, uint32_t index, uint64_t offset, unsigned int width,
			uint64_t *val);
int vfu_region_write_val(struct vfu_client *c, uint32_t index, uint64_t offset, unsigned int width,
			 uint64_t val);

/**
 * Create a window of @size bytes of client memory (a memfd, mapped
 * locally MAP_SHARED) and DMA_MAP it at IOVA @iova with rights @flags
 * (VFU_DMA_F_READ / _WRITE), passing the memfd to the server when it
 * accepts fds (otherwise it reaches the window with DMA_READ / DMA_WRITE).
 * @iova and @size must be VFU_DMA_PAGE-aligned, @size > 0, no overlap with
 * another window, at most VFU_MAX_DMA_WINDOWS.  *@ptr receives the local
 * mapping (zero-filled), valid until vfu_dma_unmap() or
 * vfu_client_close().
 */
int vfu_dma_map(struct vfu_client *c, uint64_t iova, uint64_t size, uint32_t flags, void **ptr);
/** DMA_UNMAP the window that starts at @iova; its memory is freed once the
 *  server confirmed.  -ENOENT: no such window. */
int vfu_dma_unmap(struct vfu_client *c, uint64_t iova);

/** Server requests served so far (for tests and statistics). */
struct vfu_client_stats {
	uint64_t dma_reads, dma_writes; /**< served */
	uint64_t dma_rejected;		/**< answered with an error */
	uint64_t late_replies;		/**< replies after their timeout, dropped */
};
void vfu_client_get_stats(struct vfu_client *c, struct vfu_client_stats *st);

struct vfu_irq_info {
	uint32_t flags; /**< VFU_IRQ_F_* */
	uint32_t count; /**< vectors of that type (0: unsupported) */
};
/** DEVICE_GET_IRQ_INFO for IRQ type @index. */
int vfu_irq_get_info(struct vfu_client *c, uint32_t index, struct vfu_irq_info *info);
/**
 * DEVICE_SET_IRQS EVENTFD|TRIGGER: attach @fds[0..@count) to vectors
 * @start.. of IRQ type @index (sent in chunks of the server's max_msg_fds;
 * -EOPNOTSUPP when it takes none).  The fds stay the caller's.  @fds NULL
 * detaches the vectors instead.
 */
int vfu_irq_set_eventfds(struct vfu_client *c, uint32_t index, uint32_t start, uint32_t count,
			 const int *fds);
/** DEVICE_SET_IRQS NONE|TRIGGER count 0: disable every vector of @index. */
int vfu_irq_disable(struct vfu_client *c, uint32_t index);

/** Interrupts set up by vfu_irq_setup(). */
struct vfu_irqs {
	uint32_t index; /**< VFU_PCI_MSIX_IRQ or VFU_PCI_INTX_IRQ */
	uint32_t count; /**< vectors with an eventfd */
	const int *fds; /**< their eventfds (owned by the client) */
};
/**
 * Interrupt delivery by eventfds: @index's info is asked and, when it has
 * at least @want vectors (@want ≥ 1), @want new non-blocking eventfds are
 * attached to vectors 0..@want-1.  With @index VFU_PCI_MSIX_IRQ and too
 * few MSI-X vectors, INTx (one vector) is used instead.  The eventfds stay
 * open until vfu_irq_teardown() or vfu_client_close().  -ENODEV when
 * neither is available.  Enabling MSI-X in config space is the caller's
 * business.
 */
int vfu_irq_setup(struct vfu_client *c, uint32_t index, uint32_t want, struct vfu_irqs *out);
/** Disable what vfu_irq_setup() set up and close its eventfds. */
int vfu_irq_teardown(struct vfu_client *c);

/** DEVICE_RESET. */
int vfu_device_reset(struct vfu_client *c);

#ifdef __cplusplus
}
#endif
#endif /* SCMI_VFIO_USER_H */
