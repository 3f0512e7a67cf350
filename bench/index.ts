/** `npm run bench`: every benchmark, each printing figures and ratios against a peer measured in the same run. */
import { benchIssuance } from './issuance.bench.ts';
import { benchVcJwt } from './vc-jwt.bench.ts';
import { benchDataIntegrity } from './data-integrity.bench.ts';
import { benchExtension } from './extension.bench.ts';
import { benchLtiLaunch } from './lti-launch.bench.ts';
import { benchLmsWatch } from './lms-watch.bench.ts';

console.log(`microcred benchmarks — Node ${process.version}, ${(await import('node:os')).cpus().length} cores, ${process.env.BENCH_SECONDS ?? '2'} s per measurement`);
await benchVcJwt();
await benchDataIntegrity();
await benchIssuance();
await benchExtension();
await benchLtiLaunch();
await benchLmsWatch();
