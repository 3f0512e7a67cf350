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
/**
 * A registration and its deployments in one statement (one row per deployment, or one with a null
 * deployment): every login and launch reads a registration, and two statements each time cost twice.
 */
const WITH_DEPLOYMENTS = `SELECT ${COLUMNS.split(', ').map((c) => `p.${c}`).join(', ')}, d.deployment_id FROM lti_platforms p LEFT JOIN lti_deployments d ON d.platform_id = p.id`;
const IN_ORDER = 'ORDER BY p.created_at, p.id, d.created_at, d.deployment_id';

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
    return (await this.#select('WHERE p.id = ?', [id]))[0];
  }

  /** Every registration of an issuer (Canvas: one per customer's developer key). */
  async byIssuer(issuer: string): Promise<PlatformRecord[]> {
    return this.#select('WHERE p.issuer = ?', [issuer]);
  }

  async byIssuerAndClientId(issuer: string, clientId: string): Promise<PlatformRecord | undefined> {
    return (await this.#select('WHERE p.issuer = ? AND p.client_id = ?', [issuer, clientId]))[0];
  }

  async list(): Promise<PlatformRecord[]> {
    return this.#select('', []);
  }

  async #select(where: string, params: readonly string[]): Promise<PlatformRecord[]> {
    const rows = await this.db.query<PlatformRow & { deployment_id: string | null }>(`${WITH_DEPLOYMENTS} ${where} ${IN_ORDER}`, params);
    const platforms = new Map<string, { row: PlatformRow; deploymentIds: string[] }>();
    for (const row of rows) {
      let entry = platforms.get(row.id);
      if (!entry) platforms.set(row.id, (entry = { row, deploymentIds: [] }));
      if (row.deployment_id !== null) entry.deploymentIds.push(row.deployment_id);
    }
    return [...platforms.values()].map(({ row, deploymentIds }) => ({
      id: row.id,
      issuer: row.issuer,
      clientId: row.client_id,
      name: row.name,
      authUrl: row.auth_url,
      tokenUrl: row.token_url,
      jwksUrl: row.jwks_url,
      registeredBy: row.registered_by,
      createdAt: new Date(row.created_at),
      deploymentIds,
    }));
  }
}

async function addDeployment(runner: SqlRunner, platformId: string, deploymentId: string, at: number): Promise<void> {
  await runner.run('INSERT INTO lti_deployments (platform_id, deployment_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING', [platformId, deploymentId, at]);
}
