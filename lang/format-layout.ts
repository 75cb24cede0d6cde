// Formatter layout: which collections, calls and comprehensions print one item (or literal) per line.
import type * as A from "./ast.js";

/**
 * A non-empty collection prints one item per line when it spanned several lines in the source, or when an item
 * prints over several lines anyway (otherwise the next formatting would see it spanning lines). A comprehension
 * prints its literals one per line on the same terms, when it has more than one. A call prints its arguments one
 * per line when the source had a line break before an argument.
 */
export function layoutMultiline(t: A.Term): boolean {
  switch (t.kind) {
    case "array":
    case "set":
      return t.items.length > 0 && (t.loc.line !== t.loc.endLine || t.items.some(spans));
    case "object":
      return t.entries.length > 0 && (t.loc.line !== t.loc.endLine || t.entries.some((e) => spans(e.key) || spans(e.value)));
    case "call": {
      // arguments one per line when the source broke lines between them (not merely inside one)
      let line = t.nameLoc.endLine;
      for (const arg of t.args) {
        if (arg.loc.line > line) return true;
        line = arg.loc.endLine;
      }
      return false;
    }
    case "arraycompr":
    case "setcompr":
    case "objectcompr": {
      const literals = t.body.literals;
      const head = t.kind === "objectcompr" ? spans(t.key) || spans(t.value) : spans(t.term);
      return literals.length > 1 && (t.loc.line !== t.loc.endLine || head || literals.some(literalSpans));
    }
    default:
      return false;
  }
}

const spanCache = new WeakMap<object, boolean>();

/** Whether a term prints over several lines. */
function spans(t: A.Term): boolean {
  let result = spanCache.get(t);
  if (result !== undefined) return result;
  switch (t.kind) {
    case "string":
      result = t.raw && t.value.includes("\n");
      break;
    case "ref":
      result = (t.head.kind !== "var" && spans(t.head)) || t.path.some(spans);
      break;
    case "call":
      result = layoutMultiline(t) || t.args.some(spans);
      break;
    case "binary":
      result = spans(t.left) || spans(t.right);
      break;
    case "membership":
      result = (t.key !== undefined && spans(t.key)) || spans(t.value) || spans(t.collection);
      break;
    case "array":
    case "set":
    case "object":
      result = layoutMultiline(t);
      break;
    case "arraycompr":
    case "setcompr":
      result = layoutMultiline(t) || spans(t.term) || t.body.literals.some(literalSpans);
      break;
    case "objectcompr":
      result = layoutMultiline(t) || spans(t.key) || spans(t.value) || t.body.literals.some(literalSpans);
      break;
    default:
      result = false;
  }
  spanCache.set(t, result);
  return result;
}

function literalSpans(l: A.Literal): boolean {
  let result = spanCache.get(l);
  if (result !== undefined) return result;
  const e = l.expr;
  switch (e.kind) {
    case "every":
      result = true;
      break;
    case "term-expr":
      result = spans(e.term);
      break;
    case "assign":
      result = spans(e.left) || spans(e.right);
      break;
    case "some-decl":
      result = false;
      break;
    case "some-in":
      result = (e.key !== undefined && spans(e.key)) || spans(e.value) || spans(e.collection);
      break;
  }
  result ||= l.with.some((m) => spans(m.target) || spans(m.value));
  spanCache.set(l, result);
  return result;
}
