import { describe, expect, it } from "vitest";
import { Progress } from "../../tools/progress";

function sink(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, stream: { isTTY, write: (s: string) => (chunks.push(s), true) } as unknown as NodeJS.WritableStream & { isTTY?: boolean } };
}

describe("Progress", () => {
  it("in CI logs prints each step's start and end only, never carriage returns", () => {
    const { chunks, stream } = sink(false);
    let t = 0;
    const p = new Progress({ stream, now: () => t });
    const s = p.step("query series", 3);
    for (let i = 1; i <= 3; i++) { t += 500; s.update(i); }
    s.end("3 series");
    expect(chunks.join("")).toBe("query series...\nquery series: done in 1.5s (3 series)\n");
  });

  it("on a terminal redraws one line with done/total, percent and elapsed time, throttled to 100 ms", () => {
    const { chunks, stream } = sink(true);
    let t = 0;
    const p = new Progress({ stream, interactive: true, now: () => t });
    const s = p.step("import", 4);
    t = 200; s.update(1);
    t = 250; s.update(2); // within 100 ms of the last draw: skipped
    t = 400; s.update(3, "node-03");
    s.end();
    const out = chunks.join("");
    expect(out).toContain("import 1/4 (25%) [0.2s]");
    expect(out).not.toContain("2/4");
    expect(out).toContain("import 3/4 (75%) node-03 [0.4s]");
    expect(out.endsWith("\r\x1b[2Kimport: done in 0.4s\n")).toBe(true);
  });
});
