/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * scmi-sim: an SCMI *platform* simulator.
 *
 * The simulator is written independently of the agent library: nothing in
 * sim/ includes lib/ or any other libscmi header, and it never reuses the
 * agent's encoders, parsers or protocol constants, so that one misreading
 * of the specification cannot hide on both sides of a test.
 *
 * Layers:
 *   - the core (scmi_sim_*): a model of a platform and a byte-level entry
 *     point, scmi_sim_process(): one request message in; the response,
 *     delayed responses and notifications out through the emit callback.
 *     Fault injection sits between the model and the emit callback.
 *   - the runner (scmi_sim_runner_*): a thread with its own libuv loop that
 *     takes requests from any thread, feeds the core, and delivers the
 *     core's output messages on that thread at their due time.
 *
 * Messages are SCMI "SDUs": a 4-byte little-endian header followed by the
 * payload (responses and delayed responses: i32 status, then data).
 *
 * Thread-safety: every scmi_sim_* function may be called from any thread;
 * the core serialises them with an internal lock.  The emit callback is
 * called with that lock held: it must not call back into the simulator.
 */
#ifndef SCMI_SIM_H
#define SCMI_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef SCMI_EXPORT
/** Marks the functions the shared library exports. */
#define SCMI_EXPORT __attribute__((visibility("default")))
#endif

/** A simulated platform (opaque): scmi_sim_new(), scmi_sim_free(). */
struct scmi_sim;
/** A simulator's thread (opaque): scmi_sim_runner_start(), scmi_sim_runner_stop(). */
struct scmi_sim_runner;

/** Channel a simulator output message travels on. */
enum scmi_sim_chan {
	SCMI_SIM_CHAN_A2P = 0, /**< synchronous responses */
	SCMI_SIM_CHAN_P2A = 1, /**< delayed responses and notifications */
};

/**
 * Output of the core: one complete message (header + payload) to deliver to
 * the agent after @p delay_us microseconds (0 = now).  Called with the
 * simulator's lock held: it must not call back into the simulator.
 *
 * @param priv the pointer given to scmi_sim_set_emit().
 * @param chan the channel the message travels on.
 * @param msg the message, valid for the duration of the call only.
 * @param len its length in bytes.
 * @param delay_us when to deliver it, µs from now.
 */
typedef void (*scmi_sim_emit_fn)(void *priv, enum scmi_sim_chan chan, const void *msg, size_t len,
				 uint64_t delay_us);

/** Creation parameters; zero-initialised fields take the defaults. */
struct scmi_sim_config {
	/** Named profile: "newest" (default) or "scmi-2.0"; see
	 *  scmi_sim_profile_apply(). */
	const char *profile;
	/** Largest number of data bytes the simulator puts after the status
	 *  word of a response, and largest notification payload; default 128.
	 *  Must be 68..65536 (68: the largest fixed-size reply in the spec, a
	 *  flags word and a 64-byte name, always fits).  A reply that would
	 *  not fit is answered GENERIC_ERROR; lists are cut to fit. */
	size_t max_msg_size;
	/** Id of the agent talking to this simulator (1..num_agents);
	 *  default 1. */
	uint32_t agent_id;
	/** Cap on entries per multi-part reply (0 = as many as fit in
	 *  max_msg_size).  Small values force multi-part walks in tests. */
	unsigned int max_list_items;
	/** Virtual time (see "Time" below): the platform's clock starts at 0
	 *  and moves only with scmi_sim_time_advance(); delayed outputs are
	 *  held by the simulator until then.  Not for use with a runner. */
	bool virtual_time;
	/** Memory for the platform's shared-memory window (fastchannels,
	 *  their doorbells, statistics regions; see scmi_sim_memory_window()),
	 *  e.g. a file mapping shared with an agent in another process:
	 *  @p shared_mem_size bytes, at least the window's size, 8-byte aligned;
	 *  the simulator zeroes it and never frees it (keep it mapped until
	 *  scmi_sim_free()).  NULL: the simulator allocates its own. */
	void *shared_mem;
	size_t shared_mem_size; /**< bytes at @p shared_mem */
};

