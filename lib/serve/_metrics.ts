/**
 * The handler's counters and their Prometheus text exposition: requests by route and status,
 * verdicts by code, a latency histogram and the requests in flight.
 *
 * @module
 */

/** Histogram buckets of request latency, seconds. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The counters of one handler. */
export interface Metrics {
  requests: Map<string, number>;
  /** Evaluated inputs by verdict: `""` verified, else the failure code. */
  verdicts: Map<string, number>;
  buckets: number[];
  latencyCount: number;
  latencySum: number;
  inFlight: number;
}

/** The Prometheus text exposition of the counters. */
export function renderMetrics(m: Metrics): string {
  const lines: string[] = [];
  const label = (value: string) =>
    value.replace(/[\\"\n]/g, (c) => (c === "\n" ? "\\n" : `\\${c}`));
  lines.push(
    "# HELP stella_http_requests_total HTTP requests by route and status.",
    "# TYPE stella_http_requests_total counter",
  );
  for (const key of [...m.requests.keys()].sort()) {
    const [route, status] = key.split("\u0000");
    lines.push(
      `stella_http_requests_total{route="${label(route!)}",status="${status}"} ${
        m.requests.get(key)
      }`,
    );
  }
  lines.push(
    "# HELP stella_verdicts_total Evaluated inputs (each line of a batch) by verdict and code.",
    "# TYPE stella_verdicts_total counter",
  );
  for (const code of [...m.verdicts.keys()].sort()) {
    const verified = code === "" ? "true" : "false";
    lines.push(
      `stella_verdicts_total{verified="${verified}",code="${label(code)}"} ${m.verdicts.get(code)}`,
    );
  }
  lines.push(
    "# HELP stella_http_request_duration_seconds Request latency.",
    "# TYPE stella_http_request_duration_seconds histogram",
  );
  LATENCY_BUCKETS.forEach((bound, i) => {
    lines.push(`stella_http_request_duration_seconds_bucket{le="${bound}"} ${m.buckets[i]}`);
  });
  lines.push(
    `stella_http_request_duration_seconds_bucket{le="+Inf"} ${m.latencyCount}`,
    `stella_http_request_duration_seconds_sum ${m.latencySum}`,
    `stella_http_request_duration_seconds_count ${m.latencyCount}`,
    "# HELP stella_http_requests_in_flight Verification requests being evaluated.",
    "# TYPE stella_http_requests_in_flight gauge",
    `stella_http_requests_in_flight ${m.inFlight}`,
  );
  return lines.join("\n") + "\n";
}
