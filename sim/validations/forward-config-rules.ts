import { validationError, type AwsError } from '../front/codec';

/** AWS's limits on a forward action (Elastic Load Balancing API reference, ForwardActionConfig). */
export const FORWARD_LIMITS = { maxTargetGroups: 5, minWeight: 0, maxWeight: 999 } as const;

type Loose = Record<string, unknown>;

/**
 * Checks every forward action in a list the way AWS does and moto does not: weights are integers 0–999 and
 * a forward action names at most 5 target groups. Returns the first violation, or undefined.
 * `member` is the request member holding the actions (`DefaultActions` or `Actions`), used in messages.
 */
export function checkForwardActions(actions: unknown, member: string): AwsError | undefined {
  if (!Array.isArray(actions)) return undefined;
  for (const [i, raw] of actions.entries()) {
    const action = (raw ?? {}) as Loose;
    const groups = (action.ForwardConfig as Loose | undefined)?.TargetGroups;
    if (!Array.isArray(groups)) continue;
    const where = `${lower(member)}.${i + 1}.member.forwardConfig.targetGroups`;
    if (groups.length > FORWARD_LIMITS.maxTargetGroups) {
      return validationError(
        `1 validation error detected: Value at '${where}' failed to satisfy constraint: ` +
          `Member must have length less than or equal to ${FORWARD_LIMITS.maxTargetGroups}`,
      );
    }
    for (const [j, group] of groups.entries()) {
      const weight = ((group ?? {}) as Loose).Weight;
      if (weight === undefined || weight === '') continue;
      const n = Number(weight);
      const at = `'${where}.${j + 1}.member.weight'`;
      if (!Number.isInteger(n)) return validationError(`Value '${String(weight)}' at ${at} is not a valid integer`);
      if (n < FORWARD_LIMITS.minWeight) {
        return validationError(`1 validation error detected: Value '${n}' at ${at} failed to satisfy constraint: Member must have value greater than or equal to ${FORWARD_LIMITS.minWeight}`);
      }
      if (n > FORWARD_LIMITS.maxWeight) {
        return validationError(`1 validation error detected: Value '${n}' at ${at} failed to satisfy constraint: Member must have value less than or equal to ${FORWARD_LIMITS.maxWeight}`);
      }
    }
  }
  return undefined;
}

function lower(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}
