// Worker-thread entry of analysis-pool.ts. In the production build (dist-server/, `npm run build`) the task is
// compiled JavaScript beside this file and is imported as is: no TypeScript loader in the process. From the
// sources, a worker thread does not inherit a test runner's TypeScript transform (vitest), so tsx's loader is
// registered here before the TS task is imported; under `tsx` (npm start) this is redundant and harmless.
import { existsSync } from 'node:fs';

const compiled = new URL('./analysis-task.js', import.meta.url);
let task;
if (existsSync(compiled)) {
  task = await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  task = await import('./analysis-task.ts');
}
const { default: runAnalysisTask, warmUp } = task;
warmUp();
export default runAnalysisTask;
