import { z } from 'zod'

export const healthCheckSchema = z.object({
  ok: z.boolean(),
  detail: z.string().nullish().transform((value) => value ?? ''),
  last_heartbeat: z.string().nullish(),
})

export const healthSchema = z.object({
  status: z.string(),
  mode: z.string(),
  version: z.string(),
  checks: z.record(z.string(), healthCheckSchema),
})

export type HealthCheck = z.infer<typeof healthCheckSchema>
export type Health = z.infer<typeof healthSchema>
