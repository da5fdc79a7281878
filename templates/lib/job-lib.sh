# shellcheck shell=bash
# What every Porthole job does the same way, as functions. The agent puts this file into each
# batch script between the PORTHOLE_* values and the template's job.sh (agent/batch-script.ts),
# so a template (shipped, site or user) calls these instead of copying them. Nothing here runs
# until a job.sh calls it.

# Session folder, private files, and the `ended` file on every exit (docs/architecture.md §4). Programs
# added to child_pids are stopped first, so scancel leaves nothing of the session behind.
# node_dir: a folder on the node that only this user can enter, for the desktop server's sockets.
# It is in /tmp because Apptainer binds /tmp into the image by default; mktemp makes it with
# mode 0700 under a name nobody can guess, and fails rather than reuse a folder another user made.
porthole_begin() {
  session_dir="$PORTHOLE_SESSION_DIR"
  umask 077
  child_pids=()
  export LC_ALL=C
  node_dir=""
  trap porthole_on_exit EXIT
  trap 'exit 143' TERM INT
  node_dir=$(mktemp -d /tmp/porthole-XXXXXXXXXX)
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
  if [ -n "$node_dir" ]; then rm -rf "$node_dir"; fi
  rm -f "$session_dir/xauthority"
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

# True when every TCP port given is listened on by a socket of this user (the uid column of
# /proc/net/tcp{,6}, in the job's own network namespace). "The port answers" proves nothing on a
# shared node: another user may have bound it first.
porthole_ports_are_mine() {
  local port
  for port in "$@"; do
    awk -v port="$(printf ':%04X' "$port")" -v uid="$(id -u)" \
      'substr($2, length($2) - 4) == port && $4 == "0A" && $8 == uid { found = 1 } END { exit !found }' \
      /proc/net/tcp /proc/net/tcp6 2>/dev/null || return 1
  done
}

# Waits for a server just started as PID $1 to be ready, by the check that follows ($4…), tried
# every $2 seconds at most $3 times. True once the check passes; false when the server died or
# took too long, and then it is stopped and reaped, so a caller can try again elsewhere.
porthole_await_start() {
  local pid="$1" interval="$2" tries="$3" try
  shift 3
  # Counted by bash itself: a `seq` process took 44 ms of a desktop's start on a busy node.
  for ((try = 0; try < tries; try++)); do
    kill -0 "$pid" 2>/dev/null || break
    if "$@"; then return 0; fi
    sleep "$interval"
  done
  porthole_stop "$pid"
  return 1
}

# Stops the server started as PID $1 and reaps it.
porthole_stop() {
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

# A fresh MIT-MAGIC-COOKIE for this session's X server, in $session_dir/xauthority (0600 under
# the job's umask), exported as XAUTHORITY for every program of the desktop. One entry for any
# address and display (family ffff, no number): the server picks its display only when it starts.
# The cookie goes to xauth on stdin, never in an argument: every user of the node can read argv.
porthole_new_xauthority() {
  local cookie
  XAUTHORITY="$session_dir/xauthority"
  export XAUTHORITY
  rm -f "$XAUTHORITY"
  : >"$XAUTHORITY"
  cookie=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
  # "MIT-MAGIC-COOKIE-1" in hex, and the 16-byte cookie, in xauth's numeric (nlist) format.
  printf 'ffff 0000  0000  0012 4d49542d4d414749432d434f4f4b49452d31 0010 %s\n' "$cookie" |
    "${run_in_runtime[@]}" xauth -q -f "$XAUTHORITY" nmerge -
}

# Reads the display number the X server started as PID $2 writes, a whole line, from the pipe
# open on descriptor $1 into `display`: woken by the write itself, or by the pipe's end when the
# server dies; 10 s at most. False when the server died, reported something else or took longer
# (it is then stopped and reaped).
porthole_read_display() {
  local fd="$1" pid="$2" line=""
  if IFS= read -r -t 10 -u "$fd" line && [[ "$line" =~ ^[0-9]+$ ]]; then
    display=$line
    return 0
  fi
  porthole_stop "$pid"
  return 1
}

# Starts an X server ($@: its program and options) that requires the session's cookie, listens
# on no TCP port, chooses a free display itself and reports it once it accepts connections
# (-displayfd): a socket that merely exists, which another user may have planted, proves nothing.
# Sets display and x_pid, and exports DISPLAY. False when the server died or took more than 10 s
# (it is then stopped), or when its display socket is not this user's.
porthole_start_x_server() {
  local socket fd log started=0
  # The server reports into a pipe (a process substitution, whose process the server becomes):
  # the job goes on the moment it writes, with no file polled and no process besides the server.
  # The person is waiting for exactly this moment. Its own output goes to the job's log.
  exec {log}>&1
  # The descriptor is opened inside the runtime: an image's runtime need not pass ours on.
  # shellcheck disable=SC2016 # $@ is the inner sh's
  exec {fd}< <(exec "${run_in_runtime[@]}" sh -c 'exec "$@" -displayfd 3 3>&1 1>&4 4>&-' sh \
    "$@" -auth "$XAUTHORITY" -nolisten tcp 4>&"$log")
  x_pid=$!
  exec {log}>&-
  porthole_read_display "$fd" "$x_pid" && started=1
  exec {fd}<&-
  [ "$started" = 1 ] || return 1
  socket="/tmp/.X11-unix/X$display"
  if [ ! -S "$socket" ] || [ ! -O "$socket" ]; then
    echo "porthole: the X server reported display :$display, but $socket is not a socket of $(id -un): refusing it" >&2
    porthole_stop "$x_pid"
    return 1
  fi
  export DISPLAY=":$display"
  echo "porthole: X server ready on display :$display (cookie required)"
}

# Starts Xvnc with the session's password and cookie. By default (PORTHOLE_VNC_LISTEN=socket,
# every route but `direct`) VNC listens on a Unix socket of mode 0600 in node_dir and on no
# TCP port at all: any user of a shared node can reach its loopback. `direct` (tcp) needs a TCP
# port on the node's address instead. Sets display, x_pid, xvnc_pid (also in child_pids) and
# either vnc_socket or vnc_port; exits the job when no server starts.
porthole_start_xvnc() {
  local attempt listen="${PORTHOLE_VNC_LISTEN-}"
  # A second line is TigerVNC's view-only password: a share's server signs in with it, so Xvnc
  # itself ignores a watcher's input (docs/architecture.md §9). A folder made by hand may lack it.
  local passwords=("$session_dir/vnc-password")
  if [[ -f "$session_dir/vnc-view-password" ]]; then passwords+=("$session_dir/vnc-view-password"); fi
  # Inside the image too: a node with the image needs nothing else installed.
  cat "${passwords[@]}" | "${run_in_runtime[@]}" vncpasswd -f >"$session_dir/vnc.passwd"
  chmod 600 "$session_dir/vnc.passwd"
  porthole_new_xauthority
  # The password stays as a second lock; the blacklist slows guessing; no -AlwaysShared.
  local xvnc=(Xvnc -SecurityTypes VncAuth -PasswordFile "$session_dir/vnc.passwd"
    -geometry "$PORTHOLE_RESOLUTION" -depth 24)
  vnc_socket="" vnc_port=""
  case "$listen" in
    socket)
      vnc_socket="$node_dir/vnc.sock"
      if porthole_start_x_server "${xvnc[@]}" -rfbport -1 -rfbunixpath "$vnc_socket" -rfbunixmode 0600; then
        if [ -S "$vnc_socket" ] && [ -O "$vnc_socket" ]; then
          xvnc_pid=$x_pid
          child_pids+=("$xvnc_pid")
          return 0
        fi
        echo "porthole: Xvnc did not make its VNC socket $vnc_socket" >&2
        porthole_stop "$x_pid"
      fi
      ;;
    tcp)
      # Xvnc exits when its port is taken: then another port, up to 20 times.
      for attempt in $(seq 1 20); do
        vnc_port=$((5900 + (RANDOM % 400) + 100))
        if porthole_start_x_server "${xvnc[@]}" -rfbport "$vnc_port"; then
          xvnc_pid=$x_pid
          child_pids+=("$xvnc_pid")
          return 0
        fi
        echo "porthole: Xvnc on port $vnc_port did not start (attempt $attempt)" >&2
      done
      ;;
    *)
      echo "porthole: PORTHOLE_VNC_LISTEN is '$listen'; allowed: socket, tcp" >&2
      exit 2
      ;;
  esac
  echo "porthole: could not start the VNC server" >&2
  exit 1
}

