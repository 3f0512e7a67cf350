/**
 * A small in-memory LMS for the connection and watcher unit tests: tokens it accepts (with the
 * functions each lacks), enrolled learners and their progress, and counts of what was read. The
 * end-to-end tests run against the simulated Moodle and Canvas in test/platform-sim instead.
 */
import { LmsError, type LearnerProgress, type LmsKind, type LmsLearner, type LmsSource, type ProgressNeeds } from '../../../lti-tool/src/lms/lms-source.ts';
import type { LtiPlatformRepository } from '../../../lti-tool/src/store/lti-platform-repository.ts';

export interface TestLms {
  /** token → functions it cannot call; absent: the LMS refuses the token. */
  readonly tokens: Map<string, string[]>;
  /** courseId → enrolled learners. */
  readonly learners: Map<string, LmsLearner[]>;
  /** lmsUserId → progress (the same in every course; enough here). */
  readonly progress: Map<string, Partial<LearnerProgress>>;
  readonly reads: { learners: number; progress: number; needs: ProgressNeeds[] };
  /** Thrown by the next reads while set (e.g. no permission in a course). */
  failWith: LmsError | undefined;
  source(kind: LmsKind, token: () => Promise<string>): LmsSource;
}

export function createTestLms(): TestLms {
  const lms: TestLms = {
    tokens: new Map(),
    learners: new Map(),
    progress: new Map(),
    reads: { learners: 0, progress: 0, needs: [] },
    failWith: undefined,
    source(kind, token) {
      const authorized = async () => {
        if (!lms.tokens.has(await token())) throw new LmsError('LMS_TOKEN_INVALID', 'The LMS does not accept the tool’s token (invalidtoken).');
        if (lms.failWith) throw lms.failWith;
      };
      return {
        kind,
        async check() {
          const missing = lms.tokens.get(await token());
          if (!missing) return { ok: false, missing: [], message: 'The LMS does not accept this token.' };
          if (missing.length > 0) return { ok: false, missing, actingAs: 'Watcher', message: `The token works, but ${missing.join(', ')} are not allowed.` };
          return { ok: true, missing: [], actingAs: 'Watcher', message: 'The token works.' };
        },
        async outline(courseId) {
          await authorized();
          return { courseId, modules: [], gradeItems: [], courseCompletion: false };
        },
        async learners(courseId) {
          await authorized();
          lms.reads.learners += 1;
          return lms.learners.get(courseId) ?? [];
        },
        async progress(_courseId, learners, needs) {
          await authorized();
          lms.reads.progress += 1;
          lms.reads.needs.push(needs);
          return new Map(learners.map((l) => [l.lmsUserId, progressOf(lms.progress.get(l.lmsUserId))]));
        },
      };
    },
  };
  return lms;
}

export function progressOf(partial: Partial<LearnerProgress> = {}): LearnerProgress {
  return { completedActivities: new Set(), completedModules: new Set(), modulesWithAllRequirements: new Set(), grades: new Map(), ...partial };
}

let platforms = 0;
/** A registered LTI platform (LMS connections and links hang off a registration). */
export async function registerPlatform(repo: LtiPlatformRepository, issuer = 'https://lms.example'): Promise<string> {
  platforms += 1;
  const record = await repo.upsert({ issuer, clientId: `client-${platforms}-${Math.random().toString(36).slice(2)}`, name: 'Test LMS', authUrl: `${issuer}/auth`, tokenUrl: `${issuer}/token`, jwksUrl: `${issuer}/jwks`, registeredBy: 'manual', deploymentIds: ['1'] });
  return record.id;
}
