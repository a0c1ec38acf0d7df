/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The xfer / token manager (internal).  See docs/DESIGN.md, "Transfers and
 * tokens".
 *
 * A pool per channel direction holds max_msg preallocated xfers, each with
 * its tx and rx buffers.  TX xfers get a 10-bit token that is monotonic:
 * the search for a free token starts after the last one handed out and
 * wraps once, so a late reply for a timed-out command cannot match a newer
 * command soon after.  In-flight xfers are found by token in O(1) through a
 * 1024-slot table.
 *
 * Quarantine: the token of a command that timed out stays out of use until
 * its late reply arrives (the response, and for an async command its
 * delayed response) or SCMI_QUARANTINE_FACTOR timeouts pass, so that a
 * late reply can never complete a newer command that reuses the token.
 * When every free token is held back, a new command fails with -EBUSY.
 *
 * Locks (take in this order; never hold two xfer locks at once):
 *   pool->lock   free list, token bitmap, pending table, refcounts
 *   xfer->lock   state, completion flags, results of one xfer
 * In practice no path holds both: lookups take pool->lock, drop it, and
 * then take xfer->lock.
 */
#ifndef SCMI_LIB_XFER_H
#define SCMI_LIB_XFER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <limits.h>
#include <stdint.h>

#include <scmi/transport.h>

struct scmi_instance;
struct scmi_raw_cmd;

enum scmi_xfer_state {
	SCMI_XFER_IDLE = 0, /* got, not sent yet */
	SCMI_XFER_SENT_OK,  /* handed to the transport */
	SCMI_XFER_RESP_OK,  /* response received */
	SCMI_XFER_DRESP_OK, /* delayed response received (final) */
};

struct scmi_xfers_info;

struct scmi_xfer {
	/* What the transport sees (header, buffers, status, priv). */
	struct scmi_transport_xfer t;
	uint8_t protocol_id;
	uint8_t msg_id;
	uint16_t token;
	int transfer_id; /* per-command sequence number, for traces */
	/* True for commands completed by a delayed response. */
	bool async;
	/* Timed out: at put, the token goes to quarantine, not free. */
	bool quarantine;
	/* The non-blocking request this xfer carries (lib/request.c); set
	 * and cleared under the request engine's lock, NULL for blocking
	 * calls. */
	struct scmi_req *req;
	/* The raw command whose parts the fill records (lib/raw.c); set
	 * and cleared under the raw core's xlock, NULL otherwise. */
	_Atomic(struct scmi_raw_cmd *) raw;

	/* -- under pool->lock -- */
	unsigned int users; /* refcount */
	bool pending;	    /* in the token table */
	struct scmi_xfer *next_free;

	/* -- under lock -- */
	pthread_mutex_t lock;
	pthread_cond_t cond; /* CLOCK_MONOTONIC */
	enum scmi_xfer_state state;
	bool done;	      /* response (or its stand-in) complete */
	bool async_done;      /* delayed response complete */
	int resp_err;	      /* local error for the response phase */
	int dresp_err;	      /* local error for the delayed response */
	int32_t resp_status;  /* SCMI status of the response */
	int32_t dresp_status; /* SCMI status of the delayed response */

	/* One RX context at a time fills the xfer (transport fetch). */
	atomic_int busy;

	struct scmi_xfers_info *pool;
};

/* A token held back after a timeout (pool->lock). */
struct scmi_token_quarantine {
	uint64_t until_ns; /* 0: not held back */
	uint8_t protocol_id;
	uint8_t msg_id;
	bool resp_due;	/* its response may still arrive */
	bool dresp_due; /* its delayed response may still arrive */
};

#define SCMI_QUARANTINE_FACTOR 4

struct scmi_xfers_info {
	struct scmi_instance *inst;
	pthread_mutex_t lock;
	pthread_cond_t free_cond; /* CLOCK_MONOTONIC; an xfer was freed */
	struct scmi_xfer *xfers;  /* max_msg of them */
	uint8_t *buffers;	  /* their tx and rx buffers */
	struct scmi_xfer *free_list;
	unsigned int max_msg;
	unsigned int num_free;
	size_t max_tx_size; /* request payload per xfer */
	size_t max_rx_size; /* response data per xfer */
	/* Commands in flight per transport channel (with_tokens only). */
	unsigned int max_per_chan;
	uint16_t chan_inflight[SCMI_TRANSPORT_MAX_CHANNELS];
	bool with_tokens;
	uint16_t last_token;
	int last_transfer_id;			     /* transfer ids handed out (traces) */
	uint64_t token_bitmap[SCMI_MAX_TOKENS / 64]; /* in flight or held back */
	struct scmi_xfer *pending[SCMI_MAX_TOKENS];
	/* Quarantine (with_tokens only): SCMI_MAX_TOKENS entries. */
	struct scmi_token_quarantine *quarantine;
	unsigned int num_quarantined;
	uint64_t next_expiry_ns; /* earliest until_ns; UINT64_MAX: none */
};

