import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import * as z from 'zod';

/**
 * Runs a composite action's steps as the GitHub Actions runner does, with no runner and no network:
 * - the metadata is action.yml (https://docs.github.com/en/actions/reference/workflows-and-actions/metadata-syntax):
 *   `runs.using: composite`, steps with `run` and a required `shell`;
 * - inputs take the `with:` value or their `default`; a composite action's steps get no `INPUT_*`
 *   variables of their own (https://github.com/actions/runner/issues/665), only what their `env:` maps,
 *   where the runner evaluates `${{ inputs.x }}` and `${{ steps.id.outputs.y }}`;
 * - `shell: bash` runs the script file as `bash --noprofile --norc -eo pipefail {0}` in the workspace
 *   (https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-syntax#jobsjob_idstepsshell);
 * - steps write outputs to the file `$GITHUB_OUTPUT` names (`name=value`, or `name<<DELIM` … `DELIM`),
 *   and the step summary to `$GITHUB_STEP_SUMMARY`; `$GITHUB_ACTION_PATH` is the action's folder.
 * An expression this runner does not know, a `uses:` step or an expression inside a script is an error:
 * the action must stay within what is tested here.
 */

const StepSchema = z.strictObject({
  id: z.string().optional(),
  name: z.string().optional(),
  shell: z.literal('bash'),
  env: z.record(z.string(), z.string()).optional(),
  run: z.string(),
});

const ActionSchema = z.looseObject({
  name: z.string(),
  description: z.string(),
  inputs: z.record(z.string(), z.looseObject({ description: z.string(), required: z.boolean().optional(), default: z.string().optional() })).default({}),
  outputs: z.record(z.string(), z.looseObject({ description: z.string(), value: z.string() })).default({}),
  runs: z.strictObject({ using: z.literal('composite'), steps: z.array(StepSchema).min(1) }),
});
/** A composite action's metadata, as this runner accepts it. */
export type CompositeAction = z.infer<typeof ActionSchema>;

/** Reads and validates action.yml. */
export function readAction(file: string): CompositeAction {
  return ActionSchema.parse(parseYaml(fs.readFileSync(file, 'utf8')));
}

/** What one run of the action did. */
export interface ActionRun {
  /** 0 when every step succeeded, else the exit code of the step that failed (the runner stops there). */
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly outputs: Readonly<Record<string, string>>;
  readonly summary: string;
  /** The id (or index) of each step that ran, with its exit code. */
  readonly steps: readonly { readonly id: string; readonly code: number }[];
}

/** Options of `runCompositeAction`. */
export interface RunOptions {
  /** `with:` of the workflow step. */
  readonly inputs: Readonly<Record<string, string>>;
  /** The checked-out repository the job runs in. */
  readonly workspace: string;
  /** Scratch space for the runner (`RUNNER_TEMP`, output files). */
  readonly temp: string;
  readonly timeoutMs?: number;
}

function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i];
    const multi = /^([^=<]+)<<(.+)$/.exec(line);
    if (multi !== null) {
      const end = lines.indexOf(multi[2], i + 1);
      if (end < 0) throw new Error(`output ${multi[1]}: no closing ${multi[2]}`);
      outputs[multi[1]] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (line.includes('=')) {
      outputs[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return outputs;
}

function runBash(script: string, env: NodeJS.ProcessEnv, cwd: string, timeoutMs: number): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`step ${script} did not finish in ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, stdout, stderr });
    });
  });
}

/** Runs the action in `actionDir` (its action.yml) as a workflow step `uses: ./` with `options.inputs`. */
export async function runCompositeAction(actionDir: string, options: RunOptions): Promise<ActionRun> {
  const action = readAction(path.join(actionDir, 'action.yml'));
  for (const name of Object.keys(options.inputs)) if (!(name in action.inputs)) throw new Error(`unexpected input ${name}`);
  const inputs = Object.fromEntries(Object.entries(action.inputs).map(([name, spec]) => [name, options.inputs[name] ?? spec.default ?? '']));
  const stepOutputs: Record<string, Record<string, string>> = {};
  const context = { 'github.action_path': actionDir, 'github.workspace': options.workspace, 'runner.temp': options.temp };
  const evaluate = (text: string): string =>
    text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expression: string) => {
      const input = /^inputs\.([A-Za-z0-9_-]+)$/.exec(expression);
      if (input !== null) {
        if (!(input[1] in inputs)) throw new Error(`\${{ ${expression} }}: no such input`);
        return inputs[input[1]];
      }
      const step = /^steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)$/.exec(expression);
      if (step !== null) return stepOutputs[step[1]]?.[step[2]] ?? '';
      if (expression in context) return context[expression as keyof typeof context];
      throw new Error(`\${{ ${expression} }}: an expression this runner does not evaluate`);
    });

  const base: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('GITHUB_') && !key.startsWith('INPUT_') && !key.startsWith('RUNNER_')));
  const summary = path.join(options.temp, 'step-summary.md');
  fs.writeFileSync(summary, '');
  let stdout = '';
  let stderr = '';
  const steps: { id: string; code: number }[] = [];
  for (const [i, step] of action.runs.steps.entries()) {
    if (step.run.includes('${{')) throw new Error(`step ${step.id ?? i}: an expression inside run: (map it through env:)`);
    const id = step.id ?? String(i);
    const output = path.join(options.temp, `output-${id}`);
    const script = path.join(options.temp, `step-${id}.sh`);
    fs.writeFileSync(output, '');
    fs.writeFileSync(script, step.run);
    const env = {
      ...base,
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_ACTION_PATH: actionDir,
      GITHUB_WORKSPACE: options.workspace,
      GITHUB_OUTPUT: output,
      GITHUB_STEP_SUMMARY: summary,
      RUNNER_TEMP: options.temp,
      ...Object.fromEntries(Object.entries(step.env ?? {}).map(([key, value]) => [key, evaluate(value)])),
    };
    const result = await runBash(script, env, options.workspace, options.timeoutMs ?? 120_000);
    stdout += result.stdout;
    stderr += result.stderr;
    stepOutputs[id] = parseOutputs(fs.readFileSync(output, 'utf8'));
    steps.push({ id, code: result.code });
    if (result.code !== 0) break;
  }
  // Outputs a step wrote before it failed are still its outputs.
  const outputs = Object.fromEntries(Object.entries(action.outputs).map(([name, spec]) => [name, evaluate(spec.value)]));
  const failed = steps.find((s) => s.code !== 0);
  return { code: failed?.code ?? 0, stdout, stderr, outputs, summary: fs.readFileSync(summary, 'utf8'), steps };
}
