// SPDX-License-Identifier: BSD-3-Clause
/*
 * scmi-sim: the SCMI platform simulator as a server process.  This file is
 * the program: its options, its signals, and the server core (core.c,
 * server.h) run on the main thread.  The way the agent reaches the platform
 * is a mode (server.h); the control socket is control.c.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "server.h"

/* ---- options ------------------------------------------------------------ */

static const char srv_help[] =
	"NAME\n"
	"    scmi-sim - an SCMI platform (firmware) simulator serving an agent\n"
	"\n"
	"SYNOPSIS\n"
	"    scmi-sim --shmem PATH [OPTIONS]\n"
	"    scmi-sim --uio DIR [--uio-form platform|pci] [--uio-irq|--no-uio-irq]\n"
	"             [OPTIONS]\n"
	"    scmi-sim --vfio-user SOCKET [--no-p2a] [--no-msix] [OPTIONS]\n"
	"    scmi-sim --ivshmem SOCKET [OPTIONS]\n"
	"    SCMI_SIM_DEVMEM=DEVICE@BASE+SIZE scmi-sim --devmem PATH [OPTIONS]\n"
	"    scmi-sim --help\n"
	"\n"
	"DESCRIPTION\n"
	"    scmi-sim stands in for the firmware on the platform side of an SCMI\n"
	"    channel: every protocol the simulator models (Base, Power, System,\n"
	"    Performance, Clock, Sensor, Reset, Voltage, Powercap, Pin control and\n"
	"    the vendor test protocol), its profiles and its fault knobs, as the\n"
	"    loopback:// transport offers them in process.\n"
	"\n"
	"    With --shmem it creates (or truncates) the file PATH, lays SCMI\n"
	"    shared-memory areas out in it (one A2P area for commands and one P2A\n"
	"    area for notifications and delayed responses, plus one pair per\n"
	"    protocol given to --per-protocol), prints on the first line of\n"
	"    standard output the URI an agent opens, e.g.\n"
	"        shmem:///tmp/scmi.shm?a2p=0x0&p2a=0x80&size=128\n"
	"    and serves until SIGTERM, SIGINT or the control command 'quit'.\n"
	"\n"
	"    Default layout (S = --size, areas S bytes apart, in this order):\n"
	"        0       A2P area          S       P2A area\n"
	"        2S+2kS  A2P area of the k-th --per-protocol protocol (k from 0)\n"
	"        3S+2kS  its P2A area\n"
	"        then the doorbell register (with --doorbell), 8-byte aligned;\n"
	"        the file is rounded up to a multiple of 4096 bytes.\n"
	"\n"
	"    A2P: the agent fills flags, length, header and payload, then clears\n"
	"    channel_status (FREE = 0) last -- without a doorbell that store is\n"
	"    what tells the server a command is there; with --doorbell the server\n"
	"    looks at the A2P areas only after the agent writes the doorbell\n"
	"    register (the server clears the set bits), and then at every one of\n"
	"    them (one register for all): store channel_status last there too.\n"
	"    The server reads length and header once, answers a length outside\n"
	"    4..S-24 with ERROR and FREE set (no response), otherwise writes the\n"
	"    response (same header unless a fault knob says otherwise, status,\n"
	"    data, new length) and sets FREE last.  Response data is at most\n"
	"    S-32 bytes.\n"
	"\n"
	"    P2A: the server writes a notification or delayed response only into\n"
	"    an area the agent has acknowledged (FREE = 1): flags 0, length,\n"
	"    header, payload, then FREE = 0.  Messages wait in a queue of --queue\n"
	"    entries per area meanwhile (beyond it they are dropped and counted).\n"
	"    Messages of a protocol with its own channel use its areas.\n"
	"\n"
	"    Fastchannels are offered only with --fastchannels: the addresses the\n"
	"    platform advertises are then offsets in the file.\n"
	"\n"
	"    With --uio it serves the same areas as a fake UIO device, for the\n"
	"    uio:// transport (docs/UIO.md is the contract): under DIR (created if\n"
	"    missing) it makes DIR/sys/class/uio/uio0/{name,version,event} and\n"
	"      platform form (default): maps/map0 'mbox', a page of registers with\n"
	"        the doorbell at 0 (32 bits, bit 0), and maps/map1 'shmem', the\n"
	"        areas; DIR/dev/uio0 holds map K at K pages;\n"
	"      pci form (ivshmem-like): device/{vendor,device}, device/resource0\n"
	"        (256 bytes of registers, the doorbell at 0x0c) and\n"
	"        device/resource2 (the areas); DIR/dev/uio0 is empty;\n"
	"    and DIR/dev/uio0.irq, the interrupt: a link to the slave side of a\n"
	"    pseudo-terminal (--uio-irq, the platform form's default) or to\n"
	"    /dev/full (--no-uio-irq, the pci form's default: enabling fails, the\n"
	"    agent polls).  The agent writes a 4-byte 1 to enable the interrupt\n"
	"    (it starts disabled) and reads the 4-byte count of each; the server\n"
	"    raises it after each response (or error) and each P2A message, while\n"
	"    enabled -- once, then it waits for the next enable (a raise meanwhile\n"
	"    is held and sent then).  The doorbell is polled; the server clears\n"
	"    its bit.  The URI printed is e.g.\n"
	"        uio://uio0?sysfs=DIR/sys&devnode=DIR/dev/uio0&irq=DIR/dev/uio0.irq&\n"
	"        shm=map1&a2p=0x0&p2a=0x80&size=128&db=map0:0x0\n"
	"    (one line).  With --fastchannels the simulator's memory window is\n"
	"    reachable at its physical address (0x50000000): platform form, map1\n"
	"    goes on past the areas to cover it (its addr is the window's less\n"
	"    the areas' size); pci form, device/resource4, with device/resource\n"
	"    listing every BAR's physical address.  Everything made under DIR (and\n"
	"    DIR, if it made it) is removed at exit unless --keep.\n"
	"\n"
	"    With --vfio-user it is a vfio-user server listening on the unix socket\n"
	"    SOCKET, presenting a virtio-scmi PCI function (vendor 0x1af4, device\n"
	"    0x1060, virtio 1.x) for the virtio-vfio-user:// transport; the URI\n"
	"    printed is virtio-vfio-user:// and the socket's absolute path, e.g.\n"
	"        virtio-vfio-user:///tmp/scmi.sock\n"
	"    One client at a time (the next waits until it goes).  Config space\n"
	"    (region 7) has an MSI-X capability (3 vectors: config, cmdq, eventq;\n"
	"    table and PBA in BAR1) and the virtio capabilities: common config at\n"
	"    BAR0 0x0, ISR at 0x1000, notify at 0x3000 (multiplier 4: queue Q's\n"
	"    doorbell at 0x3000+4Q), PCI_CFG; every region by REGION_READ/WRITE.\n"
	"    Interrupts by eventfds (DEVICE_SET_IRQS): MSI-X when enabled in\n"
	"    config space, else INTx with the ISR.  Rings and buffers are reached\n"
	"    through the memory the client passes with DMA_MAP (an fd each).\n"
	"    Features: VERSION_1 and P2A_CHANNELS (cmdq = queue 0, eventq = queue\n"
	"    1); --no-p2a offers a device without the eventq, --no-msix one\n"
	"    with INTx only.  A command chain is a device-readable request and a\n"
	"    device-writable response buffer; notifications and delayed responses\n"
	"    go into eventq buffers, held meanwhile (--queue; beyond it\n"
	"    notifications are dropped, delayed responses kept).  DEVICE_RESET\n"
	"    and a status write of 0 reset the device; a client that goes takes\n"
	"    its DMA windows and eventfds with it (the device is reset).  Response\n"
	"    data is at most --size - 32 bytes (default --size here: 160, so 128\n"
	"    as Linux expects).  The socket is removed at exit.\n"
	"\n"
	"    With --ivshmem it is an ivshmem server listening on the unix socket\n"
	"    SOCKET, for QEMU's ivshmem-doorbell device (-chardev socket,path=SOCKET,\n"
	"    id=C -device ivshmem-doorbell,chardev=C,vectors=1): it hands the\n"
	"    client its peer id, the shared memory (the areas of --shmem's layout,\n"
	"    a power of two, 4096 bytes at least: the device's BAR2) and the\n"
	"    eventfd of the platform, peer 1, vector 0.  The guest's write of\n"
	"    0x10000 to the device's Doorbell register (BAR0 offset 0x0c) wakes\n"
	"    the server, which then looks at the A2P areas; P2A acknowledgements\n"
	"    are polled.  One client at a time.  The URI printed is the one for an\n"
	"    agent in the guest with the device bound to uio_pci_generic as uio0\n"
	"    (the agent polls: no interrupt reaches a guest's UIO on this device):\n"
	"        uio://uio0?shm=res2&a2p=0x0&p2a=0x80&size=128&db=map0:0xc&\n"
	"        db_set=0x10000&completion=poll\n"
	"    (one line; docs/VM.md).  The socket is removed at exit.\n"
	"\n"
	"    With --devmem it serves the areas of --shmem in memory that exists\n"
	"    already: a slot of 1 MiB of the range SCMI_SIM_DEVMEM names, e.g.\n"
	"    /dev/mem@0xfa000000+0x4000000 (a PCI BAR the agent maps through\n"
	"    /dev/mem too; or a file that big), the first slot no other --devmem\n"
	"    server holds (a lock on byte N of $TMPDIR/scmi-sim-devmem.lock).\n"
	"    Nothing is created there; PATH becomes an empty marker file.  The URI\n"
	"    printed has the areas at their addresses in DEVICE, e.g.\n"
	"        shmem:///dev/mem?a2p=0xfa100000&p2a=0xfa100080&size=128\n"
	"    --doorbell works as with --shmem; --fastchannels is refused.\n"
	"\n"
	"OPTIONS\n"
	"    --shmem PATH          serve over shared memory in the file PATH\n"
	"    --uio DIR             serve as a fake UIO device under DIR\n"
	"    --uio-form FORM       platform (default: UIO maps) or pci (BARs)\n"
	"    --ivshmem SOCKET      serve QEMU's ivshmem-doorbell device as its\n"
	"                          ivshmem server\n"
	"    --devmem PATH         serve in a slot of SCMI_SIM_DEVMEM's memory\n"
	"    --vfio-user SOCKET    serve a virtio-scmi device over vfio-user\n"
	"    --no-p2a              (--vfio-user) no eventq: P2A_CHANNELS not offered\n"
	"    --no-msix             (--vfio-user) no MSI-X: INTx only\n"
	"    --uio-irq, --no-uio-irq  an interrupt toward the agent, or none\n"
	"                          (default: platform yes, pci no)\n"
	"    --size N              bytes per area, 100..65536, multiple of 4\n"
	"                          (default 128)\n"
	"    --per-protocol LIST   own channel pair for each protocol of LIST,\n"
	"                          e.g. 0x13,0x14 or perf,clock (at most 32)\n"
	"    --doorbell[=WIDTH]    a doorbell register of WIDTH bits (8, 16, 32,\n"
	"                          64; default 32) the agent writes after filling\n"
	"                          an A2P area\n"
	"    --db-set VALUE        bits the agent sets in it (default 1)\n"
	"    --db-preserve MASK    bits it keeps on read-modify-write (default 0)\n"
	"    --keep                leave the file behind on exit\n"
	"    --fastchannels        put the platform's shared-memory window\n"
	"                          (fastchannels, their doorbells, statistics\n"
	"                          regions) in the file at offset = its physical\n"
	"                          address, 0x50000000 (a sparse file), as /dev/mem\n"
	"                          would have it; with --uio in the fake device\n"
	"                          at that address (see above); without it no\n"
	"                          fastchannel is offered\n"
	"    --queue N             P2A messages held per area (1..4096, default 64)\n"
	"    --max-sleep-us N      longest idle sleep between looks at memory (default 1000)\n"
	"    --control PATH        control socket (see CONTROL PROTOCOL)\n"
	"    --profile NAME        newest (default) or scmi-2.0\n"
	"    --versions LIST       per-protocol versions, e.g. perf:3.0,clock:0x10000;\n"
	"                          a vendor id (0x80..0xff) adds a vendor protocol\n"
	"    --max-list-items N    cap on entries per multi-part reply\n"
	"    --test-protocols LIST the test protocol under vendor ids, ID:SOURCES[,..]\n"
	"    --activity MS         the platform changes something on its own every\n"
	"                          MS milliseconds (notified where enabled)\n"
	"    --fault KNOB[=VALUE]  arm a fault knob, as the loopback:// parameters:\n"
	"                          delay_us, drop, dup, wrong_token, dresp_first,\n"
	"                          late_us, late_dresp_us, unexpected_dresp,\n"
	"                          unexpected_dresp_first, bad_len, bad_len_at,\n"
	"                          range_count, no_dresp, inline_dresp, status\n"
	"                          (repeatable)\n"
	"    --KNOB[=VALUE]        the same, e.g. --drop=3, --status=perf:level_get:DENIED\n"
	"    --vendor NAME, --sub-vendor NAME, --impl-ver N\n"
	"                          the identity Base reports (libscmi's quirks are\n"
	"                          keyed on it)\n"
	"    The loopback:// spellings profile, versions, max_list_items,\n"
	"    test_protocols, activity_ms, sub_vendor and impl_ver are accepted as\n"
	"    long options too.\n"
	"    -v, --verbose         log to standard error (twice: every request)\n"
	"    -h, --help            this text\n"
	"\n"
	"CONTROL PROTOCOL\n"
	"    A unix stream socket; any number of clients; one command per line,\n"
	"    one reply line per command: 'ok[ DETAILS]' or 'error MESSAGE'.\n"
	"    Numbers are decimal or 0x hex; PROTO is a number or a protocol name.\n"
	"        ping                          ok pong\n"
	"        stats                         ok key=value ... (counters; those of\n"
	"                                      a --per-protocol channel end in\n"
	"                                      .0xNN, e.g. a2p_requests.0x13)\n"
	"        notify PROTO EVT SRC [COUNT]  test protocol notifications (only\n"
	"                                      where the agent enabled them)\n"
	"        notify-enabled PROTO EVT SRC  ok 1 if the agent enabled that\n"
	"                                      notification, else ok 0\n"
	"        sensor ID VALUE [VALUE...]    new reading(s) of a sensor\n"
	"        perf-limits DOM MAX MIN       platform-imposed limits\n"
	"        perf-level DOM LEVEL          platform-made level change\n"
	"        perf-state DOM                ok level=L max=MAX min=MIN\n"
	"        clock-state ID                ok rate=HZ enabled=0|1 duty=PCT\n"
	"                                      phase=DEG parent=ID\n"
	"        perf-stats                    ok fc_level_sets=N ... (fastchannel\n"
	"                                      and doorbell counters)\n"
	"        power-state DOM               ok state=S sync_requests=N\n"
	"                                      async_requests=N\n"
	"        reset-state DOM               ok asserted=0|1 resets=N ... (the\n"
	"                                      domain's state and counters)\n"
	"        voltage-state DOM             ok config=C level=UV level_sets=N ...\n"
	"        powercap-state DOM            ok cap=MW pai=US power=MW ...\n"
	"        clock-rate ID RATE            platform-made rate change\n"
	"        power DOM STATE               platform-made power state change\n"
	"        reset DOM AGENT               another agent resets a domain\n"
	"        powercap-power DOM MW         new power measurement\n"
	"        base-error AGENT FATAL [REPORT...]  BASE_ERROR_EVENT\n"
	"        system STATE GRACEFUL [TIMEOUT_MS [AGENT]]\n"
	"                                      a system power state request\n"
	"                                      (SYSTEM_POWER_STATE_NOTIFIER; STATE\n"
	"                                      0 shutdown, 1 cold reset, 2 warm\n"
	"                                      reset, 4 suspend; GRACEFUL 0/1)\n"
	"        activity MS                   start (MS > 0) or stop the activity\n"
	"        step                          one step of the activity, now\n"
	"        fault KNOB[=VALUE]            arm a fault knob\n"
	"        fault clear                   disarm every knob\n"
	"        fault-add KIND EVERY COUNT PROTO MSG PARAM [NOTIF]\n"
	"                                      arm a knob as scmi_sim_fault_add()\n"
	"                                      (struct scmi_sim_fault; -1: any);\n"
	"                                      KIND a knob name (drop, dup,\n"
	"                                      bad_len, status...) or its number\n"
	"        fault-hits KIND               ok N: times knobs of KIND fired\n"
	"        quit                          reply 'ok', then exit 0\n"
	"    With --uio:\n"
	"        uio-irq-storm N               N interrupts with nothing to read,\n"
	"                                      one per enable\n"
	"        uio-irq-drop N                the next N interrupts are lost\n"
	"        uio-remove                    the device goes away: the files are\n"
	"                                      removed, the interrupt hangs up,\n"
	"                                      nothing is served any more\n"
	"    The reply to notify, sensor, clock-rate, power, reset, powercap-power,\n"
	"    base-error and system counts the notifications sent (e.g. 'ok sent=1'; they\n"
	"    go out only where the agent enabled them); perf-* reply 'ok'.\n"
	"\n"
	"EXIT STATUS\n"
	"    0  stopped by SIGTERM, SIGINT or 'quit' (the file or the device's\n"
	"       files, unless --keep, and the control socket removed)\n"
	"    1  could not set up (file, socket, simulator)\n"
	"    2  bad command line\n"
	"\n"
	"EXAMPLES\n"
	"    Serve, keep the URI, talk to the platform with the scmi tool:\n"
	"        scmi-sim --shmem /tmp/scmi.shm --control /tmp/scmi.ctl > /tmp/uri &\n"
	"        scmi --uri \"$(head -n1 /tmp/uri)\" info\n"
	"    Drive it from outside (a new sensor reading, then the counters):\n"
	"        printf 'sensor 0 42000\\nstats\\n' | socat - UNIX-CONNECT:/tmp/scmi.ctl\n"
	"    A SCMI 2.0-era platform with its own perf channel, a doorbell, and\n"
	"    every 5th response dropped:\n"
	"        scmi-sim --shmem /tmp/s.shm --per-protocol perf --doorbell=32 \\\n"
	"                 --profile scmi-2.0 --drop=5\n"
	"    A fake UIO device, then the PCI form without an interrupt:\n"
	"        scmi-sim --uio /tmp/uio --control /tmp/uio.ctl > /tmp/uri &\n"
	"        scmi-sim --uio /tmp/uio-pci --uio-form pci\n";