/*
 * Time
 * ====
 * Some outputs are due later than the request that causes them: delayed
 * responses of async commands (clock RATE_SET, sensor READING_GET, reset
 * RESET, voltage LEVEL_SET, powercap CAP_SET, the test protocol's
 * ASYNC_ECHO), the POWER_STATE_CHANGED that completes an async power
 * change, the CLOCK_RATE_CHANGED of an async rate change, and anything a
 * delay fault knob postpones.  The platform's own bookkeeping follows the
 * same due times, on the platform's clock:
 *   - clock: an async RATE_SET occupies one of the advertised
 *     max-pending slots (scmi_sim_clock_max_async_get()) until its delayed
 *     response is due; one more is answered BUSY;
 *   - sensor: an async READING_GET likewise against the advertised
 *     max-pending count (scmi_sim_sensor_async_set());
 *   - power: an async STATE_SET is pending (STATE_GET shows the old state,
 *     another STATE_SET on the domain is BUSY) until it is due;
 *   - sensor values, timestamps and continuous updates follow the clock.
 *
 * Real time (default): the clock is CLOCK_MONOTONIC, read when the request
 * is processed.  Every output goes to the emit callback at once with its
 * delay_us; delivering it is the caller's business (the runner delivers it
 * when due).  The bookkeeping does not know when the caller delivers: a
 * byte-level caller that hands a delayed response to its agent early and
 * sends the next async request straight away still finds the slot taken
 * (BUSY) until delay_us of wall-clock time has passed since the request.
 *
 * Virtual time (scmi_sim_config.virtual_time): the clock starts at 0 and
 * moves only with scmi_sim_time_advance().  Outputs with a delay are held
 * by the simulator and emitted (delay_us 0) by the advance that reaches
 * their due time, in due order (equal due times: in the order they were
 * produced); outputs without delay are emitted at once, as in real time.
 * The bookkeeping above follows the virtual clock, so a harness sees the
 * same sequence on any machine.  Model poll hooks (sensor updates and trip
 * points, fastchannel writes) run once at the end of each advance: advance
 * by at most one period to see every periodic update.  A runner refuses a
 * virtual-time simulator (scmi_sim_runner_start() -EINVAL).
 */

/**
 * Virtual time: move the clock @p ns forward, emitting every held output that
 * becomes due (each as its due time is reached), then run the model poll
 * hooks.  Returns how many messages it emitted (held ones and what the poll
 * hooks sent), or -EINVAL (NULL, or not a virtual-time simulator).
 * Emission happens on the calling thread.
 *
 * @param sim the simulator.
 * @param ns how far, in ns.
 * @return the number of messages emitted (held ones and what the poll hooks
 *	sent), or -EINVAL (NULL, or not a virtual-time simulator).
 */
SCMI_EXPORT int scmi_sim_time_advance(struct scmi_sim *sim, uint64_t ns);
/**
 * The platform's clock in ns (virtual, or CLOCK_MONOTONIC).  0 or
 * -EINVAL.
 *
 * @param sim the simulator.
 * @param[out] ns the clock.
 * @return 0 or -EINVAL.
 */
SCMI_EXPORT int scmi_sim_time_get(struct scmi_sim *sim, uint64_t *ns);
/**
 * Virtual time: how many outputs are held, and (if @p next_due_ns) when the
 * first of them is due (0 when none).  -EINVAL in real time.
 *
 * @param sim the simulator.
 * @param[out] next_due_ns when the first held output is due (0 when none); may
 *	be NULL.
 * @return the number of held outputs, or -EINVAL in real time.
 */
SCMI_EXPORT int scmi_sim_time_pending(struct scmi_sim *sim, uint64_t *next_due_ns);

/* ---- core ---------------------------------------------------------- */

/**
 * Create a simulator.  Returns 0 or a negative errno (-EINVAL for an
 * unknown profile or a bad config value, -ENOMEM).
 *
 * @param cfg creation parameters, or NULL for the defaults; copied.
 * @param[out] out the new simulator, owned by the caller until
 *	scmi_sim_free().
 * @return 0 or a negative errno (-EINVAL for an unknown profile or a bad
 *	config value, -ENOMEM).
 */
SCMI_EXPORT int scmi_sim_new(const struct scmi_sim_config *cfg, struct scmi_sim **out);
/**
 * Destroy a simulator (stop its runner first).  NULL is a no-op.
 *
 * @param sim the simulator, or NULL.
 */
SCMI_EXPORT void scmi_sim_free(struct scmi_sim *sim);

/**
 * Set where the core's output messages go (NULL fn: they are discarded).
 *
 * @param sim the simulator.
 * @param fn the callback (called with the simulator's lock held), or NULL.
 * @param priv passed to @p fn.
 */
SCMI_EXPORT void scmi_sim_set_emit(struct scmi_sim *sim, scmi_sim_emit_fn fn, void *priv);

/**
 * Byte-level entry point: process one agent->platform message.
 * Responses, delayed responses and the notifications the request causes
 * are emitted before this returns (possibly with a delay attached).
 * Returns 0, or -EINVAL when @p len < 4 or the header is not a command (the
 * message is then dropped and counted, as a platform would).
 *
 * @param sim the simulator.
 * @param msg the message (header + payload); not kept.
 * @param len its length in bytes.
 * @return 0, or -EINVAL when @p len < 4 or the header is not a command.
 */
SCMI_EXPORT int scmi_sim_process(struct scmi_sim *sim, const void *msg, size_t len);

/**
 * Apply a named profile: sets every protocol's version and the set of
 * protocols present.  "newest": the newest versions in the spec digest
 * (Base 2.1, Power 3.1, System 2.1, Perf 4.0, Clock 3.0, Sensor 3.1,
 * Reset 3.1, Voltage 2.1, Powercap 2.0, Pinctrl 1.0); "scmi-2.0": a
 * SCMI 2.0-era platform (Base 2.0, Power 2.0, System 1.0, Perf 2.0,
 * Clock 1.0, Sensor 1.0, Reset 1.0; no Voltage, Powercap, Pinctrl).
 * Protocols the simulator does not model yet are left out.
 * Returns 0 or -EINVAL for an unknown name.
 *
 * @param sim the simulator.
 * @param name "newest" or "scmi-2.0".
 * @return 0 or -EINVAL for an unknown name.
 */
