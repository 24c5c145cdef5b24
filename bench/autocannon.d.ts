// The slice of autocannon's API that bench/live.ts and bench/hub.ts use (the package ships no types).
declare module 'autocannon' {
  interface Histogram {
    average: number;
    p50: number;
    p90: number;
    p99: number;
    max: number;
  }
  interface Result {
    /** `total` only on the requests histogram: the responses received. */
    requests: Histogram & { total: number };
    latency: Histogram;
    non2xx: number;
    errors: number;
    timeouts: number;
  }
  interface RawRequest {
    path?: string;
    method?: string;
  }
  function autocannon(options: {
    url: string;
    connections?: number;
    duration?: number;
    /** Each request may be rewritten before it is sent (a new path, say). */
    requests?: { setupRequest?: (request: RawRequest) => RawRequest }[];
  }): Promise<Result>;
  export default autocannon;
}
