// kubectl describe hpa (describe.go describeHorizontalPodAutoscalerV2).
import type { KObj } from '../../api/types.js';
import { maybeEvents, printAnnotationsMultiline, printLabelsMultiline, timeText, v, type DescribeContext } from './common.js';
import { LEVEL_0, LEVEL_1, LEVEL_2, tabbedString, type Writer } from './writer.js';

const q = (x: unknown): string => (x === undefined || x === null ? '0' : String(x));

function resourceLine(w: Writer, source: KObj, status: KObj | undefined, lead: string): void {
  w.write(LEVEL_1, lead);
  const target = source.target ?? {};
  if (target.averageValue !== undefined && target.averageValue !== null) {
    const current = status ? q(status.current?.averageValue) : '<unknown>';
    w.write(LEVEL_0, `:\t${current} / ${q(target.averageValue)}\n`);
    return;
  }
  const util = status?.current?.averageUtilization;
  const current = status && util !== undefined && util !== null ? `${util}% (${q(status.current?.averageValue)})` : '<unknown>';
  const want = target.averageUtilization !== undefined && target.averageUtilization !== null ? `${target.averageUtilization}%` : '<auto>';
  w.write(LEVEL_1, `(as a percentage of request):\t${current} / ${want}\n`);
}

function metricLines(w: Writer, metric: KObj, status: KObj | undefined): void {
  switch (metric.type) {
    case 'External': {
      const e = metric.external ?? {};
      const st = status?.external;
      if (e.target?.averageValue !== undefined) {
        const current = st?.current?.averageValue !== undefined ? q(st.current.averageValue) : '<unknown>';
        w.write(LEVEL_1, `"${v(e.metric?.name)}" (target average value):\t${current} / ${q(e.target.averageValue)}\n`);
      } else {
        const current = st ? q(st.current?.value) : '<unknown>';
        w.write(LEVEL_1, `"${v(e.metric?.name)}" (target value):\t${current} / ${q(e.target?.value)}\n`);
      }
      return;
    }
    case 'Pods': {
      const current = status?.pods ? q(status.pods.current?.averageValue) : '<unknown>';
      w.write(LEVEL_1, `"${v(metric.pods?.metric?.name)}" on pods:\t${current} / ${q(metric.pods?.target?.averageValue)}\n`);
      return;
    }
    case 'Object': {
      const o = metric.object ?? {};
      w.write(LEVEL_1, `"${v(o.metric?.name)}" on ${v(o.describedObject?.kind)}/${v(o.describedObject?.name)} `);
      if (o.target?.type === 'AverageValue') {
        const current = status?.object?.current?.averageValue !== undefined ? q(status.object.current.averageValue) : '<unknown>';
        w.write(LEVEL_0, `(target average value):\t${current} / ${q(o.target.averageValue)}\n`);
      } else {
        const current = status?.object ? q(status.object.current?.value) : '<unknown>';
        w.write(LEVEL_0, `(target value):\t${current} / ${q(o.target?.value)}\n`);
      }
      return;
    }
    case 'Resource':
      resourceLine(w, metric.resource ?? {}, status?.resource, `resource ${v(metric.resource?.name)} on pods`);
      return;
    case 'ContainerResource':
      resourceLine(w, metric.containerResource ?? {}, status?.containerResource, `resource ${v(metric.containerResource?.name)} of container "${v(metric.containerResource?.container)}" on pods`);
      return;
    default:
      w.write(LEVEL_1, `<unknown metric type "${v(metric.type)}">\n`);
  }
}

function directionBehavior(w: Writer, title: string, rules: KObj | undefined): void {
  if (!rules) return;
  w.write(LEVEL_1, `${title}:\n`);
  if (rules.stabilizationWindowSeconds !== undefined && rules.stabilizationWindowSeconds !== null) w.write(LEVEL_2, `Stabilization Window: ${rules.stabilizationWindowSeconds} seconds\n`);
  if ((rules.policies ?? []).length) {
    w.write(LEVEL_2, `Select Policy: ${rules.selectPolicy ?? 'Max'}\n`);
    w.write(LEVEL_2, 'Policies:\n');
    for (const p of rules.policies as KObj[]) w.write(LEVEL_2 + 1, `- Type: ${v(p.type)}\tValue: ${v(p.value)}\tPeriod: ${v(p.periodSeconds)} seconds\n`);
  }
}

export function describeHpa(hpa: KObj, ctx: DescribeContext): string {
  return tabbedString((w) => {
    const spec = hpa.spec ?? {};
    const st = hpa.status ?? {};
    w.write(LEVEL_0, `Name:\t${v(hpa.metadata?.name)}\n`);
    w.write(LEVEL_0, `Namespace:\t${v(hpa.metadata?.namespace)}\n`);
    printLabelsMultiline(w, 'Labels', hpa.metadata?.labels);
    printAnnotationsMultiline(w, 'Annotations', hpa.metadata?.annotations);
    w.write(LEVEL_0, `CreationTimestamp:\t${timeText(hpa.metadata?.creationTimestamp)}\n`);
    w.write(LEVEL_0, `Reference:\t${v(spec.scaleTargetRef?.kind)}/${v(spec.scaleTargetRef?.name)}\n`);
    w.write(LEVEL_0, 'Metrics:\t( current / target )\n');
    ((spec.metrics ?? []) as KObj[]).forEach((m, i) => metricLines(w, m, (st.currentMetrics ?? [])[i]));
    w.write(LEVEL_0, `Min replicas:\t${spec.minReplicas === undefined || spec.minReplicas === null ? '<unset>' : spec.minReplicas}\n`);
    w.write(LEVEL_0, `Max replicas:\t${Number(spec.maxReplicas ?? 0)}\n`);
    if (spec.behavior) {
      w.write(LEVEL_0, 'Behavior:\n');
      directionBehavior(w, 'Scale Up', spec.behavior.scaleUp);
      directionBehavior(w, 'Scale Down', spec.behavior.scaleDown);
    }
    w.write(LEVEL_0, `${v(spec.scaleTargetRef?.kind)} pods:\t`);
    w.write(LEVEL_0, `${Number(st.currentReplicas ?? 0)} current / ${Number(st.desiredReplicas ?? 0)} desired\n`);
    const conds: KObj[] = st.conditions ?? [];
    if (conds.length) {
      w.write(LEVEL_0, 'Conditions:\n');
      w.write(LEVEL_1, 'Type\tStatus\tReason\tMessage\n');
      w.write(LEVEL_1, '----\t------\t------\t-------\n');
      for (const c of conds) w.write(LEVEL_1, `${v(c.type)}\t${v(c.status)}\t${v(c.reason)}\t${v(c.message)}\n`);
    }
    maybeEvents(ctx, w);
  });
}
