#!/usr/bin/env bash
# Installs the Debian packages the tests run for real (no download from anywhere but Debian):
# ansible + ansible-lint, promtool, VictoriaMetrics, node_exporter, Alertmanager (amtool), sshd for
# the Ansible check-mode hosts, iproute2 for their network namespaces, nftables to load the rendered
# firewall into one, sudo (the playbooks become root with it), zstd for archives, Chromium for the
# report screenshot and printouts (poppler-utils reads the printed lease calendar's pages), the
# calibration jobs' tools (iperf3, fio, stress-ng, curl, jq) and the stack benchmarks' (fping,
# busybox httpd) whose scripts the tests run for real. Safe to re-run.
set -euo pipefail
PACKAGES=(
  ansible ansible-lint
  prometheus victoria-metrics prometheus-node-exporter prometheus-alertmanager
  openssh-server openssh-client iproute2 procps nftables sudo
  zstd chromium fonts-dejavu-core poppler-utils
  iperf3 fio stress-ng curl jq
  fping busybox
)
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# Package scripts may try to start the services; tests start their own on loopback.
$SUDO apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}" >/dev/null
for svc in prometheus prometheus-node-exporter prometheus-alertmanager victoria-metrics ssh iperf3; do
  $SUDO service "$svc" stop >/dev/null 2>&1 || true
done
echo "installed: ${PACKAGES[*]}"
# The project runs on a maintained Node.js LTS line, pinned in tools/install-node.sh.
bash "$(dirname "$0")/install-node.sh"
