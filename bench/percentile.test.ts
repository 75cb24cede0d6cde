import { describe, expect, it } from "vitest";
import { percentile } from "./percentile.js";

describe("percentile", () => {
  it("takes the nearest-rank element of sorted times", () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(xs, 0.5)).toBe(51);
    expect(percentile(xs, 0.99)).toBe(100);
    expect(percentile(xs, 1)).toBe(100);
    expect(percentile([7], 0.99)).toBe(7);
  });

  it("is NaN for no times", () => {
    expect(percentile([], 0.5)).toBeNaN();
  });
});