# A VNC session's server: Xvnc started, connection.json written (the session is ready), its idle
# watcher started when the session has idle minutes, and DISPLAY and XAUTHORITY set for the
# programs the template starts next.
porthole_serve_vnc() {
  local node
  node=$(hostname -s)
  porthole_start_xvnc
  if [ -n "$vnc_socket" ]; then
    porthole_write_connection "$(printf '{"kind":"vnc","node":"%s","socket":"%s","display":%d}' "$node" "$vnc_socket" "$display")"
    echo "porthole: VNC server ready on $vnc_socket of $node"
  else
    porthole_write_connection "$(printf '{"kind":"vnc","node":"%s","port":%d,"display":%d}' "$node" "$vnc_port" "$display")"
    echo "porthole: VNC server ready on port $vnc_port of $node's addresses"
  fi
  porthole_watch_idle "$xvnc_pid" porthole_vnc_viewer_connected
}

# Stops an idle desktop, after a warning (docs/templates.md, "Idle stop"): with PORTHOLE_IDLE_MINUTES
# set, a watcher (a child of the job) looks every minutes×2 seconds (2 to 60) whether a viewer is
# connected (the check of the desktop's kind: a VNC viewer, a Moonlight stream client) and how long
# X has had no input (xprintidle). Idle for the minutes
# less the warning's lead (10 minutes, or half of them when shorter): it writes
# `warning <stop time> <minutes>` to idle-state; idle for all of them: `stopped <time> <minutes>`,
# then it ends the job: SIGTERM to the server (Xvnc, Sunshine) and to the job's shell, whose EXIT trap stops the rest
# (a shell waiting for a foreground program, as xterm's job.sh does, runs its trap only after it:
# the program ends with its X server).
# A write to keep-running (sessions.keepRunning) restarts the clock. Each look costs one check (an
# `ss`, an `awk` of Sunshine's log), and one `xprintidle` when no viewer is there; the wait between looks is a read with a timeout on a
# FIFO nobody writes, so no `sleep` process either.
# $1: the server's PID; $2: the function that is true while a viewer is connected.
porthole_watch_idle() {
  local minutes="${PORTHOLE_IDLE_MINUTES-}"
  if [ -z "$minutes" ]; then return 0; fi
  porthole_idle_watcher "$minutes" "$$" "$1" "$2" &
  child_pids+=("$!")
  echo "porthole: the desktop stops after $minutes minutes with no viewer and no input"
}

