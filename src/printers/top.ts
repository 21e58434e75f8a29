// kubectl top's TopCmdPrinter (kubectl/pkg/metricsutil/metrics_printer.go, metrics_sorter.go): every
// value is written with a tab after it, so the last column is padded too; CPU as `%vm` of the
// millivalue, memory as whole Mi (truncated); node percentages of allocatable (or capacity) as int64.
import { goSort } from './sort.js';
import { TabWriter } from './tabwriter.js';

export interface ContainerMetrics {
  name: string;
  cpuMilli: number;
  memBytes: number;
}

export interface PodMetrics {
  namespace: string;
  name: string;
  containers: ContainerMetrics[];
}

export interface NodeMetrics {
  name: string;
  cpuMilli: number;
  memBytes: number;
}

const Mi = 1024 * 1024;

const usage = (cpu: number, mem: number): string => `${cpu}m\t${Math.trunc(mem / Mi)}Mi\t`;

const newWriter = () => new TabWriter({ minwidth: 6, padding: 3, rememberWidths: true });

function podTotals(m: PodMetrics): { cpuMilli: number; memBytes: number } {
  return m.containers.reduce((t, c) => ({ cpuMilli: t.cpuMilli + c.cpuMilli, memBytes: t.memBytes + c.memBytes }), { cpuMilli: 0, memBytes: 0 });
}

/** sort.Sort with the sorter's Less (cpu and memory descending, else by name). */
function sortBy<T>(items: T[], less: (a: T, b: T) => boolean): void {
  goSort(items.length, (i, j) => less(items[i], items[j]), (i, j) => ([items[i], items[j]] = [items[j], items[i]]));
}

export function printPodMetrics(metrics: PodMetrics[], opts: { containers: boolean; withNamespace: boolean; noHeaders: boolean; sortBy: string; sum: boolean }): string {
  if (!metrics.length) return '';
  let text = '';
  let columnWidth = 3;
  if (!opts.noHeaders) {
    if (opts.withNamespace) {
      text += 'NAMESPACE\t';
      columnWidth++;
    }
    if (opts.containers) {
      text += 'POD\t';
      columnWidth++;
    }
    text += 'NAME\tCPU(cores)\tMEMORY(bytes)\t\n';
  }
  const items = [...metrics];
  const totals = new Map(items.map((m) => [m, podTotals(m)]));
  sortBy(items, (a, b) => {
    if (opts.sortBy === 'cpu') return totals.get(a)!.cpuMilli > totals.get(b)!.cpuMilli;
    if (opts.sortBy === 'memory') return totals.get(a)!.memBytes > totals.get(b)!.memBytes;
    if (opts.withNamespace && a.namespace !== b.namespace) return a.namespace < b.namespace;
    return a.name < b.name;
  });
  for (const m of items) {
    const ns = opts.withNamespace ? `${m.namespace}\t` : '';
    if (opts.containers) {
      const cs = [...m.containers];
      sortBy(cs, (a, b) => (opts.sortBy === 'cpu' ? a.cpuMilli > b.cpuMilli : opts.sortBy === 'memory' ? a.memBytes > b.memBytes : a.name < b.name));
      for (const c of cs) text += `${ns}${m.name}\t${c.name}\t${usage(c.cpuMilli, c.memBytes)}\n`;
    } else {
      const t = totals.get(m)!;
      text += `${ns}${m.name}\t${usage(t.cpuMilli, t.memBytes)}\n`;
    }
  }
  if (opts.sum) {
    // printPodResourcesSum: the column count grows with the header's extra columns only
    let cpu = 0;
    let mem = 0;
    for (const m of items) for (const c of m.containers) [cpu, mem] = [cpu + c.cpuMilli, mem + c.memBytes];
    text += `${'\t'.repeat(Math.max(0, columnWidth - 2))}________\t________\t\n`;
    text += `${'\t'.repeat(Math.max(0, columnWidth - 3))}\t${usage(cpu, mem)}\n`;
  }
  return newWriter().write(text).flush();
}

export function printNodeMetrics(metrics: NodeMetrics[], available: Map<string, { cpuMilli: number; memBytes: number }>, opts: { noHeaders: boolean; sortBy: string }): string {
  if (!metrics.length) return '';
  const items = [...metrics];
  sortBy(items, (a, b) => (opts.sortBy === 'cpu' ? a.cpuMilli > b.cpuMilli : opts.sortBy === 'memory' ? a.memBytes > b.memBytes : a.name < b.name));
  let text = opts.noHeaders ? '' : 'NAME\tCPU(cores)\tCPU(%)\tMEMORY(bytes)\tMEMORY(%)\t\n';
  const left = new Map(available);
  for (const m of items) {
    const a = left.get(m.name);
    text += `${m.name}\t${m.cpuMilli}m\t`;
    if (a) text += `${Math.trunc((m.cpuMilli / a.cpuMilli) * 100)}%\t`;
    text += `${Math.trunc(m.memBytes / Mi)}Mi\t`;
    if (a) text += `${Math.trunc((m.memBytes / a.memBytes) * 100)}%\t`;
    text += '\n';
    left.delete(m.name);
  }
  // nodes whose metrics are missing (Go's map order: here by name)
  for (const name of [...left.keys()].sort()) text += `${name}\t<unknown>\t<unknown>\t<unknown>\t<unknown>\t\n`;
  return newWriter().write(text).flush();
}
