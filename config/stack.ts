/**
 * The only place that reads pulumi.Config: the `lab:` keys of the running stack become a LabModel,
 * the secret inputs (SSH key) become secret Outputs, and every secret config leaf is found so that
 * it stays secret wherever it lands (see secure.ts).
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { validateConfig } from "./load";
import type { LabModel } from "./model";
import { ConfigError } from "./problems";
import { allStringLeaves, secretLeafValues } from "./secure";
import { expandHome, readKeyFile, sshSection } from "./key-file";
import { secretNameProblems } from "./secret-names";
import { readStackFile, type SecureLeaf } from "./stack-file";

export { expandHome, keyFileProblems, readKeyFile } from "./key-file";

// isConfigSecret is internal to @pulumi/pulumi (3.248.0 runtime/config.js): which top-level keys
// PULUMI_CONFIG_SECRET_KEYS lists. Pinned by the exact SDK version, like the plan's recorder.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const runtimeConfig = require("@pulumi/pulumi/runtime/config") as { isConfigSecret(key: string): boolean };

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
    let decoded: unknown = value;
    try {
      decoded = JSON.parse(value);
    } catch {
      // a plain string value
    }
    Object.defineProperty(raw, key, { value: decoded, enumerable: true, writable: true, configurable: true });
  }
  return raw;
}

/**
 * Reads the SSH key. A missing key file is fine for a preview (the plan runs on machines without
 * the lab's key) but stops a real update before anything touches a machine. A path that is not a
 * regular file of at most 64 KiB (/dev/zero, a FIFO, a directory) is a config problem.
 */
export function loadLabSecrets(raw: Record<string, unknown>, model: LabModel): LabSecrets {
  const ssh = sshSection(raw);
  if (typeof ssh?.privateKey === "string" && ssh.privateKey) return { sshPrivateKey: pulumi.secret(ssh.privateKey), sshKeyIsPlaceholder: false };
  const keyPath = expandHome(model.ssh.privateKeyPath!);
  const read = readKeyFile(keyPath);
  if (read !== "missing" && "key" in read) return { sshPrivateKey: pulumi.secret(read.key), sshKeyIsPlaceholder: false };
  if (read !== "missing") throw new ConfigError([read]);
  if (!pulumi.runtime.isDryRun()) {
    throw new ConfigError([{
      path: "lab:ssh.privateKeyPath",
      message:
        `the SSH key ${keyPath} does not exist on this machine; ` +
        "`pulumi up` needs it to reach the lab's machines (or set lab:ssh.privateKey with `pulumi config set --secret`)",
    }]);
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

let secureLeavesHint: readonly SecureLeaf[] | undefined;

/** The offline plan tells the program which leaves were `secure:` in the file it planned. */
export function useSecureLeaves(leaves: readonly SecureLeaf[] | undefined): void {
  secureLeavesHint = leaves;
}

/** The `secure:` leaves: the plan's hint, else those of `Pulumi.<stack>.yaml` in the working directory. */
function knownSecureLeaves(stack: string): readonly SecureLeaf[] {
  if (secureLeavesHint) return secureLeavesHint;
  const file = readStackFile(path.join(process.cwd(), `Pulumi.${stack}.yaml`));
  return file.ok ? file.value.secureLeaves : [];
}

/**
 * Plaintexts of the secret config leaves. Leaves come from the plan's hint, else from
 * `Pulumi.<stack>.yaml` in the working directory (where the Pulumi CLI runs the program); a secret
 * key (isConfigSecret) whose leaves are not known there has all its string leaves treated as secret.
 */
export function secretConfigValues(raw: Record<string, unknown>, stack: string): string[] {
  const leaves = knownSecureLeaves(stack);
  const known = new Set(leaves.map((l) => l.key));
  const unknownKeys = Object.keys(raw).filter((k) => runtimeConfig.isConfigSecret(k) && !known.has(k));
  return [...new Set([...secretLeafValues(raw, leaves), ...allStringLeaves(raw, unknownKeys)])].sort();
}

/**
 * Config -> model, secrets and the secret config values, failing before any resource exists. Invalid
 * config is reported as a RunError (every problem on its own line as `path: message`, no stack trace).
 */
export function loadStack(): { model: LabModel; secrets: LabSecrets; secretValues: string[] } {
  const raw = readStackConfig();
  const stack = pulumi.getStack();
  try {
    const secretNames = secretNameProblems(knownSecureLeaves(stack));
    if (secretNames.length > 0) throw new ConfigError(secretNames);
    const result = validateConfig(raw, stack, { at: evaluationInstant() });
    if (!result.model) throw new ConfigError(result.problems);
    const secrets = loadLabSecrets(raw, result.model);
    return { model: result.model, secrets, secretValues: secretConfigValues(raw, stack) };
  } catch (error) {
    if (error instanceof ConfigError) throw new pulumi.RunError(error.message);
    throw error;
  }
}
