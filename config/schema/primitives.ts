/**
 * Reusable zod types for the stack config: names, addresses, CIDRs, durations, versions, URLs, git
 * refs, paths, regexes and bounded numbers. Every string the config accepts has a grammar here or
 * next to its field; docs/configuration.md lists them. Whatever a grammar lets through is still
 * treated as untrusted text downstream (Ansible values are tagged unsafe, PromQL strings escaped).
 */
import { RE2JS } from "re2js";
import { z } from "zod";
import { hostAddressProblem, parseCidr, parseIpv4 } from "../cidr";
import { parseDuration } from "../duration";

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** RFC 1123 label: namespaces, pools, team names, cluster name. */
export const dnsLabel = z
  .string()
  .max(63, "must be at most 63 characters (DNS-1123 label)")
  .regex(DNS_LABEL, "must be a DNS-1123 label: lower-case letters, digits and '-', starting and ending alphanumeric");

export function isDnsSubdomain(s: string): boolean {
  return s.length <= 253 && s.split(".").every((label) => label.length <= 63 && DNS_LABEL.test(label));
}

/** RFC 1123 subdomain: node names may be fully qualified. */
export const dnsSubdomain = z
  .string()
  .max(253, "must be at most 253 characters (DNS-1123 subdomain)")
  .refine(isDnsSubdomain, {
    message: "must be a DNS-1123 subdomain: dot-separated lower-case labels of letters, digits and '-'",
  });

/**
 * A key of a Secret or ConfigMap, as Kubernetes validates it (k8s.io/apimachinery v0.32
 * pkg/util/validation/validation.go IsConfigMapKey): at most 253 characters of `[-._a-zA-Z0-9]`,
 * not `.` or `..` and not starting with `..`. A key becomes a file name where the Secret is mounted,
 * so `..` would name the mount's parent directory (`credentials_file: /etc/vm/secrets/<name>/..`).
 */
export const secretKey = z.string().superRefine((s, ctx) => {
  const why =
    s.length > 253 ? "must be at most 253 characters (a Secret key)"
    : !/^[-._a-zA-Z0-9]+$/.test(s) ? "must be a Secret key: letters, digits, '-', '_' or '.'"
    : s === "." || s.startsWith("..") ? "must be a Secret key: not '.', '..' or starting with '..' (Kubernetes refuses them: they name the mount's own and parent directory)"
    : undefined;
  if (why) ctx.addIssue({ code: "custom", message: why });
});

