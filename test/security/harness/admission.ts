/**
 * An offline ValidatingAdmissionPolicy evaluator: what the API server does with a policy and its
 * bindings for one admission request (Kubernetes 1.32 staging/src/k8s.io/apiserver/pkg/admission/
 * plugin/policy/validating: match the policy's matchConstraints, then each binding's
 * matchResources, then run every validation; `validationActions: [Deny]` rejects on a false result,
 * and with `failurePolicy: Fail` an expression error rejects too).
 *
 * Matching follows pkg/admission/plugin/policy/matching and webhook/predicates: resource rules
 * (operations, groups, versions, resources with a star, star-slash-star, `pods/<sub>` and subresources, resourceNames,
 * scope), excludeResourceRules, the namespace selector (for a namespace object: its own labels on
 * CREATE/UPDATE, the stored ones on DELETE; cluster-scoped objects always match) and the object
 * selector (object or oldObject labels). CEL runs in @bufbuild/cel with the variables Kubernetes
 * binds: object, oldObject, request, params, namespaceObject.
 */
import { isCelError, run, type CelInput } from "@bufbuild/cel";

export interface UserInfo {
  readonly username: string;
  readonly groups: readonly string[];
}

export interface AdmissionRequest {
  readonly operation: "CREATE" | "UPDATE" | "DELETE" | "CONNECT";
  readonly resource: { readonly group: string; readonly version: string; readonly resource: string };
  readonly subResource?: string;
  readonly name: string;
  /** "" for cluster-scoped objects. */
  readonly namespace: string;
  readonly object: Record<string, any> | null;
  readonly oldObject: Record<string, any> | null;
  readonly userInfo: UserInfo;
  /** The request's namespace as stored (null for cluster-scoped requests). */
  readonly namespaceObject: Record<string, any> | null;
}

export interface Manifest {
  readonly metadata: { readonly name: string };
  readonly spec: Record<string, any>;
}

export interface Verdict {
  readonly allowed: boolean;
  /** Policies whose constraints and a Deny binding matched the request. */
  readonly matchedPolicies: string[];
  /** Messages of the validations that failed (or erred), as `policy: message`. */
  readonly denials: string[];
}

/** JSON to CEL input: objects become maps, whole numbers int (Kubernetes' int64 fields). */
export function toCel(value: unknown): CelInput {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map(toCel);
  if (typeof value === "number") return Number.isInteger(value) ? BigInt(value) : value;
  if (typeof value === "object") return new Map(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, toCel(v)]));
  return value as CelInput;
}

function listMatches(list: readonly string[] | undefined, value: string): boolean {
  return (list ?? []).some((item) => item === "*" || item === value);
}

function resourceMatches(patterns: readonly string[] | undefined, resource: string, subResource: string): boolean {
  return (patterns ?? []).some((pattern) => {
    const [res, sub = ""] = pattern.split("/");
    if (pattern === "*/*") return true;
    if (res !== "*" && res !== resource) return false;
    if (pattern.includes("/")) return sub === "*" || sub === subResource;
    return subResource === "";
  });
}

function ruleMatches(rule: Record<string, any>, req: AdmissionRequest): boolean {
  const sub = req.subResource ?? "";
  const scope = rule.scope ?? "*";
  if (scope === "Cluster" && req.namespace !== "") return false;
  if (scope === "Namespaced" && req.namespace === "") return false;
  if (Array.isArray(rule.resourceNames) && rule.resourceNames.length > 0 && !rule.resourceNames.includes(req.name)) return false;
  return (
    listMatches(rule.operations, req.operation) &&
    listMatches(rule.apiGroups, req.resource.group) &&
    listMatches(rule.apiVersions, req.resource.version) &&
    resourceMatches(rule.resources, req.resource.resource, sub)
  );
}

