/**
 * Every Ingress the stack creates either sends requests through an authentication middleware
 * (Traefik's `router.middlewares` annotation naming one) or is labelled public on purpose
 * (`<labelDomain>/public: "true"`), so nothing in the lab is exposed by accident.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { KEY_SUFFIX, findLabKey } from "../../config/conventions";
import { TYPES, onlyFor } from "../lib/types";

export const MIDDLEWARES_ANNOTATION = "traefik.ingress.kubernetes.io/router.middlewares";

export interface IngressAuthConfig {
  /** Regular expression (case-insensitive) a middleware reference must match to count as authentication. */
  readonly authMiddlewarePattern: string;
}

export const ingressRequiresAuth: ResourceValidationPolicy = {
  name: "ingress-requires-auth",
  description: "Every Ingress names an authentication middleware or is explicitly labelled public.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      authMiddlewarePattern: {
        type: "string",
        // Traefik references are `<namespace>-<name>@kubernetescrd`, e.g. default-authentik-forwardauth@kubernetescrd.
        default: "auth",
        description: "Regular expression (case-insensitive) that an authentication middleware reference matches.",
      },
    },
  },
  validateResource: (args, report) => {
    onlyFor(args, [TYPES.ingress]);
    const metadata = args.props.metadata ?? {};
    const pattern = new RegExp(args.getConfig<IngressAuthConfig>().authMiddlewarePattern, "i");
    const middlewares = String(metadata.annotations?.[MIDDLEWARES_ANNOTATION] ?? "")
      .split(",")
      .map((m) => m.trim())
      .filter((m) => m !== "");
    if (middlewares.some((m) => pattern.test(m))) return;
    const publicLabel = findLabKey(metadata.labels, KEY_SUFFIX.public);
    if (publicLabel?.value === "true") return;
    report(
      `Ingress ${metadata.namespace ?? "?"}/${metadata.name ?? args.name} has no authentication middleware ` +
        `(${MIDDLEWARES_ANNOTATION}: ${middlewares.length > 0 ? middlewares.join(",") : "none"}) and is not labelled <labelDomain>/public: "true"`,
    );
  },
};
