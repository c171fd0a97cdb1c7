/** `2026-05-19T14:02:11.000Z` → `2026-05-19 14:02:11 UTC`: how notifications and the CLI show times. */
export function utc(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC');
}
