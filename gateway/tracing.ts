// OpenTelemetry spans through @opentelemetry/api: a no-op until the operator installs an SDK (e.g. with
// `--import @opentelemetry/auto-instrumentations-node/register`), then spans for auth, evaluation and upstream.
// Without an SDK, `inSpan` calls its function at once with a non-recording span: the API's no-op path still makes a
// span and a context per call (four per request), which is most of what tracing cost when nobody listens.
import { INVALID_SPAN_CONTEXT, ProxyTracerProvider, SpanStatusCode, trace, type Span } from "@opentelemetry/api";

const tracer = () => trace.getTracer("guard-gateway");

/** The API's own no-op provider: what the global provider delegates to until an SDK registers one. */
const NOOP_PROVIDER = new ProxyTracerProvider().getDelegate();
const NOT_RECORDING: Span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

/** Whether an SDK (or any tracer provider) is registered: checked on every call, so one registered later counts. */
export function tracing(): boolean {
  const provider = trace.getTracerProvider();
  return !(provider instanceof ProxyTracerProvider) || provider.getDelegate() !== NOOP_PROVIDER;
}

/** Runs `fn` inside a span named `name`; the span records an exception and ends when `fn` settles. */
export function inSpan<T>(name: string, attributes: Record<string, string | number | boolean>, fn: (span: Span) => Promise<T> | T): Promise<T> {
  if (!tracing()) {
    try {
      return Promise.resolve(fn(NOT_RECORDING));
    } catch (e) {
      return Promise.reject(e as Error);
    }
  }
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
