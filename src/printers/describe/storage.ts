// describe persistentvolumeclaim, persistentvolume, storageclass (describe.go's storage describers).

import type { KObj } from '../../api/types.js';
import { canonicalQuantity } from '../quantity.js';
import { accessModesString } from '../tables/storage.js';
import { formatLabels } from '../tables/common.js';
import { ageOf } from '../duration.js';
import { maybeEvents, printAnnotationsMultiline, printLabelsMultiline, timeText, v, type DescribeContext } from './common.js';
import { printPersistentVolumeClaim } from './volumes.js';
import { LEVEL_0, LEVEL_1, LEVEL_2, tabbedString, type Writer } from './writer.js';

const BETA_CLASS = 'volume.beta.kubernetes.io/storage-class';
const list = (x: unknown) => `[${(Array.isArray(x) ? x : []).map(v).join(' ')}]`;

/** printPodsMultiline: pod names sorted, one a line. */
function printPodsMultiline(w: Writer, title: string, pods: KObj[]): void {
  w.write(LEVEL_0, `${title}:\t`);
  if (!pods.length) {
    w.writeLine('<none>');
    return;
  }
  const names = pods.map((p) => String(p.metadata?.name ?? '')).sort();
  names.forEach((n, i) => {
    if (i !== 0) w.write(LEVEL_0, '\t');
    w.write(LEVEL_0, `${n}\n`);
  });
}

export function describePersistentVolumeClaim(pvc: KObj, ctx: DescribeContext): string {
  return tabbedString((w) => {
    printPersistentVolumeClaim(w, pvc, true, ctx.now, (ts) => ageOf(typeof ts === 'string' ? ts : undefined, ctx.now));
    const users = (ctx.related?.pods ?? []).filter(
      (p) =>
        p.metadata?.namespace === pvc.metadata?.namespace &&
        ((p.spec?.volumes ?? []) as KObj[]).some(
          (vol) =>
            vol.persistentVolumeClaim?.claimName === pvc.metadata?.name ||
            (vol.ephemeral && `${p.metadata?.name}-${vol.name}` === pvc.metadata?.name && ((pvc.metadata?.ownerReferences ?? []) as KObj[]).some((r) => r.controller && r.uid === p.metadata?.uid)),
        ),
    );
    printPodsMultiline(w, 'Used By', users);
    const conds = (pvc.status?.conditions ?? []) as KObj[];
    if (conds.length) {
      w.write(LEVEL_0, 'Conditions:\n');
      w.write(LEVEL_1, 'Type\tStatus\tLastProbeTime\tLastTransitionTime\tReason\tMessage\n');
      w.write(LEVEL_1, '----\t------\t-----------------\t------------------\t------\t-------\n');
      for (const c of conds) {
        w.write(LEVEL_1, `${v(c.type)} \t${v(c.status)} \t${timeText(c.lastProbeTime)} \t${timeText(c.lastTransitionTime)} \t${v(c.reason)} \t${v(c.message)}\n`);
      }
    }
    maybeEvents(ctx, w);
  });
}

function printNodeAffinity(w: Writer, affinity: KObj | undefined): void {
  w.write(LEVEL_0, 'Node Affinity:\t');
  if (!affinity?.required) {
    w.writeLine('<none>');
    return;
  }
  w.writeLine('');
  w.write(LEVEL_1, 'Required Terms:\t');
  const terms = (affinity.required.nodeSelectorTerms ?? []) as KObj[];
  if (!terms.length) {
    w.writeLine('<none>');
    return;
  }
  w.writeLine('');
  terms.forEach((term, i) => {
    w.write(LEVEL_2, `Term ${i}:\t`);
    const reqs = (term.matchExpressions ?? []) as KObj[];
    if (!reqs.length) {
      w.writeLine('<none>');
      return;
    }
    reqs.forEach((r, j) => {
      if (j !== 0) w.write(LEVEL_2, '\t');
      let expr = `${v(r.key)} ${String(r.operator ?? '').toLowerCase()}`;
      if ((r.values ?? []).length) expr = `${expr} [${(r.values as unknown[]).map(v).join(', ')}]`;
      w.write(LEVEL_0, `${expr}\n`);
    });
  });
}

