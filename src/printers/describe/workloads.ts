// describe deployment, replicaset, statefulset, daemonset, job, cronjob (+ the pod template).

import { equalIgnoreHash } from '../../api/pod-template.js';
import type { KObj } from '../../api/types.js';
import { humanDuration, parseTime } from '../duration.js';
import { canonicalQuantity } from '../quantity.js';
import { formatLabels, formatLabelSelector, labelSelectorString } from '../tables/common.js';
import { boolPtr } from '../tables/common.js';
import { controllerOf, d, maybeEvents, printAnnotationsMultiline, printLabelsMultiline, printTolerationsMultiline, timeText, v, type DescribeContext } from './common.js';
import { describeContainers } from './containers.js';
import { describeVolumes } from './volumes.js';
import { LEVEL_0, LEVEL_1, tabbedString, type Writer } from './writer.js';
import { describeTopologySpreadConstraints } from './pod.js';
import { ageOf } from '../duration.js';

/** Does a label set match a LabelSelector (matchLabels + matchExpressions)? nil selects nothing. */
export function selectorMatches(sel: KObj | undefined | null, labels: Record<string, string> | undefined): boolean {
  if (!sel) return false;
  const l = labels ?? {};
  for (const [k, val] of Object.entries(sel.matchLabels ?? {})) if (l[k] !== val) return false;
  for (const e of (sel.matchExpressions ?? []) as KObj[]) {
    const has = Object.prototype.hasOwnProperty.call(l, e.key);
    const vals = ((e.values ?? []) as string[]).map(String);
    if (e.operator === 'In' && !(has && vals.includes(l[e.key]))) return false;
    if (e.operator === 'NotIn' && has && vals.includes(l[e.key])) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

const controlledBy = (o: KObj, owner: KObj) => ((o.metadata?.ownerReferences ?? []) as KObj[]).some((r) => r.controller === true && r.uid === owner.metadata?.uid);

/** Running / Waiting / Succeeded / Failed counts of the pods a controller owns. */
function podCounts(owner: KObj, sel: KObj | undefined, ctx: DescribeContext): string {
  const counts: Record<string, number> = { Running: 0, Pending: 0, Succeeded: 0, Failed: 0 };
  for (const p of ctx.related?.pods ?? []) {
    if ((p.metadata?.namespace ?? '') !== (owner.metadata?.namespace ?? '')) continue;
    if (!selectorMatches(sel, p.metadata?.labels) || !controlledBy(p, owner)) continue;
    const phase = p.status?.phase;
    if (phase in counts) counts[phase]++;
  }
  return `${counts.Running} Running / ${counts.Pending} Waiting / ${counts.Succeeded} Succeeded / ${counts.Failed} Failed`;
}

/** DescribePodTemplate: `Pod Template:` with containers, volumes, node selectors, tolerations. */
export function describePodTemplate(tpl: KObj | undefined, w: Writer, ctx: DescribeContext): void {
  w.write(LEVEL_0, 'Pod Template:\n');
  if (!tpl) {
    w.write(LEVEL_1, '<unset>');
    return;
  }
  const spec = tpl.spec ?? {};
  printLabelsMultiline(w, '  Labels', tpl.metadata?.labels);
  if (Object.keys(tpl.metadata?.annotations ?? {}).length) printAnnotationsMultiline(w, '  Annotations', tpl.metadata.annotations);
  if (spec.serviceAccountName) w.write(LEVEL_1, `Service Account:\t${v(spec.serviceAccountName)}\n`);
  if ((spec.initContainers ?? []).length) describeContainers('Init Containers', spec.initContainers, undefined, undefined, w, '  ');
  describeContainers('Containers', spec.containers ?? [], undefined, undefined, w, '  ');
  describeVolumes(spec.volumes, w, '  ', ctx.now, (ts) => ageOf(typeof ts === 'string' ? ts : undefined, ctx.now));
  describeTopologySpreadConstraints(spec.topologySpreadConstraints, w, '  ');
  if (spec.priorityClassName) w.write(LEVEL_1, `Priority Class Name:\t${v(spec.priorityClassName)}\n`);
  printLabelsMultiline(w, '  Node-Selectors', spec.nodeSelector);
  printTolerationsMultiline(w, '  Tolerations', spec.tolerations);
}

function conditionsTable(conds: KObj[] | undefined, w: Writer): void {
  if (!(conds ?? []).length) return;
  w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\tReason\n');
  w.write(LEVEL_1, '----\t------\t------\n');
  for (const c of conds as KObj[]) w.write(LEVEL_1, `${v(c.type)} \t${v(c.status)}\t${v(c.reason)}\n`);
}


const intOrString = (x: unknown) => (typeof x === 'number' ? String(x) : v(x));

export function describeDeployment(dep: KObj, ctx: DescribeContext): string {
  const spec = dep.spec ?? {};
  const st = dep.status ?? {};
  const owned = (ctx.related?.replicasets ?? [])
    .filter((rs) => (rs.metadata?.namespace ?? '') === (dep.metadata?.namespace ?? '') && selectorMatches(spec.selector, rs.metadata?.labels) && controlledBy(rs, dep))
    .sort((a, b) => {
      const ta = parseTime(a.metadata?.creationTimestamp) ?? 0;
      const tb = parseTime(b.metadata?.creationTimestamp) ?? 0;
      return ta !== tb ? ta - tb : v(a.metadata?.name) < v(b.metadata?.name) ? -1 : 1;
    });
  const newRS = owned.find((rs) => equalIgnoreHash(rs.spec?.template, spec.template));
  // kubectl 1.32's describer takes FindOldReplicaSets' second list: every old ReplicaSet, those scaled
  // to 0 too, in the API's (name) order
  const oldRSs = owned
    .filter((rs) => rs !== newRS)
    .sort((a, b) => (v(a.metadata?.name) < v(b.metadata?.name) ? -1 : 1));
  const rsList = (l: KObj[]) => l.map((rs) => `${v(rs.metadata?.name)} (${d(rs.status?.replicas)}/${d(rs.spec?.replicas)} replicas created)`).join(', ') || '<none>';
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${v(dep.metadata?.name)}\n`);
    w.write(LEVEL_0, `Namespace:\t${v(dep.metadata?.namespace)}\n`);
    w.write(LEVEL_0, `CreationTimestamp:\t${timeText(dep.metadata?.creationTimestamp)}\n`);
    printLabelsMultiline(w, 'Labels', dep.metadata?.labels);
    printAnnotationsMultiline(w, 'Annotations', dep.metadata?.annotations);
    w.write(LEVEL_0, `Selector:\t${labelSelectorString(spec.selector)}\n`);
    w.write(LEVEL_0, `Replicas:\t${d(spec.replicas)} desired | ${d(st.updatedReplicas)} updated | ${d(st.replicas)} total | ${d(st.availableReplicas)} available | ${d(st.unavailableReplicas)} unavailable\n`);
    w.write(LEVEL_0, `StrategyType:\t${v(spec.strategy?.type)}\n`);
    w.write(LEVEL_0, `MinReadySeconds:\t${d(spec.minReadySeconds)}\n`);
    const ru = spec.strategy?.rollingUpdate;
    if (ru) w.write(LEVEL_0, `RollingUpdateStrategy:\t${ru.maxUnavailable === undefined || ru.maxUnavailable === null ? '<nil>' : intOrString(ru.maxUnavailable)} max unavailable, ${ru.maxSurge === undefined || ru.maxSurge === null ? '<nil>' : intOrString(ru.maxSurge)} max surge\n`);
    describePodTemplate(spec.template, w, ctx);
    conditionsTable(st.conditions, w);
    // kubectl 1.32 prints both lines only when the deployment has an old or a new ReplicaSet
    if (oldRSs.length || newRS) {
      w.write(LEVEL_0, `OldReplicaSets:\t${rsList(oldRSs)}\n`);
      w.write(LEVEL_0, `NewReplicaSet:\t${rsList(newRS ? [newRS] : [])}\n`);
    }
    maybeEvents(ctx, w);
  });
}

export function describeReplicaSet(rs: KObj, ctx: DescribeContext): string {
  const spec = rs.spec ?? {};
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${v(rs.metadata?.name)}\n`);
    w.write(LEVEL_0, `Namespace:\t${v(rs.metadata?.namespace)}\n`);
    w.write(LEVEL_0, `Selector:\t${formatLabelSelector(spec.selector)}\n`);
    printLabelsMultiline(w, 'Labels', rs.metadata?.labels);
    printAnnotationsMultiline(w, 'Annotations', rs.metadata?.annotations);
    const c = controllerOf(rs);
    if (c) w.write(LEVEL_0, `Controlled By:\t${c}\n`);
    w.write(LEVEL_0, `Replicas:\t${d(rs.status?.replicas)} current / ${d(spec.replicas)} desired\n`);
    w.write(LEVEL_0, 'Pods Status:\t');
    w.write(LEVEL_0, `${podCounts(rs, spec.selector, ctx)}\n`);
    describePodTemplate(spec.template, w, ctx);
    conditionsTable(rs.status?.conditions, w);
    maybeEvents(ctx, w);
  });
}

