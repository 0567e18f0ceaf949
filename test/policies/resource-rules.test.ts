/** Each resource rule with a passing and a failing resource, and "not applicable" on other types. */
import { describe, expect, it } from "vitest";
import { renderValues } from "../../components/shared/helm-chart";
import { containersDeclareResources } from "../../policies/rules/containers-declare-resources";
import { helmChartExactVersion } from "../../policies/rules/helm-chart-exact-version";
import { imageProblem, imagesPinned } from "../../policies/rules/images-pinned";
import { ingressRequiresAuth } from "../../policies/rules/ingress-requires-auth";
import { isCredentialName, noSecretsInConfig } from "../../policies/rules/no-secrets-in-config";
import { checkResource } from "../harness/policy";

const HELM = "kubernetes:helm.cattle.io/v1:HelmChart";
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const CRONJOB = "kubernetes:batch/v1:CronJob";
const CONFIGMAP = "kubernetes:core/v1:ConfigMap";
const INGRESS = "kubernetes:networking.k8s.io/v1:Ingress";
const SERVICE = "kubernetes:core/v1:Service";

const limited = { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "1", memory: "512Mi" } };
const container = (extra: Record<string, unknown> = {}) => ({ name: "app", image: "ghcr.io/vacp2p/app:v1.2.3", resources: limited, ...extra });
const deployment = (containers: unknown[], initContainers: unknown[] = []) => ({
  apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d", namespace: "lab-system" },
  spec: { template: { spec: { containers, initContainers } } },
});
const chart = (values: Record<string, unknown>, version: unknown = "0.67.0") => ({
  apiVersion: "helm.cattle.io/v1", kind: "HelmChart", metadata: { name: "vmks", namespace: "kube-system" },
  spec: { chart: "victoria-metrics-k8s-stack", repo: "https://victoriametrics.github.io/helm-charts/", version, valuesContent: renderValues(values) },
});

describe("containers-declare-resources", () => {
  it("passes workloads whose every container declares cpu and memory requests and limits", async () => {
    expect(await checkResource(containersDeclareResources, DEPLOYMENT, deployment([container()], [container({ name: "init" })]))).toEqual({ notApplicable: false, violations: [] });
  });

  it("names each container that lacks them, including init containers and CronJob templates", async () => {
    const result = await checkResource(containersDeclareResources, DEPLOYMENT, deployment([container(), container({ name: "side", resources: { requests: limited.requests } })], [container({ name: "init", resources: undefined })]));
    expect(result.violations).toEqual([
      'spec.template.spec.initContainers[0] "init" declares no requests.cpu, requests.memory, limits.cpu, limits.memory',
      'spec.template.spec.containers[1] "side" declares no limits.cpu, limits.memory',
    ]);
    const cron = { spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: "job", image: "busybox:1.36", resources: { limits: limited.limits } }] } } } } } };
    expect((await checkResource(containersDeclareResources, CRONJOB, cron)).violations).toEqual([
      'spec.jobTemplate.spec.template.spec.containers[0] "job" declares no requests.cpu, requests.memory',
    ]);
  });

  it("checks every resources map set in HelmChart values, but not a volume claim's storage request", async () => {
    const good = chart({ vmsingle: { spec: { resources: limited, storage: { resources: { requests: { storage: "20Gi" } } } } } });
    expect((await checkResource(containersDeclareResources, HELM, good)).violations).toEqual([]);
    const bad = chart({ grafana: { resources: {} }, vmagent: { spec: { resources: { limits: { cpu: "2", memory: "lots" } } } } });
    expect((await checkResource(containersDeclareResources, HELM, bad)).violations).toEqual([
      "values grafana.resources declares no requests.cpu, requests.memory, limits.cpu, limits.memory",
      "values vmagent.spec.resources declares no requests.cpu, requests.memory, limits.memory",
    ]);
  });

  it("is not applicable to other types", async () => {
    expect(await checkResource(containersDeclareResources, SERVICE, { spec: {} })).toEqual({ notApplicable: true, violations: [] });
  });
});

