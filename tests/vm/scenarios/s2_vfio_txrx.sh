# (2) A dpkit program probes both NICs through the PCI bus and VFIO
# (IOMMU on, IOVA = VA), reads MAC and STATUS, DMA-maps EAL hugepage memory,
# and exchanges frames with the host on one RX and one TX ring set up by
# hand (tests/vm/prog/dpvm_igb.c). Host side: s2_vfio_txrx.py.

dpvm_modprobe igb vfio-pci vfio_iommu_type1
dpvm_check "reserve 64 hugepages of 2 MB" dpvm_hugepages 64
for n in $(dpvm_nics); do
	dpvm_check "bind $n to vfio-pci" dpvm_bind "$n" vfio-pci
done
dpvm_prog dpvm-igb -l 0 -m 64 --log-level=bus.*:debug -- --mode txrx --frames 8 \
	--mac 52:54:00:00:00:10 --expect-iova va --expect-kdrv vfio-pci \
	--expect-ports 2
