import * as path from 'node:path';
import { HANDLER_CODE_ENV, HANDLER_NAMES, handlerModule } from '../../../sim/runner/handler-registry';

/** The module each execution environment of the runner loads: the deployed bundle unless told otherwise. */
describe('Module: sim/runner/handler-registry', () => {
  const before = process.env[HANDLER_CODE_ENV];
  afterEach(() => {
    if (before === undefined) delete process.env[HANDLER_CODE_ENV];
    else process.env[HANDLER_CODE_ENV] = before;
  });

  it('loads the prebuilt bundle by default: the file the construct deploys', () => {
    delete process.env[HANDLER_CODE_ENV];
    for (const name of HANDLER_NAMES) expect(handlerModule(name)).toBe(path.resolve(__dirname, '../../../dist/lambda-bundles', name, 'index.js'));
  });

  it('loads the TypeScript source with ELB_WATCHDOG_HANDLERS=sources', () => {
    process.env[HANDLER_CODE_ENV] = 'sources';
    expect(handlerModule('on-alarm')).toBe(path.resolve(__dirname, '../../../lambdas/handlers/on-alarm.ts'));
  });

  it('refuses a value it does not know, and a handler it does not know', () => {
    process.env[HANDLER_CODE_ENV] = 'bundle';
    expect(() => handlerModule('audit')).toThrow(`${HANDLER_CODE_ENV}=bundle: expected bundles or sources`);
    delete process.env[HANDLER_CODE_ENV];
    expect(() => handlerModule('on-everything')).toThrow('unknown handler on-everything');
  });
});