describe("helm-chart-exact-version", () => {
  it("passes an exact version, with or without the v prefix", async () => {
    for (const version of ["0.67.0", "v1.15.4", "1.2.3-rc.1"]) {
      expect((await checkResource(helmChartExactVersion, HELM, chart({}, version))).violations, version).toEqual([]);
    }
  });

  it("fails a missing version, a range or latest", async () => {
    const unversioned = chart({});
    delete (unversioned.spec as { version?: unknown }).version;
    expect((await checkResource(helmChartExactVersion, HELM, unversioned)).violations).toEqual([
      'chart "victoria-metrics-k8s-stack" has no version; helm-controller would install the newest release',
    ]);
    for (const version of ["^0.67.0", "~1.2", "1.x", "latest", ">=1.0.0", 1.2]) {
      expect((await checkResource(helmChartExactVersion, HELM, chart({}, version))).violations, String(version)).toHaveLength(1);
    }
  });

  it("is not applicable to other types", async () => {
    expect((await checkResource(helmChartExactVersion, DEPLOYMENT, deployment([]))).notApplicable).toBe(true);
  });
});

describe("images-pinned", () => {
  it("accepts tags and digests, including registries with ports", () => {
    for (const image of ["nginx:1.27", "registry.lab:5000/team/app:v2", `app@sha256:${"a".repeat(64)}`, `quay.io/x/y:1.0@sha256:${"0".repeat(64)}`]) {
      expect(imageProblem(image), image).toBeUndefined();
    }
  });

  it("rejects no tag, latest, an empty tag and a malformed digest", () => {
    expect(imageProblem("nginx")).toBe('"nginx" has no tag (it means latest)');
    expect(imageProblem("registry.lab:5000/team/app")).toBe('"registry.lab:5000/team/app" has no tag (it means latest)');
    expect(imageProblem("nginx:latest")).toBe('"nginx:latest" uses the latest tag');
    expect(imageProblem(`nginx:latest@sha256:${"a".repeat(64)}`)).toContain("latest tag");
    expect(imageProblem("nginx:")).toContain("empty tag");
    expect(imageProblem("nginx@sha256:abc")).toContain("malformed digest");
    expect(imageProblem(undefined)).toBe("has no image reference");
  });

  it("checks pod templates and image strings / image.tag in HelmChart values", async () => {
    expect((await checkResource(imagesPinned, DEPLOYMENT, deployment([container()]))).violations).toEqual([]);
    expect((await checkResource(imagesPinned, DEPLOYMENT, deployment([container({ image: "busybox" })]))).violations).toEqual([
      'spec.template.spec.containers[0] "app" image "busybox" has no tag (it means latest)',
    ]);
    const good = chart({ vmsingle: { spec: { image: { tag: "v1.133.0" } } }, sidecar: { image: "kiwigrid/k8s-sidecar:1.30.3" }, grafana: { image: { repository: "grafana/grafana" } } });
    expect((await checkResource(imagesPinned, HELM, good)).violations).toEqual([]);
    const bad = chart({ vmsingle: { spec: { image: { tag: "latest" } } }, extraContainers: [{ name: "x", image: "alpine" }] });
    expect((await checkResource(imagesPinned, HELM, bad)).violations).toEqual([
      'values extraContainers[0].image "alpine" has no tag (it means latest)',
      "values vmsingle.spec.image.tag uses the latest tag",
    ]);
  });

  it("is not applicable to other types", async () => {
    expect((await checkResource(imagesPinned, CONFIGMAP, { data: { image: "x" } })).notApplicable).toBe(true);
  });
});

