#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Write the seed corpus of fuzz_sim_vfio_user (tests/fuzz/corpus/fuzz_sim_vfio_user).

Each seed is a client of scmi-sim --vfio-user in the harness's format
(fuzz_sim_vfio_user.c): an options byte (the prologue the harness plays:
VERSION, DMA_MAP of the guest memory, interrupts, virtio bring-up; the
server's configuration; the queue size), then steps [op][len][payload].
Usage: tests/fuzz/sim-vfio-user-seeds.py [OUTDIR]
"""
import os
import struct
import sys

OPT_VERSION, OPT_MAP, OPT_IRQS, OPT_VIRTIO = 0x01, 0x02, 0x04, 0x08
OPT_NO_P2A, OPT_NO_MSIX = 0x10, 0x20
Q4, Q16, Q64, Q256 = 0x00, 0x40, 0x80, 0xC0
FULL = OPT_VERSION | OPT_MAP | OPT_IRQS | OPT_VIRTIO

(RAW, MSG, MSG_FDS, MEM, WRITE, READ, DOORBELL, CMD, EVBUF, TICK, STEP,
 RECONNECT) = range(12)
FD_GUEST, FD_SHORT, FD_EVENTFD, FD_GUEST_RO = 0, 1, 2, 3

VERSION, DMA_MAP, DMA_UNMAP, GET_INFO, GET_REGION_INFO = 1, 2, 3, 4, 5
GET_IRQ_INFO, SET_IRQS, REGION_READ, REGION_WRITE, DEVICE_RESET = 7, 8, 9, 10, 13
NO_REPLY = 0x10

GUEST_IOVA = 0x100000
GUEST_SIZE = 0x20000
BAR0, CFG = 0, 7
CMD_DESC, CMD_AVAIL, CMD_USED = 0x0000, 0x1000, 0x1400
EV_DESC, EV_AVAIL, EV_USED = 0x2000, 0x3000, 0x3400


def hdr(proto, msg, token=0, typ=0):
    return struct.pack("<I", msg | typ << 8 | proto << 10 | token << 18)


class Client:
    def __init__(self, options):
        self.out = bytearray([options])

    def step(self, op, payload=b""):
        assert len(payload) < 256
        self.out += bytes([op, len(payload)]) + payload

    def msg(self, cmd, body=b"", flags=0, fds=0, kind=FD_GUEST):
        if fds:
            self.step(MSG_FDS, bytes([fds | kind << 2, cmd, flags]) + body)  # fds 3: 11
        else:
            self.step(MSG, bytes([cmd, flags]) + body)

    def mem(self, off, data):
        self.step(MEM, struct.pack("<I", off)[:3] + data)

    def write(self, region, off, data):
        self.step(WRITE, struct.pack("<BH", region, off) + data)

    def read(self, region, off, count):
        self.step(READ, struct.pack("<BHH", region, off, count))

    def cmd(self, proto, msg, token, payload=b""):
        self.step(CMD, hdr(proto, msg, token) + payload)


def dma_map(flags, offset, iova, size):
    return struct.pack("<IIQQQ", 32, flags, offset, iova, size)


def session():
    """A driver through the whole protocol: commands, events, a delayed
    response, reads of every structure."""
    c = Client(FULL | Q16)
    c.step(EVBUF, bytes([8, 255]))
    c.cmd(0x10, 0x0, 1)                                 # BASE PROTOCOL_VERSION
    c.cmd(0x10, 0x1, 2)                                 # BASE PROTOCOL_ATTRIBUTES
    c.cmd(0x13, 0xA, 3, struct.pack("<II", 0, 1))      # PERF NOTIFY_LIMITS on
    c.step(STEP, bytes([0]))
    c.step(STEP, bytes([5]))
    c.cmd(0x11, 0x6, 4, struct.pack("<II", 1, 1))      # POWER STATE_NOTIFY on
    c.step(STEP, bytes([2]))
    c.cmd(0x14, 0x5, 5, struct.pack("<IIII", 1, 0, 400000000, 0))  # CLOCK async RATE_SET
    c.step(TICK, bytes([50]))
    c.cmd(0x15, 0x6, 6, struct.pack("<II", 0, 1))      # SENSOR async READING_GET
    c.step(TICK, bytes([50]))
    c.read(CFG, 0, 256)
    c.read(BAR0, 0x0000, 0x38)
    c.read(BAR0, 0x1000, 4)
    c.step(EVBUF, bytes([2, 8]))                        # too small for a message
    c.step(STEP, bytes([10]))
    return c.out


def manual():
    """No prologue but VERSION: the client maps its memory and brings the
    device up with messages of its own."""
    c = Client(OPT_VERSION | Q4)
    c.msg(GET_INFO, struct.pack("<IIII", 16, 0, 0, 0))
    for i in (0, 1, 7, 8):
        c.msg(GET_REGION_INFO, struct.pack("<IIIIQQ", 32, 0, i, 0, 0, 0))
    for i in (0, 2, 4):
        c.msg(GET_IRQ_INFO, struct.pack("<IIII", 16, 0, i, 0))
    c.msg(DMA_MAP, dma_map(3, 0, GUEST_IOVA, GUEST_SIZE), fds=1, kind=FD_GUEST)
    c.msg(SET_IRQS, struct.pack("<IIIII", 20, 0x24, 2, 0, 2), fds=2, kind=FD_EVENTFD)
    c.write(CFG, 0x42, struct.pack("<H", 0x8000))
    c.write(BAR0, 0x14, bytes([3]))
    c.write(BAR0, 0x08, struct.pack("<I", 1))
    c.write(BAR0, 0x0C, struct.pack("<I", 1))
    c.write(BAR0, 0x14, bytes([11]))
    c.write(BAR0, 0x16, struct.pack("<H", 0))
    c.write(BAR0, 0x18, struct.pack("<H", 4))
    c.write(BAR0, 0x1A, struct.pack("<H", 0))
    c.write(BAR0, 0x20, struct.pack("<QQQ", GUEST_IOVA + CMD_DESC, GUEST_IOVA + CMD_AVAIL,
                                     GUEST_IOVA + CMD_USED))
    c.write(BAR0, 0x1C, struct.pack("<H", 1))
    c.write(BAR0, 0x14, bytes([15]))
    c.cmd(0x10, 0x0, 1)
    c.msg(SET_IRQS, struct.pack("<IIIII", 20, 0x21, 2, 0, 0))   # all off
    c.msg(DMA_UNMAP, struct.pack("<IIQQ", 24, 0, GUEST_IOVA, GUEST_SIZE))
    c.step(DOORBELL, bytes([0]))                                # rings gone
    c.msg(DEVICE_RESET)
    return c.out


def windows():
    """DMA windows: read-only, a short file, overlaps, UNMAP_ALL, too many."""
    c = Client(OPT_VERSION | Q4)
    c.msg(DMA_MAP, dma_map(1, 0, 0x0, 0x1000), fds=1, kind=FD_GUEST_RO)
    c.msg(DMA_MAP, dma_map(3, 0, 0x0, 0x1000), fds=1, kind=FD_GUEST_RO)
    c.msg(DMA_MAP, dma_map(3, 0, 0x800, 0x1000), fds=1, kind=FD_GUEST)
    c.msg(DMA_MAP, dma_map(3, 0, 0x10000, 0x1000), fds=1, kind=FD_SHORT)
    c.msg(DMA_MAP, dma_map(3, 0x1000, 0x20000, 0x1000), fds=2, kind=FD_GUEST)
    c.msg(DMA_MAP, dma_map(3, 0, 0x30000, 0x1000))
    c.msg(DMA_UNMAP, struct.pack("<IIQQ", 24, 2, 0, 0))
    for i in range(3):
        c.msg(DMA_MAP, dma_map(3, 0x1000 * i, 0x100000 + 0x1000 * i, 0x1000), fds=1)
    c.msg(DMA_UNMAP, struct.pack("<IIQQ", 24, 0, 0x100000, 0x1000))
    c.msg(DMA_UNMAP, struct.pack("<IIQQ", 24, 0, 0x100000, 0x1000))
    return c.out


def bad_rings():
    """The driver lies: a descriptor loop, a head out of range, avail.idx far
    ahead, writable before readable, an address outside the window."""
    c = Client(FULL | Q4)
    c.cmd(0x10, 0x0, 1)
    c.mem(CMD_DESC, struct.pack("<QIHH", GUEST_IOVA + 0x8000, 4, 1, 0))  # loops on itself
    c.mem(CMD_AVAIL + 4 + 2, struct.pack("<H", 0))
    c.mem(CMD_AVAIL + 2, struct.pack("<H", 2))
    c.step(DOORBELL, bytes([0]))
    c.mem(CMD_DESC, struct.pack("<QIHH", GUEST_IOVA + 0x8000, 0x100, 2, 1))
    c.mem(CMD_DESC + 16, struct.pack("<QIHH", GUEST_IOVA + 0x8100, 4, 0, 0))
    c.mem(CMD_AVAIL + 4 + 4, struct.pack("<HH", 0, 77))
    c.mem(CMD_AVAIL + 2, struct.pack("<H", 4))
    c.step(DOORBELL, bytes([0]))
    c.mem(CMD_DESC, struct.pack("<QIHH", 0xdead0000, 4, 0, 0))
    c.mem(CMD_AVAIL + 4, struct.pack("<H", 0))
    c.mem(CMD_AVAIL + 2, struct.pack("<H", 5))
    c.step(DOORBELL, bytes([0]))
    c.mem(CMD_AVAIL + 2, struct.pack("<H", 0x8000))             # far ahead
    c.step(DOORBELL, bytes([0]))
    c.read(BAR0, 0x14, 1)
    c.write(BAR0, 0x14, bytes([0]))                             # reset, start again
    return c.out


def reconnect():
    """A delayed response pending when the client goes; the next client."""
    c = Client(FULL | Q16)
    c.step(EVBUF, bytes([4, 255]))
    c.cmd(0x14, 0x5, 1, struct.pack("<IIII", 1, 0, 400000000, 0))
    c.step(RECONNECT)
    c.step(TICK, bytes([100]))
    c.msg(VERSION, struct.pack("<HH", 0, 2))
    c.msg(DMA_MAP, dma_map(3, 0, GUEST_IOVA, GUEST_SIZE), fds=1)
    c.msg(DEVICE_RESET)
    return c.out


def config_space():
    """Config space: BAR sizing, the PCI_CFG window into BAR0 and BAR1,
    MSI-X masking, posted writes, INTx disabled."""
    c = Client(FULL | Q4)
    c.write(CFG, 0x10, struct.pack("<I", 0xffffffff))
    c.read(CFG, 0x10, 8)
    c.write(CFG, 0x84 + 4, bytes([0]))
    c.write(CFG, 0x84 + 8, struct.pack("<II", 0x14, 1))
    c.read(CFG, 0x84 + 16, 4)
    c.write(CFG, 0x84 + 8, struct.pack("<II", 0x3000, 2))
    c.write(CFG, 0x84 + 16, struct.pack("<H", 0))
    c.write(CFG, 0x84 + 4, bytes([1]))
    c.write(CFG, 0x84 + 8, struct.pack("<II", 0xfffffffc, 4))
    c.read(CFG, 0x84 + 16, 4)
    c.write(CFG, 0x42, struct.pack("<H", 0xC000))
    c.cmd(0x10, 0x0, 1)
    c.write(CFG, 0x04, struct.pack("<H", 0x400))
    c.write(CFG, 0x42, struct.pack("<H", 0))
    c.cmd(0x10, 0x0, 2)
    c.read(BAR0, 0x1000, 1)
    c.msg(REGION_WRITE, struct.pack("<QII", 0x3000, BAR0, 2) + b"\0\0", flags=NO_REPLY)
    c.read(1, 0, 64)
    return c.out


def protocol_errors():
    """Messages before VERSION, bad sizes, replies, unknown commands."""
    c = Client(0)
    c.msg(GET_INFO, struct.pack("<IIII", 16, 0, 0, 0))
    c.msg(VERSION, struct.pack("<HH", 0, 2) + b'{"capabilities":{"max_msg_fds":8}}\0')
    c.msg(VERSION, struct.pack("<HH", 0, 2))
    c.msg(42)
    c.msg(GET_INFO, b"", flags=1)
    c.msg(REGION_READ, struct.pack("<QII", 0, 9, 4))
    c.msg(REGION_READ, struct.pack("<QII", 0xfffffffffffffff0, 0, 0x20))
    c.step(RAW, struct.pack("<HHIII", 1, 4, 8, 0, 0))            # size below the header
    return c.out


def too_many_fds():
    """More fds than the server takes (8): the message is refused, every fd
    closed, and the next one served."""
    c = Client(OPT_VERSION)
    c.msg(DMA_MAP, dma_map(3, 0, GUEST_IOVA, 0x1000), fds=3, kind=FD_EVENTFD)
    c.msg(GET_INFO, struct.pack("<IIII", 16, 0, 0, 0))
    c.msg(SET_IRQS, struct.pack("<IIIII", 20, 0x24, 0, 0, 1), fds=3, kind=FD_EVENTFD)
    return c.out


def version_json():
    c = Client(0)
    c.msg(VERSION, struct.pack("<HH", 0, 1) +
          b'{"capabilities":{"max_data_xfer_size":4096,"migration":{"pgsize":4096}}}\0')
    c.msg(GET_INFO, struct.pack("<IIII", 16, 0, 0, 0))
    return c.out


SEEDS = {
    "session": session,
    "session-no-p2a": lambda: bytes([FULL | OPT_NO_P2A | Q64]) + session()[1:],
    "session-intx": lambda: bytes([FULL | OPT_NO_MSIX | Q256]) + session()[1:],
    "manual": manual,
    "windows": windows,
    "bad-rings": bad_rings,
    "reconnect": reconnect,
    "config-space": config_space,
    "protocol-errors": protocol_errors,
    "too-many-fds": too_many_fds,
    "version-json": version_json,
}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "corpus", "fuzz_sim_vfio_user")
    os.makedirs(out, exist_ok=True)
    for name, make in SEEDS.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(make())


if __name__ == "__main__":
    main()
