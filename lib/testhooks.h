/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Test hooks into a handle's internals (internal; never part of libscmi).
 *
 * lib/testhooks.c is compiled into the programs that use it (the fuzz
 * harnesses, see tests/fuzz/CMakeLists.txt), not into libscmi.so or
 * libscmi.a, so nothing here is ever exported.
 *
 * A harness that runs many short sessions against one platform can open a
 * handle once and then, per session, rebuild everything scmi_open() builds
 * on top of the transport -- and tear down everything scmi_close() tears
 * down before the transport -- without closing the transport or stopping
 * the handle's threads:
 *
 *	scmi_open(uri, &cfg, &h);            once: transport, loop thread
 *	scmi_testhook_session_end(h);        forget open()'s discovery
 *	for each session:
 *		scmi_testhook_session_begin(h);   Base discovery ...
 *		... use h ...
 *		scmi_testhook_session_end(h);     ... to protocols' deinit
 *	scmi_close(h);
 *
 * Within a session the handle behaves exactly as a freshly opened one:
 * fresh xfer pools (the first token is 0 again), zeroed counters, a new
 * notification core, protocols down until first used, Base discovered by
 * session_begin() itself.  session_end() runs the same teardown as
 * scmi_close() in the same order (notifiers unregistered and disabled at
 * the platform, delivery stopped, the notification core freed, every
 * protocol's deinit() in reverse order), so a leak or a use after free on
 * those paths shows up as it would at close.  The xfer pools stay valid
 * until the next begin() replaces them, so that scmi_close() works after
 * an end().
 *
 * This mirrors the parts of scmi_open()/scmi_close() in lib/handle.c that
 * sit above the transport; a change there must be mirrored here.
 *
 * Not thread-safe: no other thread may use the handle during either call,
 * and the transport must not report arrivals from another thread then.
 */
#ifndef SCMI_LIB_TESTHOOKS_H
#define SCMI_LIB_TESTHOOKS_H

#include <scmi/handle.h>

/**
 * Start a session on @h (after scmi_open() and a session_end()): xfer pools,
 * counters, notification core, Base discovery, published ops.  0, or the
 * errno of the step that failed -- then call session_end() all the same.
 */
int scmi_testhook_session_begin(struct scmi_handle *h);

/**
 * End the session on @h: what scmi_close() does before it closes the
 * transport.  The handle's ops are unpublished (NULL) until the next
 * begin(); counters (scmi_stats_get) stay readable.  Idempotent.
 */
void scmi_testhook_session_end(struct scmi_handle *h);

#endif
