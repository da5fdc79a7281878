# shellcheck shell=bash
# What every Porthole job does the same way, as functions. The agent puts this file into each
# batch script between the PORTHOLE_* values and the template's job.sh (agent/batch-script.ts),
# so a template (shipped, site or user) calls these instead of copying them. Nothing here runs
# until a job.sh calls it.

# Session folder, private files, and the `ended` file on every exit (DESIGN.md §4). Programs
# added to child_pids are stopped first, so scancel leaves nothing of the session behind.
porthole_begin() {
  session_dir="$PORTHOLE_SESSION_DIR"
  umask 077
  child_pids=()
  export LC_ALL=C
  trap porthole_on_exit EXIT
  trap 'exit 143' TERM INT
}

porthole_on_exit() {
  local status=$? pid watchdog
  if ((${#child_pids[@]})); then
    for pid in "${child_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    # `ended` then also means that the servers are gone and their ports free; one that ignores
    # SIGTERM gets SIGKILL after 2 s.
    (sleep 2 && kill -9 "${child_pids[@]}") 2>/dev/null &
    watchdog=$!
    wait "${child_pids[@]}" 2>/dev/null || true
    kill "$watchdog" 2>/dev/null || true
  fi
  printf '%s %s\n' "$status" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >"$session_dir/ended.tmp"
  mv -f "$session_dir/ended.tmp" "$session_dir/ended"
}

# Sets run_in_runtime: how the desktop's programs start, inside the image or as installed.
# `--nv` when GPUs were asked for; each argument is one more folder or device to bind.
porthole_use_runtime() {
  local bind
  run_in_runtime=()
  case "$PORTHOLE_RUNTIME" in
    apptainer | singularity)
      run_in_runtime=("$PORTHOLE_RUNTIME" exec)
      if [ "${PORTHOLE_GPUS:-0}" != "0" ]; then run_in_runtime+=(--nv); fi
      for bind in "$session_dir" "$@"; do run_in_runtime+=(--bind "$bind"); done
      run_in_runtime+=("$PORTHOLE_IMAGE")
      ;;
    native) ;;
    *) echo "porthole: unknown runtime '$PORTHOLE_RUNTIME'" >&2; exit 2 ;;
  esac
  echo "porthole: runtime $PORTHOLE_RUNTIME: ${run_in_runtime[*]:-(native)}"
}

# True when something accepts a TCP connection at host $1, port $2.
porthole_port_answers() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# Waits for a server just started as PID $1 to be ready, by the check that follows ($4…), tried
# every $2 seconds at most $3 times. True once the check passes; false when the server died or
# took too long, and then it is stopped and reaped, so a caller can try again elsewhere.
porthole_await_start() {
  local pid="$1" interval="$2" tries="$3"
  shift 3
  for _ in $(seq 1 "$tries"); do
    kill -0 "$pid" 2>/dev/null || break
    if "$@"; then return 0; fi
    sleep "$interval"
  done
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  return 1
}

# Starts Xvnc on a free display and port of the node's loopback, with the session's password.
# Sets display, vnc_port and xvnc_pid (also in child_pids); exits the job when none starts.
porthole_start_xvnc() {
  local attempt
  vncpasswd -f <"$session_dir/vnc-password" >"$session_dir/vnc.passwd"
  chmod 600 "$session_dir/vnc.passwd"
  xvnc_pid=""
  for attempt in $(seq 1 20); do
    display=$(( (RANDOM % 400) + 100 ))
    vnc_port=$(( 5900 + display ))
    if [ -e "/tmp/.X${display}-lock" ] || porthole_port_answers 127.0.0.1 "$vnc_port"; then continue; fi
    "${run_in_runtime[@]}" Xvnc ":$display" -rfbport "$vnc_port" -localhost -SecurityTypes VncAuth \
      -PasswordFile "$session_dir/vnc.passwd" -UseBlacklist=0 -geometry "$PORTHOLE_RESOLUTION" \
      -depth 24 -AlwaysShared &
    xvnc_pid=$!
    # Looked at every 20 ms: the person is waiting for exactly this moment (10 s at most).
    if porthole_await_start "$xvnc_pid" 0.02 500 porthole_port_answers 127.0.0.1 "$vnc_port"; then
      child_pids+=("$xvnc_pid")
      return 0
    fi
    xvnc_pid=""
    echo "porthole: Xvnc on display :$display did not start (attempt $attempt)" >&2
  done
  echo "porthole: could not start the VNC server" >&2
  exit 1
}

# A VNC session's server: Xvnc started, connection.json written (the session is ready), and
# DISPLAY set for the programs the template starts next.
porthole_serve_vnc() {
  porthole_start_xvnc
  porthole_write_connection "$(printf '{"kind":"vnc","node":"%s","port":%d,"display":%d}' "$(hostname -s)" "$vnc_port" "$display")"
  echo "porthole: VNC server ready on 127.0.0.1:$vnc_port of $(hostname -s)"
  export DISPLAY=":$display"
}

# Writes connection.json ($1, one line of JSON) atomically: the agent reads it as "ready".
porthole_write_connection() {
  printf '%s\n' "$1" >"$session_dir/connection.json.tmp"
  mv -f "$session_dir/connection.json.tmp" "$session_dir/connection.json"
}

# Starts the desktop's session program in $DISPLAY: the first window manager that is there.
porthole_start_window_manager() {
  local program
  for program in startxfce4 twm; do
    if "${run_in_runtime[@]}" sh -c "command -v $program" >/dev/null 2>&1; then
      "${run_in_runtime[@]}" "$program" &
      child_pids+=("$!")
      return 0
    fi
  done
  echo "porthole: no window manager (startxfce4, twm) on $(hostname -s)" >&2
}
