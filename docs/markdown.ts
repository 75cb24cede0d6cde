// Fenced code blocks of a Markdown file, for the tests that run the docs' examples.

export interface FencedBlock {
  /** The first word of the info string: `rego`, `sh`, `yaml`. */
  lang: string;
  /** The words after it: `runnable`, `file=policies/claude/policy.guard`. */
  attrs: Record<string, string | true>;
  body: string;
  /** The 1-based line of the opening fence. */
  line: number;
}

export function fencedBlocks(markdown: string): FencedBlock[] {
  const lines = markdown.split("\n");
  const out: FencedBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(```+)\s*([^`]*)$/.exec(lines[i]!);
    if (!open) continue;
    const [, indent, fence, info] = open;
    const words = info!.trim().split(/\s+/).filter(Boolean);
    const attrs: Record<string, string | true> = {};
    for (const w of words.slice(1)) {
      const eq = w.indexOf("=");
      if (eq < 0) attrs[w] = true;
      else attrs[w.slice(0, eq)] = w.slice(eq + 1);
    }
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      if (lines[j]!.trim() === fence) break;
      body.push(lines[j]!.startsWith(indent!) ? lines[j]!.slice(indent!.length) : lines[j]!);
    }
    out.push({ lang: words[0] ?? "", attrs, body: body.join("\n") + "\n", line: i + 1 });
    i = j;
  }
  return out;
}