SCMI_EXPORT int scmi_sim_profile_apply(struct scmi_sim *sim, const char *name);

/**
 * Set the version (major << 16 | minor) one protocol claims; the model
 * answers with that version's message layouts (and forgets any
 * NEGOTIATE_PROTOCOL_VERSION).  A version newer than the model knows may
 * be claimed (to exercise an agent's negotiation): the model then uses
 * the newest layouts it has.  -ENOENT if the protocol is not modelled,
 * -EINVAL for a version older than any the model speaks.
 * NEGOTIATE_PROTOCOL_VERSION (where the claimed version has it) succeeds
 * for the same major and a minor no newer than the claimed one; the model
 * then uses the negotiated layouts, while PROTOCOL_VERSION and
 * scmi_sim_protocol_version_get() keep returning the claimed version.
 *
 * @param sim the simulator.
 * @param proto a protocol id.
 * @param version major << 16 | minor.
 * @return 0, -ENOENT (protocol not modelled), -EINVAL (version too old).
 */
SCMI_EXPORT int scmi_sim_protocol_version_set(struct scmi_sim *sim, uint8_t proto,
					      uint32_t version);
/**
 * The version (major << 16 | minor) one protocol claims.
 *
 * @param sim the simulator.
 * @param proto a protocol id.
 * @param[out] version the version claimed (major << 16 | minor).
 * @return 0, -ENOENT (protocol not modelled) or -EINVAL.
 */
SCMI_EXPORT int scmi_sim_protocol_version_get(struct scmi_sim *sim, uint8_t proto,
					      uint32_t *version);
/**
 * Hide or show a modelled protocol (not listed, requests answered
 * NOT_SUPPORTED when hidden).  Base cannot be hidden (-EINVAL).
 *
 * @param sim the simulator.
 * @param proto a protocol id.
 * @param enabled false hides the protocol.
 * @return 0, -ENOENT (not modelled), -EINVAL (Base).
 */
SCMI_EXPORT int scmi_sim_protocol_enable(struct scmi_sim *sim, uint8_t proto, bool enabled);
/**
 * Add a vendor protocol (0x80..0xFF) that implements only the common
 * messages (VERSION, ATTRIBUTES = 0, MESSAGE_ATTRIBUTES).  Used to make
 * protocol lists longer than one reply.  -EEXIST, -EINVAL.
 *
 * @param sim the simulator.
 * @param proto the vendor protocol id (0x80..0xFF).
 * @param version the version it claims.
 * @return 0, -EEXIST or -EINVAL.
 */
SCMI_EXPORT int scmi_sim_vendor_protocol_add(struct scmi_sim *sim, uint8_t proto, uint32_t version);
/**
 * Ids of the protocols the platform lists (Base excluded), ascending.
 * Returns the count (may exceed @p cap; only @p cap are written).
 *
 * @param sim the simulator.
 * @param[out] ids receives at most @p cap ids.
 * @param cap capacity of @p ids.
 * @return the number of listed protocols (may exceed @p cap), or -EINVAL.
 */
SCMI_EXPORT int scmi_sim_protocols_list(struct scmi_sim *sim, uint8_t *ids, size_t cap);

/* ---- Base protocol model ----------------------------------------- */

/** Size of the Base model's name buffers (16-byte short names). */
#define SCMI_SIM_NAME_MAX 16

/** The Base model's identity (scmi_sim_base_info_get()). */
struct scmi_sim_base_info {
	char vendor[SCMI_SIM_NAME_MAX];	    /**< NUL-terminated, <= 15 chars */
	char sub_vendor[SCMI_SIM_NAME_MAX]; /**< NUL-terminated, <= 15 chars */
	uint32_t impl_version;		    /**< implementation version */
	uint32_t num_agents;		    /**< agents other than the platform */
	uint32_t agent_id;		    /**< id of the connected agent */
};

/**
 * The identity the Base model reports (vendor, sub-vendor, implementation version, agents).
 *
 * @param sim the simulator.
 * @param[out] info receives the identity.
 * @return 0 or -EINVAL.
 */
SCMI_EXPORT int scmi_sim_base_info_get(struct scmi_sim *sim, struct scmi_sim_base_info *info);
/**
 * Change vendor, sub-vendor (NULL = unchanged) and implementation version.
 * Names may have up to 16 characters: a 16-character name goes on the
 * wire without a NUL, as the spec allows (scmi_sim_base_info_get() then
 * shows its first 15).  -EINVAL when longer.
 *
 * @param sim the simulator.
 * @param vendor the vendor name, or NULL (unchanged).
 * @param sub_vendor the sub-vendor name, or NULL (unchanged).
 * @param impl_version the implementation version.
 * @return 0 or -EINVAL.
 */
SCMI_EXPORT int scmi_sim_base_identity_set(struct scmi_sim *sim, const char *vendor,
					   const char *sub_vendor, uint32_t impl_version);
