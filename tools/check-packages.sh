#!/bin/bash
# "make check" stage: the Debian packages and what they install.
#
# Builds ikevti and ikevti-dkms with dpkg-buildpackage from a copy of the
# tree (what git tracks, as a clean clone has it), checks them with
# lintian, verifies the systemd units, renders the man pages; then, as
# root on a host where ikevti is not installed, installs both packages,
# checks "ip" loads the installed plugin without IP_LIB_DIR, has DKMS
# build the module for the 6.1 headers' kernel, reads the version back
# with modinfo, and purges everything again (the host is left as found).
# TAP output.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/ikevti-pkg.XXXXXX)
trap 'rm -rf "$work"' EXIT
n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $*"; }
skip() { n=$((n + 1)); echo "ok $n - $* # SKIP"; }
check() {	# check "description" command...
	local what=$1
	shift
	if "$@" >"$work/out" 2>&1; then ok "$what"; else
		not_ok "$what"; sed 's/^/# /' "$work/out" | tail -n 20; fi
}

version=$(make -s -C "$top" --no-print-directory version)
mkdir -p "$work/src"
(cd "$top" && git ls-files -z --cached --others --exclude-standard |
	grep -zv '^\.cache$' | xargs -0 cp --parents -t "$work/src")

check "dpkg-buildpackage -us -uc builds ikevti and ikevti-dkms $version" \
	sh -c "cd '$work/src' && dpkg-buildpackage -us -uc"
deb="$work/ikevti_${version}_amd64.deb"
dkms_deb="$work/ikevti-dkms_${version}_all.deb"
check "lintian: no error or warning" \
	lintian --fail-on error,warning "$work/ikevti_${version}_amd64.changes"

# What the administrator relies on, by path.
contents=$(dpkg-deb -c "$deb" 2>/dev/null; dpkg-deb -c "$dkms_deb" 2>/dev/null)
for f in ./usr/sbin/ikevtid ./usr/sbin/ikevtictl \
	./usr/lib/x86_64-linux-gnu/ip/link_ikevti.so \
	./lib/systemd/system/ikevtid.service \
	./lib/systemd/system/ikevtid@.service \
	./lib/udev/rules.d/90-ikevti.rules \
	./usr/share/man/man8/ikevtid.8.gz ./usr/share/man/man8/ikevtictl.8.gz \
	./usr/share/man/man8/ikevti.8.gz ./usr/share/man/man5/ikevti.conf.5.gz \
	./usr/share/bash-completion/completions/ikevtictl \
	"./usr/src/ikevti-$version/dkms.conf" \
	"./usr/src/ikevti-$version/kmod/main.c"; do
	if grep -q " $f\$" <<<"$contents"; then ok "packaged: $f"; else
		not_ok "packaged: $f"; fi
done

# The units as installed, against the installed programs (--root).
root="$work/root"
mkdir -p "$root"
dpkg-deb -x "$deb" "$root"
# The targets our units hang off (sysinit.target...) come from the host.
cp -rn /lib/systemd/system/. "$root/lib/systemd/system/"
cp "$root"/usr/share/doc/ikevti/examples/ikevti-metrics.* \
	"$root/lib/systemd/system/" 2>/dev/null
# The example runs /bin/sh, which the package does not ship.
mkdir -p "$root/bin" && cp -L /bin/sh "$root/bin/sh"
check "systemd-analyze verify ikevtid.service ikevtid@blue.service ikevti-metrics.{service,timer}" \
	sh -c "cd '$root/lib/systemd/system' && out=\$(systemd-analyze verify \
		--root='$root' --man=no ikevtid.service ikevtid@blue.service \
		ikevti-metrics.service ikevti-metrics.timer 2>&1);
		echo \"\$out\"; [ -z \"\$out\" ]"
for m in "$root"/usr/share/man/man*/*.gz; do
	check "man page renders without warnings: ${m##*/}" \
		sh -c "out=\$(zcat '$m' | LC_ALL=C.UTF-8 groff -man -Tutf8 -ww \
			-z 2>&1); echo \"\$out\"; [ -z \"\$out\" ]"
done
check "ikevtid --version and ikevtictl version say $version" \
	sh -c "'$root/usr/sbin/ikevtid' --version | grep -qx 'ikevtid $version' &&
		'$root/usr/sbin/ikevtictl' version | grep -q '^ikevtictl $version '"

# Bash completion as packaged, with stubs for bash-completion's helpers.
complete_line() {	# complete_line WORD... : what TAB offers for the last
	bash -c '
		_init_completion() { cur=${COMP_WORDS[COMP_CWORD]}
			prev=${COMP_WORDS[COMP_CWORD-1]}; words=("${COMP_WORDS[@]}")
			cword=$COMP_CWORD; }
		_filedir() { COMPREPLY=(FILE); }
		. "$0"
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=()
		_ikevtictl; echo "${COMPREPLY[*]}"' \
		"$root/usr/share/bash-completion/completions/ikevtictl" "$@"
}
check "completion: the IOS words (show crypto -> ikev2 ipsec session)" \
	test "$(complete_line ikevtictl -n blue show crypto '')" = "ikev2 ipsec session"
c_cmds=$(complete_line ikevtictl '') c_key=$(complete_line ikevtictl sa add dev x key '')
c_opt=$(complete_line ikevtictl --n)
check "completion: commands ($c_cmds), key sources ($c_key), options ($c_opt)" \
	test "${c_cmds%% *}" = show -a "$c_key" = "- @" -a "$c_opt" = --netns

# Installing on this host: only as root, only when nothing of ours is
# there, and purged at the end whatever happened.
kver=$(cat "$top/.cache/kver" 2>/dev/null ||
	ls /usr/src | sed -n 's/^linux-headers-\(.*-amd64\)$/\1/p' | tail -n1)
if [ "$(id -u)" != 0 ] || dpkg-query -W ikevti ikevti-dkms >/dev/null 2>&1 ||
   [ -e "/usr/src/ikevti-$version" ]; then
	skip "install, DKMS build and purge (not root, or ikevti already installed)"
	echo "1..$n"
	[ "$fails" -eq 0 ]
	exit
fi
purge() {
	dkms remove -m ikevti -v "$version" --all >/dev/null 2>&1
	dpkg --purge ikevti ikevti-dkms >/dev/null 2>&1
}
trap 'purge; rm -rf "$work"' EXIT
check "dpkg -i ikevti ikevti-dkms" dpkg -i "$deb" "$dkms_deb"
check "/etc/ikevti exists with mode 0700" \
	sh -c '[ "$(stat -c %a /etc/ikevti)" = 700 ]'
check "ip loads the installed plugin (no IP_LIB_DIR)" \
	sh -c 'env -u IP_LIB_DIR ip link add x type ikevti help 2>&1 |
		grep -q "local ADDR"'
check "dkms build -k $kver" dkms build --force -m ikevti -v "$version" -k "$kver"
ko=$(find /var/lib/dkms/ikevti/"$version"/"$kver" -name 'ikevti.ko*' 2>/dev/null |
	head -n1)
check "modinfo of the DKMS-built module: version $version" \
	sh -c "[ -n '$ko' ] && [ \"\$(modinfo -F version '$ko')\" = '$version' ]"
purge
check "purge leaves nothing behind" \
	sh -c "! dpkg-query -W ikevti ikevti-dkms 2>/dev/null | grep -q . &&
		[ ! -e /usr/src/ikevti-$version ] && [ ! -e /var/lib/dkms/ikevti ] &&
		[ ! -e /usr/sbin/ikevtid ]"
echo "1..$n"
[ "$fails" -eq 0 ]