static const char *const srv_knobs[] = {
	"delay_us",
	"drop",
	"dup",
	"wrong_token",
	"dresp_first",
	"late_us",
	"late_dresp_us",
	"unexpected_dresp",
	"unexpected_dresp_first",
	"bad_len",
	"bad_len_at",
	"range_count",
	"no_dresp",
	"inline_dresp",
	"status",
	NULL,
};

enum {
	OPT_SHMEM = 256,
	OPT_SIZE,
	OPT_PER_PROTO,
	OPT_DOORBELL,
	OPT_DB_SET,
	OPT_DB_PRESERVE,
	OPT_KEEP,
	OPT_FASTCHANNELS,
	OPT_QUEUE,
	OPT_MAX_SLEEP,
	OPT_CONTROL,
	OPT_PROFILE,
	OPT_VERSIONS,
	OPT_MAX_LIST,
	OPT_TEST_PROTOS,
	OPT_ACTIVITY,
	OPT_VENDOR,
	OPT_SUB_VENDOR,
	OPT_IMPL_VER,
	OPT_FAULT,
	OPT_UIO,
	OPT_IVSHMEM,
	OPT_DEVMEM,
	OPT_UIO_FORM,
	OPT_UIO_IRQ,
	OPT_NO_UIO_IRQ,
	OPT_VFIO_USER,
	OPT_NO_P2A,
	OPT_NO_MSIX,
	OPT_KNOB, /* + index in srv_knobs */
};

