# (3) Scenario 2 through uio_pci_generic with the IOMMU off: the EAL must
# pick IOVA = PA (physical addresses from /proc/self/pagemap) and the NIC
# DMAs straight to them. Interrupts are INTx through /dev/uioN. Host side:
# s3_uio_txrx.py.

dpvm_modprobe igb uio_pci_generic
dpvm_check "reserve 64 hugepages of 2 MB" dpvm_hugepages 64
dpvm_check "no IOMMU groups (IOMMU off)" test -z "$(ls /sys/kernel/iommu_groups 2>/dev/null)"
for n in $(dpvm_nics); do
	dpvm_check "bind $n to uio_pci_generic" dpvm_bind "$n" uio_pci_generic
done
dpvm_prog dpvm-igb -l 0 -m 64 --log-level=bus.*:debug -- --mode txrx --frames 8 \
	--mac 52:54:00:00:00:10 --expect-iova pa --expect-kdrv uio_pci_generic \
	--expect-ports 2