function printSource(w: Writer, spec: KObj): void {
  if (spec.hostPath) {
    const t = spec.hostPath.type;
    w.write(LEVEL_2, `Type:\tHostPath (bare host directory volume)\n    Path:\t${v(spec.hostPath.path)}\n    HostPathType:\t${t === undefined || t === null ? '<none>' : v(t)}\n`);
  } else if (spec.local) {
    w.write(LEVEL_2, `Type:\tLocalVolume (a persistent volume backed by local storage on a node)\n    Path:\t${v(spec.local.path)}\n`);
  } else if (spec.nfs) {
    w.write(LEVEL_2, `Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n    Server:\t${v(spec.nfs.server)}\n    Path:\t${v(spec.nfs.path)}\n    ReadOnly:\t${spec.nfs.readOnly ? 'true' : 'false'}\n`);
  } else if (spec.csi) {
    w.write(LEVEL_2, `Type:\tCSI (a Container Storage Interface (CSI) volume source)\n    Driver:\t${v(spec.csi.driver)}\n    FSType:\t${v(spec.csi.fsType)}\n    VolumeHandle:\t${v(spec.csi.volumeHandle)}\n    ReadOnly:\t${spec.csi.readOnly ? 'true' : 'false'}\n`);
    const attrs = Object.keys(spec.csi.volumeAttributes ?? {}).sort();
    w.write(LEVEL_2, 'VolumeAttributes:\t');
    if (!attrs.length) w.writeLine('<none>');
    attrs.forEach((k, i) => {
      if (i !== 0) w.write(LEVEL_2, '\t');
      w.write(LEVEL_0, `    ${k}=${v(spec.csi.volumeAttributes[k])}\n`);
    });
  }
}

export function describePersistentVolume(pv: KObj, ctx: DescribeContext): string {
  const spec = pv.spec ?? {};
  const annotations = pv.metadata?.annotations ?? {};
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${v(pv.metadata?.name)}\n`);
    printLabelsMultiline(w, 'Labels', pv.metadata?.labels);
    printAnnotationsMultiline(w, 'Annotations', pv.metadata?.annotations);
    w.write(LEVEL_0, `Finalizers:\t${list(pv.metadata?.finalizers)}\n`);
    w.write(LEVEL_0, `StorageClass:\t${BETA_CLASS in annotations ? v(annotations[BETA_CLASS]) : v(spec.storageClassName)}\n`);
    if (pv.metadata?.deletionTimestamp) w.write(LEVEL_0, `Status:\tTerminating (lasts ${ageOf(pv.metadata.deletionTimestamp, ctx.now)})\n`);
    else w.write(LEVEL_0, `Status:\t${v(pv.status?.phase)}\n`);
    w.write(LEVEL_0, `Claim:\t${spec.claimRef ? `${v(spec.claimRef.namespace)}/${v(spec.claimRef.name)}` : ''}\n`);
    w.write(LEVEL_0, `Reclaim Policy:\t${v(spec.persistentVolumeReclaimPolicy)}\n`);
    w.write(LEVEL_0, `Access Modes:\t${accessModesString(spec.accessModes)}\n`);
    if (spec.volumeMode) w.write(LEVEL_0, `VolumeMode:\t${v(spec.volumeMode)}\n`);
    w.write(LEVEL_0, `Capacity:\t${canonicalQuantity(spec.capacity?.storage ?? '0')}\n`);
    printNodeAffinity(w, spec.nodeAffinity);
    w.write(LEVEL_0, `Message:\t${v(pv.status?.message)}\n`);
    w.write(LEVEL_0, 'Source:\n');
    printSource(w, spec);
    maybeEvents(ctx, w);
  });
}

const isDefault = (sc: KObj) => {
  const a = sc.metadata?.annotations ?? {};
  return a['storageclass.kubernetes.io/is-default-class'] === 'true' || a['storageclass.beta.kubernetes.io/is-default-class'] === 'true';
};

export function describeStorageClass(sc: KObj, ctx: DescribeContext): string {
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${v(sc.metadata?.name)}\n`);
    w.write(LEVEL_0, `IsDefaultClass:\t${isDefault(sc) ? 'Yes' : 'No'}\n`);
    w.write(LEVEL_0, `Annotations:\t${formatLabels(sc.metadata?.annotations)}\n`);
    w.write(LEVEL_0, `Provisioner:\t${v(sc.provisioner)}\n`);
    w.write(LEVEL_0, `Parameters:\t${formatLabels(sc.parameters)}\n`);
    const ave = sc.allowVolumeExpansion;
    w.write(LEVEL_0, `AllowVolumeExpansion:\t${ave === undefined || ave === null ? '<unset>' : ave ? 'True' : 'False'}\n`);
    const opts = (sc.mountOptions ?? []) as unknown[];
    if (!opts.length) w.write(LEVEL_0, 'MountOptions:\t<none>\n');
    else {
      w.write(LEVEL_0, 'MountOptions:\n');
      for (const o of opts) w.write(LEVEL_1, `${v(o)}\n`);
    }
    if (sc.reclaimPolicy) w.write(LEVEL_0, `ReclaimPolicy:\t${v(sc.reclaimPolicy)}\n`);
    if (sc.volumeBindingMode) w.write(LEVEL_0, `VolumeBindingMode:\t${v(sc.volumeBindingMode)}\n`);
    maybeEvents(ctx, w);
  });
}

export { isDefault as isDefaultStorageClass };
