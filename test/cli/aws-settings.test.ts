import { join } from 'node:path';
import { checkProfile, regionToUse } from '../../bin/commands/aws-settings';
import { UsageError } from '../../bin/commands/exit-codes';
import { CLI_FIXTURES } from './operator-cli';

describe('Module: bin/commands/aws-settings', () => {
  describe('Function: regionToUse', () => {
    // The AWS CLI's order: the command line, then AWS_REGION, then AWS_DEFAULT_REGION, then the profile
    // (an environment variable overrides a profile setting:
    // https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-envvars.html). Undefined leaves the
    // choice to the JS SDK, which reads AWS_REGION and then the profile.
    it.each<[string, string | undefined, NodeJS.ProcessEnv, string | undefined]>([
      ['--region first', 'ap-south-1', { AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'eu-west-1' }, 'ap-south-1'],
      ['AWS_REGION to the SDK', undefined, { AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'eu-west-1' }, undefined],
      ['AWS_DEFAULT_REGION when AWS_REGION is unset', undefined, { AWS_DEFAULT_REGION: 'eu-west-1' }, 'eu-west-1'],
      ['AWS_DEFAULT_REGION when AWS_REGION is empty', undefined, { AWS_REGION: '', AWS_DEFAULT_REGION: 'eu-west-1' }, 'eu-west-1'],
      ['the profile\'s to the SDK when neither is set', undefined, {}, undefined],
      ['an empty AWS_DEFAULT_REGION as unset', undefined, { AWS_DEFAULT_REGION: ' ' }, undefined],
    ])('%s', (_case, option, env, expected) => {
      expect(regionToUse(option, env)).toBe(expected);
    });
  });

  describe('Function: checkProfile', () => {
    const env = { AWS_CONFIG_FILE: join(CLI_FIXTURES, 'aws-config'), AWS_SHARED_CREDENTIALS_FILE: join(CLI_FIXTURES, 'no-such-aws-credentials') };

    it('accepts a profile of the config file, default, or none', async () => {
      await expect(checkProfile('dev', env)).resolves.toBeUndefined();
      await expect(checkProfile('default', { AWS_CONFIG_FILE: join(CLI_FIXTURES, 'no-such-aws-config') })).resolves.toBeUndefined();
      await expect(checkProfile(undefined, env)).resolves.toBeUndefined();
    });

    it('names a profile that is in neither file, and both files', async () => {
      const checked = checkProfile('prod', env);

      await expect(checked).rejects.toBeInstanceOf(UsageError);
      await expect(checked).rejects.toThrow(`profile prod not found in ${env.AWS_CONFIG_FILE} or ${env.AWS_SHARED_CREDENTIALS_FILE}: check --profile and AWS_PROFILE`);
    });
  });
});
