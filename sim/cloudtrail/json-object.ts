/** A JSON object's fields. */
export type JsonObject = Record<string, unknown>;

/** `value` when it is a JSON object, else `{}`: reads a CloudTrail event's nested fields without a throw. */
export function jsonObject(value: unknown): JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : {};
}
