/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Non-blocking calls: every operation of every ops table, submitted as a
 * request that completes later through a callback.
 *
 * A blocking op builds its message, waits for the platform and decodes the
 * answer.  Wrapped in SCMI_ASYNC(), the same op call returns as soon as the
 * message is queued, and its callback runs once the answer is decoded into
 * the op's output arguments:
 *
 * @code
 *	static void done(struct scmi_req *req)
 *	{
 *		struct reading *r = req->data;
 *
 *		if (req->status < 0)
 *			fprintf(stderr, "sensor %u: %s\n", r->id, scmi_strerror(req->status));
 *		else
 *			printf("sensor %u: %lld\n", r->id, (long long)r->value);
 *	}
 *
 *	r->req.data = r;
 *	ret = SCMI_ASYNC(&r->req, done, h->sensor_ops->reading_get(h, r->id, &r->value));
 * @endcode
 *
 * The request belongs to the caller, like libuv's uv_req_t: it must stay
 * in place, untouched except for @c data, from the submission until its
 * callback runs, and so must every output argument of the op (here
 * @c r->value) and every input passed by pointer.  Nothing is allocated per
 * request.
 *
 * **Contract.**  SCMI_ASYNC() returns 0 when the request was submitted:
 * its callback then runs exactly once, never from within SCMI_ASYNC()
 * itself, with @c req->status holding what the blocking op would have
 * returned (0 or a count, or a negative errno).  A negative return means
 * nothing was submitted and the callback will not run: invalid arguments,
 * an unknown domain, a handle closing (-ESHUTDOWN), or a request still in
 * use (-EBUSY).  An op answered without the platform (a cached
 * description, a count, a fastchannel) completes right away, through the
 * callback all the same.  A timeout completes the request with
 * -ETIMEDOUT, scmi_req_cancel() with -ECANCELED, and scmi_close() completes
 * every request still outstanding with -ECANCELED before it returns.
 * Multi-part operations (a table read in pages, a command completed by a
 * delayed response) complete once, when the last part is in.
 *
 * **Where callbacks run.**  With scmi_config.loop set: on that loop's
 * thread.  With scmi_config.dispatch set: inside scmi_dispatch(), on the
 * thread calling it, when scmi_get_fd() turns readable.  Otherwise on a
 * thread of libscmi's, one per handle, which runs every callback of the
 * handle in turn (a callback that blocks delays the others).  Callbacks may
 * call any function of the handle, SCMI_ASYNC() included, and may reuse
 * their own request.
 *
 * **Limits.**  The first call of a protocol brings the protocol up
 * (version, attributes, discovery), which blocks the caller even under
 * SCMI_ASYNC(): a program that must never block makes one blocking call
 * of each protocol it uses (a count, say) before going non-blocking.
 * Requests beyond the transport's messages in flight queue in submission
 * order without blocking.
 */
#ifndef SCMI_REQUEST_H
#define SCMI_REQUEST_H

#include <stddef.h>
#include <stdint.h>

#include <scmi/handle.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Bytes of a request that are libscmi's (see struct scmi_req). */
#define SCMI_REQ_PRIV_SIZE 352

struct scmi_req;

/**
 * Completion callback of a request.
 *
 * @param req the request; @c req->status holds the op's result and
 *	@c req->data is untouched.  The request is free again (it may be
 *	resubmitted) when the callback starts.
 */
typedef void (*scmi_req_cb)(struct scmi_req *req);

/**
 * A non-blocking call in progress.  Allocated by the caller (on the heap,
 * in a struct of its own, or static), never copied while in use.
 */
struct scmi_req {
	/** The caller's: libscmi never reads or writes it. */
	void *data;
	/** When the callback runs: what the blocking op would have returned
	 *  (0 or a count, or a negative errno). */
	int status;
	/** The handle the request was submitted on (set at submission). */
	const struct scmi_handle *handle;
	/** libscmi's state of the request: do not touch. */
	union {
		long double align_;
		void *ptr_;
		unsigned char bytes[SCMI_REQ_PRIV_SIZE];
	} priv_;
};

/**
 * Arm @p req for the next op called on this thread (SCMI_ASYNC()'s first
 * half).  Use SCMI_ASYNC() rather than calling this directly.
 *
 * @param req the request to submit (must not be in use).
 * @param cb its completion callback (must not be NULL).
 */
SCMI_EXPORT void scmi_req_arm(struct scmi_req *req, scmi_req_cb cb);

/**
 * SCMI_ASYNC()'s second half: @p ret is what the op call returned.
 *
 * @param req the request armed by scmi_req_arm().
 * @param ret the op's return value.
 * @return 0 if @p req was submitted (its callback will run), or the
 *	negative errno saying why not.
 */
SCMI_EXPORT int scmi_req_submitted(struct scmi_req *req, int ret);

/**
 * Submit op @p call (any op of a handle's ops tables, with its arguments)
 * as request @p req completing through @p cb.  Evaluates to 0 (submitted:
 * @p cb runs exactly once) or a negative errno (not submitted).
 */
#define SCMI_ASYNC(req, cb, call) (scmi_req_arm((req), (cb)), scmi_req_submitted((req), (call)))

/**
 * Cancel a submitted request.  Its callback runs (later, in its usual
 * place) with -ECANCELED; a command already sent is abandoned and its
 * token held back, as after a timeout.  A command with a delayed response
 * (an asynchronous reset, clock rate set, sensor read...) can be cancelled
 * until that delayed response is in, even once its first response is.
 *
 * @param req a submitted request.
 * @return 0 if cancelled; -EBUSY if it is completing already (its final
 *	answer is in: the callback will run with that result), if it was
 *	cancelled already, or if it runs as a blocking transfer on the
 *	engine's thread (a polling transport: close still ends it);
 *	-EINVAL if @p req is not outstanding.
 */
SCMI_EXPORT int scmi_req_cancel(struct scmi_req *req);

/**
 * A file descriptor that turns readable when callbacks are waiting for
 * scmi_dispatch(): request completions and notifications.  Only for a
 * handle opened with scmi_config.dispatch set.  Poll it for reading
 * (epoll, poll, GLib's g_unix_fd_add, ...); it belongs to the handle (do
 * not read or close it).
 *
 * @param h the handle.
 * @return the fd, or -EINVAL (NULL handle, or not opened with
 *	scmi_config.dispatch).
 */
SCMI_EXPORT int scmi_get_fd(const struct scmi_handle *h);

/**
 * Run the callbacks waiting on a handle opened with scmi_config.dispatch:
 * request completions and notifications, on the calling thread (one
 * thread at a time).  Never blocks; a bounded batch per call: when more
 * remain, the fd of scmi_get_fd() stays readable.
 *
 * @param h the handle.
 * @return the number of callbacks run, or -EINVAL (NULL handle, not opened
 *	with scmi_config.dispatch), -EBUSY (another thread is dispatching),
 *	-ESHUTDOWN (closing).
 */
SCMI_EXPORT int scmi_dispatch(const struct scmi_handle *h);

/**
 * Requests of the handle submitted and not yet completed (for tests and
 * monitoring).
 *
 * @param h the handle.
 * @return the number, or -EINVAL for a NULL handle.
 */
SCMI_EXPORT int scmi_req_outstanding(const struct scmi_handle *h);

#ifdef __cplusplus
}
#endif
#endif /* SCMI_REQUEST_H */