struct srv_args {
	struct srv_opts o;
	const char *control;
	struct scmi_sim_config cfg;
	const char *versions;
	const char *test_protocols;
	unsigned int activity_ms;
	const char *vendor, *sub_vendor;
	bool set_impl_ver;
	uint32_t impl_ver;
	unsigned int n_faults;
	char *faults[64]; /* "KNOB[=VALUE]" */
};

static void __attribute__((noreturn, format(printf, 1, 2))) srv_usage(const char *fmt, ...)
{
	va_list ap;

	fputs("scmi-sim: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'scmi-sim --help'.\n", stderr);
	exit(2);
}

static uint64_t srv_opt_num(const char *name, const char *arg, uint64_t min, uint64_t max)
{
	uint64_t v;

	if (srv_parse_u64(arg, min, max, &v))
		srv_usage("--%s: '%s' is not a number in %llu..%llu", name, arg,
			  (unsigned long long)min, (unsigned long long)max);
	return v;
}

static void srv_opt_protos(struct srv_opts *o, const char *arg)
{
	char *copy = strdup(arg), *save = NULL;

	if (!copy)
		srv_usage("out of memory");
	for (char *it = strtok_r(copy, ",", &save); it; it = strtok_r(NULL, ",", &save)) {
		uint8_t id;

		if (scmi_sim_protocol_parse(it, &id))
			srv_usage("--per-protocol: '%s' is not a protocol id (0x10..0xff) or name",
				  it);
		for (unsigned int i = 0; i < o->n_protos; i++)
			if (o->protos[i] == id)
				srv_usage("--per-protocol: protocol 0x%02x given twice", id);
		if (o->n_protos == SRV_MAX_CHANNELS)
			srv_usage("--per-protocol: at most %d protocols", SRV_MAX_CHANNELS);
		o->protos[o->n_protos++] = id;
	}
	free(copy);
	if (!o->n_protos)
		srv_usage("--per-protocol: empty list");
}

