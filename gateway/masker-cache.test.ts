// maskerFor: the masker of a decision's `mask` list, compiled once per distinct list and never stale.
import { describe, expect, it } from "vitest";
import { maskerFor, recordedDocument } from "./guardrails.js";

const list = () => [
  { name: "aws", pattern: "AKIA[0-9A-Z]{16}", replacement: "[MASKED:aws]" },
  { name: "gh", pattern: "ghp_[A-Za-z0-9]{36}", replacement: "[MASKED:gh]" },
];

function masker(document: unknown) {
  const r = maskerFor(document);
  if (!r.ok) throw new Error(r.problems.join("; "));
  return r.masker;
}

describe("maskerFor", () => {
  it("gives the same masker for the same list, also in a new document with keys in another order", () => {
    const a = masker({ allow: true, mask: list() });
    const reordered = list().map(({ name, pattern, replacement }) => ({ replacement, pattern, name }));
    expect(masker({ mask: reordered })).toBe(a);
    expect(masker({ mask: list() })).toBe(a);
  });

  it("gives a masker for the list's content now, not for what it held at an earlier call", () => {
    const mask = list();
    const a = masker({ mask });
    expect(a!.maskText("AKIAIOSFODNN7EXAMPLE").text).toBe("[MASKED:aws]");
    mask[0]!.replacement = "[AWS]";
    const b = masker({ mask });
    expect(b).not.toBe(a);
    expect(b!.maskText("AKIAIOSFODNN7EXAMPLE").text).toBe("[AWS]");
    // and back: the first list's masker again
    expect(masker({ mask: list() })).toBe(a);
  });

  it("tells apart lists that differ in one pattern, in order, or in length", () => {
    const a = masker({ mask: list() });
    const changed = list();
    changed[1]!.pattern = "ghp_[A-Za-z0-9]{30}";
    expect(masker({ mask: changed })).not.toBe(a);
    expect(masker({ mask: list().reverse() })).not.toBe(a);
    expect(masker({ mask: list().slice(0, 1) })).not.toBe(a);
  });

  it("asks for no masking without a list or with an empty one, and reports an invalid list", () => {
    expect(maskerFor({ allow: true })).toEqual({ ok: true, masker: undefined });
    expect(maskerFor({ mask: [] })).toEqual({ ok: true, masker: undefined });
    const bad = maskerFor({ mask: [{ name: "x", pattern: "(", replacement: "y" }] });
    expect(bad.ok).toBe(false);
  });
});

describe("maskerFor on a list it has seen", () => {
  it("knows a deep-frozen list again by identity, and never one that could have changed", () => {
    const frozen = Object.freeze(list().map((m) => Object.freeze(m)));
    const a = masker({ mask: frozen });
    expect(masker({ mask: frozen })).toBe(a);
    // frozen on top only: its entries may change, so it is compared again
    const shallow = Object.freeze(list());
    expect(masker({ mask: shallow })).toBe(a);
    shallow[0]!.replacement = "[AWS]";
    const b = masker({ mask: shallow });
    expect(b).not.toBe(a);
    expect(b!.maskText("AKIAIOSFODNN7EXAMPLE").text).toBe("[AWS]");
  });
});

describe("recordedDocument", () => {
  it("keeps a valid mask list by its names, and everything else as it is", () => {
    const recorded = (document: unknown) => recordedDocument(document, maskerFor(document));
    expect(recorded({ allow: true, mask: list(), headers: { a: 1 } })).toEqual({ allow: true, mask: ["aws", "gh"], headers: { a: 1 } });
    const invalid = { allow: true, mask: [{ name: "bad", pattern: "(" }] };
    expect(recorded(invalid)).toBe(invalid);
    for (const same of [null, true, [1], { allow: true }, { mask: [] }, { mask: "x" }]) expect(recorded(same)).toBe(same);
  });
});
