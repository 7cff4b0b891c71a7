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

# VFIO needs no root: an ordinary user who owns /dev/vfio/N (what
# dpkit-devbind --uid does) runs the same program. First with a locked-
# memory limit too small for the DMA mapping, which must say how to fix
# it, then with the limit raised.
nic=$(dpvm_nics | head -n 1)
g=$(dpvm_iommu_group "$nic")
chown 1000:1000 "/dev/vfio/$g"
chmod 1777 /dev/hugepages
echo "dpvm:x:1000:1000:dpvm:/tmp:/bin/sh" >> /etc/passwd
echo "dpvm:x:1000:" >> /etc/group
asuser() {
	su dpvm -s /bin/sh -c "PATH=$PATH; $*"
}
(ulimit -l 1024; asuser dpvm-igb -l 0 -m 64 -a "$nic" -- --mode probe \
	> /tmp/lowlimit.out 2>&1)
sed 's/^/  | /' /tmp/lowlimit.out
dpvm_check "non-root, memlock 1 MB: the RLIMIT_MEMLOCK error names the fix" \
	grep -q "raise it with 'ulimit -l unlimited'" /tmp/lowlimit.out
(ulimit -l unlimited; dpvm_prog asuser dpvm-igb -l 0 -m 64 -a "$nic" -- \
	--mode probe --expect-iova va --expect-ports 1)
