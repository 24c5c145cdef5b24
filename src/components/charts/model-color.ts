// A model's colour: a palette slot (CSS --m<n>, defined for light and dark in site.css) picked from a hash of the
// model id, so one model keeps its colour on every chart and page. Models that land on a taken slot move to the
// next free one, in id order, so the models of one view are distinct and the same set always gets the same slots.
export const MODEL_SLOTS = 10;
/** "other models" and anything without an id: the palette's grey, never one a model could get. */
export const OTHER_MODELS_COLOR = '--m-other';

function hash(id: string): number {
  // FNV-1a: stable across runs and platforms, unlike anything seeded.
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

export function modelSlot(model: string): number {
  return hash(model) % MODEL_SLOTS;
}

/** CSS custom property for each model, distinct within `models` while there are slots to spare. */
export function modelColors(models: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const taken = new Set<number>();
  for (const m of [...new Set(models)].sort()) {
    let slot = modelSlot(m);
    for (let n = 0; n < MODEL_SLOTS && taken.has(slot); n++) slot = (slot + 1) % MODEL_SLOTS;
    taken.add(slot);
    out.set(m, `--m${slot}`);
  }
  return out;
}
