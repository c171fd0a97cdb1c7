import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { HANDLER_BUNDLES_DIR, WATCHDOG_HANDLER_NAMES } from '../lib/handler-bundles';

const ROOT = join(__dirname, '..');
/** What `npm run build` makes: the CLI (tsc) and the handler bundles (esbuild). */
const BUILT = [join(ROOT, 'dist', 'bin', 'elb-watchdog.js'), ...WATCHDOG_HANDLER_NAMES.map((name) => join(ROOT, HANDLER_BUNDLES_DIR, name, 'index.js'))];
const SOURCES = ['bin', 'lib', 'lambdas', 'sim', 'package.json'];

function newestSource(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return path.endsWith('.ts') || path.endsWith('.json') ? stat.mtimeMs : 0;
  return Math.max(0, ...readdirSync(path).map((name) => newestSource(join(path, name))));
}

function builtAt(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

/**
 * The tests run what users get: the CLI tests the built binary (`npx elb-watchdog` runs `dist/`), and the
 * construct deploys, and the local runner runs, the prebuilt handler bundles. Rebuild both once per test
 * run when a source is newer than the oldest of them, so no test runs stale code. (CI's `npm ci` builds
 * them already, through `prepare`.)
 */
export default function globalSetup(): void {
  const oldestBuild = Math.min(...BUILT.map(builtAt));
  if (Math.max(...SOURCES.map((source) => newestSource(join(ROOT, source)))) > oldestBuild) {
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  }
}
