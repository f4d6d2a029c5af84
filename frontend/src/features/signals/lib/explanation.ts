import type { Schemas } from '@/types/api'
import type { SignalContribution } from '@/features/signals/api/types'

/**
 * The feature contributions behind a signal, largest effect first. Accepts the model's list of
 * `{feature, value, contribution}`, that list under `top`/`contributions`/`features`, or a plain
 * `{feature: contribution}` map.
 */
export function explanationContributions(explanation: unknown): SignalContribution[] {
  let items: unknown = explanation
  if (typeof explanation === 'object' && explanation !== null && !Array.isArray(explanation)) {
    const record = explanation as Record<string, unknown>
    items = record.top_features ?? record.top ?? record.contributions ?? record.features ?? record.shap
    if (items === undefined) {
      const entries = Object.entries(record).filter(([key, value]) => typeof value === 'number' && key !== 'feature_set_version')
      return entries
        .map(([feature, value]) => ({ feature, value: null, contribution: value as number }))
        .toSorted((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution))
    }
  }
  if (!Array.isArray(items)) return []
  const out: SignalContribution[] = []
  for (const item of items) {
    if (typeof item !== 'object' || item === null) continue
    const record = item as Record<string, unknown>
    const contribution = Number(record.contribution ?? record.shap ?? record.weight)
    if (typeof record.feature !== 'string' || !Number.isFinite(contribution)) continue
    const value = record.value
    out.push({
      feature: record.feature,
      value: typeof value === 'number' || typeof value === 'string' ? value : null,
      contribution,
    })
  }
  return out.toSorted((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution))
}

/** A short text summary of an explanation, when the server sends one. */
export function explanationSummary(explanation: unknown): string | null {
  if (typeof explanation === 'string') return explanation
  if (typeof explanation === 'object' && explanation !== null && !Array.isArray(explanation)) {
    const text = (explanation as Record<string, unknown>).summary ?? (explanation as Record<string, unknown>).text
    if (typeof text === 'string' && text !== '') return text
  }
  return null
}

/** A headline as shown: the schema's `Headline` with an unsafe or missing link or score dropped. */
export type ShownHeadline = Pick<Schemas['Headline'], 'title'> & { url: string | null; compound: number | null }

/** The news headlines the model saw before the candle closed (`explanation.headlines`). */
export function explanationHeadlines(explanation: unknown): ShownHeadline[] {
  if (typeof explanation !== 'object' || explanation === null || Array.isArray(explanation)) return []
  const items = (explanation as Record<string, unknown>).headlines
  if (!Array.isArray(items)) return []
  const out: ShownHeadline[] = []
  for (const item of items) {
    if (typeof item !== 'object' || item === null) continue
    const record = item as Record<string, unknown>
    if (typeof record.title !== 'string') continue
    out.push({
      title: record.title,
      url: typeof record.url === 'string' && /^https?:\/\//.test(record.url) ? record.url : null,
      compound: typeof record.compound === 'number' ? record.compound : null,
    })
  }
  return out
}
