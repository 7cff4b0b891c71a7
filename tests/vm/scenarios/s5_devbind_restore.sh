# (5) Unbinding back to igb restores the interface: both NICs go to
# vfio-pci; one comes back with --bind=igb directly, the other through -u
# (no driver) and then --bind=igb. Each gets its interface back under the
# same name, and the restored interface works: it receives the frames the
# host sends and its ARP request reaches the host. Host side:
# s5_devbind_restore.py.

dpvm_modprobe igb vfio-pci vfio_iommu_type1
nics=$(dpvm_nics)
set -- $nics
a=$1 b=$2
ifa=$(dpvm_ifname "$a")
ifb=$(dpvm_ifname "$b")
dpvm_log "before: $a=$ifa $b=$ifb"

dpvm_check "dpkit-devbind --bind=vfio-pci (both NICs)" \
	dpvm_run dpvm_devbind --bind=vfio-pci $nics
dpvm_check "both on vfio-pci, interfaces gone" \
	test "$(dpvm_driver "$a")$(dpvm_driver "$b")$(dpvm_ifname "$a")$(dpvm_ifname "$b")" = vfio-pcivfio-pci

# A: straight back to igb.
dpvm_check "dpkit-devbind --bind=igb $a" dpvm_run dpvm_devbind --bind=igb "$a"
dpvm_check "$a is on igb again" test "$(dpvm_driver "$a")" = igb
dpvm_check "$a has its interface $ifa back" test "$(dpvm_ifname "$a")" = "$ifa"

# B: unbind (-u) first, then igb.
dpvm_check "dpkit-devbind -u $b" dpvm_run dpvm_devbind -u "$b"
dpvm_check "$b has no driver" test "$(dpvm_driver "$b")" = none
dpvm_status /tmp/unbound
dpvm_check "--status: $b under other devices, no drv=" dpvm_status_has \
	/tmp/unbound "$DPVM_SEC_OTHER" "$b" "unused=igb,vfio-pci"
dpvm_check "dpkit-devbind --bind=igb $b" dpvm_run dpvm_devbind --bind=igb "$b"
dpvm_check "$b has its interface $ifb back" test "$(dpvm_ifname "$b")" = "$ifb"

dpvm_status /tmp/restored
for n in $nics; do
	dpvm_check "--status: $n on igb with its interface" dpvm_status_has \
		/tmp/restored "$DPVM_SEC_KERNEL" "$n" "drv=igb" \
		"if=$(dpvm_ifname "$n")"
done

# The restored interface works, both ways.
dpvm_run ip link set "$ifa" up
dpvm_run ip addr add 10.99.0.2/24 dev "$ifa"
dpvm_check "$ifa: carrier up" dpvm_wait 10 grep -q 1 "/sys/class/net/$ifa/carrier"
rx0=$(cat "/sys/class/net/$ifa/statistics/rx_packets")
dpvm_ready restored
dpvm_wait 20 sh -c "[ \$((\$(cat /sys/class/net/$ifa/statistics/rx_packets) - $rx0)) -ge 5 ]"
rx1=$(cat "/sys/class/net/$ifa/statistics/rx_packets")
dpvm_check "$ifa received the host's 5 frames (rx_packets $rx0 -> $rx1)" \
	test $((rx1 - rx0)) -ge 5
dpvm_run arping -c 2 -w 3 -I "$ifa" 10.99.0.1
dpvm_ready arp-sent
