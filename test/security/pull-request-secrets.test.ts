/**
 * Way through 6: preview.yml ran the pull request's own code with PULUMI_CONFIG_PASSPHRASE and the
 * Pulumi access token on `pull_request`; anyone who can push a branch could print the stack's
 * secrets. GitHub's rule (docs.github.com "Securely using pull_request_target", "Events that trigger
 * workflows: pull_request"): code of a pull request is untrusted; `pull_request` gives it the secrets
 * of the repository for same-repo branches, `pull_request_target` gives them to whatever the job
 * checks out. This test reads every workflow and checks, from the attacker's side, that no job that
 * runs pull-request code can reach a secret, a write token or a persisted credential, and that
 * every job that uses a secret runs only trusted code behind an environment.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const DIR = ".github/workflows";

interface Workflow {
  readonly file: string;
  readonly triggers: string[];
  readonly doc: Record<string, any>;
}

function workflows(): Workflow[] {
  return readdirSync(DIR)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((file) => {
      const doc = parse(readFileSync(join(DIR, file), "utf8"));
      const on = doc.on ?? doc.true; // YAML 1.1 readers turn `on` into true; the yaml package keeps it.
      const triggers = typeof on === "string" ? [on] : Array.isArray(on) ? on : Object.keys(on ?? {});
      return { file, triggers, doc };
    });
}

/** Events whose runs can execute code the pull request's author controls. */
const PULL_REQUEST_EVENTS = ["pull_request", "pull_request_target", "pull_request_review", "pull_request_review_comment", "issue_comment", "workflow_run"];

/** `secrets.X` references other than the job's own GITHUB_TOKEN. */
function secretReferences(value: unknown): string[] {
  const text = JSON.stringify(value ?? {});
  return [...text.matchAll(/secrets\.([A-Za-z_][A-Za-z0-9_]*)|secrets\[/g)].map((m) => m[0]).filter((s) => s !== "secrets.GITHUB_TOKEN");
}

function checkouts(job: Record<string, any>): Array<Record<string, any>> {
  return (job.steps ?? []).filter((s: any) => typeof s.uses === "string" && s.uses.startsWith("actions/checkout@"));
}

/** Whether a job runs code of the pull request: any checkout on `pull_request`, or a checkout of the head elsewhere. */
function runsPullRequestCode(workflow: Workflow, job: Record<string, any>): boolean {
  const prEvents = workflow.triggers.filter((t) => PULL_REQUEST_EVENTS.includes(t));
  if (prEvents.length === 0) return false;
  if (workflow.triggers.includes("pull_request") && checkouts(job).length > 0) return true;
  return checkouts(job).some((s) => /github\.event\.(pull_request|workflow_run)\.head|github\.head_ref|refs\/pull\//.test(JSON.stringify(s.with ?? {})));
}

function writePermissions(permissions: unknown): string[] {
  if (permissions === "write-all") return ["write-all"];
  if (typeof permissions !== "object" || permissions === null) return [];
  return Object.entries(permissions).filter(([, v]) => v === "write").map(([k]) => k);
}

describe("way 6: stack secrets on pull requests", () => {
  const all = workflows();

  it("finds the workflows", () => {
    expect(all.map((w) => w.file).sort()).toEqual(["lease-apply.yml", "preview.yml", "pulumi-preview.yml"]);
  });

  it("gives no job that runs pull-request code a secret, a write token or a persisted credential", () => {
    let prJobs = 0;
    for (const w of all) {
      for (const [name, job] of Object.entries<Record<string, any>>(w.doc.jobs ?? {})) {
        if (!runsPullRequestCode(w, job)) continue;
        prJobs++;
        const where = `${w.file}: job ${name}`;
        expect(secretReferences({ env: w.doc.env, job }), where).toEqual([]);
        expect(job.secrets, where).toBeUndefined();
        expect(writePermissions(job.permissions ?? w.doc.permissions), where).toEqual([]);
        expect(job.permissions ?? w.doc.permissions, `${where} must declare its permissions`).toBeDefined();
        for (const step of checkouts(job)) expect(step.with?.["persist-credentials"], `${where}: ${JSON.stringify(step.with)}`).toBe(false);
      }
    }
    expect(prJobs).toBeGreaterThan(0);
  });

  it("runs every job that uses a secret only on trusted code (push to main, the schedule, manual runs) behind an environment", () => {
    let secretJobs = 0;
    for (const w of all) {
      for (const [name, job] of Object.entries<Record<string, any>>(w.doc.jobs ?? {})) {
        if (secretReferences({ env: w.doc.env, job }).length === 0) continue;
        secretJobs++;
        const where = `${w.file}: job ${name}`;
        // `schedule` runs the default branch only (GitHub docs, "Events that trigger workflows: schedule").
        expect(w.triggers.filter((t) => !["push", "workflow_dispatch", "schedule"].includes(t)), where).toEqual([]);
        if (w.triggers.includes("push")) expect(w.doc.on.push?.branches, where).toEqual(["main"]);
        expect(job.environment, where).toBeTruthy();
        for (const step of checkouts(job)) expect([undefined, "${{ github.event.repository.default_branch }}"], where).toContain(step.with?.ref);
      }
    }
    expect(secretJobs).toBe(2); // pulumi-preview and the scheduled lease apply
  });

  it("still posts the offline plan diff on every pull request, from a job that runs none of its code", () => {
    const preview = all.find((w) => w.file === "preview.yml")!;
    expect(preview.triggers).toEqual(["pull_request"]);
    const comment = preview.doc.jobs.comment;
    expect(checkouts(comment)).toEqual([]);
    expect(writePermissions(comment.permissions)).toEqual(["pull-requests"]);
    expect(JSON.stringify(preview.doc.jobs["plan-diff"].steps)).toContain("npm run --silent plan -- --out ../plan-head --diff ../plan-base");
  });
});
