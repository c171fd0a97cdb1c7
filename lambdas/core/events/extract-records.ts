import { isRecord } from './params';

/**
 * The record inside a `lookup-events` item. The API returns it as a JSON string; a person who pretty-printed
 * the output (`jq '.Events[] | .CloudTrailEvent |= fromjson'`) hands it to us as an object.
 */
function fromLookupEvent(event: unknown): unknown {
  if (!isRecord(event) || !('CloudTrailEvent' in event)) return event;
  const inner = event.CloudTrailEvent;
  if (typeof inner !== 'string') return inner;
  try {
    return JSON.parse(inner) as unknown;
  } catch {
    // Kept as the string: parseChangeEvent then reports it as invalid instead of it silently vanishing.
    return inner;
  }
}

/**
 * The CloudTrail records in whatever a person or a queue hands us: an EventBridge event (its `detail`),
 * a bare record, a trail log file (`{"Records": [...]}`), `aws cloudtrail lookup-events` output
 * (`{"Events": [{"CloudTrailEvent": "<json>"}]}`) or one of its items (the record a JSON string, or an
 * object), or a JSON array of any of these. Input of no known shape comes back as itself, so
 * `parseChangeEvent` can say what is wrong with it; null gives none.
 */
export function extractRecords(input: unknown): unknown[] {
  if (input === null || input === undefined) return [];
  if (Array.isArray(input)) return input.flatMap((item) => extractRecords(item));
  if (!isRecord(input)) return [input];
  if (Array.isArray(input.Records)) return input.Records;
  if (Array.isArray(input.Events)) return input.Events.map(fromLookupEvent);
  if ('detail-type' in input && 'detail' in input) return [input.detail];
  if ('CloudTrailEvent' in input) return [fromLookupEvent(input)];
  return [input];
}
