/**
 * Values from the model enter the admission policies only as CEL string literals: whatever a label
 * domain, team or pool name contains, it reads back as the same string and never as CEL code.
 */
import fc from "fast-check";
import { run } from "@bufbuild/cel";
import { describe, expect, it } from "vitest";
import { celList, celString } from "../../components/teams/cel";

describe("CEL literals of model values", () => {
  it("round-trips any string, quotes, backslashes and newlines included", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: fc.constantFrom("\n", "\r", "\\", "'", "\"", "a"), maxLength: 20 })), (s) => {
        expect(run(celString(s))).toBe(s);
        expect(run(`${celList([s, "x"])}.size() == 2 && ${celList([s, "x"])}[0] == ${celString(s)}`)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("keeps an injection attempt inside the literal", () => {
    const hostile = "lab.vac.dev' || true || '";
    expect(run(`${celString(hostile)} == 'x'`)).toBe(false);
  });
});
