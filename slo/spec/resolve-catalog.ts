import { checkCondition, checkPolicy } from './resolve-alerting.ts'
import type { ConditionValue, DataSourceValue, Declared, IssueList, Parsed, PolicyValue, SliValue } from './resolve-context.ts'
import type { IndexedDocuments, ServiceSpec } from './resolve-index.ts'
import { checkDataSource, checkSli } from './resolve-sli.ts'
import type { SpecModel } from './types.ts'

/** The objects SLOs refer to, each checked once where it is declared; a value is undefined when it has problems. */
export interface Catalog {
  readonly services: ReadonlyMap<string, Declared<Parsed<ServiceSpec>>>
  readonly dataSources: ReadonlyMap<string, Declared<DataSourceValue>>
  readonly conditions: ReadonlyMap<string, Declared<ConditionValue>>
  readonly targets: ReadonlyMap<string, Declared<string>>
  readonly policies: ReadonlyMap<string, Declared<PolicyValue>>
  readonly slis: ReadonlyMap<string, Declared<SliValue>>
}

/** Checks every declared object of one kind with `check`, keeping its place and name. */
function checkEach<S, T>(map: ReadonlyMap<string, Declared<S>>, check: (doc: Declared<S>['doc'], value: S, name: string) => T | undefined): Map<string, Declared<T>> {
  const out = new Map<string, Declared<T>>()
  for (const [name, { doc, value }] of map) out.set(name, { doc, value: value === undefined ? undefined : check(doc, value, name) })
  return out
}

/**
 * Stage 2: checks the objects that others refer to, in the order they depend on each other (DataSources and
 * AlertConditions first, then AlertPolicies, then SLIs), so that each problem is reported once, where it is written.
 */
export function checkReferencedObjects(issues: IssueList, indexed: IndexedDocuments, models: readonly SpecModel[] | undefined): Catalog {
  const { declared, settingsOf } = indexed
  const dataSources = checkEach(declared.DataSource, (doc, value) => checkDataSource(issues, doc, value.spec))
  const conditions = checkEach(declared.AlertCondition, (doc, value) => checkCondition(issues, doc, [], value))
  const targets = checkEach(declared.AlertNotificationTarget, (_doc, _value, name) => name)
  const policies = checkEach(declared.AlertPolicy, (doc, value) => checkPolicy(issues, { conditions, targets }, doc, [], value))
  const slis = checkEach(declared.SLI, (doc, value) => checkSli(issues, { dataSources, settingsOf, models }, doc, [], value))
  return { services: declared.Service, dataSources, conditions, targets, policies, slis }
}
