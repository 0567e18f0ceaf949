/** The scheduled apply keeps the preview job's credentials rules: credentials only for code on the default branch. */
import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../harness/fixtures";

const workflow = (name: string) => yaml.load(fs.readFileSync(path.join(REPO_ROOT, ".github/workflows", name), "utf8")) as any;

describe("lease-apply workflow", () => {
  const wf = workflow("lease-apply.yml");

  it("runs hourly and by hand, never on pull-request events", () => {
    expect(Object.keys(wf.on).sort()).toEqual(["schedule", "workflow_dispatch"]);
    expect(wf.on.schedule).toEqual([{ cron: "7 * * * *" }]);
  });

  it("gives credentials only to the default branch's code, in the protected environment, one update at a time", () => {
    const job = wf.jobs.apply;
    expect(job.if).toBe("github.ref == format('refs/heads/{0}', github.event.repository.default_branch)");
    expect(job.environment).toBe("lab");
    expect(job.steps[0]).toMatchObject({ uses: "actions/checkout@v4", with: { ref: "${{ github.event.repository.default_branch }}", "persist-credentials": false } });
    expect(wf.permissions).toEqual({ contents: "read" });
    expect(wf.concurrency).toEqual({ group: "lease-apply-lab", "cancel-in-progress": false });
    // Secrets appear in this job's env only.
    const text = JSON.stringify(wf);
    expect(text.match(/secrets\./g)).toHaveLength(2);
    expect(Object.values(job.env)).toEqual(["${{ secrets.PULUMI_ACCESS_TOKEN }}", "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}"]);
    expect(job.steps.at(-1)).toMatchObject({ uses: "pulumi/actions@v7", with: { command: "up", "stack-name": "lab", policyPacks: "policies" } });
  });

  it("plans base and head of a pull request at one instant, so a lease boundary never shows up as the PR's change", () => {
    const steps = workflow("preview.yml").jobs["plan-diff"].steps.map((s: { run?: string }) => s.run ?? "").join("\n");
    expect(steps).toContain('echo "LAB_AT=$(date -u +%Y-%m-%dT%H:%M:%SZ)" >> "$GITHUB_ENV"');
    expect(steps).toContain('--out ../plan-base --at "$LAB_AT"');
    expect(steps).toContain('--diff ../plan-base --at "$LAB_AT"');
  });
});
