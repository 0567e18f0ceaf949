/** The few Prometheus-compatible query endpoints the report needs, against VictoriaMetrics. */

export interface RangeSeries {
  readonly metric: Record<string, string>;
  /** [unix seconds, value] pairs. */
  readonly values: ReadonlyArray<readonly [number, number]>;
}

export class QueryError extends Error {}

export interface MetricsClient {
  queryRange(expr: string, start: number, end: number, step: number): Promise<RangeSeries[]>;
}

/**
 * `baseUrl` is what precedes `/api/v1/...`: e.g. http://vmsingle:8428 or
 * http://vmselect:8481/select/0/prometheus. Queries are POSTed (gate expressions are long) with the
 * response cache off, since the data of a past week may have been imported late.
 */
export function vmClient(baseUrl: string): MetricsClient {
  const root = baseUrl.replace(/\/+$/, "");
  return {
    async queryRange(expr, start, end, step) {
      const body = new URLSearchParams({ query: expr, start: String(start), end: String(end), step: String(step), nocache: "1" });
      let response: Response;
      try {
        response = await fetch(`${root}/api/v1/query_range`, { method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded" } });
      } catch (error) {
        throw new QueryError(`cannot reach ${root}: ${(error as Error).message}`);
      }
      const text = await response.text();
      let json: { status?: string; error?: string; data?: { result?: Array<{ metric: Record<string, string>; values: Array<[number, string]> }> } };
      try {
        json = JSON.parse(text);
      } catch {
        throw new QueryError(`${root}/api/v1/query_range answered ${response.status}: ${text.slice(0, 300)}`);
      }
      if (json.status !== "success") throw new QueryError(`query failed (${response.status}): ${json.error ?? text.slice(0, 300)}\n  query: ${expr.slice(0, 300)}`);
      return (json.data?.result ?? []).map((r) => ({ metric: r.metric, values: r.values.map(([t, v]) => [Number(t), Number(v)] as const) }));
    },
  };
}