static void srv_opt_fault(struct srv_args *a, const char *knob, const char *value)
{
	size_t n = strlen(knob) + (value ? strlen(value) + 1 : 0) + 1;
	char *s = malloc(n);

	if (!s || a->n_faults == sizeof(a->faults) / sizeof(a->faults[0]))
		srv_usage("too many fault knobs");
	snprintf(s, n, "%s%s%s", knob, value ? "=" : "", value ? value : "");
	a->faults[a->n_faults++] = s;
}

static void srv_parse_args(int argc, char **argv, struct srv_args *a)
{
	static const struct option base[] = {
		{"shmem", required_argument, NULL, OPT_SHMEM},
		{"size", required_argument, NULL, OPT_SIZE},
		{"per-protocol", required_argument, NULL, OPT_PER_PROTO},
		{"doorbell", optional_argument, NULL, OPT_DOORBELL},
		{"db-set", required_argument, NULL, OPT_DB_SET},
		{"db-preserve", required_argument, NULL, OPT_DB_PRESERVE},
		{"keep", no_argument, NULL, OPT_KEEP},
		{"fastchannels", no_argument, NULL, OPT_FASTCHANNELS},
		{"queue", required_argument, NULL, OPT_QUEUE},
		{"max-sleep-us", required_argument, NULL, OPT_MAX_SLEEP},
		{"control", required_argument, NULL, OPT_CONTROL},
		{"profile", required_argument, NULL, OPT_PROFILE},
		{"versions", required_argument, NULL, OPT_VERSIONS},
		{"max-list-items", required_argument, NULL, OPT_MAX_LIST},
		{"max_list_items", required_argument, NULL, OPT_MAX_LIST},
		{"test-protocols", required_argument, NULL, OPT_TEST_PROTOS},
		{"test_protocols", required_argument, NULL, OPT_TEST_PROTOS},
		{"activity", required_argument, NULL, OPT_ACTIVITY},
		{"activity_ms", required_argument, NULL, OPT_ACTIVITY},
		{"vendor", required_argument, NULL, OPT_VENDOR},
		{"sub-vendor", required_argument, NULL, OPT_SUB_VENDOR},
		{"sub_vendor", required_argument, NULL, OPT_SUB_VENDOR},
		{"impl-ver", required_argument, NULL, OPT_IMPL_VER},
		{"impl_ver", required_argument, NULL, OPT_IMPL_VER},
		{"fault", required_argument, NULL, OPT_FAULT},
		{"uio", required_argument, NULL, OPT_UIO},
		{"ivshmem", required_argument, NULL, OPT_IVSHMEM},
		{"devmem", required_argument, NULL, OPT_DEVMEM},
		{"uio-form", required_argument, NULL, OPT_UIO_FORM},
		{"uio-irq", no_argument, NULL, OPT_UIO_IRQ},
		{"no-uio-irq", no_argument, NULL, OPT_NO_UIO_IRQ},
		{"vfio-user", required_argument, NULL, OPT_VFIO_USER},
		{"no-p2a", no_argument, NULL, OPT_NO_P2A},
		{"no-msix", no_argument, NULL, OPT_NO_MSIX},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
	};
	enum {
		N_BASE = sizeof(base) / sizeof(base[0])
	};
	struct option opts[N_BASE + sizeof(srv_knobs) / sizeof(srv_knobs[0])];
	bool size_given = false;
	size_t n = 0;
	int c;

	memcpy(opts, base, sizeof(base));
	for (n = 0; srv_knobs[n]; n++)
		opts[N_BASE + n] =
			(struct option){srv_knobs[n], optional_argument, NULL, OPT_KNOB + (int)n};
	opts[N_BASE + n] = (struct option){0};

	srv_opts_default(&a->o);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":vh", opts, NULL)) != -1) {
		switch (c) {
		case OPT_SHMEM:
			if (a->o.devmem)
				srv_usage("--shmem and --devmem: one mode at a time");
			a->o.path = optarg;
			break;
		case OPT_SIZE:
			a->o.size = srv_opt_num("size", optarg, 100, 65536);
			size_given = true;
			if (a->o.size % 4)
				srv_usage("--size: %zu is not a multiple of 4", a->o.size);
			break;
		case OPT_PER_PROTO:
			srv_opt_protos(&a->o, optarg);
			break;
		case OPT_DOORBELL:
			a->o.doorbell = true;
			if (optarg) {
				a->o.db_width =
					(unsigned int)srv_opt_num("doorbell", optarg, 8, 64);
				if (a->o.db_width != 8 && a->o.db_width != 16 &&
				    a->o.db_width != 32 && a->o.db_width != 64)
					srv_usage("--doorbell: width %s is not 8, 16, 32 or 64",
						  optarg);
			}
			break;
		case OPT_DB_SET:
			a->o.db_set = srv_opt_num("db-set", optarg, 1, UINT64_MAX);
			break;
		case OPT_DB_PRESERVE:
			a->o.db_preserve = srv_opt_num("db-preserve", optarg, 0, UINT64_MAX);
			break;
		case OPT_KEEP:
			a->o.keep = true;
			break;
		case OPT_FASTCHANNELS:
			a->o.fastchannels = true;
			break;
		case OPT_QUEUE:
			a->o.queue = (unsigned int)srv_opt_num("queue", optarg, 1, 4096);
			break;
		case OPT_MAX_SLEEP:
			a->o.max_sleep_us =
				(unsigned int)srv_opt_num("max-sleep-us", optarg, 10, 1000000);
			break;
		case OPT_CONTROL:
			a->control = optarg;
			break;
		case OPT_PROFILE:
			a->cfg.profile = optarg;
			break;
		case OPT_VERSIONS:
			a->versions = optarg;
			break;
		case OPT_MAX_LIST:
			a->cfg.max_list_items =
				(unsigned int)srv_opt_num("max-list-items", optarg, 1, 1024);
			break;
		case OPT_TEST_PROTOS:
			a->test_protocols = optarg;
			break;
		case OPT_ACTIVITY:
			a->activity_ms = (unsigned int)srv_opt_num("activity", optarg, 0, 3600000);
			break;
		case OPT_VENDOR:
			a->vendor = optarg;
			break;
		case OPT_SUB_VENDOR:
			a->sub_vendor = optarg;
			break;
		case OPT_IMPL_VER:
			a->impl_ver = (uint32_t)srv_opt_num("impl-ver", optarg, 0, UINT32_MAX);
			a->set_impl_ver = true;
			break;
		case OPT_FAULT:
			srv_opt_fault(a, optarg, NULL);
			break;
		case OPT_UIO:
			a->o.uio_dir = optarg;
			break;
		case OPT_IVSHMEM:
			a->o.ivshmem_path = optarg;
			break;
		case OPT_DEVMEM:
			if (a->o.path)
				srv_usage("--shmem and --devmem: one mode at a time");
			a->o.path = optarg;
			a->o.devmem = true;
			break;
		case OPT_UIO_FORM:
			if (strcmp(optarg, "platform") && strcmp(optarg, "pci"))
				srv_usage("--uio-form: '%s' is not platform or pci", optarg);
			a->o.uio_pci = !strcmp(optarg, "pci");
			break;
		case OPT_UIO_IRQ:
		case OPT_NO_UIO_IRQ:
			a->o.uio_irq = c == OPT_UIO_IRQ;
			break;
		case OPT_VFIO_USER:
			a->o.vfu_path = optarg;
			break;
		case OPT_NO_P2A:
			a->o.vfu_no_p2a = true;
			break;
		case OPT_NO_MSIX:
			a->o.vfu_no_msix = true;
			break;
		case 'v':
			a->o.verbose++;
			break;
		case 'h':
			fputs(srv_help, stdout);
			exit(0);
		case ':':
			srv_usage("option '%s' needs a value", argv[optind - 1]);
		case '?':
			srv_usage("unknown option '%s'", argv[optind - 1]);
		default:
			if (c >= OPT_KNOB && c < OPT_KNOB + (int)n) {
				srv_opt_fault(a, srv_knobs[c - OPT_KNOB], optarg);
				break;
			}
			srv_usage("unknown option");
		}
	}
	if (optind < argc)
		srv_usage("unexpected argument '%s'", argv[optind]);
	if (!!a->o.path + !!a->o.uio_dir + !!a->o.vfu_path + !!a->o.ivshmem_path > 1)
		srv_usage("--shmem, --uio, --vfio-user and --ivshmem: one mode at a time");
	if ((a->o.vfu_no_p2a || a->o.vfu_no_msix) && !a->o.vfu_path)
		srv_usage("--no-p2a and --no-msix need --vfio-user");
	if (a->o.vfu_path) {
#ifndef SRV_HAVE_VFIO_USER
		srv_usage("--vfio-user: not built in (json-c was missing)");
#endif
		if (!*a->o.vfu_path)
			srv_usage("--vfio-user: empty path");
		if (a->o.doorbell || a->o.db_set != 1 || a->o.db_preserve || a->o.fastchannels ||
		    a->o.n_protos || a->o.uio_pci || a->o.uio_irq >= 0)
			srv_usage("--vfio-user takes none of the --shmem and --uio options");
		if (!size_given)
			a->o.size = 160; /* response data up to 128 bytes, as Linux */
	} else if (a->o.uio_dir) {
		if (!*a->o.uio_dir)
			srv_usage("--uio: empty path");
		/* The fake device's doorbell is fixed (docs/UIO.md). */
		if (a->o.doorbell || a->o.db_set != 1 || a->o.db_preserve)
			srv_usage("--doorbell, --db-set and --db-preserve do not apply to --uio");
	} else if (a->o.ivshmem_path) {
		if (!*a->o.ivshmem_path)
			srv_usage("--ivshmem: empty path");
		/* The doorbell is the device's register, the window is not shared. */
		if (a->o.doorbell || a->o.db_set != 1 || a->o.db_preserve || a->o.fastchannels ||
		    a->o.uio_pci || a->o.uio_irq >= 0)
			srv_usage("--ivshmem takes none of --doorbell, --db-set, --db-preserve, "
				  "--fastchannels and the --uio options");
	} else if (!a->o.path) {
		srv_usage("no mode given: --uio DIR, --vfio-user SOCKET, --ivshmem SOCKET or "
			  "--shmem PATH is needed");
	} else if (!*a->o.path) {
		srv_usage("--shmem: empty path");
	} else if (a->o.uio_pci || a->o.uio_irq >= 0) {
		srv_usage("--uio-form, --uio-irq and --no-uio-irq need --uio");
	}
	if (a->o.doorbell && a->o.db_width < 64 &&
	    (a->o.db_set >> a->o.db_width || a->o.db_preserve >> a->o.db_width))
		srv_usage("--db-set / --db-preserve do not fit a %u-bit doorbell", a->o.db_width);
	if (a->o.db_set & a->o.db_preserve)
		srv_usage("--db-set and --db-preserve overlap");
	a->o.path = a->o.path;
}

