# SPDX-License-Identifier: BSD-3-Clause
"""Host side of scenario 2: the wire at the other end of the first NIC."""

from frames import first_difference, guest_test_frame, host_test_frame
from vm import nic_mac

DESCRIPTION = "(2) probe through the PCI bus + VFIO, IOVA=VA, TX/RX with the host"
IOMMU = True
CMDLINE = "intel_iommu=on iommu=pt"
TIMEOUT = 90


def exchange(h):
    """Send the guest its frames, check the ones it sends (both scenarios
    2 and 3)."""
    vm = h.vm
    m = vm.wait_line(r"^DPVM-READY rx (\d+)")
    if not h.check(m, "guest set up its RX ring"):
        return
    n = int(m.group(1))
    nic, mac = vm.nics[0], nic_mac(0)
    sent = sum(nic.send(host_test_frame(i, mac)) for i in range(n))
    h.check(sent == n, "host sent %d of %d frames to the guest" % (sent, n))
    good = 0
    for i in range(n):
        f = nic.recv_test(timeout=30)
        want = guest_test_frame(i, mac)
        if f == want:
            good += 1
        else:
            h.check(False, "guest frame %d: %s" % (i, first_difference(f, want)))
    h.check(good == n, "host received %d of %d guest frames, every byte right"
            % (good, n))


host = exchange
