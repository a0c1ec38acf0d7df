/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Entry into a handle (internal): the calls in progress that scmi_close()
 * waits for, and the frames that tell on which thread user code of a
 * handle is running.
 *
 * Every public operation that takes a handle goes through a guard
 * (lib/entry.c): scmi_call_enter() counts it in inst->calls and refuses it
 * with -ESHUTDOWN once the handle is closing; scmi_call_leave() uncounts
 * it and wakes a waiting scmi_close() when the count reaches zero.  The
 * frames also form a per-thread stack, together with the frames pushed
 * around user code libscmi calls (log sink, notifier callbacks), so that
 * scmi_close() can tell that waiting for the calls to drain would wait for
 * itself and defer instead.
 */
#ifndef SCMI_LIB_ENTRY_H
#define SCMI_LIB_ENTRY_H

#include <stdbool.h>
#include <stdint.h>

struct scmi_handle;
struct scmi_instance;

struct scmi_frame {
	const struct scmi_instance *inst;
	bool counted; /* a public call (in inst->calls), not user code */
	struct scmi_frame *outer;
};

/** Enter a public call on @h: 0, -EINVAL (NULL handle) or -ESHUTDOWN.
 *  Resets the calling thread's last status (nothing answered yet). */
int scmi_call_enter(const struct scmi_handle *h, struct scmi_frame *f);
/** Leave the call entered with @f. */
void scmi_call_leave(struct scmi_frame *f);

/** Around user code that libscmi runs for @inst (log sink, callbacks). */
void scmi_user_code_enter(const struct scmi_instance *inst, struct scmi_frame *f);
void scmi_user_code_leave(struct scmi_frame *f);

/** Is the calling thread inside a call of @inst, or inside user code that
 *  @inst runs?  (scmi_close() could then not wait for the calls.) */
bool scmi_thread_inside(const struct scmi_instance *inst);

/** The guarded ops table of protocol @id (NULL: none), and of notify_ops:
 *  what the handle publishes. */
const void *scmi_guarded_ops(uint8_t id);
const struct scmi_notify_ops *scmi_guarded_notify_ops(void);

#endif
