import { Counter, Gauge, type Registry } from 'prom-client'
import type { StoredAlert } from './ports.ts'

/** The alerts component's Prometheus metrics. */
export class AlertMetrics {
  readonly alerts: Gauge<'alertname' | 'severity' | 'state'>
  readonly notificationAttempts: Counter<'receiver'>
  readonly notificationFailures: Counter<'receiver'>
  readonly intakePayloads: Counter<'outcome'>

  constructor(registry: Registry) {
    const registers = [registry]
    this.alerts = new Gauge({ name: 'highway_alerts', help: "Highway's own alerts by name, severity and state (pending, firing, resolved).", labelNames: ['alertname', 'severity', 'state'], registers })
    this.notificationAttempts = new Counter({ name: 'highway_alert_notification_attempts_total', help: 'Notification attempts (Alertmanager pushes, webhook posts) by receiver.', labelNames: ['receiver'], registers })
    this.notificationFailures = new Counter({ name: 'highway_alert_notification_failures_total', help: 'Failed notification attempts by receiver.', labelNames: ['receiver'], registers })
    this.intakePayloads = new Counter({ name: 'highway_alertmanager_intake_payloads_total', help: 'Alertmanager webhook payloads by outcome (stored, invalid, unavailable).', labelNames: ['outcome'], registers })
  }

  /** Publishes the evaluator's current alerts; label sets that disappeared are reset. */
  publish(alerts: readonly StoredAlert[]): void {
    this.alerts.reset()
    for (const a of alerts) this.alerts.inc({ alertname: a.labels.alertname ?? '', severity: a.labels.severity ?? '', state: a.state })
  }
}
