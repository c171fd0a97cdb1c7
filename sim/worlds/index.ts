import { demoWorld } from './demo-world';
import { fleetWorld } from './fleet-world';
import { pathRulesWorld } from './path-rules-world';
import type { World } from './world';

/** An account with nothing in it. */
export const emptyWorld: World = {
  name: 'empty',
  description: 'no resources',
  traffic: {},
  build: async () => ({ name: 'empty', resources: {} }),
};

/** Every world by name; the one registry. */
export const WORLDS = {
  demo: demoWorld,
  empty: emptyWorld,
  'rules-10': pathRulesWorld(10),
  'rules-50': pathRulesWorld(50),
  'fleet-20': fleetWorld(20),
} as const satisfies Record<string, World>;

/** A world's name. */
export type WorldName = keyof typeof WORLDS;

/** The names, for CLI choices and schemas. */
export const WORLD_NAMES = Object.keys(WORLDS) as [WorldName, ...WorldName[]];

export type { World, WorldInfo } from './world';
