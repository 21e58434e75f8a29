// The object reference an event names (involvedObject, regarding), as client-go's recorders take it.
import type { KObj } from '../api/types.js';

/** An event's involvedObject (regarding): the object's reference as the recorders take it. */
export function involvedObject(obj: KObj, fieldPath?: string): KObj {
  const ref: KObj = {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    name: obj.metadata.name,
    namespace: obj.metadata.namespace,
    resourceVersion: obj.metadata.resourceVersion,
    uid: obj.metadata.uid,
  };
  if (!obj.metadata.namespace) delete ref.namespace;
  if (fieldPath) ref.fieldPath = fieldPath;
  return ref;
}
