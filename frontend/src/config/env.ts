import { z } from 'zod'

const envSchema = z.object({
  VITE_STREAM_PATH: z
    .string()
    .startsWith('/', 'VITE_STREAM_PATH must be an absolute path such as /ws/stream/')
    .default('/ws/stream/'),
  VITE_HEALTH_POLL_MS: z.coerce.number().int().min(1000).default(10_000),
})

function parseEnv(source: Record<string, unknown>) {
  const result = envSchema.safeParse(source)
  if (!result.success) {
    throw new Error(`Invalid frontend configuration:\n${z.prettifyError(result.error)}`)
  }
  return {
    streamPath: result.data.VITE_STREAM_PATH,
    healthPollMs: result.data.VITE_HEALTH_POLL_MS,
  }
}

export const env = parseEnv(import.meta.env)
