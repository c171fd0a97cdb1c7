import * as z from 'zod';
import { FaultConfigSchema } from '../faults/fault-config';
import { IdentitySpecSchema } from '../front/identity-registry';
import { simRoute, type SimRoute } from '../front/sim-router';
import { TrafficUpdateSchema } from '../traffic/traffic-settings';
import { trafficReport } from '../traffic/traffic-report';
import { WORLD_NAMES } from '../worlds';
import type { StandIn } from './stand-in';

/** `POST /_sim/clock`. @example { "advanceMinutes": 5, "speed": 0 } */
export const ClockUpdateSchema = z
  .object({
    advanceMinutes: z.number().int().min(0).max(7 * 24 * 60).optional(),
    speed: z.number().min(0).max(100_000).optional(),
  })
  .strict();

/** `POST /_sim/reset`. @example { "world": "empty" } */
export const ResetSchema = z.object({ world: z.enum(WORLD_NAMES).optional() }).strict();

/** The `/_sim/*` routes of a stand-in (DESIGN.md's introspection routes plus controls). */
export function simRoutes(standIn: StandIn, health: () => Promise<Record<string, unknown>>): SimRoute[] {
  return [
    simRoute({ method: 'GET', path: '/_sim/health', handle: () => health() }),
    simRoute({
      method: 'GET',
      path: '/_sim/events',
      handle: ({ query }) => {
        const deliveries = standIn.events({ eventName: query.get('eventName') ?? undefined });
        return {
          events: deliveries.map((d) => d.event),
          deliveries: deliveries.map((d) => ({
            id: d.event.id,
            eventName: d.event.detail.eventName,
            eventID: d.event.detail.eventID,
            seq: d.seq,
            status: d.status,
            ...(d.error ? { error: d.error } : {}),
            ...(d.droppedBy ? { droppedBy: d.droppedBy } : {}),
            ...(d.fate ? { fate: d.fate } : {}),
            ...(d.order !== undefined ? { order: d.order, deliveredAt: d.deliveredAt } : {}),
            ...(d.duplicates ? { duplicates: d.duplicates } : {}),
          })),
        };
      },
    }),
    simRoute({ method: 'GET', path: '/_sim/notifications', handle: ({ query }) => ({ notifications: standIn.notifications().filter((n) => !query.get('topicArn') || n.topicArn === query.get('topicArn')) }) }),
    simRoute({ method: 'GET', path: '/_sim/faults', handle: () => standIn.faults.describe() }),
    simRoute({ method: 'POST', path: '/_sim/faults', body: FaultConfigSchema, handle: ({ body }) => standIn.faults.configure(body) }),
    simRoute({ method: 'DELETE', path: '/_sim/faults', handle: () => (standIn.faults.clear(), standIn.faults.describe()) }),
    simRoute({
      method: 'GET',
      path: '/_sim/calls',
      handle: ({ query }) =>
        standIn.calls.list({
          caller: query.get('caller') ?? undefined,
          accessKeyId: query.get('accessKeyId') ?? undefined,
          service: query.get('service') ?? undefined,
          action: query.get('action') ?? undefined,
        }),
    }),
    simRoute({ method: 'DELETE', path: '/_sim/calls', handle: () => (standIn.calls.reset(), standIn.calls.list()) }),
    simRoute({ method: 'GET', path: '/_sim/identities', handle: () => ({ identities: standIn.identities.list() }) }),
    simRoute({ method: 'POST', path: '/_sim/identities', body: IdentitySpecSchema, handle: ({ body }) => standIn.identities.register(body) }),
    simRoute({ method: 'GET', path: '/_sim/clock', handle: () => standIn.clock.describe() }),
    simRoute({
      method: 'POST',
      path: '/_sim/clock',
      body: ClockUpdateSchema,
      handle: async ({ body }) => {
        if (body.speed !== undefined) standIn.clock.setSpeed(body.speed);
        if (body.advanceMinutes) await standIn.clock.advance(body.advanceMinutes);
        return standIn.clock.describe();
      },
    }),
    simRoute({ method: 'GET', path: '/_sim/traffic', handle: () => trafficReport(standIn.traffic) }),
    simRoute({
      method: 'POST',
      path: '/_sim/traffic',
      body: TrafficUpdateSchema,
      handle: async ({ body }) => {
        standIn.traffic.configure(body);
        return { settings: standIn.traffic.getSettings(), ...(await trafficReport(standIn.traffic)) };
      },
    }),
    simRoute({ method: 'POST', path: '/_sim/reset', body: ResetSchema, handle: async ({ body }) => (await standIn.reset(body), { world: standIn.world }) }),
  ];
}