/** A machine's own IPv4 address: canonical dotted quad, unicast (no loopback, unspecified, broadcast, multicast, link-local, class E). */
export const ipv4 = z.string().superRefine((s, ctx) => {
  const problem = hostAddressProblem(s);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

/** A host: a machine's IPv4 address or a DNS-1123 subdomain. */
export const hostName = z.string().superRefine((s, ctx) => {
  if (parseIpv4(s) !== undefined || /^[\d.]+$/.test(s)) {
    const problem = hostAddressProblem(s);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  } else if (!isDnsSubdomain(s)) {
    ctx.addIssue({ code: "custom", message: "must be an IPv4 address or a DNS-1123 subdomain (lower-case letters, digits, '-' and '.')" });
  }
});

export const cidrBlock = z.string().superRefine((s, ctx) => {
  const parsed = parseCidr(s);
  if (typeof parsed === "string") ctx.addIssue({ code: "custom", message: parsed });
});

/** Longest duration any field accepts: 520w (10 years), far inside Go's and Prometheus' int64 nanosecond/millisecond range. */
export const MAX_DURATION_SECONDS = 520 * 604800;

function durationType(allowZero: boolean) {
  return z.string().superRefine((s, ctx) => {
    const seconds = parseDuration(s);
    if (seconds === undefined) {
      ctx.addIssue({ code: "custom", message: 'must be a duration such as "30s", "5m", "1h30m", "6w" (units w, d, h, m, s, ms, largest first)' });
    } else if (seconds > MAX_DURATION_SECONDS) {
      ctx.addIssue({ code: "custom", message: `must be at most 520w (10 years)` });
    } else if (seconds === 0 && !allowZero) {
      ctx.addIssue({ code: "custom", message: "must be longer than 0" });
    }
  });
}

/** A duration greater than zero (timers, windows, intervals, timeouts: zero would mean "never" or "always"). */
export const duration = durationType(false);
/** A duration that may be zero, for fields where zero means "none" (e.g. Alertmanager group_wait). */
export const durationOrZero = durationType(true);

/**
 * An exact SemVer (optional `v`): no ranges, no "latest", no leading zeros in the release numbers
 * (SemVer 2.0.0 §2: "0.14.05" is no version a chart repository or registry publishes). Also what the
 * policy pack accepts for charts.
 */
export const EXACT_VERSION = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

/** An exact release version: no ranges, no "latest". */
export const exactVersion = z.string().max(128).regex(EXACT_VERSION, "must be an exact version such as 1.15.4 (no ranges, no latest)");

/** Largest count any field accepts: a Kubernetes int32. */
export const MAX_INT32 = 2 ** 31 - 1;

export const positiveInt = z.number().int("must be a whole number").positive("must be greater than 0").max(MAX_INT32, `must be at most ${MAX_INT32}`);
export const positiveNumber = z.number().positive("must be greater than 0").max(1e6, "must be at most 1000000");

/** Cores, as Kubernetes renders them: whole millicores, at most 2^20 cores. */
export const MAX_CORES = 2 ** 20;
/** GiB, as Kubernetes renders them here: whole MiB, at most 2^20 GiB (1 PiB). */
export const MAX_GIB = 2 ** 20;

function multipleOf(value: number, step: number): boolean {
  const units = value / step;
  return Math.abs(units - Math.round(units)) < 1e-6;
}

/** A number in [0, max] (above 0 unless allowZero) that is a whole multiple of `step` (`stepName`). */
function steppedAmount(max: number, maxText: string, step: number, stepName: string, allowZero: boolean) {
  return z
    .number()
    .min(0, "must be at least 0")
    .max(max, `must be at most ${maxText}`)
    .refine((n) => allowZero || n > 0, { message: "must be greater than 0" })
    .refine((n) => multipleOf(n, step), { message: `must be a whole number of ${stepName}` });
}

/** Cores (a quota, a reservation): > 0 (or >= 0 with allowZero), whole millicores, so "0.0001" never becomes a "0m" quota. */
export function cores(allowZero = false) {
  return steppedAmount(MAX_CORES, `${MAX_CORES} cores`, 0.001, "millicores (at most 3 decimals)", allowZero);
}

/** GiB (node memory, quotas, reservations): > 0 (or >= 0), whole MiB, so it renders exactly as Gi or Mi. */
export function gibibytes(allowZero = false) {
  return steppedAmount(MAX_GIB, `${MAX_GIB} GiB`, 1 / 1024, "MiB (a multiple of 1/1024 GiB)", allowZero);
}

/**
 * A container image pinned to a release: `repo[:tag][@sha256:digest]` with a tag that is not
 * `latest`, or a digest. The policy pack refuses untagged and `latest` images.
 */
export const pinnedImage = z
  .string()
  .max(512)
  .regex(/^[a-z0-9]+([._\/:-][a-z0-9]+)*(:[\w][\w.-]{0,127})?(@sha256:[a-f0-9]{64})?$/, "must be an image reference such as ghcr.io/org/tool:v1.2.3")
  .refine((s) => /@sha256:/.test(s) || (/:[\w][\w.-]*$/.test(s.split("/").pop() ?? "") && !/:latest$/.test(s)), {
    message: "must be pinned: a tag other than latest, or an @sha256 digest",
  });

/** POSIX portable user name (IEEE Std 1003.1, 3.437, as Debian's adduser defaults it): the SSH login. */
export const posixUser = z
  .string()
  .regex(/^[a-z_][a-z0-9_-]{0,31}$/, "must be a POSIX user name: a lower-case letter or '_', then up to 31 lower-case letters, digits, '_' or '-'");

// RFC 3986 characters; no space, quote, brace, backslash, caret, backtick, '|', '<' or '>'.
const URL_CHARS = /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+$/;
const URL_PARTS = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)([/?#].*)?$/;
const USER_INFO = "must not carry user info (user:password@): credentials come from a Secret";

/**
 * Why `s` is not a URL of one of `schemes` (`scheme://host[:port][/path][?query]`, host a DNS name or
 * a unicast IPv4 address), or undefined. User info (`user:token@`) is always refused: a URL ends up
 * in resource inputs, the state and plan comments, so a credential in it would leak.
 */
export function urlProblem(s: string, schemes: readonly string[], userInfo = USER_INFO): string | undefined {
  const expected = `must be a ${schemes.map((x) => `${x}://`).join(" or ")} URL`;
  if (s.length > 2048) return "must be at most 2048 characters";
  if (!URL_CHARS.test(s) || /%(?![0-9A-Fa-f]{2})/.test(s)) return `${expected} of RFC 3986 characters (no spaces, quotes, braces or backslashes)`;
  const parts = URL_PARTS.exec(s);
  if (!parts) return expected;
  const [, scheme, authority, rest = ""] = parts;
  if (!schemes.includes(scheme)) return expected;
  if (authority.includes("@")) return userInfo;
  const hostPort = /^([^:]+)(?::(\d{1,5}))?$/.exec(authority);
  if (!hostPort) return `${expected} with a host`;
  const [, host, port] = hostPort;
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return "port must be between 1 and 65535";
  if (/^[\d.]+$/.test(host) ? hostAddressProblem(host) !== undefined : !isDnsSubdomain(host)) {
    return `host "${host}" must be a lower-case DNS name or a unicast IPv4 address`;
  }
  if (rest.includes("@") && !rest.startsWith("/")) return userInfo;
  return undefined;
}

/** A URL of the given schemes (see urlProblem); `userInfo` says where this field's credentials come from instead. */
export function url(schemes: readonly string[], userInfo = USER_INFO) {
  return z.string().superRefine((s, ctx) => {
    const problem = urlProblem(s, schemes, userInfo);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
}

/** An https:// URL without user info: anything a machine downloads and runs as root. */
export const httpsUrl = url(["https"]);

/**
 * A Git repository URL Fleet clones: `https://host/path`, `ssh://[user@]host[:port]/path` or
 * `user@host:path`. https URLs carry no user info at all; SSH forms may name the login user (not a
 * credential) but never a password. Private repos name a Secret with `clientSecretName`.
 */
export const repoUrl = z.string().superRefine((s, ctx) => {
  const add = (message: string) => ctx.addIssue({ code: "custom", message });
  if (s.startsWith("https://")) {
    const problem = urlProblem(s, ["https"]);
    if (problem) add(problem);
    // %2e is '.' to the server: "/%2e%2e/" climbs like "/../".
    else if (/(^|\/)(\.|%2e){1,2}(\/|[?#]|$)/i.test(s.slice("https://".length))) add("path must not contain '.' or '..' segments");
    return;
  }
  const ssh = /^ssh:\/\/(?:([a-z_][a-z0-9_.-]{0,31})@)?([^@/:]+)(?::(\d{1,5}))?(\/[A-Za-z0-9._~/-]+)$/.exec(s);
  const scp = /^([a-z_][a-z0-9_.-]{0,31})@([^@/:]+):([A-Za-z0-9._~][A-Za-z0-9._~/-]*)$/.exec(s);
  const match = ssh ?? scp;
  if (!match) {
    add(
      s.includes("@") && /:[^/@]*@/.test(s)
        ? "must not carry a password or token (user:password@): credentials come from a Secret (clientSecretName)"
        : "must be an https://host/path, ssh://[user@]host[:port]/path or user@host:path repository URL (no user info in https URLs)",
    );
    return;
  }
  const host = match[2];
  if (!isDnsSubdomain(host) && hostAddressProblem(host) !== undefined) add(`host "${host}" must be a lower-case DNS name or a unicast IPv4 address`);
  const path = ssh ? match[4] : match[3];
  if (path.split("/").some((seg) => seg === "." || seg === "..")) add("path must not contain '.' or '..' segments");
});

/**
 * A branch name as `git check-ref-format --branch` accepts it (git-check-ref-format(1)), printable
 * ASCII only: no component starting with '.' or ending with '.lock', no '..', no control characters,
 * space, '~', '^', ':', '?', '*', '[', '\\', no '@{', not '@', no leading '-' or '/', no trailing
 * '/' or '.', no '//'.
 */
export function branchProblem(s: string): string | undefined {
  if (s.length === 0 || s.length > 255) return "must be 1 to 255 characters";
  if (!/^[\x21-\x7e]+$/.test(s)) return "must be printable ASCII without spaces";
  if (/[~^:?*[\\]/.test(s)) return "must not contain '~', '^', ':', '?', '*', '[' or '\\' (git check-ref-format)";
  if (s.includes("..") || s.includes("@{") || s === "@" || s.includes("//")) return "must not contain '..', '@{' or '//', nor be '@' (git check-ref-format)";
  if (s.startsWith("-") || s.startsWith("/") || s.endsWith("/") || s.endsWith(".")) return "must not start with '-' or '/', nor end with '/' or '.' (git check-ref-format)";
  if (s.split("/").some((c) => c.startsWith(".") || c.endsWith(".lock"))) return "no component may start with '.' or end with '.lock' (git check-ref-format)";
  return undefined;
}

export const gitBranch = z.string().superRefine((s, ctx) => {
  const problem = branchProblem(s);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

/**
 * A path inside a repository: relative, '/'-separated segments of letters, digits, '.', '_', '-' and
 * the glob '*' (Fleet GitRepoSpec.Paths supports globbing such as "charts/*"); no '.' or '..' segment.
 */
export const repoPath = z
  .string()
  .max(1024, "must be at most 1024 characters")
  .regex(/^[A-Za-z0-9._*-]+(\/[A-Za-z0-9._*-]+)*$/, "must be a relative path of letters, digits, '.', '_', '-' and '*' segments separated by '/'")
  .refine((s) => !s.split("/").some((seg) => seg === "." || seg === ".."), { message: "must not contain '.' or '..' segments" });

/** An absolute, normalised path: '/'-separated segments of letters, digits, '.', '_', '-'; no '.' or '..' segment, no trailing '/'. */
export const absolutePath = z
  .string()
  .max(1024, "must be at most 1024 characters")
  .regex(/^(\/[A-Za-z0-9._-]+)+$/, "must be an absolute path of letters, digits, '.', '_' and '-' segments (no trailing '/')")
  .refine((s) => !s.split("/").some((seg) => seg === "." || seg === ".."), { message: "must not contain '.' or '..' segments" });

/** Why `s` is not a regex Prometheus/VictoriaMetrics (Go RE2 syntax) compiles, or undefined. Checked with re2js 2.10.0. */
export function re2Problem(s: string): string | undefined {
  try {
    RE2JS.compile(s);
    return undefined;
  } catch (error) {
    return `must be an RE2 regex as Prometheus compiles it: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** A PromQL label-matcher regex (RE2, anchored by the engine). */
export const re2Regex = z
  .string()
  .min(1, "must not be empty")
  .max(1024, "must be at most 1024 characters")
  .superRefine((s, ctx) => {
    const problem = re2Problem(s);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