/**
 * Name of agent @p id (0 = platform).  -ENOENT past num_agents.
 *
 * @param sim the simulator.
 * @param id the agent id (0: the platform).
 * @param[out] name receives the NUL-terminated name.
 * @return 0, -ENOENT past num_agents, or -EINVAL.
 */
SCMI_EXPORT int scmi_sim_base_agent_name(struct scmi_sim *sim, uint32_t id,
					 char name[SCMI_SIM_NAME_MAX]);
/**
 * Whether the connected agent may use the permission commands
 * (BASE_SET_*_PERMISSIONS, RESET_AGENT_CONFIGURATION) at all, whatever
 * agent they name; when not, they are answered DENIED.  Default true.
 *
 * @param sim the simulator.
 * @param trusted whether the agent may use them.
 * @return 0 or -EINVAL.
 */
SCMI_EXPORT int scmi_sim_base_trusted_set(struct scmi_sim *sim, bool trusted);
/*
 * Devices and the resources they stand for.  The Base model knows
 * scmi_sim_base_num_devices() devices (ids 0..7).  Device N is resource N of
 * every protocol:
 *
 *   Power (0x11)     power domain N
 *   System (0x12)    the system itself is device 0
 *   Perf (0x13)      performance domain N (fastchannel writes included)
 *   Clock (0x14)     clock N
 *   Sensor (0x15)    sensor N
 *   Reset (0x16)     reset domain N
 *   Voltage (0x17)   voltage domain N
 *   Powercap (0x18)  powercap domain N (fastchannel writes included)
 *   Pinctrl (0x19)   pin N; a group is denied when any of its pins is;
 *                    functions are never denied (muxing goes through the
 *                    pin or group)
 *
 * Resources with an id past the last device are never restricted.  Once
 * the connected agent is denied device N (BASE_SET_DEVICE_PERMISSIONS
 * flags 0), or protocol P on device N (BASE_SET_PROTOCOL_PERMISSIONS), every
 * message naming a resource of that device (of protocol P) is answered
 * DENIED: reads, attribute and name queries and *_NOTIFY included, as
 * SCP-firmware's resource permissions answer.  The check comes right after
 * the resource's NOT_FOUND check and before any other (after the request
 * size check of the core).  Messages naming no resource (PROTOCOL_*,
 * SENSOR_DESCRIPTION_GET's list, pinctrl functions) are not affected.
 */
/**
 * Number of devices the permission commands know (ids 0..n-1).
 *
 * @param sim the simulator.
 * @return the number of devices, or -EINVAL.
 */
SCMI_EXPORT int scmi_sim_base_num_devices(struct scmi_sim *sim);
/**
 * Platform-side permission state: is @p agent allowed to use @p device
 * (@p proto == 0: the device as a whole; else that protocol on it)?
 *
 * @param sim the simulator.
 * @param agent the agent id.
 * @param device the device id.
 * @param proto 0 for the device as a whole, else a protocol id.
 * @param[out] allowed the permission.
 * @return 0, -ENOENT (unknown agent or device) or -EINVAL.
 */
SCMI_EXPORT int scmi_sim_base_permission_get(struct scmi_sim *sim, uint32_t agent, uint32_t device,
					     uint8_t proto, bool *allowed);
/**
 * Raise BASE_ERROR_EVENT (sent only if the agent enabled it with
 * BASE_NOTIFY_ERRORS).  The event carries as many reports as fit in
 * max_msg_size; its count field says how many it carries.  @p n_reports
 * at most 1023 (-EINVAL).  Returns 1 if sent, 0 if not enabled, <0 error.
 *
 * @param sim the simulator.
 * @param agent_id the agent the error concerns.
 * @param fatal error_status b31.
 * @param reports the raw reports.
 * @param n_reports their number (at most 1023).
 * @return 1 if sent, 0 if not enabled, or a negative errno (-EINVAL).
 */
SCMI_EXPORT int scmi_sim_base_error_event(struct scmi_sim *sim, uint32_t agent_id, bool fatal,
					  const uint64_t *reports, unsigned int n_reports);

/* ---- test protocol (a vendor protocol for testing agents) -------------- */

/**
 * Add the simulator's test protocol under vendor id @p proto (0x80..0xFF)
 * with @p num_sources notification sources (1..65535).  Commands: 0x3 ECHO
 * (reply = request bytes), 0x4 ASYNC_ECHO (request: delay_us u32 + bytes;
 * response status only, delayed response = the bytes after delay_us),
 * 0x5 NOTIFY (evt_id, src_id, enable b0); four events (0..3) whose 12-byte
 * payload is {src_id, seq, evt_id}.  Not listed before the agent asks...
 * it is listed like any protocol added before the agent's discovery.
 * -EINVAL, -EEXIST.
 *
 * @param sim the simulator.
 * @param proto the vendor protocol id (0x80..0xFF).
 * @param num_sources notification sources (1..65535).
 * @return 0, -EINVAL or -EEXIST.
 */
SCMI_EXPORT int scmi_sim_test_protocol_add(struct scmi_sim *sim, uint8_t proto,
					   unsigned int num_sources);
