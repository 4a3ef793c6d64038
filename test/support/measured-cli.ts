import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectPath } from '../../extractors/util/project-root.js';
import { cliEnvironment, type CliResult } from './run-cli.js';

const TIME = '/usr/bin/time';

export interface MeasuredResult extends CliResult {
  /** Peak resident memory of the ntm process, in MiB (GNU time's %M). */
  peakMiB: number;
  seconds: number;
}

/**
 * Runs the built `ntm` as a child process under GNU time, for its peak memory (maximum
 * resident set size) and wall time. Needs /usr/bin/time (Debian package `time`, installed by
 * .ci/run). `options.timeoutMs` kills a run that does not end (a hang is a failure, not a wait).
 */
export function measuredNtm(
  args: string[],
  env: Record<string, string> = {},
  options: { timeoutMs?: number; uid?: number; gid?: number; prlimitFileSize?: number } = {},
): Promise<MeasuredResult> {
  if (!existsSync(TIME)) throw new Error(`${TIME} is missing: install the Debian package "time" (.ci/run does)`);
  const folder = mkdtempSync(join(tmpdir(), 'ntm-time-'));
  const report = join(folder, 'time.txt');
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(
      TIME,
      // prlimit (util-linux) sets RLIMIT_FSIZE: a stand-in for a full disk; Node ignores SIGXFSZ, so writes fail with an error.
      [
        '-f',
        '%M',
        '-o',
        report,
        ...(options.prlimitFileSize ? ['prlimit', `--fsize=${options.prlimitFileSize}`] : []),
        process.execPath,
        projectPath('dist', 'src', 'cli.js'),
        ...args,
      ],
      {
        cwd: projectPath(),
        env: cliEnvironment(env),
        maxBuffer: 64 * 1024 * 1024,
        timeout: options.timeoutMs ?? 120_000,
        killSignal: 'SIGKILL',
        uid: options.uid,
        gid: options.gid,
      },
      (error, stdout, stderr) => {
        const seconds = (Date.now() - started) / 1000;
        const lines = existsSync(report) ? readFileSync(report, 'utf8').trim().split('\n') : [];
        rmSync(folder, { recursive: true, force: true });
        // GNU time prefixes "Command exited with non-zero status N" when the command fails.
        const peakKiB = Number(lines.at(-1));
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr, peakMiB: peakKiB / 1024, seconds });
      },
    );
  });
}
