/**
 * The exact field set of Kubernetes objects at the cluster's Kubernetes minor, with
 * `@kubernetes/client-node` (pinned in package.json), whose models are generated from one Kubernetes
 * release's OpenAPI spec: 1.1.x from v1.32 (each generated model's header says "OpenAPI spec version:
 * v1.32.0"; its README's Compatibility table marks 1.0.x and 1.1.x "exactly the same features / API
 * objects" as Kubernetes 1.32).
 *
 * Two checks together cover what a v1.32 API server accepts:
 * - `kubernetes-schema.ts` (kubernetes-models 5.1.0, generated from Kubernetes v1.36.0): types,
 *   formats, enums, required fields and unknown fields at v1.36;
 * - this module: every field and kind exists at the cluster's minor (v1.32). A field added in
 *   v1.33–v1.36 (e.g. a container's `lifecycle.stopSignal`, v1.33) passes the first and fails here;
 *   a v1.32 API server would drop it. `test/schema/cluster-minor-fields.test.ts` fails when
 *   `lab:cluster.k3sVersion` moves to another minor than the pinned client-node's.
 *
 * How: the kind is resolved the way a client-node user's GET resolves it — the generated API of
 * the object's group and version (`<Group><Version>Api`, e.g. `RbacAuthorizationV1Api`) reads the
 * kind (`read[Namespaced]<Kind>`, else `create[Namespaced]<Kind>`) and its response processor picks the
 * model (`EventsV1Event` for events.k8s.io/v1 Event, `CoreV1Event` for v1 Event: client-node
 * prefixes the group where two groups share a kind name). A group, version or kind with no such API
 * has no model at v1.32. The object is then walked along the models' `attributeTypeMap` (the JSON
 * name `baseName` and its type: a model, `Array<T>`, `{ [key: string]: T; }`, or a leaf such as
 * `string`, `number`, `Date`, `IntOrString`, `any`); a key the model has no attribute for is a field
 * that `ObjectSerializer.deserialize` drops, i.e. unknown at v1.32. Walking the map instead of
 * diffing a deserialize/serialize round trip names every path, never re-formats values (a round trip
 * turns "…T00:00:00Z" into "…T00:00:00.000Z") and cannot throw on malformed input (an array where
 * an object is expected); the tests check that the round trip keeps exactly what this walk accepts.
 * Values are not checked here (kubernetes-models does that).
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../harness/fixtures";
import { pointer, type KubernetesObject, type SchemaProblem } from "./kubernetes-schema";

const CLIENT_NODE = "@kubernetes/client-node";

/**
 * client-node minor -> the Kubernetes minor its models are generated from: the "✓" ("Exactly the
 * same features / API objects") column of each row of the Compatibility table in client-node's
 * README.md (@kubernetes/client-node 1.1.3, README.md "Compatibility"). A client-node minor missing
 * here is unknown: add its row from that table when bumping the package.
 */
export const CLIENT_NODE_KUBERNETES_MINOR: Readonly<Record<string, string>> = {
  "0.19": "v1.28", "0.20": "v1.29", "0.21": "v1.30", "0.22": "v1.31", "1.0": "v1.32", "1.1": "v1.32",
};

/** The installed client-node version, e.g. "1.1.3". */
export function clientNodeVersion(): string {
  const file = path.join(REPO_ROOT, "node_modules", CLIENT_NODE, "package.json");
  return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
}

/** The Kubernetes minor ("v1.32") the installed client-node is generated from; throws for a client-node minor the table lacks. */
export function clientNodeKubernetesMinor(version = clientNodeVersion()): string {
  const minor = /^(\d+\.\d+)\./.exec(version)?.[1];
  const kubernetes = minor === undefined ? undefined : CLIENT_NODE_KUBERNETES_MINOR[minor];
  if (!kubernetes) throw new Error(`${CLIENT_NODE} ${version}: no Kubernetes minor known for it (see its README's Compatibility table)`);
  return kubernetes;
}

interface Attribute {
  readonly baseName: string;
  readonly type: string;
}

/** A generated model class (dist/gen/models/<Model>.js). */
interface Model {
  readonly name: string;
  getAttributeTypeMap(): readonly Attribute[];
}

type ResponseProcessor = Record<string, ((response: unknown) => Promise<{ data: unknown }>) | undefined>;

/**
 * Type names the library passes through as values (ObjectSerializer's `primitives`, `Date`, and the
 * aliases `IntOrString` = number | string and `V1MicroTime` = Date): no fields below them. Any other
 * name that is not a model is an error here, so a new kind of type string cannot silently hide fields.
 */
const LEAF_TYPES = new Set(["string", "boolean", "double", "integer", "long", "float", "number", "any", "Date", "IntOrString", "V1MicroTime"]);

const ARRAY = /^Array<(.+)>$/;
const MAP = /^\{ \[key: string\]: (.+); \}$/;

const dist = (file: string): string => `${CLIENT_NODE}/dist/gen/${file}`;
let models: Promise<Record<string, Model | undefined>> | undefined;
const kinds = new Map<string, Promise<Model | undefined>>();

