import { fromEnv } from '@aws-sdk/credential-provider-env';

/**
 * Takes the place of `@aws-sdk/credential-provider-node` in the Lambda bundles (an esbuild alias in
 * `bin/bundle-handlers.ts`). Lambda gives every function its execution role's credentials in
 * `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime),
 * and the environment is the first link of the default chain, so in Lambda the chain never gets further:
 * its other links (SSO, shared profiles, web identity, container and instance metadata) are ~90 KB of
 * every bundle that never runs. The CLI and the sources keep the full chain.
 */
export function defaultProvider(init: Parameters<typeof fromEnv>[0] = {}): ReturnType<typeof fromEnv> {
  return fromEnv(init);
}
