/** One OpenSLO v1 SLO on booking-spam's availability (ok over all predictions, 99% over 7 days), as tests write it. */
export const BOOKING_AVAILABILITY_SLO = `apiVersion: openslo/v1
kind: SLO
metadata: { name: booking-availability }
spec:
  service: booking
  indicator:
    metadata: { name: booking-ok }
    spec:
      ratioMetric:
        good: { metricSource: { type: highway, spec: { model: booking-spam, select: ok } } }
        total: { metricSource: { type: highway, spec: { model: booking-spam, select: all } } }
  timeWindow: [{ duration: 7d, isRolling: true }]
  budgetingMethod: Occurrences
  objectives: [{ displayName: available, target: 0.99 }]
`
