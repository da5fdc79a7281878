# Starting, checking and describing the cluster's daemons (sourced by `up`).
# shellcheck shell=bash

# Moves each file of a staging folder over its namesake in `target` when their contents
# differ: a rename, so a reader sees the old file or the new one, never half of one.
install_changed_files() {
  local staging="$1" target="$2" file
  for file in "$staging"/*; do
    if ! cmp -s "$file" "$target/${file##*/}"; then
      chmod 644 "$file"
      mv -f "$file" "$target/${file##*/}"
    fi
  done
}

# Writes `content` to `file` (mode, owner) only when it differs, with a rename.
put_file() {
  local file="$1" mode="$2" owner="$3" content="$4"
  if [[ -f "$file" ]] && [[ "$(cat "$file")" == "$content" ]]; then
    return 0
  fi
  printf '%s\n' "$content" >"$file.new"
  chmod "$mode" "$file.new"
  chown "$owner" "$file.new"
  mv -f "$file.new" "$file"
}

# The workstation side's known_hosts: what a person would have after checking the fingerprints.
write_known_hosts() {
  local login_key node_key login2_key
  login_key="$(cut -d' ' -f1,2 "$KEY_DIR/ssh_host_ed25519_key.pub")"
  node_key="$(cut -d' ' -f1,2 "$KEY_DIR/${NODE_NAME}_host_ed25519_key.pub")"
  login2_key="$(cut -d' ' -f1,2 "$KEY_DIR/${LOGIN2_NAME}_host_ed25519_key.pub")"
  put_file "$KEY_DIR/known_hosts" 644 root:root "$(
    printf '[127.0.0.1]:%s %s\n' "$SSH_PORT" "$login_key"
    printf '%s %s\n' "$LOGIN2_ADDR" "$login2_key"
    printf '[127.0.0.1]:%s %s\n' "$JUMP_PORT" "$login_key"
    printf '[127.0.0.1]:%s %s\n' "$NONODE_PORT" "$login_key"
    printf '%s %s\n' "$NODE_NAME" "$node_key"
    printf '%s %s\n' "$NODE_ADDR" "$node_key"
  )"
}

any_daemon_recorded() {
  local daemon
  for daemon in "${DAEMONS[@]}"; do
    [[ -e "$(pid_file "$daemon")" ]] && return 0
  done
  ip netns list | grep -qw "$NETNS" && return 0
  ip netns list | grep -qw "$LOGIN2_NETNS" && return 0
  return 1
}

ssh_test() { timeout 20 ssh -F "$ETC_DIR/ssh_config" -o ConnectTimeout=5 "$@"; }

# True when every recorded daemon is alive and each service answers.
cluster_answers() {
  local daemon
  for daemon in "${DAEMONS[@]}"; do
    live_pid "$daemon" >/dev/null || return 1
  done
  timeout 5 scontrol ping 2>/dev/null | grep -q 'is UP' || return 1
  node_registered 2>/dev/null || return 1
  [[ "$(ssh_test porthole-test "ssh $NODE_NAME hostname" 2>/dev/null)" == "$NODE_NAME" ]] || return 1
  ssh_test porthole-test-via-jump true 2>/dev/null || return 1
  ssh_test porthole-test-login2 true 2>/dev/null || return 1
  slurmdbd_answers >/dev/null 2>&1 || return 1
  [[ "$(timeout 5 redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" == PONG ]] || return 1
  [[ "$(timeout 5 redis-cli -h 127.0.0.1 -p "$SENTINEL_PORT" ping 2>/dev/null)" == PONG ]] || return 1
}

