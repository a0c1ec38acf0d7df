/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * The loopback transport: an in-process SCMI platform simulator
 * (scmi-sim/sim.h) on its own thread.  Part of libscmi-sim (pkg-config
 * scmi-sim, CMake scmi::scmi-sim), which registers it when loaded; a
 * program linking libscmi alone cannot open loopback://.  URI:
 *
 * @verbatim
 *   loopback://[?param=value&...]
 *
 *   profile=newest|scmi-2.0   protocol versions of a named platform
 *   versions=LIST             per-protocol versions, e.g.
 *                             "perf:3.0,clock:0x10000,0x80:1.0"
 *   max_msg=N                 commands in flight (1..1024, default 64)
 *   max_msg_size=N            payload bytes (68..4096, default 128)
 *   timeout_ms=N              default response timeout (default 1000)
 *   max_list_items=N          cap on entries per multi-part reply
 *   polling=0|1               callers poll for responses (no wake-up)
 *   activity_ms=N             demo: the platform changes something on its
 *                             own every N ms (scmi_sim_runner_activity)
 *   test_protocols=ID:N[,...] the simulator's test protocol under vendor id
 *                             ID with N notification sources, listed at
 *                             discovery (scmi_sim_test_protocol_add)
 *   vendor=S, sub_vendor=S    the identity Base reports (up to 16
 *   impl_ver=N                characters each; N 0..0xffffffff):
 *                             scmi_sim_base_identity_set(), what libscmi's
 *                             quirks are keyed on (e.g. vendor=ST)
 *   vendor_example=0|1        the example vendor protocol of
 *                             examples/vendor/ at id 0x90, listed at
 *                             discovery (scmi-sim/vendor_example.h)
 *   delay_us, drop, dup, wrong_token, dresp_first, late_us,
 *   late_dresp_us, unexpected_dresp, unexpected_dresp_first, bad_len,
 *   bad_len_at, range_count, no_dresp, inline_dresp, status
 *                             simulator fault knobs (scmi_sim_fault_parse),
 *                             e.g. status=perf:limits_get:NOT_SUPPORTED
 *                             makes a platform lacking that command
   @endverbatim
 *
 * With polling=1 a reply that arrives while the previous one for its token
 * is still unread (a duplicate) is dropped, as on a shared-memory channel.
 */
#ifndef SCMI_LOOPBACK_H
#define SCMI_LOOPBACK_H

#include <scmi/handle.h>
#include <scmi-sim/sim.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Register loopback:// with libscmi's transport registry.  libscmi-sim
 * does so itself when it is loaded; a program calls this only to make sure
 * (linked statically, or with --as-needed and no other libscmi-sim symbol
 * used, the library may otherwise not be loaded at all).  Thread-safe.
 *
 * @return 0 (also when already registered) or a negative errno.
 */
SCMI_EXPORT int scmi_sim_loopback_register(void);

/**
 * The simulator behind a loopback handle (NULL for other transports).
 * Valid until scmi_close().
 *
 * @param h a handle.
 * @return the simulator (owned by the handle), or NULL.
 */
SCMI_EXPORT struct scmi_sim *scmi_loopback_sim(const struct scmi_handle *h);
/**
 * The thread running that simulator (NULL for other transports).
 *
 * @param h a handle.
 * @return the runner (owned by the handle; valid until scmi_close()), or NULL.
 */
SCMI_EXPORT struct scmi_sim_runner *scmi_loopback_runner(const struct scmi_handle *h);

#ifdef __cplusplus
}
#endif
#endif /* SCMI_LOOPBACK_H */
