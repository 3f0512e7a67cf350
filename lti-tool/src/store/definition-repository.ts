/** Rows of credential_definitions (a MicroCredentialDefinition with its pass/stack rule and LTI context binding) and definition_stack_parts. */
import type { PassRule, StackRule } from '../issuance/rules.ts';
import { stackParts } from '../issuance/rules.ts';
import type { Db, SqlParam } from './db.ts';

/** Where a definition lives in the LMS: the LTI platform, deployment, course, activity and AGS line item. */
export interface ContextBinding {
  readonly platformId?: string | undefined;
  readonly deploymentId?: string | undefined;
  readonly contextId?: string | undefined;
  readonly resourceLinkId?: string | undefined;
  readonly lineItemId?: string | undefined;
}

export interface DefinitionRecord {
  readonly id: string;
  /** The MicroCredentialDefinition as the instructor saved it (possibly incomplete while unpublished). */
  readonly definition: Record<string, unknown>;
  readonly passRule: PassRule | null;
  readonly stackRule: StackRule | null;
  readonly binding: ContextBinding;
  readonly published: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

interface DefinitionRow {
  id: string;
  definition: string;
  pass_rule: string | null;
  stack_rule: string | null;
  platform_id: string | null;
  deployment_id: string | null;
  context_id: string | null;
  resource_link_id: string | null;
  line_item_id: string | null;
  published: number;
  created_at: number;
  updated_at: number;
}

const COLUMNS = 'id, definition, pass_rule, stack_rule, platform_id, deployment_id, context_id, resource_link_id, line_item_id, published, created_at, updated_at';

function recordOf(row: DefinitionRow): DefinitionRecord {
  const binding = Object.fromEntries(
    ([['platformId', row.platform_id], ['deploymentId', row.deployment_id], ['contextId', row.context_id], ['resourceLinkId', row.resource_link_id], ['lineItemId', row.line_item_id]] as const).filter(
      ([, v]) => v !== null,
    ),
  ) as ContextBinding;
  return {
    id: row.id,
    definition: JSON.parse(row.definition) as Record<string, unknown>,
    passRule: row.pass_rule === null ? null : (JSON.parse(row.pass_rule) as PassRule),
    stackRule: row.stack_rule === null ? null : (JSON.parse(row.stack_rule) as StackRule),
    binding,
    published: Number(row.published) === 1,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

function paramsOf(record: DefinitionRecord): SqlParam[] {
  const b = record.binding;
  return [
    JSON.stringify(record.definition),
    record.passRule ? JSON.stringify(record.passRule) : null,
    record.stackRule ? JSON.stringify(record.stackRule) : null,
    b.platformId ?? null,
    b.deploymentId ?? null,
    b.contextId ?? null,
    b.resourceLinkId ?? null,
    b.lineItemId ?? null,
    record.published ? 1 : 0,
  ];
}

export class DefinitionRepository {
  constructor(private readonly db: Db) {}

  async get(id: string): Promise<DefinitionRecord | undefined> {
    const [row] = await this.db.query<DefinitionRow>(`SELECT ${COLUMNS} FROM credential_definitions WHERE id = ?`, [id]);
    return row && recordOf(row);
  }

  /** Definitions placed in one course (context) of one deployment, oldest first. */
  async listInContext(binding: Required<Pick<ContextBinding, 'platformId' | 'deploymentId' | 'contextId'>>): Promise<DefinitionRecord[]> {
    const rows = await this.db.query<DefinitionRow>(
      `SELECT ${COLUMNS} FROM credential_definitions WHERE platform_id = ? AND deployment_id = ? AND context_id = ? ORDER BY created_at, id`,
      [binding.platformId, binding.deploymentId, binding.contextId],
    );
    return rows.map(recordOf);
  }

  /** Published definitions placed on an AGS line item: the ones a results sync reads (LMS-watched ones are read by the LMS watcher instead). */
  async listSyncable(): Promise<DefinitionRecord[]> {
    const rows = await this.db.query<DefinitionRow>(`SELECT ${COLUMNS} FROM credential_definitions WHERE published = 1 AND line_item_id IS NOT NULL ORDER BY id`);
    return rows.map(recordOf).filter((record) => record.passRule?.kind !== 'lms');
  }

  /** Published definitions whose pass rule is watched in the LMS's REST API (issue 7). */
  async listLmsWatched(): Promise<DefinitionRecord[]> {
    // The LIKE only narrows the scan; the parsed rule decides.
    const rows = await this.db.query<DefinitionRow>(`SELECT ${COLUMNS} FROM credential_definitions WHERE published = 1 AND pass_rule LIKE '%"lms"%' ORDER BY id`);
    return rows.map(recordOf).filter((record) => record.passRule?.kind === 'lms');
  }

  /** Definitions placed on one LTI resource link (the activity a launch opens). */
  async listForResourceLink(binding: Required<Pick<ContextBinding, 'platformId' | 'deploymentId' | 'contextId' | 'resourceLinkId'>>): Promise<DefinitionRecord[]> {
    const rows = await this.db.query<DefinitionRow>(
      `SELECT ${COLUMNS} FROM credential_definitions WHERE platform_id = ? AND deployment_id = ? AND context_id = ? AND resource_link_id = ? ORDER BY id`,
      [binding.platformId, binding.deploymentId, binding.contextId, binding.resourceLinkId],
    );
    return rows.map(recordOf);
  }

  /** Published stacks that count `partId` among their parts. */
  async stacksContaining(partId: string): Promise<DefinitionRecord[]> {
    const rows = await this.db.query<DefinitionRow>(
      `SELECT ${COLUMNS.split(', ').map((c) => `d.${c}`).join(', ')} FROM credential_definitions d JOIN definition_stack_parts p ON p.stack_id = d.id WHERE p.part_id = ? AND d.published = 1 ORDER BY d.id`,
      [partId],
    );
    return rows.map(recordOf);
  }

  /** Inserts or replaces the definition and its stack parts in one transaction. */
  save(record: DefinitionRecord): Promise<void> {
    return this.db.transaction(async (tx) => {
      const changed = await tx.run(
        `UPDATE credential_definitions SET definition = ?, pass_rule = ?, stack_rule = ?, platform_id = ?, deployment_id = ?, context_id = ?, resource_link_id = ?, line_item_id = ?, published = ?, updated_at = ? WHERE id = ?`,
        [...paramsOf(record), record.updatedAt.getTime(), record.id],
      );
      if (changed === 0) {
        await tx.run(`INSERT INTO credential_definitions (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
          record.id,
          ...paramsOf(record),
          record.createdAt.getTime(),
          record.updatedAt.getTime(),
        ]);
      }
      await tx.run('DELETE FROM definition_stack_parts WHERE stack_id = ?', [record.id]);
      for (const part of record.stackRule ? stackParts(record.stackRule) : []) {
        await tx.run('INSERT INTO definition_stack_parts (stack_id, part_id) VALUES (?, ?)', [record.id, part]);
      }
    });
  }
}
