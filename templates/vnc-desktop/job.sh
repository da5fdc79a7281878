#!/bin/bash
# A VNC desktop: Xvnc on a Unix socket only this user can reach (a child of this script, so
# scancel ends it), a window manager inside it, connection.json written once the server reports
# it is ready, `ended` on exit.
# Every PORTHOLE_* value was set above by the agent, each as one single-quoted word; the
# porthole_* functions are the agent's job library (templates/lib/job-lib.sh).
set -euo pipefail

porthole_begin
porthole_use_runtime
porthole_serve_vnc
porthole_start_window_manager
# The desktop lives as long as Xvnc.
# shellcheck disable=SC2154 # xvnc_pid: set by porthole_serve_vnc (job-lib.sh, above in the batch script)
wait "$xvnc_pid"
