/**
 * No secret material in plain configuration: ConfigMap data and HelmChart `valuesContent` are
 * stored and shown in clear (plan bundle, `kubectl get`, Pulumi state). A key named like a credential
 * (password, token, secret, privateKey, …) with a literal value, or a PEM private key anywhere, fails;
 * references to Secrets (`existingSecret`, `secretName`, `…Key`, `…Ref`, `…File`) are fine.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import * as yaml from "js-yaml";
import { HELM_VALUES_TYPES, isMap, parseValuesContent, walkValues } from "../lib/helm-values";
import { TYPES, onlyFor } from "../lib/types";

/** Names that hold the secret itself even though they end in "key". */
const SECRET_KEY_NAME = /(private|api|access|secret|encryption|signing)[-_]?key$/i;
/** Names that point at a secret rather than hold one. */
const REFERENCE_NAME = /^(existing|use|create|enable|mount|automount)|(name|names|ref|file|path|key|keys|mode|enabled|length|type|provider|namespace|selector)$/i;
/** Names of credentials. */
const CREDENTIAL_NAME = /(password|passwd|passphrase|secret|token|credentials?)$/i;

const PEM_PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----/;
/** Values that are a placeholder for something resolved elsewhere, not a literal. */
const INDIRECT = /^\s*(\$\{[^}]+\}|\$\([^)]+\)|\{\{.*\}\})\s*$/;

export function isCredentialName(name: string): boolean {
  return SECRET_KEY_NAME.test(name) || (!REFERENCE_NAME.test(name) && CREDENTIAL_NAME.test(name));
}

function isLiteral(value: unknown): value is string | number {
  return (typeof value === "string" && value.trim() !== "" && !INDIRECT.test(value)) || typeof value === "number";
}

/** Findings in structured data (values, or a YAML/JSON document inside a ConfigMap), each `<label> <path> …`. */
export function secretFindings(root: unknown, label: string): string[] {
  const found: string[] = [];
  const at = (path: string) => `${label} ${path}`;
  walkValues(root, ({ path, key, value }) => {
    if (typeof value === "string" && PEM_PRIVATE_KEY.test(value)) found.push(`${at(path)} holds a PEM private key`);
    else if (isCredentialName(key) && isLiteral(value)) found.push(`${at(path)} is a literal credential`);
    // Environment-style pairs: {name: DB_PASSWORD, value: "..."}.
    if (isMap(value) && typeof value.name === "string" && isCredentialName(value.name) && isLiteral(value.value)) {
      found.push(`${at(path)} sets ${value.name} to a literal credential`);
    }
  });
  return found;
}

/** ConfigMap entries: the key itself, a PEM key in the text, and credentials inside embedded YAML/JSON. */
function configMapFindings(data: Record<string, unknown>): string[] {
  const found: string[] = [];
  for (const [key, value] of Object.entries(data)) {
    if (typeof value !== "string") continue;
    if (PEM_PRIVATE_KEY.test(value)) found.push(`data.${key} holds a PEM private key`);
    else if (isCredentialName(key) && isLiteral(value)) found.push(`data.${key} is a literal credential`);
    else if (/[:=]/.test(value)) {
      let doc: unknown;
      try {
        doc = yaml.load(value);
      } catch {
        continue; // not a document; plain text was checked above
      }
      if (isMap(doc) || Array.isArray(doc)) found.push(...secretFindings(doc, `data.${key}:`));
    }
  }
  return found;
}

export const noSecretsInConfig: ResourceValidationPolicy = {
  name: "no-secrets-in-config",
  description: "No passwords, tokens, secrets or private keys in ConfigMaps or HelmChart valuesContent; reference a Secret instead.",
  enforcementLevel: "mandatory",
  validateResource: (args, report) => {
    onlyFor(args, [TYPES.configMap, ...HELM_VALUES_TYPES]);
    let findings: string[];
    if (args.type === TYPES.configMap) {
      const binary = Object.entries(args.props.binaryData ?? {}).map(([k, v]) => [k, Buffer.from(String(v), "base64").toString("utf8")]);
      findings = [...configMapFindings(args.props.data ?? {}), ...configMapFindings(Object.fromEntries(binary))];
    } else {
      const parsed = parseValuesContent(args.props);
      findings = parsed.error !== undefined ? [parsed.error] : secretFindings(parsed.values, "values");
    }
    for (const finding of findings) report(`${finding}; put it in a Secret and reference it`);
  },
};
