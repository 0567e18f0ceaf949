/**
 * The session plan of a stack comparison (docs/stack-benchmarks.md, "The design"): A and B run in
 * counterbalanced blocks A B B A, block after block, each block on the next pair of free nodes, so
 * that a linear drift of the machines weighs on both stacks alike and sessions replicate across node
 * pairs (and days, when the blocks are spread out). `stack-bench --new-plan` writes it; every
 * `stack-bench --plan FILE --run NAME` runs the next session, refuses a session of the wrong stack,
 * and records what ran.
 */
import type { RawEnvironment } from "./collect";
import { RUN_NAME } from "./vm";

export interface PlannedSession {
  /** Run (stack) of this session. */
  readonly run: string;
  /** Node pair index: the block (four sessions) it belongs to. */
  readonly pair: number;
  /** Filled in when the session ran: its session name, when, on which nodes, and its environment. */
  readonly done?: { readonly session: string; readonly startedAt: string; readonly nodes: readonly string[]; readonly environment?: RawEnvironment };
}

export interface SessionPlan {
  readonly a: string;
  readonly b: string;
  readonly sessions: readonly PlannedSession[];
}

export class PlanError extends Error {}

/** A plan of `count` sessions (a multiple of 4, at least 8: 4 per stack) in A B B A blocks. */
export function makePlan(a: string, b: string, count: number): SessionPlan {
  if (!RUN_NAME.test(a) || !RUN_NAME.test(b) || a === b) throw new PlanError(`--a ${JSON.stringify(a)} and --b ${JSON.stringify(b)} must be two different run names`);
  if (!Number.isInteger(count) || count < 8 || count % 4 !== 0 || count > 96) throw new PlanError(`--sessions ${count}: a multiple of 4 from 8 (4 per stack, the fewest the report tests) to 96`);
  return { a, b, sessions: Array.from({ length: count }, (_, i) => ({ run: "ABBA"[i % 4] === "A" ? a : b, pair: Math.floor(i / 4) })) };
}

/** A plan read back from its file, checked. */
export function parsePlan(text: string, file: string): SessionPlan {
  let plan: SessionPlan;
  try {
    plan = JSON.parse(text) as SessionPlan;
  } catch (error) {
    throw new PlanError(`${file}: not JSON (${(error as Error).message})`);
  }
  if (!plan || !RUN_NAME.test(plan.a ?? "") || !RUN_NAME.test(plan.b ?? "") || !Array.isArray(plan.sessions)) throw new PlanError(`${file}: not a session plan (a, b, sessions)`);
  plan.sessions.forEach((s, i) => {
    if ((s.run !== plan.a && s.run !== plan.b) || !Number.isInteger(s.pair)) throw new PlanError(`${file}: sessions[${i}]: run must be ${plan.a} or ${plan.b}, pair an integer`);
  });
  return plan;
}

/** The index of the next session to run; refuses when it is another stack's turn or the plan is done. */
export function nextSession(plan: SessionPlan, run: string): number {
  const index = plan.sessions.findIndex((s) => !s.done);
  if (index < 0) throw new PlanError(`every session of the plan (${plan.sessions.length}) has run: make the report`);
  const next = plan.sessions[index];
  if (next.run !== run) throw new PlanError(`session ${index + 1} of ${plan.sessions.length} is ${next.run}'s, not ${run}'s: switch the cluster to that stack first (order ${plan.sessions.map((s) => (s.run === plan.a ? "A" : "B")).join("")})`);
  return index;
}

/** The plan with session `index` recorded as done. */
export function recordSession(plan: SessionPlan, index: number, done: NonNullable<PlannedSession["done"]>): SessionPlan {
  return { ...plan, sessions: plan.sessions.map((s, i) => (i === index ? { ...s, done } : s)) };
}

/** Node versions compared between sessions: what the kubelet reports in status.nodeInfo. */
const VERSION_KEYS = ["kernelVersion", "kubeletVersion", "kubeProxyVersion", "containerRuntimeVersion", "osImage", "architecture"];

/**
 * How a session's environment differs from the sessions already run in the plan: a node's versions
 * or the suite's settings and images. The stack under test may be one of them (a k3s upgrade
 * changes kubeletVersion in B's sessions): the operator reads the list; the report cannot.
 */
export function environmentChanges(plan: SessionPlan, environment: RawEnvironment): string[] {
  const out = new Set<string>();
  for (const earlier of plan.sessions.filter((s) => s.done?.environment)) {
    const before = earlier.done!.environment!;
    const label = `${earlier.run} session ${earlier.done!.session}`;
    for (const node of environment.nodes) {
      const old = before.nodes.find((n) => n.name === node.name);
      if (!old) continue;
      for (const key of VERSION_KEYS) if (old[key] !== node[key]) out.add(`node ${node.name}: ${key} ${old[key] ?? "unknown"} in ${label}, now ${node[key] ?? "unknown"}`);
    }
    for (const key of Object.keys({ ...before.settings, ...environment.settings })) {
      if (before.settings[key] !== environment.settings[key]) out.add(`setting ${key}: ${before.settings[key] ?? "unset"} in ${label}, now ${environment.settings[key] ?? "unset"}`);
    }
    for (const key of Object.keys({ ...before.images, ...environment.images })) {
      if (before.images[key] !== environment.images[key]) out.add(`image of ${key}: ${before.images[key] ?? "none"} in ${label}, now ${environment.images[key] ?? "none"}`);
    }
  }
  return [...out];
}