# Runs a daemon in the foreground of its own session, its output in a log, its PID recorded.
# No systemd here: the daemon stays in the foreground (-D, -F) so that $! is its PID, and
# setsid (not forking: a background child is not a group leader) detaches it from this
# shell. Every descriptor is redirected (fd 9 is the lock), or `npm test` would wait on our
# stdout and the next `up` on the lock.
start_daemon() {
  local name="$1"
  shift
  # `trap - PIPE`: `up` ignores SIGPIPE for itself; daemons (and through them, jobs and SSH
  # sessions) must get the default back, as an ignored signal survives exec.
  (trap - PIPE && cd / && exec setsid "$@" </dev/null >>"$LOG_DIR/$name.out" 2>&1 9>&-) &
  record_pid "$name" "$!"
}

# Polls until a command succeeds; on timeout says which daemon and which log to read.
wait_until() {
  local what="$1" seconds="$2" log_file="$3"
  shift 3
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      log "$what did not answer within ${seconds}s; last lines of $log_file:"
      tail -n 20 "$log_file" >&2 2>/dev/null || true
      die "$what is not up (run bash test/cluster/down, then up again)"
    fi
    sleep 0.1
  done
}

munge_answers() { munge -S "$MUNGE_SOCKET" -n | unmunge -S "$MUNGE_SOCKET"; }
slurmctld_answers() { scontrol ping | grep -q 'is UP'; }
# scontrol, not sinfo: after a cancel, sinfo went on saying `mix` for over a minute while
# slurmctld had the node idle (sinfo reads a summary slurmctld refreshes lazily).
node_idle() { scontrol -o show node "$NODE_NAME" | grep -q ' State=IDLE '; }
# Registered: slurmd has answered slurmctld (no `*`, which marks a node not responding).
node_registered() { [[ "$(timeout 5 sinfo -h -n "$NODE_NAME" -o %t)" =~ ^(idle|mix|alloc)$ ]]; }
node_sshd_answers() { [[ "$(ssh_test porthole-test "ssh $NODE_NAME hostname")" == "$NODE_NAME" ]]; }
redis_answers() { [[ "$(redis-cli -h 127.0.0.1 -p "$1" ping)" == PONG ]]; }
mariadb_answers() { mariadb --no-defaults -S "$MARIADB_SOCKET" -u root -e 'select 1'; }
slurmdbd_answers() { timeout 5 sacctmgr -n -P show cluster format=cluster; }

# MariaDB for slurmdbd: its own data folder (made once), on loopback and a socket of its own.
start_mariadb() {
  if [[ ! -d "$MARIADB_DIR/mysql" ]]; then
    mariadb-install-db --no-defaults --user=mysql --datadir="$MARIADB_DIR" --auth-root-authentication-method=socket \
      >"$LOG_DIR/mariadb-install.out" 2>&1 || die "mariadb-install-db failed; see $LOG_DIR/mariadb-install.out"
  fi
  start_daemon mariadb /usr/sbin/mariadbd --no-defaults --user=mysql --datadir="$MARIADB_DIR" \
    --socket="$MARIADB_SOCKET" --pid-file="$RUN_DIR/mariadb/mariadbd.pid" --port="$MARIADB_PORT" \
    --bind-address=127.0.0.1 --skip-name-resolve --log-error="$LOG_DIR/mariadb.log"
  wait_until mariadb 30 "$LOG_DIR/mariadb.log" mariadb_answers
  # The password is read from a file, never from a command line another user can see in ps.
  local password
  password="$(<"$KEY_DIR/slurmdbd-db-password")"
  mariadb --no-defaults -S "$MARIADB_SOCKET" -u root <<SQL
CREATE DATABASE IF NOT EXISTS slurm_acct_db;
CREATE USER IF NOT EXISTS 'slurm'@'127.0.0.1' IDENTIFIED BY '${password}';
ALTER USER 'slurm'@'127.0.0.1' IDENTIFIED BY '${password}';
GRANT ALL ON slurm_acct_db.* TO 'slurm'@'127.0.0.1';
SQL
}

