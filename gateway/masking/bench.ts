// Throughput of masking, with the 12 fixture patterns: `npx tsx gateway/masking/bench.ts [MB]`.
// Prints MB/s (of text, UTF-8) for maskText on a whole text, StreamMasker at several chunk sizes, and the full SSE
// path (bytes → parse → mask → serialize) with Anthropic-sized text deltas.
import { AnthropicStreamMasker } from "./anthropic-stream.js";
import { compileMasks } from "./patterns.js";
import { StreamMasker } from "./stream-masker.js";
import { BENIGN, RULES, SECRETS } from "./test/patterns.js";
import { anthropicStream, fragments } from "./test/stream.js";

const compiled = compileMasks(RULES);
if (!compiled.ok) throw new Error(compiled.errors.map((e) => e.message).join("\n"));
const masker = compiled.masker;

const mb = Number(process.argv[2] ?? 8);
const unit = BENIGN.join("\n") + "\n";
let text = "";
let i = 0;
while (text.length < mb * 1e6) {
  text += unit;
  // One secret every ~20 KB.
  if (text.length % 20_000 < unit.length) text += `here: ${SECRETS[i++ % SECRETS.length]!.text}\n`;
}
const bytes = Buffer.byteLength(text);

function time(label: string, fn: () => void, size = bytes): void {
  fn(); // warm up
  const runs = 3;
  let best = Infinity;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, performance.now() - t0);
  }
  console.log(`${label.padEnd(44)} ${((size / 1e6) / (best / 1000)).toFixed(1).padStart(8)} MB/s`);
}

console.log(`${masker.patterns.length} patterns, ${(bytes / 1e6).toFixed(1)} MB of text`);
time("maskText (whole text)", () => void masker.maskText(text));
for (const size of [16, 64, 1024, 16384]) {
  time(`StreamMasker, ${size}-char chunks`, () => {
    const s = new StreamMasker(masker);
    for (let j = 0; j < text.length; j += size) s.push(text.slice(j, j + size));
    s.end();
  });
}

// SSE: text deltas of ~40 characters (what the API sends), in 16 KB network chunks.
const sse = Buffer.from(anthropicStream({ texts: fragments(text, Math.ceil(text.length / 40)) }));
const chunks: Buffer[] = [];
for (let j = 0; j < sse.length; j += 16384) chunks.push(sse.subarray(j, j + 16384));
async function runSse(): Promise<number> {
  const m = new AnthropicStreamMasker({ masker });
  let n = 0;
  async function* src() {
    yield* chunks;
  }
  for await (const out of m.run(src())) n += out.length;
  return n;
}
await runSse();
let best = Infinity;
for (let r = 0; r < 3; r++) {
  const t0 = performance.now();
  await runSse();
  best = Math.min(best, performance.now() - t0);
}
console.log(`${"SSE, 40-char text_deltas (text MB/s)".padEnd(44)} ${((bytes / 1e6) / (best / 1000)).toFixed(1).padStart(8)} MB/s`);
console.log(`${"SSE, 40-char text_deltas (wire MB/s)".padEnd(44)} ${((sse.length / 1e6) / (best / 1000)).toFixed(1).padStart(8)} MB/s`);
