/**
 * A team pod mounts what the node can reach. Pod Security `baseline` (what team namespaces
 * enforce) refuses only hostPath; an inline `nfs` volume is mounted by the kubelet from the node's
 * network namespace, past NetworkPolicies and the team's private subnet, e.g. the monitoring backup
 * export (`lab:monitoring.backup.nfs`: every team's series, and write access to the backups);
 * `gitRepo` runs git on the node as root (CVE-2024-10220); iscsi/rbd/cephfs/fc attach storage on
 * the node. The pod policy allows only Pod Security `restricted`'s volume types (kubernetes v1.32
 * pod-security-admission/policy/check_restrictedVolumes.go restrictedVolumes_1_0).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { loadStackConfig } from "../harness/fixtures";
import { runLab, useRecorder } from "../harness/pulumi";
import { GeneratedCluster, IDENTITY, POD, namespacedWrite, pod, container } from "./harness/cluster";

useRecorder();

let cluster: GeneratedCluster;
beforeAll(async () => {
  cluster = new GeneratedCluster(await runLab(loadStackConfig()));
});

/** A dst pod (placement defaulted) mounting one volume. */
const withVolume = (volume: Record<string, unknown>) =>
  pod("reader", {
    nodeSelector: { "lab.vac.dev/team-dst": "true" },
    tolerations: [{ key: "lab.vac.dev/pool", operator: "Equal", value: "experiments", effect: "NoSchedule" }],
    containers: [container("main", { volumeMounts: [{ name: "v", mountPath: "/v" }] })],
    volumes: [{ name: "v", ...volume }],
  });

const admit = (volume: Record<string, unknown>) => cluster.admit(namespacedWrite(IDENTITY.replicaSetController, POD, cluster.namespace("dst"), withVolume(volume)));

describe("a team pod may not mount what only the node can reach", () => {
  it("denies node-mounted volume types: the backup NFS export, gitRepo, block and file storage, flexVolume", () => {
    const attacks: Record<string, Record<string, unknown>> = {
      nfs: { nfs: { server: "192.0.2.50", path: "/export/vm" } },
      gitRepo: { gitRepo: { repository: "https://example.org/evil.git", directory: "." } },
      iscsi: { iscsi: { targetPortal: "192.0.2.60:3260", iqn: "iqn.2026-01.org.example:disk", lun: 0 } },
      rbd: { rbd: { monitors: ["192.0.2.70:6789"], image: "platform" } },
      cephfs: { cephfs: { monitors: ["192.0.2.70:6789"], path: "/" } },
      fc: { fc: { targetWWNs: ["500a0982991b8dc5"], lun: 0 } },
      flexVolume: { flexVolume: { driver: "example/driver" } },
      glusterfs: { glusterfs: { endpoints: "gluster", path: "vol" } },
      hostPath: { hostPath: { path: "/var/lib/rancher/k3s/server" } },
    };
    for (const [type, volume] of Object.entries(attacks)) {
      const verdict = admit(volume);
      expect(verdict.allowed, type).toBe(false);
      expect(verdict.denials, type).toEqual([
        "lab-team-dst-pods: pods of team dst may mount only configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected, secret volumes (no host paths, no network filesystems the node mounts for them)",
      ]);
    }
  });

  it("admits the volumes workloads use: config, secrets, scratch, projected tokens, PVCs, generic ephemeral and CSI", () => {
    const ordinary: Record<string, Record<string, unknown>> = {
      configMap: { configMap: { name: "app" } },
      secret: { secret: { secretName: "app" } },
      emptyDir: { emptyDir: { sizeLimit: "1Gi" } },
      projected: { projected: { sources: [{ serviceAccountToken: { path: "token" } }] } },
      downwardAPI: { downwardAPI: { items: [{ path: "labels", fieldRef: { fieldPath: "metadata.labels" } }] } },
      persistentVolumeClaim: { persistentVolumeClaim: { claimName: "data" } },
      ephemeral: { ephemeral: { volumeClaimTemplate: { spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } } } } },
      csi: { csi: { driver: "secrets-store.csi.k8s.io" } },
    };
    for (const [type, volume] of Object.entries(ordinary)) {
      expect(admit(volume), type).toEqual({ allowed: true, matchedPolicies: ["lab-team-dst-pods"], denials: [] });
    }
  });
});
