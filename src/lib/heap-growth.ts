import v8 from 'node:v8';

/**
 * How far V8 lets the heap grow past what survived the last full collection before it collects
 * again (V8's --heap-growing-percent; 0 keeps V8's own rule). By its own rule the API's heap grew
 * to 2.5 times its live objects under load: at 100 000 entries with the search index, 98 MB live
 * in 270 MB of heap. Measured with npm run bench:search (cached pass, compiled server), the API's
 * peak resident memory and common-word p50/p99:
 *   V8's rule: 579 MB, 23/47 ms;  50 %: 325 MB, 29/68 ms;  20 %: 320 MB, 34/89 ms.
 * At 20 % the extra collections cost latency and hardly any memory, so 50 % is the default.
 * Set in-process rather than on the command line so that every way of starting the API (npm start,
 * the image, node dist/…) gets it: V8 reads the flag at each collection, and Node keeps its flags
 * writable after start (v8.setFlagsFromString).
 */
export function limitHeapGrowth(percent: number): void {
  if (percent > 0) v8.setFlagsFromString(`--heap-growing-percent=${percent}`);
}
