/**
 * RoleBindings in a team namespace name only roles the stack defines with explicit rules: never a
 * ClusterRole with an aggregationRule (the built-in `admin`, `edit`, `view` grow with every CRD
 * installed — the VM operator chart adds `*` on its CRDs to them) and never a `*` in apiGroups,
 * resources or verbs.
 */
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { inNamespace, teamNamespaces } from "../lib/team-objects";
import { TYPES } from "../lib/types";

/** Built-in ClusterRoles that aggregate or grant everything (Kubernetes bootstrap policy). */
export const BUILT_IN_BROAD_ROLES = ["admin", "edit", "view", "cluster-admin"];

function wildcard(role: PolicyResource): boolean {
  return (role.props.rules ?? []).some((r: Record<string, string[]>) => ["apiGroups", "resources", "verbs"].some((k) => (r[k] ?? []).includes("*")));
}

export const teamRolesExplicit: StackValidationPolicy = {
  name: "team-roles-explicit",
  description: "RoleBindings in team namespaces name only stack-defined roles with explicit rules: no aggregated or wildcard role.",
  enforcementLevel: "mandatory",
  validateStack: (args, report) => {
    const clusterRoles = args.resources.filter((r) => r.type === TYPES.clusterRole);
    for (const { namespace, team } of teamNamespaces(args.resources)) {
      const roles = inNamespace(args.resources, TYPES.role, namespace);
      for (const binding of inNamespace(args.resources, TYPES.roleBinding, namespace)) {
        const ref = binding.props.roleRef ?? {};
        const where = `team "${team}": RoleBinding ${namespace}/${binding.props.metadata?.name}`;
        if (ref.kind === "ClusterRole" && BUILT_IN_BROAD_ROLES.includes(ref.name)) {
          report(`${where} binds the built-in ClusterRole ${ref.name}, which aggregates or grants everything`, binding.urn);
          continue;
        }
        const role = (ref.kind === "ClusterRole" ? clusterRoles : roles).find((r) => r.props.metadata?.name === ref.name);
        if (!role) report(`${where} binds ${ref.kind} ${ref.name}, which the stack does not define`, binding.urn);
        else if (role.props.aggregationRule) report(`${where} binds ${ref.kind} ${ref.name}, which has an aggregationRule`, binding.urn);
        else if (wildcard(role)) report(`${where} binds ${ref.kind} ${ref.name}, which grants "*"`, binding.urn);
      }
    }
  },
};
