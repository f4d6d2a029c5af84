import { z } from 'zod'
import type { Schemas } from '@/types/api'

/** The signed-in user, as the schema declares it. */
export type User = Schemas['User']

/** Runtime check of `/api/auth/me/` (an older server may send a null e-mail or no staff flag). */
export const userSchema: z.ZodType<User> = z.object({
  id: z.number(),
  username: z.string(),
  email: z.string().nullish().transform((value) => value ?? ''),
  is_staff: z.boolean().catch(false),
})

export const loginInputSchema = z.object({
  username: z.string().trim().min(1, 'Enter your username.'),
  password: z.string().min(1, 'Enter your password.'),
})

export type LoginInput = z.infer<typeof loginInputSchema>
