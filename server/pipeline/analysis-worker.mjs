// Worker-thread entry of analysis-pool.ts. A worker thread does not inherit a test runner's TypeScript
// transform (vitest), so tsx's loader is registered here before the TS task is imported; under `tsx`
// (npm start) this is redundant and harmless.
import { register } from 'tsx/esm/api';

register();
const { default: runAnalysisTask, warmUp } = await import('./analysis-task.ts');
warmUp();
export default runAnalysisTask;
