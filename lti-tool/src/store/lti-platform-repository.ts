/** Rows of lti_platforms and lti_deployments: LTI 1.3 platform registrations, keyed by issuer + client_id. */
import { randomBytes } from 'node:crypto';
import type { Db, SqlRunner } from './db.ts';

export type RegisteredBy = 'dynamic' | 'manual';

export interface PlatformRecord {
  readonly id: string;
  readonly issuer: string;
  readonly clientId: string;
  readonly name: string;
  readonly authUrl: string;
  readonly tokenUrl: string;
  readonly jwksUrl: string;
  readonly registeredBy: RegisteredBy;
  readonly createdAt: Date;
  readonly deploymentIds: readonly string[];
}

export type NewPlatform = Omit<PlatformRecord, 'id' | 'createdAt' | 'deploymentIds'> & { readonly deploymentIds: readonly string[] };

interface PlatformRow {
  id: string;
  issuer: string;
  client_id: string;
  name: string;
  auth_url: string;
  token_url: string;
  jwks_url: string;
  registered_by: RegisteredBy;
  created_at: number;
}

const COLUMNS = 'id, issuer, client_id, name, auth_url, token_url, jwks_url, registered_by, created_at';

export class LtiPlatformRepository {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Adds the registration, or (same issuer + client_id) updates its endpoints and adds the
   * deployments it lacks, so re-running a registration never loses deployments.
   */
  async upsert(platform: NewPlatform): Promise<PlatformRecord> {
    const at = this.now().getTime();
    const id = await this.db.transaction(async (tx) => {
      const [existing] = await tx.query<{ id: string }>('SELECT id FROM lti_platforms WHERE issuer = ? AND client_id = ?', [platform.issuer, platform.clientId]);
      const platformId = existing?.id ?? randomBytes(12).toString('base64url');
      if (existing) {
        await tx.run('UPDATE lti_platforms SET name = ?, auth_url = ?, token_url = ?, jwks_url = ?, registered_by = ? WHERE id = ?', [
          platform.name,
          platform.authUrl,
          platform.tokenUrl,
          platform.jwksUrl,
          platform.registeredBy,
          platformId,
        ]);
      } else {
        await tx.run(`INSERT INTO lti_platforms (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
          platformId,
          platform.issuer,
          platform.clientId,
          platform.name,
          platform.authUrl,
          platform.tokenUrl,
          platform.jwksUrl,
          platform.registeredBy,
          at,
        ]);
      }
      for (const deploymentId of new Set(platform.deploymentIds)) await addDeployment(tx, platformId, deploymentId, at);
      return platformId;
    });
    return (await this.byId(id))!;
  }

  async addDeployment(platformId: string, deploymentId: string): Promise<void> {
    await addDeployment(this.db, platformId, deploymentId, this.now().getTime());
  }

  async byId(id: string): Promise<PlatformRecord | undefined> {
    const [row] = await this.db.query<PlatformRow>(`SELECT ${COLUMNS} FROM lti_platforms WHERE id = ?`, [id]);
    return row && this.#withDeployments(row);
  }

  /** Every registration of an issuer (Canvas: one per customer's developer key). */
  async byIssuer(issuer: string): Promise<PlatformRecord[]> {
    const rows = await this.db.query<PlatformRow>(`SELECT ${COLUMNS} FROM lti_platforms WHERE issuer = ? ORDER BY created_at, id`, [issuer]);
    return Promise.all(rows.map((row) => this.#withDeployments(row)));
  }

  async byIssuerAndClientId(issuer: string, clientId: string): Promise<PlatformRecord | undefined> {
    const [row] = await this.db.query<PlatformRow>(`SELECT ${COLUMNS} FROM lti_platforms WHERE issuer = ? AND client_id = ?`, [issuer, clientId]);
    return row && this.#withDeployments(row);
  }

  async list(): Promise<PlatformRecord[]> {
    const rows = await this.db.query<PlatformRow>(`SELECT ${COLUMNS} FROM lti_platforms ORDER BY created_at, id`);
    return Promise.all(rows.map((row) => this.#withDeployments(row)));
  }

  async #withDeployments(row: PlatformRow): Promise<PlatformRecord> {
    const deployments = await this.db.query<{ deployment_id: string }>('SELECT deployment_id FROM lti_deployments WHERE platform_id = ? ORDER BY created_at, deployment_id', [row.id]);
    return {
      id: row.id,
      issuer: row.issuer,
      clientId: row.client_id,
      name: row.name,
      authUrl: row.auth_url,
      tokenUrl: row.token_url,
      jwksUrl: row.jwks_url,
      registeredBy: row.registered_by,
      createdAt: new Date(row.created_at),
      deploymentIds: deployments.map((d) => d.deployment_id),
    };
  }
}

async function addDeployment(runner: SqlRunner, platformId: string, deploymentId: string, at: number): Promise<void> {
  await runner.run('INSERT INTO lti_deployments (platform_id, deployment_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING', [platformId, deploymentId, at]);
}