export function describeStatefulSet(sts: KObj, ctx: DescribeContext): string {
  const spec = sts.spec ?? {};
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${v(sts.metadata?.name)}\n`);
    w.write(LEVEL_0, `Namespace:\t${v(sts.metadata?.namespace)}\n`);
    w.write(LEVEL_0, `CreationTimestamp:\t${timeText(sts.metadata?.creationTimestamp)}\n`);
    w.write(LEVEL_0, `Selector:\t${labelSelectorString(spec.selector)}\n`);
    printLabelsMultiline(w, 'Labels', sts.metadata?.labels);
    printAnnotationsMultiline(w, 'Annotations', sts.metadata?.annotations);
    w.write(LEVEL_0, `Replicas:\t${d(spec.replicas)} desired | ${d(sts.status?.replicas)} total\n`);
    w.write(LEVEL_0, `Update Strategy:\t${v(spec.updateStrategy?.type)}\n`);
    const ru = spec.updateStrategy?.rollingUpdate;
    if (ru && ru.partition !== undefined && ru.partition !== null) {
      w.write(LEVEL_1, `Partition:\t${d(ru.partition)}\n`);
      if (ru.maxUnavailable !== undefined && ru.maxUnavailable !== null) w.write(LEVEL_1, `MaxUnavailable:\t${intOrString(ru.maxUnavailable)}\n`);
    }
    w.write(LEVEL_0, `Pods Status:\t${podCounts(sts, spec.selector, ctx)}\n`);
    describePodTemplate(spec.template, w, ctx);
    const vcts = (spec.volumeClaimTemplates ?? []) as KObj[];
    if (!vcts.length) w.write(LEVEL_0, 'Volume Claims:\t<none>\n');
    else {
      w.write(LEVEL_0, 'Volume Claims:\n');
      for (const pvc of vcts) {
        const ann = pvc.metadata?.annotations ?? {};
        w.write(LEVEL_1, `Name:\t${v(pvc.metadata?.name)}\n`);
        w.write(LEVEL_1, `StorageClass:\t${'volume.beta.kubernetes.io/storage-class' in ann ? ann['volume.beta.kubernetes.io/storage-class'] : v(pvc.spec?.storageClassName)}\n`);
        printLabelsMultiline(w, 'Labels', pvc.metadata?.labels, '  ');
        printLabelsMultiline(w, 'Annotations', pvc.metadata?.annotations, '  ');
        const cap = pvc.spec?.resources?.requests?.storage;
        w.write(LEVEL_1, `Capacity:\t${cap !== undefined ? canonicalQuantity(cap) : '<default>'}\n`);
        w.write(LEVEL_1, `Access Modes:\t[${((pvc.spec?.accessModes ?? []) as unknown[]).map(v).join(' ')}]\n`);
      }
    }
    maybeEvents(ctx, w);
  });
}

export function describeDaemonSet(ds: KObj, ctx: DescribeContext): string {
  const spec = ds.spec ?? {};
  const st = ds.status ?? {};
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${v(ds.metadata?.name)}\n`);
    w.write(LEVEL_0, `Selector:\t${labelSelectorString(spec.selector)}\n`);
    w.write(LEVEL_0, `Node-Selector:\t${formatLabels(spec.template?.spec?.nodeSelector)}\n`);
    printLabelsMultiline(w, 'Labels', ds.metadata?.labels);
    printAnnotationsMultiline(w, 'Annotations', ds.metadata?.annotations);
    w.write(LEVEL_0, `Desired Number of Nodes Scheduled: ${d(st.desiredNumberScheduled)}\n`);
    w.write(LEVEL_0, `Current Number of Nodes Scheduled: ${d(st.currentNumberScheduled)}\n`);
    w.write(LEVEL_0, `Number of Nodes Scheduled with Up-to-date Pods: ${d(st.updatedNumberScheduled)}\n`);
    w.write(LEVEL_0, `Number of Nodes Scheduled with Available Pods: ${d(st.numberAvailable)}\n`);
    w.write(LEVEL_0, `Number of Nodes Misscheduled: ${d(st.numberMisscheduled)}\n`);
    w.write(LEVEL_0, `Pods Status:\t${podCounts(ds, spec.selector, ctx)}\n`);
    describePodTemplate(spec.template, w, ctx);
    maybeEvents(ctx, w);
  });
}

