# SPDX-License-Identifier: BSD-3-Clause
"""Host end of a guest NIC: raw Ethernet frames over a unix datagram socket.

QEMU's `-netdev dgram` with unix sockets turns every frame the guest NIC
sends into one datagram to the host's socket, and every datagram the host
sends to QEMU's socket into one received frame. Unix sockets, unlike UDP
on loopback, did not drop frames in bursts. Sending never blocks: a frame
the guest is not ready for is dropped and counted, as on a wire.
"""

import errno
import os
import select
import socket
import struct
import time

# IEEE "local experimental" ethertype: the kernel ignores these frames, so
# only test traffic matches.
ETHERTYPE_TEST = 0x88B5


def mac_bytes(mac):
    return bytes(int(x, 16) for x in mac.split(":"))


def mac_str(b):
    return ":".join("%02x" % x for x in b)


def build_frame(dst, src, payload, ethertype=ETHERTYPE_TEST):
    """An Ethernet frame (no FCS), padded to the 60-byte minimum."""
    f = mac_bytes(dst) + mac_bytes(src) + struct.pack("!H", ethertype) + payload
    return f + bytes(max(0, 60 - len(f)))


def ethertype(frame):
    return struct.unpack_from("!H", frame, 12)[0] if len(frame) >= 14 else None


def pattern(n, seed):
    """n deterministic bytes, different for each seed."""
    return bytes((seed * 31 + i * 7 + (i >> 8)) & 0xFF for i in range(n))


class FrameEndpoint:
    def __init__(self, host_path, guest_path):
        self.host_path = host_path
        self.guest_path = guest_path
        self.sent = self.dropped = self.received = 0
        if os.path.exists(host_path):
            os.unlink(host_path)
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(host_path)
        self.sock.setblocking(False)

    def close(self):
        self.sock.close()
        try:
            os.unlink(self.host_path)
        except OSError:
            pass

    def send(self, frame):
        """Send one frame; False if QEMU is not there or its queue is full."""
        try:
            self.sock.sendto(frame, self.guest_path)
            self.sent += 1
            return True
        except OSError as e:
            if e.errno in (errno.ENOENT, errno.ECONNREFUSED, errno.EAGAIN,
                           errno.ENOBUFS):
                self.dropped += 1
                return False
            raise

    def recv(self, timeout, match=None):
        """The next frame (for which match(frame) is true), or None."""
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return None
            r, _, _ = select.select([self.sock], [], [], left)
            if not r:
                return None
            try:
                frame = self.sock.recv(65536)
            except BlockingIOError:
                continue
            self.received += 1
            if match is None or match(frame):
                return frame

    def recv_test(self, timeout):
        """The next frame with the test ethertype."""
        return self.recv(timeout, lambda f: ethertype(f) == ETHERTYPE_TEST)


# ---- the test frames of tests/vm/prog/dpvm_igb.c ---------------------------------

HOST_MAC = "02:00:00:00:00:01"


def guest_test_frame(i, guest_mac):
    """Frame i that dpvm-igb sends: tag "DPVM", 100 + 37 i pattern bytes."""
    return build_frame(HOST_MAC, guest_mac,
                       b"DPVM" + bytes([i & 0xFF]) + pattern(100 + 37 * i, 0x10 + i))


def host_test_frame(i, guest_mac):
    """Frame i that dpvm-igb expects: tag "HOST", 120 + 29 i pattern bytes."""
    return build_frame(guest_mac, HOST_MAC,
                       b"HOST" + bytes([i & 0xFF]) + pattern(120 + 29 * i, 0x80 + i))


def first_difference(a, b):
    if a is None or b is None:
        return "no frame"
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return "byte %d is 0x%02x, not 0x%02x" % (i, x, y)
    return "length %d, not %d" % (len(a), len(b)) if len(a) != len(b) else "equal"
