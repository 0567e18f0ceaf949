/**
 * The calibration steps as POSIX sh, run in this order inside one pod pinned to the node:
 *
 *   check   (netshoot: curl, jq)  may we run? inside the window, and no team pod on this node
 *   network (netshoot: iperf3)    throughput to today's peer, if the peer has no team pod either
 *   disk    (kubestr: fio)        random 4k reads and sequential 1M writes on local disk
 *   compute (stress-ng)           cpu and stream (memory bandwidth)
 *
 * How a running experiment is never disturbed: the CronJob starts at the window's start and the
 * Job's deadline is the window's end; the check step lists the pods on this node (and the network
 * step those on the peer) through the API with a read-only service account, and any unfinished pod
 * of a team namespace, or any doubt (the API call failing), skips every benchmark. A skipped step
 * writes `lab_calibration_skipped{step,reason} 1` and no result, so old results go stale instead
 * of being reused.
 *
 * Every step writes `<textfile dir>/lab_calibration_<step>.prom` atomically (temp file + rename),
 * in base units, for node_exporter's textfile collector. Settings come from the environment (see
 * jobs.ts); STREAM_L3_SIZE, unset in the lab, shrinks stress-ng's stream arrays for quick tests.
 */
import { TEAM_POD_CHECK } from "../../shared/team-pod-check";
import { CALIBRATION_RESULTS, CALIBRATION_STATUS } from "./results";

export type CalibrationStep = "check" | "network" | "disk" | "compute";

const STATUS_HELP: Record<string, string> = {
  [CALIBRATION_STATUS.lastRun]: "Unix time the calibration step last ran on this node.",
  [CALIBRATION_STATUS.skipped]: "1 when the calibration step was skipped on its last run, with the reason.",
  [CALIBRATION_STATUS.retransmits]: "iperf3 TCP retransmits during the last test to the peer node (label peer).",
};

/** A shell `case` giving each metric's HELP text. */
function helpCase(): string {
  const entries = [...CALIBRATION_RESULTS.map((r) => [r.metric, r.help] as const), ...Object.entries(STATUS_HELP)];
  return entries.map(([metric, text]) => `    ${metric}) echo '${text.replace(/'/g, "")}' ;;`).join("\n");
}

/** Shared shell functions: the window, the team-pod check, metric lines, atomic textfile output. */
const PRELUDE = `set -u
TEXTFILE_DIR="\${TEXTFILE_DIR:-/textfile}"
STATE_DIR="\${STATE_DIR:-/state}"
${TEAM_POD_CHECK}now() { date +%s; }
minute_of_day() { echo $(( $(date -u +%H | sed 's/^0//') * 60 + $(date -u +%M | sed 's/^0//') )); }
# Inside the daily window [WINDOW_START_MINUTES, WINDOW_END_MINUTES), which may wrap midnight.
in_window() {
  m=$(minute_of_day)
  if [ "$WINDOW_START_MINUTES" -le "$WINDOW_END_MINUTES" ]; then
    [ "$m" -ge "$WINDOW_START_MINUTES" ] && [ "$m" -lt "$WINDOW_END_MINUTES" ]
  else
    [ "$m" -ge "$WINDOW_START_MINUTES" ] || [ "$m" -lt "$WINDOW_END_MINUTES" ]
  fi
}
# Unix time the current window started.
window_start() {
  t=$(now); s=$(( t / 86400 * 86400 + WINDOW_START_MINUTES * 60 ))
  if [ "$s" -gt "$t" ]; then s=$(( s - 86400 )); fi
  echo "$s"
}
help_of() {
  case "$1" in
${helpCase()}
  esac
}
# gauge NAME LABELS VALUE: one sample with its HELP and TYPE lines.
gauge() {
  echo "# HELP $1 $(help_of "$1")"
  echo "# TYPE $1 gauge"
  if [ -n "$2" ]; then echo "$1{$2} $3"; else echo "$1 $3"; fi
}
# status STEP REASON: when the step ran, and whether it was skipped ("" = ran).
status() {
  gauge ${CALIBRATION_STATUS.lastRun} "step=\\"$1\\"" "$(now)"
  if [ -n "$2" ]; then gauge ${CALIBRATION_STATUS.skipped} "step=\\"$1\\",reason=\\"$2\\"" 1
  else gauge ${CALIBRATION_STATUS.skipped} "step=\\"$1\\",reason=\\"none\\"" 0; fi
}
# write_prom STEP: stdin -> TEXTFILE_DIR/lab_calibration_STEP.prom, atomically.
write_prom() {
  tmp="$TEXTFILE_DIR/.lab_calibration_$1.prom.$$"
  cat > "$tmp" && mv "$tmp" "$TEXTFILE_DIR/lab_calibration_$1.prom"
}
# The reason this node skips everything, set by the check step ("" = go).
node_skip() { cat "$STATE_DIR/skip" 2>/dev/null || true; }
`;

const CHECK = `reason=""
if ! in_window; then reason=outside_window
elif ! node_free "$NODE_NAME"; then reason=team_pods
fi
printf '%s' "$reason" > "$STATE_DIR/skip"
status check "$reason" | write_prom check
echo "check: node $NODE_NAME \${reason:-free}"
`;

