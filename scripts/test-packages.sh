#!/usr/bin/env bash
# Installs the Debian packages the tests need besides the e2e ones (scripts/e2e-setup.sh):
# slurm-wlm (slurmctld, slurmd, sbatch, squeue, scontrol, scancel) and munge for the cluster
# tests (test/cluster/, which start and stop the daemons themselves), python3-numpy for the
# NumPy round trips. Idempotent; any failure exits non-zero with a message, so a missing
# prerequisite fails the test run instead of skipping it.
set -euo pipefail
PACKAGES=(slurm-wlm munge python3-numpy)
die() { printf 'test-packages: ERROR: %s\n' "$*" >&2; exit 1; }
installed() { [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" = "install ok installed" ]; }

missing=()
for p in "${PACKAGES[@]}"; do installed "$p" || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  command -v apt-get >/dev/null || die "missing Debian packages (${missing[*]}) and no apt-get to install them"
  [ "$(id -u)" -eq 0 ] || die "missing Debian packages (${missing[*]}): the cluster tests run as root (they start slurmd and munged)"
  printf 'test-packages: installing %s\n' "${missing[*]}" >&2
  apt-get update -q >&2 || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2 || die "apt-get install ${missing[*]} failed"
fi
for c in munged slurmctld slurmd sbatch squeue scontrol scancel sinfo; do command -v "$c" >/dev/null || die "$c is not on PATH after installing ${PACKAGES[*]}"; done
[ "$(id -u)" -eq 0 ] || die "the cluster tests run as root (they start slurmd and munged)"
/usr/bin/python3 -c 'import numpy' || die "python3 cannot import numpy although python3-numpy is installed"
printf 'test-packages: %s present\n' "${PACKAGES[*]}" >&2
