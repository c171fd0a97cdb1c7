/**
 * Deadlines in tests are hang guards, never synchronisation (tests wait on conditions). A loaded machine
 * (CI beside other jobs, two busy CPU loops) runs everything several times slower, so every deadline is
 * this many times what an idle machine needs. `TEST_PATIENCE=1` finds hangs sooner while developing.
 */
export const PATIENCE = Number(process.env.TEST_PATIENCE ?? 4);

/** A deadline of `ms` on an idle machine, stretched for a loaded one. */
export function patience(ms: number): number {
  return ms * PATIENCE;
}
