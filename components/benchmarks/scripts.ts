/**
 * The benchmark roles as POSIX sh, for the nicolaka/netshoot image (iperf3, fping, curl, jq, busybox
 * httpd) and equally for Debian's tools, which the tests run them with:
 *
 *   server  iperf3 servers on PORT .. PORT+SERVERS-1 and an HTTP server on PORT+100 (readiness, DNS
 *           target), until the Job is deleted or its deadline ends it
 *   client  REPETITIONS rounds of the tests in TESTS against TARGET: tcp (1 and STREAMS streams),
 *           udp (packet rate), latency (ICMP echo request/response), qos (one stream under the
 *           pod's egress limit), dns (lookups of DNS_NAME)
 *   mesh    one member of an Indexed Job of MESH_PODS pods: serves MESH_PEERS iperf3 servers, waits
 *           for every member (barrier), then sends to its MESH_PEERS successors at once and opens
 *           MESH_CONNECTIONS new connections to them; waits for every member to finish
 *
 * Never on a node running team pods: before every round the client checks its own node and the
 * server's (PEER_NODE), the server and mesh members their own, with the shared team-pod check; a busy
 * node ends the role with `### lab-bench skipped reason=...` and exit code 3, and nothing is measured.
 *
 * Output is the tools' own, raw, between `### lab-bench begin KIND rep=N [peer=P]` and
 * `### lab-bench end rc=RC` lines; tools/bench/parsers.ts turns it into samples, so what the tools
 * printed is kept verbatim with the run.
 */
import { TEAM_POD_CHECK } from "../shared/team-pod-check";

export type BenchmarkRole = "server" | "client" | "mesh";

/** Marker prefix of every line the roles print about themselves. */
export const MARKER = "### lab-bench";

const PRELUDE = `set -u
${TEAM_POD_CHECK}HTTP_PORT=$((PORT + 100))
# Scratch space of this role (the HTTP root, iperf3 results).
WORK=$(mktemp -d)
# begin KIND [peer]: opens a section of raw tool output.
begin() { echo "${MARKER} begin $1 rep=\${rep:-1}\${2:+ peer=$2}"; }
# end RC: closes it with the tool's exit code.
end() { echo; echo "${MARKER} end rc=$1"; }
skip() { echo "${MARKER} skipped reason=$1 node=$2"; exit 3; }
# serve COUNT: COUNT iperf3 servers and the HTTP server, in the background.
serve() {
  mkdir -p "$WORK/www" && echo ok > "$WORK/www/index.html"
  if command -v httpd > /dev/null 2>&1; then httpd -p "$HTTP_PORT" -h "$WORK/www"
  else busybox httpd -p "$HTTP_PORT" -h "$WORK/www"; fi
  i=0
  while [ "$i" -lt "$1" ]; do iperf3 -s -D -p $((PORT + i)); i=$((i + 1)); done
}
# iperf ARGS: iperf3 ARGS, retried for up to a minute while the server is still busy with the previous
# test (an iperf3 server runs one test at a time, and takes a moment to accept the next).
iperf() {
  tries=0
  while :; do
    out=$(iperf3 "$@" 2>&1); rc=$?
    case "$out" in
      *"server is busy"*) if [ "$tries" -lt 60 ]; then tries=$((tries + 1)); sleep 1; continue; fi ;;
    esac
    printf '%s\n' "$out"
    return "$rc"
  done
}
# up HOST [PATH]: the HTTP server of HOST answers PATH, within WAIT_SECONDS.
up() {
  deadline=$(( $(date +%s) + \${WAIT_SECONDS:-120} ))
  until curl -sf -o /dev/null --max-time 2 "http://$1:$HTTP_PORT/\${2:-}"; do
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 1
  done
}
`;

const SERVER = `node_free "$NODE_NAME" || skip team_pods "$NODE_NAME"
serve "\${SERVERS:-1}"
echo "${MARKER} serving port=$PORT"
# Until the Job is deleted (or its activeDeadlineSeconds ends it).
while :; do sleep 3600; done
`;

