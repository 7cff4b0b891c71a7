# SPDX-License-Identifier: BSD-3-Clause
"""Host side of scenario 7: the same wires as scenario 6."""

import importlib.util
import os

_spec = importlib.util.spec_from_file_location(
    "s6", os.path.join(os.path.dirname(os.path.abspath(__file__)), "s6_igb_vfio.py"))
_s6 = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_s6)

DESCRIPTION = ("(7) igb PMD through uio_pci_generic, IOMMU off, IOVA=PA: testpmd "
               "io, l2fwd, RX interrupts over INTx")
IOMMU = False
CMDLINE = "intel_iommu=off"
TIMEOUT = 90
MEM = 512

N = 3000
NI = 500


def host(h):
    _s6.forward(h, "io", N)
    _s6.forward(h, "l2fwd", N, rewrite=("02:00:00:00:00:01", _s6.nic_mac(1)))
    _s6.forward(h, "intr-burst", NI)
