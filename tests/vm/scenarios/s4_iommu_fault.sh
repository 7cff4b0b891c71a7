# (4) The IOMMU blocks DMA to an IOVA that was never mapped: an RX
# descriptor and a TX descriptor point at a page of ordinary process memory
# (never DMA-mapped). The page must stay intact, the kernel must log a DMAR
# fault for its address, and the frame the NIC sends from it must not carry
# its bytes. Host side: s4_iommu_fault.py.

dpvm_modprobe igb vfio-pci vfio_iommu_type1
dpvm_check "reserve 64 hugepages of 2 MB" dpvm_hugepages 64
nic=$(dpvm_nics | head -n 1)
dpvm_check "bind $nic to vfio-pci" dpvm_bind "$nic" vfio-pci
dmesg -c > /dev/null
dpvm_prog dpvm-igb -l 0 -m 64 -a "$nic" -- --mode fault \
	--expect-iova va --expect-kdrv vfio-pci --expect-ports 1 | tee /tmp/fault.out
canary=$(sed -n 's/^dpvm: canary IOVA 0x\([0-9a-f]*\) done$/\1/p' /tmp/fault.out)
dpvm_log "DMAR lines:"
dmesg | grep -i dmar | sed 's/^/  | /'
# The fault record names the page; the IOMMU reports it page-aligned.
page=$(echo "$canary" | sed 's/...$/000/')
dpvm_check "DMAR fault logged for a DMA write to the canary page ($page)" \
	sh -c "dmesg | grep -i 'DMA Write' | grep -qi 'fault addr 0x$page'"
dpvm_check "DMAR fault logged for a DMA read of the canary page ($page)" \
	sh -c "dmesg | grep -i 'DMA Read' | grep -qi 'fault addr 0x$page'"