# Accounts and QOS, as an allocation-based site has them (the values are in common.sh and
# write-cluster-json.mjs). sacctmgr's add says "Nothing new added" and fails when an entity
# exists: each is added only when missing, and the result is checked at the end.
sacctmgr_lists() { [[ -n "$(sacctmgr -n -P "$@" 2>/dev/null)" ]]; }
ensure_accounts() {
  local cluster_name=porthole user
  sacctmgr_lists show cluster where name="$cluster_name" format=cluster || sacctmgr -i add cluster "$cluster_name" >/dev/null
  sacctmgr_lists show qos where name=debug format=name || sacctmgr -i add qos debug >/dev/null
  # DenyOnLimit: a job over the limit is refused at submission, not left pending for ever.
  sacctmgr -i modify qos debug set MaxWall="$DEBUG_QOS_MAX_WALL" Flags=DenyOnLimit >/dev/null || true
  sacctmgr_lists show account where name=physics format=account || sacctmgr -i add account physics Description=physics Organization=porthole-test >/dev/null
  sacctmgr_lists show account where name=chem format=account || sacctmgr -i add account chem Description=chemistry Organization=porthole-test >/dev/null
  sacctmgr -i modify account physics set QOS=normal,debug DefaultQOS=normal >/dev/null || true
  sacctmgr -i modify account chem set QOS=normal DefaultQOS=normal >/dev/null || true
  sacctmgr_lists show assoc user="$TEST_USER" account=chem format=account ||
    sacctmgr -i add user "$TEST_USER" Account=physics,chem DefaultAccount=physics >/dev/null
  for user in "$KBD_USER" "$NONODE_USER" "$INTRUDER_USER" "$COLLEAGUE_USER"; do
    sacctmgr_lists show assoc user="$user" account=physics format=account ||
      sacctmgr -i add user "$user" Account=physics DefaultAccount=physics >/dev/null
  done
  [[ "$(sacctmgr -n -P show assoc user="$TEST_USER" format=account,qos | sort | tr '\n' ' ')" == "chem|normal physics|debug,normal " ]] ||
    die "Slurm accounts are not as expected: $(sacctmgr -n -P show assoc user="$TEST_USER" format=account,qos | tr '\n' ' ')"
}

# login2: its own namespaces (started like node01's), the same home, munge and Slurm.
start_login2() {
  local holder
  rm -f "$LOGIN2_DIR/ns-ready"
  start_daemon login2-ns unshare --uts --mount --propagation private \
    nsenter --net="/run/netns/$LOGIN2_NETNS" bash "$LIB_DIR/node-init.sh" "$LOGIN2_DIR" "$LOGIN2_NAME"
  wait_until "$LOGIN2_NAME namespaces" 10 "$LOG_DIR/login2-ns.out" test -e "$LOGIN2_DIR/ns-ready"
  holder="$(live_pid login2-ns)"
  start_daemon login2-sshd nsenter --target "$holder" --uts --mount --net \
    /usr/sbin/sshd -D -f "$ETC_DIR/sshd_config.$LOGIN2_NAME" -E "$LOG_DIR/sshd-$LOGIN2_NAME.log"
}

setup_network() {
  # Left by a `down` that did not finish, or still going: a deleted namespace takes its veth
  # pair with it a moment later, so wait until the name is free.
  local namespace link
  for namespace in "$NETNS" "$LOGIN2_NETNS"; do
    if [[ -e "/run/netns/$namespace" ]]; then ip netns delete "$namespace"; fi
  done
  local deadline=$((SECONDS + 5))
  for link in "$VETH_LOGIN" "$VETH_LOGIN2" "$BRIDGE"; do
    while ip link show "$link" >/dev/null 2>&1 && ((SECONDS < deadline)); do
      ip link delete "$link" 2>/dev/null || true
      sleep 0.1
    done
  done
  # A bridge holds the login side's address; node01 and login2 each hang on it by a veth pair.
  ip link add "$BRIDGE" type bridge
  ip addr add "$LOGIN_ADDR/24" dev "$BRIDGE"
  ip link set "$BRIDGE" up
  attach_namespace "$NETNS" "$VETH_LOGIN" "$VETH_NODE" "$NODE_ADDR"
  attach_namespace "$LOGIN2_NETNS" "$VETH_LOGIN2" "$VETH_LOGIN2_PEER" "$LOGIN2_ADDR"
  # /etc/hosts may be a bind mount (containers): rewrite it in place, never rename over it.
  local hosts
  hosts="$(grep -v '# porthole-test-cluster$' /etc/hosts || true)"
  printf '%s\n%s %s # porthole-test-cluster\n%s %s # porthole-test-cluster\n' \
    "$hosts" "$NODE_ADDR" "$NODE_NAME" "$LOGIN2_ADDR" "$LOGIN2_NAME" >/etc/hosts
}

