// Short renderings of terms for messages and hints (not the formatter).
import type * as A from "./ast.js";

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A short rendering of a ref for messages and hints. */
export function refText(ref: A.RefTerm): string {
  let s = ref.head.kind === "var" ? ref.head.name : "…";
  for (const p of ref.path) s += p.kind === "string" && IDENT.test(p.value) ? `.${p.value}` : `[${termText(p)}]`;
  return s;
}

/** A short rendering of a term for messages and hints (not the formatter). */
export function termText(t: A.Term): string {
  switch (t.kind) {
    case "null":
      return "null";
    case "boolean":
      return String(t.value);
    case "number":
      return t.raw;
    case "string":
      return JSON.stringify(t.value);
    case "var":
      return t.name;
    case "ref":
      return t.head.kind === "var" ? refText(t) : `${termText(t.head)}${refText({ ...t, head: { kind: "var", name: "", loc: t.loc } })}`;
    case "call":
      return `${t.name.join(".")}(${t.args.map(termText).join(", ")})`;
    case "binary":
      return `${termText(t.left)} ${t.op} ${termText(t.right)}`;
    case "membership":
      return `${t.key ? `${termText(t.key)}, ` : ""}${termText(t.value)} in ${termText(t.collection)}`;
    case "array":
      return `[${t.items.map(termText).join(", ")}]`;
    case "set":
      return t.items.length === 0 ? "set()" : `{${t.items.map(termText).join(", ")}}`;
    case "object":
      return `{${t.entries.map((e) => `${termText(e.key)}: ${termText(e.value)}`).join(", ")}}`;
    default:
      return "…";
  }
}
