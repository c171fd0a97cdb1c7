import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HANDLER_BUNDLES_DIR, WATCHDOG_HANDLER_NAMES } from '../../lib/handler-bundles';
import { HANDLER_TAG } from '../../lib/watchdog-function';

/*
 * The package as a user gets it: `npm pack`, installed into a new CDK app in a temporary folder with
 * aws-cdk-lib, constructs and the aws-cdk CLI 2.1148.x (npm's `latest`, 3.x, cannot read the assemblies
 * aws-cdk-lib 2.276 writes), no esbuild anywhere and a `docker` that fails first on PATH; then
 * `cdk synth` of a TypeScript app (ts-node, as `cdk init` sets it up) and of a plain JavaScript one.
 * Slow (an npm install and two synths): `npm run test:fast` leaves this folder out; `npm test` and CI run it.
 */

const ROOT = path.join(__dirname, '..', '..');
const PACKAGE = 'elb-watchdog';

/** The versions this repository is tested with, so the install comes from npm's cache when it can. */
const versionOf = (name: string): string => (JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;

/** What a user's app declares (ts-node as `cdk init app --language typescript` adds it). */
const USER_DEPENDENCIES = ['aws-cdk-lib', 'constructs', 'aws-cdk', 'typescript', '@types/node'].map((name) => `${name}@${versionOf(name)}`).concat('ts-node@^10.9.1');

const APP_TS = `import { App, Stack } from 'aws-cdk-lib';
import { ElbWatchdog, WatchdogScope } from '${PACKAGE}';

const app = new App();
const stack = new Stack(app, 'UserApp');
new ElbWatchdog(stack, 'Watchdog', { mode: 'dry-run', scope: WatchdogScope.byTag('watchdog', 'on'), emailAddresses: ['ops@example.com'] });
app.synth();
`;

const APP_JS = `const { App, Stack } = require('aws-cdk-lib');
const { ElbWatchdog, WatchdogScope } = require('${PACKAGE}');

const app = new App();
const stack = new Stack(app, 'UserApp');
new ElbWatchdog(stack, 'Watchdog', { mode: 'dry-run', scope: WatchdogScope.byTag('watchdog', 'on'), emailAddresses: ['ops@example.com'] });
app.synth();
`;

/** `cdk init`'s TypeScript settings, strict, without skipLibCheck: the package's types must compile as they are. */
const TSCONFIG = {
  compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['es2022'], strict: true, noImplicitReturns: true, types: ['node'] },
  exclude: ['node_modules', 'cdk.out*'],
};

/**
 * The environment of the user's commands: the fake docker first on PATH, then Node.js and the system, none
 * of this repository's node_modules/.bin (where esbuild is), no AWS credentials; npm's network settings
 * pass through.
 */
function userEnvironment(fakeBin: string): NodeJS.ProcessEnv {
  const passed = Object.entries(process.env).filter(([name]) =>
    /^(HOME|USER|TMPDIR|LANG|NODE_EXTRA_CA_CERTS|SSL_CERT_FILE|SSL_CERT_DIR|(HTTPS?|NO)_PROXY|(https?|no)_proxy|npm_config_(registry|cache|userconfig|cafile|strict_ssl))$/.test(name),
  );
  const system = (process.env.PATH ?? '').split(path.delimiter).filter((dir) => dir !== '' && !dir.includes('node_modules'));
  return { ...Object.fromEntries(passed), PATH: [fakeBin, path.dirname(process.execPath), ...system].join(path.delimiter), CDK_DISABLE_CLI_TELEMETRY: 'true', AWS_EC2_METADATA_DISABLED: 'true' };
}

/** Runs a command to completion; its stdout, or an error with the end of its output. */
function run(command: string, args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`${command} ${args.join(' ')} exited ${code}:\n${(stdout + stderr).slice(-4000)}`))));
  });
}

/** The watchdog's functions in a synthesized template: handler name → asset directory. */
function functionAssets(outdir: string): Map<string, string> {
  const template = JSON.parse(fs.readFileSync(path.join(outdir, 'UserApp.template.json'), 'utf8')) as {
    Resources: Record<string, { Type: string; Properties: { Code?: { S3Key?: string }; Tags?: { Key: string; Value: string }[] } }>;
  };
  const assets = new Map<string, string>();
  for (const resource of Object.values(template.Resources)) {
    const handler = resource.Properties.Tags?.find((tag) => tag.Key === HANDLER_TAG)?.Value;
    if (resource.Type !== 'AWS::Lambda::Function' || handler === undefined) continue;
    assets.set(handler, path.join(outdir, `asset.${(resource.Properties.Code?.S3Key ?? '').replace(/\.zip$/, '')}`));
  }
  return assets;
}

/**
 * The files of a directory whose bytes differ from those of another, by name (a file only one has counts):
 * `Buffer.equals`, as jest's `toEqual` on half-megabyte buffers walks them byte by byte (13 s for the five bundles).
 */
function differingFiles(dir: string, expectedDir: string): string[] {
  const names = [...new Set([...fs.readdirSync(dir), ...fs.readdirSync(expectedDir)])].sort();
  const bytes = (file: string): Buffer | undefined => (fs.existsSync(file) ? fs.readFileSync(file) : undefined);
  return names.filter((name) => {
    const [actual, expected] = [bytes(path.join(dir, name)), bytes(path.join(expectedDir, name))];
    return actual === undefined || expected === undefined || !actual.equals(expected);
  });
}

