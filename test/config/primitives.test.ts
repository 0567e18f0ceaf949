import { describe, expect, it } from "vitest";
import { cidr, cidrAddress, cidrContains, cidrsOverlap, parseCidr, parseIpv4 } from "../../config/cidr";
import { formatSeconds, parseDuration } from "../../config/duration";

describe("durations", () => {
  it("parses single and compound units", () => {
    expect(parseDuration("30s")).toBe(30);
    expect(parseDuration("2m")).toBe(120);
    expect(parseDuration("1h30m")).toBe(5400);
    expect(parseDuration("6w")).toBe(6 * 7 * 86400);
    expect(parseDuration("500ms")).toBe(0.5);
  });
  it("rejects what Prometheus would reject", () => {
    for (const bad of ["", "30", "30 s", "1.5m", "-5s", "5x", "m5"]) expect(parseDuration(bad), bad).toBeUndefined();
  });
  it("formats whole seconds with the largest exact unit", () => {
    expect(formatSeconds(300)).toBe("5m");
    expect(formatSeconds(90)).toBe("90s");
    expect(formatSeconds(86400 * 14)).toBe("2w");
  });
});

describe("IPv4 CIDRs", () => {
  it("parses addresses and blocks", () => {
    expect(parseIpv4("192.0.2.1")).toBe(0xc0000201);
    expect(parseIpv4("256.0.0.1")).toBeUndefined();
    expect(cidr("10.42.0.0/16").prefix).toBe(16);
  });
  it("explains bad blocks", () => {
    expect(parseCidr("10.42.0.1/16")).toMatch(/host bits set; the block starts at 10\.42\.0\.0\/16/);
    expect(parseCidr("10.42.0.0")).toMatch(/not an IPv4 CIDR/);
    expect(parseCidr("10.42.0.0/33")).toMatch(/not an IPv4 CIDR/);
  });
  it("detects overlap and containment", () => {
    expect(cidrsOverlap(cidr("10.42.0.0/16"), cidr("10.42.128.0/17"))).toBe(true);
    expect(cidrsOverlap(cidr("10.42.0.0/16"), cidr("10.43.0.0/16"))).toBe(false);
    expect(cidrContains(cidr("192.0.2.0/24"), parseIpv4("192.0.2.200")!)).toBe(true);
    expect(cidrContains(cidr("192.0.2.0/25"), parseIpv4("192.0.2.200")!)).toBe(false);
  });
  it("derives addresses inside a block", () => {
    expect(cidrAddress(cidr("10.43.0.0/16"), 10)).toBe("10.43.0.10");
  });
});
