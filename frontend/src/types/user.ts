import { z } from 'zod'

export const userSchema = z.object({
  id: z.number(),
  username: z.string(),
  email: z.string().nullish().transform((value) => value ?? ''),
  is_staff: z.boolean().catch(false),
})

export type User = z.infer<typeof userSchema>

export const loginInputSchema = z.object({
  username: z.string().trim().min(1, 'Enter your username.'),
  password: z.string().min(1, 'Enter your password.'),
})

export type LoginInput = z.infer<typeof loginInputSchema>
