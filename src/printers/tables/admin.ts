// Tables of controllerrevisions, resourcequotas and limitranges (kubernetes pkg/printers/internalversion).

import type { KObj } from '../../api/types.js';
import { canonicalQuantity } from '../quantity.js';
import { groupKindPrefix } from '../name.js';
import { age, ageCol, nameCol, type Cell, type KindTable } from './common.js';

/** NAME CONTROLLER REVISION AGE; the controller as `daemonset.apps/web` (`<none>` without one). */
export const controllerRevisionsTable: KindTable = {
  columns: [nameCol, { name: 'Controller' }, { name: 'Revision' }, ageCol],
  row(r: KObj, now: number): Cell[] {
    const ref = (r.metadata?.ownerReferences ?? []).find((o: KObj) => o?.controller);
    const controller = ref ? `${groupKindPrefix({ apiVersion: ref.apiVersion, kind: ref.kind })}/${ref.name ?? ''}` : '<none>';
    return [r.metadata?.name, controller, typeof r.revision === 'number' ? r.revision : 0, age(r, now)];
  },
};

/** NAME AGE REQUEST LIMIT: `resource: used/hard` per status.hard name (sorted), limits.* in LIMIT. */
export const resourceQuotasTable: KindTable = {
  columns: [nameCol, ageCol, { name: 'Request' }, { name: 'Limit' }],
  row(q: KObj, now: number): Cell[] {
    const names = Object.keys(q.status?.hard ?? {}).sort();
    const req: string[] = [];
    const lim: string[] = [];
    for (const n of names) {
      const used = q.status?.used?.[n];
      const hard = q.status?.hard?.[n];
      const text = `${n}: ${used === undefined ? '0' : canonicalQuantity(used)}/${hard === undefined ? '0' : canonicalQuantity(hard)}`;
      const pieces = n.split('.');
      (pieces.length > 1 && pieces[0] === 'limits' ? lim : req).push(text);
    }
    return [q.metadata?.name, age(q, now), req.join(', '), lim.join(', ')];
  },
};

/** NAME CREATED AT (the creation time in RFC 3339, UTC). */
export const limitRangesTable: KindTable = {
  columns: [nameCol, { name: 'Created At' }],
  row: (lr: KObj): Cell[] => [lr.metadata?.name, String(lr.metadata?.creationTimestamp ?? '')],
};
