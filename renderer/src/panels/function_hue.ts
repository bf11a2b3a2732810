// A function's hue, from a hash of its name alone: the same function has the same colour
// in every trace and profile, at every zoom and in every session. The Call trace's flame
// chart and the CPU profile's flame graph both colour by it; saturation, lightness and the
// light and dark variants are theirs (theme.css).

const hues = new Map<string, number>();

/** FNV-1a over the name's UTF-16 units: stable, and spread well enough for hues. */
export function nameHash(name: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** 0..359, the same for the same name. */
export function functionHue(name: string): number {
  let hue = hues.get(name);
  if (hue === undefined) {
    hue = nameHash(name) % 360;
    // A chart asks again at every frame it draws; the names a guest has are far fewer.
    if (hues.size < 10_000) hues.set(name, hue);
  }
  return hue;
}
