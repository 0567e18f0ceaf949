/**
 * Pod start latency with kube-burner's podLatency semantics (kube-burner pkg/measurements/
 * pod_latency.go, normalizeMetrics): per pod, the Ready condition's lastTransitionTime minus the
 * pod's creationTimestamp; pods that never became Ready are left out (and counted); a negative
 * latency (the API's timestamps have one-second resolution) is clamped to 0. kube-burner reports
 * P50/P95/P99 over the pods; we keep P50 and P99 per repetition.
 *
 * The API's creationTimestamp and lastTransitionTime are whole seconds (RFC 3339 without fractions,
 * metav1.Time), far too coarse to compare stacks whose pods start in 1-3 s. stack-bench therefore
 * measures on the client: it watches the batch's pods before creating them and takes, per pod, the
 * arrival of its first watch event (ADDED) and of the first event that shows Ready=True, on one
 * clock, with millisecond resolution (watchLatencies). Both arrivals carry the same API-server to
 * client delay, which cancels; what remains is the watch's delivery jitter (milliseconds).
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

/** One line of `kubectl get pods --watch -o jsonpath='{.metadata.name} {.status.conditions[?(@.type=="Ready")].status}{"\\n"}'` and when it arrived. */
export interface WatchEvent {
  readonly name: string;
  readonly ready: boolean;
  readonly atMs: number;
}

/** The watch's jsonpath: the pod's name and its Ready condition's status, one line per event. */
export const WATCH_JSONPATH = '{.metadata.name} {.status.conditions[?(@.type=="Ready")].status}{"\\n"}';

/** One watch line ("name True"), or undefined when it is not one. */
export function watchEvent(line: string, atMs: number): WatchEvent | undefined {
  const [name, status] = line.trim().split(/\s+/);
  return name ? { name, ready: status === "True", atMs } : undefined;
}

/** Ready latencies in seconds from client-side watch events: first Ready=True minus first event per pod; the pods never Ready. */
export function watchLatencies(events: readonly WatchEvent[]): { latencies: number[]; notReady: string[] } {
  const first = new Map<string, number>();
  const ready = new Map<string, number>();
  for (const e of events) {
    if (!first.has(e.name)) first.set(e.name, e.atMs);
    if (e.ready && !ready.has(e.name)) ready.set(e.name, e.atMs);
  }
  const latencies: number[] = [];
  const notReady: string[] = [];
  for (const [name, at] of first) {
    const r = ready.get(name);
    if (r === undefined) notReady.push(name);
    else latencies.push((r - at) / 1000);
  }
  return { latencies, notReady };
}
