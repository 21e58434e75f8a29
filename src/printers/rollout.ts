// What `kubectl rollout` prints: the StatusViewers' progress lines
// (kubectl/pkg/polymorphichelpers/rollout_status.go), the history table and a revision's pod
// template (polymorphichelpers/history.go: DescribePodTemplate through a plain PrefixWriter, so the
// tabs stay as they are).
import type { KObj } from '../api/types.js';
import { describePodTemplate } from './describe/workloads.js';
import { PrefixWriter } from './describe/writer.js';
import { TabWriter } from './tabwriter.js';

export interface RolloutStatus {
  message: string;
  done: boolean;
  /** the viewer's error (printed as `error: …`, exit 1) */
  error?: string;
}

const int = (x: unknown): number => (typeof x === 'number' ? x : Number(x ?? 0) || 0);

function deploymentStatus(d: KObj, revision: number): RolloutStatus {
  const name = d.metadata?.name;
  const st = d.status ?? {};
  if (revision > 0) {
    const text = d.metadata?.annotations?.['deployment.kubernetes.io/revision'];
    const current = text === undefined ? 0 : Number.parseInt(text, 10);
    if (Number.isNaN(current)) return { message: '', done: false, error: `cannot get the revision of deployment "${name}": strconv.ParseInt: parsing "${text}": invalid syntax` };
    if (revision !== current) return { message: '', done: false, error: `desired revision (${revision}) is different from the running revision (${current})` };
  }
  if (int(d.metadata?.generation) <= int(st.observedGeneration)) {
    const progressing = ((st.conditions ?? []) as KObj[]).find((c) => c.type === 'Progressing');
    if (progressing?.reason === 'ProgressDeadlineExceeded') return { message: '', done: false, error: `deployment "${name}" exceeded its progress deadline` };
    const want = d.spec?.replicas;
    const updated = int(st.updatedReplicas);
    if (want !== undefined && want !== null && updated < want) {
      return { message: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${want} new replicas have been updated...\n`, done: false };
    }
    if (int(st.replicas) > updated) {
      return { message: `Waiting for deployment "${name}" rollout to finish: ${int(st.replicas) - updated} old replicas are pending termination...\n`, done: false };
    }
    if (int(st.availableReplicas) < updated) {
      return { message: `Waiting for deployment "${name}" rollout to finish: ${int(st.availableReplicas)} of ${updated} updated replicas are available...\n`, done: false };
    }
    return { message: `deployment "${name}" successfully rolled out\n`, done: true };
  }
  return { message: 'Waiting for deployment spec update to be observed...\n', done: false };
}

function daemonSetStatus(ds: KObj): RolloutStatus {
  const name = ds.metadata?.name;
  const st = ds.status ?? {};
  if ((ds.spec?.updateStrategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') {
    return { message: '', done: true, error: 'rollout status is only available for RollingUpdate strategy type' };
  }
  if (int(ds.metadata?.generation) <= int(st.observedGeneration)) {
    const desired = int(st.desiredNumberScheduled);
    if (int(st.updatedNumberScheduled) < desired) {
      return { message: `Waiting for daemon set "${name}" rollout to finish: ${int(st.updatedNumberScheduled)} out of ${desired} new pods have been updated...\n`, done: false };
    }
    if (int(st.numberAvailable) < desired) {
      return { message: `Waiting for daemon set "${name}" rollout to finish: ${int(st.numberAvailable)} of ${desired} updated pods are available...\n`, done: false };
    }
    return { message: `daemon set "${name}" successfully rolled out\n`, done: true };
  }
  return { message: 'Waiting for daemon set spec update to be observed...\n', done: false };
}

function statefulSetStatus(sts: KObj): RolloutStatus {
  const st = sts.status ?? {};
  const strategy = sts.spec?.updateStrategy ?? {};
  if ((strategy.type ?? 'RollingUpdate') !== 'RollingUpdate') {
    return { message: '', done: true, error: 'rollout status is only available for RollingUpdate strategy type' };
  }
  if (!int(st.observedGeneration) || int(sts.metadata?.generation) > int(st.observedGeneration)) {
    return { message: 'Waiting for statefulset spec update to be observed...\n', done: false };
  }
  const want = sts.spec?.replicas;
  if (want !== undefined && want !== null && int(st.readyReplicas) < want) {
    return { message: `Waiting for ${want - int(st.readyReplicas)} pods to be ready...\n`, done: false };
  }
  if (strategy.rollingUpdate) {
    const partition = strategy.rollingUpdate.partition;
    if (want !== undefined && want !== null && partition !== undefined && partition !== null) {
      if (int(st.updatedReplicas) < want - partition) {
        return { message: `Waiting for partitioned roll out to finish: ${int(st.updatedReplicas)} out of ${want - partition} new pods have been updated...\n`, done: false };
      }
    }
    return { message: `partitioned roll out complete: ${int(st.updatedReplicas)} new pods have been updated...\n`, done: true };
  }
  if (st.updateRevision !== st.currentRevision) {
    return { message: `waiting for statefulset rolling update to complete ${int(st.updatedReplicas)} pods at revision ${st.updateRevision ?? ''}...\n`, done: false };
  }
  return { message: `statefulset rolling update complete ${int(st.currentReplicas)} pods at revision ${st.currentRevision ?? ''}...\n`, done: true };
}

/** The StatusViewer of a kind; undefined when kubectl has none. */
export function rolloutStatus(obj: KObj, revision: number): RolloutStatus | undefined {
  switch (obj.kind) {
    case 'Deployment':
      return deploymentStatus(obj, revision);
    case 'DaemonSet':
      return daemonSetStatus(obj);
    case 'StatefulSet':
      return statefulSetStatus(obj);
    default:
      return undefined;
  }
}

/** `REVISION  CHANGE-CAUSE` table (tabwriter minwidth 0, tabwidth 8, padding 2). */
export function historyTable(rows: { revision: number; changeCause?: string }[]): string {
  const tw = new TabWriter({ minwidth: 0, padding: 2 });
  tw.write('REVISION\tCHANGE-CAUSE\n');
  for (const r of [...rows].sort((a, b) => a.revision - b.revision)) tw.write(`${r.revision}\t${r.changeCause || '<none>'}\n`);
  return tw.flush();
}

/** A PrefixWriter straight onto a buffer (describe.NewPrefixWriter): no column alignment. */
class PlainPrefixWriter extends PrefixWriter {
  private text = '';

  override write(level: number, text: string): void {
    this.text += `${'  '.repeat(level)}${text}`;
  }

  override writeLine(...parts: string[]): void {
    this.text += `${parts.join(' ')}\n`;
  }

  override flush(): void {}

  override toString(): string {
    return this.text;
  }
}

/** printTemplate: `Pod Template:` and the template described, tabs left in. */
export function podTemplateText(template: KObj, now: number): string {
  const w = new PlainPrefixWriter();
  describePodTemplate(template, w, { events: [], now });
  return w.toString();
}
