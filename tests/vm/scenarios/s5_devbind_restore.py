# SPDX-License-Identifier: BSD-3-Clause
"""Host side of scenario 5: talk to the restored kernel interface."""

import struct

from frames import build_frame, HOST_MAC, mac_bytes, pattern
from vm import nic_mac

DESCRIPTION = "(5) unbinding back to igb restores a working interface"
IOMMU = True
CMDLINE = "intel_iommu=on iommu=pt"
TIMEOUT = 90


def host(h):
    vm = h.vm
    nic, mac = vm.nics[0], nic_mac(0)
    vm.ready("restored")
    sent = sum(nic.send(build_frame(mac, HOST_MAC, pattern(64, i), 0x88B5))
               for i in range(5))
    h.check(sent == 5, "host sent 5 frames to the restored interface")
    vm.ready("arp-sent")

    def arp_from_guest(f):
        return (len(f) >= 42 and struct.unpack_from("!H", f, 12)[0] == 0x0806
                and f[6:12] == mac_bytes(mac) and f[38:42] == bytes([10, 99, 0, 1]))

    f = nic.recv(timeout=10, match=arp_from_guest)
    h.check(f is not None, "the restored interface's ARP request for 10.99.0.1 "
            "reached the host")
