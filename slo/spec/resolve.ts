import { checkReferencedObjects } from './resolve-catalog.ts'
import { IssueList } from './resolve-context.ts'
import { indexDocuments } from './resolve-index.ts'
import { resolveSlos } from './resolve-slo.ts'
import type { LoadSloOptions, ResolvedSlo, SpecError } from './types.ts'
import type { SourceDocument } from './yaml-documents.ts'

/**
 * Resolves every SLO of a set of documents: checks each document, then references and rules across fields and
 * documents. The stages run in this order, all writing to one issue list, so problems come in the order they are
 * written within a document:
 * 1. `indexDocuments`: each document on its own (envelope, kind, structure, annotations), indexed by kind and name;
 * 2. `checkReferencedObjects`: DataSources, AlertConditions, notification targets, AlertPolicies and SLIs, each once;
 * 3. `resolveSlo`, for each SLO: its SLI, service, window, objectives, alert policies and settings;
 * 4. `resolveSlos`: the list of those that resolved without a problem.
 */
export function resolveDocuments(documents: readonly SourceDocument[], options: LoadSloOptions): { specs: ResolvedSlo[]; errors: SpecError[] } {
  const issues = new IssueList()
  const indexed = indexDocuments(issues, documents)
  const catalog = checkReferencedObjects(issues, indexed, options.models)
  const specs = resolveSlos(issues, { ...catalog, settingsOf: indexed.settingsOf, models: options.models }, indexed.declared.SLO)
  return { specs, errors: issues.errors }
}
