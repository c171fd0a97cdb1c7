import { ENV, type LogLevel } from '../../lambdas/core/config/watchdog-environment';
import type { DeployedResources } from './deploy-template';
import type { TemplateFunction } from './template-model';

/** Where the function runs and what the runner adds to its settings. */
export interface LambdaEnvironmentOptions {
  /** The stand-in's URL: every SDK client of the function goes there (`AWS_ENDPOINT_URL`). */
  readonly endpoint: string;
  readonly region: string;
  /** The handlers' log level (`WATCHDOG_LOG_LEVEL`). @default 'SILENT' */
  readonly logLevel?: LogLevel;
  /** Settings over the template's, e.g. `{ AWS_MAX_ATTEMPTS: '2' }`. */
  readonly extra?: Readonly<Record<string, string>>;
}

/**
 * A function's `process.env` as Lambda builds it: the template's variables with their intrinsics resolved
 * against what was deployed, plus what Lambda adds (Region, function name, memory) and the stand-in's
 * endpoint. Credentials are each environment's own (the runner adds the access key per environment).
 */
export function lambdaEnvironment(fn: TemplateFunction, resources: DeployedResources, options: LambdaEnvironmentOptions): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(fn.environment)) env[name] = resources.resolve(value);
  return {
    ...env,
    AWS_ENDPOINT_URL: options.endpoint,
    AWS_REGION: options.region,
    AWS_DEFAULT_REGION: options.region,
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_LAMBDA_FUNCTION_NAME: fn.logicalId,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
    // The test process's stdout is no log group: metrics would be noise, and logs are asked for.
    [ENV.metricsDisabled]: 'true',
    [ENV.logLevel]: options.logLevel ?? 'SILENT',
    // The runtime Lambda runs is newer than this machine's Node; its SDK says nothing about Node's age.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...options.extra,
  };
}
