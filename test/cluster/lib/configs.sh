# Writes every configuration file of the cluster into $OUT_DIR (sourced by `up`), a staging
# folder: `up` then moves only the files that changed into $ETC_DIR, each with one rename,
# because tests running at the same time read them (ssh_config above all) and must never see
# a half-written file. `up` compares their hash with the one the running daemons were
# started with, and restarts the cluster when they differ.
# shellcheck shell=bash

write_slurm_conf() {
  local controller="$1"
  cat >"$OUT_DIR/slurm.conf" <<CONF
# Written by test/cluster/up: a one-node Slurm 22.05 cluster without systemd, with slurmdbd.
ClusterName=porthole
# slurmctld checks that gethostname() is its SlurmctldHost ("not a valid controller"), so the
# name is this machine's own; the address in brackets is the login end of the veth, which
# node01 can reach (127.0.0.1 inside node01 is node01 itself).
SlurmctldHost=${controller}(${LOGIN_ADDR})
SlurmctldPort=${SLURMCTLD_PORT}
SlurmdPort=${SLURMD_PORT}
# Both daemons run as root: no systemd unit prepares /var/spool and /run for a slurm user,
# and every folder they use is under ${STATE_DIR}.
SlurmUser=root
SlurmdUser=root
# munged runs on a socket of its own, so a site munged (or none) on this machine does not matter.
AuthType=auth/munge
AuthInfo=socket=${MUNGE_SOCKET}
CredType=cred/munge
StateSaveLocation=${STATE_DIR}/slurmctld
SlurmdSpoolDir=${NODE_DIR}/spool
SlurmctldPidFile=${RUN_DIR}/slurm/slurmctld.pid
SlurmdPidFile=${NODE_DIR}/slurmd.pid
SlurmctldLogFile=${LOG_DIR}/slurmctld.log
SlurmdLogFile=${LOG_DIR}/slurmd-${NODE_NAME}.log
SlurmctldDebug=info
SlurmdDebug=info
# No systemd means no delegated cgroup tree: track job processes by parent PID. An Xvnc
# that a job script starts as its child is then ended by scancel; one started with
# setsid -f escapes the job and survives it.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
# Accounting through slurmdbd (MariaDB behind it), enforced as at an allocation-based site:
# a job runs under an account the user has, with a QOS that account allows, within its limits.
AccountingStorageType=accounting_storage/slurmdbd
AccountingStorageHost=${LOGIN_ADDR}
AccountingStoragePort=${SLURMDBD_PORT}
# The fixture's munge socket is not the default one: for slurmdbd, Slurm reads it from here.
AccountingStoragePass=${MUNGE_SOCKET}
AccountingStorageEnforce=associations,limits,qos
# A job its partition does not allow (AllowAccounts, MaxTime) is refused at submission, not left
# pending for ever.
EnforcePartLimits=ALL
# A finished job stays visible to scontrol show job for MinJobAge seconds (sacct has it after).
JobCompType=jobcomp/none
MinJobAge=300
MpiDefault=none
SwitchType=switch/none
# Jobs start fast: batch_sched_delay=0 starts a batch job as soon as it is submitted, and
# sched_min_interval=0 lets the scheduler run on every submission. Measured here (npm run
# bench -- slurm-start, after the warm-up job of test/cluster/up): about 30 ms sbatch → RUNNING and
# 40 ms to the script's first line, against about 3 s with the defaults.
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=256
# The node advertises more than this machine has (config_overrides), so that 60 small jobs
# run at once; the jobs are tests, not workloads.
SlurmdParameters=config_overrides
ReturnToService=2
KillWait=5
InactiveLimit=0
SlurmctldTimeout=30
SlurmdTimeout=60
MessageTimeout=10
PropagateResourceLimits=NONE
GresTypes=gpu
NodeName=${NODE_NAME} NodeAddr=${NODE_ADDR} CPUs=64 Sockets=1 CoresPerSocket=64 ThreadsPerCore=1 RealMemory=65536 Gres=gpu:fake:1 State=UNKNOWN
PartitionName=cpu Nodes=${NODE_NAME} Default=YES MaxTime=INFINITE State=UP
PartitionName=gpu Nodes=${NODE_NAME} MaxTime=INFINITE State=UP AllowAccounts=${DEFAULT_ACCOUNT}
CONF
  # A GPU that is visibly fake: type "fake", device /dev/null. Enough for --gres=gpu:1
  # requests and a GPU partition; nothing may rely on a real device behind it.
  cat >"$OUT_DIR/gres.conf" <<CONF
NodeName=${NODE_NAME} Name=gpu Type=fake File=/dev/null
CONF
  cat >"$OUT_DIR/cgroup.conf" <<CONF
CgroupPlugin=autodetect
CONF
}

