// The `keyward` bin (tsup adds the shebang). Everything testable lives in run.ts.
import { run } from './run.js';

void run(process.argv.slice(2)).then((status) => {
  process.exitCode = status;
});
