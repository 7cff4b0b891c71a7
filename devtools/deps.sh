# Sourced by devtools/demo, devtools/test and .ci/run: installs the Debian
# packages a step needs, and nothing when they are already there.

# Packages needed to build dpkit and run its unit tests.
DP_BUILD_PACKAGES="gcc make meson ninja-build pkg-config libnuma-dev libpcap-dev libcmocka-dev python3"

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
