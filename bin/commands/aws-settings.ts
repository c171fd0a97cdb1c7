import * as os from 'node:os';
import * as path from 'node:path';
import { loadSharedConfigFiles } from '@smithy/core/config';
import { UsageError } from './exit-codes';

/** A setting given as an empty string counts as not given. */
const nonEmpty = (value: string | undefined): string | undefined => (value === undefined || value.trim() === '' ? undefined : value);

/**
 * The Region to give the SDK clients, when the command has to choose one: `--region`, else
 * `AWS_DEFAULT_REGION` when `AWS_REGION` is unset. The JS SDK reads `AWS_REGION` and then the profile's
 * `region`; the AWS CLI and most tools of the ecosystem also read `AWS_DEFAULT_REGION`, after
 * `AWS_REGION` and before the profile, since an environment variable overrides a profile setting
 * (https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-envvars.html). Undefined: the SDK decides.
 */
export function regionToUse(option: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return nonEmpty(option) ?? (nonEmpty(env.AWS_REGION) === undefined ? nonEmpty(env.AWS_DEFAULT_REGION) : undefined);
}

/** Where the shared config and credentials files are (the SDK's and the AWS CLI's variables). */
function sharedFiles(env: NodeJS.ProcessEnv): { config: string; credentials: string } {
  return {
    config: nonEmpty(env.AWS_CONFIG_FILE) ?? path.join(os.homedir(), '.aws', 'config'),
    credentials: nonEmpty(env.AWS_SHARED_CREDENTIALS_FILE) ?? path.join(os.homedir(), '.aws', 'credentials'),
  };
}

/**
 * Checks that a named profile exists in the shared config or credentials file, read with the SDK's own
 * parser. Without it, a mistyped `--profile` surfaces as "no AWS Region" or "no AWS credentials" (the
 * SDK finds neither in a profile that is not there), which names neither the profile nor the fix.
 * `default` may be absent (the SDK then uses the environment), as for the AWS CLI.
 */
export async function checkProfile(profile: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const name = nonEmpty(profile);
  if (name === undefined || name === 'default') return;
  const files = sharedFiles(env);
  const { configFile, credentialsFile } = await loadSharedConfigFiles({ filepath: files.credentials, configFilepath: files.config });
  if (configFile[name] !== undefined || credentialsFile[name] !== undefined) return;
  throw new UsageError(`profile ${name} not found in ${files.config} or ${files.credentials}: check --profile and AWS_PROFILE (aws configure list-profiles)`);
}
