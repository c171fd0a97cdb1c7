import { InputValidationError } from '../../../lambdas/core/errors';
import { auditTaskOf, DRAIN_OUTBOX_INPUT } from '../../../lambdas/core/events/audit-task';

describe('Function: auditTaskOf', () => {
  it('is the whole audit for the events EventBridge sends (a schedule, the stack deployed)', () => {
    expect(auditTaskOf({ 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} })).toBe('audit');
    expect(auditTaskOf({ 'detail-type': 'CloudFormation Stack Status Change', detail: { 'status-details': { status: 'UPDATE_COMPLETE' } } })).toBe('audit');
    expect(auditTaskOf(undefined)).toBe('audit');
  });

  it('is a drain of the outbox for the drain schedule\'s constant input', () => {
    expect(auditTaskOf(JSON.parse(JSON.stringify(DRAIN_OUTBOX_INPUT)))).toBe('drain-outbox');
  });

  it.each([[{ task: 'drain' }], [{ task: 7 }], [{ task: null }]])('rejects %j, naming the field', (event) => {
    const error = (() => {
      try {
        auditTaskOf(event);
      } catch (e) {
        return e;
      }
      return undefined;
    })();

    expect(error).toBeInstanceOf(InputValidationError);
    expect((error as InputValidationError).field).toBe('task');
    expect((error as InputValidationError).message).toContain('task must be one of audit, drain-outbox');
  });
});
