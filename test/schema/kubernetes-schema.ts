/**
 * Checks Kubernetes objects against Kubernetes' own OpenAPI schema with kubernetes-models (pinned in
 * package.json; 5.x models are generated from Kubernetes v1.36.0 merged with the specs of APIs
 * removed since). The cluster runs an older minor (v1.32): `cluster-minor-fields.ts` checks the
 * field set and kinds at that minor with @kubernetes/client-node; see docs/plan-and-previews.md.
 *
 * kubernetes-models' validators are Ajv code compiled from that schema: types, formats, enums and
 * required fields. Kubernetes' OpenAPI leaves `additionalProperties` open, so they accept unknown
 * fields, which the API server drops (or rejects under strict field validation). This module adds
 * that check with the same compiled schema: it runs the validator on a proxy of the object and
 * records which fields the validator looks up. A compiled validator looks up every property its
 * schema declares and, for maps (`additionalProperties: {...}`), every entry; a field it never
 * looks up is not in the schema, i.e. unknown (the effect of `additionalProperties: false`).
 */

/** Where a problem is (JSON pointer into the object) and what it is. */
export interface SchemaProblem {
  readonly path: string;
  readonly message: string;
}

/** A Kubernetes object to check: `patch` objects (Pulumi's *Patch resources) may omit required fields. */
export interface KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly object: Record<string, unknown>;
  readonly patch?: boolean;
}

interface AjvError {
  readonly instancePath: string;
  readonly keyword: string;
  readonly message?: string;
  readonly params?: Record<string, unknown>;
}

type ModelClass = { prototype: { validate(): void } };

/** API groups built into Kubernetes: the groups kubernetes-models has a folder for, plus the core group. */
const BUILT_IN_GROUPS = new Set([
  "core", "apps", "autoscaling", "batch", "extensions", "policy",
  "admissionregistration.k8s.io", "apiextensions.k8s.io", "apiregistration.k8s.io", "authentication.k8s.io",
  "authorization.k8s.io", "certificates.k8s.io", "coordination.k8s.io", "discovery.k8s.io", "events.k8s.io",
  "flowcontrol.apiserver.k8s.io", "networking.k8s.io", "node.k8s.io", "rbac.authorization.k8s.io",
  "resource.k8s.io", "scheduling.k8s.io", "storage.k8s.io",
]);

/** Pulumi's type token `kubernetes:<group>/<version>:<Kind>` as a built-in object, or undefined for custom resources and non-Kubernetes types. */
export function builtInKind(type: string): { group: string; version: string; kind: string; patch: boolean } | undefined {
  const m = /^kubernetes:([^/]+)\/([^:]+):(\w+)$/.exec(type);
  if (!m || !BUILT_IN_GROUPS.has(m[1])) return undefined;
  const patch = m[3].endsWith("Patch");
  return { group: m[1], version: m[2], kind: patch ? m[3].slice(0, -"Patch".length) : m[3], patch };
}

const models = new Map<string, Promise<ModelClass | undefined>>();

async function modelOf(apiVersion: string, kind: string): Promise<ModelClass | undefined> {
  const key = `${apiVersion}/${kind}`;
  if (!models.has(key)) {
    const folder = apiVersion.includes("/") ? apiVersion : `v1`;
    if (!apiVersion.includes("/") && apiVersion !== "v1") return undefined;
    models.set(
      key,
      import(/* @vite-ignore */ `kubernetes-models/${folder}/${kind}`).then(
        (module: Record<string, ModelClass>) => module[kind],
        () => undefined,
      ),
    );
  }
  return models.get(key)!;
}

/** `path` extended by one JSON pointer token (RFC 6901: `~` as `~0`, `/` as `~1`). */
export function pointer(path: string, key: string | number): string {
  return `${path}/${String(key).replace(/~/g, "~0").replace(/\//g, "~1")}`;
}

/** A read-only view of `value` that records the path of every field looked up. */
function tracked(value: unknown, path: string, read: Set<string>): unknown {
  if (typeof value !== "object" || value === null) return value;
  return new Proxy(value, {
    get(target, key, receiver) {
      const child = Reflect.get(target, key, receiver);
      if (typeof key !== "string") return child;
      read.add(pointer(path, key));
      return tracked(child, pointer(path, key), read);
    },
  });
}

function unknownFields(value: unknown, path: string, read: ReadonlySet<string>): SchemaProblem[] {
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const at = pointer(path, Array.isArray(value) ? Number(key) : key);
    if (!read.has(at)) return [{ path: at, message: "unknown field (not in the schema)" }];
    return unknownFields(child, at, read);
  });
}

/** Every schema problem of one object: type, format, enum, required (not for patches) and unknown fields. */
export async function checkObject(target: KubernetesObject): Promise<SchemaProblem[]> {
  const model = await modelOf(target.apiVersion, target.kind);
  if (!model) return [{ path: "", message: `no schema for ${target.apiVersion} ${target.kind} in kubernetes-models` }];
  const read = new Set<string>();
  let errors: AjvError[] = [];
  try {
    model.prototype.validate.call(tracked(target.object, "", read));
  } catch (error) {
    errors = (error as { errors?: AjvError[] }).errors ?? [{ instancePath: "", keyword: "error", message: (error as Error).message }];
  }
  const schemaErrors = errors
    .filter((e) => !(target.patch && e.keyword === "required"))
    .map((e) => ({ path: e.instancePath, message: `${e.message ?? e.keyword}${e.params ? ` ${JSON.stringify(e.params)}` : ""}` }));
  return [...schemaErrors, ...unknownFields(target.object, "", read)];
}