# slurmdbd's own file: it holds the database password, so it is written apart from the
# staging folder (whose files all become 0644) and slurmdbd refuses it unless it is 0600 and
# owned by SlurmUser. slurmdbd has no -f: it reads slurmdbd.conf beside $SLURM_CONF.
write_slurmdbd_conf() {
  local password
  password="$(<"$KEY_DIR/slurmdbd-db-password")"
  put_file "$ETC_DIR/slurmdbd.conf" 600 root:root "$(
    cat <<CONF
# Written by test/cluster/up.
AuthType=auth/munge
AuthInfo=socket=${MUNGE_SOCKET}
DbdHost=$1
DbdAddr=${LOGIN_ADDR}
DbdPort=${SLURMDBD_PORT}
SlurmUser=root
PidFile=${RUN_DIR}/slurm/slurmdbd.pid
LogFile=${LOG_DIR}/slurmdbd.log
DebugLevel=info
# 127.0.0.1 and a port, not localhost: with localhost the MySQL client looks for the default
# socket (/run/mysqld) and retries for ever.
StorageType=accounting_storage/mysql
StorageHost=127.0.0.1
StoragePort=${MARIADB_PORT}
StorageUser=slurm
StoragePass=${password}
StorageLoc=slurm_acct_db
CONF
  )"
}

# The login side's sshd: key login for $TEST_USER, keyboard-interactive (a password prompt
# through PAM) for $KBD_USER, so the app's prompt path can be tested.
write_login_sshd_config() {
  cat >"$OUT_DIR/sshd_config" <<CONF
Port ${SSH_PORT}
ListenAddress 127.0.0.1
HostKey ${KEY_DIR}/ssh_host_ed25519_key
PidFile ${RUN_DIR}/sshd/sshd.pid
AuthorizedKeysFile .ssh/authorized_keys
# Keyboard-interactive needs PAM (without it OpenSSH on Linux offers no such method).
UsePAM yes
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication yes
PermitRootLogin no
AllowUsers ${TEST_USER} ${KBD_USER} ${COLLEAGUE_USER}
AuthenticationMethods publickey
AllowTcpForwarding yes
AllowStreamLocalForwarding yes
# The app multiplexes its agent, SFTP and every tunnel over one connection.
MaxSessions 200
MaxStartups 100:30:200
PrintMotd no
PrintLastLog no
Subsystem sftp internal-sftp
# slurm.conf is not in Slurm's default path: every session needs SLURM_CONF.
# LC_ALL=C: twm and Xvnc fail on font sets in a UTF-8 locale without locale data.
SetEnv SLURM_CONF=${SLURM_CONF_FILE} LC_ALL=C
Match User ${KBD_USER}
  AuthenticationMethods keyboard-interactive
CONF
}

# What every key-only sshd of the fixture says besides where it listens and whom it lets in.
# UsePAM no: with it, a locked password ('!') would refuse keys too, so the users have '*'.
key_only_sshd_options() {
  cat <<CONF
AuthorizedKeysFile .ssh/authorized_keys
UsePAM no
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin no
AllowTcpForwarding yes
AllowStreamLocalForwarding yes
MaxSessions 200
PrintMotd no
PrintLastLog no
Subsystem sftp internal-sftp
CONF
}

# A second sshd on the login side, used as a ProxyJump host (same user and key).
write_jump_sshd_config() {
  {
    cat <<CONF
Port ${JUMP_PORT}
ListenAddress 127.0.0.1
HostKey ${KEY_DIR}/ssh_host_ed25519_key
PidFile ${RUN_DIR}/sshd/jump-sshd.pid
AllowUsers ${TEST_USER}
SetEnv SLURM_CONF=${SLURM_CONF_FILE} LC_ALL=C
CONF
    key_only_sshd_options
  } >"$OUT_DIR/sshd_config.jump"
}

# node01's own sshd, on the node's veth address (the login side must reach it for the
# `ssh` route of docs/architecture.md §5; nothing outside this machine can reach 198.51.100.0/24).
write_node_sshd_config() {
  {
    cat <<CONF
Port 22
ListenAddress ${NODE_ADDR}
HostKey ${KEY_DIR}/${NODE_NAME}_host_ed25519_key
PidFile ${NODE_DIR}/sshd.pid
AllowUsers ${TEST_USER}
SetEnv SLURM_CONF=${SLURM_CONF_FILE} LC_ALL=C
CONF
    key_only_sshd_options
  } >"$OUT_DIR/sshd_config.${NODE_NAME}"
}

