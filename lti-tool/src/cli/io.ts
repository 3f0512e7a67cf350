/** What a CLI command touches of the outside world, injected so tests run commands in-process. */
import type { FetchLike } from '../../../shared/net/fetch-document.ts';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  fetch: FetchLike;
  stdin: NodeJS.ReadableStream;
  env: Record<string, string | undefined>;
}

export function processIo(): CliIo {
  return {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    fetch: (url, init) => fetch(url, init),
    stdin: process.stdin,
    env: process.env,
  };
}
