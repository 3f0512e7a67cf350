/**
 * LMS REST API tables (migration versions 300–399, issue 7): one connection per LTI platform
 * registration (its token or Canvas OAuth2 refresh token sealed with SecretBox), single-use Canvas
 * OAuth2 states, Canvas user id ↔ LTI `sub` links, and the last watch outcome per definition.
 */
import type { Migration } from './migrations.ts';

// Same conventions as migrations.ts: BIGINT epoch ms, JSON as TEXT, booleans as 0/1, no CHECKs.
export const LMS_MIGRATIONS: readonly Migration[] = [
  {
    version: 300,
    name: 'lms_connections',
    sql: `
      CREATE TABLE lms_connections (
        platform_id TEXT PRIMARY KEY REFERENCES lti_platforms (id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        base_url TEXT NOT NULL,
        auth_type TEXT NOT NULL,
        -- The access token (auth_type token) or the Canvas OAuth2 refresh token, sealed; NULL while
        -- an OAuth2 connection waits for the admin's approval.
        sealed_secret TEXT,
        oauth_client_id TEXT,
        sealed_client_secret TEXT,
        status TEXT NOT NULL,
        message TEXT NOT NULL,
        missing TEXT NOT NULL,
        acting_as TEXT,
        checked_at BIGINT,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL
      );
      CREATE TABLE lms_oauth_states (
        state TEXT PRIMARY KEY,
        platform_id TEXT NOT NULL REFERENCES lti_platforms (id) ON DELETE CASCADE,
        base_url TEXT NOT NULL,
        oauth_client_id TEXT NOT NULL,
        -- Kept here, not on the connection, until the admin approves: a working connection stays until then.
        sealed_client_secret TEXT NOT NULL,
        redirect_uri TEXT NOT NULL,
        expires_at BIGINT NOT NULL
      );
      CREATE INDEX lms_oauth_states_expiry ON lms_oauth_states (expires_at);
    `,
  },
  {
    version: 301,
    name: 'lms_user_links',
    sql: `
      -- Canvas user id → LTI sub (the lti_id Canvas puts in launches), learned from launches and NRPS.
      CREATE TABLE lms_user_links (
        platform_id TEXT NOT NULL REFERENCES lti_platforms (id) ON DELETE CASCADE,
        lms_user_id TEXT NOT NULL,
        lti_user_id TEXT NOT NULL,
        updated_at BIGINT NOT NULL,
        PRIMARY KEY (platform_id, lms_user_id)
      );
    `,
  },
  {
    version: 302,
    name: 'lms_watch_outcomes',
    sql: `
      -- The last watch of each LMS-watched definition, for the instructor page.
      CREATE TABLE lms_watch_outcomes (
        definition_id TEXT PRIMARY KEY REFERENCES credential_definitions (id) ON DELETE CASCADE,
        checked_at BIGINT NOT NULL,
        learners INTEGER NOT NULL,
        met INTEGER NOT NULL,
        awarded INTEGER NOT NULL,
        already_awarded INTEGER NOT NULL,
        waiting_identity INTEGER NOT NULL,
        error TEXT
      );
    `,
  },
];
