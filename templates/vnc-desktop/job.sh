#!/bin/bash
# A VNC desktop: Xvnc on the node's loopback (a child of this script, so scancel ends it), a
# window manager inside it, connection.json written once the server answers, `ended` on exit.
# Every PORTHOLE_* value was set above by the agent, each as one single-quoted word.
set -euo pipefail

session_dir="$PORTHOLE_SESSION_DIR"
umask 077
xvnc_pid=""

on_exit() {
  local status=$?
  if [ -n "$xvnc_pid" ]; then kill "$xvnc_pid" 2>/dev/null || true; fi
  printf '%s %s\n' "$status" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >"$session_dir/ended.tmp"
  mv -f "$session_dir/ended.tmp" "$session_dir/ended"
}
trap on_exit EXIT
trap 'exit 143' TERM INT

# The runtime decides how programs of the desktop are started: inside the image, or as installed.
run_in_runtime=()
case "$PORTHOLE_RUNTIME" in
  apptainer | singularity)
    run_in_runtime=("$PORTHOLE_RUNTIME" exec --bind "$session_dir")
    if [ "${PORTHOLE_GPUS:-0}" != "0" ]; then run_in_runtime+=(--nv); fi
    run_in_runtime+=("$PORTHOLE_IMAGE")
    ;;
  native) ;;
  *) echo "porthole: unknown runtime '$PORTHOLE_RUNTIME'" >&2; exit 2 ;;
esac
echo "porthole: runtime $PORTHOLE_RUNTIME: ${run_in_runtime[*]:-(native)}"

export LC_ALL=C
vncpasswd -f <"$session_dir/vnc-password" >"$session_dir/vnc.passwd"
chmod 600 "$session_dir/vnc.passwd"

port_is_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Pick a display and a port nobody uses on this node; retry when another job took them first.
for attempt in $(seq 1 20); do
  display=$(( (RANDOM % 400) + 100 ))
  port=$(( 5900 + display ))
  if [ -e "/tmp/.X${display}-lock" ] || ! port_is_free "$port"; then continue; fi
  "${run_in_runtime[@]}" Xvnc ":$display" -rfbport "$port" -localhost -SecurityTypes VncAuth \
    -PasswordFile "$session_dir/vnc.passwd" -UseBlacklist=0 -geometry "$PORTHOLE_RESOLUTION" \
    -depth 24 -AlwaysShared &
  xvnc_pid=$!
  # Looked at every 20 ms: the person is waiting for exactly this moment (10 s at most).
  for _ in $(seq 1 500); do
    if ! kill -0 "$xvnc_pid" 2>/dev/null; then break; fi
    if ! port_is_free "$port"; then break 2; fi
    sleep 0.02
  done
  wait "$xvnc_pid" 2>/dev/null || true
  xvnc_pid=""
  echo "porthole: Xvnc on display :$display did not start (attempt $attempt)" >&2
done
if [ -z "$xvnc_pid" ]; then
  echo "porthole: could not start the VNC server" >&2
  exit 1
fi

printf '{"kind":"vnc","node":"%s","port":%d,"display":%d}\n' "$(hostname -s)" "$port" "$display" >"$session_dir/connection.json.tmp"
mv -f "$session_dir/connection.json.tmp" "$session_dir/connection.json"
echo "porthole: VNC server ready on 127.0.0.1:$port of $(hostname -s)"

export DISPLAY=":$display"
# The session program: a window manager when there is one; the desktop lives as long as Xvnc.
for wm in startxfce4 twm; do
  if command -v "$wm" >/dev/null 2>&1; then "${run_in_runtime[@]}" "$wm" & break; fi
done
wait "$xvnc_pid"
