// The brief copies the store keeps beside a record's shards (segments.ts registerBrief): each pod as
// its table reads it. Registered by the simulation before it saves, and by readers that list names
// without running it (Tab completion).
import { podBrief, POD_BRIEF_VERSION } from '../printers/tables/pods.js';
import { registerBrief } from '../store/segments.js';

export function registerBriefs(): void {
  // every save of a pods shard also writes its pods as their table reads them (get pods reads those)
  registerBrief('pods', POD_BRIEF_VERSION, podBrief as (v: unknown) => unknown);
}
