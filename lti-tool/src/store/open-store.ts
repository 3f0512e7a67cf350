/** Opens the tool's database: SQLite under the data directory, or PostgreSQL when DATABASE_URL names one. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { StoreError, type Db, type Dialect } from './db.ts';
import { AwardRepository } from './award-repository.ts';
import { DefinitionRepository } from './definition-repository.ts';
import { IssuerKeyRepository } from './issuer-key-repository.ts';
import { JobRepository } from './job-repository.ts';
import { LmsConnectionRepository } from './lms-connection-repository.ts';
import { LmsUserLinkRepository } from './lms-user-link-repository.ts';
import { LmsWatchOutcomeRepository } from './lms-watch-outcome-repository.ts';
import { StatusListRepository } from './status-list-repository.ts';
import { LtiLaunchRepository } from './lti-launch-repository.ts';
import { LtiPlatformRepository } from './lti-platform-repository.ts';
import { LtiTokenRepository } from './lti-token-repository.ts';
import { migrate } from './migrations.ts';
import { openPostgresDb } from './postgres-db.ts';
import { openSqliteDb } from './sqlite-db.ts';

export interface StoreOptions {
  /** DATABASE_URL; unset or empty means the SQLite file in `dataDir`. */
  readonly databaseUrl?: string | undefined;
  readonly dataDir: string;
}

/** Every repository over one connection. A new repository is one file, one migration and one field here. */
export interface Store {
  readonly dialect: Dialect;
  readonly keys: IssuerKeyRepository;
  /** The LTI tool's own signing keys (purpose 'lti'). */
  readonly ltiKeys: IssuerKeyRepository;
  readonly ltiPlatforms: LtiPlatformRepository;
  readonly ltiLaunches: LtiLaunchRepository;
  readonly ltiTokens: LtiTokenRepository;
  readonly definitions: DefinitionRepository;
  readonly awards: AwardRepository;
  readonly statusLists: StatusListRepository;
  readonly jobs: JobRepository;
  /** LMS REST API connections per platform registration, with Canvas OAuth2 states (issue 7). */
  readonly lmsConnections: LmsConnectionRepository;
  /** Canvas user id ↔ LTI sub. */
  readonly lmsUserLinks: LmsUserLinkRepository;
  /** The last LMS watch of each definition. */
  readonly lmsWatchOutcomes: LmsWatchOutcomeRepository;
  close(): Promise<void>;
}

export const SQLITE_FILE_NAME = 'microcred.sqlite';

/** A raw connection without migrations; for openStore and for tests that inspect rows. */
export function openDb({ databaseUrl, dataDir }: StoreOptions): Db {
  if (!databaseUrl) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    return openSqliteDb(join(dataDir, SQLITE_FILE_NAME));
  }
  if (/^postgres(ql)?:\/\//i.test(databaseUrl)) return openPostgresDb(databaseUrl);
  // Never echo the URL itself: it usually carries a password.
  throw new StoreError(
    'STORE_URL_UNSUPPORTED',
    `DATABASE_URL must start with postgres:// or postgresql:// (it starts with "${databaseUrl.split(':')[0]}:"). ` +
      `Unset it to use the SQLite file in ${dataDir}.`,
  );
}

export async function openStore(options: StoreOptions): Promise<Store> {
  const db = openDb(options);
  try {
    await migrate(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return { dialect: db.dialect, keys: new IssuerKeyRepository(db), ltiKeys: new IssuerKeyRepository(db, 'lti'), ltiPlatforms: new LtiPlatformRepository(db), ltiLaunches: new LtiLaunchRepository(db), ltiTokens: new LtiTokenRepository(db), definitions: new DefinitionRepository(db), awards: new AwardRepository(db), statusLists: new StatusListRepository(db), jobs: new JobRepository(db), lmsConnections: new LmsConnectionRepository(db), lmsUserLinks: new LmsUserLinkRepository(db), lmsWatchOutcomes: new LmsWatchOutcomeRepository(db), close: () => db.close() };
}
