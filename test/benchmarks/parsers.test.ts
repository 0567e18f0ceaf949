/**
 * Parser and pod-latency edge cases the real runs rarely show: lost echoes, iperf3's error JSON,
 * unfinished sections, pods that never became Ready, one-second timestamps (kube-burner semantics).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { collect } from "../../tools/bench/collect";
import { fpingRoundTrips, iperfTcpBytesPerSecond, iperfUdpPacketsPerSecond, ParseError, sections } from "../../tools/bench/parsers";
import { podReadyLatencies } from "../../tools/bench/pod-latency";

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, "fixtures", name), "utf8");

describe("parsers", () => {
  it("fping: milliseconds to seconds, lost echoes ('-') left out and counted", () => {
    const { rtts, lost } = fpingRoundTrips("10.16.0.4 : 0.120 - 0.080 -\n");
    expect(lost).toBe(2);
    expect(rtts).toHaveLength(2);
    expect(rtts[0]).toBeCloseTo(0.00012, 12);
    expect(rtts[1]).toBeCloseTo(0.00008, 12);
    expect(() => fpingRoundTrips("ICMP Host Unreachable")).toThrow(ParseError);
  });

  it("iperf3: the error JSON of a failed test is a parse error naming iperf3's message", () => {
    expect(() => iperfTcpBytesPerSecond('{"start":{},"intervals":[],"end":{},"error":"unable to connect to server: Connection refused"}')).toThrow(
      "iperf3: unable to connect to server: Connection refused",
    );
    expect(() => iperfUdpPacketsPerSecond("not json")).toThrow(ParseError);
  });

  it("iperf3: the recorded real outputs give receiver-side rates", () => {
    const body = sections(fixture("client.txt")).sections;
    const tcp = iperfTcpBytesPerSecond(body.find((s) => s.kind === "tcp_1")!.body);
    const json = JSON.parse(body.find((s) => s.kind === "tcp_1")!.body);
    expect(tcp).toBeCloseTo(json.end.sum_received.bits_per_second / 8, 6);
    const udpJson = JSON.parse(body.find((s) => s.kind === "udp")!.body);
    const received = udpJson.end.sum_received;
    expect(iperfUdpPacketsPerSecond(JSON.stringify(udpJson))).toBeCloseTo((received.packets - received.lost_packets) / received.seconds, 6);
  });

  it("an unfinished section (the pod died mid-test) is a problem, not a sample", () => {
    const log = "### lab-bench begin tcp_1 rep=1\n{ partial";
    expect(sections(log).sections).toEqual([{ kind: "tcp_1", rep: 1, peer: undefined, body: "{ partial" }]);
    const { samples, problems } = collect({ run: "r", labels: {}, startedAt: 0, podStart: [], logs: [{ role: "client", labels: { network: "pod", placement: "same_node" }, log, finishedAt: 0 }] });
    expect(samples).toEqual([]);
    expect(problems).toEqual(["client{network=pod,placement=same_node} tcp_1 rep 1: did not finish: { partial"]);
  });
});

describe("pod start latency (kube-burner podLatency)", () => {
  const pod = (name: string, created: string, ready?: string) => ({
    metadata: { name, creationTimestamp: created },
    status: { conditions: ready ? [{ type: "PodScheduled", status: "True", lastTransitionTime: created }, { type: "Ready", status: "True", lastTransitionTime: ready }] : [{ type: "Ready", status: "False" }] },
  });

  it("Ready minus creation per pod, in seconds; never-Ready pods left out and named; negatives clamped to 0", () => {
    const { latencies, notReady } = podReadyLatencies([
      pod("a", "2026-11-20T10:00:00Z", "2026-11-20T10:00:02Z"),
      pod("b", "2026-11-20T10:00:01Z", "2026-11-20T10:00:00Z"), // clock/second rounding: clamped
      pod("c", "2026-11-20T10:00:00Z"),
    ]);
    expect(latencies).toEqual([2, 0]);
    expect(notReady).toEqual(["c"]);
  });

  it("the collector reports pods not Ready in time and keeps quantiles of the others", () => {
    const { samples, problems } = collect({
      run: "r",
      labels: {},
      startedAt: 0,
      logs: [],
      podStart: [{ scheduler: "default-scheduler", rep: 1, requested: 3, finishedAt: 5, pods: [pod("a", "2026-11-20T10:00:00Z", "2026-11-20T10:00:01Z"), pod("b", "2026-11-20T10:00:00Z", "2026-11-20T10:00:03Z")] }],
    });
    expect(problems).toEqual(["pod start default-scheduler rep 1: 1 of 3 pods not Ready in time (left out, as kube-burner does)"]);
    expect(samples.map((s) => [s.labels.quantile, s.value])).toEqual([["0.5", 2], ["0.99", 2.98]]);
  });
});
