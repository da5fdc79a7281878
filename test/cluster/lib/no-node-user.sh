# The login node without Node.js, sourced by `up`: a user $NONODE_USER whose SSH
# sessions get a PATH with no `node` in it, through an sshd of its own on 127.0.0.1:$NONODE_PORT.
# Node lives in /usr/bin here (and /bin is /usr/bin), so that PATH is a folder of links to
# everything in /usr/bin except Node's programs. The home is on the same "shared file system"
# as the others, so node01 sees what the app puts there (~/.porthole/runtime).
# shellcheck shell=bash

NONODE_BIN="$STATE_DIR/no-node-bin"
NODE_PROGRAMS='node|nodejs|npm|npx|corepack'

# Rebuilt only when /usr/bin changes (a package was installed); the switch is one rename of a
# link, so a session starting meanwhile never finds the PATH folder missing.
ensure_no_node_bin() {
  local listing stamp dir names
  listing="$(find /usr/bin -mindepth 1 -maxdepth 1 \( -type f -o -type l \) -printf '%f\n' | grep -vxE "$NODE_PROGRAMS" | LC_ALL=C sort)"
  stamp="$(sha256sum <<<"$listing" | cut -c1-16)"
  dir="$NONODE_BIN.$stamp"
  if [[ ! -d "$dir" ]]; then
    rm -rf "$dir.tmp"
    mkdir -p "$dir.tmp"
    mapfile -t names <<<"$listing"
    ln -s -t "$dir.tmp" "${names[@]/#//usr/bin/}"
    chmod 755 "$dir.tmp"
    mv "$dir.tmp" "$dir"
  fi
  if [[ "$(readlink "$NONODE_BIN" 2>/dev/null || true)" != "$dir" ]]; then
    ln -sfn "$dir" "$NONODE_BIN.new"
    mv -T "$NONODE_BIN.new" "$NONODE_BIN"
  fi
  find "$STATE_DIR" -mindepth 1 -maxdepth 1 -name 'no-node-bin.*' ! -path "$dir" -exec rm -rf {} +
}

ensure_no_node_user() {
  local home="$HOME_ROOT/$NONODE_USER" owner="$NONODE_USER:$NONODE_USER"
  ensure_user "$NONODE_USER"
  [[ "$(getent shadow "$NONODE_USER" | cut -d: -f2)" == '*' ]] || usermod -p '*' "$NONODE_USER"
  put_file "$home/.ssh/authorized_keys" 600 "$owner" "$(<"$KEY_DIR/id_ed25519.pub")"
  chown "$owner" "$home" "$home/.ssh"
}

write_no_node_configs() {
  mkdir -p "$ADDON_DIR"
  chmod 755 "$ADDON_DIR"
  # SetEnv overrides sshd's default PATH (which has /usr/bin, and so node).
  put_file "$ADDON_DIR/sshd_config.nonode" 644 root:root "$(
    cat <<CONF
Port ${NONODE_PORT}
ListenAddress 127.0.0.1
HostKey ${KEY_DIR}/ssh_host_ed25519_key
PidFile ${RUN_DIR}/sshd/nonode-sshd.pid
AllowUsers ${NONODE_USER}
SetEnv PATH=${NONODE_BIN}:/usr/sbin SLURM_CONF=${SLURM_CONF_FILE} LC_ALL=C
CONF
    key_only_sshd_options
  )"
  put_file "$ADDON_DIR/ssh_config.nonode" 644 root:root "$(
    cat <<CONF
# Written by test/cluster/up. ssh -F ${ADDON_DIR}/ssh_config.nonode porthole-test-nonode
CONF
    key_login_host porthole-test-nonode 127.0.0.1 "$NONODE_PORT" "$NONODE_USER"
  )"
}

nonode_sshd_answers() {
  [[ "$(timeout 20 ssh -F "$ADDON_DIR/ssh_config.nonode" -o ConnectTimeout=5 porthole-test-nonode 'command -v node || echo no-node')" == no-node ]]
}

# Started (or, when its configuration changed, restarted: only this sshd) beside the cluster.
ensure_addon_daemons() {
  local config_hash pid
  config_hash="$(sha256sum "$ADDON_DIR/sshd_config.nonode" | cut -d' ' -f1)"
  if pid="$(live_pid nonode-sshd)"; then
    [[ "$(cat "$RUN_DIR/nonode-sshd.sha256" 2>/dev/null || true)" == "$config_hash" ]] && return 0
    kill -TERM "$pid"
    wait_until "the old no-node sshd to stop" 5 /dev/null bash -c "! kill -0 $pid 2>/dev/null"
  fi
  start_daemon nonode-sshd /usr/sbin/sshd -D -f "$ADDON_DIR/sshd_config.nonode" -E "$LOG_DIR/sshd-nonode.log"
  printf '%s\n' "$config_hash" >"$RUN_DIR/nonode-sshd.sha256"
  wait_until "no-node sshd" 10 "$LOG_DIR/sshd-nonode.log" nonode_sshd_answers
}
