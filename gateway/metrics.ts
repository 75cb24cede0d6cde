// Prometheus metrics (prom-client, on a registry of the gateway's own): requests by connection and decision,
// evaluation and upstream durations, reload outcomes, the bundle revision serving, and audit retention.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export class GatewayMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: "guard_requests_total",
    help: "Requests by connection and decision (allow, deny, error, unauthenticated).",
    labelNames: ["connection", "decision"] as const,
    registers: [this.registry],
  });
  readonly toolCalls = new Counter({
    name: "guard_tool_calls_total",
    help: "Tool calls the model made, by connection and decision (allow, deny, error).",
    labelNames: ["connection", "decision"] as const,
    registers: [this.registry],
  });
  readonly evaluation = new Histogram({
    name: "guard_evaluation_duration_seconds",
    help: "Time spent evaluating a decision.",
    labelNames: ["connection"] as const,
    buckets: [0.00001, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.1],
    registers: [this.registry],
  });
  readonly upstream = new Histogram({
    name: "guard_upstream_duration_seconds",
    help: "Time from forwarding a request to the upstream's response headers.",
    labelNames: ["connection", "status"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });
  readonly reloads = new Counter({
    name: "guard_policy_reloads_total",
    help: "Policy reload attempts by outcome (loaded, rejected).",
    labelNames: ["outcome"] as const,
    registers: [this.registry],
  });
  readonly bundle = new Gauge({
    name: "guard_policy_bundle_info",
    help: "The bundle revision serving (value 1).",
    labelNames: ["revision"] as const,
    registers: [this.registry],
  });
  readonly bundleHealthy = new Gauge({
    name: "guard_policy_bundle_current",
    help: "1 when the newest revision seen is the one serving, 0 when a newer one was rejected.",
    registers: [this.registry],
  });

  readonly auditPruned = new Counter({
    name: "guard_audit_pruned_records_total",
    help: "Audit records removed by retention (audit.max_age).",
    registers: [this.registry],
  });
  readonly auditPruneFailures = new Counter({
    name: "guard_audit_prune_failures_total",
    help: "Audit retention runs that failed (nothing more removed until the next run).",
    registers: [this.registry],
  });

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: "guard_" });
  }

  setRevision(revision: string): void {
    this.bundle.reset();
    this.bundle.set({ revision }, 1);
  }
}