int scmi_xfers_init(struct scmi_xfers_info *info, struct scmi_instance *inst, unsigned int max_msg,
		    size_t max_msg_size, bool with_tokens);
/** Like scmi_xfers_init() with separate request and response sizes, and at
 *  most @max_per_chan commands in flight per transport channel (0:
 *  max_msg). */
int scmi_xfers_init_limits(struct scmi_xfers_info *info, struct scmi_instance *inst,
			   unsigned int max_msg, unsigned int max_per_chan, size_t max_tx_size,
			   size_t max_rx_size, bool with_tokens);
void scmi_xfers_destroy(struct scmi_xfers_info *info);
/** Number of xfers currently out of the free list. */
unsigned int scmi_xfers_in_use(struct scmi_xfers_info *info);
/** Number of tokens held back after timeouts. */
unsigned int scmi_xfers_quarantined(struct scmi_xfers_info *info);
/** scmi_close(): wake every thread waiting in this pool (they see the
 *  instance aborting and return -ESHUTDOWN). */
void scmi_xfers_wake_all(struct scmi_xfers_info *info);

/**
 * Take a TX xfer for command @msg_id of protocol @proto with a request
 * payload of @tx_size bytes and room for @rx_size response data bytes (0:
 * max_rx_size).  Waits up to @wait_ms for a free xfer (and room on the
 * protocol's transport channel); -ENOBUFS if none frees up, -EBUSY if every
 * free token is held back after timeouts, -EMSGSIZE if @tx_size exceeds
 * max_tx_size or @rx_size max_rx_size, -ESHUTDOWN while closing.
 */
int scmi_xfer_get_init(struct scmi_xfers_info *info, uint8_t proto, uint8_t msg_id, size_t tx_size,
		       size_t rx_size, unsigned int wait_ms, struct scmi_xfer **out);
/** wait_ms for scmi_xfer_get_init(): do not wait; -EAGAIN (not logged,
 *  not counted) when no xfer is free. */
#define SCMI_XFER_NOWAIT UINT_MAX

/** The TX xfer whose request buffer is @tx (an encode callback's), or
 *  NULL. */
struct scmi_xfer *scmi_xfer_of_tx(struct scmi_xfers_info *info, const void *tx);

/** Drop the caller's reference. */
void scmi_xfer_put(struct scmi_xfer *xfer);

/** Send and wait for the response (sync).  0 or negative errno; SCMI
 *  statuses map through scmi_status_to_errno(). */
int scmi_do_xfer(struct scmi_xfer *xfer);
/** Send and wait for the response, then for the delayed response.
 *  -EOPNOTSUPP without sending on a transport without a P2A channel. */
int scmi_do_xfer_with_response(struct scmi_xfer *xfer);

/*
 * The two halves of scmi_do_xfer(), for the request engine (lib/request.c),
 * which waits for the reply without a thread of its own:
 * scmi_xfer_send() sends (0, or the send's error with the xfer abandoned);
 * scmi_xfer_resp_result() ends the response phase: @ret is 0 once the
 * response is complete (scmi_xfer_phase_done()) or the error that ended
 * the wait (-ETIMEDOUT, -ECANCELED, -ESHUTDOWN: the xfer is given up and
 * its token held back); returns the command's result.
 * scmi_xfer_async_prepare() marks a command as completed by a delayed
 * response (-EOPNOTSUPP without a P2A channel); scmi_xfer_dresp_result()
 * ends the delayed-response phase like scmi_xfer_resp_result().
 */
int scmi_xfer_send(struct scmi_xfer *xfer);
int scmi_xfer_resp_result(struct scmi_xfer *xfer, int ret);
int scmi_xfer_async_prepare(struct scmi_xfer *xfer);
int scmi_xfer_dresp_result(struct scmi_xfer *xfer, int ret);
/** Is the response (@dresp false) or delayed response phase complete? */
bool scmi_xfer_phase_done(struct scmi_xfer *xfer, bool dresp);

/* The request engine's hooks (lib/request.c). */
struct scmi_req;
void scmi_req_engine_xfer_event(struct scmi_instance *inst, struct scmi_xfer *xfer);
void scmi_req_engine_xfer_freed(struct scmi_instance *inst);

/** RX path: a response or delayed response arrived (RX thread). */
void scmi_xfer_rx_response(struct scmi_xfers_info *info, uint32_t hdr, void *msg);

/** Token-manager internals exposed for unit tests (pool->lock held). */
int scmi_xfer_token_alloc(struct scmi_xfers_info *info);
void scmi_xfer_token_release(struct scmi_xfers_info *info, uint16_t token);
/** Hold @token back for @ms (a command that timed out). */
void scmi_xfer_token_quarantine(struct scmi_xfers_info *info, uint16_t token, uint8_t proto,
				uint8_t msg_id, bool resp_due, bool dresp_due, unsigned int ms);

#endif
