import { z } from "zod";
import { exactVersion } from "./primitives";

/** Pinned chart versions; every chart the stack installs reads its version from here. */
export const versionsSchema = z
  .strictObject({
    kubeOvn: exactVersion.default("v1.15.4"),
    /** fleet-crd and fleet charts (one release train). 0.14.x supports Kubernetes 1.32-1.34. */
    fleet: exactVersion.default("0.14.6"),
    /** vaclab-bandwidth-operator chart (vacp2p/vaclab-k8s-plugins). */
    bandwidthOperator: exactVersion.default("0.2.1"),
    /** vaclab-scheduler chart (vacp2p/vaclab-k8s-plugins). */
    vaclabScheduler: exactVersion.default("0.30.7"),
  })
  .prefault({});