const set = (x: unknown) => x !== undefined && x !== null;

export function describeJob(job: KObj, ctx: DescribeContext): string {
  const spec = job.spec ?? {};
  const st = job.status ?? {};
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${v(job.metadata?.name)}\n`);
    w.write(LEVEL_0, `Namespace:\t${v(job.metadata?.namespace)}\n`);
    w.write(LEVEL_0, `Selector:\t${labelSelectorString(spec.selector)}\n`);
    printLabelsMultiline(w, 'Labels', job.metadata?.labels);
    printAnnotationsMultiline(w, 'Annotations', job.metadata?.annotations);
    const c = controllerOf(job);
    if (c) w.write(LEVEL_0, `Controlled By:\t${c}\n`);
    if (set(spec.parallelism)) w.write(LEVEL_0, `Parallelism:\t${d(spec.parallelism)}\n`);
    w.write(LEVEL_0, `Completions:\t${set(spec.completions) ? d(spec.completions) : '<unset>'}\n`);
    if (set(spec.completionMode)) w.write(LEVEL_0, `Completion Mode:\t${v(spec.completionMode)}\n`);
    if (set(spec.suspend)) w.write(LEVEL_0, `Suspend:\t${spec.suspend ? 'true' : 'false'}\n`);
    if (set(spec.backoffLimit)) w.write(LEVEL_0, `Backoff Limit:\t${d(spec.backoffLimit)}\n`);
    if (set(spec.ttlSecondsAfterFinished)) w.write(LEVEL_0, `TTL Seconds After Finished:\t${d(spec.ttlSecondsAfterFinished)}\n`);
    if (st.startTime) w.write(LEVEL_0, `Start Time:\t${timeText(st.startTime)}\n`);
    if (st.completionTime) w.write(LEVEL_0, `Completed At:\t${timeText(st.completionTime)}\n`);
    if (st.startTime && st.completionTime) w.write(LEVEL_0, `Duration:\t${humanDuration((parseTime(st.completionTime) ?? 0) - (parseTime(st.startTime) ?? 0))}\n`);
    if (set(spec.activeDeadlineSeconds)) w.write(LEVEL_0, `Active Deadline Seconds:\t${d(spec.activeDeadlineSeconds)}s\n`);
    if (!set(st.ready)) w.write(LEVEL_0, `Pods Statuses:\t${d(st.active)} Active / ${d(st.succeeded)} Succeeded / ${d(st.failed)} Failed\n`);
    else w.write(LEVEL_0, `Pods Statuses:\t${d(st.active)} Active (${d(st.ready)} Ready) / ${d(st.succeeded)} Succeeded / ${d(st.failed)} Failed\n`);
    if (spec.completionMode === 'Indexed') {
      const idx = v(st.completedIndexes);
      let text = '<none>';
      if (idx) {
        let ix = 50;
        while (ix < idx.length && idx[ix] !== ',') ix++;
        text = ix >= idx.length ? idx : `${idx.slice(0, ix + 1)}...`;
      }
      w.write(LEVEL_0, `Completed Indexes:\t${text}\n`);
    }
    describePodTemplate(spec.template, w, ctx);
    maybeEvents(ctx, w);
  });
}

export function describeCronJob(cj: KObj, ctx: DescribeContext): string {
  const spec = cj.spec ?? {};
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${v(cj.metadata?.name)}\n`);
    w.write(LEVEL_0, `Namespace:\t${v(cj.metadata?.namespace)}\n`);
    printLabelsMultiline(w, 'Labels', cj.metadata?.labels);
    printAnnotationsMultiline(w, 'Annotations', cj.metadata?.annotations);
    w.write(LEVEL_0, `Schedule:\t${v(spec.schedule)}\n`);
    w.write(LEVEL_0, `Concurrency Policy:\t${v(spec.concurrencyPolicy)}\n`);
    w.write(LEVEL_0, `Suspend:\t${boolPtr(spec.suspend)}\n`);
    w.write(LEVEL_0, `Successful Job History Limit:\t${set(spec.successfulJobsHistoryLimit) ? d(spec.successfulJobsHistoryLimit) : '<unset>'}\n`);
    w.write(LEVEL_0, `Failed Job History Limit:\t${set(spec.failedJobsHistoryLimit) ? d(spec.failedJobsHistoryLimit) : '<unset>'}\n`);
    w.write(LEVEL_0, `Starting Deadline Seconds:\t${set(spec.startingDeadlineSeconds) ? `${d(spec.startingDeadlineSeconds)}s` : '<unset>'}\n`);
    const jt = spec.jobTemplate?.spec ?? {};
    w.write(LEVEL_0, `Selector:\t${jt.selector ? labelSelectorString(jt.selector) : '<unset>'}\n`);
    w.write(LEVEL_0, `Parallelism:\t${set(jt.parallelism) ? d(jt.parallelism) : '<unset>'}\n`);
    w.write(LEVEL_0, `Completions:\t${set(jt.completions) ? d(jt.completions) : '<unset>'}\n`);
    if (set(jt.activeDeadlineSeconds)) w.write(LEVEL_0, `Active Deadline Seconds:\t${d(jt.activeDeadlineSeconds)}s\n`);
    describePodTemplate(jt.template, w, ctx);
    w.write(LEVEL_0, `Last Schedule Time:\t${cj.status?.lastScheduleTime ? timeText(cj.status.lastScheduleTime) : '<unset>'}\n`);
    w.write(LEVEL_0, 'Active Jobs:\t');
    const active = (cj.status?.active ?? []) as KObj[];
    if (!active.length) w.writeLine('<none>');
    else {
      active.forEach((j, i) => {
        if (i !== 0) w.write(LEVEL_0, ', ');
        w.write(LEVEL_0, v(j.name));
      });
      w.writeLine('');
    }
    maybeEvents(ctx, w);
  });
}
