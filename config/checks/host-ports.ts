/**
 * iperf3 servers on the host network (the calibration job, the benchmark suite's host-network
 * server) must listen on a port no node service holds, or the job cannot bind and fails on every
 * node after the machines were prepared (a calibration that never succeeds fails every gate).
 */
import type { ConfigProblem } from "../problems";
import type { Check } from "./util";

/**
 * TCP/UDP ports node services hold: the API server and k3s's agent load balancer (6443, 6444),
 * embedded etcd (2379-2380), kubelet and kube-proxy/controller/scheduler endpoints (10248-10259),
 * containerd's stream server (10010), Kube-OVN's OVN databases (6641-6644), Geneve (6081) and
 * metrics (10660, 10661, 10665), node_exporter (9100). Sources: docs.k3s.io installation
 * requirements "Inbound Rules for K3s Nodes"; ansible/roles/firewall/defaults/main.yml.
 */
export const NODE_PORT_RANGES: readonly (readonly [number, number])[] = [
  [2379, 2380], [6081, 6081], [6443, 6444], [6641, 6644], [9100, 9100], [10010, 10010],
  [10248, 10259], [10660, 10661], [10665, 10665],
];

function nodePortReason(port: number, sshPort: number): string | undefined {
  if (port === sshPort) return `${port} is the SSH port (lab:ssh.port)`;
  const range = NODE_PORT_RANGES.find(([from, to]) => port >= from && port <= to);
  return range ? `${port} is held by a node service (${range[0] === range[1] ? range[0] : `${range[0]}-${range[1]}`}: k3s, etcd, kubelet, Kube-OVN or node_exporter)` : undefined;
}

export const hostPorts: Check = ({ ssh, health, benchmarks }) => {
  const sshPort = ssh?.port ?? 22;
  const problems: ConfigProblem[] = [];
  const calibrationPort = health?.calibration.enabled ? health.calibration.iperf.port : undefined;
  if (calibrationPort !== undefined) {
    const reason = nodePortReason(calibrationPort, sshPort);
    if (reason) problems.push({ path: "lab:health.calibration.iperf.port", message: `${reason}; the calibration's host-network iperf3 could not listen` });
  }
  if (benchmarks?.enabled) {
    const reason = nodePortReason(benchmarks.port, sshPort);
    if (reason) problems.push({ path: "lab:benchmarks.port", message: `${reason}; the host-network benchmark server could not listen` });
    else if (benchmarks.port === calibrationPort) {
      problems.push({ path: "lab:benchmarks.port", message: `${benchmarks.port} is also lab:health.calibration.iperf.port; both servers use the host network` });
    }
  }
  return problems;
};
