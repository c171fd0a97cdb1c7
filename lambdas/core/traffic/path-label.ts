import type { Listener, RuleCondition } from '../model/snapshot';

const CONDITION_WORD: Record<string, string> = {
  'host-header': 'host',
  'path-pattern': 'path',
  'http-header': 'header',
  'query-string': 'query',
  'http-request-method': 'method',
  'source-ip': 'source',
};
const MAX_SUMMARY = 60;

function describeCondition(condition: RuleCondition): string {
  const word = CONDITION_WORD[condition.field] ?? condition.field;
  if (condition.queryStrings !== undefined) {
    return `${word} ${condition.queryStrings.map((q) => (q.key === undefined ? q.value : `${q.key}=${q.value}`)).join(',')}`;
  }
  const values = [...condition.values, ...(condition.regexValues ?? []).map((r) => `~${r}`)].join(',');
  return condition.httpHeaderName === undefined ? `${word} ${values}` : `${word} ${condition.httpHeaderName}=${values}`;
}

/** A short human summary of a rule's conditions: `path /api/*, host api.example.com`. */
export function describeConditions(conditions: readonly RuleCondition[]): string {
  const text = conditions.map(describeCondition).join(', ');
  return text.length > MAX_SUMMARY ? `${text.slice(0, MAX_SUMMARY - 1)}…` : text;
}

/** `HTTP:80`: how people name a listener. */
export function listenerLabel(listener: Pick<Listener, 'protocol' | 'port'>): string {
  return `${listener.protocol}:${listener.port}`;
}
