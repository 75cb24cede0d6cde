// A small line diff (longest common subsequence) printed as a unified diff, for `guard fmt --diff`.

type Op = { kind: " " | "-" | "+"; line: string; a: number; b: number };

/**
 * The unified diff from `before` to `after` (`--- a/name`, `+++ b/name`, `@@` hunks with `context` lines around
 * each change), or "" when they are equal.
 */
export function unifiedDiff(before: string, after: string, name: string, context = 3): string {
  if (before === after) return "";
  const a = splitLines(before);
  const b = splitLines(after);
  const ops = diffLines(keys(a), keys(b));
  const out = [`--- a/${name}`, `+++ b/${name}`];
  for (const hunk of hunks(ops, context)) {
    const first = hunk[0]!;
    const aCount = hunk.filter((o) => o.kind !== "+").length;
    const bCount = hunk.filter((o) => o.kind !== "-").length;
    // a range of zero lines is numbered after the line it follows
    const aStart = aCount === 0 ? first.a : first.a + 1;
    const bStart = bCount === 0 ? first.b : first.b + 1;
    out.push(`@@ -${range(aStart, aCount)} +${range(bStart, bCount)} @@`);
    for (const op of hunk) {
      out.push(op.kind + op.line.replace(NO_EOL, ""));
      if (op.kind !== "+" && op.a === a.lines.length - 1 && !a.finalNewline) out.push("\\ No newline at end of file");
      else if (op.kind === "+" && op.b === b.lines.length - 1 && !b.finalNewline) out.push("\\ No newline at end of file");
    }
  }
  return out.join("\n") + "\n";
}

const NO_EOL = "\u0000no-eol";

/** The lines to compare: the last line of a text without a final newline differs from the same line with one. */
function keys(t: { lines: string[]; finalNewline: boolean }): string[] {
  if (t.finalNewline || t.lines.length === 0) return t.lines;
  return [...t.lines.slice(0, -1), t.lines[t.lines.length - 1]! + NO_EOL];
}

function range(start: number, count: number): string {
  return count === 1 ? String(start) : `${start},${count}`;
}

function splitLines(text: string): { lines: string[]; finalNewline: boolean } {
  if (text === "") return { lines: [], finalNewline: true };
  const finalNewline = text.endsWith("\n");
  const lines = (finalNewline ? text.slice(0, -1) : text).split("\n");
  return { lines, finalNewline };
}

/** The edit script between two line lists: unchanged, removed and added lines in order. */
export function diffLines(a: string[], b: string[]): Op[] {
  // common prefix and suffix first: formatting changes are usually few and local
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const n = a.length - pre - suf;
  const m = b.length - pre - suf;

  // lcs[i][j]: the length of the longest common subsequence of a[pre+i..] and b[pre+j..] (middle part only)
  const lcs: Uint32Array[] = [];
  for (let i = 0; i <= n; i++) lcs.push(new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = a[pre + i] === b[pre + j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }

  const ops: Op[] = [];
  for (let k = 0; k < pre; k++) ops.push({ kind: " ", line: a[k]!, a: k, b: k });
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[pre + i] === b[pre + j]) {
      ops.push({ kind: " ", line: a[pre + i]!, a: pre + i, b: pre + j });
      i++;
      j++;
    } else if (i < n && (j === m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
      // removals before additions at the same point
      ops.push({ kind: "-", line: a[pre + i]!, a: pre + i, b: pre + j });
      i++;
    } else {
      ops.push({ kind: "+", line: b[pre + j]!, a: pre + i, b: pre + j });
      j++;
    }
  }
  for (let k = 0; k < suf; k++) ops.push({ kind: " ", line: a[a.length - suf + k]!, a: a.length - suf + k, b: b.length - suf + k });
  return ops;
}

/** Groups the changes with `context` unchanged lines around them; groups closer than 2 × context merge. */
function hunks(ops: Op[], context: number): Op[][] {
  const changed = ops.map((o, k) => (o.kind === " " ? -1 : k)).filter((k) => k >= 0);
  const result: Op[][] = [];
  let start = -1;
  let end = -1;
  for (const k of changed) {
    if (start >= 0 && k - context <= end + 1) {
      end = Math.min(ops.length - 1, k + context);
      continue;
    }
    if (start >= 0) result.push(ops.slice(start, end + 1));
    start = Math.max(0, k - context);
    end = Math.min(ops.length - 1, k + context);
  }
  if (start >= 0) result.push(ops.slice(start, end + 1));
  return result;
}
