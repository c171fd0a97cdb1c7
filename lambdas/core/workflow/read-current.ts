import type { Change } from '../events/change';
import type { LoadBalancerSnapshot } from '../model/snapshot';
import type { SnapshotReader } from '../ports';
import { changeScope, healthScope, isEmptyScope, mergeScopes } from './read-scope';

/**
 * The load balancer as it is now, read with as few ELBv2 calls as the changes allow: what they can affect
 * re-read over the last known good, then the health of the groups whose request classes moved. With no
 * baseline (first sight), everything is read.
 */
export async function readCurrent(reader: SnapshotReader, loadBalancerArn: string, baseline: LoadBalancerSnapshot | undefined, changes: readonly Change[]): Promise<LoadBalancerSnapshot> {
  if (baseline === undefined) return reader.readSnapshot(loadBalancerArn);
  // The tags always: a tag decides scope and overrides, and tagging is not a change the watchdog judges.
  const configuration = { ...mergeScopes(...changes.map(changeScope)), loadBalancerTags: true };
  const refreshed = await reader.refresh(baseline, configuration);
  const health = healthScope(baseline, refreshed);
  // Groups already re-read with the configuration are not read twice.
  const missing = { ...health, groupHealth: health.groupHealth.filter((g) => !configuration.groupHealth.includes(g)) };
  return isEmptyScope(missing) ? refreshed : reader.refresh(refreshed, missing);
}
