import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The server's Prometheus metrics, in a registry of its own (several servers can share a process). */
export class ServerMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({ name: 'offgrid_http_requests_total', help: 'HTTP requests by route and status', labelNames: ['route', 'status'], registers: [this.registry] });
  readonly duration = new Histogram({
    name: 'offgrid_graphql_duration_seconds',
    help: 'GraphQL operation time',
    labelNames: ['type'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly mutations = new Counter({ name: 'offgrid_mutations_total', help: 'Mutations by model and outcome', labelNames: ['model', 'outcome'], registers: [this.registry] });
  readonly connections = new Gauge({ name: 'offgrid_websocket_connections', help: 'Open WebSocket connections', registers: [this.registry] });
  readonly subscriptions = new Gauge({ name: 'offgrid_subscriptions', help: 'Live subscriptions', registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'offgrid_' });
  }
}
