#!/bin/bash
# A GPU desktop for Moonlight: a headless X server, a desktop session in it, and Sunshine
# streaming it, all children of this script (so scancel ends them). connection.json is written
# once Sunshine answers; `ended` on exit. Every PORTHOLE_* value was set above by the agent,
# each as one single-quoted word; the porthole_* functions are the agent's job library
# (templates/lib/job-lib.sh).
set -euo pipefail

porthole_begin

node=$(hostname -s)
# Sunshine keeps its key, certificate and paired clients per node on the shared home: a later
# job on the same node is still paired with the same Moonlight, and nodes never share an identity.
state_dir="$HOME/.porthole/sunshine/$node"
mkdir -p "$state_dir"

# Programs of the desktop run inside the image (GPUs are asked for: --nv) or as installed.
# Sunshine injects keyboard and mouse through uinput; without it the stream is view-only.
if [ -e /dev/uinput ]; then porthole_use_runtime "$state_dir" /dev/uinput; else porthole_use_runtime "$state_dir"; fi

if [ -w /dev/uinput ]; then
  echo "porthole: input through /dev/uinput"
else
  echo "porthole: /dev/uinput is missing or not writable on $node: keyboard and mouse will not reach the desktop (ask the site to give users access to it)" >&2
fi
if command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi --query-gpu=name --format=csv,noheader >/dev/null 2>&1; then
  echo "porthole: GPU $(nvidia-smi --query-gpu=name --format=csv,noheader | head -n 1): Sunshine encodes with NVENC"
else
  echo "porthole: no NVIDIA GPU answers on $node: Sunshine falls back to software encoding" >&2
fi

# The address Moonlight will reach: the node's first one (its name may not resolve off-site).
host=$(hostname -I 2>/dev/null | awk '{ print $1 }')
if [ -z "$host" ]; then host=$(hostname -f); fi

# A headless X server, with the session's cookie, on a display it chooses and reports itself:
# Xvfb, or Xvnc with its VNC port turned off.
porthole_new_xauthority
# shellcheck disable=SC2154 # run_in_runtime: set by porthole_use_runtime (job-lib.sh, above in the batch script)
if "${run_in_runtime[@]}" sh -c 'command -v Xvfb' >/dev/null 2>&1; then
  x_server=(Xvfb -screen 0 "${PORTHOLE_RESOLUTION}x24")
else
  x_server=(Xvnc -rfbport -1 -SecurityTypes None -geometry "$PORTHOLE_RESOLUTION" -depth 24)
fi
if ! porthole_start_x_server "${x_server[@]}"; then
  echo "porthole: could not start an X server (${x_server[0]})" >&2
  exit 1
fi
child_pids+=("$x_pid")

porthole_start_window_manager

# Sunshine's web-UI credentials, in the format Sunshine itself saves them (sha256 of password
# then salt, upper-case hex), instead of `sunshine --creds user password`: that would put the
# password in a process's argv, which every user of the node can read. `printf` and `read` are
# bash built-ins, so the password never reaches another process's arguments.
# shellcheck disable=SC2154 # session_dir: set by porthole_begin (job-lib.sh, above in the batch script)
{ IFS= read -r web_user; IFS= read -r web_password; } <"$session_dir/sunshine-credentials"
salt=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
password_hash=$(printf '%s%s' "$web_password" "$salt" | sha256sum | cut -d ' ' -f 1 | tr 'a-f' 'A-F')
unset web_password
printf '{"username":"%s","salt":"%s","password":"%s"}\n' "$web_user" "$salt" "$password_hash" >"$session_dir/sunshine-web-credentials.json"

printf '{"env":{},"apps":[{"name":"Desktop","image-path":"desktop.png"}]}\n' >"$session_dir/sunshine-apps.json"

# Sunshine's ports are offsets of its base (docs/field-notes.md): TCP −5, 0, +1, +21; UDP +9,
# +10, +11. Bases 100 apart never overlap, so two jobs on one node cannot share a port.
# Sunshine has one bind address for all its ports, and its web UI must answer on the node's
# loopback: so no bind_address (every interface), and the web UI refuses any request that is
# not from the loopback (origin_web_ui_allowed = pc), where Porthole reaches it through the
# relay. Moonlight's stream must come from the node's address: encryption is mandatory for it
# (mode 2: unencrypted clients are refused), on every network.
sunshine_pid=""
for attempt in $(seq 1 20); do
  port_base=$(( 40000 + (RANDOM % 200) * 100 ))
  taken=""
  for offset in -5 0 1 21; do
    for address in "$host" 127.0.0.1; do
      if porthole_port_answers "$address" $(( port_base + offset )); then taken=yes; fi
    done
  done
  if [ -n "$taken" ]; then continue; fi
  cat >"$session_dir/sunshine.conf" <<CONF
sunshine_name = Porthole $node
port = $port_base
origin_web_ui_allowed = pc
lan_encryption_mode = 2
wan_encryption_mode = 2
credentials_file = $session_dir/sunshine-web-credentials.json
file_state = $state_dir/sunshine_state.json
pkey = $state_dir/sunshine-key.pem
cert = $state_dir/sunshine-cert.pem
file_apps = $session_dir/sunshine-apps.json
log_path = $session_dir/sunshine.log
CONF
  "${run_in_runtime[@]}" sunshine "$session_dir/sunshine.conf" &
  sunshine_pid=$!
  # Ready when the ports Porthole and Moonlight talk to (the web UI, Moonlight's HTTP) are
  # listened on as this user: a port another user bound first is not taken for Sunshine.
  if porthole_await_start "$sunshine_pid" 0.1 300 porthole_ports_are_mine "$port_base" $((port_base + 1)); then break; fi
  sunshine_pid=""
  echo "porthole: Sunshine did not start on port base $port_base (attempt $attempt)" >&2
done
if [ -z "$sunshine_pid" ]; then
  echo "porthole: could not start Sunshine" >&2
  exit 1
fi
child_pids+=("$sunshine_pid")

porthole_write_connection "$(printf '{"kind":"sunshine","node":"%s","host":"%s","portBase":%d}' "$node" "$host" "$port_base")"
echo "porthole: Sunshine ready on $host port base $port_base of $node"
# Idle: no Moonlight client streaming (Sunshine's log) and no input in the X server it captures.
porthole_watch_idle "$sunshine_pid" porthole_stream_client_connected

# The desktop lives as long as Sunshine.
wait "$sunshine_pid"