/**
 * Emit @p count notifications @p evt of test protocol @p proto for @p src (only
 * while the agent enabled them, unless @p force).  Called on the runner
 * thread (scmi_sim_runner_call) they are delivered without copies, in
 * order with responses.  Returns how many were sent, or <0.
 *
 * @param sim the simulator.
 * @param proto the test protocol's id.
 * @param evt the event (0..3).
 * @param src the source.
 * @param count how many to emit.
 * @param force emit even where the agent did not enable them.
 * @return how many were sent, or a negative errno.
 */
SCMI_EXPORT int scmi_sim_test_emit(struct scmi_sim *sim, uint8_t proto, uint8_t evt, uint32_t src,
				   uint32_t count, bool force);
/**
 * Emit one notification with an arbitrary payload (malformed on purpose).
 * Returns 1 or <0.
 *
 * @param sim the simulator.
 * @param proto the test protocol's id.
 * @param evt the event id.
 * @param payload the payload.
 * @param len its length in bytes.
 * @return 1, or a negative errno.
 */
SCMI_EXPORT int scmi_sim_test_emit_raw(struct scmi_sim *sim, uint8_t proto, uint8_t evt,
				       const void *payload, size_t len);

/* ---- shared memory (fastchannels, doorbells) ---------------------------- */

/**
 * The simulator's pointer to @p size bytes of its shared memory at platform
 * physical address @p phys (as advertised, e.g. by DESCRIBE_FASTCHANNEL), or
 * NULL if that range is not shared memory.  In-process agents (loopback)
 * access fastchannels through it; access it with atomic 32-bit (or
 * doorbell-width) loads and stores.  Valid until scmi_sim_free().
 *
 * @param sim the simulator.
 * @param phys platform physical address.
 * @param size bytes wanted.
 * @return the pointer (owned by the simulator), or NULL.
 */
SCMI_EXPORT void *scmi_sim_memory_map(struct scmi_sim *sim, uint64_t phys, size_t size);
/**
 * The platform's shared-memory window: models carve their windows from
 * @p size bytes at platform physical address @p phys and advertise addresses
 * inside it.  The same for every simulator.
 *
 * @param[out] phys the window's platform physical address.
 * @param[out] size its size in bytes.
 */
SCMI_EXPORT void scmi_sim_memory_window(uint64_t *phys, size_t *size);
/**
 * Let models act on agent writes to shared memory (fastchannel sets,
 * doorbells).  The runner calls it every millisecond once needed.
 *
 * @param sim the simulator.
 */
SCMI_EXPORT void scmi_sim_poll(struct scmi_sim *sim);
/**
 * Has a model handed shared memory to the agent (so it must be polled)?
 *
 * @param sim the simulator.
 * @return true when scmi_sim_poll() must be called.
 */
SCMI_EXPORT bool scmi_sim_needs_poll(struct scmi_sim *sim);

/* ---- observing the platform side --------------------------------- */

/**
 * Is notification @p evt of @p proto enabled for source @p src by the agent?
 * (Base and System have a single source 0.)  Returns 1/0, or -ENOENT
 * if the protocol is not modelled.
 *
 * @param sim the simulator.
 * @param proto a protocol id.
 * @param evt an event id.
 * @param src a source id.
 * @return 1 or 0, or -ENOENT if the protocol is not modelled.
 */
SCMI_EXPORT int scmi_sim_notify_enabled(struct scmi_sim *sim, uint8_t proto, uint8_t evt,
					uint32_t src);
/**
 * How many *_NOTIFY enable / disable requests the platform accepted for
 * (proto, evt, src), since creation.
 *
 * @param sim the simulator.
 * @param proto a protocol id.
 * @param evt an event id.
 * @param src a source id.
 * @param[out] enables enable requests accepted.
 * @param[out] disables disable requests accepted.
 * @return 0, -ENOENT if the protocol is not modelled, or -EINVAL.
 */
SCMI_EXPORT int scmi_sim_notify_requests(struct scmi_sim *sim, uint8_t proto, uint8_t evt,
					 uint32_t src, unsigned int *enables,
					 unsigned int *disables);

/** Simulator counters (monotonic since scmi_sim_new()). */
struct scmi_sim_stats {
	uint64_t requests;	    /**< messages given to scmi_sim_process */
	uint64_t malformed;	    /**< dropped: too short / not a command */
	uint64_t responses;	    /**< responses emitted (incl. duplicates) */
	uint64_t delayed_responses; /**< delayed responses emitted */
	uint64_t notifications;	    /**< notifications emitted */
	uint64_t faults_applied;    /**< any fault knob that fired */
};
/**
 * Copy the simulator's counters.
 *
 * @param sim the simulator.
 * @param[out] st receives the counters.
 */
SCMI_EXPORT void scmi_sim_stats_get(struct scmi_sim *sim, struct scmi_sim_stats *st);

/* ---- fault injection --------------------------------------------- */