# $1: idle minutes; $2: the job shell's PID; $3: the server's; $4: the viewer check. Runs in the background; `set -e` is inherited, so every
# command that may fail says what then.
porthole_idle_watcher() {
  local minutes="$1" job_pid="$2" server_pid="$3" viewer_connected="$4" limit lead period now idle_since input_since idle_ms keep_seen="" keep_now="" warned_for="" pause_fd
  local state_file="$session_dir/idle-state" keep_file="$session_dir/keep-running" xprintidle=(xprintidle)
  limit=$((minutes * 60))
  lead=$((limit / 2 < 600 ? limit / 2 : 600))
  period=$((minutes * 2 < 2 ? 2 : minutes * 2 > 60 ? 60 : minutes * 2))
  export TZ=UTC
  # The node's own xprintidle costs no runtime start at each look; the image's otherwise.
  if ! command -v xprintidle >/dev/null 2>&1; then xprintidle=("${run_in_runtime[@]}" xprintidle); fi
  if ! "${xprintidle[@]}" >/dev/null 2>&1; then
    echo "porthole: xprintidle does not answer on $(hostname -s): idle means no viewer connected, input is not seen" >&2
  fi
  mkfifo -m 600 "$node_dir/idle-pause"
  exec {pause_fd}<>"$node_dir/idle-pause"
  if [ -f "$keep_file" ]; then IFS= read -r keep_seen <"$keep_file" || true; fi
  printf -v idle_since '%(%s)T' -1
  while :; do
    read -r -t "$period" -u "$pause_fd" _ || true
    printf -v now '%(%s)T' -1
    keep_now=""
    if [ -f "$keep_file" ]; then IFS= read -r keep_now <"$keep_file" || true; fi
    if [ "$keep_now" != "$keep_seen" ]; then
      keep_seen=$keep_now
      idle_since=$now
    fi
    if "$viewer_connected"; then
      idle_since=$now
    elif idle_ms=$("${xprintidle[@]}" 2>/dev/null) && [[ "$idle_ms" =~ ^[0-9]+$ ]]; then
      input_since=$((now - idle_ms / 1000))
      if ((input_since > idle_since)); then idle_since=$input_since; fi
    fi
    if ((now - idle_since >= limit)); then
      porthole_write_idle_state stopped "$now" "$minutes"
      echo "porthole: no viewer and no input for $minutes minutes: stopping the desktop"
      kill -TERM "$server_pid" "$job_pid" 2>/dev/null || true
      return 0
    elif ((now - idle_since >= limit - lead)); then
      # Written again only when the stop time moves (input came, but not enough to clear it).
      if [ "$warned_for" != "$((idle_since + limit))" ]; then
        warned_for=$((idle_since + limit))
        porthole_write_idle_state warning "$warned_for" "$minutes"
      fi
    elif [ -n "$warned_for" ]; then
      warned_for=""
      rm -f "$state_file"
    fi
  done
}

