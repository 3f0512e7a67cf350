/** The LMS gradebook as a teacher sees it: grading by hand, and reading what the tool reported. */
import type { SimContext } from './context.ts';
import { SimError, type SimLineItem } from './model.ts';

export interface GradebookResult {
  readonly userId: string;
  readonly scoreGiven: number | undefined;
  readonly scoreMaximum: number | undefined;
  /** On the line item's scale (what the gradebook shows). */
  readonly resultScore: number | undefined;
  readonly resultMaximum: number;
  readonly comment: string | undefined;
  readonly activityProgress: string;
  readonly gradingProgress: string;
  readonly timestamp: string;
  readonly source: 'tool' | 'teacher';
}

export interface GradebookLineItem {
  /** The line item URL the tool sees. */
  readonly id: string;
  readonly itemId: string;
  readonly clientId: string;
  readonly label: string;
  readonly scoreMaximum: number;
  readonly resourceId: string | undefined;
  readonly tag: string | undefined;
  readonly resourceLinkId: string | undefined;
}

export interface Gradebook {
  /** A teacher enters a grade in the LMS: scoreGiven out of scoreMaximum, stored on the activity's line item scale. */
  setScore(activityId: string, userId: string, scoreGiven: number, scoreMaximum: number): void;
  results(activityId: string): GradebookResult[];
  lineItems(courseId: string): GradebookLineItem[];
}

export function createGradebook(ctx: SimContext): Gradebook {
  const lineItemOf = (activityId: string): SimLineItem => {
    const activity = ctx.state.activities.get(activityId);
    if (!activity) throw new SimError('SIM_UNKNOWN_ACTIVITY', `No activity ${activityId}.`);
    const lineItem = activity.lineItemId ? ctx.state.lineItems.get(activity.lineItemId) : undefined;
    if (!lineItem) throw new SimError('SIM_NO_LINE_ITEM', `Activity ${activityId} has no gradebook column.`);
    return lineItem;
  };
  return {
    setScore(activityId, userId, scoreGiven, scoreMaximum) {
      if (!(scoreMaximum > 0) || !(scoreGiven >= 0)) throw new SimError('SIM_BAD_INPUT', 'A grade needs scoreGiven ≥ 0 and scoreMaximum > 0.');
      const lineItem = lineItemOf(activityId);
      if (!ctx.state.users.has(userId)) throw new SimError('SIM_UNKNOWN_USER', `No user ${userId}.`);
      lineItem.results.set(userId, {
        userId,
        scoreGiven,
        scoreMaximum,
        resultScore: (scoreGiven / scoreMaximum) * lineItem.scoreMaximum,
        comment: lineItem.results.get(userId)?.comment,
        timestamp: new Date(ctx.now()).toISOString(),
        activityProgress: 'Completed',
        gradingProgress: 'FullyGraded',
        source: 'teacher',
      });
    },
    results(activityId) {
      const lineItem = lineItemOf(activityId);
      return [...lineItem.results.values()].map((r) => ({ ...r, resultMaximum: lineItem.scoreMaximum }));
    },
    lineItems(courseId) {
      return [...ctx.state.lineItems.values()]
        .filter((li) => li.courseId === courseId)
        .map((li) => {
          const tool = ctx.state.tools.get(li.clientId)!;
          return { id: ctx.profile.lineItemUrl(ctx.baseUrl(), courseId, li.id, tool), itemId: li.id, clientId: li.clientId, label: li.label, scoreMaximum: li.scoreMaximum, resourceId: li.resourceId, tag: li.tag, resourceLinkId: li.resourceLinkId };
        });
    },
  };
}
