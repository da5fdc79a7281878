#!/bin/bash
# Benchmarks only: in place of Xvnc, a server on the node's loopback (as a desktop server binds)
# that sends PORTHOLE_MIB MiB of zeros to each client, then closes; so a viewer stream carries
# bulk bytes through whichever route the agent took. Same sender as test/bench/main.bench.ts's
# ssh -L baseline, so the two are compared like for like.
set -euo pipefail

porthole_begin
# It listens on a port the kernel picks (no collisions) and prints it once it is listening.
coproc sender {
  exec node -e 'const n=require("net");const b=Buffer.alloc(1<<20);const total=+process.argv[1]*b.length;const s=n.createServer(c=>{c.on("error",()=>{});let left=total;const w=()=>{while(left>0){left-=b.length;if(!c.write(b))return c.once("drain",w)}c.end()};w()});s.listen(0,"127.0.0.1",()=>console.log(s.address().port))' "$PORTHOLE_MIB"
}
child_pids+=("$sender_PID")
read -r port <&"${sender[0]}"
porthole_write_connection "$(printf '{"kind":"vnc","node":"%s","port":%d}' "$(hostname -s)" "$port")"
echo "porthole: byte source ready on 127.0.0.1:$port of $(hostname -s)"
wait "$sender_PID"
