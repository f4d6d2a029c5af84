import type { components } from '@/types/api.generated'

/** Every schema of the Django API, generated from its OpenAPI document (`npm run api:types`). */
export type Schemas = components['schemas']
