/** The public entry of the models feature: other features and the app import only from here. */
export { useModel, useModels } from '@/features/models/api/models'
export type { ModelDetail } from '@/features/models/api/types'
export { modelScope } from '@/features/models/lib/model-metrics'
