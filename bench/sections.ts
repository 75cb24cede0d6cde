// BENCHMARKS.md is shared by the benchmarks: each one owns a section between `<!-- NAME:start -->` and
// `<!-- NAME:end -->`, rewritten on every run; everything else in the file is kept.

/** Replaces the section of `name` in the Markdown text, or appends it when the text has none. */
export function updateSection(markdown: string, name: string, body: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const block = `${start}\n${body.trimEnd()}\n${end}`;
  const i = markdown.indexOf(start);
  const j = markdown.indexOf(end, i);
  if (i >= 0 && j > i) return markdown.slice(0, i) + block + markdown.slice(j + end.length);
  const base = markdown.trimEnd();
  return `${base}${base === "" ? "" : "\n\n"}${block}\n`;
}
