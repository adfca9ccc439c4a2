/** `npm run bench`: every benchmark, printed one after another (figures, never assertions). */
import { runIngestionBench } from './ingestion.ts';
import { runDeliveryBench } from './delivery.ts';
import { runAnalysisBench } from './analysis.ts';
import { runSidebarBench } from './sidebar.ts';
import { runEvaluateBench } from './evaluate.ts';
import { runReplicasBench } from './replicas.ts';
import { runInsightsBench } from './insights.ts';

const benches: Array<[string, () => Promise<string>]> = [
  ['analysis', runAnalysisBench],
  ['ingestion', runIngestionBench],
  ['delivery', runDeliveryBench],
  ['sidebar', runSidebarBench],
  ['evaluate', runEvaluateBench],
  ['replicas', runReplicasBench],
  ['insights', runInsightsBench],
];
const only = process.argv.slice(2);
console.log(`baton bench — node ${process.version}, ${new Date().toISOString()}`);
for (const [name, bench] of benches) {
  if (only.length && !only.includes(name)) continue;
  console.log(`\n== ${name}`);
  try {
    console.log(await bench());
  } catch (err) {
    console.log(`  failed: ${(err as Error).message}`);
    process.exitCode = 1;
  }
}
