import type { BackendClients } from '../backend/backend-clients';
import type { TrafficSettings } from '../traffic/traffic-settings';

/** What a world built, for the caller and `GET /_sim/health`. */
export interface WorldInfo {
  readonly name: string;
  /** ARNs and ids by friendly name: `loadBalancer:web`, `targetGroup:web-blue`, `listener:web:80`, `instance:web-1`. */
  readonly resources: Readonly<Record<string, string>>;
}

/** A starting state of the stand-in. */
export interface World {
  readonly name: string;
  readonly description: string;
  /** Traffic defaults of this world (merged under the caller's). */
  readonly traffic: Partial<TrafficSettings>;
  /** Creates the resources in the backend, straight (no CloudTrail events: they predate the watchdog). */
  build(backend: BackendClients): Promise<WorldInfo>;
}
