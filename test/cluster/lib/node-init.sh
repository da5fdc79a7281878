#!/usr/bin/env bash
# The first process of node01: run by `up` as
#   unshare --uts --mount --propagation private nsenter --net=/run/netns/<ns> bash node-init.sh <node-dir> <name>
# It sets the node's host name and private /tmp, then sleeps; slurmd and the node's
# sshd join its namespaces with `nsenter --target <this pid>`.
#
# Why not `ip netns exec`: it remounts /sys for the new network namespace, which hides
# /sys/fs/cgroup, and slurmd then dies with "Unable to initialize cgroup plugin".
# Entering only the network namespace (nsenter --net) keeps the cgroup mounts.
# Why a UTS namespace: slurmd takes its node name from the host name, and jobs
# (and people) expect `hostname` on the node to say node01.
set -euo pipefail
node_dir="$1"
node_name="$2"

hostname "$node_name"
# A node-local /tmp, as on a real node: X sockets and VNC Unix sockets made there are out of
# the login side's reach. The mount stays inside this mount namespace (propagation private).
mkdir -p "$node_dir/tmp"
chmod 1777 "$node_dir/tmp"
mount --bind "$node_dir/tmp" /tmp
# Xvnc wants /tmp/.X11-unix to exist with mode 1777, or it refuses to make its socket.
mkdir -p /tmp/.X11-unix /tmp/.ICE-unix
chmod 1777 /tmp/.X11-unix /tmp/.ICE-unix
echo ready >"$node_dir/ns-ready"
exec sleep infinity
