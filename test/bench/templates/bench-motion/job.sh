#!/bin/bash
# Benchmarks only: the vnc-desktop template's Xvnc (Unix socket, cookie, password) at 1920×1080,
# with no window manager, so the workload is the only thing that draws:
#   gears     glxgears in a 1600×900 window, redrawing continuously under Xvnc's software GL
#   scroll    a full-screen xterm printing a line every 20 ms: the whole screen scrolls at a
#             fixed rate (at most 50 lines per second), which any viewer should keep up with
#   terminal  a full-screen xterm running bash; with no window manager it has the keyboard
#             (X's focus follows the pointer, which starts in the middle of the screen)
set -euo pipefail

# The node's side of the bench's two-machine split (test/bench/cpu-split.ts): the job, and all it
# starts, on CPU 0; the workstation's viewer runs on CPU 1.
if (($(nproc --all) >= 2)); then taskset -p -c 0 $$ >/dev/null; fi

porthole_begin
porthole_use_runtime
porthole_serve_vnc
case "$PORTHOLE_WORKLOAD" in
  # glxgears says how many frames it drew every 5 s: into the job's log, a line at a time, for the bench.
  gears) stdbuf -oL glxgears -geometry 1600x900+0+0 & ;;
  scroll)
    # shellcheck disable=SC2016 # the inner bash expands them
    xterm -geometry 320x83+0+0 -e bash -c 'for ((i = 1; ; i++)); do printf "%06d %s\n" "$i" "The quick brown fox jumps over the lazy dog."; sleep 0.02; done' &
    ;;
  terminal) xterm -geometry 320x83+0+0 -e bash --norc --noprofile & ;;
  *) echo "porthole: workload '$PORTHOLE_WORKLOAD'; allowed: gears, scroll, terminal" >&2; exit 2 ;;
esac
child_pids+=("$!")
# shellcheck disable=SC2154 # xvnc_pid: set by porthole_serve_vnc (job-lib.sh, above in the batch script)
wait "$xvnc_pid"