const NETWORK = `reason=$(node_skip)
peer=""
set -- $POOL_NODES
count=$#
if [ -z "$reason" ] && [ "$count" -lt 2 ]; then reason=no_peer; fi
if [ -z "$reason" ]; then
  # Rotation: a shift by 1 + day mod (count - 1), so every node is client once and server once.
  day=$(( $(now) / 86400 ))
  peer_index=$(( (NODE_INDEX + 1 + day % (count - 1)) % count ))
  i=0; for n in $POOL_NODES; do if [ "$i" -eq "$peer_index" ]; then peer=$n; fi; i=$((i + 1)); done
  i=0; for a in $POOL_ADDRESSES; do if [ "$i" -eq "$peer_index" ]; then address=$a; fi; i=$((i + 1)); done
  if ! node_free "$peer"; then reason=peer_busy
  elif ! iperf3 -c "$address" -p "$IPERF_PORT" -t "$IPERF_SECONDS" -P "$IPERF_STREAMS" -J > "$STATE_DIR/iperf.json"; then reason=iperf_failed
  fi
fi
{
  status network "$reason"
  if [ -z "$reason" ]; then
    gauge lab_calibration_network_throughput_bytes_per_second "peer=\\"$peer\\"" "$(jq '.end.sum_received.bits_per_second / 8' "$STATE_DIR/iperf.json")"
    gauge ${CALIBRATION_STATUS.retransmits} "peer=\\"$peer\\"" "$(jq '.end.sum_sent.retransmits // 0' "$STATE_DIR/iperf.json")"
  fi
} | write_prom network
echo "network: peer \${peer:-none} \${reason:-measured}"
# Host benchmarks start only after every node's iperf3 test, so no receiver shares its CPU with them.
if [ -z "$(node_skip)" ]; then
  until=$(( $(window_start) + NETWORK_PHASE_SECONDS ))
  while [ "$(now)" -lt "$until" ]; do sleep 5; done
fi
`;

const DISK = `reason=$(node_skip)
if [ -z "$reason" ]; then
  file="$SCRATCH_DIR/fio.dat"
  common="--filename=$file --size=\${FIO_SIZE_MIB}M --direct=$FIO_DIRECT --runtime=$FIO_SECONDS --time_based --minimal"
  if ! read_line=$(fio --name=randread --rw=randread --bs=4k --iodepth=1 $common); then reason=fio_failed
  elif ! write_line=$(fio --name=seqwrite --rw=write --bs=1M --iodepth=1 $common); then reason=fio_failed
  fi
  rm -f "$file"
fi
{
  status disk "$reason"
  if [ -z "$reason" ]; then
    # fio terse v3: field 8 read IOPS, 40 read total latency mean (µs), 48 write bandwidth (KiB/s).
    gauge lab_calibration_disk_read_operations_per_second "" "$(echo "$read_line" | awk -F';' '{ print $8 }')"
    gauge lab_calibration_disk_read_latency_seconds "" "$(echo "$read_line" | awk -F';' '{ print $40 / 1000000 }')"
    gauge lab_calibration_disk_write_throughput_bytes_per_second "" "$(echo "$write_line" | awk -F';' '{ print $48 * 1024 }')"
  fi
} | write_prom disk
echo "disk: \${reason:-measured}"
`;

const COMPUTE = `reason=$(node_skip)
if [ -z "$reason" ]; then
  if ! stress-ng --cpu 1 --cpu-method matrixprod -t "\${COMPUTE_SECONDS}s" --metrics --yaml "$STATE_DIR/cpu.yaml" > /dev/null 2>&1 ||
     ! stress-ng --stream 1 \${STREAM_L3_SIZE:+--stream-l3-size "$STREAM_L3_SIZE"} -t "\${COMPUTE_SECONDS}s" --metrics --yaml "$STATE_DIR/stream.yaml" > /dev/null 2>&1; then
    reason=stress_ng_failed
  else
    ops=$(awk '/bogo-ops-per-second-real-time:/ { print $2; exit }' "$STATE_DIR/cpu.yaml")
    # stress-ng's MB is 2^20 bytes; the key is memory-read-rate-mb-per-sec up to 0.15, mb-per-sec-memory-read-rate later.
    rd=$(awk '/(memory-read-rate-mb-per-sec|mb-per-sec-memory-read-rate):/ { print $2 * 1048576; exit }' "$STATE_DIR/stream.yaml")
    wr=$(awk '/(memory-write-rate-mb-per-sec|mb-per-sec-memory-write-rate):/ { print $2 * 1048576; exit }' "$STATE_DIR/stream.yaml")
    if [ -z "$ops" ] || [ -z "$rd" ] || [ -z "$wr" ]; then reason=no_rate; fi
  fi
fi
{
  status compute "$reason"
  if [ -z "$reason" ]; then
    gauge lab_calibration_cpu_operations_per_second "" "$ops"
    gauge lab_calibration_memory_read_throughput_bytes_per_second "" "$rd"
    gauge lab_calibration_memory_write_throughput_bytes_per_second "" "$wr"
  fi
} | write_prom compute
echo "compute: \${reason:-measured}"
`;

const STEPS: Record<CalibrationStep, string> = { check: CHECK, network: NETWORK, disk: DISK, compute: COMPUTE };

/** The shell script of one step (prelude included), for `sh -c`. */
export function calibrationScript(step: CalibrationStep): string {
  return `${PRELUDE}${STEPS[step]}`;
}