# A new network namespace joined to the bridge: netns, bridge-side veth, inside veth, address.
attach_namespace() {
  local namespace="$1" outside="$2" inside="$3" address="$4"
  ip netns add "$namespace"
  ip link add "$outside" type veth peer name "$inside" netns "$namespace"
  ip link set "$outside" master "$BRIDGE" up
  ip -n "$namespace" addr add "$address/24" dev "$inside"
  ip -n "$namespace" link set "$inside" up
  ip -n "$namespace" link set lo up
}

# Before a start: every port and the veth network must be free, or we say which is taken
# and how to move it (a daemon that cannot bind only says so in its own log).
check_free() {
  local port listeners
  for port in "$SSH_PORT" "$JUMP_PORT" "$REDIS_PORT" "$SENTINEL_PORT" "$SLURMCTLD_PORT" "$SLURMDBD_PORT" "$MARIADB_PORT"; do
    listeners="$(ss -Hltnp "sport = :$port" 2>/dev/null || true)"
    [[ -z "$listeners" ]] || die "port $port is taken: $listeners (set PORTHOLE_SSH_PORT, PORTHOLE_JUMP_PORT, PORTHOLE_REDIS_PORT, PORTHOLE_SENTINEL_PORT or PORTHOLE_MARIADB_PORT to move ours)"
  done
  [[ -z "$(ip route show "${LOGIN_ADDR%.*}.0/24")" ]] || die "${LOGIN_ADDR%.*}.0/24 is already routed on this machine (ip route); node01's veth needs it"
}

