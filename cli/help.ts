// Help texts, kept apart from the commands so `highway --help` (and every usage error) loads nothing heavy.
import { DEFAULT_REPORT_BUCKETS, MAX_REPORT_BUCKETS } from './report-buckets.ts'

/** The commands `highway` knows, in the order the overview lists them. */
export const COMMAND_NAMES = ['start', 'migrate', 'demo', 'slo', 'rules', 'dashboards', 'drift', 'quality', 'performance', 'report', 'train', 'models', 'release', 'rollback', 'runbook', 'alerts', 'silence', 'incident'] as const
/** One `highway` command. */
export type CommandName = (typeof COMMAND_NAMES)[number]
/**
 * The components of `highway start`, for its help. cli/service.ts owns the list (COMPONENTS) and `start` checks
 * against that one; importing it here would load the whole service for `--help`. A test keeps the two equal.
 */
export const COMPONENT_NAMES = ['collector', 'analyzer', 'slo', 'serving', 'alerts'] as const

/** True when `name` is a command (looked up in a list, so `constructor` or `toString` are not commands). */
export function isCommandName(name: string): name is CommandName {
  return (COMMAND_NAMES as readonly string[]).includes(name)
}

const COMMON = `Common options:
  --config F      YAML config file (or HIGHWAY_CONFIG)
  --data-dir D    embedded ClickHouse data directory (default ./data, or HIGHWAY_DATA_DIR)
  --json          print one JSON document instead of text
  -h, --help      this help`

const ANALYSIS_HELP = (command: string, what: string): string => `Usage: highway ${command} --model M [--from T] [--to T] [--version V] [--url U] [--api-key K] [--json]

Asks a running Highway for ${what}.
  --model M       model name (required)
  --from T, --to T  window as ISO-8601 or epoch ms (default: the model's analysis.window ending now)
  --version V     one model version (default: all)
  --url U         service URL (default HIGHWAY_URL or http://127.0.0.1:8080)
  --api-key K     bearer key with the read scope (default HIGHWAY_API_KEY)
  --json          print the API's JSON document
  -h, --help      this help`

/** The overview `highway --help` prints, and every unknown command too. */
export function overviewHelp(version: string): string {
  return `highway ${version} — observability and SRE for machine-learning systems

Usage: highway <command> [options]

Commands:
  start [component…]  run the service (components: ${COMPONENT_NAMES.join(', ')}; default all)
  migrate             apply storage migrations (--print shows the DDL, --cluster NAME for a cluster)
  demo                the closed loop on the bike-sharing data in simulated time (npm run demo)
  slo validate DIR    check OpenSLO v1 specs (default: the config's slos: directory)
  rules --out DIR     write Sloth-style Prometheus rules for Prometheus-sourced SLOs (see rules --help)
  dashboards --out DIR  write the Grafana dashboards as JSON (grafana/dashboards is the committed copy)
  drift               drift of a model's window against its reference (from a running service)
  quality             data quality of a window (from a running service)
  performance         realised and estimated performance of a window (from a running service)
  report              one self-contained HTML page: drift, histograms, quality and performance over time
  train               train, check and register a model version (--reproduce M V retrains a recorded one)
  models [list|show M]  registered versions, aliases and releases (from a running service)
  release             start a canary, shadow or blue/green release of a registered version
  rollback            move a model's champion back to the previous good version
  runbook             list, run, show, approve or cancel runbooks (validate DIR checks the files)
  incident list|show ID  incidents, their timelines and probable causes (--markdown: a postmortem skeleton)
  alerts              current alerts, Highway's own and Alertmanager's (from a running service)
  silence             add, list or expire silences (from a running service)

Storage is embedded ClickHouse (chDB) under --data-dir unless CLICKHOUSE_URL is set
(with CLICKHOUSE_USER, CLICKHOUSE_PASSWORD, CLICKHOUSE_DATABASE).

${COMMON}`
}

