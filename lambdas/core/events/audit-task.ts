import { InputValidationError } from '../errors';

/**
 * What the audit function is asked to do. Its schedule and the stack's deploy event send EventBridge events
 * (no `task`): the whole audit. A one-minute schedule sends `DRAIN_OUTBOX_INPUT` as its constant input: only
 * the outbox is drained, so a held unexplained verdict is told soon after its wait ends, and one a crashed
 * run left soon after its lease ends, whether or not its load balancer changes again.
 */
export type AuditTask = 'audit' | 'drain-outbox';

/** The drain schedule's input (an EventBridge target's constant `Input`). */
export const DRAIN_OUTBOX_INPUT = { task: 'drain-outbox' } as const;

const TASKS: readonly AuditTask[] = ['audit', 'drain-outbox'];

/** The task an invocation asks for; a `task` field that names none is rejected, naming the field. */
export function auditTaskOf(event: unknown): AuditTask {
  if (typeof event !== 'object' || event === null || !('task' in event)) return 'audit';
  const task = (event as { task: unknown }).task;
  if (typeof task === 'string' && (TASKS as readonly string[]).includes(task)) return task as AuditTask;
  throw new InputValidationError(`task must be one of ${TASKS.join(', ')}; got ${JSON.stringify(task)}`, { field: 'task', input: 'audit-event' });
}
