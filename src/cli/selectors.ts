// -l / --field-selector flags turned into object filters.
import type { KObj, ResourceDef } from '../api/types.js';
import { str, type Parsed } from './flags.js';

export async function selectorFilters(p: Parsed): Promise<{
  labelSelector?: (o: KObj) => boolean;
  fieldSelector?: (def: ResourceDef, o: KObj) => boolean;
}> {
  const label = str(p, 'selector');
  const field = str(p, 'field-selector');
  if (!label && !field) return {};
  const sel = await import('../api/selectors.js');
  const out: { labelSelector?: (o: KObj) => boolean; fieldSelector?: (def: ResourceDef, o: KObj) => boolean } = {};
  if (label) {
    const m = sel.parseLabelSelector(label);
    out.labelSelector = (o) => m.matches(o.metadata?.labels);
  }
  if (field) {
    const fs = sel.parseFieldSelector(field);
    const matchers = new Map<ResourceDef, { matches(o: KObj): boolean }>();
    out.fieldSelector = (def, o) => {
      let m = matchers.get(def);
      if (!m) matchers.set(def, (m = sel.fieldSelectorMatcher(def.kind, fs, def.plural, def.group, def.version)));
      return m.matches(o);
    };
  }
  return out;
}
