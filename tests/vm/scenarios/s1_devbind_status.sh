# (1) dpkit-devbind --status shows the igb NICs on the igb driver with
# their interface names; binding both to vfio-pci moves them, and --status
# shows them moved. No host side.

dpvm_modprobe igb vfio-pci vfio_iommu_type1
nics=$(dpvm_nics)
dpvm_check "two igb NICs in the guest" test "$(echo $nics | wc -w)" = 2

dpvm_status /tmp/before
for n in $nics; do
	ifn=$(dpvm_ifname "$n")
	dpvm_check "$n has a kernel interface ($ifn)" test -n "$ifn"
	dpvm_check "--status: $n on igb with if=$ifn" dpvm_status_has /tmp/before \
		"$DPVM_SEC_KERNEL" "$n" "drv=igb" "if=$ifn" "unused=vfio-pci"
done
dpvm_check "--status: nothing on a DPDK-compatible driver yet" \
	test "$(dpvm_section /tmp/before "$DPVM_SEC_DPDK")" = "<none>"

dpvm_check "dpkit-devbind --bind=vfio-pci (both NICs)" \
	dpvm_run dpvm_devbind --bind=vfio-pci $nics
for n in $nics; do
	g=$(dpvm_iommu_group "$n")
	dpvm_check "$n is on vfio-pci" test "$(dpvm_driver "$n")" = vfio-pci
	dpvm_check "$n: /dev/vfio/$g exists" test -c "/dev/vfio/$g"
	dpvm_check "$n: its interface is gone" test -z "$(dpvm_ifname "$n")"
done

dpvm_status /tmp/after
for n in $nics; do
	dpvm_check "--status: $n moved to vfio-pci" dpvm_status_has /tmp/after \
		"$DPVM_SEC_DPDK" "$n" "drv=vfio-pci" "unused=igb"
done
dpvm_check "--status: nothing left on a kernel driver" \
	test "$(dpvm_section /tmp/after "$DPVM_SEC_KERNEL")" = "<none>"