/** Kinds of fault knob (struct scmi_sim_fault). */
enum scmi_sim_fault_kind {
	SCMI_SIM_FAULT_DELAY = 0,	 /**< delay the response by param µs */
	SCMI_SIM_FAULT_DROP,		 /**< never send the response */
	SCMI_SIM_FAULT_DUPLICATE,	 /**< send the response twice */
	SCMI_SIM_FAULT_WRONG_TOKEN,	 /**< response carries token ^ param
					  *  (param 0: token + 512; 0..1023) */
	SCMI_SIM_FAULT_DRESP_FIRST,	 /**< async command: delayed response
					  *  emitted before the response */
	SCMI_SIM_FAULT_LATE,		 /**< response sent after param µs (meant
					  *  to exceed the agent's timeout) */
	SCMI_SIM_FAULT_LATE_DRESP,	 /**< delayed response sent after param µs */
	SCMI_SIM_FAULT_UNEXPECTED_DRESP, /**< sync command: also emit a
					  *  delayed response with its token */
	SCMI_SIM_FAULT_BAD_LENGTH,	 /**< change the response (or
					  *  notification) payload length by param
					  *  bytes (negative: truncate, never below
					  *  the 4-byte header; positive: append
					  *  zero bytes; -1024..1024) */
	SCMI_SIM_FAULT_STATUS,		 /**< answer the command with status
					  *  param (a negative SCMI status) and
					  *  no data, without running the model
					  *  (no side effect, no delayed response
					  *  or notification), as a platform
					  *  lacking it or refusing it would.
					  *  With NOT_SUPPORTED (-1) and a message
					  *  id, PROTOCOL_MESSAGE_ATTRIBUTES of
					  *  that message is answered NOT_FOUND
					  *  too (while the knob may still fire).
					  *  When several match, the first armed
					  *  one that fires wins. */
	/** Sync command: a delayed response with its token (a copy of the
	 *  response as type 2) goes out *before* the response. */
	SCMI_SIM_FAULT_UNEXPECTED_DRESP_FIRST,
	/** Clock DESCRIBE_RATES in range form: a wrong count word.  param
	 *  b[3:0] returned (0..8; that many entries are sent: min, max, step,
	 *  then step again, unless b[11:8] says otherwise), b[11:8] entries
	 *  sent (0: as many as returned; 1..8), b[31:16] remaining, b[47:32]
	 *  clock id + 1 (0: every range clock).  Returned 1 with 3 entries
	 *  sent is what old SCP-firmware answers (the "clock_rate_range_count"
	 *  quirk of libscmi). */
	SCMI_SIM_FAULT_RANGE_COUNT,
	/** Async command: its delayed response is never sent (the response
	 *  is, normally).  Counts the delayed responses of async commands.
	 *  TF-A's and OP-TEE's clock RATE_SET as libscmi's
	 *  "clock_rate_set_no_dresp" quirk describes them. */
	SCMI_SIM_FAULT_NO_DRESP,
	/** Async command: answered inline, as its synchronous form would be:
	 *  the delayed response's data after its first word (the resource
	 *  id) goes into the response, and no delayed response is sent.
	 *  Counts the responses of async commands.  TF-A's async sensor
	 *  READING_GET as libscmi's "sensor_async_inline" quirk describes it. */
	SCMI_SIM_FAULT_INLINE_DRESP,
	SCMI_SIM_FAULT__COUNT /**< number of kinds */
};

/** One fault knob (scmi_sim_fault_add()). */
struct scmi_sim_fault {
	enum scmi_sim_fault_kind kind; /**< what it does */
	/** Apply to every Nth matching message (1 or 0 = every one). */
	uint32_t every;
	/** Stop after this many applications (0 = no limit). */
	uint32_t count;
	/** Only messages of this protocol / message id (-1 = any). */
	int protocol;
	int message; /**< message id, or -1 for any */
	/** Kind-specific parameter (µs, token xor, length delta, status). */
	int64_t param;
	/** BAD_LENGTH only: apply to notifications instead of responses. */
	bool notifications;
};

/**
 * Arm a fault knob.  Several knobs may be armed at once (at most 16); when
 * several fire on one message their effects add up.  Returns 0, -ENOSPC,
 * or -EINVAL (unknown kind, protocol/message outside -1..255, param out
 * of range (STATUS: INT32_MIN..-1), notifications set on a kind other
 * than BAD_LENGTH).
 *
 * @param sim the simulator.
 * @param f the knob; copied.
 * @return 0, -ENOSPC or -EINVAL.
 */
SCMI_EXPORT int scmi_sim_fault_add(struct scmi_sim *sim, const struct scmi_sim_fault *f);
/**
 * Disarm every knob.
 *
 * @param sim the simulator.
 */
SCMI_EXPORT void scmi_sim_fault_clear(struct scmi_sim *sim);
/**
 * How many times knobs of @p kind fired since creation
 * (scmi_sim_fault_clear() does not reset it).
 *
 * @param sim the simulator.
 * @param kind the kind of knob.
 * @return the count.
 */
SCMI_EXPORT uint64_t scmi_sim_fault_hits(struct scmi_sim *sim, enum scmi_sim_fault_kind kind);
/**
 * The kind of the knob named @p name, as scmi_sim_fault_parse() names them
 * (delay_us, drop, dup, wrong_token, dresp_first, late_us, late_dresp_us,
 * unexpected_dresp, unexpected_dresp_first, bad_len, bad_len_at,
 * range_count, no_dresp, inline_dresp, status).  0, or -EINVAL for an
 * unknown name.
 *
 * @param name the knob's name.
 * @param[out] kind its kind.
 * @return 0, or -EINVAL for an unknown name.
 */