describe('The npm package in a new CDK app (no esbuild, no Docker)', () => {
  let work: string;
  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'elb-watchdog-package-'));
  });
  afterAll(() => {
    if (work !== undefined) fs.rmSync(work, { recursive: true, force: true });
  });

  it('installs from the tarball and synthesizes in TypeScript and in JavaScript with the packaged bundles as the functions\' code', async () => {
    // Prepare: the tarball. jest's global setup built dist/ from the current sources (the files the
    // end-to-end tests ran); --ignore-scripts packs those instead of building them again in `prepare`.
    const fakeBin = path.join(work, 'bin');
    const env = userEnvironment(fakeBin);
    const [packed] = JSON.parse(await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: ROOT, env })) as {
      filename: string;
      files: { path: string }[];
    }[];
    const shipped = packed.files.map((file) => file.path);
    expect(shipped.filter((file) => /(^|\/)(test|fixtures?)\/|\.test\.|(?<!\.d)\.ts$/.test(file))).toEqual([]);
    expect(shipped).toEqual(expect.arrayContaining(WATCHDOG_HANDLER_NAMES.map((name) => `${HANDLER_BUNDLES_DIR}/${name}/index.js`)));

    // Prepare: a new app with the package and what a CDK app has, then no esbuild, and a docker that fails.
    const app = path.join(work, 'app');
    fs.mkdirSync(path.join(app, 'bin'), { recursive: true });
    fs.mkdirSync(fakeBin);
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'user-app', version: '1.0.0', private: true }));
    fs.writeFileSync(path.join(app, 'tsconfig.json'), JSON.stringify(TSCONFIG));
    fs.writeFileSync(path.join(app, 'bin', 'app.ts'), APP_TS);
    fs.writeFileSync(path.join(app, 'app.js'), APP_JS);
    await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', path.join(work, packed.filename), ...USER_DEPENDENCIES], { cwd: app, env });
    for (const leftover of ['node_modules/esbuild', 'node_modules/@esbuild', 'node_modules/.bin/esbuild']) fs.rmSync(path.join(app, leftover), { recursive: true, force: true });
    const dockerCalls = path.join(work, 'docker-calls');
    fs.writeFileSync(path.join(fakeBin, 'docker'), `#!/bin/sh\necho "docker $*" >> '${dockerCalls}'\nexit 1\n`, { mode: 0o755 });
    await expect(run('docker', ['version'], { cwd: app, env })).rejects.toThrow(/exited 1/);
    fs.rmSync(dockerCalls);
    await expect(run(process.execPath, ['-e', "require.resolve('esbuild')"], { cwd: app, env })).rejects.toThrow(/Cannot find module 'esbuild'/);
    expect(JSON.parse(fs.readFileSync(path.join(app, 'node_modules', 'aws-cdk', 'package.json'), 'utf8'))).toMatchObject({ version: expect.stringMatching(/^2\.1148\./) });

    // Act: `cdk synth`, as a user runs it, once per language.
    const cdk = path.join(app, 'node_modules', '.bin', 'cdk');
    const synth = (appCommand: string, outdir: string) => run(cdk, ['synth', '--quiet', '--no-notices', '--app', appCommand, '--output', outdir], { cwd: app, env });
    await synth('npx ts-node --prefer-ts-exts bin/app.ts', 'cdk.out.ts');
    await synth('node app.js', 'cdk.out.js');

    // Assess: five functions in each template, each running the packaged bundle as it is; Docker never ran.
    const packagedBundles = path.join(app, 'node_modules', PACKAGE, HANDLER_BUNDLES_DIR);
    const fromTs = functionAssets(path.join(app, 'cdk.out.ts'));
    const fromJs = functionAssets(path.join(app, 'cdk.out.js'));
    expect([...fromTs.keys()].sort()).toEqual([...WATCHDOG_HANDLER_NAMES].sort());
    expect([...fromJs.keys()].sort()).toEqual([...WATCHDOG_HANDLER_NAMES].sort());
    for (const name of WATCHDOG_HANDLER_NAMES) {
      expect(fs.readdirSync(fromTs.get(name) as string).sort()).toEqual(['index.js', 'index.js.map']);
      expect(differingFiles(fromTs.get(name) as string, path.join(packagedBundles, name))).toEqual([]);
      expect(path.basename(fromJs.get(name) as string)).toBe(path.basename(fromTs.get(name) as string));
      // ... and the bundle the end-to-end tests ran.
      expect(differingFiles(path.join(packagedBundles, name), path.join(ROOT, HANDLER_BUNDLES_DIR, name))).toEqual([]);
    }
    expect(fs.existsSync(dockerCalls)).toBe(false);

    // Assess: a handler loads in Node.js from its asset alone (copied where no node_modules is above it).
    const alone = fs.mkdtempSync(path.join(os.tmpdir(), 'elb-watchdog-asset-'));
    try {
      fs.cpSync(fromJs.get('on-change') as string, alone, { recursive: true });
      const exported = await run(process.execPath, ['-e', "process.stdout.write(typeof require('./index.js').handler)"], { cwd: alone, env: { PATH: env.PATH, AWS_REGION: 'us-east-1' } });
      expect(exported).toBe('function');
    } finally {
      fs.rmSync(alone, { recursive: true, force: true });
    }
  }, 20 * 60_000);
});
