/**
 * Entry point for `pulumi up` / `pulumi preview` and for the offline plan: load the stack config
 * once, validate it into a LabModel (failing with every problem before any resource exists), build
 * the lab.
 */
import { Lab } from "./components/lab";
import { loadStack } from "./config/stack";

const { model, secrets } = loadStack();
const lab = new Lab(model.cluster.name, { model, secrets });

export const pools = lab.pools;
/** Admin kubeconfig (secret): `pulumi stack output --show-secrets kubeconfig > ~/.kube/lab.yaml`. */
export const kubeconfig = lab.kubeconfig;
