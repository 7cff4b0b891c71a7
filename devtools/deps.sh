# Sourced by devtools/demo, devtools/test and .ci/run: installs the Debian
# packages a step needs, and nothing when they are already there.

# Packages needed to build dpkit and run its unit tests.
# libedit-dev: the dpkit-testpmd prompt (examples).
DP_BUILD_PACKAGES="gcc make meson ninja-build pkg-config libnuma-dev libpcap-dev libcmocka-dev libedit-dev python3"

# Packages the test suites use besides the build: tcpdump reads the pcap
# files of the pcap forwarding test (a reader independent of dpkit);
# iproute2 makes the veth pairs and namespaces of the af_packet test and
# the demo, iputils-ping the demo's pings.
DP_TEST_PACKAGES="tcpdump iproute2 iputils-ping"

dp_missing_packages() {
	local p missing=""
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
			missing="$missing $p"
	done
	echo "$missing"
}

# dp_need_packages PKG...: apt-get install what is missing (quietly).
dp_need_packages() {
	local missing
	missing=$(dp_missing_packages "$@")
	[ -z "$missing" ] && return 0
	if [ "$(id -u)" != 0 ]; then
		echo "missing Debian packages:$missing" >&2
		echo "run as root, or: sudo apt-get install$missing" >&2
		return 1
	fi
	echo "installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get -qq update >/dev/null
	apt-get -qq install -y --no-install-recommends $missing >/dev/null
}

# dp_build DIR [meson options...]: configure once, then build.
dp_build() {
	local dir=$1; shift
	if [ ! -f "$dir/build.ninja" ]; then
		meson setup "$dir" "$@" >/dev/null
	fi
	ninja -C "$dir" >/dev/null
}

# Packages for the QEMU guest tests (meson suite vm): busybox-static and
# cpio build the guest's initramfs, xz-utils unpacks kernel modules.
DP_VM_PACKAGES="busybox-static cpio xz-utils"

# dp_need_vm_packages: the above, plus a QEMU with the igb NIC model, which
# on Debian 12 means qemu-system-x86 from bookworm-backports (bookworm's
# 7.2 has no igb). Adds the backports source when it is missing. Without
# root it only warns: the vm suite then skips.
dp_need_vm_packages() {
	local missing list=/etc/apt/sources.list.d/backports.list codename=""
	missing=$(dp_missing_packages $DP_VM_PACKAGES)
	if qemu-system-x86_64 -device help 2>/dev/null | grep -q '"igb"'; then
		[ -z "$missing" ] && return 0
		dp_need_packages $DP_VM_PACKAGES
		return
	fi
	if [ "$(id -u)" != 0 ]; then
		echo "warning: no QEMU with the igb model: the vm test suite will be" \
			"skipped (as root, devtools/test installs qemu-system-x86 from" \
			"bookworm-backports)" >&2
		return 0
	fi
	[ -r /etc/os-release ] && codename=$(. /etc/os-release; echo "${VERSION_CODENAME:-}")
	export DEBIAN_FRONTEND=noninteractive
	if [ "$codename" = bookworm ]; then
		if ! grep -Rqs "bookworm-backports" /etc/apt/sources.list /etc/apt/sources.list.d/; then
			echo "adding the bookworm-backports source ($list)"
			echo "deb http://deb.debian.org/debian bookworm-backports main" > "$list"
		fi
		echo "installing: qemu-system-x86 (bookworm-backports)$missing"
		apt-get -qq update >/dev/null
		apt-get -qq install -y --no-install-recommends -t bookworm-backports \
			qemu-system-x86 >/dev/null
	else
		echo "installing: qemu-system-x86$missing"
		apt-get -qq update >/dev/null
		apt-get -qq install -y --no-install-recommends qemu-system-x86 >/dev/null
	fi
	[ -z "$missing" ] || apt-get -qq install -y --no-install-recommends $missing >/dev/null
}

# dp_hugepages_ready N: as root, make sure N 2 MB hugepages are free and a
# hugetlbfs mount of that size exists: nr_hugepages is raised by what is
# missing (never lowered: other processes may hold pages) and /dev/hugepages
# is mounted if nothing is. Prints one line per change it makes. Returns 1
# with the reason in DP_HUGE_WHY when it cannot.
dp_hugepages_ready() {
	local want=$1 sys=/sys/kernel/mm/hugepages/hugepages-2048kB avail nr
	DP_HUGE_WHY=""
	if [ "$(id -u)" != 0 ]; then
		DP_HUGE_WHY="not root, so no hugepages can be reserved"
		return 1
	fi
	if [ ! -w "$sys/nr_hugepages" ]; then
		DP_HUGE_WHY="this kernel has no 2 MB hugepages"
		return 1
	fi
	avail=$(( $(<"$sys/free_hugepages") - $(<"$sys/resv_hugepages") ))
	if [ "$avail" -lt "$want" ]; then
		nr=$(<"$sys/nr_hugepages")
		echo $((nr + want - avail)) > "$sys/nr_hugepages" 2>/dev/null || true
		avail=$(( $(<"$sys/free_hugepages") - $(<"$sys/resv_hugepages") ))
		if [ "$avail" -lt "$want" ]; then
			DP_HUGE_WHY="only $avail free 2 MB hugepages could be had ($want wanted)"
			return 1
		fi
		echo "reserved 2 MB hugepages: nr_hugepages $nr -> $(<"$sys/nr_hugepages")"
	fi
	if ! grep -qE '^[^ ]+ [^ ]+ hugetlbfs [^ ]*pagesize=2M' /proc/mounts; then
		if ! { mkdir -p /dev/hugepages &&
		       mount -t hugetlbfs -o pagesize=2M nodev /dev/hugepages; } 2>/dev/null; then
			DP_HUGE_WHY="hugetlbfs cannot be mounted on /dev/hugepages"
			return 1
		fi
		echo "mounted hugetlbfs (2 MB pages) on /dev/hugepages"
	fi
	return 0
}
