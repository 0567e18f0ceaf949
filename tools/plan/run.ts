/**
 * The offline plan: validates a stack config, runs the real program (index.ts) under mocks in
 * preview mode, evaluates the policy pack over what it registered, and writes the bundle.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { ConfigProblem } from "../../config/problems";
import { secretLeafValues } from "../../config/secure";
import { PLAN_AT_ENV, readKeyFile, useSecureLeaves } from "../../config/stack";
import { labPolicies } from "../../policies/rules";
import { planArtifacts, writeArtifacts } from "./artifacts";
import { renderResourcesJson, renderSummary, toEntries, type PlanEntry } from "./bundle";
import { writeCalendar } from "./calendar";
import { checkStack, type CheckedStack } from "./check";
import { diffPlans, renderDiffMarkdown } from "./diff";
import { HeapGovernor } from "./heap-governor";
import { evaluatePolicies, type Violation } from "./policy-runner";
import { installRecorder, settle, type ResourceRecord } from "./recorder";
import { SECRET } from "./redact";
import type { StackFile } from "./stack-file";

export interface PlanOptions {
  readonly stack: string;
  readonly configFile: string;
  readonly outDir: string;
  readonly diffBase?: string;
  /** The instant to plan (ms since the epoch): leases active then are applied. Default: now. */
  readonly at?: number;
  /** The input check already done for this file and instant (the CLI does it before loading the SDK). */
  readonly checked?: CheckedStack & { readonly ok: true };
  /** The program to run; default the repository's index.ts. */
  readonly entry?: string;
}

export interface PlanResult {
  readonly exitCode: 0 | 1 | 2;
  readonly problems: readonly ConfigProblem[];
  readonly entries: readonly PlanEntry[];
  readonly records: readonly ResourceRecord[];
  readonly violations: readonly Violation[];
  readonly diffMarkdown?: string;
  readonly seconds: number;
}

const MIN_SECRET_LENGTH = 8;

/**
 * Secret values the program was given; none may appear in clear in the bundle: the SSH key, and
 * every `secure:` leaf (offline, the stand-in that replaced it, which the program must keep secret
 * exactly like the plaintext).
 */
function knownSecrets(file: StackFile): string[] {
  const { raw } = file;
  const values: string[] = secretLeafValues(raw, file.secureLeaves);
  const ssh = raw["lab:ssh"] as { privateKey?: string; privateKeyPath?: string } | undefined;
  if (ssh?.privateKey) values.push(ssh.privateKey);
  if (ssh?.privateKeyPath) {
    const key = readKeyFile(ssh.privateKeyPath);
    if (key !== "missing" && "key" in key) values.push(key.key);
  }
  return values.filter((v) => v.length >= MIN_SECRET_LENGTH && v !== SECRET);
}

/** Replaces leaked secrets with "[secret]" and reports each leak as a mandatory violation. */
function redactLeaks(entries: PlanEntry[], secrets: readonly string[]): { entries: PlanEntry[]; leaks: Violation[] } {
  const leaks: Violation[] = [];
  const clean = entries.map((entry) => {
    let text = JSON.stringify(entry.inputs);
    let leaked = false;
    for (const secret of secrets) {
      const encoded = JSON.stringify(secret).slice(1, -1);
      if (text.includes(encoded)) {
        leaked = true;
        text = text.split(encoded).join(SECRET);
      }
    }
    if (!leaked) return entry;
    leaks.push({
      policy: "no-secret-in-clear",
      enforcementLevel: "mandatory",
      urn: entry.urn,
      type: entry.type,
      name: entry.name,
      message: "a secret config value appears in clear in this resource's inputs; wrap it with pulumi.secret",
    });
    return { ...entry, inputs: JSON.parse(text) };
  });
  return { entries: clean, leaks };
}

/**
 * Resources registered twice under one URN: the mock monitor accepts them, the Pulumi engine refuses
 * the whole update ("Duplicate resource URN"). A derived name collided; the config checks should
 * have caught it, so this is the backstop.
 */
function duplicateUrns(records: readonly ResourceRecord[]): Violation[] {
  const seen = new Set<string>();
  const violations: Violation[] = [];
  for (const r of records) {
    if (!seen.has(r.urn)) {
      seen.add(r.urn);
      continue;
    }
    violations.push({
      policy: "unique-urn",
      enforcementLevel: "mandatory",
      urn: r.urn,
      type: r.type,
      name: r.name,
      message: "another resource has this URN; the engine would refuse the update (names derived from the config collide)",
    });
  }
  return violations;
}

export async function runPlan(options: PlanOptions): Promise<PlanResult> {
  const started = process.hrtime.bigint();
  const elapsed = () => Number(process.hrtime.bigint() - started) / 1e9;
  const invalid = (problems: readonly ConfigProblem[]): PlanResult => ({ exitCode: 1, problems, entries: [], records: [], violations: [], seconds: elapsed() });
  const at = options.at ?? Date.now();
  const checked = options.checked ?? checkStack(options.configFile, options.stack, at);
  if (!checked.ok) return invalid(checked.problems);
  const { stackFile, validation } = checked;

  const recorder = await installRecorder(options.stack, true);
  // Registrations settle in one long run of microtasks: bound the heap there and between the steps after.
  const governor = new HeapGovernor();
  recorder.onRegister = () => governor.check();
  pulumi.runtime.setAllConfig(stackFile.config, stackFile.secretKeys);
  const failures: unknown[] = [];
  const onRejection = (reason: unknown) => failures.push(reason);
  process.on("unhandledRejection", onRejection);
  useSecureLeaves(stackFile.secureLeaves);
  const previousAt = process.env[PLAN_AT_ENV];
  process.env[PLAN_AT_ENV] = String(at); // the program builds its model at this instant (config/stack.ts)
  try {
    await import(options.entry ?? path.resolve(__dirname, "../../index.ts"));
    await settle();
  } finally {
    process.off("unhandledRejection", onRejection);
    useSecureLeaves(undefined);
    if (previousAt === undefined) delete process.env[PLAN_AT_ENV];
    else process.env[PLAN_AT_ENV] = previousAt;
  }
  if (failures.length > 0) throw failures[0];

  recorder.onRegister = undefined;
  governor.check();
  const records = [...recorder.records];
  const { entries, leaks } = redactLeaks(toEntries(records), knownSecrets(stackFile));
  governor.check();
  const violations = [...(await evaluatePolicies(labPolicies, records)), ...leaks, ...duplicateUrns(records)];
  governor.check();

  fs.mkdirSync(options.outDir, { recursive: true });
  fs.writeFileSync(path.join(options.outDir, "resources.json"), renderResourcesJson(entries));
  fs.writeFileSync(path.join(options.outDir, "summary.md"), renderSummary(options.stack, entries, violations));
  writeArtifacts(options.outDir, planArtifacts(entries));
  writeCalendar(options.outDir, options.stack, validation.config!, at);

  let diffMarkdown: string | undefined;
  if (options.diffBase) {
    const base = JSON.parse(fs.readFileSync(path.join(options.diffBase, "resources.json"), "utf8")) as PlanEntry[];
    diffMarkdown = renderDiffMarkdown(diffPlans(base, entries), `Lab plan diff (stack \`${options.stack}\`)`);
    fs.writeFileSync(path.join(options.outDir, "diff.md"), diffMarkdown);
  }
  const mandatory = violations.some((v) => v.enforcementLevel === "mandatory");
  return { exitCode: mandatory ? 2 : 0, problems: [], entries, records, violations, diffMarkdown, seconds: elapsed() };
}
