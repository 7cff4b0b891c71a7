# (6) The igb PMD under vfio-pci with the IOMMU on (IOVA = VA): dpkit-
# testpmd (io) and dpkit-l2fwd forward a few thousand frames of 60 to
# 1514 bytes (and jumbo frames) from NIC 0 to NIC 1; the host checks every
# byte and the counters of both sides. Host side: s6_igb_vfio.py.

. /dpvm/pmd.sh

N=3000		# frames per run (s6_igb_vfio.py sends as many)
NJ=200		# frames of the jumbo run, every 10th of 9000 bytes
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
