/**
 * A fake Kubernetes API that answers the team-pod check (components/shared/team-pod-check.ts): pod
 * lists per node from `pods`, HTTP 500 for nodes in `failFor`, and every request recorded.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";

export interface FakePodApi {
  readonly url: string;
  pods: Record<string, Array<{ metadata: { namespace: string; name: string } }>>;
  failFor: Set<string>;
  readonly requests: Array<{ node: string; selector: string; auth: string }>;
  close(): Promise<void>;
}

/** Listens on `host` (default 127.0.0.1), a free port. */
export async function startFakePodApi(host = "127.0.0.1"): Promise<FakePodApi> {
  const api = { pods: {}, failFor: new Set<string>(), requests: [] } as unknown as FakePodApi & { url: string };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const selector = url.searchParams.get("fieldSelector") ?? "";
    const node = /spec\.nodeName=([^,]+)/.exec(selector)?.[1] ?? "";
    api.requests.push({ node, selector, auth: String(req.headers.authorization) });
    if (url.pathname !== "/api/v1/pods" || api.failFor.has(node)) {
      res.writeHead(500).end("{}");
      return;
    }
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ kind: "PodList", items: api.pods[node] ?? [] }));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  Object.assign(api, {
    url: `http://${host}:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
  return api;
}
