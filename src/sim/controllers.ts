// Every controller of the simulated control plane and node, registered with the event loop.
import { registerController } from './engine.js';
import { daemonSetController } from './controllers/daemonset.js';
import { resourceQuotaController } from './controllers/resourcequota.js';
import { deploymentController } from './controllers/deployment.js';
import { replicaSetController } from './controllers/replicaset.js';
import { endpointsController } from './controllers/endpoints.js';
import { endpointSliceController } from './controllers/endpointslices.js';
import { endpointSliceMirroringController } from './controllers/endpointslice-mirroring.js';
import { garbageCollector } from './controllers/gc.js';
import { statefulSetController } from './controllers/statefulset.js';
import { persistentVolumeController } from './controllers/pv-binder.js';
import { ephemeralVolumeController } from './controllers/ephemeral.js';
import { cronJobController } from './controllers/cronjob.js';
import { jobController } from './controllers/job.js';
import { ttlAfterFinishedController } from './controllers/ttl-after-finished.js';
import { nodeHeartbeatController } from './controllers/node-heartbeat.js';
import { hpaController } from './controllers/hpa.js';
import { expireEvents } from './events.js';
import { flushSeries, SERIES_TIMER } from './event-series.js';
import { kubelet } from './kubelet.js';
import { namespaceController } from './namespaces.js';
import { scheduler } from './scheduler.js';

import { registerBriefs } from './briefs.js';

let done = false;

export function registerControllers(): void {
  if (done) return;
  done = true;
  registerBriefs();
  registerController(namespaceController);
  registerController(scheduler);
  registerController(kubelet);
  registerController(garbageCollector);
  registerController(deploymentController);
  registerController(replicaSetController);
  registerController(persistentVolumeController);
  registerController(ephemeralVolumeController);
  registerController(statefulSetController);
  registerController(jobController);
  registerController(cronJobController);
  registerController(ttlAfterFinishedController);
  registerController(daemonSetController);
  registerController(resourceQuotaController);
  registerController(endpointsController);
  registerController(endpointSliceController);
  registerController(endpointSliceMirroringController);
  registerController(nodeHeartbeatController);
  registerController(hpaController);
  registerController({ name: 'event-ttl', afterRun: expireEvents });
  registerController({ name: 'event-series', timers: { [SERIES_TIMER]: flushSeries } });
}
