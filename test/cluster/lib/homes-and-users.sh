# The state folders, the homes' file system, the keys and the test users (sourced by `up`).
# shellcheck shell=bash

prepare_state_dirs() {
  mkdir -p "$RUN_DIR/munge" "$RUN_DIR/slurm" "$RUN_DIR/sshd" "$RUN_DIR/mariadb" "$LOG_DIR" "$ETC_DIR" "$KEY_DIR" \
    "$HOME_ROOT" "$NODE_DIR/spool" "$LOGIN2_DIR" "$MARIADB_DIR" "$STATE_DIR/slurmctld" "$STATE_DIR/redis" /run/sshd
  ensure_home_filesystem
  chmod 755 "$RUN_DIR" "$RUN_DIR/munge" "$HOME_ROOT" "$ETC_DIR"
  chmod 700 "$KEY_DIR" "$STATE_DIR/slurmctld" "$MARIADB_DIR" "$RUN_DIR/mariadb"
  chown mysql:mysql "$MARIADB_DIR" "$RUN_DIR/mariadb"
  [[ -s "$KEY_DIR/munge.key" ]] || {
    head -c 1024 /dev/urandom >"$KEY_DIR/munge.key"
    chmod 400 "$KEY_DIR/munge.key"
  }
  [[ -s "$KEY_DIR/slurmdbd-db-password" ]] || {
    (umask 077 && head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$KEY_DIR/slurmdbd-db-password")
  }
}

# Mounts the homes' file system (made once, with quota groups on). Homes made before it existed
# are carried over once, each into a subvolume. `down` leaves it mounted, as it leaves the homes:
# the next `up` finds it.
ensure_home_filesystem() {
  local old
  mountpoint -q "$HOME_ROOT" && return 0
  if [[ ! -s "$HOME_IMAGE" ]]; then
    truncate -s "$HOME_IMAGE_SIZE" "$HOME_IMAGE"
    mkfs.btrfs -q -f "$HOME_IMAGE" >/dev/null || die "cannot make the homes' file system $HOME_IMAGE"
  fi
  if [[ -n "$(ls -A "$HOME_ROOT" 2>/dev/null)" ]]; then
    rm -rf "$HOME_ROOT.old"
    mv "$HOME_ROOT" "$HOME_ROOT.old"
  fi
  mkdir -p "$HOME_ROOT"
  mount -o loop "$HOME_IMAGE" "$HOME_ROOT" || die "cannot mount $HOME_IMAGE on $HOME_ROOT (loop devices?)"
  btrfs quota enable "$HOME_ROOT" || die "cannot turn on quotas on $HOME_ROOT"
  if [[ -d "$HOME_ROOT.old" ]]; then
    for old in "$HOME_ROOT.old"/*/; do
      old="${old%/}"
      make_home "$HOME_ROOT/$(basename "$old")"
      cp -a "$old/." "$HOME_ROOT/$(basename "$old")/"
    done
    rm -rf "$HOME_ROOT.old"
  fi
}

# A home is a subvolume, so its owner's quota can be set alone:
#   btrfs qgroup limit 100M <home>   (and `btrfs qgroup limit none <home>` to lift it)
make_home() {
  [[ -d "$1" ]] || btrfs subvolume create "$1" >/dev/null || die "cannot make the home $1"
}

ensure_keys() {
  local name
  for name in id_ed25519 id_ed25519_colleague ssh_host_ed25519_key "${NODE_NAME}_host_ed25519_key" "${LOGIN2_NAME}_host_ed25519_key"; do
    [[ -s "$KEY_DIR/$name" ]] || ssh-keygen -q -t ed25519 -N '' -C "porthole-test-cluster $name" -f "$KEY_DIR/$name"
  done
}

# Creates a user whose home is on the "shared file system" (the same folder from both sides).
ensure_user() {
  local user="$1" home="$HOME_ROOT/$1"
  make_home "$home"
  if ! id "$user" >/dev/null 2>&1; then
    useradd --home-dir "$home" --shell /bin/bash --user-group "$user"
  elif [[ "$(getent passwd "$user" | cut -d: -f6)" != "$home" ]]; then
    usermod --home "$home" "$user"
  fi
  mkdir -p "$home/.ssh"
  chmod 700 "$home" "$home/.ssh"
}

# Runs on every `up`, while tests may be signing in: files change only when they must, and
# then by rename (an authorized_keys truncated for a moment would refuse a login).
ensure_users() {
  local home="$HOME_ROOT/$TEST_USER" owner="$TEST_USER:$TEST_USER"
  ensure_user "$TEST_USER"
  # '*': no password can match, yet the account is not locked ('!' would refuse key logins too).
  [[ "$(getent shadow "$TEST_USER" | cut -d: -f2)" == '*' ]] || usermod -p '*' "$TEST_USER"
  put_file "$home/.ssh/authorized_keys" 600 "$owner" "$(<"$KEY_DIR/id_ed25519.pub")"
  # The same key lets the user hop from the login side to node01 (`ssh node01`), as on a
  # cluster where the shared home holds the user's own key.
  put_file "$home/.ssh/id_ed25519" 600 "$owner" "$(<"$KEY_DIR/id_ed25519")"
  put_file "$home/.ssh/id_ed25519.pub" 644 "$owner" "$(<"$KEY_DIR/id_ed25519.pub")"
  put_file "$home/.ssh/known_hosts" 644 "$owner" \
    "$NODE_NAME,$NODE_ADDR $(cut -d' ' -f1,2 "$KEY_DIR/${NODE_NAME}_host_ed25519_key.pub")"
  chown "$owner" "$home" "$home/.ssh"

  ensure_user "$KBD_USER"
  # The password is set once per state folder (chpasswd rewrites /etc/shadow each time).
  if [[ ! -e "$KEY_DIR/kbd-password-set" ]]; then
    printf '%s:%s\n' "$KBD_USER" "$KBD_PASSWORD" | chpasswd
    touch "$KEY_DIR/kbd-password-set"
  fi
  chown "$KBD_USER:$KBD_USER" "$HOME_ROOT/$KBD_USER" "$HOME_ROOT/$KBD_USER/.ssh"

  ensure_user "$INTRUDER_USER"
  # '!': no login of any kind; tests become this user with setpriv, not through sshd.
  [[ "$(getent shadow "$INTRUDER_USER" | cut -d: -f2)" == '!' ]] || usermod -p '!' "$INTRUDER_USER"
  chown "$INTRUDER_USER:$INTRUDER_USER" "$HOME_ROOT/$INTRUDER_USER" "$HOME_ROOT/$INTRUDER_USER/.ssh"

  ensure_user "$COLLEAGUE_USER"
  [[ "$(getent shadow "$COLLEAGUE_USER" | cut -d: -f2)" == '*' ]] || usermod -p '*' "$COLLEAGUE_USER"
  put_file "$HOME_ROOT/$COLLEAGUE_USER/.ssh/authorized_keys" 600 "$COLLEAGUE_USER:$COLLEAGUE_USER" \
    "$(<"$KEY_DIR/id_ed25519_colleague.pub")"
  chown "$COLLEAGUE_USER:$COLLEAGUE_USER" "$HOME_ROOT/$COLLEAGUE_USER" "$HOME_ROOT/$COLLEAGUE_USER/.ssh"
}
