/** Runs an async operation repeatedly for a fixed time and reports operations per second. */
export interface Measurement {
  readonly name: string;
  readonly opsPerSecond: number;
  readonly runs: number;
}

export async function measure(name: string, operation: () => Promise<unknown>, seconds = Number(process.env.BENCH_SECONDS ?? '2')): Promise<Measurement> {
  for (let i = 0; i < 5; i += 1) await operation();
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  let runs = 0;
  while (performance.now() < deadline) {
    await operation();
    runs += 1;
  }
  return { name, runs, opsPerSecond: runs / ((performance.now() - started) / 1000) };
}

export function printComparison(title: string, rows: readonly { operation: string; ours: Measurement; peer: Measurement }[]): void {
  console.log(`\n${title}`);
  console.log(`${'operation'.padEnd(34)} ${'ours/s'.padStart(10)} ${'peer/s'.padStart(10)} ${'ratio'.padStart(8)}`);
  for (const { operation, ours, peer } of rows) {
    const ratio = ours.opsPerSecond / peer.opsPerSecond;
    console.log(`${operation.padEnd(34)} ${ours.opsPerSecond.toFixed(0).padStart(10)} ${peer.opsPerSecond.toFixed(0).padStart(10)} ${`${ratio.toFixed(1)}x`.padStart(8)}`);
  }
  console.log(rows.map((r) => `  ours: ${r.ours.name}; peer: ${r.peer.name}`).join('\n'));
}
