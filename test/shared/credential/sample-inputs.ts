/** Inputs the credential tests share: the examples/ definition and learner, the OB 3.0 schema and spec vectors. */
import { readFileSync } from 'node:fs';
import type { Learner, MicroCredentialDefinition } from '../../../shared/credential/types.ts';

const readJson = (url: URL): unknown => JSON.parse(readFileSync(url, 'utf8'));

/** A fresh copy on every call, so a test may take it apart. */
export const exampleDefinition = (): MicroCredentialDefinition =>
  readJson(new URL('../../../examples/definition.json', import.meta.url)) as MicroCredentialDefinition;

export const exampleLearner = (): Learner => readJson(new URL('../../../examples/learner.json', import.meta.url)) as Learner;

/** The official schema, from /work/shared beside the repository (CI clones it to the same place). */
export const achievementCredentialSchema = (): Record<string, unknown> =>
  readJson(new URL('../../../../shared/data/openbadges-3.0/schema/achievementcredential.json', import.meta.url)) as Record<string, unknown>;

export const ob30Vector = (file: string): Record<string, unknown> =>
  readJson(new URL(`../../fixtures/vectors/ob30/${file}`, import.meta.url)) as Record<string, unknown>;

export const ISSUER_ID = 'did:web:academy.example.eu';
export const CREDENTIAL_ID = 'urn:uuid:4f1c3a52-8d2e-4c1b-9f0a-6e7d5b3c2a10';
export const ISSUED_AT = new Date('2026-03-02T10:15:30.250Z');