# login2's sshd, on its own address in its own namespace, with a host key of its own (a site's
# login nodes may share one key or not; a different one proves the app keeps a key per host).
write_login2_sshd_config() {
  {
    cat <<CONF
Port 22
ListenAddress ${LOGIN2_ADDR}
HostKey ${KEY_DIR}/${LOGIN2_NAME}_host_ed25519_key
PidFile ${LOGIN2_DIR}/sshd.pid
AllowUsers ${TEST_USER} ${COLLEAGUE_USER}
MaxStartups 100:30:200
SetEnv SLURM_CONF=${SLURM_CONF_FILE} LC_ALL=C
CONF
    key_only_sshd_options
  } >"$OUT_DIR/sshd_config.${LOGIN2_NAME}"
}

# set-proc-title no: keep the command line naming our files, so that `down` can still find
# a daemon by it if its PID file is lost.
write_redis_configs() {
  cat >"$OUT_DIR/redis.conf" <<CONF
set-proc-title no
bind 127.0.0.1
port ${REDIS_PORT}
protected-mode yes
daemonize no
dir ${STATE_DIR}/redis
save ""
appendonly no
logfile ${LOG_DIR}/redis.log
CONF
}

# Sentinel rewrites its own file, so it gets a copy outside the hashed configuration.
write_sentinel_config() {
  cat >"$STATE_DIR/redis/sentinel.conf" <<CONF
set-proc-title no
bind 127.0.0.1
port ${SENTINEL_PORT}
daemonize no
dir ${STATE_DIR}/redis
logfile ${LOG_DIR}/sentinel.log
sentinel monitor porthole 127.0.0.1 ${REDIS_PORT} 1
sentinel down-after-milliseconds porthole 5000
CONF
}

# One Host block of the workstation's ssh_config, signing in with the test key ($identity, when
# set, names another key of $KEY_DIR): alias, address, port, user, then any further options (one
# an argument).
key_login_host() {
  local alias="$1" address="$2" port="$3" user="$4" option key="${identity:-id_ed25519}"
  shift 4
  printf 'Host %s\n  HostName %s\n  Port %s\n  User %s\n' "$alias" "$address" "$port" "$user"
  for option in "$@"; do printf '  %s\n' "$option"; done
  printf '  IdentityFile %s\n  IdentitiesOnly yes\n  UserKnownHostsFile %s\n  StrictHostKeyChecking yes\n  BatchMode yes\n' \
    "$KEY_DIR/$key" "$KEY_DIR/known_hosts"
}

write_ssh_client_config() {
  local file="$1"
  {
    echo "# Written by test/cluster/up. ssh -F ${ETC_DIR}/ssh_config porthole-test hostname"
    key_login_host porthole-test 127.0.0.1 "$SSH_PORT" "$TEST_USER"
    echo
    key_login_host porthole-test-jump 127.0.0.1 "$JUMP_PORT" "$TEST_USER"
    echo
    echo '# The login side reached through the jump host.'
    key_login_host porthole-test-via-jump 127.0.0.1 "$SSH_PORT" "$TEST_USER" 'ProxyJump porthole-test-jump'
    echo
    echo '# The second login node, on its own address (failover between login nodes).'
    key_login_host porthole-test-login2 "$LOGIN2_ADDR" 22 "$TEST_USER"
    echo
    echo "# The colleague a desktop is shared with, on each login node."
    identity=id_ed25519_colleague key_login_host porthole-test-colleague 127.0.0.1 "$SSH_PORT" "$COLLEAGUE_USER"
    echo
    identity=id_ed25519_colleague key_login_host porthole-test-colleague-login2 "$LOGIN2_ADDR" 22 "$COLLEAGUE_USER"
    echo
    cat <<CONF
# The second user, who signs in by answering a password prompt (keyboard-interactive).
Host porthole-test-kbd
  HostName 127.0.0.1
  Port ${SSH_PORT}
  User ${KBD_USER}
  PubkeyAuthentication no
  PreferredAuthentications keyboard-interactive
  UserKnownHostsFile ${KEY_DIR}/known_hosts
  StrictHostKeyChecking yes
CONF
  } >"$file"
}
