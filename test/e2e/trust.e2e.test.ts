import { randomUUID } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DeregisterTargetsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { LoadBalancerSnapshot } from '../../lambdas/core/model/snapshot';
import { isUntrustedBaseline, type StoredSnapshot } from '../../lambdas/core/ports';
import { registeredTargets, useWatchdog } from './watchdog-harness';

/**
 * The confused-deputy attack of issue 15, end to end on the stand-in: someone who can write the state table
 * but not the load balancers edits the stored baseline to "web-green 100" (one server), then waits for
 * anyone's unsafe change, hoping the watchdog "reverts" the listener to it with its own rights.
 *
 * KMS HMAC keys (GenerateMac / VerifyMac) sign the baselines: https://docs.aws.amazon.com/kms/latest/developerguide/hmac.html
 * The stand-in enforces no IAM, so the attacker's write succeeds here as it would in an account without the
 * table's resource policy (that policy is shown in test/cdk/trust-policies.test.ts).
 */
const watchdog = useWatchdog({ mode: 'enforce' });

const stand = () => watchdog.fixture.standIn;

function trusted(read: Awaited<ReturnType<ReturnType<typeof watchdog.verifiedState>['getLastKnownGood']>>): StoredSnapshot {
  if (read === undefined || isUntrustedBaseline(read)) throw new Error(`expected a trusted baseline, got ${JSON.stringify(read)}`);
  return read;
}

/** mallory rewrites the stored baseline's listener to send everything to web-green, through the DynamoDB API. */
async function editBaselineAsMallory(): Promise<void> {
  const w = watchdog.world();
  const mallory = watchdog.fixture.clients('mallory').dynamodb;
  const key = { pk: { S: `LB#${w.loadBalancer}` }, sk: { S: 'LKG' } };
  const item = (await mallory.send(new GetItemCommand({ TableName: watchdog.tableName(), Key: key }))).Item;
  if (item?.snapshot?.B === undefined) throw new Error('no stored baseline to edit');
  const snapshot = JSON.parse(gunzipSync(item.snapshot.B).toString('utf8')) as LoadBalancerSnapshot;
  snapshot.listeners[0].defaultActions = [{ type: 'forward', forward: { targetGroups: [{ targetGroupArn: w.blue, weight: 0 }, { targetGroupArn: w.green, weight: 100 }] } }];
  await mallory.send(new PutItemCommand({ TableName: watchdog.tableName(), Item: { ...item, snapshot: { B: gzipSync(JSON.stringify(snapshot)) } } }));
}

