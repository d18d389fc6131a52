#!/usr/bin/env bash
# Builds the Debian 12 base image offline: debootstrap a minimal rootfs from Debian's mirror and
# `docker import` it. No registry is needed. Usage: debian-12.sh TAG
set -euo pipefail
tag=${1:?usage: debian-12.sh TAG}
mirror=${GENOS_DEBIAN_MIRROR:-http://deb.debian.org/debian}
root=$(mktemp -d /tmp/genos-rootfs.XXXXXX)
trap 'rm -rf "$root"' EXIT
debootstrap --variant=minbase --include=ca-certificates bookworm "$root" "$mirror" >"$root.log" 2>&1 || {
  tail -20 "$root.log" >&2; exit 1; }
rm -f "$root.log"
# apt inside the image uses the same mirror, plus security updates.
cat >"$root/etc/apt/sources.list" <<SRC
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
SRC
# Keep images small: no docs, no recommends.
printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n' >"$root/etc/apt/apt.conf.d/90genos"
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
tar -C "$root" -c . | docker import \
  -c 'CMD ["/bin/bash"]' -c 'ENV LANG=C.UTF-8' \
  -c "LABEL io.genos.product=genos" \
  - "$tag" >/dev/null
