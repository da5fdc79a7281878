#!/bin/bash -l
# A test template (test/cluster/agent/accounts.test.ts): says whether bash runs as a login shell.
set -euo pipefail
if shopt -q login_shell; then echo yes; else echo no; fi >"$PORTHOLE_SESSION_DIR/login-shell"
