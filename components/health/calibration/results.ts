/**
 * The `lab_calibration_*` series the calibration jobs write to node_exporter's textfile directory,
 * in base units (bytes, seconds, operations). The jobs' scripts, the drift gate, the baselines and
 * the dashboards all read this one list.
 */

export interface CalibrationResult {
  /** Metric name, base units. */
  readonly metric: string;
  /** Short name used as the `benchmark` label of baselines and drift. */
  readonly benchmark: string;
  readonly help: string;
  /** Unit for dashboards (Grafana unit id). */
  readonly unit: "Bps" | "s" | "ops" | "iops";
  /** The calibration step that writes it (its `lab_calibration_last_run_timestamp_seconds{step}` dates it). */
  readonly step: "network" | "disk" | "compute";
}

/**
 * The gated results: each is a level of the machine that stays put night after night, so its own
 * history gives a band. `lab_calibration_network_retransmits` is not among them: a count that is 0
 * on most nights has no relative band (0 → 3 is "infinitely" off and means nothing); it is shown on
 * the Calibration dashboard only, and lost traffic is the nic and pinger gates' business.
 */
export const CALIBRATION_RESULTS: readonly CalibrationResult[] = [
  { metric: "lab_calibration_network_throughput_bytes_per_second", benchmark: "network_throughput", step: "network", unit: "Bps", help: "iperf3 TCP throughput from this node to the peer node (label peer), received bytes per second." },
  { metric: "lab_calibration_disk_read_latency_seconds", benchmark: "disk_read_latency", step: "disk", unit: "s", help: "fio random 4 KiB direct reads at queue depth 1: mean total latency (submission + completion)." },
  { metric: "lab_calibration_disk_read_operations_per_second", benchmark: "disk_read_iops", step: "disk", unit: "iops", help: "fio random 4 KiB direct reads at queue depth 1: operations per second." },
  { metric: "lab_calibration_disk_write_throughput_bytes_per_second", benchmark: "disk_write_throughput", step: "disk", unit: "Bps", help: "fio sequential 1 MiB direct writes: bytes per second." },
  { metric: "lab_calibration_cpu_operations_per_second", benchmark: "cpu", step: "compute", unit: "ops", help: "stress-ng cpu stressor, one worker: bogo operations per second of wall time." },
  { metric: "lab_calibration_memory_read_throughput_bytes_per_second", benchmark: "memory_read_throughput", step: "compute", unit: "Bps", help: "stress-ng stream stressor, one worker: memory read bytes per second." },
  { metric: "lab_calibration_memory_write_throughput_bytes_per_second", benchmark: "memory_write_throughput", step: "compute", unit: "Bps", help: "stress-ng stream stressor, one worker: memory write bytes per second." },
];

/** Status series: when each step last ran, and why a step was skipped (1 while skipped). */
export const CALIBRATION_STATUS = {
  lastRun: "lab_calibration_last_run_timestamp_seconds",
  skipped: "lab_calibration_skipped",
  retransmits: "lab_calibration_network_retransmits",
} as const;
