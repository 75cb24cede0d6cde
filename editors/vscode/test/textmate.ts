// A small TextMate grammar tokenizer, for testing guard.tmLanguage.json without a dependency (vscode-textmate needs
// Oniguruma). It implements the subset the grammar uses: `match` / `name` / `captures`, `begin` / `end` /
// `beginCaptures` / `endCaptures` / `contentName` / `patterns` (spanning lines), and `include` of `#name` and
// `$self`. Regular expressions are JavaScript's, so the grammar must keep to what both engines read alike.
//
// As in TextMate: at each position the rule matching earliest in the line wins, ties go to the first rule listed,
// and a begin/end rule's `end` wins ties against its inner patterns. `^` and `$` are the line's start and end.

export interface RawRule {
  name?: string;
  contentName?: string;
  match?: string;
  begin?: string;
  end?: string;
  captures?: Record<string, { name?: string }>;
  beginCaptures?: Record<string, { name?: string }>;
  endCaptures?: Record<string, { name?: string }>;
  patterns?: RawRule[];
  include?: string;
  comment?: string;
}

export interface RawGrammar {
  scopeName: string;
  patterns: RawRule[];
  repository: Record<string, RawRule>;
}

interface Rule {
  raw: RawRule;
  match?: RegExp;
  begin?: RegExp;
  end?: RegExp;
}

/** The scopes of each character of each line: `scopes[line][column]`, outermost first. */
export type LineScopes = string[][];

interface Frame {
  rule: Rule;
  /** Scopes of text inside the rule (the begin rule's name and contentName included). */
  scopes: string[];
  /** Scopes of the begin and end delimiters. */
  outer: string[];
}

export class Tokenizer {
  private readonly compiled = new Map<RawRule, Rule>();
  private readonly expanded = new Map<RawRule[], Rule[]>();

  constructor(private readonly grammar: RawGrammar) {}

  private rule(raw: RawRule): Rule {
    let r = this.compiled.get(raw);
    if (!r) {
      const re = (src: string) => new RegExp(src, "dg");
      r = { raw, match: raw.match !== undefined ? re(raw.match) : undefined, begin: raw.begin !== undefined ? re(raw.begin) : undefined, end: raw.end !== undefined ? re(raw.end) : undefined };
      this.compiled.set(raw, r);
    }
    return r;
  }

  /** A pattern list with `include`s and pattern-only containers replaced by the rules they stand for. */
  private expand(list: RawRule[], seen = new Set<RawRule>()): Rule[] {
    const cached = this.expanded.get(list);
    if (cached) return cached;
    const out: Rule[] = [];
    for (const raw of list) {
      let target: RawRule | RawRule[] = raw;
      if (raw.include !== undefined) {
        if (raw.include === "$self" || raw.include === "$base") target = this.grammar.patterns;
        else if (raw.include.startsWith("#")) {
          const found = this.grammar.repository[raw.include.slice(1)];
          if (!found) throw new Error(`include ${raw.include}: no such rule in the repository`);
          target = found;
        } else throw new Error(`include ${raw.include}: only #name and $self are supported`);
      }
      if (Array.isArray(target)) {
        out.push(...this.expand(target, seen));
      } else if (target.match === undefined && target.begin === undefined) {
        if (seen.has(target)) continue;
        seen.add(target);
        out.push(...this.expand(target.patterns ?? [], seen));
      } else out.push(this.rule(target));
    }
    this.expanded.set(list, out);
    return out;
  }

  /** Tokenizes a document: the scopes of every character of every line (split on \n). */
  tokenize(text: string): LineScopes[] {
    const root: Frame = { rule: { raw: { patterns: this.grammar.patterns } }, scopes: [this.grammar.scopeName], outer: [this.grammar.scopeName] };
    const stack: Frame[] = [root];
    return text.split("\n").map((line) => this.line(line, stack));
  }

  private line(line: string, stack: Frame[]): LineScopes {
    const scopes: LineScopes = Array.from({ length: line.length }, () => []);
    const paint = (from: number, to: number, names: string[]) => {
      for (let i = from; i < to; i++) scopes[i] = names;
    };
    // captures in key order, each on top of what is painted (so an inner group's scope ends up innermost)
    const paintCaptures = (m: RegExpExecArray, captures: RawRule["captures"]) => {
      if (!captures || !m.indices) return;
      for (const [k, c] of Object.entries(captures).sort((a, b) => Number(a[0]) - Number(b[0]))) {
        const span = m.indices[Number(k)];
        if (!span || !c.name) continue;
        for (let i = span[0]; i < span[1]; i++) scopes[i] = [...scopes[i]!, c.name];
      }
    };
    let pos = 0;
    let guard = 0;
    while (pos <= line.length) {
      if (++guard > 10_000) throw new Error(`tokenizer loops on: ${line}`);
      const frame = stack[stack.length - 1]!;
      let best: { m: RegExpExecArray; rule?: Rule } | undefined;
      if (frame.rule.end) {
        frame.rule.end.lastIndex = pos;
        const m = frame.rule.end.exec(line);
        if (m) best = { m };
      }
      for (const r of this.expand(frame.rule.raw.patterns ?? [])) {
        const re = r.match ?? r.begin!;
        re.lastIndex = pos;
        const m = re.exec(line);
        if (m && (!best || m.index < best.m.index)) best = { m, rule: r };
      }
      if (!best) {
        paint(pos, line.length, frame.scopes);
        break;
      }
      const { m, rule } = best;
      const start = m.index;
      const end = start + m[0].length;
      paint(pos, start, frame.scopes);
      if (!rule) {
        // the end of the frame's rule
        paint(start, end, frame.outer);
        paintCaptures(m, frame.rule.raw.endCaptures ?? frame.rule.raw.captures);
        stack.pop();
        pos = end;
        continue;
      }
      const named = rule.raw.name ? [...frame.scopes, rule.raw.name] : frame.scopes;
      if (rule.match) {
        paint(start, end, named);
        paintCaptures(m, rule.raw.captures);
        if (end === start) {
          // an empty match makes no progress: move on one character
          if (start < line.length) scopes[start] = frame.scopes;
          pos = start + 1;
        } else pos = end;
        continue;
      }
      paint(start, end, named);
      paintCaptures(m, rule.raw.beginCaptures ?? rule.raw.captures);
      stack.push({ rule, outer: named, scopes: rule.raw.contentName ? [...named, rule.raw.contentName] : named });
      if (end === start && stack.length > 100) throw new Error(`begin rule ${rule.raw.begin} matches empty text repeatedly`);
      pos = end;
    }
    return scopes;
  }
}