/* The server being run, for the signal handler. */
static struct srv *volatile srv_main;
static volatile sig_atomic_t srv_signalled;

static void srv_on_signal(int sig)
{
	(void)sig;
	srv_signalled = 1;
	if (srv_main)
		srv_quit(srv_main); /* async-signal-safe */
}

int main(int argc, char **argv)
{
	struct srv_args a = {0};
	struct srv_config c = {0};
	struct sigaction sa = {0};
	struct srv *srv;
	int ret;

	srv_parse_args(argc, argv, &a);

	sa.sa_handler = srv_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	c.mode = a.o.uio_dir ? &srv_mode_uio : &srv_mode_shmem;
	if (a.o.ivshmem_path)
		c.mode = &srv_mode_ivshmem;
	if (a.o.devmem)
		c.mode = &srv_mode_devmem;
#ifdef SRV_HAVE_VFIO_USER
	if (a.o.vfu_path)
		c.mode = &srv_mode_vfio_user;
#endif
	c.o = a.o;
	c.control = a.control;
	c.sim = a.cfg;
	c.versions = a.versions;
	c.test_protocols = a.test_protocols;
	c.activity_ms = a.activity_ms;
	c.vendor = a.vendor;
	c.sub_vendor = a.sub_vendor;
	c.set_impl_ver = a.set_impl_ver;
	c.impl_ver = a.impl_ver;
	c.n_faults = a.n_faults;
	c.faults = (const char *const *)a.faults;
	ret = srv_create(&c, &srv);
	for (unsigned int i = 0; i < a.n_faults; i++)
		free(a.faults[i]);
	if (ret)
		return ret;
	srv_main = srv;
	if (srv_signalled) /* before the handler knew the server */
		srv_quit(srv);
	srv_print_uri(srv, stdout);
	fputc('\n', stdout);
	fflush(stdout);

	srv_run(srv);

	srv_log(srv, SRV_LOG_INFO, "stopping (%s)", srv_signalled ? "signal" : "quit");
	srv_main = NULL;
	srv_destroy(srv, a.o.keep);
	return 0;
}