start_cluster() {
  local holder
  check_free
  rm -f "$NODE_DIR/ns-ready"
  setup_network

  start_daemon munged /usr/sbin/munged --foreground --force --socket="$MUNGE_SOCKET" \
    --key-file="$KEY_DIR/munge.key" --pid-file="$RUN_DIR/munge/munged.pid" \
    --seed-file="$RUN_DIR/munge/munged.seed" --log-file="$LOG_DIR/munged.log"
  wait_until munged 10 "$LOG_DIR/munged.out" munge_answers
  start_mariadb
  start_daemon slurmdbd /usr/sbin/slurmdbd -D
  wait_until slurmdbd 30 "$LOG_DIR/slurmdbd.log" slurmdbd_answers
  ensure_accounts

  start_daemon slurmctld /usr/sbin/slurmctld -D -f "$SLURM_CONF_FILE"
  start_daemon node01-ns unshare --uts --mount --propagation private \
    nsenter --net="/run/netns/$NETNS" bash "$LIB_DIR/node-init.sh" "$NODE_DIR" "$NODE_NAME"
  wait_until "$NODE_NAME namespaces" 10 "$LOG_DIR/node01-ns.out" test -e "$NODE_DIR/ns-ready"
  holder="$(live_pid node01-ns)"
  start_daemon slurmd nsenter --target "$holder" --uts --mount --net /usr/sbin/slurmd -D -f "$SLURM_CONF_FILE"
  start_daemon node01-sshd nsenter --target "$holder" --uts --mount --net \
    /usr/sbin/sshd -D -f "$ETC_DIR/sshd_config.$NODE_NAME" -E "$LOG_DIR/sshd-$NODE_NAME.log"
  start_daemon sshd /usr/sbin/sshd -D -f "$ETC_DIR/sshd_config" -E "$LOG_DIR/sshd.log"
  start_daemon jump-sshd /usr/sbin/sshd -D -f "$ETC_DIR/sshd_config.jump" -E "$LOG_DIR/sshd-jump.log"
  start_login2
  start_daemon redis /usr/bin/redis-server "$ETC_DIR/redis.conf"
  write_sentinel_config
  start_daemon sentinel /usr/bin/redis-sentinel "$STATE_DIR/redis/sentinel.conf"

  wait_until slurmctld 30 "$LOG_DIR/slurmctld.log" slurmctld_answers
  wait_until "slurmd on $NODE_NAME" 30 "$LOG_DIR/slurmd-$NODE_NAME.log" node_registered
  cancel_recovered_jobs
  wait_until "$NODE_NAME idle" 30 "$LOG_DIR/slurmctld.log" node_idle
  wait_until sshd 10 "$LOG_DIR/sshd.log" ssh_test porthole-test true
  wait_until "jump sshd" 10 "$LOG_DIR/sshd-jump.log" ssh_test porthole-test-via-jump true
  wait_until "sshd on $NODE_NAME" 10 "$LOG_DIR/sshd-$NODE_NAME.log" node_sshd_answers
  wait_until "sshd on $LOGIN2_NAME" 10 "$LOG_DIR/sshd-$LOGIN2_NAME.log" ssh_test porthole-test-login2 true
  wait_until redis 10 "$LOG_DIR/redis.log" redis_answers "$REDIS_PORT"
  wait_until sentinel 10 "$LOG_DIR/sentinel.log" redis_answers "$SENTINEL_PORT"
  warm_up_job
}

