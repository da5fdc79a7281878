# Shared by test/cluster/up and test/cluster/down (sourced, not run).
# One cluster per machine: everything it owns lives under $STATE_DIR, so a second
# checkout (CI clones afresh on the same machine) finds and reuses it.
# shellcheck shell=bash
# The names below are used by the scripts that source this file.
# shellcheck disable=SC2034

LIB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STATE_DIR="${PORTHOLE_CLUSTER_DIR:-/var/lib/porthole-test-cluster}"
RUN_DIR="$STATE_DIR/run"
LOG_DIR="$STATE_DIR/log"
ETC_DIR="$STATE_DIR/etc"
KEY_DIR="$STATE_DIR/keys"
HOME_ROOT="$STATE_DIR/home"
# The homes live on a btrfs file system of their own, each home a subvolume with a quota group,
# so a test can fill a user's quota without touching the machine's disk. btrfs because these
# machines' kernel has no quota format for ext4 (no CONFIG_QFMT_V2) and none for XFS. A sparse
# image: it takes what is used.
HOME_IMAGE="$STATE_DIR/home.btrfs"
HOME_IMAGE_SIZE=16G
NODE_DIR="$STATE_DIR/node01"
LOGIN2_DIR="$STATE_DIR/login2"
MARIADB_DIR="$STATE_DIR/mariadb"

# Addresses: 192.0.2.0/24 is the real interface on these machines (see `ip route`),
# so the login side ↔ node01 link takes another documentation range.
LOGIN_ADDR=198.51.100.1
NODE_ADDR=198.51.100.2
NODE_NAME=node01
NETNS=porthole-node01
VETH_LOGIN=ph-login0
VETH_NODE=ph-node01
# A second login node (issue 19, failover): its own network, UTS and mount namespaces like
# node01, the same Slurm, home and munge. A bridge joins the login side, node01 and login2.
LOGIN2_NAME=login2
LOGIN2_ADDR=198.51.100.3
LOGIN2_NETNS=porthole-login2
VETH_LOGIN2=ph-login2h
VETH_LOGIN2_PEER=ph-login2
BRIDGE=ph-br0

# Loopback ports on the login side (fixed, one cluster per machine; override when taken).
SSH_PORT="${PORTHOLE_SSH_PORT:-22422}"
JUMP_PORT="${PORTHOLE_JUMP_PORT:-22423}"
REDIS_PORT="${PORTHOLE_REDIS_PORT:-16379}"
SENTINEL_PORT="${PORTHOLE_SENTINEL_PORT:-26479}"
SLURMCTLD_PORT=16817
SLURMD_PORT=16818
SLURMDBD_PORT=16819
MARIADB_PORT="${PORTHOLE_MARIADB_PORT:-13306}"

TEST_USER=porthole
KBD_USER=porthole-kbd
KBD_PASSWORD=porthole-kbd-pw
# A user whose sessions have no `node` on the PATH (a login node without Node.js),
# reached through an sshd of its own on $NONODE_PORT.
NONODE_USER=porthole-nonode
# Another user of the same nodes, for the isolation tests: it never signs in, a test acts as it
# inside node01's namespaces (nsenter + setpriv), as a stranger on a shared compute node would.
INTRUDER_USER=porthole-intruder
# A colleague of $TEST_USER: signs in by SSH with a key of their own (login1 and login2), and is
# the one a desktop is shared with (view-only sharing).
COLLEAGUE_USER=porthole-colleague
NONODE_PORT="${PORTHOLE_NONODE_PORT:-22424}"

SLURM_CONF_FILE="$ETC_DIR/slurm.conf"
MUNGE_SOCKET="$RUN_DIR/munge/munge.socket.2"
MARIADB_SOCKET="$RUN_DIR/mariadb/mariadb.sock"

# Slurm accounting (slurmdbd): two accounts with different QOS sets; partition gpu is for
# physics only. write-cluster-json.mjs describes the same to the tests: keep them in step.
ACCOUNTS=(physics chem)
DEFAULT_ACCOUNT=physics
DEBUG_QOS_MAX_WALL=00:30:00

# Every daemon the fixture starts, in start order (down stops them in reverse).
DAEMONS=(munged mariadb slurmdbd slurmctld node01-ns slurmd node01-sshd sshd jump-sshd login2-ns login2-sshd redis sentinel)
# Daemons `up` starts beside a running cluster, each on its own: their configuration lives in
# $ADDON_DIR, outside the hashed $ETC_DIR, so adding one never restarts the cluster in use.
ADDON_DAEMONS=(nonode-sshd)
ADDON_DIR="$STATE_DIR/addons"

pid_file() { printf '%s/%s.pid\n' "$RUN_DIR" "$1"; }

# When a process started (clock ticks since boot, field 22 of /proc/<pid>/stat). Kept beside
# each PID file, so that a PID reused by another process (after a reboot) is never taken, or
# killed, for one of ours.
proc_start_time() {
  local stat fields
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  read -ra fields <<<"${stat##*) }"
  printf '%s\n' "${fields[19]}"
}

proc_state() {
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  stat="${stat##*) }"
  printf '%s\n' "${stat%% *}"
}

record_pid() {
  printf '%s\n' "$2" >"$(pid_file "$1")"
  proc_start_time "$2" >"$RUN_DIR/$1.start" || true
}

# The PID recorded for a daemon, if that very process is still alive.
live_pid() {
  local file pid state
  file="$(pid_file "$1")"
  [[ -s "$file" ]] || return 1
  pid="$(<"$file")"
  [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
  [[ "$(proc_start_time "$pid")" == "$(cat "$RUN_DIR/$1.start" 2>/dev/null)" ]] || return 1
  # A zombie (dead, not yet reaped by init) answers kill -0 but runs nothing; one reaped since
  # kill -0 has no /proc entry left, and is as dead.
  state="$(proc_state "$pid")" || return 1
  [[ "$state" != Z ]] || return 1
  printf '%s\n' "$pid"
}

log() { printf '[cluster] %s\n' "$*" >&2 || true; }
die() { printf '[cluster] error: %s\n' "$*" >&2; exit 1; }
