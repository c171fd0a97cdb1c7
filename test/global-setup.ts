import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
const BUILT = join(ROOT, 'dist', 'bin', 'elb-watchdog.js');
const SOURCES = ['bin', 'lib', 'lambdas', 'sim', 'package.json'];

function newestSource(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return path.endsWith('.ts') || path.endsWith('.json') ? stat.mtimeMs : 0;
  return Math.max(0, ...readdirSync(path).map((name) => newestSource(join(path, name))));
}

/**
 * The CLI tests run the built binary, as users do (`npx elb-watchdog` runs `dist/`). Rebuild it once
 * per test run when a source is newer than the build, so the tests never run stale code.
 */
export default function globalSetup(): void {
  let built: number;
  try {
    built = statSync(BUILT).mtimeMs;
  } catch {
    built = 0;
  }
  if (Math.max(...SOURCES.map((source) => newestSource(join(ROOT, source)))) > built) {
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  }
}
