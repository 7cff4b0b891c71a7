# (6) The igb PMD under vfio-pci with the IOMMU on (IOVA = VA), in one
# boot: (1) dpkit-testpmd (io) and dpkit-l2fwd forward a few thousand
# frames of 60 to 1514 bytes, and jumbo frames, from NIC 0 to NIC 1; the
# host checks every byte and the counters of both sides; (3) 4 queues
# with RSS; (4) RX interrupt mode: idle CPU near zero, then a burst
# forwarded in full; (5) a broken IOVA (test hook) caught by the IOMMU.
# Host side: s6_igb_vfio.py.

. /dpvm/pmd.sh

N=3000		# frames per run (s6_igb_vfio.py sends as many)
NJ=200		# frames of the jumbo run, every 10th of 9000 bytes
NR=2000		# UDP frames of 64 flows for RSS
NI=500		# the burst that wakes the sleeping forwarder
NB=8		# frames that meet the broken IOVA
EAL="-l 0-1 -m 160 --log-level=pmd.net.igb:info"

dpvm_modprobe vfio-pci vfio_iommu_type1
dpvm_check "reserve 96 hugepages of 2 MB" dpvm_hugepages 96
for n in $(dpvm_nics); do
	dpvm_check "bind $n to vfio-pci" dpvm_sysfs_bind "$n" vfio-pci
done


pmd_section "(1) testpmd io, $N frames of 60-1514 bytes"
pmd_testpmd io /tmp/io.out $EAL -- --forward-mode=io --nb-pkts=$N
dpvm_check "io: testpmd exited with status 0" test $? = 0
dpvm_check "io: IOVA mode VA (vfio-pci, IOMMU)" grep -q "IOVA mode VA" /tmp/io.out
pmd_fwd_checks io /tmp/io.out $N

pmd_section "(1) testpmd io, jumbo frames (MTU 9000, scattered into mbuf chains)"
pmd_testpmd jumbo /tmp/jumbo.out $EAL -- --forward-mode=io --nb-pkts=$NJ --mtu=9000
dpvm_check "jumbo: testpmd exited with status 0" test $? = 0
pmd_fwd_checks jumbo /tmp/jumbo.out $NJ

pmd_section "(1) l2fwd, $N frames, MAC rewrite"
pmd_l2fwd_run $N $EAL

pmd_section "(3) multi-queue: 4 RX and 4 TX queues, RSS on IP addresses and UDP ports"
pmd_testpmd rss /tmp/rss.out $EAL -- --forward-mode=io --nb-pkts=$NR \
	--rxq=4 --txq=4 --rss-udp
dpvm_check "rss: testpmd exited with status 0" test $? = 0
pmd_fwd_checks rss /tmp/rss.out $NR
for q in 0 1 2 3; do
	c=$(pmd_xstat /tmp/rss.out 0 rx_q${q}_packets)
	dpvm_check "rss: RX queue $q of port 0 received part of the flows ($c frames)" \
		test "${c:-0}" -gt 0
done

pmd_section "(4) RX interrupts: idle CPU time, then a burst"
# Polling, for contrast: an idle port costs a whole CPU.
pmd_bg poll-idle /tmp/poll.out "forwards packets on" dpkit-testpmd $EAL -- \
	--forward-mode=io --duration=4
sleep 1
t0=$(pmd_cpu_ticks "$PMD_PID"); sleep 2; t1=$(pmd_cpu_ticks "$PMD_PID")
wait "$PMD_PID"
poll_ticks=$((t1 - t0))
dpvm_check "polling testpmd, idle: $poll_ticks CPU ticks in 2 s (a busy lcore)" \
	test "$poll_ticks" -ge 100
pmd_intr_run "a vector per queue" $NI $EAL

pmd_section "(5) a DMA to a broken IOVA (test hook) is stopped by the IOMMU"
dmesg -c > /dev/null
pmd_testpmd iommu /tmp/iommu.out $EAL -a 0000:01:00.0,test_iova_offset=0x10000000000 \
	-a 0000:02:00.0 -- --forward-mode=io --nb-pkts=$NB
dpvm_check "iommu: testpmd exited with status 0" test $? = 0
bad=$(sed -n 's/.*test hook: buffer addresses moved by .* (first one 0x\([0-9a-f]*\)).*/\1/p' /tmp/iommu.out | head -n 1)
page=$(echo "$bad" | sed 's/...$/000/')
dpvm_log "DMAR lines:"
dmesg | grep -i dmar | sed 's/^/  | /'
dpvm_check "iommu: the PMD moved RX buffer addresses (first 0x$bad)" test -n "$bad"
dpvm_check "iommu: DMAR fault for the NIC's write to 0x$page (the hooked IOVA)" \
	sh -c "dmesg | grep -i 'DMA Write' | grep -qi 'fault addr 0x$page'"
