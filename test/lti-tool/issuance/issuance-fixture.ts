/** A real runtime (store of either kind, issuer keys) with the issuance deps, and definitions to award from. */
import { readFileSync } from 'node:fs';
import type { IssuanceDeps } from '../../../lti-tool/src/issuance/award-engine.ts';
import { saveDefinition } from '../../../lti-tool/src/issuance/definitions.ts';
import type { PassRule, StackRule } from '../../../lti-tool/src/issuance/rules.ts';
import { openRuntime, type Runtime } from '../../../lti-tool/src/runtime.ts';
import type { DefinitionRecord } from '../../../lti-tool/src/store/definition-repository.ts';
import type { Store } from '../../../lti-tool/src/store/open-store.ts';
import { freshStoreOptions, type StoreKind } from '../../setup/databases.ts';

export const EXAMPLE_DEFINITION = JSON.parse(readFileSync(new URL('../../../examples/definition.json', import.meta.url), 'utf8')) as Record<string, unknown>;
export const PLATFORM = 'https://lms.example|client-1';
export const BINDING = { platformId: PLATFORM, deploymentId: '1', contextId: 'course-7', resourceLinkId: 'rl-1', lineItemId: 'https://lms.example/lineitems/1' };

export interface IssuanceFixture {
  readonly runtime: Runtime;
  readonly deps: IssuanceDeps & { readonly store: Store };
  define(args?: { title?: string; passRule?: PassRule; stackRule?: StackRule; definition?: Record<string, unknown> }): Promise<DefinitionRecord>;
  close(): Promise<void>;
}

export async function openIssuanceFixture(kind: StoreKind, publicUrl = 'http://127.0.0.1:9'): Promise<IssuanceFixture> {
  const store = await freshStoreOptions(kind);
  const runtime = await openRuntime({
    PUBLIC_URL: publicUrl,
    DATA_DIR: store.dataDir,
    MICROCRED_KEY_SECRET: 'test-secret-that-is-long-enough-for-hkdf-0123456789',
    ...(store.databaseUrl ? { DATABASE_URL: store.databaseUrl } : {}),
  });
  const deps: IssuanceDeps & { readonly store: Store } = { store: runtime.store, issuer: runtime.issuer, publicUrl: runtime.config.publicUrl };
  return {
    runtime,
    deps,
    async define(args = {}) {
      const { id: _id, ...base } = args.definition ?? EXAMPLE_DEFINITION;
      const definition = args.title ? { ...base, title: { en: args.title } } : base;
      const saved = await saveDefinition(runtime.store.definitions, {
        definition,
        passRule: args.stackRule ? undefined : (args.passRule ?? { kind: 'min-score', minScore: 60, scoreMaximum: 100 }),
        stackRule: args.stackRule,
        binding: BINDING,
        publish: true,
      });
      if (!saved.ok) throw new Error(saved.problems.map((p) => p.message).join(' '));
      return saved.record;
    },
    close: () => runtime.close(),
  };
}