describe('ELB Watchdog on the stand-in: a baseline edited by someone else', () => {
  it('is never reverted to; people are told it was rejected; the next audit stores a valid one and enforcement resumes', async () => {
    // Prepare: the deployment's audit took a signed baseline (web-blue 100); mallory edits it to web-green 100.
    const w = watchdog.world();
    const signed = trusted(await watchdog.verifiedState().getLastKnownGood(w.loadBalancer));
    expect(signed.snapshot.listeners[0].defaultActions[0].forward?.targetGroups).toContainEqual({ targetGroupArn: w.blue, weight: 100 });
    await editBaselineAsMallory();
    expect(await watchdog.verifiedState().getLastKnownGood(w.loadBalancer)).toMatchObject({ untrusted: 'mac-invalid' });

    // Act 1: alice deregisters 3 of web-blue's 4 servers: unsafe, and judged against the edited baseline
    // it would be "reverted" by putting the listener on web-green 100.
    const blue = await registeredTargets(watchdog.alice(), w.blue);
    await watchdog.alice().elbv2.send(new DeregisterTargetsCommand({ TargetGroupArn: w.blue, Targets: blue.slice(0, 3).map((Id) => ({ Id })) }));
    const notification = await watchdog.eventually(async () => stand().notifications()[0], 'the verdict notification');
    await watchdog.eventually(async () => ((await watchdog.queueMessages('WatchdogChangesQueue')) === 0 && watchdog.runner.idle ? true : undefined), 'the queue to drain');
    await stand().settled();

    // Assess 1: the edited configuration was never applied; one notification says the baseline was rejected.
    expect(await watchdog.weights()).toEqual({ blue: 100, green: 0 });
    expect(stand().events({ eventName: 'ModifyListener' })).toEqual([]);
    expect(stand().events({ eventName: 'RegisterTargets' })).toEqual([]);
    expect(stand().notifications().map((n) => n.subject)).toEqual(['BASELINE REJECTED: DeregisterTargets on web by alice']);
    expect(notification.message).toMatch(/baseline \(last known good\) of this load balancer was rejected: its MAC does not match its content: it was written or changed by someone other than the watchdog/);
    expect(notification.message).toMatch(/judged without it and nothing was reverted; the next audit stores a fresh baseline/);
    const [judged] = await watchdog.state().listAudit(w.loadBalancer);
    expect({ decision: judged.decision, outcome: judged.outcome, by: judged.actor.displayName }).toEqual({ decision: 'warn', outcome: 'baseline-rejected', by: 'alice' });

    // Act 2: the scheduled audit runs.
    await watchdog.runner.invokeScheduled('audit');

    // Assess 2: a valid (signed) baseline of the configuration as it is now, its version after the edited one.
    const fresh = trusted(await watchdog.verifiedState().getLastKnownGood(w.loadBalancer));
    expect(fresh.version).toBeGreaterThan(signed.version);
    expect(fresh.snapshot.listeners[0].defaultActions[0].forward?.targetGroups).toContainEqual({ targetGroupArn: w.blue, weight: 100 });
    expect(stand().notifications().map((n) => n.subject)).toContain('BASELINE REJECTED: web has a fresh baseline');

    // Act 3: the May 19 flip, by alice.
    await watchdog.setWeights(0, 100);

    // Assess 3: enforcement resumed: reverted to the audit's baseline.
    await watchdog.eventually(async () => ((await watchdog.weights()).blue === 100 ? true : undefined), 'the revert');
    const reverted = await watchdog.eventually(async () => stand().notifications().find((n) => n.subject?.startsWith('BLOCKED')), 'the revert notification');
    expect(reverted.subject).toBe('BLOCKED and reverted: ModifyListener on web by alice');
    expect(await watchdog.weights()).toEqual({ blue: 100, green: 0 });
  });

  it('acts on what the load balancer is, not on what an event says: a forged change event changes nothing', async () => {
    // AWS refuses customers any `aws.` source ("Customer-generated events can have any value here, as long
    // as it doesn't begin with aws.": https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html;
    // PutEvents answers NotAuthorizedForSourceException: https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html).
    // moto accepts it (sim/README.md), which lets this test show the second line of defence: were such an
    // event to arrive, the watchdog would only re-read the load balancer and judge what is really there.
    const w = watchdog.world();
    await watchdog.setWeights(100, 0); // a real, harmless call: its CloudTrail event is the forgery's template
    const real = await watchdog.eventually(async () => stand().events({ eventName: 'ModifyListener' })[0], 'the real event');
    await watchdog.eventually(async () => ((await watchdog.state().listAudit(w.loadBalancer)).length === 1 ? true : undefined), 'the real change judged');
    const forgedId = randomUUID();
    const forged = {
      ...real.event.detail,
      eventID: forgedId,
      // It claims alice sent everything to web-green; the listener was not touched.
      requestParameters: { listenerArn: w.listener, defaultActions: [{ type: 'forward', forwardConfig: { targetGroups: [{ targetGroupArn: w.green, weight: 100 }] } }] },
    };

    await watchdog.fixture.clients('mallory').events.send(
      new PutEventsCommand({ Entries: [{ Source: 'aws.elasticloadbalancing', DetailType: 'AWS API Call via CloudTrail', Detail: JSON.stringify(forged) }] }),
    );
    const judged = await watchdog.eventually(async () => (await watchdog.state().listAudit(w.loadBalancer)).find((r) => r.eventId === forgedId), 'the forged event judged');

    // The listener is as the last known good: nothing changed, nothing stored.
    expect({ decision: judged.decision, outcome: judged.outcome }).toEqual({ decision: 'allow', outcome: 'unchanged' });
    expect(await watchdog.weights()).toEqual({ blue: 100, green: 0 });
    expect(stand().events({ eventName: 'ModifyListener' })).toHaveLength(1);
    expect(stand().notifications()).toEqual([]);
  });
});