/** A metav1.LabelSelector against labels (nil selector: everything). */
export function selectorMatches(selector: Record<string, any> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector) return true;
  const l = labels ?? {};
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (l[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(l, e.key);
    switch (e.operator) {
      case "In": if (!has || !e.values.includes(l[e.key])) return false; break;
      case "NotIn": if (has && e.values.includes(l[e.key])) return false; break;
      case "Exists": if (!has) return false; break;
      case "DoesNotExist": if (has) return false; break;
      default: throw new Error(`unknown selector operator ${e.operator}`);
    }
  }
  return true;
}

function namespaceLabels(req: AdmissionRequest): Record<string, string> | "cluster-scoped" {
  const isNamespace = req.resource.group === "" && req.resource.resource === "namespaces" && !req.subResource;
  if (isNamespace && (req.operation === "CREATE" || req.operation === "UPDATE")) return req.object?.metadata?.labels ?? {};
  if (isNamespace) return req.namespaceObject?.metadata?.labels ?? {};
  if (req.namespace === "") return "cluster-scoped";
  return req.namespaceObject?.metadata?.labels ?? {};
}

/** Whether a MatchResources (policy matchConstraints or binding matchResources) selects the request. */
export function matchResources(match: Record<string, any> | undefined, req: AdmissionRequest): boolean {
  if (!match) return true;
  const ns = namespaceLabels(req);
  if (ns !== "cluster-scoped" && !selectorMatches(match.namespaceSelector, ns)) return false;
  const objectSelected = [req.object, req.oldObject].some((o) => o && selectorMatches(match.objectSelector, o.metadata?.labels));
  if (match.objectSelector && !objectSelected) return false;
  if ((match.excludeResourceRules ?? []).some((r: Record<string, any>) => ruleMatches(r, req))) return false;
  return (match.resourceRules ?? []).some((r: Record<string, any>) => ruleMatches(r, req));
}

function celRequest(req: AdmissionRequest): Record<string, unknown> {
  return {
    operation: req.operation,
    name: req.name,
    namespace: req.namespace,
    resource: req.resource,
    subResource: req.subResource ?? "",
    userInfo: { username: req.userInfo.username, groups: [...req.userInfo.groups] },
  };
}

/** Runs one CEL expression with Kubernetes' bindings; a CelError or a non-bool result is an error. */
export function evalValidation(expression: string, req: AdmissionRequest): boolean | Error {
  const result = run(expression, {
    object: toCel(req.object),
    oldObject: toCel(req.oldObject),
    request: toCel(celRequest(req)),
    params: null,
    namespaceObject: toCel(req.namespaceObject),
  });
  if (isCelError(result)) return result;
  if (typeof result !== "boolean") return new Error(`expression returned ${typeof result}, not bool`);
  return result;
}

/** The API server's decision for `req` given every policy and binding of the cluster. */
export function admit(policies: readonly Manifest[], bindings: readonly Manifest[], req: AdmissionRequest): Verdict {
  const matchedPolicies: string[] = [];
  const denials: string[] = [];
  for (const policy of policies) {
    if (!matchResources(policy.spec.matchConstraints, req)) continue;
    const denyingBindings = bindings.filter(
      (b) => b.spec.policyName === policy.metadata.name && (b.spec.validationActions ?? []).includes("Deny") && matchResources(b.spec.matchResources, req),
    );
    if (denyingBindings.length === 0) continue;
    matchedPolicies.push(policy.metadata.name);
    const conditionsHold = (policy.spec.matchConditions ?? []).every((c: { expression: string }) => evalValidation(c.expression, req) === true);
    if (!conditionsHold) continue;
    for (const v of policy.spec.validations ?? []) {
      const result = evalValidation(v.expression, req);
      if (result === true) continue;
      if (result instanceof Error && policy.spec.failurePolicy === "Ignore") continue;
      denials.push(`${policy.metadata.name}: ${result instanceof Error ? `expression error: ${result.message}` : v.message}`);
    }
  }
  return { allowed: denials.length === 0, matchedPolicies, denials };
}