describe("ingress-requires-auth", () => {
  const ingress = (annotations: Record<string, string> = {}, labels: Record<string, string> = {}) => ({
    apiVersion: "networking.k8s.io/v1", kind: "Ingress", metadata: { name: "grafana", namespace: "monitoring", annotations, labels }, spec: {},
  });
  const MW = "traefik.ingress.kubernetes.io/router.middlewares";

  it("passes an Ingress behind an auth middleware, or one explicitly labelled public", async () => {
    expect((await checkResource(ingressRequiresAuth, INGRESS, ingress({ [MW]: "kube-system-headers@kubernetescrd, default-authentik-forwardauth@kubernetescrd" }))).violations).toEqual([]);
    expect((await checkResource(ingressRequiresAuth, INGRESS, ingress({}, { "lab.vac.dev/public": "true" }))).violations).toEqual([]);
  });

  it("fails an Ingress with no middleware or only non-auth ones, and a public label that is not \"true\"", async () => {
    expect((await checkResource(ingressRequiresAuth, INGRESS, ingress())).violations).toEqual([
      'Ingress monitoring/grafana has no authentication middleware (traefik.ingress.kubernetes.io/router.middlewares: none) and is not labelled <labelDomain>/public: "true"',
    ]);
    expect((await checkResource(ingressRequiresAuth, INGRESS, ingress({ [MW]: "kube-system-compress@kubernetescrd" }, { "lab.vac.dev/public": "yes" }))).violations).toHaveLength(1);
  });

  it("takes the middleware pattern from the pack config", async () => {
    const oidc = ingress({ [MW]: "kube-system-oidc-gate@kubernetescrd" });
    expect((await checkResource(ingressRequiresAuth, INGRESS, oidc)).violations).toHaveLength(1);
    expect((await checkResource(ingressRequiresAuth, INGRESS, oidc, { authMiddlewarePattern: "oidc-gate" })).violations).toEqual([]);
  });

  it("is not applicable to other types", async () => {
    expect((await checkResource(ingressRequiresAuth, SERVICE, {})).notApplicable).toBe(true);
  });
});

describe("no-secrets-in-config", () => {
  const PEM = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n";
  const configMap = (data: Record<string, string>, binaryData?: Record<string, string>) => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" }, data, binaryData });

  it("tells credentials from references to Secrets by the key's name", () => {
    for (const name of ["password", "adminPassword", "token", "clientSecret", "privateKey", "secretKey", "api_key", "POSTGRES_PASSWORD", "credentials"]) {
      expect(isCredentialName(name), name).toBe(true);
    }
    for (const name of ["existingSecret", "secretName", "passwordKey", "bearerTokenFile", "secretRef", "automountServiceAccountToken", "tokenPath", "image", "user"]) {
      expect(isCredentialName(name), name).toBe(false);
    }
  });

  it("passes plain configuration, certificates and references to Secrets", async () => {
    const ok = configMap({ "scrape.yaml": "interval: 30s\npassword_file: /etc/secret/pw\n", "ca.crt": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", secretName: "grafana-admin" });
    expect((await checkResource(noSecretsInConfig, CONFIGMAP, ok)).violations).toEqual([]);
    const values = chart({ grafana: { admin: { existingSecret: "grafana-admin", passwordKey: "password" }, env: [{ name: "GF_SECURITY_ADMIN_PASSWORD", valueFrom: { secretKeyRef: { name: "g", key: "p" } } }] } });
    expect((await checkResource(noSecretsInConfig, HELM, values)).violations).toEqual([]);
  });

  it("fails literal credentials and PEM private keys in ConfigMaps, also inside embedded YAML and binaryData", async () => {
    const bad = configMap({ password: "hunter2hunter2", "app.yaml": "db:\n  user: lab\n  password: s3cret-value\n", "id_ed25519": PEM }, { blob: Buffer.from(PEM).toString("base64") });
    expect((await checkResource(noSecretsInConfig, CONFIGMAP, bad)).violations).toEqual([
      "data.password is a literal credential; put it in a Secret and reference it",
      "data.app.yaml: db.password is a literal credential; put it in a Secret and reference it",
      "data.id_ed25519 holds a PEM private key; put it in a Secret and reference it",
      "data.blob holds a PEM private key; put it in a Secret and reference it",
    ]);
  });

  it("fails literal credentials in HelmChart values, including env-style name/value pairs", async () => {
    const values = chart({ grafana: { adminPassword: "admin123", env: [{ name: "S3_SECRET_KEY", value: "abcd" }] }, vmbackup: { s3: { accessKey: "AKIA0000" } } });
    expect((await checkResource(noSecretsInConfig, HELM, values)).violations).toEqual([
      "values grafana.adminPassword is a literal credential; put it in a Secret and reference it",
      "values grafana.env[0] sets S3_SECRET_KEY to a literal credential; put it in a Secret and reference it",
      "values vmbackup.s3.accessKey is a literal credential; put it in a Secret and reference it",
    ]);
  });

  it("is not applicable to other types", async () => {
    expect((await checkResource(noSecretsInConfig, "kubernetes:core/v1:Secret", { stringData: { password: "x" } })).notApplicable).toBe(true);
  });
});
