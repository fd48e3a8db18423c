import type { CliIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';

/** Captured output of one in-process `keyward` run. */
export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs `keyward <argv>` in-process with captured streams and the given environment. */
export async function keyward(
  argv: string[],
  env: Record<string, string | undefined> = {},
  clock?: () => number,
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => void (stdout += t.endsWith('\n') ? t : `${t}\n`),
    stderr: (t) => void (stderr += t.endsWith('\n') ? t : `${t}\n`),
    env,
    ...(clock ? { clock } : {}),
  };
  const status = await run(argv, io);
  return { status, stdout, stderr };
}
