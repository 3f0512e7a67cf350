/** Starts the real tool app on a loopback port, with PUBLIC_URL pointing at it, for end-to-end tests. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, type AppDeps } from '../../../lti-tool/src/http/create-app.ts';
import { openRuntime, type Runtime } from '../../../lti-tool/src/runtime.ts';
import { freshStoreOptions, type StoreKind } from '../../setup/databases.ts';

export interface ToolServer {
  readonly env: Record<string, string>;
  readonly baseUrl: string;
  readonly runtime: Runtime;
  close(): Promise<void>;
}

/** `appDeps` lets a test serve the real runtime with one part replaced (e.g. LMS connections over a fake LMS source). */
export async function startToolServer(kind: StoreKind, options: { appDeps?: (runtime: Runtime) => AppDeps } = {}): Promise<ToolServer> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const store = await freshStoreOptions(kind);
  const env: Record<string, string> = {
    PUBLIC_URL: baseUrl,
    DATA_DIR: store.dataDir,
    MICROCRED_KEY_SECRET: 'test-secret-that-is-long-enough-for-hkdf-0123456789',
    ...(store.databaseUrl ? { DATABASE_URL: store.databaseUrl } : {}),
  };
  const runtime = await openRuntime(env);
  server.on('request', createApp(options.appDeps ? options.appDeps(runtime) : runtime));
  return {
    env,
    baseUrl,
    runtime,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await runtime.close();
    },
  };
}
