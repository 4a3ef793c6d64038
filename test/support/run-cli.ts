import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { projectPath } from '../../extractors/util/project-root.js';

const run = promisify(execFile);
const cli = projectPath('dist', 'src', 'cli.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment without REDIS_URL (embedded mode), plus what a test adds. */
export function cliEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { REDIS_URL: _redis, NTM_DB: _db, ...rest } = process.env;
  return { ...rest, ...extra };
}

/** Runs the built `ntm` (npm test builds first) to its end. */
export async function ntm(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], { cwd: projectPath(), env: cliEnvironment(env), maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

/** A long-running `ntm` (a worker, a waiting ingest), with its output collected as it comes. */
export interface RunningCli {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

export function startNtm(args: string[], env: Record<string, string> = {}): RunningCli {
  const child = spawn(process.execPath, [cli, ...args], { cwd: projectPath(), env: cliEnvironment(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** Waits until `check` holds, polling; fails with `what` after `timeoutMs`. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