const CLIENT = `up "$TARGET" || { echo "${MARKER} failed reason=server_unreachable target=$TARGET"; exit 4; }
rep=1
while [ "$rep" -le "$REPETITIONS" ]; do
  node_free "$NODE_NAME" || skip team_pods "$NODE_NAME"
  if [ -n "\${PEER_NODE:-}" ]; then node_free "$PEER_NODE" || skip peer_busy "$PEER_NODE"; fi
  for test in $TESTS; do
    case "$test" in
      tcp)
        begin tcp_1; iperf -c "$TARGET" -p "$PORT" -t "$TEST_SECONDS" -J; end $?
        begin tcp_n; iperf -c "$TARGET" -p "$PORT" -t "$TEST_SECONDS" -P "$STREAMS" -J; end $?
        ;;
      udp) begin udp; iperf -c "$TARGET" -p "$PORT" -t "$TEST_SECONDS" -u -b 0 -l "$UDP_BYTES" -J; end $? ;;
      latency) begin latency; fping -C "$PINGS" -p "$PING_INTERVAL_MS" -q "$TARGET" 2>&1; end $? ;;
      qos) begin qos; echo "egress_mbps $QOS_EGRESS_MBPS"; iperf -c "$TARGET" -p "$PORT" -t "$TEST_SECONDS" -J; end $? ;;
      dns)
        # One process per lookup: no resolver cache between them. An absolute name skips the search list.
        begin dns
        i=0; rc=0
        while [ "$i" -lt "$DNS_LOOKUPS" ]; do
          curl -s -o /dev/null --max-time 5 -w '%{time_namelookup}\\n' "http://$DNS_NAME.:\${DNS_PORT:-$HTTP_PORT}/" || rc=$?
          i=$((i + 1))
        done
        end $rc
        ;;
      *) echo "${MARKER} failed reason=unknown_test test=$test"; exit 4 ;;
    esac
  done
  rep=$((rep + 1))
done
echo "${MARKER} done"
`;

const MESH = `index=\${MESH_INDEX:-\${JOB_COMPLETION_INDEX:-0}}
# member J: member J's address, from MESH_HOSTS or the Indexed Job's stable hostname under the headless service.
member() {
  if [ -n "\${MESH_HOSTS:-}" ]; then
    n=0; for h in $MESH_HOSTS; do if [ "$n" -eq "$1" ]; then echo "$h"; return; fi; n=$((n + 1)); done
  else echo "$JOB_NAME-$1.$MESH_SUBDOMAIN"; fi
}
node_free "$NODE_NAME" || skip team_pods "$NODE_NAME"
serve "$MESH_PEERS"
# Barrier: every member serves.
j=0
while [ "$j" -lt "$MESH_PODS" ]; do
  up "$(member "$j")" || { echo "${MARKER} failed reason=member_unreachable member=$j"; exit 4; }
  j=$((j + 1))
done
# Member i sends to i+1 .. i+PEERS (mod PODS), on the receiver's server number j-1, so no server has two clients.
j=1
while [ "$j" -le "$MESH_PEERS" ]; do
  peer=$(( (index + j) % MESH_PODS ))
  iperf -c "$(member "$peer")" -p $((PORT + j - 1)) -t "$TEST_SECONDS" -J > "$WORK/mesh-$j.json" &
  j=$((j + 1))
done
wait
j=1
while [ "$j" -le "$MESH_PEERS" ]; do
  peer=$(( (index + j) % MESH_PODS ))
  begin mesh_throughput "$peer"; cat "$WORK/mesh-$j.json"; end 0
  j=$((j + 1))
done
# New connections, round-robin over the peers, from one curl process (no per-connection fork).
urls=""; c=0
while [ "$c" -lt "$MESH_CONNECTIONS" ]; do
  peer=$(( (index + 1 + c % MESH_PEERS) % MESH_PODS ))
  urls="$urls -o /dev/null http://$(member "$peer"):$HTTP_PORT/"
  c=$((c + 1))
done
begin mesh_connect
# shellcheck disable=SC2086
curl -s -H 'Connection: close' -w '%{time_connect} %{time_total}\\n' $urls; end $?
echo done > "$WORK/www/done"
# Serve until every member is done with us.
j=0
while [ "$j" -lt "$MESH_PODS" ]; do up "$(member "$j")" done || true; j=$((j + 1)); done
echo "${MARKER} done"
`;

const ROLES: Record<BenchmarkRole, string> = { server: SERVER, client: CLIENT, mesh: MESH };

/** The shell script of one role (prelude included), for `sh -c`. */
export function benchmarkScript(role: BenchmarkRole): string {
  return `${PRELUDE}${ROLES[role]}`;
}
