# (8) Which 82576 features the igb PMD finds in QEMU's model: one port
# under vfio-pci, dpvm-features (tests/vm/prog/dpvm_features.c) checks
# packet types, RX checksum flags, RSS hashes, VLAN strip, unicast,
# broadcast and multicast filters against frames the host sends, sends
# frames whose checksums and VLAN tag the NIC must fill in, and checks the
# link-state interrupt. Host side: s8_igb_features.py.

dpvm_modprobe vfio-pci vfio_iommu_type1
dpvm_check "reserve 64 hugepages of 2 MB" dpvm_hugepages 64
nic=$(dpvm_nics | head -n 1)
dpvm_check "bind $nic to vfio-pci" dpvm_sysfs_bind "$nic" vfio-pci
dpvm_prog dpvm-features -l 0 -m 64 -a "$nic" --log-level=pmd.net.igb:debug
