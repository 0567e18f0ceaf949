/** Reusable zod types for the stack config: names, addresses, CIDRs, durations, versions. */
import { z } from "zod";
import { parseCidr, parseIpv4 } from "../cidr";
import { parseDuration } from "../duration";

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** RFC 1123 label: namespaces, pools, team names, cluster name. */
export const dnsLabel = z
  .string()
  .max(63, "must be at most 63 characters (DNS-1123 label)")
  .regex(DNS_LABEL, "must be a DNS-1123 label: lower-case letters, digits and '-', starting and ending alphanumeric");

/** RFC 1123 subdomain: node names may be fully qualified. */
export const dnsSubdomain = z
  .string()
  .max(253, "must be at most 253 characters (DNS-1123 subdomain)")
  .refine((s) => s.split(".").every((label) => label.length <= 63 && DNS_LABEL.test(label)), {
    message: "must be a DNS-1123 subdomain: dot-separated lower-case labels of letters, digits and '-'",
  });

export const ipv4 = z.string().refine((s) => parseIpv4(s) !== undefined, { message: "must be an IPv4 address" });

export const cidrBlock = z.string().superRefine((s, ctx) => {
  const parsed = parseCidr(s);
  if (typeof parsed === "string") ctx.addIssue({ code: "custom", message: parsed });
});

export const duration = z
  .string()
  .refine((s) => parseDuration(s) !== undefined, { message: 'must be a duration such as "30s", "5m", "6w"' });

/** An exact SemVer (optional `v`): no ranges, no "latest". Also what the policy pack accepts for charts. */
export const EXACT_VERSION = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

/** An exact release version: no ranges, no "latest". */
export const exactVersion = z.string().regex(EXACT_VERSION, "must be an exact version such as 1.15.4 (no ranges, no latest)");

export const positiveInt = z.number().int("must be a whole number").positive("must be greater than 0");
export const positiveNumber = z.number().positive("must be greater than 0");

/**
 * A container image pinned to a release: `repo[:tag][@sha256:digest]` with a tag that is not
 * `latest`, or a digest. The policy pack refuses untagged and `latest` images.
 */
export const pinnedImage = z
  .string()
  .regex(/^[a-z0-9]+([._\/:-][a-z0-9]+)*(:[\w][\w.-]{0,127})?(@sha256:[a-f0-9]{64})?$/, "must be an image reference such as ghcr.io/org/tool:v1.2.3")
  .refine((s) => /@sha256:/.test(s) || (/:[\w][\w.-]*$/.test(s.split("/").pop() ?? "") && !/:latest$/.test(s)), {
    message: "must be pinned: a tag other than latest, or an @sha256 digest",
  });
