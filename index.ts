/**
 * Entry point for `pulumi up` / `pulumi preview` and for the offline plan: load the stack config
 * once, validate it into a LabModel (failing with every problem before any resource exists), build
 * the lab. Every resource of the lab gets the transformation that keeps secret config values secret
 * in its inputs (config/secret-inputs.ts).
 */
import { Lab } from "./components/lab";
import { secretInputsTransformation } from "./config/secret-inputs";
import { loadStack } from "./config/stack";

const { model, secrets, secretValues } = loadStack();
const lab = new Lab(model.cluster.name, { model, secrets }, { transformations: [secretInputsTransformation(secretValues)] });

export const pools = lab.pools;
/** Admin kubeconfig (secret): `pulumi stack output --show-secrets kubeconfig > ~/.kube/lab.yaml`. */
export const kubeconfig = lab.kubeconfig;
