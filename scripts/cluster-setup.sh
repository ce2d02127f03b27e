#!/usr/bin/env bash
# Installs what the cluster tests (test/cluster/) need from Debian's packages: slurm-wlm
# (slurmctld, slurmd, sbatch, squeue, scontrol, scancel) and munge (Slurm's authentication).
# The tests start and stop the daemons themselves. Idempotent; any failure exits non-zero
# with a message, so a missing prerequisite fails the test run instead of skipping it.
set -euo pipefail
PACKAGES=(slurm-wlm munge)
die() { printf 'cluster-setup: ERROR: %s\n' "$*" >&2; exit 1; }
installed() { [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" = "install ok installed" ]; }

missing=()
for p in "${PACKAGES[@]}"; do installed "$p" || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  command -v apt-get >/dev/null || die "missing Debian packages (${missing[*]}) and no apt-get to install them"
  [ "$(id -u)" -eq 0 ] || die "missing Debian packages (${missing[*]}): the cluster tests run as root (they start slurmd and munged)"
  printf 'cluster-setup: installing %s\n' "${missing[*]}" >&2
  apt-get update -q >&2 || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2 || die "apt-get install ${missing[*]} failed"
fi
for c in munged slurmctld slurmd sbatch squeue scontrol scancel sinfo; do command -v "$c" >/dev/null || die "$c is not on PATH after installing ${PACKAGES[*]}"; done
[ "$(id -u)" -eq 0 ] || die "the cluster tests run as root (they start slurmd and munged)"
printf 'cluster-setup: slurm and munge present\n' >&2
