#!/usr/bin/env bash
# Starts a single-node Slurm on this machine (munged, slurmctld, slurmd on localhost, as root, no systemd), so the
# Slurm tests and `workbench … --slurm` run against a real scheduler. Installs the Debian packages when missing.
# Idempotent: a cluster started by this script from the same slurm.conf is reused; one configured by someone else is
# used when it answers and never reconfigured. Exit 0 once `srun hostname` works.
#   .ci/slurm/start.sh          start (or reuse) the cluster
#   .ci/slurm/start.sh --stop   stop the daemons this script started
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
state=/var/lib/workbench-slurm
conf=/etc/slurm/slurm.conf
marker="# written by workbench .ci/slurm/start.sh"

stop_slurm() {
  local pids=()
  for pidfile in "$state/slurmd.pid" "$state/slurmctld.pid"; do
    [ -f "$pidfile" ] && pids+=("$(cat "$pidfile")")
  done
  [ ${#pids[@]} -gt 0 ] || return 0
  kill "${pids[@]}" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "${pids[@]}" 2>/dev/null || return 0; sleep 0.2; done
  kill -9 "${pids[@]}" 2>/dev/null || true
}
if [ "${1:-}" = "--stop" ]; then
  stop_slurm
  [ -f /run/munge/munged.pid ] && kill "$(cat /run/munge/munged.pid)" 2>/dev/null || true
  exit 0
fi

if [ "$(id -u)" != 0 ]; then
  echo "slurm: start.sh must run as root (it starts munged, slurmctld and slurmd)" >&2
  exit 1
fi

need=()
command -v slurmctld >/dev/null 2>&1 || need+=(slurmctld)
command -v slurmd >/dev/null 2>&1 || need+=(slurmd)
command -v sbatch >/dev/null 2>&1 || need+=(slurm-client)
command -v munged >/dev/null 2>&1 || need+=(munge)
command -v mpirun >/dev/null 2>&1 || need+=(openmpi-bin)
if [ ${#need[@]} -gt 0 ]; then
  echo "slurm: installing ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurm-wlm "${need[@]}" >/dev/null
fi

# slurm.conf from the template: this machine's CPUs and memory, state under $state.
cpus=$(nproc)
memory_mb=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 * 9 / 10 ))
wanted=$(echo "$marker from .ci/slurm/slurm.conf"; sed -e "s|@STATE@|$state|g" -e "s|@CPUS@|$cpus|g" -e "s|@MEMORY_MB@|$memory_mb|g" "$here/slurm.conf")

answers() { timeout 10 sinfo -h >/dev/null 2>&1 && timeout 30 srun -N1 -t 1 hostname >/dev/null 2>&1; }
if [ -f "$conf" ] && ! grep -qF "$marker" "$conf"; then
  # Someone else's cluster: use it when it works, never rewrite its configuration.
  if answers; then echo "slurm: using the existing cluster ($conf): $(sinfo -h -o '%P %D nodes, %c CPUs, %t')"; exit 0; fi
  echo "slurm: $conf was not written by this script and that cluster does not answer; not touching it" >&2
  exit 1
fi
if [ "$(cat "$conf" 2>/dev/null)" = "$wanted" ] && answers; then
  echo "slurm: already running ($(sinfo -h -o '%P %D nodes, %c CPUs, %t'))"
  exit 0
fi

# Munge: the key is made by the package; the runtime folder is normally made by systemd.
[ -f /etc/munge/munge.key ] || { mungekey --create --keyfile=/etc/munge/munge.key 2>/dev/null || dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=1024 status=none; }
chown munge:munge /etc/munge/munge.key && chmod 400 /etc/munge/munge.key
mkdir -p /run/munge && chown munge:munge /run/munge && chmod 755 /run/munge
if ! munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1; then
  runuser -u munge -- /usr/sbin/munged
  for _ in $(seq 50); do munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.1; done
fi

stop_slurm
mkdir -p "$state/ctld" "$state/d" /etc/slurm
echo "$wanted" >"$conf.tmp"
mv "$conf.tmp" "$conf"

slurmctld
slurmd -N localhost
for _ in $(seq 60); do
  sinfo -h -o '%t' 2>/dev/null | grep -qE '^(idle|mix|alloc)' && break
  sleep 0.5
done
if ! sinfo -h -o '%t' 2>/dev/null | grep -qE '^(idle|mix|alloc)'; then
  scontrol update nodename=localhost state=resume 2>/dev/null || true
  sleep 1
fi
if ! host=$(timeout 60 srun -N1 -t 1 hostname 2>&1); then
  echo "slurm: srun hostname failed: $host" >&2
  tail -n 20 "$state/slurmctld.log" "$state/slurmd.log" >&2 || true
  exit 1
fi
echo "slurm: up on $host — $(sinfo -h -o '%P %D node, %c CPUs, %t')"
