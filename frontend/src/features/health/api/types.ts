import { z } from 'zod'
import type { Schemas } from '@/types/api'

/**
 * One dependency's check: the schema's HealthCheck, plus the worker's `last_heartbeat` that the
 * server sends but the schema does not declare yet (and `latency_ms`, which older servers omit).
 */
export type HealthCheckReport = Omit<Schemas['HealthCheck'], 'latency_ms'> & { latency_ms?: number; last_heartbeat?: string | null }

/** The schema's Health, read tolerantly: a newer server's mode or status still renders. */
export type HealthReport = Omit<Schemas['Health'], 'checks' | 'mode' | 'status'> & {
  mode: Schemas['HealthModeEnum'] | (string & {})
  status: Schemas['HealthStatusEnum'] | (string & {})
  checks: Record<string, HealthCheckReport>
}

export const healthCheckSchema: z.ZodType<HealthCheckReport> = z.object({
  ok: z.boolean(),
  detail: z
    .string()
    .nullish()
    .transform((value) => value ?? ''),
  latency_ms: z.number().optional(),
  last_heartbeat: z.string().nullish(),
})

export const healthSchema: z.ZodType<HealthReport> = z.object({
  status: z.string(),
  mode: z.string(),
  version: z.string(),
  checks: z.record(z.string(), healthCheckSchema),
})
