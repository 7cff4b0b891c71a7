# SPDX-License-Identifier: BSD-3-Clause
"""Host side of scenario 3: the same exchange as scenario 2."""

import importlib.util
import os

_spec = importlib.util.spec_from_file_location(
    "s2", os.path.join(os.path.dirname(os.path.abspath(__file__)), "s2_vfio_txrx.py"))
_s2 = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_s2)

DESCRIPTION = "(3) the same through uio_pci_generic, IOMMU off, IOVA=PA"
IOMMU = False
CMDLINE = "intel_iommu=off"
TIMEOUT = 90
host = _s2.exchange
