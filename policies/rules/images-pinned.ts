/**
 * No image the stack runs floats: every image in a pod template, and every `image:` string or
 * `image.tag` the stack sets in HelmChart values, names a tag other than `latest` (or a digest).
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { isMap } from "../lib/helm-values";
import { checkWorkloadsAndValues } from "../lib/workloads-and-values";

const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** Why an image reference is not pinned, or undefined when it is (`repo:tag`, `repo@sha256:…`). */
export function imageProblem(image: unknown): string | undefined {
  if (typeof image !== "string" || image.trim() === "") return "has no image reference";
  const [name, digest, ...rest] = image.split("@");
  if (rest.length > 0 || (digest !== undefined && !DIGEST.test(digest))) return `"${image}" has a malformed digest`;
  const lastSegment = name.slice(name.lastIndexOf("/") + 1);
  const colon = lastSegment.indexOf(":");
  const tag = colon >= 0 ? lastSegment.slice(colon + 1) : undefined;
  if (tag === "latest") return `"${image}" uses the latest tag`;
  if (tag === "") return `"${image}" has an empty tag`;
  if (tag === undefined && digest === undefined) return `"${image}" has no tag (it means latest)`;
  return undefined;
}

/** For chart values `image: {repository, tag}`: an absent tag means the chart's pinned appVersion. */
function imageTagProblem(tag: unknown): string | undefined {
  if (tag === undefined || tag === null) return undefined;
  const text = String(tag).trim();
  if (text === "latest") return "uses the latest tag";
  if (text === "") return "has an empty tag";
  return undefined;
}

export const imagesPinned: ResourceValidationPolicy = {
  name: "images-pinned",
  description: "No image in a pod template or in HelmChart values uses the latest tag or no tag.",
  enforcementLevel: "mandatory",
  validateResource: (args, report) =>
    checkWorkloadsAndValues(args, report, {
      container: (container) => {
        const problem = imageProblem(container.image);
        return problem ? `image ${problem}` : undefined;
      },
      value: ({ key, value }) => {
        if (key !== "image") return undefined;
        if (!isMap(value)) return imageProblem(value);
        const problem = imageTagProblem(value.tag);
        return problem ? `.tag ${problem}` : undefined;
      },
    }),
};
