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
pmd_bg l2fwd /tmp/l2fwd.out "^l2fwd: " dpkit-l2fwd $EAL -- -p 3 -T 0 --max-pkts $N
wait "$PMD_PID"
dpvm_check "l2fwd: exited with status 0" test $? = 0
sed 's/^/  | /' /tmp/l2fwd.out
rx=$(awk '$1 == "Port" && $2 == "0" { print $4 }' /tmp/l2fwd.out)
tx=$(awk '$1 == "Port" && $2 == "1" { print $6 }' /tmp/l2fwd.out)
echo "DPVM-COUNT l2fwd rx=$rx tx=$tx"
dpvm_check "l2fwd: port 0 received $N, port 1 sent $N (got $rx, $tx)" \
	test "$rx" = "$N" -a "$tx" = "$N"
dpvm_check "l2fwd: every mbuf back in the pool" \
	grep -q "mbufs still in use after closing the ports: 0" /tmp/l2fwd.out

pmd_section "(4) RX interrupts through UIO INTx"
pmd_bg intr-idle /tmp/intr.out "forwards packets on" dpkit-testpmd $EAL -- \
	--forward-mode=io --nb-pkts=$NI --rx-intr
sleep 1
t0=$(pmd_cpu_ticks "$PMD_PID"); sleep 3; t1=$(pmd_cpu_ticks "$PMD_PID")
intr_ticks=$((t1 - t0))
dpvm_check "testpmd --rx-intr on UIO, idle: $intr_ticks CPU ticks in 3 s (near zero)" \
	test "$intr_ticks" -le 30
dpvm_ready intr-burst
wait "$PMD_PID"
dpvm_check "rx-intr: testpmd exited with status 0" test $? = 0
sed 's/^/  | /' /tmp/intr.out
dpvm_check "rx-intr: the queues share the INTx line" \
	grep -q "share one interrupt (UIO INTx)" /tmp/intr.out
rx=$(pmd_fwd_total /tmp/intr.out RX-packets)
tx=$(pmd_fwd_total /tmp/intr.out TX-packets)
echo "DPVM-COUNT intr-burst rx=$rx tx=$tx"
dpvm_check "rx-intr: the burst of $NI frames was forwarded in full (RX $rx, TX $tx)" \
	test "$rx" = "$NI" -a "$tx" = "$NI"
dpvm_check "rx-intr: the lcore slept and an RX interrupt woke it" \
	grep -Eq "rx-intr: lcore 1 slept [1-9][0-9]* times, [1-9][0-9]* woken" /tmp/intr.out
