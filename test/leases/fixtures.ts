/** The smallest lab a lease can be tried on: one server, three agents in pool `a` (team alpha), one in pool `b` (team beta). */
import { validateConfig } from "../../config/load";
import { formatProblem } from "../../config/problems";
import { loadStackConfig, withChanges } from "../harness/fixtures";

const example = loadStackConfig();

const node = (name: string, n: number, role: "server" | "agent", pool: string) => ({ name, address: `192.0.2.${n}`, role, pool, cpu: 10, memoryGiB: 40 });

/** allocatable per agent with the example's systemReserved (2 cores, 8 GiB, 20 pods): 8 cores, 32 GiB, 980 pods. */
export const smallLab = withChanges(example, (c) => {
  c["lab:nodes"] = [node("s1", 1, "server", "control"), node("a1", 2, "agent", "a"), node("a2", 3, "agent", "a"), node("a3", 4, "agent", "a"), node("b1", 5, "agent", "b")];
  c["lab:teams"] = [
    { name: "alpha", pools: ["a"], quota: { cpu: 16, memoryGiB: 64, pods: 100 } },
    { name: "beta", pools: ["b"], quota: { cpu: 8, memoryGiB: 32, pods: 100 } },
  ];
  delete c["lab:leases"];
  c["lab:monitoring"].hot.storageNodes = 1;
  c["lab:monitoring"].hot.replicationFactor = 1;
  c["lab:network"].bandwidth = { enabled: false };
});

export const lease = (over: Record<string, unknown> = {}) => ({
  team: "beta", nodes: ["a3"], from: "2027-01-11T00:00:00Z", until: "2027-01-25T00:00:00Z", reason: "benchmark", ...over,
});

export function leaseProblems(leases: unknown[], change: (c: any) => void = () => {}): string[] {
  return validateConfig(withChanges(smallLab, (c) => { c["lab:leases"] = leases; change(c); }), "lab").problems.map(formatProblem);
}
