/** `npm run bench`: every benchmark, each printing figures and ratios against a peer measured in the same run. */
import { benchVcJwt } from './vc-jwt.bench.ts';

console.log(`microcred benchmarks — Node ${process.version}, ${(await import('node:os')).cpus().length} cores, ${process.env.BENCH_SECONDS ?? '2'} s per measurement`);
await benchVcJwt();
