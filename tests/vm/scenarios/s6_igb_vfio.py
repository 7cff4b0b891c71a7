# SPDX-License-Identifier: BSD-3-Clause
"""Host side of scenario 6: the wires at both ends of the forwarder."""

import struct

from frames import (Collector, ETHERTYPE_TEST, HOST_MAC, ethertype,
                    first_difference, fwd_frame, fwd_frame_size, fwd_seq,
                    mac_bytes, pattern, send_wait, udp_frame)
from vm import nic_mac

DESCRIPTION = ("(6) igb PMD, vfio-pci + IOMMU: testpmd io, l2fwd, jumbo, RSS over 4 "
               "queues, RX interrupts, a broken IOVA caught by the IOMMU")
IOMMU = True
CMDLINE = "intel_iommu=on iommu=pt"
TIMEOUT = 120
MEM = 512

N = 3000
NJ = 200
JUMBO = 9000


def forward(h, token, n, jumbo=0, rewrite=None):
    """Send n frames into NIC 0, check each comes out of NIC 1 in order,
    identical (apart from the MAC addresses if @rewrite = (dst, src)),
    and that the guest's counters agree with ours."""
    vm = h.vm
    vm.ready(token, timeout=60)
    col = Collector(vm.nics[1], match=lambda f: ethertype(f) == ETHERTYPE_TEST)
    sent = []
    for i in range(n):
        f = fwd_frame(i, fwd_frame_size(i, jumbo), nic_mac(0))
        if col.send(vm.nics[0], f):
            sent.append(f)
    h.check(len(sent) == n, "%s: host sent %d of %d frames into NIC 0" %
            (token, len(sent), n))
    col.wait(n, 60)
    got = col.stop()
    bad = 0
    for i, f in enumerate(got):
        want = sent[i] if i < len(sent) else None
        if want is not None and rewrite:
            want = mac_bytes(rewrite[0]) + mac_bytes(rewrite[1]) + want[12:]
        if f != want:
            if bad < 3:
                h.check(False, "%s: frame %d (seq %s): %s" %
                        (token, i, fwd_seq(f), first_difference(f, want)))
            bad += 1
    sizes = sorted(len(f) for f in got)
    h.check(len(got) == n and bad == 0,
            "%s: host received %d of %d frames on NIC 1, %d differ (sizes %s to %s)"
            % (token, len(got), n, bad, sizes[0] if sizes else "-",
               sizes[-1] if sizes else "-"))
    m = vm.wait_line(r"^DPVM-COUNT %s rx=(\d*) tx=(\d*)" % token, timeout=60)
    if h.check(m, "%s: guest reported its counters" % token):
        h.check(m.group(1) == str(len(sent)) and m.group(2) == str(len(got)),
                "%s: guest counted %s received / %s sent, host sent %d / "
                "received %d" % (token, m.group(1), m.group(2), len(sent),
                                 len(got)))


def host(h):
    forward(h, "io", N)
    forward(h, "jumbo", NJ, jumbo=JUMBO)
    # l2fwd: destination 02:00:00:00:00:<out port>, source the port's MAC.
    forward(h, "l2fwd", N, rewrite=("02:00:00:00:00:01", nic_mac(1)))


NR = 2000
NI = 500
NB = 8


def rss(h, token, n, flows=64):
    """UDP frames of @flows flows into NIC 0; every one out of NIC 1, in
    any order (four queues), the bytes unchanged."""
    vm = h.vm
    vm.ready(token, timeout=60)
    col = Collector(vm.nics[1], match=lambda f: len(f) >= 46 and
                    f[12:14] == b"\x08\x00")
    sent = {}
    for i in range(n):
        flow = i % flows
        f = udp_frame(nic_mac(0), HOST_MAC, [198, 18, 0, 1 + flow % 16],
                      [198, 18, 0, 200], 1024 + flow, 9,
                      struct.pack("!I", i) + pattern(64 + i % 200, i & 0xFF))
        if col.send(vm.nics[0], f):
            sent[i] = f
    h.check(len(sent) == n, "%s: host sent %d of %d UDP frames of %d flows"
            % (token, len(sent), n, flows))
    col.wait(n, 60)
    got = col.stop()
    seqs = {}
    for f in got:
        seqs[struct.unpack_from("!I", f, 42)[0]] = f
    same = sum(1 for s, f in seqs.items() if sent.get(s) == f)
    h.check(len(got) == n and same == n,
            "%s: host received %d frames, %d distinct, %d identical to what "
            "was sent" % (token, len(got), len(seqs), same))
    m = vm.wait_line(r"^DPVM-COUNT %s rx=(\d*) tx=(\d*)" % token, timeout=60)
    if h.check(m, "%s: guest reported its counters" % token):
        h.check(m.group(1) == str(len(sent)) and m.group(2) == str(len(got)),
                "%s: guest counted %s received / %s sent, host %d / %d" %
                (token, m.group(1), m.group(2), len(sent), len(got)))


def iommu(h, token, n):
    """Frames into NIC 0 while its RX buffers point where the IOMMU maps
    nothing: the forwarder still gets the descriptors back (QEMU writes
    them), but none of the frames' bytes reached memory."""
    vm = h.vm
    vm.ready(token, timeout=60)
    col = Collector(vm.nics[1])
    sent = [fwd_frame(i, 300 + i, nic_mac(0)) for i in range(n)]
    for f in sent:
        send_wait(vm.nics[0], f, timeout=20)
    col.wait(n, 30)
    got = col.stop()
    leaked = sum(1 for f in got if f in sent or b"\x88\xb5" in f[12:14])
    h.check(leaked == 0, "%s: none of the %d frames forwarded from the "
            "unmapped buffers carries the bytes the host sent (%d do)" %
            (token, len(got), leaked))


def host(h):
    forward(h, "io", N)
    forward(h, "jumbo", NJ, jumbo=JUMBO)
    # l2fwd: destination 02:00:00:00:00:<out port>, source the port's MAC.
    forward(h, "l2fwd", N, rewrite=("02:00:00:00:00:01", nic_mac(1)))
    rss(h, "rss", NR)
    forward(h, "intr-burst", NI)
    iommu(h, "iommu", NB)
