#!/bin/bash
# Benchmarks only: in place of Xvnc, a server on a Unix socket in the job's private node folder
# (as the desktop server listens) that sends PORTHOLE_MIB MiB of zeros to each client, then
# closes; so a viewer stream carries bulk bytes through whichever route the agent took. Same
# sender as test/bench/main.bench.ts's ssh -L baseline, so the two are compared like for like.
set -euo pipefail

porthole_begin
socket="$node_dir/stream.sock"
# It prints a line once it is listening.
coproc sender {
  exec node -e 'const n=require("net");const b=Buffer.alloc(1<<20);const total=+process.argv[1]*b.length;const s=n.createServer(c=>{c.on("error",()=>{});let left=total;const w=()=>{while(left>0){left-=b.length;if(!c.write(b))return c.once("drain",w)}c.end()};w()});s.listen(process.argv[2],()=>console.log("listening"))' "$PORTHOLE_MIB" "$socket"
}
child_pids+=("$sender_PID")
read -r _ <&"${sender[0]}"
porthole_write_connection "$(printf '{"kind":"vnc","node":"%s","socket":"%s"}' "$(hostname -s)" "$socket")"
echo "porthole: byte source ready on $socket of $(hostname -s)"
wait "$sender_PID"
