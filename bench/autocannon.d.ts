// The parts of autocannon's API the search bench uses (the package ships no types).
declare module 'autocannon' {
  type Request = { method: string; path?: string; setupRequest?: (req: { path: string }) => { path: string } };
  type Options = { url: string; connections: number; duration: number; amount?: number; requests?: Request[] };
  type Result = {
    latency: { p50: number; p99: number };
    requests: { average: number; total: number };
    non2xx: number;
    errors: number;
    timeouts: number;
  };
  export default function autocannon(options: Options): Promise<Result>;
}
