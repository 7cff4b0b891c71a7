# SPDX-License-Identifier: BSD-3-Clause
"""Host side of scenario 4: feed the RX fault, check the TX fault frame."""

from frames import build_frame, HOST_MAC, host_test_frame, pattern
from vm import nic_mac

DESCRIPTION = "(4) a DMA to an IOVA that was never mapped is blocked by the IOMMU"
IOMMU = True
CMDLINE = "intel_iommu=on iommu=pt"
TIMEOUT = 90


def host(h):
    vm = h.vm
    nic, mac = vm.nics[0], nic_mac(0)
    vm.ready("fault-rx")
    # Descriptor 0 (mapped) gets the control frame, descriptor 1 (the
    # unmapped canary) the second one.
    h.check(nic.send(host_test_frame(0, mac)), "control frame sent")
    h.check(nic.send(build_frame(mac, HOST_MAC, b"FAULT" + pattern(200, 7))),
            "frame for the unmapped buffer sent")
    vm.ready("fault-tx")
    f = nic.recv(timeout=30, match=lambda f: len(f) == 200)
    if h.check(f is not None, "the NIC sent a frame from the unmapped buffer"):
        # The canary page holds 0xA5; the IOMMU must not let the NIC read it.
        h.check(0xA5 not in f,
                "that frame carries none of the canary's bytes (QEMU sends "
                "what the blocked read returned: %s...)" % f[:16].hex())
