// inSpan without a tracer provider: the function runs at once with a span that records nothing, and its result or
// error comes through unchanged. (With a provider, the spans themselves: observability.test.ts.)
import { trace, type Tracer } from "@opentelemetry/api";
import { beforeAll, describe, expect, it } from "vitest";
import { inSpan, tracing } from "./tracing.js";

describe("inSpan without an OpenTelemetry SDK", () => {
  beforeAll(() => trace.disable()); // whatever another file registered

  it("knows whether a provider is registered, also one registered later", () => {
    expect(tracing()).toBe(false);
    trace.setGlobalTracerProvider({ getTracer: () => ({}) as Tracer });
    expect(tracing()).toBe(true);
    trace.disable();
    expect(tracing()).toBe(false);
  });

  it("passes a non-recording span, and the function's value or error", async () => {
    let recording: boolean | undefined;
    expect(await inSpan("guard.test", { a: 1 }, (span) => ((recording = span.isRecording()), span.setAttribute("x", 1), 42))).toBe(42);
    expect(recording).toBe(false);
    expect(await inSpan("guard.test", {}, async () => "later")).toBe("later");
    await expect(inSpan("guard.test", {}, () => Promise.reject(new Error("async failure")))).rejects.toThrow("async failure");
    await expect(
      inSpan("guard.test", {}, () => {
        throw new Error("thrown");
      }),
    ).rejects.toThrow("thrown");
  });
});
