// dynalite ships no types; this declares the small part we use (a DynamoDB stand-in served over HTTP).
declare module 'dynalite' {
  import type { Server } from 'node:http';

  /** Options of a dynalite server. */
  interface DynaliteOptions {
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
    maxItemSizeKb?: number;
    path?: string;
    ssl?: boolean;
  }

  /** Creates a dynalite HTTP server (not yet listening). */
  function dynalite(options?: DynaliteOptions): Server;
  export = dynalite;
}
