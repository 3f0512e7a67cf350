/**
 * LTI 1.3 tables (migration versions 100–199): the tool's own keys share issuer_keys through a
 * `purpose` column; platform registrations keyed by issuer + client_id (Canvas shares one issuer
 * among all its customers); deployments; login states; used nonces; launch sessions; OAuth2
 * access tokens for AGS/NRPS.
 */
import type { Migration } from './migrations.ts';

export const LTI_MIGRATIONS: readonly Migration[] = [
  {
    version: 100,
    name: 'issuer_keys_purpose',
    // The tool's LTI keys (RS256, what Moodle understands) live beside the credential issuer's keys
    // and need their own "one active key" rule, so the index becomes per purpose.
    sql: `
      ALTER TABLE issuer_keys ADD COLUMN purpose TEXT NOT NULL DEFAULT 'issuer';
      DROP INDEX issuer_keys_one_active;
      CREATE UNIQUE INDEX issuer_keys_one_active_per_purpose ON issuer_keys (purpose, status) WHERE status = 'active';
    `,
  },
  {
    version: 101,
    name: 'lti_platforms',
    sql: `
      CREATE TABLE lti_platforms (
        id TEXT PRIMARY KEY,
        issuer TEXT NOT NULL,
        client_id TEXT NOT NULL,
        name TEXT NOT NULL,
        auth_url TEXT NOT NULL,
        token_url TEXT NOT NULL,
        jwks_url TEXT NOT NULL,
        registered_by TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        UNIQUE (issuer, client_id)
      );
      CREATE TABLE lti_deployments (
        platform_id TEXT NOT NULL REFERENCES lti_platforms (id) ON DELETE CASCADE,
        deployment_id TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        PRIMARY KEY (platform_id, deployment_id)
      );
    `,
  },
  {
    version: 102,
    name: 'lti_launch_state',
    sql: `
      CREATE TABLE lti_login_states (
        state TEXT PRIMARY KEY,
        nonce TEXT NOT NULL,
        platform_id TEXT NOT NULL REFERENCES lti_platforms (id) ON DELETE CASCADE,
        target_link_uri TEXT NOT NULL,
        storage_target TEXT,
        expires_at BIGINT NOT NULL
      );
      CREATE INDEX lti_login_states_expiry ON lti_login_states (expires_at);
      CREATE TABLE lti_nonces (
        nonce TEXT PRIMARY KEY,
        platform_id TEXT NOT NULL,
        expires_at BIGINT NOT NULL
      );
      CREATE INDEX lti_nonces_expiry ON lti_nonces (expires_at);
      CREATE TABLE lti_sessions (
        id TEXT PRIMARY KEY,
        csrf_token TEXT NOT NULL,
        platform_id TEXT NOT NULL REFERENCES lti_platforms (id) ON DELETE CASCADE,
        deployment_id TEXT NOT NULL,
        context_id TEXT,
        user_id TEXT NOT NULL,
        roles TEXT NOT NULL,
        message_type TEXT NOT NULL,
        launch TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL
      );
      CREATE INDEX lti_sessions_expiry ON lti_sessions (expires_at);
      CREATE TABLE lti_access_tokens (
        platform_id TEXT NOT NULL REFERENCES lti_platforms (id) ON DELETE CASCADE,
        scopes TEXT NOT NULL,
        access_token TEXT NOT NULL,
        expires_at BIGINT NOT NULL,
        PRIMARY KEY (platform_id, scopes)
      );
    `,
  },
];
