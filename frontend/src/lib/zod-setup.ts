import { z } from 'zod'

/**
 * Zod without its eval-compiled fast path. The pages' Content-Security-Policy allows no eval
 * (script-src 'self'), and zod's probe for `new Function` support is reported by the browser
 * as a CSP violation even though zod catches it. Imported first by main.tsx, before any schema
 * is built (an object schema reads this setting when it is created).
 */
z.config({ jitless: true })
