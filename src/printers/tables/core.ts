// Small core tables: namespaces, configmaps, secrets, serviceaccounts, and the generic fallback.

import type { KObj } from '../../api/types.js';
import { age, ageCol, nameCol, type Cell, type KindTable } from './common.js';

const count = (o: unknown) => (o && typeof o === 'object' ? Object.keys(o).length : 0);

export const namespacesTable: KindTable = {
  columns: [nameCol, { name: 'Status' }, ageCol],
  row: (ns: KObj, now: number): Cell[] => [ns.metadata?.name, ns.status?.phase ?? '', age(ns, now)],
};

export const configMapsTable: KindTable = {
  columns: [nameCol, { name: 'Data' }, ageCol],
  row: (cm: KObj, now: number): Cell[] => [cm.metadata?.name, count(cm.data) + count(cm.binaryData), age(cm, now)],
};

export const secretsTable: KindTable = {
  columns: [nameCol, { name: 'Type' }, { name: 'Data' }, ageCol],
  row: (s: KObj, now: number): Cell[] => [s.metadata?.name, s.type ?? '', count(s.data), age(s, now)],
};

export const serviceAccountsTable: KindTable = {
  columns: [nameCol, { name: 'Secrets' }, ageCol],
  row: (sa: KObj, now: number): Cell[] => [sa.metadata?.name, (sa.secrets ?? []).length, age(sa, now)],
};

/** Anything without a dedicated printer: NAME AGE. */
export const genericTable: KindTable = {
  columns: [nameCol, ageCol],
  row: (o: KObj, now: number): Cell[] => [o.metadata?.name, age(o, now)],
};
