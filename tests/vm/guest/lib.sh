# SPDX-License-Identifier: BSD-3-Clause
# Helpers for guest scenarios (busybox sh). Sourced by /init before the
# scenario; scenarios use only these and busybox.
#
# Lines for the host (the harness parses the serial log):
#   DPVM-CHECK ok <what>        a check passed
#   DPVM-CHECK FAIL <what>      a check failed (the output follows, "  | ")
#   DPVM-READY <token>          the guest waits for the host to act
#   DPVM-RESULT PASS|FAIL ...   the verdict, printed once by /init

DPVM_FAILS=/tmp/dpvm.fails
: > "$DPVM_FAILS"

# Intel 82576 (QEMU's igb model).
DPVM_NIC_ID="0x8086 0x10c9"

dpvm_log() {
	echo "dpvm: $*"
}

dpvm_pass() {
	echo "DPVM-CHECK ok $*"
}

dpvm_fail() {
	echo "DPVM-CHECK FAIL $*"
	echo "$*" >> "$DPVM_FAILS"
}

# dpvm_check WHAT CMD...: run CMD, a check named WHAT; its output is shown
# when it fails.
dpvm_check() {
	local what=$1 out=/tmp/dpvm.check.out
	shift
	if "$@" > "$out" 2>&1; then
		dpvm_pass "$what"
	else
		dpvm_fail "$what"
		sed 's/^/  | /' "$out"
	fi
}

# dpvm_run CMD...: run and show CMD and its output; returns its status.
dpvm_run() {
	local out=/tmp/dpvm.run.out rc
	echo "+ $*"
	"$@" > "$out" 2>&1
	rc=$?
	sed 's/^/  | /' "$out"
	return $rc
}

# dpvm_ready TOKEN: tell the host the guest is ready for TOKEN.
dpvm_ready() {
	echo "DPVM-READY $*"
}

dpvm_verdict() {
	local rc=$1 n
	[ "$rc" = 0 ] || dpvm_fail "scenario script exited with status $rc"
	n=$(wc -l < "$DPVM_FAILS")
	if [ "$n" = 0 ]; then
		echo "DPVM-RESULT PASS"
	else
		echo "--- last kernel messages"
		dmesg | tail -n 40 | sed 's/^/  | /'
		echo "DPVM-RESULT FAIL $n check(s) failed: $(head -n 1 "$DPVM_FAILS")"
	fi
}

# dpvm_modprobe MOD...: load modules (and their dependencies).
dpvm_modprobe() {
	local m
	for m in "$@"; do
		modprobe "$m" || dpvm_fail "modprobe $m"
	done
}

# dpvm_nics: PCI addresses of the emulated igb NICs, sorted.
dpvm_nics() {
	local d
	for d in /sys/bus/pci/devices/*; do
		[ "$(cat "$d/vendor") $(cat "$d/device")" = "$DPVM_NIC_ID" ] &&
			basename "$d"
	done | sort
}

# dpvm_driver BDF: the driver a device is bound to, "none" if none.
dpvm_driver() {
	local l=/sys/bus/pci/devices/$1/driver
	if [ -L "$l" ]; then
		basename "$(readlink "$l")"
	else
		echo none
	fi
}

# dpvm_ifname BDF: the kernel interface of a device, empty if none.
dpvm_ifname() {
	ls "/sys/bus/pci/devices/$1/net" 2>/dev/null | head -n 1
}

# dpvm_iommu_group BDF: its IOMMU group number, empty if none.
dpvm_iommu_group() {
	local l=/sys/bus/pci/devices/$1/iommu_group
	[ -L "$l" ] && basename "$(readlink "$l")"
}

# dpvm_sysfs_bind BDF DRIVER: bind through sysfs directly (no devbind):
# unbind, driver_override, drivers_probe, clear the override.
dpvm_sysfs_bind() {
	local bdf=$1 drv=$2 dev=/sys/bus/pci/devices/$1
	[ -L "$dev/driver" ] && echo "$bdf" > "$dev/driver/unbind"
	echo "$drv" > "$dev/driver_override"
	echo "$bdf" > /sys/bus/pci/drivers_probe
	echo > "$dev/driver_override"
	[ "$(dpvm_driver "$bdf")" = "$drv" ]
}

# dpvm_wait SECONDS CMD...: retry CMD every 0.1 s until it succeeds.
dpvm_wait() {
	local n=$(($1 * 10))
	shift
	while [ $n -gt 0 ]; do
		"$@" > /dev/null 2>&1 && return 0
		usleep 100000
		n=$((n - 1))
	done
	return 1
}

# dpvm_hugepages N: reserve N 2 MB hugepages.
dpvm_hugepages() {
	echo "$1" > /proc/sys/vm/nr_hugepages
	[ "$(cat /proc/sys/vm/nr_hugepages)" -ge "$1" ]
}

# dpvm_devbind ARGS...: the project's own devbind.
dpvm_devbind() {
	python3 /dpvm/usertools/dpkit-devbind.py "$@"
}

# dpvm_bind BDF DRIVER: bind with the project's devbind when the guest has
# it, else through sysfs.
dpvm_bind() {
	if [ -f /dpvm/usertools/dpkit-devbind.py ]; then
		dpvm_devbind --bind="$2" "$1" && [ "$(dpvm_driver "$1")" = "$2" ]
	else
		dpvm_sysfs_bind "$1" "$2"
	fi
}

# dpvm_prog PROG ARGS...: run a dpkit test program (its DPVM-CHECK lines go
# to the console); a failed check of the program fails the scenario.
dpvm_prog() {
	local rc
	echo "+ $*"
	"$@"
	rc=$?
	[ $rc = 0 ] || dpvm_fail "$1 exited with status $rc"
	return $rc
}

# dpvm_section FILE TITLE: the lines of one section of devbind --status
# output (between the title's underline and the next empty line).
dpvm_section() {
	awk -v t="$2" '
		$0 == t { getline; on = 1; next }
		on && $0 == "" { exit }
		on { print }' "$1"
}

# dpvm_status_has FILE TITLE BDF WORDS...: the BDF's line in that section
# contains every word.
dpvm_status_has() {
	local file=$1 title=$2 bdf=$3 line w
	shift 3
	line=$(dpvm_section "$file" "$title" | grep "^$bdf ")
	[ -n "$line" ] || { echo "$bdf not in '$title'"; return 1; }
	for w in "$@"; do
		case " $line " in
		*" $w "*) ;;
		*) echo "'$w' not in: $line"; return 1 ;;
		esac
	done
}

DPVM_SEC_DPDK="Network devices using DPDK-compatible driver"
DPVM_SEC_KERNEL="Network devices using kernel driver"
DPVM_SEC_OTHER="Other Network devices"

# dpvm_status FILE: dpkit-devbind --status into FILE, shown on the console.
dpvm_status() {
	echo "+ dpkit-devbind.py --status"
	dpvm_devbind --status > "$1" 2>&1
	sed 's/^/  | /' "$1"
}
