import { describe, expect, it } from "vitest";
import { findLabKey } from "../../config/conventions";
import { GIB, cpuQuantity, memoryQuantity, parseQuantity } from "../../config/quantity";
import { nodeSelectorAnnotation, podSecurityVersion } from "../../components/teams/admission";

describe("Kubernetes quantities", () => {
  it("parses decimal, binary, milli and exponent forms into base units", () => {
    expect(parseQuantity("160")).toBe(160);
    expect(parseQuantity("1500m")).toBe(1.5);
    expect(parseQuantity("640Gi")).toBe(640 * GIB);
    expect(parseQuantity("1Ti")).toBe(1024 * GIB);
    expect(parseQuantity("500M")).toBe(5e8);
    expect(parseQuantity("1e3")).toBe(1000);
    expect(parseQuantity(".5")).toBe(0.5);
    expect(parseQuantity(12)).toBe(12);
  });

  it("rejects what is not a quantity", () => {
    for (const bad of ["", "lots", "1.5 cores", "10Gb", "Gi", undefined, null, {}]) expect(parseQuantity(bad), String(bad)).toBeUndefined();
  });

  it("writes whole cores and GiB plainly and fractions in milli / Mi, round-tripping through the parser", () => {
    expect(cpuQuantity(160)).toBe("160");
    expect(cpuQuantity(0.25)).toBe("250m");
    expect(memoryQuantity(640)).toBe("640Gi");
    expect(memoryQuantity(0.5)).toBe("512Mi");
    for (const cores of [1, 2.5, 62, 0.125]) expect(parseQuantity(cpuQuantity(cores))).toBe(cores);
    for (const gib of [1, 0.5, 248, 48.5]) expect(parseQuantity(memoryQuantity(gib))! / GIB).toBe(gib);
  });
});

describe("admission formats", () => {
  it("writes a PodNodeSelector selector as sorted equality terms", () => {
    expect(nodeSelectorAnnotation({ "b.io/y": "2", "a.io/x": "true" })).toBe("a.io/x=true,b.io/y=2");
  });

  it("pins Pod Security to the cluster's Kubernetes minor", () => {
    expect(podSecurityVersion("v1.32.4+k3s1")).toBe("v1.32");
    expect(podSecurityVersion("v1.33.10+k3s2")).toBe("v1.33");
  });

  it("finds the lab's keys under any label domain by suffix", () => {
    expect(findLabKey({ "pod-security.kubernetes.io/enforce": "baseline", "x.example.org/team": "a" }, "team")).toEqual({ key: "x.example.org/team", value: "a" });
    expect(findLabKey({ "lab.vac.dev/team-a": "true" }, "team")).toBeUndefined();
    expect(findLabKey(undefined, "team")).toBeUndefined();
  });
});