# True when a viewer is connected to this session's VNC server: an accepted connection on its
# Unix socket (`ss -x src` lists the server's ends), or an established one on its TCP port.
porthole_vnc_viewer_connected() {
  local connections
  if [ -n "$vnc_socket" ]; then
    connections=$(ss -xHn src "$vnc_socket" 2>/dev/null) || return 1
  else
    connections=$(ss -tHn state established "( sport = :$vnc_port )" 2>/dev/null) || return 1
  fi
  [ -n "$connections" ]
}

# True when a Moonlight client streams from this session's Sunshine: its log ($session_dir/sunshine.log)
# has more "CLIENT CONNECTED" lines than ends ("CLIENT DISCONNECTED", or Sunshine's own "<address>:
# Ping Timeout"; a count never goes below 0): LizardByte/Sunshine src/stream.cpp, its control
# stream's ENet events. Sunshine starts its log afresh at each start.
porthole_stream_client_connected() {
  awk '/: CLIENT CONNECTED$/ { n++ } /: CLIENT DISCONNECTED$|: Ping Timeout$/ { if (n > 0) n-- } END { exit !(n > 0) }' \
    "$session_dir/sunshine.log" 2>/dev/null
}

# idle-state, atomically: $1 warning|stopped, $2 a time in seconds since 1970, $3 the minutes.
porthole_write_idle_state() {
  local at
  printf -v at '%(%Y-%m-%dT%H:%M:%SZ)T' "$2"
  printf '%s %s %s\n' "$1" "$at" "$3" >"$session_dir/idle-state.tmp"
  mv -f "$session_dir/idle-state.tmp" "$session_dir/idle-state"
}

# Writes connection.json ($1, one line of JSON) atomically: the agent reads it as "ready".
porthole_write_connection() {
  printf '%s\n' "$1" >"$session_dir/connection.json.tmp"
  mv -f "$session_dir/connection.json.tmp" "$session_dir/connection.json"
}

# True when program $1 is there to run: inside the image, or as installed on the node.
porthole_runtime_has() {
  # shellcheck disable=SC2016 # $1 is the inner sh's
  "${run_in_runtime[@]}" sh -c 'command -v "$1"' sh "$1" >/dev/null 2>&1
}

# Starts the desktop in $DISPLAY: Xfce, the image's own desktop (docs/admin.md, "The desktop
# image"), else a light window manager with a panel (IceWM), else twm. A window manager that is
# not a whole desktop gets a terminal beside it, so a newcomer never meets an empty screen. With
# GPUs asked for and VirtualGL there, the desktop runs under vglrun: every OpenGL program started
# from it inherits VirtualGL and renders on the GPU (EGL, no X server on the GPU needed; a site's
# VGL_DISPLAY wins).
porthole_start_window_manager() {
  local program found="" session=()
  for program in startxfce4 icewm-session icewm twm; do
    if porthole_runtime_has "$program"; then found=$program && break; fi
  done
  if [ -z "$found" ]; then
    echo "porthole: no window manager (startxfce4, icewm-session, icewm, twm) on $(hostname -s): the desktop stays empty" >&2
    return 0
  fi
  if [ "${PORTHOLE_GPUS:-0}" != "0" ]; then
    if porthole_runtime_has vglrun; then
      session=(vglrun -d "${VGL_DISPLAY:-egl}")
    else
      echo "porthole: GPUs were asked for, but vglrun is not there: OpenGL programs render on the CPU" >&2
    fi
  fi
  echo "porthole: desktop: ${session[*]:+${session[*]} }$found"
  "${run_in_runtime[@]}" "${session[@]}" "$found" &
  child_pids+=("$!")
  if [ "$found" != startxfce4 ]; then porthole_open_terminal "${session[@]}"; fi
}

# Opens a terminal on the desktop ($@: what it runs under, such as vglrun), a child of the job,
# at the bottom right, above a panel: where it hides no window a program asks to put at the top left.
porthole_open_terminal() {
  if ! porthole_runtime_has xterm; then
    echo "porthole: no xterm on $(hostname -s): the desktop opens without a terminal" >&2
    return 0
  fi
  "${run_in_runtime[@]}" "$@" xterm -geometry 100x30-40-60 -T Terminal &
  child_pids+=("$!")
}
