#!/bin/bash
# One application alone in its own VNC session: Xvnc on a Unix socket only this user can reach
# (a child of this script), xterm as the only window, connection.json once the server reports
# it is ready, `ended` on exit.
# Every PORTHOLE_* value was set above by the agent, each as one single-quoted word; the
# porthole_* functions are the agent's job library (templates/lib/job-lib.sh).
set -euo pipefail

porthole_begin
porthole_use_runtime
porthole_serve_vnc
# The only window: when the application exits, the session ends.
# shellcheck disable=SC2154 # run_in_runtime: set by porthole_use_runtime (job-lib.sh, above in the batch script)
"${run_in_runtime[@]}" xterm -geometry 120x40+0+0 -T "$PORTHOLE_TITLE"