SCMI_EXPORT int scmi_sim_fault_kind_from_name(const char *name, enum scmi_sim_fault_kind *kind);
/**
 * Parse knobs from text, as the loopback URI carries them:
 * "NAME=VALUE" with NAME one of delay_us, drop, dup, wrong_token,
 * "NAME=VALUE" with NAME one of delay_us, drop, dup, wrong_token,
 * dresp_first, late_us, late_dresp_us, unexpected_dresp, bad_len,
 * unexpected_dresp_first, bad_len_at, range_count, no_dresp, inline_dresp,
 * status;
 * drop/dup/wrong_token/dresp_first/unexpected_dresp/unexpected_dresp_first
 * take "every N" (e.g. drop=3 drops every 3rd response);
 * delay_us/late_us/late_dresp_us take microseconds and apply to every
 * message; bad_len takes a signed byte delta; bad_len_at takes
 * "PROTO:MSG:DELTA", a BAD_LENGTH on that protocol's message only (e.g.
 * bad_len_at=0x14:0:-1, a PROTOCOL_VERSION reply of the clock protocol
 * with 3 data bytes); range_count takes
 * "RETURNED[:REMAINING[:CLOCK[:SENT]]]" (RANGE_COUNT: e.g. range_count=4,
 * range_count=3:1:5, or range_count=1:0:-1:3 for old SCP-firmware's count
 * of 1 before a whole triplet, CLOCK -1 meaning every clock); no_dresp and
 * inline_dresp take "PROTO:MSG" (or nothing: every async command), e.g.
 * no_dresp=0x14:5 (clock RATE_SET), inline_dresp=0x15:6 (sensor
 * READING_GET).  Numbers are
 * decimal or 0x-hex.  An empty or NULL value means 1 for the "every N"
 * knobs; a value of 0 turns an "every N", microsecond or bad_len knob off
 * (accepted, nothing armed).
 * "status=PROTO:MSG:STATUS[,PROTO:MSG:STATUS...]" arms one STATUS knob
 * per item (every message, no limit): PROTO is a protocol number
 * (0x13, 19) or name (base, power, system, perf, clock, sensor, reset,
 * voltage, powercap, pinctrl); MSG a message number or its name in the
 * specification, case-insensitive, with or without the protocol's
 * prefix (PERFORMANCE_LIMITS_GET, limits_get, DISCOVER_AGENT,
 * protocol_message_attributes); STATUS a status name (NOT_SUPPORTED,
 * INVALID_PARAMETERS, DENIED, NOT_FOUND, OUT_OF_RANGE, BUSY, COMMS_ERROR,
 * GENERIC_ERROR, HARDWARE_ERROR, PROTOCOL_ERROR, case-insensitive) or a
 * negative number.  E.g. "status=perf:limits_get:NOT_SUPPORTED,
 * base:discover_agent:NOT_SUPPORTED" makes a platform without those
 * two optional commands.  Nothing is armed unless every item parses.
 * Returns 0, -EINVAL for an unknown name / bad value, or -ENOSPC.
 *
 * @param sim the simulator.
 * @param name the knob's name.
 * @param value its value (NULL or "" as described).
 * @return 0, -EINVAL for an unknown name or a bad value, or -ENOSPC.
 */
SCMI_EXPORT int scmi_sim_fault_parse(struct scmi_sim *sim, const char *name, const char *value);

/* ---- platform set-up from text (loopback:// parameters, scmi-sim options) */

/**
 * A protocol id by number (0x13, 19; 0x10..0xff) or standard name (perf,
 * case-insensitive).  0 or -EINVAL.
 *
 * @param s the text.
 * @param[out] id the protocol id.
 * @return 0 or -EINVAL.
 */
SCMI_EXPORT int scmi_sim_protocol_parse(const char *s, uint8_t *id);
/**
 * "perf:3.0,clock:0x10000,0x90:1.0": set standard protocols' versions and
 * add vendor protocols (ids 0x80..0xff).  0, -ENOMEM, or -EINVAL with a
 * message naming the bad item in @p err (@p errlen bytes; may be 0).
 *
 * @param sim the simulator.
 * @param list the list.
 * @param[out] err a message naming the bad item (may be NULL when @p errlen is
 *	0).
 * @param errlen capacity of @p err.
 * @return 0, -ENOMEM or -EINVAL.
 */
SCMI_EXPORT int scmi_sim_versions_apply(struct scmi_sim *sim, const char *list, char *err,
					size_t errlen);
/**
 * "ID:SOURCES[,...]": the test protocol (scmi_sim_test_protocol_add())
 * under vendor ids 0x80..0xff with 1..65535 sources.  As above.
 *
 * @param sim the simulator.
 * @param list the list.
 * @param[out] err a message naming the bad item (may be NULL when @p errlen is
 *	0).
 * @param errlen capacity of @p err.
 * @return 0, -ENOMEM or -EINVAL.
 */
