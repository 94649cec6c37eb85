#!/usr/bin/env bash
# Installs the Debian packages baton's tests and benchmark use: a real sshd,
# the tools baton is compared with (parallel-ssh, clush), tmux for the
# end-to-end tests (asciinema plays a recorded console back), openssl for
# the etcd TLS test's certificates, iptables for the drills' port-block
# inject test (in a network namespace of its own), and what
# `baton lab` runs (src/lab/debian-packages.ts; test/lab/debian-packages.test.ts
# checks this list has every one of them).
# Only missing packages are installed.
set -euo pipefail
packages=(openssh-server openssh-client pssh clustershell tmux asciinema procps
  haproxy etcd-server etcd-client pacemaker-cli-utils redis-server redis-tools util-linux socat netcat-openbsd
  nginx curl openssl rabbitmq-server erlang-base perl-base corosync pacemaker pacemaker-resource-agents
  resource-agents iproute2 iputils-ping ansible-core rsync postgresql-15 postgresql-client-15 postgresql-client-common mariadb-server-core mariadb-client-core
  prometheus prometheus-alertmanager iptables)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all present (${packages[*]})"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing ${missing[*]}; run as root: apt-get update && apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "install-deps: installing ${missing[*]}"
apt-get update -qq
# The lab runs its own daemons on loopback: Debian must not start system ones
# (nginx on 0.0.0.0:80, redis, etcd, prometheus, rabbitmq-server and epmd on every
# interface). invoke-rc.d obeys policy-rc.d's exit 101 ("action forbidden");
# a policy-rc.d already there (Docker images ship one) is kept.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
  trap 'rm -f "$policy"' EXIT
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  chmod 755 "$policy"
fi
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
