# SPDX-License-Identifier: BSD-3-Clause
"""Scenario 1 runs in the guest only."""

DESCRIPTION = "(1) devbind --status shows the NICs on igb, --bind=vfio-pci moves them"
IOMMU = True
CMDLINE = "intel_iommu=on iommu=pt"
TIMEOUT = 60
