/**
 * Bundle names belong to one owner each. A team's Fleet bundles and Helm releases are named
 * `<team>-…` (the GitRepo names carry the prefix; admission refuses any other bundle or release
 * name: components/gitops/bundle-guard.ts). That makes ownership unambiguous only if no team's
 * prefix is also another owner's: team `a` (`a-…`) would own every name of team `a-b` (`a-b-…`),
 * team `lab` the platform repo's `lab-platform-…`, team `fleet` Fleet's own agent bundle
 * `fleet-agent-local`. One shared name is one BundleDeployment, deployed for whichever bundle wrote
 * it last, and the other release uninstalled (config/fleet-names.ts teamBundlePrefix).
 */
import { PLATFORM_BUNDLE_PREFIXES, teamBundlePrefix } from "../fleet-names";
import type { ConfigProblem } from "../problems";
import type { Check } from "./util";

/** Whether some name starts with both `a` and `b`. */
function overlap(a: string, b: string): boolean {
  return a.startsWith(b) || b.startsWith(a);
}

export const fleetBundleNames: Check = ({ teams }) => {
  if (!teams) return [];
  const owners = teams.map((t, i) => ({ name: t.name, index: i, repos: t.repos.length > 0 }));
  const problems: ConfigProblem[] = [];
  for (const team of owners.filter((t) => t.repos)) {
    const prefix = teamBundlePrefix(team.name);
    const platform = PLATFORM_BUNDLE_PREFIXES.find((p) => overlap(prefix, p));
    if (platform) {
      problems.push({
        path: `lab:teams[${team.index}].name`,
        message: `the team's Fleet bundle names ("${prefix}…") overlap the platform's "${platform}…": choose a team name that is not the start of "${platform}"`,
      });
    }
    for (const other of owners.filter((o) => o.repos && o.index !== team.index && o.name.startsWith(prefix))) {
      problems.push({
        path: `lab:teams[${other.index}].name`,
        message: `team "${other.name}"'s Fleet bundle names ("${teamBundlePrefix(other.name)}…") are also team "${team.name}"'s ("${prefix}…", lab:teams[${team.index}]): rename one of them`,
      });
    }
  }
  return problems;
};
