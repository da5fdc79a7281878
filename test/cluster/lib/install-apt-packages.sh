#!/usr/bin/env bash
# Installs the Debian packages named as arguments that are not installed yet, and nothing else:
#   bash test/cluster/lib/install-apt-packages.sh shellcheck socat …
# Shared by test/cluster/up (the cluster's daemons and tools) and npm test's lint stage
# (shellcheck), so a fresh machine gets both the same way. Installing needs root.
set -euo pipefail

missing=()
for package in "$@"; do
  if [[ "$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)" != "install ok installed" ]]; then
    missing+=("$package")
  fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0
if [[ "$(id -u)" != 0 ]]; then
  printf 'install-apt-packages: not installed: %s; run as root to install them with apt, or install them yourself\n' "${missing[*]}" >&2
  exit 1
fi
printf 'install-apt-packages: installing with apt: %s\n' "${missing[*]}" >&2
# Without systemd, the packages' maintainer scripts start their own daemons through
# /etc/init.d (sshd on port 22 of every interface, redis on 6379, a munged, …). The test
# cluster runs its own on loopback, so a policy-rc.d forbids those starts for the install.
policy=/usr/sbin/policy-rc.d
added_policy=0
status=0
if [[ ! -e "$policy" ]]; then
  printf '#!/bin/sh\n# test/cluster/lib/install-apt-packages.sh: no service starts while it installs\nexit 101\n' >"$policy"
  chmod 755 "$policy"
  added_policy=1
fi
(
  export DEBIAN_FRONTEND=noninteractive
  # Another install (the cluster's, another checkout's) may hold dpkg's lock: wait for it.
  apt-get -o DPkg::Lock::Timeout=300 update -q
  apt-get -o DPkg::Lock::Timeout=300 install -y -q --no-install-recommends "${missing[@]}"
) || status=$?
if ((added_policy)); then rm -f "$policy"; fi
if ((status != 0)); then
  printf 'install-apt-packages: apt-get could not install: %s (exit %s)\n' "${missing[*]}" "$status" >&2
  exit 1
fi
