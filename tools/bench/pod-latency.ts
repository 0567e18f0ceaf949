/**
 * Pod start latency with kube-burner's podLatency semantics (kube-burner pkg/measurements/
 * pod_latency.go, normalizeMetrics): per pod, the Ready condition's lastTransitionTime minus the
 * pod's creationTimestamp; pods that never became Ready are left out (and counted); a negative
 * latency (the API's timestamps have one-second resolution) is clamped to 0. kube-burner reports
 * P50/P95/P99 over the pods; we keep P50 and P99 per repetition.
 */

export interface PodJson {
  readonly metadata: { readonly name: string; readonly creationTimestamp?: string };
  readonly status?: { readonly conditions?: ReadonlyArray<{ readonly type: string; readonly status: string; readonly lastTransitionTime?: string }> };
}

/** Ready latencies in seconds of the pods that became Ready, and how many did not. */
export function podReadyLatencies(pods: readonly PodJson[]): { latencies: number[]; notReady: string[] } {
  const latencies: number[] = [];
  const notReady: string[] = [];
  for (const pod of pods) {
    const created = Date.parse(pod.metadata.creationTimestamp ?? "");
    const ready = pod.status?.conditions?.find((c) => c.type === "Ready" && c.status === "True");
    const at = Date.parse(ready?.lastTransitionTime ?? "");
    if (!Number.isFinite(created) || !Number.isFinite(at)) {
      notReady.push(pod.metadata.name);
      continue;
    }
    latencies.push(Math.max(0, (at - created) / 1000));
  }
  return { latencies, notReady };
}
