/**
 * Saving and publishing micro-credential definitions. A draft may be incomplete; publishing is
 * refused while any mandatory element of Council Recommendation 2022/C 243/02, Annex I is missing,
 * and the refusal names it (shared/credential/completeness.ts).
 */
import { randomUUID } from 'node:crypto';
import { checkDefinition } from '../../../shared/credential/completeness.ts';
import type { MicroCredentialDefinition } from '../../../shared/credential/types.ts';
import type { ContextBinding, DefinitionRecord, DefinitionRepository } from '../store/definition-repository.ts';
import { newId } from './ids.ts';
import { validatePassRule, validateStackRule, type PassRule, type StackRule } from './rules.ts';

export interface DefinitionInput {
  readonly definition: Record<string, unknown>;
  readonly passRule?: unknown;
  readonly stackRule?: unknown;
  readonly binding?: ContextBinding;
  readonly publish?: boolean;
}

export interface DefinitionProblem {
  readonly element: string;
  readonly message: string;
}

export type SaveDefinitionOutcome =
  | { readonly ok: true; readonly record: DefinitionRecord }
  | { readonly ok: false; readonly code: 'DEFINITION_NOT_FOUND' | 'DEFINITION_INVALID'; readonly problems: readonly DefinitionProblem[] };

const MAX_DEFINITION_BYTES = 256 * 1024;

export async function saveDefinition(
  repository: DefinitionRepository,
  input: DefinitionInput,
  options: { id?: string; now?: () => Date } = {},
): Promise<SaveDefinitionOutcome> {
  const now = (options.now ?? (() => new Date()))();
  const existing = options.id === undefined ? undefined : await repository.get(options.id);
  if (options.id !== undefined && !existing) {
    return { ok: false, code: 'DEFINITION_NOT_FOUND', problems: [{ element: 'definition', message: 'There is no micro-credential definition with this id.' }] };
  }
  const id = existing?.id ?? newId();
  const problems: DefinitionProblem[] = [];
  if (typeof input.definition !== 'object' || input.definition === null || Array.isArray(input.definition)) {
    return { ok: false, code: 'DEFINITION_INVALID', problems: [{ element: 'definition', message: 'The micro-credential definition must be a JSON object.' }] };
  }
  if (JSON.stringify(input.definition).length > MAX_DEFINITION_BYTES) {
    return { ok: false, code: 'DEFINITION_INVALID', problems: [{ element: 'definition', message: `The definition is larger than ${MAX_DEFINITION_BYTES} bytes.` }] };
  }
  // A stable achievement id, kept across edits, so every credential of this definition names the same achievement.
  const definition = { ...input.definition, id: typeof input.definition.id === 'string' && input.definition.id !== '' ? input.definition.id : ((existing?.definition.id as string | undefined) ?? `urn:uuid:${randomUUID()}`) };

  let passRule: PassRule | null = null;
  if (input.passRule !== undefined && input.passRule !== null) {
    const checked = validatePassRule(input.passRule);
    if (checked.ok) passRule = checked.rule;
    else problems.push({ element: checked.problem.field, message: checked.problem.message });
  }
  let stackRule: StackRule | null = null;
  if (input.stackRule !== undefined && input.stackRule !== null) {
    const checked = validateStackRule(input.stackRule, id);
    if (!checked.ok) problems.push({ element: checked.problem.field, message: checked.problem.message });
    else {
      stackRule = checked.rule;
      for (const part of 'allOf' in stackRule ? stackRule.allOf : stackRule.of) {
        if (!(await repository.get(part))) problems.push({ element: 'stackRule', message: `The stack names a micro-credential that does not exist (${part}).` });
      }
    }
  }

  const publish = input.publish ?? existing?.published ?? false;
  if (publish) {
    const complete = checkDefinition(definition);
    if (!complete.ok) problems.push(...complete.problems);
    if (input.passRule == null && input.stackRule == null) problems.push({ element: 'passRule', message: 'Say when the micro-credential is earned: a minimum score, completion, or the credentials it stacks.' });
  }
  if (problems.length > 0) return { ok: false, code: 'DEFINITION_INVALID', problems };

  const record: DefinitionRecord = {
    id,
    definition,
    passRule,
    stackRule,
    binding: input.binding ?? existing?.binding ?? {},
    published: publish,
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  };
  await repository.save(record);
  return { ok: true, record };
}

/** The definition ready to issue from, or why not. */
export function issuableDefinition(record: DefinitionRecord): { ok: true; definition: MicroCredentialDefinition } | { ok: false; code: 'DEFINITION_NOT_PUBLISHED' | 'DEFINITION_INCOMPLETE'; message: string } {
  if (!record.published) return { ok: false, code: 'DEFINITION_NOT_PUBLISHED', message: 'This micro-credential is not published yet, so nothing is awarded from it.' };
  const checked = checkDefinition(record.definition);
  if (!checked.ok) return { ok: false, code: 'DEFINITION_INCOMPLETE', message: checked.problems.map((p) => p.message).join(' ') };
  return { ok: true, definition: checked.definition };
}