SCMI_EXPORT int scmi_sim_test_protocols_apply(struct scmi_sim *sim, const char *list, char *err,
					      size_t errlen);

/* ---- runner: the simulator on its own thread ----------------------- */

/**
 * Delivery of one output message, on the runner thread.  It may be called
 * with the simulator's lock held (messages delivered as they are
 * emitted), so it must not call back into the simulator or the runner.
 *
 * @param priv the pointer given to scmi_sim_runner_start().
 * @param chan the channel the message travels on.
 * @param msg the message, valid for the duration of the call only.
 * @param len its length in bytes.
 */
typedef void (*scmi_sim_deliver_fn)(void *priv, enum scmi_sim_chan chan, const void *msg,
				    size_t len);

/**
 * Start a thread with its own libuv loop that owns @p sim's output.  The
 * runner installs itself as @p sim's emit callback; messages with delay 0
 * emitted on the runner thread are delivered at once (no copy); others
 * are copied and delivered on the runner thread at their due time.
 * @p queue_depth bounds the requests waiting to be processed (default 1024
 * when 0, at most 1048576).  Requests and scmi_sim_runner_call() functions
 * run in the order they were queued.  Returns 0, -EINVAL, -ENOMEM, or a
 * libuv / pthread error.
 *
 * @param sim the simulator.
 * @param queue_depth requests waiting at most (0: 1024).
 * @param deliver called on the runner thread for each output message.
 * @param priv passed to @p deliver.
 * @param[out] out the runner, owned by the caller until
 *	scmi_sim_runner_stop().
 * @return 0, -EINVAL, -ENOMEM, or a libuv / pthread error.
 */
SCMI_EXPORT int scmi_sim_runner_start(struct scmi_sim *sim, unsigned int queue_depth,
				      scmi_sim_deliver_fn deliver, void *priv,
				      struct scmi_sim_runner **out);
/**
 * Queue one request (copied) for processing on the runner thread.
 * Thread-safe; never blocks.  -EAGAIN when the queue is full, -EMSGSIZE
 * when @p len is larger than 4 + 4 + max_msg_size, -ESHUTDOWN once
 * scmi_sim_runner_stop() has begun.
 *
 * @param r the runner.
 * @param msg the request (header + payload); copied.
 * @param len its length in bytes.
 * @return 0, -EAGAIN, -EMSGSIZE or -ESHUTDOWN.
 */
SCMI_EXPORT int scmi_sim_runner_submit(struct scmi_sim_runner *r, const void *msg, size_t len);
/**
 * Run fn(arg) on the runner thread and wait for it to return (used by
 * tests to trigger platform-initiated events in order with responses).
 * Must not be called from the runner thread itself (-EDEADLK).  Returns
 * 0, -ESHUTDOWN (stop begun) or -ECANCELED (stopped before it ran).
 *
 * @param r the runner.
 * @param fn the function.
 * @param arg its argument.
 * @return 0, -EDEADLK, -ESHUTDOWN or -ECANCELED.
 */
SCMI_EXPORT int scmi_sim_runner_call(struct scmi_sim_runner *r, void (*fn)(void *arg), void *arg);
/**
 * Demo mode: every @p period_ms the platform changes something on its own,
 * round-robin over the protocols (perf limits capped and released, a clock
 * rate change, a power domain switched, a reset by another agent, a new
 * power measurement) -- each notified only where the agent enabled it.
 * 0 stops it.  Not from the runner thread (-EDEADLK).
 *
 * @param r the runner.
 * @param period_ms the period (0: stop).
 * @return 0, -EDEADLK or -EINVAL.
 */
SCMI_EXPORT int scmi_sim_runner_activity(struct scmi_sim_runner *r, unsigned int period_ms);
/**
 * One step of that activity (@p step counts from 0).  Any thread but the
 * emit callback's.
 *
 * @param sim the simulator.
 * @param step the step number.
 */
SCMI_EXPORT void scmi_sim_activity_step(struct scmi_sim *sim, unsigned int step);
/**
 * Is the calling thread the runner thread?
 *
 * @param r the runner.
 * @return true on the runner thread.
 */
SCMI_EXPORT bool scmi_sim_runner_on_thread(struct scmi_sim_runner *r);
/**
 * Stop the thread; queued requests and pending delayed messages are
 * discarded, and the simulator's emit callback is cleared (if still the
 * runner's).  After this returns, deliver is never called again.  NULL is
 * a no-op; a call from the runner thread itself is ignored.
 *
 * @param r the runner, or NULL; freed.
 */
SCMI_EXPORT void scmi_sim_runner_stop(struct scmi_sim_runner *r);

#ifdef __cplusplus
}
#endif

/* Test-facing APIs of the protocol models, one header each. */
#include <scmi-sim/power.h>
#include <scmi-sim/system.h>
#include <scmi-sim/perf.h>
#include <scmi-sim/clock.h>
#include <scmi-sim/sensor.h>
#include <scmi-sim/reset.h>
#include <scmi-sim/voltage.h>
#include <scmi-sim/powercap.h>
#include <scmi-sim/pinctrl.h>

#endif /* SCMI_SIM_H */
