import { ModifyListenerCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { EventBridgeEvent } from '../../sim';
import { eventually, simJson, useStandIn, type SdkClients } from './helpers/stand-in-fixture';

// "Best effort delivery means that the service attempts to send all events to EventBridge, but in some rare cases
// an event might not be delivered" (https://docs.aws.amazon.com/eventbridge/latest/userguide/event-types.html);
// "AWS services deliver events to CloudTrail on a best effort basis"
// (https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-cloudtrail.html). Order and uniqueness are not
// promised either. The stand-in injects loss, copies, delay and reordering on purpose, seeded and replayable.

interface DeliveryRow {
  eventName: string;
  eventID: string;
  seq: number;
  status: string;
  droppedBy?: string;
  fate?: { drop: boolean; duplicates: number; delayMs: number; reorder: boolean };
  order?: number;
  duplicates?: { status: string; id?: string }[];
}

describe('CloudTrail delivery faults: drop, duplicate, delay and reorder, seeded and replayable', () => {
  const fixture = useStandIn({ world: 'demo' });
  const faults = (body: unknown) => simJson(fixture.standIn.url, '/_sim/faults', { body });
  const deliveries = async (): Promise<DeliveryRow[]> => {
    await fixture.standIn.settled();
    return (await simJson<{ deliveries: DeliveryRow[] }>(fixture.standIn.url, '/_sim/events')).json.deliveries;
  };
  /** Weight flips on the demo listener: `n` ModifyListener events. */
  const flips = async (c: SdkClients, n: number) => {
    const r = fixture.standIn.world.resources;
    for (let i = 0; i < n; i++) {
      await c.elbv2.send(
        new ModifyListenerCommand({
          ListenerArn: r['listener:web:80'],
          DefaultActions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: r['targetGroup:web-blue'], Weight: 100 - i }, { TargetGroupArn: r['targetGroup:web-green'], Weight: i }] } }],
        }),
      );
    }
  };

  it('drops, duplicates and reorders by script; a target behind a rule sees the copies; /_sim/events shows each fate', async () => {
    // Prepare: a standard queue behind a rule for ELB changes.
    const c = fixture.clients();
    const queue = await c.sqs.send(new CreateQueueCommand({ QueueName: 'changes' }));
    const arn = (await c.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue.QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes?.QueueArn;
    await c.events.send(new PutRuleCommand({ Name: 'changes', EventPattern: JSON.stringify({ source: ['aws.elasticloadbalancing'] }) }));
    await c.events.send(new PutTargetsCommand({ Rule: 'changes', Targets: [{ Id: 'q', Arn: arn }] }));
    expect((await faults({ cloudTrail: { script: [{ reorder: true }, { drop: true }, { duplicates: 1 }, {}] } })).status).toBe(200);
    // Act
    await flips(c, 4);
    const rows = await deliveries();
    // Assess
    expect(rows.map((d) => [d.seq, d.status, d.droppedBy, d.order])).toEqual([
      [1, 'delivered', undefined, 2],
      [2, 'dropped', 'fault', undefined],
      [3, 'delivered', undefined, 1],
      [4, 'delivered', undefined, 3],
    ]);
    expect(rows[0]?.fate).toEqual({ drop: false, duplicates: 0, delayMs: 0, reorder: true });
    expect(rows[2]?.duplicates).toEqual([{ status: 'delivered', id: expect.any(String) }]);
    expect(rows[3]?.fate).toBeUndefined();
    // The target gets 4 messages: events 1, 3 (twice, same CloudTrail eventID) and 4; never event 2.
    const received: EventBridgeEvent[] = [];
    await eventually(async () => {
      const out = await c.sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      received.push(...(out.Messages ?? []).map((m) => JSON.parse(m.Body ?? '{}') as EventBridgeEvent));
      return received.length >= 4 ? true : undefined;
    }, 10_000, 'four messages');
    const ids = received.map((e) => String(e.detail.eventID)).sort();
    expect(ids).toEqual([rows[0]?.eventID, rows[2]?.eventID, rows[2]?.eventID, rows[3]?.eventID].map(String).sort());
  });

  it('records each seeded decision, and replays the exact fate sequence from that list', async () => {
    // Prepare: a seeded run.
    const c = fixture.clients();
    const rules = [{ dropRate: 0.3, duplicateRate: 0.3, delayRate: 0.3, delayMs: 20, reorderRate: 0.3 }];
    await faults({ cloudTrail: { rules, seed: 11, reorderHoldMs: 50 } });
    await flips(c, 8);
    const first = await deliveries();
    const { decisions } = (await simJson<{ cloudTrail: { decisions: unknown[] } }>(fixture.standIn.url, '/_sim/faults')).json.cloudTrail;
    expect(decisions).toHaveLength(8);
    // Act: a fresh world, the recorded decisions as a script (and rules that would drop everything).
    await fixture.standIn.reset();
    await faults({ cloudTrail: { script: decisions, rules: [{ dropRate: 1 }], reorderHoldMs: 50 } });
    await flips(c, 8);
    const replay = await deliveries();
    // Assess
    const fates = (rows: DeliveryRow[]) => rows.map((d) => [d.status, d.fate ?? null, d.duplicates?.length ?? 0]);
    expect(fates(replay)).toEqual(fates(first));
    expect(first.some((d) => d.fate)).toBe(true);
    const stats = (await simJson<{ cloudTrail: { stats: { scriptMismatches: number; decided: number } } }>(fixture.standIn.url, '/_sim/faults')).json.cloudTrail.stats;
    expect(stats).toMatchObject({ decided: 8, scriptMismatches: 0 });
  });

  it('replays by key: the same calls in another order, on a fresh world with new resource IDs, meet their own events\' fates', async () => {
    // Prepare: a seeded run of 8 flips, each weight its own call; the fate each weight's event met
    const c = fixture.clients();
    await faults({ cloudTrail: { rules: [{ dropRate: 0.3, duplicateRate: 0.3, delayRate: 0.3, delayMs: 20, reorderRate: 0.3 }], seed: 23, reorderHoldMs: 50 } });
    await flips(c, 8);
    const { decisions } = (await simJson<{ cloudTrail: { decisions: { key?: string; drop: boolean; duplicates: number; delayMs: number; reorder: boolean }[] } }>(fixture.standIn.url, '/_sim/faults')).json.cloudTrail;
    expect(decisions.every((d) => d.key !== undefined)).toBe(true);
    const fate = ({ drop, duplicates, delayMs, reorder }: { drop: boolean; duplicates: number; delayMs: number; reorder: boolean }) => ({ drop, duplicates, delayMs, reorder });
    const recorded = decisions.map(fate);
    expect(recorded.some((f) => f.drop || f.duplicates > 0 || f.reorder)).toBe(true);

    // Act: a fresh world (moto draws new ARNs), the same flips in reverse order, the recorded decisions as the script
    await fixture.standIn.reset();
    await faults({ cloudTrail: { script: decisions, rules: [{ dropRate: 1 }], reorderHoldMs: 50 } });
    const r = fixture.standIn.world.resources;
    for (let i = 7; i >= 0; i--) {
      await c.elbv2.send(
        new ModifyListenerCommand({
          ListenerArn: r['listener:web:80'],
          DefaultActions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: r['targetGroup:web-blue'], Weight: 100 - i }, { TargetGroupArn: r['targetGroup:web-green'], Weight: i }] } }],
        }),
      );
    }

    // Assess: the flip to weight i met the fate the i-th flip met in the run, though it came (8 - i)-th
    const replayed = (await simJson<{ cloudTrail: { decisions: { drop: boolean; duplicates: number; delayMs: number; reorder: boolean }[]; stats: { scriptMismatches: number } } }>(fixture.standIn.url, '/_sim/faults')).json.cloudTrail;
    expect(replayed.decisions.map(fate).reverse()).toEqual(recorded);
    expect(replayed.stats.scriptMismatches).toBe(0);
  });

  it('keeps the existing fields working beside the new ones, and names a bad field', async () => {
    const both = await faults({ rules: [{ service: 'sqs', latencyMs: 1 }], seed: 3, cloudTrail: { rules: [{ eventName: 'ModifyListener', delayRate: 1, delayMs: 10 }] } });
    expect(both.status).toBe(200);
    const bad = await faults({ cloudTrail: { rules: [{ dropRate: 1.5 }] } });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ error: 'ValidationError', message: expect.stringContaining('cloudTrail.rules.0.dropRate') });
  });
});
