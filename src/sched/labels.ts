// Stable names for scheduling points ("fault:insert_pfn:ptl"). A label's id is a hash of its
// name, so every thread and every build agrees on it without a shared registry.
const names = new Map<number, string>();

export function label(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  const id = h & 0x3fffffff; // a small integer (Smi) keeps call sites fast
  const prev = names.get(id);
  if (prev !== undefined && prev !== name) throw new Error(`label hash collision: ${prev} / ${name}`);
  names.set(id, name);
  return id;
}

export function labelName(id: number): string {
  return names.get(id) ?? `#${id.toString(16)}`;
}
