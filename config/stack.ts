/**
 * The only place that reads pulumi.Config: the `lab:` keys of the running stack become a LabModel,
 * and the secret inputs (SSH key) become secret Outputs.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { loadLabModel } from "./load";
import type { LabModel } from "./model";

export interface LabSecrets {
  /** The SSH private key every remote command and Ansible run uses. Always secret. */
  readonly sshPrivateKey: pulumi.Output<string>;
  /** True when the key file was absent and a placeholder stands in (previews only). */
  readonly sshKeyIsPlaceholder: boolean;
}

export const SSH_KEY_PLACEHOLDER = "[ssh private key not available: preview placeholder]";

/** `lab:*` config of the running stack, objects decoded from the JSON strings the engine passes. */
export function readStackConfig(): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(pulumi.runtime.allConfig())) {
    try {
      raw[key] = JSON.parse(value);
    } catch {
      raw[key] = value;
    }
  }
  return raw;
}

export function expandHome(file: string): string {
  return file === "~" || file.startsWith("~/") ? path.join(os.homedir(), file.slice(1)) : file;
}

/**
 * Reads the SSH key. A missing key file is fine for a preview (the plan runs on machines without
 * the lab's key) but stops a real update before anything touches a machine.
 */
export function loadLabSecrets(raw: Record<string, unknown>, model: LabModel): LabSecrets {
  const ssh = (raw["lab:ssh"] ?? raw["ssh"]) as { privateKey?: string } | undefined;
  if (ssh?.privateKey) return { sshPrivateKey: pulumi.secret(ssh.privateKey), sshKeyIsPlaceholder: false };
  const keyPath = expandHome(model.ssh.privateKeyPath!);
  if (fs.existsSync(keyPath)) {
    return { sshPrivateKey: pulumi.secret(fs.readFileSync(keyPath, "utf8")), sshKeyIsPlaceholder: false };
  }
  if (!pulumi.runtime.isDryRun()) {
    throw new Error(
      `lab:ssh.privateKeyPath: the SSH key ${keyPath} does not exist on this machine; ` +
        "`pulumi up` needs it to reach the lab's machines (or set lab:ssh.privateKey with `pulumi config set --secret`)",
    );
  }
  pulumi.log.warn(`lab:ssh.privateKeyPath: ${keyPath} not found; planning with a redacted placeholder key (pulumi up would stop here)`);
  return { sshPrivateKey: pulumi.secret(SSH_KEY_PLACEHOLDER), sshKeyIsPlaceholder: true };
}

/** When this program started: `pulumi up` and `pulumi preview` evaluate the lab (its leases) at this instant. */
export const PROGRAM_START = Date.now();

/**
 * Set by the offline plan (`npm run plan -- --at`) for the program it runs in-process; an
 * environment variable so it survives module reloads. Refused by `pulumi up`, which always applies
 * the lab as it is at its own start.
 */
export const PLAN_AT_ENV = "LAB_PLAN_AT";

/** The instant the program evaluates the lab at (ms since the epoch). */
export function evaluationInstant(): number {
  const planned = process.env[PLAN_AT_ENV];
  if (planned === undefined) return PROGRAM_START;
  if (!pulumi.runtime.isDryRun()) throw new Error(`${PLAN_AT_ENV} is set: an update applies the lab as it is now; unset it`);
  const at = Number(planned);
  if (!Number.isFinite(at)) throw new Error(`${PLAN_AT_ENV}=${planned}: expected milliseconds since the epoch`);
  return at;
}

/** Config -> model and secrets, throwing a ConfigError (every problem with its path) before any resource exists. */
export function loadStack(): { model: LabModel; secrets: LabSecrets } {
  const raw = readStackConfig();
  const model = loadLabModel(raw, pulumi.getStack(), { at: evaluationInstant() });
  return { model, secrets: loadLabSecrets(raw, model) };
}
