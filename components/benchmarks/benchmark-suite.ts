import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { LabModel } from "../../config/model";
import type { ClusterAccess } from "../shared/cluster-access";
import { BENCHMARK_LABELS, BENCHMARK_SERVICE_ACCOUNT, benchmarkTemplates, MESH_SERVICE, suitePool, type TemplateName } from "./templates";

export interface BenchmarkSuiteArgs {
  /** The lab model; `benchmarks` says where, how often and with which images. */
  readonly model: LabModel;
  /** Kubernetes access from the bootstrap layer. */
  readonly access: ClusterAccess;
}

/**
 * The stack benchmark suite (docs/stack-benchmarks.md): a namespace (Pod Security `privileged`, for
 * the host-network pairs), a service account that may only get and list pods (the team-pod check),
 * a headless service for the mesh's stable names, and one suspended CronJob per benchmark template.
 * Nothing runs until `npm run stack-bench` makes Jobs from the templates.
 */
export class BenchmarkSuite extends pulumi.ComponentResource {
  /** Namespace of the suite. */
  public readonly namespace: string;
  /** Pool the suite runs on. */
  public readonly pool: string;
  /** Names of the CronJob templates. */
  public readonly templates: TemplateName[];

  constructor(name: string, args: BenchmarkSuiteArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lab:benchmarks:BenchmarkSuite", name, {}, opts);
    const { model, access } = args;
    const namespace = model.benchmarks.namespace;
    const child = { parent: this, provider: access.provider, dependsOn: access.clusterReady };

    const ns = new k8s.core.v1.Namespace(
      `${name}-namespace`,
      { metadata: { name: namespace, labels: { ...BENCHMARK_LABELS, "pod-security.kubernetes.io/enforce": "privileged" } } },
      child,
    );
    const inNamespace = { ...child, dependsOn: [ns] };
    const metadata = (resource: string) => ({ name: resource, namespace, labels: BENCHMARK_LABELS });

    new k8s.core.v1.ServiceAccount(`${name}-sa`, { metadata: metadata(BENCHMARK_SERVICE_ACCOUNT) }, inNamespace);
    const roleName = "lab-benchmarks-pod-reader";
    const role = new k8s.rbac.v1.ClusterRole(
      `${name}-pod-reader`,
      { metadata: { name: roleName, labels: BENCHMARK_LABELS }, rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["get", "list"] }] },
      child,
    );
    new k8s.rbac.v1.ClusterRoleBinding(
      `${name}-pod-reader`,
      {
        metadata: { name: roleName, labels: BENCHMARK_LABELS },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: roleName },
        subjects: [{ kind: "ServiceAccount", name: BENCHMARK_SERVICE_ACCOUNT, namespace }],
      },
      { ...child, dependsOn: [ns, role] },
    );
    new k8s.core.v1.Service(
      `${name}-mesh`,
      {
        metadata: metadata(MESH_SERVICE),
        // Headless, and names published before readiness: members find each other while starting.
        spec: { clusterIP: "None", publishNotReadyAddresses: true, selector: { "lab-bench-mesh": "member" }, ports: [{ name: "http", port: model.benchmarks.port + 100 }] },
      },
      inNamespace,
    );

    const templates = benchmarkTemplates(model);
    this.templates = (Object.keys(templates) as TemplateName[]).sort();
    for (const template of this.templates) {
      new k8s.batch.v1.CronJob(`${name}-${template}`, { metadata: metadata(template), spec: templates[template] }, inNamespace);
    }
    this.namespace = namespace;
    this.pool = suitePool(model);
    this.registerOutputs({ namespace: this.namespace, pool: this.pool, templates: this.templates });
  }
}
