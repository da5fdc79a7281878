#!/bin/bash
set -euo pipefail
trap 'printf "%s\n" "$?" >"$PORTHOLE_SESSION_DIR/ended"' EXIT
echo "porthole: starting a server that cannot start"
Xvnc :1 -no-such-option-porthole-test
