// Workload tables: deployments, replicasets, statefulsets, daemonsets.

import type { KObj } from '../../api/types.js';
import { age, ageCol, containerCells, formatLabels, formatLabelSelector, int, labelSelectorString, nameCol, type Cell, type KindTable } from './common.js';

const wideCols = [
  { name: 'Containers', priority: 1 },
  { name: 'Images', priority: 1 },
];

export const deploymentsTable: KindTable = {
  columns: [nameCol, { name: 'Ready' }, { name: 'Up-to-date' }, { name: 'Available' }, ageCol, ...wideCols, { name: 'Selector', priority: 1 }],
  row(d: KObj, now: number): Cell[] {
    const [names, images] = containerCells(d.spec?.template?.spec?.containers);
    const st = d.status ?? {};
    return [d.metadata?.name, `${int(st.readyReplicas)}/${int(d.spec?.replicas)}`, int(st.updatedReplicas), int(st.availableReplicas), age(d, now), names, images, labelSelectorString(d.spec?.selector)];
  },
};

export const replicaSetsTable: KindTable = {
  columns: [nameCol, { name: 'Desired' }, { name: 'Current' }, { name: 'Ready' }, ageCol, ...wideCols, { name: 'Selector', priority: 1 }],
  row(rs: KObj, now: number): Cell[] {
    const [names, images] = containerCells(rs.spec?.template?.spec?.containers);
    const st = rs.status ?? {};
    return [rs.metadata?.name, int(rs.spec?.replicas), int(st.replicas), int(st.readyReplicas), age(rs, now), names, images, formatLabelSelector(rs.spec?.selector)];
  },
};

export const statefulSetsTable: KindTable = {
  columns: [nameCol, { name: 'Ready' }, ageCol, ...wideCols],
  row(s: KObj, now: number): Cell[] {
    const [names, images] = containerCells(s.spec?.template?.spec?.containers);
    return [s.metadata?.name, `${int(s.status?.readyReplicas)}/${int(s.spec?.replicas)}`, age(s, now), names, images];
  },
};

export const daemonSetsTable: KindTable = {
  columns: [
    nameCol,
    { name: 'Desired' },
    { name: 'Current' },
    { name: 'Ready' },
    { name: 'Up-to-date' },
    { name: 'Available' },
    { name: 'Node Selector' },
    ageCol,
    ...wideCols,
    { name: 'Selector', priority: 1 },
  ],
  row(ds: KObj, now: number): Cell[] {
    const [names, images] = containerCells(ds.spec?.template?.spec?.containers);
    const st = ds.status ?? {};
    return [
      ds.metadata?.name,
      int(st.desiredNumberScheduled),
      int(st.currentNumberScheduled),
      int(st.numberReady),
      int(st.updatedNumberScheduled),
      int(st.numberAvailable),
      formatLabels(ds.spec?.template?.spec?.nodeSelector),
      age(ds, now),
      names,
      images,
      formatLabelSelector(ds.spec?.selector),
    ];
  },
};