# slurmctld reloads its jobs from its state folder. Any it has now ran in a cluster that is
# gone (`up` starts only a cluster that was not running, and `down` ends every process on the
# node), but when `down` could not cancel them (slurmctld not answering, or killed) slurmctld
# counts them as running for minutes and node01 is never idle. They are cancelled here, once
# slurmd has registered: a cancel sent before waits for Slurm's next retry, a minute or more.
cancel_recovered_jobs() {
  local jobs
  mapfile -t jobs < <(timeout 5 squeue -h -o %i)
  ((${#jobs[@]})) || return 0
  log "cancelling ${#jobs[@]} job(s) left by the previous cluster: ${jobs[*]}"
  timeout 10 scancel "${jobs[@]}" || die "scancel of the previous cluster's jobs failed"
}

# The first job after slurmctld starts is slow (it loads plugins and the node's credentials);
# one throw-away job now keeps that out of every test's timing.
warm_up_job() {
  local job
  job="$(ssh_test porthole-test "sbatch --parsable --job-name=porthole-warm-up --output=/dev/null --wrap true")"
  wait_until "warm-up job $job" 30 "$LOG_DIR/slurmctld.log" job_finished "$job"
}
job_finished() {
  local state
  state="$(scontrol show job "$1" 2>/dev/null | grep -o 'JobState=[A-Z]*' || true)"
  [[ "$state" == JobState=COMPLETED ]]
}

write_cluster_json() {
  local file="$1" fingerprint
  fingerprint="$(ssh-keygen -l -f "$KEY_DIR/ssh_host_ed25519_key.pub" | cut -d' ' -f2)"
  mkdir -p "$(dirname "$file")"
  STATE_DIR="$STATE_DIR" ETC_DIR="$ETC_DIR" KEY_DIR="$KEY_DIR" HOME_ROOT="$HOME_ROOT" \
    SSH_PORT="$SSH_PORT" JUMP_PORT="$JUMP_PORT" REDIS_PORT="$REDIS_PORT" SENTINEL_PORT="$SENTINEL_PORT" \
    TEST_USER="$TEST_USER" KBD_USER="$KBD_USER" KBD_PASSWORD="$KBD_PASSWORD" FINGERPRINT="$fingerprint" \
    SLURM_CONF_FILE="$SLURM_CONF_FILE" NODE_NAME="$NODE_NAME" NODE_ADDR="$NODE_ADDR" NETNS="$NETNS" \
    LOGIN_ADDR="$LOGIN_ADDR" RUN_DIR="$RUN_DIR" DAEMONS="${DAEMONS[*]} ${ADDON_DAEMONS[*]}" FILE="$file" \
    NONODE_USER="$NONODE_USER" NONODE_PORT="$NONODE_PORT" ADDON_DIR="$ADDON_DIR" \
    INTRUDER_USER="$INTRUDER_USER" INTRUDER_UID="$(id -u "$INTRUDER_USER")" \
    COLLEAGUE_USER="$COLLEAGUE_USER" COLLEAGUE_UID="$(id -u "$COLLEAGUE_USER")" \
    LOGIN2_NAME="$LOGIN2_NAME" LOGIN2_ADDR="$LOGIN2_ADDR" LOGIN2_NETNS="$LOGIN2_NETNS" \
    LOGIN2_FINGERPRINT="$(ssh-keygen -l -f "$KEY_DIR/${LOGIN2_NAME}_host_ed25519_key.pub" | cut -d' ' -f2)" \
    DEFAULT_ACCOUNT="$DEFAULT_ACCOUNT" DEBUG_QOS_MAX_WALL="$DEBUG_QOS_MAX_WALL" \
    node "$LIB_DIR/write-cluster-json.mjs"
}

print_summary() {
  local mode="$1" elapsed_ms="$2" file="$3" daemon
  {
    printf 'Porthole test cluster %s in %s.%03d s (state: %s)\n' "$mode" "$((elapsed_ms / 1000))" "$((elapsed_ms % 1000))" "$STATE_DIR"
    for daemon in "${DAEMONS[@]}" "${ADDON_DAEMONS[@]}"; do
      printf '  %-12s pid %s\n' "$daemon" "$(live_pid "$daemon" || echo '?')"
    done
    printf '  ssh          ssh -F %s porthole-test   (user %s, 127.0.0.1:%s; jump host 127.0.0.1:%s)\n' "$ETC_DIR/ssh_config" "$TEST_USER" "$SSH_PORT" "$JUMP_PORT"
    printf '  slurm        SLURM_CONF=%s; partitions cpu (default), gpu (gres gpu:fake:1, account physics)\n' "$SLURM_CONF_FILE"
    printf '  %-12s %s in netns %s, sshd at %s:22\n' "$NODE_NAME" "$NODE_ADDR" "$NETNS" "$NODE_ADDR"
    printf '  %-12s %s in netns %s, sshd at %s:22 (ssh -F %s porthole-test-login2)\n' "$LOGIN2_NAME" "$LOGIN2_ADDR" "$LOGIN2_NETNS" "$LOGIN2_ADDR" "$ETC_DIR/ssh_config"
    printf '  accounting   slurmdbd + MariaDB; accounts %s (default %s), QOS normal, debug (MaxWall %s)\n' "${ACCOUNTS[*]}" "$DEFAULT_ACCOUNT" "$DEBUG_QOS_MAX_WALL"
    printf '  users        %s (ssh -F %s porthole-test-colleague), %s (no login); homes on %s, each a subvolume with a quota group\n' "$COLLEAGUE_USER" "$ETC_DIR/ssh_config" "$INTRUDER_USER" "$HOME_IMAGE"
    printf '  redis        redis://127.0.0.1:%s (sentinel 127.0.0.1:%s, master porthole)\n' "$REDIS_PORT" "$SENTINEL_PORT"
    printf '  described in %s\n' "$file"
  } 2>/dev/null
}
