/** Input series for `promtool test rules` in its expanding notation (the rule tests and the calibration benchmark write them). */

/** A sample per step; undefined = no sample (`_`). */
export type Samples = ReadonlyArray<number | undefined>;

/** promtool's expanding notation for a list of samples: runs of an arithmetic progression become `a+bxn`, gaps `_xn`. */
export function encode(samples: Samples): string {
  const out: string[] = [];
  let i = 0;
  while (i < samples.length) {
    const v = samples[i];
    if (v === undefined) {
      let j = i;
      while (j < samples.length && samples[j] === undefined) j++;
      out.push(j - i === 1 ? "_" : `_x${j - i}`);
      i = j;
      continue;
    }
    const next = samples[i + 1];
    if (next === undefined || i + 1 >= samples.length) {
      out.push(String(v));
      i++;
      continue;
    }
    const step = next - v;
    let j = i + 1;
    while (j + 1 < samples.length && samples[j + 1] !== undefined && Math.abs((samples[j + 1] as number) - (samples[j] as number) - step) < 1e-9) j++;
    const n = j - i;
    out.push(step === 0 ? `${v}x${n}` : `${v}${step >= 0 ? "+" : ""}${step}x${n}`);
    i = j + 1;
  }
  return out.join(" ");
}
