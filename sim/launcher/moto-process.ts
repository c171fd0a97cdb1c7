import { spawn, type ChildProcess } from 'node:child_process';
import { BackendUnavailableError, MOTO_INSTALL_HINT, MotoMissingError, StandInError } from './errors';
import { freePort } from './free-port';
import { waitUntil } from './wait-until';

/** A moto server this process started and owns. */
export interface MotoProcess {
  readonly url: string;
  readonly pid: number;
  /** Ends moto's whole process group; resolves once it has exited. */
  stop(): Promise<void>;
}

/** Options for {@link startMoto}. */
export interface MotoProcessOptions {
  /** Python interpreter. @default `python3` (env `ELB_WATCHDOG_PYTHON` overrides) */
  readonly python?: string;
  /** How long moto may take to answer. @default 30000 */
  readonly startTimeoutMs?: number;
  /** Account moto plays (MOTO_ACCOUNT_ID). @default '123456789012' */
  readonly accountId?: string;
}

// Runs moto.server and exits when the parent goes away, so even a hard-killed Node leaves no orphan.
// moto's EventBridge builds a jsonpath_ng parser (a yacc table) for each of 8 input paths on every event it
// sends to an SQS target: 100-500 ms per delivered CloudTrail event, which made the stand-in deliver a burst
// one event every half second. Parsed expressions are immutable, so caching them changes no answer.
// moto's SQS long poll on a FIFO queue spins while the visible messages all belong to groups in flight: its
// wait returns at once whenever any message is visible, so one poller held a core (and Python's lock, i.e.
// every other moto call) for the whole wait time during a burst. Waiting up to 50 ms, or until a message
// arrives, between looks gives the same answers without the spin.
// moto's DeregisterTargets raises InvalidTarget at the first target that is not registered, after removing the
// ones before it: half applied, and recorded by CloudTrail as failed. AWS: "If the specified target does not
// exist, the action returns successfully" (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DeregisterTargets.html),
// so the others are deregistered and the call succeeds (chaos: two overlapping scale-ins by Auto Scaling).
const BOOTSTRAP = [
  'import functools, os, sys, threading, time',
  'try:',
  '    import jsonpath_ng.ext as jsonpath_ext',
  '    jsonpath_ext.parse = functools.lru_cache(maxsize=512)(jsonpath_ext.parse)',
  'except ImportError:',
  '    pass',
  'try:',
  '    from moto.sqs.models import Queue',
  '    def wait_for_messages(self, timeout):',
  '        with self._messages_lock:',
  '            if self.messages: self._messages_lock.wait(timeout=min(timeout, 0.05))',
  '            else: self._messages_lock.wait_for(lambda: self.messages, timeout=timeout)',
  '    if hasattr(Queue, "wait_for_messages") and hasattr(Queue, "messages"): Queue.wait_for_messages = wait_for_messages',
  'except ImportError:',
  '    pass',
  'try:',
  '    from moto.elbv2.models import FakeTargetGroup',
  '    def deregister(self, targets):',
  '        for target in targets:',
  '            t = self.targets.pop(target["Id"], None)',
  '            if t: self.deregistered_targets[target["Id"]] = t',
  '    if hasattr(FakeTargetGroup, "deregister"): FakeTargetGroup.deregister = deregister',
  'except ImportError:',
  '    pass',
  'parent = os.getppid()',
  'def watch():',
  '    while True:',
  '        time.sleep(0.5)',
  '        if os.getppid() != parent: os._exit(0)',
  'threading.Thread(target=watch, daemon=True).start()',
  'from moto.server import main',
  'main(sys.argv[1:])',
].join('\n');

/** Starts moto on a free loopback port and waits until it answers. */
export async function startMoto(options: MotoProcessOptions = {}): Promise<MotoProcess> {
  const python = options.python ?? process.env.ELB_WATCHDOG_PYTHON ?? 'python3';
  let lastError: Error | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    try {
      return await launch(python, port, options.startTimeoutMs ?? 30_000, options.accountId);
    } catch (error) {
      // Another process may have taken the port between our probe and moto's bind: try another.
      if (!(error instanceof PortTakenError)) throw error;
      lastError = error;
    }
  }
  throw new StandInError('moto could not bind a free port', { cause: lastError });
}

class PortTakenError extends Error {}

async function launch(python: string, port: number, timeoutMs: number, accountId?: string): Promise<MotoProcess> {
  const child = spawn(python, ['-c', BOOTSTRAP, '-H', '127.0.0.1', '-p', String(port)], {
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, PYTHONUNBUFFERED: '1', ...(accountId ? { MOTO_ACCOUNT_ID: accountId } : {}) },
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-8192);
  });
  let failure: Error | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', (error: NodeJS.ErrnoException) => {
      failure =
        error.code === 'ENOENT'
          ? new MotoMissingError(`${python} was not found: install Python 3, then ${MOTO_INSTALL_HINT}`, { cause: error })
          : new StandInError(`could not start ${python}: ${error.message}`, { cause: error });
      resolve();
    });
  });
  child.once('exit', (code) => {
    failure ??= exitFailure(python, code, stderr);
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntil(() => answers(url), {
      timeoutMs,
      abort: () => failure,
      onTimeout: () => new BackendUnavailableError(`moto did not answer on ${url} within ${timeoutMs} ms: ${stderr.trim()}`),
    });
  } catch (error) {
    await stopChild(child, exited);
    throw error;
  }
  return { url, pid: child.pid ?? 0, stop: () => stopChild(child, exited) };
}

function exitFailure(python: string, code: number | null, stderr: string): Error {
  if (/No module named/.test(stderr)) {
    return new MotoMissingError(`moto is not installed for ${python}: ${MOTO_INSTALL_HINT} (${lastLine(stderr)})`);
  }
  if (/Address already in use/i.test(stderr)) return new PortTakenError(lastLine(stderr));
  return new StandInError(`moto exited with code ${code}: ${lastLine(stderr)}`);
}

function lastLine(text: string): string {
  return text.trim().split('\n').pop() ?? '';
}

async function answers(url: string): Promise<true | undefined> {
  const response = await fetch(`${url}/moto-api/`, { signal: AbortSignal.timeout(1000) });
  await response.arrayBuffer();
  return response.ok ? true : undefined;
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  signalGroup(child.pid, 'SIGTERM');
  const timer = setTimeout(() => signalGroup(child.pid ?? 0, 'SIGKILL'), 1500);
  await exited;
  clearTimeout(timer);
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    // moto was started detached: its pid is its process group, which also holds any worker it forked.
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}
