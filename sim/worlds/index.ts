import { demoWorld } from './demo-world';
import type { World } from './world';

/** An account with nothing in it. */
export const emptyWorld: World = {
  name: 'empty',
  description: 'no resources',
  traffic: {},
  build: async () => ({ name: 'empty', resources: {} }),
};

/** Every world by name; the one registry. */
export const WORLDS = { demo: demoWorld, empty: emptyWorld } as const satisfies Record<string, World>;

/** A world's name. */
export type WorldName = keyof typeof WORLDS;

/** The names, for CLI choices and schemas. */
export const WORLD_NAMES = Object.keys(WORLDS) as [WorldName, ...WorldName[]];

export type { World, WorldInfo } from './world';
