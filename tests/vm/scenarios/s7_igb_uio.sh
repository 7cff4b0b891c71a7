# (7) The igb PMD through uio_pci_generic with the IOMMU off: the EAL
# picks IOVA = PA (physical addresses from /proc/self/pagemap) and the NICs
# DMA straight to them. (2) testpmd io and l2fwd forward a few thousand
# frames of 60 to 1514 bytes, every byte and counter checked; RX interrupt
# mode through the one INTx line UIO offers (shared by the queues).
# Host side: s7_igb_uio.py.

. /dpvm/pmd.sh

N=3000		# frames per run (s7_igb_uio.py sends as many)
NI=500		# the burst that wakes the sleeping forwarder
EAL="-l 0-1 -m 160 --log-level=pmd.net.igb:info"

dpvm_modprobe uio_pci_generic
dpvm_check "reserve 96 hugepages of 2 MB" dpvm_hugepages 96
dpvm_check "no IOMMU groups (IOMMU off)" test -z "$(ls /sys/kernel/iommu_groups 2>/dev/null)"
for n in $(dpvm_nics); do
	dpvm_check "bind $n to uio_pci_generic" dpvm_sysfs_bind "$n" uio_pci_generic
done

pmd_section "(2) testpmd io through UIO, $N frames of 60-1514 bytes"
pmd_testpmd io /tmp/io.out $EAL -- --forward-mode=io --nb-pkts=$N
dpvm_check "io: testpmd exited with status 0" test $? = 0
dpvm_check "io: IOVA mode PA (uio_pci_generic)" grep -q "IOVA mode PA" /tmp/io.out
pmd_fwd_checks io /tmp/io.out $N

pmd_section "(2) l2fwd through UIO, $N frames, MAC rewrite"
pmd_l2fwd_run $N $EAL

pmd_section "(4) RX interrupts through UIO INTx"
pmd_intr_run "UIO INTx" $NI $EAL
dpvm_check "rx-intr: the queues share the INTx line" \
	grep -q "share one interrupt (UIO INTx)" /tmp/intr.out
