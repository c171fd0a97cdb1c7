import { en } from 'zod/locales';
import type { $ZodType } from 'zod/v4/core';
import { config, ZodMiniCatch, type output } from 'zod/mini';

/**
 * The zod that code reaching a Lambda bundle imports (`import * as z from '../zod'`): `zod/mini`, the
 * functional API over the same core (`z.optional(x)`, `x.check(z.minLength(1))`), which tree-shakes to a
 * fraction of a bundle where classic zod, whose every schema carries every method, costs ~96 KB. Mini
 * loads no messages of its own ("Invalid input"); the English ones classic zod loads are loaded here,
 * once, so every error still says what was expected. Re-exported with `export *`, never as a namespace
 * object: a namespace passed around as a value keeps all of zod (every locale) in the bundle. The
 * CLI-only readers (`core/static`) may keep classic zod: both share one core and one config.
 */
config(en());

export * from 'zod/mini';

/**
 * `z.catch(schema, fallback)` for a fallback function: the same schema (`ZodMiniCatch` with that
 * function as its `catchValue`, exactly what `z.catch` builds for one), without `z.catch` itself, whose
 * branch for constant fallbacks reads `core.util.constantCatch`: a nested namespace no bundler can
 * shake, which keeps every zod utility in every bundle that parses a CloudTrail record (~11 KB).
 */
export function catchWith<T extends $ZodType>(schema: T, fallback: () => output<T>): ZodMiniCatch<T> {
  return new ZodMiniCatch({ type: 'catch', innerType: schema, catchValue: fallback }) as ZodMiniCatch<T>;
}
