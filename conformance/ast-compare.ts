// Comparing syntax trees without their source positions: for round-trip properties (parse ∘ format ∘ parse).

/** The keys that hold source positions. */
const LOCATION_KEYS: ReadonlySet<string> = new Set(["loc", "nameLoc"]);

/**
 * A deep copy of `value` without location information: every `loc` and `nameLoc` key is dropped at every depth
 * (the comments of a module keep their text, lose their locations). Keys are kept in their original order;
 * `undefined` properties are dropped, so `{ a: undefined }` and `{}` compare equal.
 */
export function stripLocations<T>(value: T): T {
  return strip(value) as T;
}

function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strip);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (LOCATION_KEYS.has(k) || v === undefined) continue;
      out[k] = strip(v);
    }
    return out;
  }
  return value;
}

/**
 * The first place where two plain values (JSON-like trees) differ, as a path and the two values there, or
 * `undefined` when they are deeply equal. Meant for readable failure messages.
 */
export function firstDifference(a: unknown, b: unknown, path = "$"): { path: string; left: unknown; right: unknown } | undefined {
  if (Object.is(a, b)) return undefined;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      if (i >= a.length || i >= b.length) return { path: `${path}[${i}]`, left: a[i], right: b[i] };
      const d = firstDifference(a[i], b[i], `${path}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  if (a !== null && b !== null && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
    const ao = a as Record<string, unknown>;
    const bo = b as Record<string, unknown>;
    const keys = new Set([...Object.keys(ao), ...Object.keys(bo)]);
    for (const k of keys) {
      if (ao[k] === undefined && bo[k] === undefined) continue;
      const d = firstDifference(ao[k], bo[k], `${path}.${k}`);
      if (d) return d;
    }
    return undefined;
  }
  return { path, left: a, right: b };
}

/** Whether two trees are equal once their locations are removed. */
export function equalIgnoringLocations(a: unknown, b: unknown): boolean {
  return firstDifference(stripLocations(a), stripLocations(b)) === undefined;
}

/** A short JSON rendering for messages. */
export function preview(value: unknown, max = 400): string {
  let s: string;
  try {
    s = JSON.stringify(value) ?? String(value);
  } catch {
    s = String(value);
  }
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
