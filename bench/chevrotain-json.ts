// A baseline for the parser benchmark: the smallest useful Chevrotain CstParser, a JSON grammar (the grammar of
// Chevrotain's own tutorial), lexing and parsing JSON text of the same size as the policy corpus, in the same run.
// Guard's parser can hardly be faster than Chevrotain is on JSON; the ratio says how close it comes.
import { createToken, CstParser, Lexer } from "../lang/chevrotain.js";
import { median } from "./parse.js";

const True = createToken({ name: "True", pattern: /true/ });
const False = createToken({ name: "False", pattern: /false/ });
const Null = createToken({ name: "Null", pattern: /null/ });
const LCurly = createToken({ name: "LCurly", pattern: /{/ });
const RCurly = createToken({ name: "RCurly", pattern: /}/ });
const LSquare = createToken({ name: "LSquare", pattern: /\[/ });
const RSquare = createToken({ name: "RSquare", pattern: /]/ });
const Comma = createToken({ name: "Comma", pattern: /,/ });
const Colon = createToken({ name: "Colon", pattern: /:/ });
const StringLiteral = createToken({ name: "StringLiteral", pattern: /"(?:[^\\"]|\\(?:[bfnrtv"\\/]|u[0-9a-fA-F]{4}))*"/ });
const NumberLiteral = createToken({ name: "NumberLiteral", pattern: /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/ });
const WhiteSpace = createToken({ name: "WhiteSpace", pattern: /[ \t\n\r]+/, group: Lexer.SKIPPED });
const TOKENS = [WhiteSpace, NumberLiteral, StringLiteral, LCurly, RCurly, LSquare, RSquare, Comma, Colon, True, False, Null];

class JsonParser extends CstParser {
  constructor() {
    super(TOKENS);
    this.performSelfAnalysis();
  }
  json = this.RULE("json", () => this.OR([{ ALT: () => this.SUBRULE(this.object) }, { ALT: () => this.SUBRULE(this.array) }]));
  object = this.RULE("object", () => {
    this.CONSUME(LCurly);
    this.MANY_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.objectItem) });
    this.CONSUME(RCurly);
  });
  objectItem = this.RULE("objectItem", () => {
    this.CONSUME(StringLiteral);
    this.CONSUME(Colon);
    this.SUBRULE(this.value);
  });
  array = this.RULE("array", () => {
    this.CONSUME(LSquare);
    this.MANY_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.value) });
    this.CONSUME(RSquare);
  });
  value = this.RULE("value", () =>
    this.OR([
      { ALT: () => this.CONSUME(StringLiteral) },
      { ALT: () => this.CONSUME(NumberLiteral) },
      { ALT: () => this.SUBRULE(this.object) },
      { ALT: () => this.SUBRULE(this.array) },
      { ALT: () => this.CONSUME(True) },
      { ALT: () => this.CONSUME(False) },
      { ALT: () => this.CONSUME(Null) },
    ]),
  );
}

/** JSON text of about `bytes` bytes, split in documents of the corpus's average file size. */
function jsonDocuments(bytes: number, files: number): string[] {
  const docs: string[] = [];
  const per = Math.max(1, Math.round(bytes / files));
  for (let f = 0; f < files; f++) {
    const items = [];
    let size = 2;
    for (let i = 0; size < per; i++) {
      const item = { id: f * 1000 + i, name: `policy-${f}-${i}`, roles: ["admin", "dev", "ops"], enabled: i % 2 === 0, limits: { cpu: 1.5, mem: 512 }, note: null };
      const text = JSON.stringify(item, null, 1);
      size += text.length + 1;
      items.push(item);
    }
    docs.push(JSON.stringify(items, null, 1));
  }
  return docs;
}

export interface BaselineResult {
  mbps: number;
  tokensPerSecond: number;
  bytes: number;
  runs: number;
}

export function runJsonBaseline(bytes: number, files: number, runs = 7): BaselineResult {
  const docs = jsonDocuments(bytes, files);
  const total = docs.reduce((n, d) => n + d.length, 0);
  const lexer = new Lexer(TOKENS, { positionTracking: "onlyOffset" });
  const parser = new JsonParser();
  let tokens = 0;
  const once = () => {
    tokens = 0;
    const start = performance.now();
    for (const d of docs) {
      const lexed = lexer.tokenize(d);
      tokens += lexed.tokens.length;
      parser.input = lexed.tokens;
      parser.json();
      if (parser.errors.length > 0) throw new Error(`the JSON baseline failed to parse: ${parser.errors[0]!.message}`);
    }
    return (performance.now() - start) / 1000;
  };
  once();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(once());
  const seconds = median(times);
  return { mbps: total / 1e6 / seconds, tokensPerSecond: tokens / seconds, bytes: total, runs };
}
