/**
 * Issuance schema (migration versions 200–299): credential definitions, awards, the credentials
 * they produced, Bitstring Status Lists and database-backed jobs.
 */
import type { Migration } from './migrations.ts';

// Same conventions as migrations.ts: BIGINT epoch ms, JSON as TEXT, booleans as 0/1, no CHECKs.
export const ISSUANCE_MIGRATIONS: readonly Migration[] = [
  {
    version: 200,
    name: 'credential_definitions',
    sql: `
      CREATE TABLE credential_definitions (
        id TEXT PRIMARY KEY,
        definition TEXT NOT NULL,
        pass_rule TEXT,
        stack_rule TEXT,
        platform_id TEXT,
        deployment_id TEXT,
        context_id TEXT,
        resource_link_id TEXT,
        line_item_id TEXT,
        published INTEGER NOT NULL DEFAULT 0,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL
      );
      CREATE INDEX credential_definitions_context ON credential_definitions (platform_id, deployment_id, context_id);
      -- Which stacks a definition is part of, so an award finds the stacks to check without a scan.
      CREATE TABLE definition_stack_parts (
        stack_id TEXT NOT NULL,
        part_id TEXT NOT NULL,
        PRIMARY KEY (stack_id, part_id)
      );
      CREATE INDEX definition_stack_parts_part ON definition_stack_parts (part_id);
    `,
  },
  {
    version: 201,
    name: 'status_lists',
    sql: `
      CREATE TABLE status_lists (
        id TEXT PRIMARY KEY,
        purpose TEXT NOT NULL,
        size INTEGER NOT NULL,
        allocated INTEGER NOT NULL DEFAULT 0,
        -- index = (sequence * multiplier + offset) mod size: a bijection when size is a power of
        -- two and multiplier is odd, so indexes are spread out yet each is handed out once.
        multiplier INTEGER NOT NULL,
        index_offset INTEGER NOT NULL,
        version INTEGER NOT NULL DEFAULT 0,
        signed_jwt TEXT,
        signed_version INTEGER,
        created_at BIGINT NOT NULL
      );
      CREATE INDEX status_lists_open ON status_lists (purpose, allocated);
    `,
  },
  {
    version: 202,
    name: 'credential_awards',
    sql: `
      -- One row per learner per definition, whatever retries or races happen: the exactly-once key.
      CREATE TABLE credential_awards (
        id TEXT PRIMARY KEY,
        definition_id TEXT NOT NULL REFERENCES credential_definitions (id),
        learner_key TEXT NOT NULL,
        learner_name TEXT NOT NULL,
        current_credential_id TEXT NOT NULL,
        result TEXT,
        awarded_at BIGINT NOT NULL,
        UNIQUE (definition_id, learner_key)
      );
      CREATE INDEX credential_awards_learner ON credential_awards (learner_key);
      -- Every credential signed for an award (a re-issue adds one); the public id is unguessable.
      CREATE TABLE issued_credentials (
        id TEXT PRIMARY KEY,
        award_id TEXT NOT NULL REFERENCES credential_awards (id),
        status_list_id TEXT NOT NULL REFERENCES status_lists (id),
        status_index INTEGER NOT NULL,
        jwt TEXT NOT NULL,
        issued_at BIGINT NOT NULL,
        revoked_at BIGINT,
        revocation_reason TEXT,
        hidden_at BIGINT,
        UNIQUE (status_list_id, status_index)
      );
      CREATE INDEX issued_credentials_award ON issued_credentials (award_id);
    `,
  },
  {
    version: 203,
    name: 'jobs',
    sql: `
      CREATE TABLE jobs (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        -- At most one pending or running job per key (e.g. one sync per line item).
        dedupe_key TEXT,
        payload TEXT NOT NULL,
        state TEXT NOT NULL,
        run_at BIGINT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        locked_by TEXT,
        locked_until BIGINT,
        progress_done INTEGER NOT NULL DEFAULT 0,
        progress_total INTEGER,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL
      );
      CREATE UNIQUE INDEX jobs_one_active_per_key ON jobs (dedupe_key) WHERE state IN ('pending', 'running');
      CREATE INDEX jobs_due ON jobs (state, run_at);
    `,
  },
];