/** Each command's help, `highway <command> --help`. */
export const COMMAND_HELP: Readonly<Record<CommandName, string>> = {
  start: `Usage: highway start [component…] [--config F] [--data-dir D] [--host H] [--port P]

Runs the given components in one process (default: all of ${COMPONENT_NAMES.join(', ')}).
Without API keys in the config it listens on loopback only.

  --host H        bind address (default 127.0.0.1, or HIGHWAY_HOST)
  --port P        port (default 8080, or HIGHWAY_PORT; 0 picks a free one)
${COMMON}`,
  migrate: `Usage: highway migrate [--print] [--cluster NAME] [--config F] [--data-dir D]

Applies pending numbered migrations and records them in schema_migrations.
  --print         print the DDL instead of applying it
  --cluster NAME  generate ON CLUSTER DDL with Replicated and Distributed tables
${COMMON}`,
  slo: `Usage: highway slo validate [DIR] [--config F] [--json]
       highway slo list | show NAME [--url U] [--api-key K] [--json]

list/show ask a running Highway for each SLO's SLI, error budget, burn rates and alerts.

Checks every OpenSLO v1 document (SLO, SLI, AlertPolicy, AlertCondition, Service, DataSource) under DIR
(default: the config's slos: directory), resolves references, and with --config also checks models,
features and metrics. Exit code 1 when a spec is invalid; each error names the file, the path and the rule.
  --json          print one JSON document
  -h, --help      this help`,
  dashboards: `Usage: highway dashboards --out DIR [--json]

Writes Highway's Grafana dashboards (SLO overview, model health, serving, collector, incidents) into DIR as
<uid>.json, built from grafana/*.ts. They read the datasources of grafana/provisioning (Prometheus uid prometheus,
ClickHouse uid clickhouse). \`npm run dashboards\` regenerates the committed copy in grafana/dashboards.
  --out DIR       where to write (created when missing)
  --json          print {files}
  -h, --help      this help`,
  rules: `Usage: highway rules --out DIR [--slos DIR] [--period-sli exact|sloth-optimized] [--config F] [--json]

Writes one Prometheus rule file per objective of each Prometheus-sourced SLO (ratio SLI, rolling window) into
DIR: the 8 SLI and 7 meta recording rules as Sloth generates them (sloth_id <service>-<slo>-<objective index>),
and one multiwindow multi-burn-rate alert per AlertPolicy (its name, labels, annotations, alertAfter as for:),
or Sloth's default page and ticket alerts without policies. Other SLOs are listed as skipped: Highway evaluates them.
  --out DIR       where to write (created when missing)
  --slos DIR      OpenSLO directory (default: the config's slos:)
  --period-sli M  exact (default): the period SLI is errors over events of the whole period (a ratio of
                  sums, what the budget means); sloth-optimized: the mean of the 5m ratios, as Sloth writes it
                  (cheaper for Prometheus, but a quiet 5 minutes weighs as much as a busy one)
  --json          print {files, skipped}
  -h, --help      this help`,
  drift: ANALYSIS_HELP('drift', 'per-feature drift tests, dataset drift share, prediction and multivariate drift'),
  quality: ANALYSIS_HELP('quality', 'missing, out-of-range, type errors, unseen categories, volume, freshness, label coverage'),
  performance: ANALYSIS_HELP('performance', 'realised metrics on labelled rows and CBPE estimates until labels arrive'),
  report: `Usage: highway report --model M [--from T] [--to T] [--version V] [--buckets N] [--out F] [--url U] [--api-key K] [--json]

Asks a running Highway for a window's drift, and for data quality and performance per bucket of it,
and writes one self-contained HTML page (inline CSS and SVG: no script, no CDN, opens offline).
  --model M       model name (required)
  --from T, --to T  window as ISO-8601 or epoch ms (default: the model's analysis.window ending now)
  --version V     one model version (default: all)
  --buckets N     buckets of the "over time" charts, 1 to ${MAX_REPORT_BUCKETS} (default ${DEFAULT_REPORT_BUCKETS})
  --out F         file to write (default report-<model>.html)
  --url U         service URL (default HIGHWAY_URL or http://127.0.0.1:8080)
  --api-key K     bearer key with the read scope (default HIGHWAY_API_KEY)
  --json          print a JSON document (path, window, drift verdict) instead of the path
  -h, --help      this help`,
  models: `Usage: highway models [list] [--json]
       highway models show M [--json]

list: every configured model with its registered versions, newest version and champion.
show: a model's versions (aliases, lineage, gates, metrics) and its recent releases.
  --url U         service URL (default HIGHWAY_URL or http://127.0.0.1:8080)
  --api-key K     bearer key (default HIGHWAY_API_KEY) with the read scope
  --json          print the API's JSON document
  -h, --help      this help`,
  release: `Usage: highway release --model M --version V --strategy canary|shadow|bluegreen [--fix] [--steps 5,25,50,100] [--interval S] [--json]

Starts a release of a registered version on a running Highway:
  canary     traffic weights step up (default 5, 25, 50, 100%), each judged against the champion (errors,
             p99 latency, prediction drift, accuracy when labelled); failures roll back, success promotes
  shadow     a share of requests is mirrored to the version (responses never change); success makes it the challenger
  bluegreen  the champion switches at once; the old version stays loaded for an instant rollback
Refused (409) while the model's error budget policy freezes releases, unless --fix.
  --model M, --version V, --strategy S   required
  --fix           the release is a fix: allowed while frozen
  --steps LIST    canary weights or shadow shares in percent
  --interval S    seconds between analyses (default 60)
  --url U         service URL (default HIGHWAY_URL or http://127.0.0.1:8080)
  --api-key K     bearer key (default HIGHWAY_API_KEY) with the operate scope
  --json          print the API's JSON document
  -h, --help      this help`,
  rollback: `Usage: highway rollback --model M [--to V] [--json]

Moves the model's champion back to the previous good version (or to V), stopping a running canary or shadow
first. Repeating it is a no-op that says so; with nothing to roll back to it is refused (409). Audited.
  --model M       model name (required)
  --to V          the version to go back to (default: the previous good champion)
  --url U         service URL (default HIGHWAY_URL or http://127.0.0.1:8080)
  --api-key K     bearer key (default HIGHWAY_API_KEY) with the operate scope
  --json          print the API's JSON document
  -h, --help      this help`,
  runbook: `Usage: highway runbook validate [DIR] [--config F] [--json]
       highway runbook list | runs [--model M] [--status S] | show ID [--url U] [--api-key K] [--json]
       highway runbook run NAME --model M [--dry-run] | approve ID | cancel ID [--url U] [--api-key K] [--json]

validate checks runbook YAML files (default: the config's runbooks: directory) and names the file, key and
value of each problem (exit 1). The others ask a running Highway (docs/runbooks.md): list the runbooks, their
runs and one run's steps; start one by hand (--dry-run shows the plan and what would be refused); approve the
step a run waits on; cancel a run.
  --model M       model name
  --status S      running, waiting, succeeded, failed, refused, aborted, cancelled, planned or skipped
  --dry-run       plan only: nothing acts
  --url U         service URL (default HIGHWAY_URL or http://127.0.0.1:8080)
  --api-key K     bearer key (default HIGHWAY_API_KEY): read to list, operate to run, approve and cancel
  --json          print the API's JSON document
  -h, --help      this help`,
  train: `Usage: highway train --model M [--data F] [--target COL] [--config C] [--data-dir D] [--url U] [--api-key K] [--json]
       highway train --reproduce M V [--config C] [--data-dir D] [--json]

Trains model M as its config's training block says (examples/highway.yaml): load and validate the data, data
quality gates (shift against the champion's training set), split, search, refit, holdout metrics, ONNX export
checked against the TypeScript forward pass, latency, release gates, permutation importance, and registers the
version in the store (embedded under --data-dir, or CLICKHOUSE_URL) with its lineage and the analyzer's
reference set. A version that fails a release gate is registered but not eligible for release.
  --model M       model name in the config (required)
  --data F        CSV/TSV/NDJSON file (default training.data.path), or stored, labelled predictions:
                  clickhouse:30d (last 30 days; m h d w) or clickhouse:FROM..TO (ISO-8601 or epoch ms),
                  optionally ending in @VERSION for one served version
  --target COL    target column (overrides training.target)
  --url U         register through the service at U instead of opening the data directory (the normal case
                  beside a running \`highway start\`, which holds chDB's lock); when the directory is locked and
                  no --url is given, HIGHWAY_URL is used if set. File data only.
  --api-key K     bearer key with the operate scope for --url (default HIGHWAY_API_KEY)
  --reproduce M V retrain version V of model M from its lineage (same data, hashed again; same parameters
                  and seed) and report per metric whether it matches
Exit code 0: registered and eligible (or reproduced); 1: a gate failed, the run stopped, or the
reproduction differs; 2: bad usage or config. A terminal shows progress; --json prints one JSON document.
${COMMON}`,
  alerts: `Usage: highway alerts [--state S] [--model M] [--url U] [--api-key K] [--json]

The alerts of a running Highway: its own (SLO burn rates, model health) and those Alertmanager sent in.
  --state S       inactive, pending, firing or resolved (default: all but inactive)
  --model M       only this model's alerts
  --url U         service URL (default HIGHWAY_URL or http://127.0.0.1:8080)
  --api-key K     bearer key with the read scope (default HIGHWAY_API_KEY)
  --json          print the API's JSON document
  -h, --help      this help`,
  silence: `Usage: highway silence add --matcher 'name=value' [--matcher …] --duration D --comment C [--author A] [--json]
       highway silence list [--json]
       highway silence expire ID [--json]

Silences of a running Highway (Alertmanager's semantics: a silenced alert is evaluated and recorded, not notified).
  --matcher M     name=value, name!=value, name=~regex or name!~regex (repeat: all must match)
  --duration D    how long from now: 30m, 2h, 1h30m, 7d
  --comment C     why (required)
  --author A      who (default: the login name)
  --url U         service URL (default HIGHWAY_URL or http://127.0.0.1:8080)
  --api-key K     bearer key (default HIGHWAY_API_KEY): operate scope for add and expire, read for list
  --json          print the API's JSON document
  -h, --help      this help`,
  demo: `Usage: highway demo [--config F] [--data-dir D] [--host H] [--port P] [--exit] [--json]

The closed loop on real data, in simulated time: trains bike-demand on 2011 (UCI bike sharing), releases
it, replays the hours from mid-December 2011 through the serving API with labels a day late; the analyzer's
weekly drift and performance, the quality SLO's page, and a later version with a latency fault rolled back
by its canary analysis. Prints the timeline and writes an HTML report; the service keeps running.
  --config F      demo config (default examples/demo/highway.yaml)
  --data-dir D    an empty or absent directory (default ./data/demo, wiped first)
  --exit          stop the service at the end (exit 0 when every step happened)
  --json          print {ok, duration_s, events, stages_s, mae} instead of the timeline
${COMMON}`,
  incident: `Usage: highway incident list [--status S] [--model M] [--from T] [--to T] [--url U] [--api-key K] [--json]
       highway incident show ID [--markdown] [--url U] [--api-key K] [--json]

Asks a running Highway for its incidents (opened by page alerts, resolved when their alerts resolve).
list: newest first; show: one incident's alerts, timeline, probable causes and error budget consumed.
  --status S      triage, investigating, mitigated, resolved (comma-separated)
  --model M       incidents touching this model
  --from T, --to T  incidents open at some time in [from, to) (ISO-8601 or epoch ms)
  --markdown      (show) print a postmortem skeleton: the SRE Workbook's sections, pre-filled
  --url U         service URL (default HIGHWAY_URL or http://127.0.0.1:8080)
  --api-key K     bearer key with the read scope (default HIGHWAY_API_KEY)
  --json          print the API's JSON document
  -h, --help      this help`,
}
