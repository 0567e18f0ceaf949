/**
 * How many objects of each kind a team may keep: the `count/<resource>.<group>` entries of its
 * ResourceQuota (kubernetes v1.32 pkg/quota/v1/evaluator/core and generic object count evaluator:
 * `count/<resource>.<group>`, `count/<resource>` for the core group). Pure functions of the model.
 *
 * Why: etcd holds every object; past `--quota-backend-bytes` it raises NOSPACE and every write of
 * the cluster fails (~2,100 ConfigMaps of 1 MiB fill etcd's default 2 GiB); Services take addresses
 * of the one service CIDR.
 *
 * The formula (docs/team-pools.md, "Object counts"):
 * - tenant budget T = etcd quota / 2 (the other half: the platform's objects, events, and the
 *   revisions etcd keeps between compactions);
 * - team share s = team cpu quota / sum of all teams' cpu quotas (their home quotas);
 * - ConfigMaps and Secrets carry up to 1 MiB each (kubernetes v1.32 pkg/apis/core/validation
 *   MaxConfigMapSize, MaxSecretSize): each kind gets ⌊s·T / 2 / 1 MiB⌋, so all teams' ConfigMaps
 *   and Secrets at full size together take at most T;
 * - Services: ⌊s · service CIDR addresses / 2⌋, at most the team's pod quota (every Service
 *   takes a ClusterIP; half the CIDR stays the platform's);
 * - every other kind a team can create: as many as its pod quota (a workload, role or policy
 *   object without pods to go with it is clutter, and the count bounds etcd's share in kind);
 * - pods and PersistentVolumeClaims keep their own quota entries. The kinds come from the team
 *   roles' create grants (components/teams/quota.ts objectCountHard).
 */
import { cidr } from "./cidr";

export const MIB = 1024 * 1024;
/** Largest ConfigMap or Secret payload Kubernetes admits (MaxConfigMapSize = MaxSecretSize = 1 MiB). */
export const MAX_PAYLOAD_BYTES = MIB;
/**
 * Fewest ConfigMaps (and, separately, Secrets) a team namespace may be given: the API server's
 * `kube-root-ca.crt`, the Helm release records of the team's Fleet bundles (one Secret per release
 * revision kept), and a few of the team's own. A config whose shares round below it is refused
 * (config/checks/object-counts.ts).
 */
export const MIN_PAYLOAD_OBJECTS = 16;
/** Share of the etcd quota left to the platform. */
export const PLATFORM_ETCD_SHARE = 0.5;
/** Share of the service CIDR left to the platform. */
export const PLATFORM_SERVICE_SHARE = 0.5;

/** What one team's object counts derive from. */
export interface ObjectCountInput {
  /** The team's home cpu quota and pod quota. */
  readonly cpu: number;
  readonly pods: number;
  /** Sum of every team's home cpu quota. */
  readonly allTeamsCpu: number;
  readonly etcdQuotaGiB: number;
  readonly serviceCidr: string;
}

/** A team's object budget: counts of ConfigMaps (and, separately, of Secrets), of Services, and of every other kind. */
export interface ObjectBudget {
  readonly payloadObjects: number;
  readonly services: number;
  readonly otherObjects: number;
}

/** A team's object budget (see the formula above). */
export function objectBudget(input: ObjectCountInput): ObjectBudget {
  const share = input.allTeamsCpu > 0 ? input.cpu / input.allTeamsCpu : 0;
  const tenantBytes = input.etcdQuotaGiB * 1024 * MIB * (1 - PLATFORM_ETCD_SHARE);
  const addresses = 2 ** (32 - cidr(input.serviceCidr).prefix);
  return {
    payloadObjects: Math.floor((share * tenantBytes) / 2 / MAX_PAYLOAD_BYTES),
    services: Math.min(input.pods, Math.floor(share * addresses * (1 - PLATFORM_SERVICE_SHARE))),
    otherObjects: input.pods,
  };
}
