// The clinic booking triage page (issue 15): asks the serving API for the booking-spam probability of the
// description, shows it with its explanation, and sends the person's confirmation or correction as a Faro `label`
// event, which Highway's /v1/faro turns into a label of the prediction. Bundled by web/bundle.mjs; no CDN.
import { getWebInstrumentations, initializeFaro, type Faro } from '@grafana/faro-web-sdk'

interface DemoConfig {
  readonly model: string
  readonly faro: { readonly url: string; readonly app: string; readonly apiKey?: string } | null
}

interface Prediction {
  readonly id: string
  readonly version: number
  readonly prediction: string | number
  readonly scores?: Record<string, number>
  readonly contributions?: Record<string, number>
}

const byId = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T

/** The Highway key a person typed into the status page's login form, if any (kept in sessionStorage, never the URL). */
function authHeaders(): Record<string, string> {
  const key = sessionStorage.getItem('highway.key')
  return key ? { authorization: `Bearer ${key}` } : {}
}

function show(problem: string): void {
  const p = byId<HTMLParagraphElement>('problem')
  p.textContent = problem
  p.hidden = false
}

async function main(): Promise<void> {
  const config = (await (await fetch('/demo/config.json')).json()) as DemoConfig
  let faro: Faro | undefined
  if (config.faro) {
    faro = initializeFaro({
      url: config.faro.url,
      ...(config.faro.apiKey ? { apiKey: config.faro.apiKey } : {}),
      app: { name: config.faro.app, version: '1.0.0', environment: 'demo' },
      instrumentations: getWebInstrumentations({ captureConsole: true }),
    })
  }
  // The SDK sets `window.faro` itself (read-only), for the console.
  // The form answers once the SDK is set up; until then a submit would reload the page.
  byId<HTMLButtonElement>('submit').disabled = false
  document.body.dataset.ready = 'true'

  let current: { id: string; predicted: string; classes: string[] } | undefined
  byId<HTMLFormElement>('booking').addEventListener('submit', (event) => {
    event.preventDefault()
    void (async () => {
      const description = byId<HTMLTextAreaElement>('description').value
      const id = crypto.randomUUID()
      const started = performance.now()
      const response = await fetch(`/v1/models/${encodeURIComponent(config.model)}/predict`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...authHeaders() },
        body: JSON.stringify({ records: [{ id, features: { message: description } }], explain: true }),
      })
      const durationMs = performance.now() - started
      faro?.api.pushMeasurement({ type: 'prediction', values: { duration_ms: durationMs } }, { context: { model: config.model, status: String(response.status) } })
      if (!response.ok) {
        const text = await response.text()
        faro?.api.pushError(new Error(`prediction failed with ${response.status}: ${text.slice(0, 200)}`))
        show(`The request could not be checked (${response.status}). Please call the clinic.`)
        return
      }
      const { predictions } = (await response.json()) as { predictions: Prediction[] }
      const p = predictions[0]!
      const classes = Object.keys(p.scores ?? {}).sort()
      const positive = classes[classes.length - 1] ?? 'spam'
      current = { id: p.id, predicted: String(p.prediction), classes }
      byId('probability').textContent = `${Math.round((p.scores?.[positive] ?? 0) * 100)} %`
      byId('predicted').textContent = String(p.prediction)
      const contributions = Object.entries(p.contributions ?? {}).sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]))
      byId('explanation').textContent = contributions.length
        ? `Why: ${contributions.map(([f, c]) => `${f} ${c >= 0 ? 'raises' : 'lowers'} the log-odds of ${positive} by ${Math.abs(c).toFixed(2)}`).join('; ')} (model version ${p.version}).`
        : `Model version ${p.version}.`
      byId('triage').dataset.predictionId = p.id
      byId('triage').hidden = false
      byId('thanks').hidden = true
    })().catch((err: unknown) => {
      faro?.api.pushError(err instanceof Error ? err : new Error(String(err)))
      show('Something went wrong. Please call the clinic.')
    })
  })
  const answer = (confirmed: boolean) => () => {
    if (!current) return
    const label = confirmed ? current.predicted : (current.classes.find((c) => c !== current!.predicted) ?? current.predicted)
    faro?.api.pushEvent('label', { model: config.model, prediction_id: current.id, label })
    byId('thanks').hidden = false
  }
  byId('confirm').addEventListener('click', answer(true))
  byId('correct').addEventListener('click', answer(false))
}

main().catch((err: unknown) => show(`The page could not start: ${err instanceof Error ? err.message : String(err)}`))