function pascal(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** client-node's API class for a group and version: core v1 -> CoreV1Api, rbac.authorization.k8s.io v1 -> RbacAuthorizationV1Api. */
function apiClassName(group: string, version: string): string {
  return `${group.replace(/\.k8s\.io$/, "").split(".").map(pascal).join("")}${pascal(version)}Api`;
}

async function resolveModel(apiVersion: string, kind: string): Promise<Model | undefined> {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/", 2) : ["core", apiVersion];
  // Only names that can be API group/version/kind reach the import path.
  if (!/^[a-z0-9]+(\.[a-z0-9-]+)*$/.test(group) || !/^v\d+((alpha|beta)\d+)?$/.test(version) || !/^[A-Z]\w*$/.test(kind)) return undefined;
  const api = apiClassName(group, version);
  let module: Record<string, new () => ResponseProcessor>;
  try {
    module = await import(/* @vite-ignore */ dist(`apis/${api}.js`));
  } catch {
    return undefined;
  }
  const processor = new module[`${api}ResponseProcessor`]();
  const method = [`read${kind}`, `readNamespaced${kind}`, `create${kind}`, `createNamespaced${kind}`]
    .map((name) => processor[`${name}WithHttpInfo`])
    .find((m) => typeof m === "function");
  if (!method) return undefined;
  // The response processor deserializes a 200 response into the kind's model: the instance's class is that model.
  const { ResponseContext } = (await import(/* @vite-ignore */ dist("http/http.js"))) as {
    ResponseContext: new (status: number, headers: Record<string, string>, body: { text(): Promise<string> }) => unknown;
  };
  const response = new ResponseContext(200, { "content-type": "application/json" }, { text: async () => "{}" });
  const { data } = await method.call(processor, response);
  return (data as { constructor: Model }).constructor;
}

/** client-node's model for `apiVersion` and `kind` at its Kubernetes minor, or undefined when that minor does not serve the kind. */
export function modelAtClusterMinor(apiVersion: string, kind: string): Promise<Model | undefined> {
  const key = `${apiVersion} ${kind}`;
  if (!kinds.has(key)) kinds.set(key, resolveModel(apiVersion, kind));
  return kinds.get(key)!;
}

function unknownFields(value: unknown, type: string, at: string, all: Record<string, Model | undefined>, minor: string): SchemaProblem[] {
  if (value === null || typeof value !== "object") return [];
  const array = ARRAY.exec(type);
  if (array) return Array.isArray(value) ? value.flatMap((item, i) => unknownFields(item, array[1], pointer(at, i), all, minor)) : [];
  const map = MAP.exec(type);
  if (map) return Array.isArray(value) ? [] : Object.entries(value).flatMap(([key, item]) => unknownFields(item, map[1], pointer(at, key), all, minor));
  if (LEAF_TYPES.has(type)) return [];
  const model = all[type];
  if (!model) throw new Error(`${CLIENT_NODE}: unsupported type "${type}" at ${at || "/"}`);
  if (Array.isArray(value)) return []; // a type error, which kubernetes-models reports
  const attributes = new Map(model.getAttributeTypeMap().map((a) => [a.baseName, a.type]));
  return Object.entries(value).flatMap(([key, item]) => {
    const attribute = attributes.get(key);
    if (attribute === undefined) return [{ path: pointer(at, key), message: `unknown field at Kubernetes ${minor} (not in ${model.name})` }];
    return unknownFields(item, attribute, pointer(at, key), all, minor);
  });
}

/**
 * Fields of `target.object` that its kind does not have at client-node's Kubernetes minor (JSON
 * pointers), or one problem at "" when that minor has no model for the kind. Patches are checked
 * the same way (required fields are kubernetes-models' concern).
 */
export async function unknownFieldsAtClusterMinor(target: KubernetesObject): Promise<SchemaProblem[]> {
  const minor = clientNodeKubernetesMinor();
  const model = await modelAtClusterMinor(target.apiVersion, target.kind);
  if (!model) return [{ path: "", message: `no ${minor} model for ${target.apiVersion} ${target.kind} in ${CLIENT_NODE} ${clientNodeVersion()}` }];
  models ??= import(/* @vite-ignore */ dist("models/all.js"));
  return unknownFields(target.object, model.name, "", await models, minor);
}

interface ObjectSerializer {
  deserialize(data: unknown, type: string, format?: string): unknown;
  serialize(data: unknown, type: string, format?: string): unknown;
}

/**
 * `target.object` read and written back by client-node's own `ObjectSerializer` with the kind's
 * model, as JSON (what a v1.32 client would send after reading it), or undefined when the minor has
 * no model for the kind. Dropped fields are gone; Date values are re-formatted (toISOString). For
 * tests that check the walk above against the library's own behaviour.
 */
export async function clientNodeRoundTrip(target: KubernetesObject): Promise<unknown> {
  const model = await modelAtClusterMinor(target.apiVersion, target.kind);
  if (!model) return undefined;
  const { ObjectSerializer } = (await import(/* @vite-ignore */ dist("models/ObjectSerializer.js"))) as { ObjectSerializer: ObjectSerializer };
  return JSON.parse(JSON.stringify(ObjectSerializer.serialize(ObjectSerializer.deserialize(target.object, model.name), model.name)));
}

/** The JSON pointer of every key and array index in a JSON value, depth first ("" itself excluded). */
export function fieldPaths(value: unknown, at = ""): string[] {
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, item]) => {
    const child = pointer(at, Array.isArray(value) ? Number(key) : key);
    return [child, ...fieldPaths(item, child)];
  });
}
