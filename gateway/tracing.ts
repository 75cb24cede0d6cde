// OpenTelemetry spans through @opentelemetry/api: a no-op until the operator installs an SDK (e.g. with
// `--import @opentelemetry/auto-instrumentations-node/register`), then spans for auth, evaluation and upstream.
import { SpanStatusCode, trace, type Span } from "@opentelemetry/api";

const tracer = () => trace.getTracer("guard-gateway");

/** Runs `fn` inside a span named `name`; the span records an exception and ends when `fn` settles. */
export async function inSpan<T>(name: string, attributes: Record<string, string | number | boolean>, fn: (span: Span) => Promise<T> | T): Promise<T> {
  return tracer().startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (e) {
      span.recordException(e as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (e as Error).message });
      throw e;
    } finally {
      span.end();
    }
  });
}
