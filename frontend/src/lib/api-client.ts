import type { z } from 'zod'
import type { Schemas } from '@/types/api'

export const CSRF_COOKIE_NAME = 'csrftoken'
export const CSRF_HEADER_NAME = 'X-CSRFToken'
export const CSRF_ENDPOINT = '/api/auth/csrf/'

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

export type FieldErrors = Record<string, string[]>

/**
 * The API's one error shape (docs: contracts, "API error shape"): every non-2xx JSON answer from
 * /api/ is `{code, message, field, fields}`. `fields` maps input names (nested ones joined with
 * ".", non-field errors under "non_field_errors") to their messages.
 */
export interface ApiErrorShape {
  code: string
  message: string
  field: string | null
  fields: FieldErrors
}

export interface ParsedErrorBody extends ApiErrorShape {
  /** A plain `{"detail": ...}` text from a server that predates the shape, else null. */
  detail: string | null
}

const NON_FIELD_ERRORS = 'non_field_errors'

/** An HTTP or network failure, typed after the API's error shape. */
/** The API's error body (`{code, message, field, fields}`), which `ApiError` implements. */
export type ApiErrorBody = Schemas['Error']

export class ApiError extends Error implements ApiErrorBody {
  override readonly name = 'ApiError'
  /** HTTP status, or 0 when the server could not be reached. */
  readonly status: number
  /** Stable snake_case code, e.g. `validation_error`, `not_found`, `live_trading_disabled`. */
  readonly code: string
  /** The offending input, when the server names one. */
  readonly field: string | null
  /** Messages per input name (`non_field_errors` for the form as a whole). */
  readonly fields: FieldErrors
  readonly detail: string | null
  readonly body: unknown

  constructor(status: number, parsed: ParsedErrorBody, body: unknown = null) {
    super(parsed.message)
    this.status = status
    this.code = parsed.code
    this.field = parsed.field
    this.fields = parsed.fields
    this.detail = parsed.detail
    this.body = body
  }

  get isNetworkError(): boolean {
    return this.status === 0
  }

  /** Django answers 401 or 403 to a request without a valid session. */
  get isAuthError(): boolean {
    return this.status === 401 || this.status === 403
  }

  /**
   * Per-input messages, without the form-wide ones. An error that names an input (`field`) but
   * lists no message for it (a project error such as `live_trading_disabled`) puts its message there.
   */
  get fieldErrors(): FieldErrors {
    const { [NON_FIELD_ERRORS]: _ignored, ...rest } = this.fields
    if (this.field !== null && this.field !== NON_FIELD_ERRORS && (rest[this.field] ?? []).length === 0) {
      return { ...rest, [this.field]: [this.message] }
    }
    return rest
  }

  get nonFieldErrors(): string[] {
    return this.fields[NON_FIELD_ERRORS] ?? []
  }

  get hasFieldErrors(): boolean {
    return Object.keys(this.fieldErrors).length > 0
  }

  /** Messages for one input: its `fields` entry, or the message when `field` names it. */
  messagesFor(name: string): string[] {
    const messages = this.fields[name]
    if (messages !== undefined && messages.length > 0) return messages
    return this.field === name ? [this.message] : []
  }
}

function toMessages(value: unknown): string[] {
  if (typeof value === 'string') return [value]
  if (typeof value === 'number' || typeof value === 'boolean') return [String(value)]
  if (Array.isArray(value)) return value.flatMap((item) => (typeof item === 'object' && item !== null ? [] : toMessages(item)))
  return []
}

function collectFieldErrors(value: unknown, path: string, into: FieldErrors): void {
  if (Array.isArray(value)) {
    const messages = toMessages(value)
    if (messages.length > 0) into[path] = [...(into[path] ?? []), ...messages]
    // Serializers with many=True report a list holding one error object per item.
    value.forEach((item, index) => {
      if (typeof item === 'object' && item !== null) collectFieldErrors(item, `${path}.${index}`, into)
    })
    return
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, nested] of Object.entries(value)) {
      collectFieldErrors(nested, path === '' ? key : `${path}.${key}`, into)
    }
    return
  }
  const messages = toMessages(value)
  if (messages.length > 0) into[path] = [...(into[path] ?? []), ...messages]
}

function statusFallbackMessage(status: number): string {
  if (status === 0) return 'Could not reach the server. Check your connection and try again.'
  if (status === 401 || status === 403) return 'You are not allowed to do this. Please sign in again.'
  if (status === 404) return 'The requested resource was not found.'
  if (status === 429) return 'Too many requests. Please wait a moment and try again.'
  if (status >= 500) return 'The server had a problem handling this request. Please try again shortly.'
  return `Request failed with status ${status}.`
}

function statusCode(status: number, hasFields: boolean): string {
  if (status === 0) return 'network_error'
  if (status === 400) return hasFields ? 'validation_error' : 'bad_request'
  if (status === 401) return 'not_authenticated'
  if (status === 403) return 'permission_denied'
  if (status === 404) return 'not_found'
  if (status === 405) return 'method_not_allowed'
  if (status === 409) return 'conflict'
  if (status === 429) return 'throttled'
  if (status >= 500) return 'server_error'
  return 'error'
}

function isErrorShape(body: unknown): body is ApiErrorShape {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false
  const record = body as Record<string, unknown>
  return (
    typeof record.code === 'string' &&
    typeof record.message === 'string' &&
    (record.field === null || typeof record.field === 'string' || record.field === undefined) &&
    typeof record.fields === 'object' &&
    record.fields !== null &&
    !Array.isArray(record.fields)
  )
}

/**
 * Turn an error body into the API's error shape.
 *
 * The documented shape is taken as is (messages normalised to string lists). Older bodies are
 * mapped onto it: `{"detail": "..."}`, `{"non_field_errors": [...]}`, `{"field": ["..."]}`,
 * nested serializer errors (reported as `parent.child`), a bare list of messages and plain text.
 */
export function parseErrorBody(status: number, body: unknown): ParsedErrorBody {
  if (isErrorShape(body)) {
    const fields: FieldErrors = {}
    for (const [name, messages] of Object.entries(body.fields)) {
      const list = toMessages(messages)
      if (list.length > 0) fields[name] = list
    }
    const message = body.message.trim() === '' ? statusFallbackMessage(status) : body.message
    return { code: body.code, message, field: body.field ?? null, fields, detail: null }
  }

  let detail: string | null = null
  const fields: FieldErrors = {}

  if (typeof body === 'string') {
    const text = body.trim()
    // HTML error pages are not worth showing to a person.
    if (text !== '' && !text.startsWith('<') && text.length <= 300) detail = text
  } else if (Array.isArray(body)) {
    const messages = toMessages(body)
    if (messages.length > 0) fields[NON_FIELD_ERRORS] = messages
  } else if (typeof body === 'object' && body !== null) {
    for (const [key, value] of Object.entries(body)) {
      if (key === 'detail') {
        detail = toMessages(value).join(' ') || null
      } else if (key !== 'code' && key !== 'status_code') {
        collectFieldErrors(value, key, fields)
      }
    }
  }

  const nonField = fields[NON_FIELD_ERRORS] ?? []
  const firstField = Object.keys(fields).find((name) => name !== NON_FIELD_ERRORS) ?? null
  const firstFieldError = firstField === null ? undefined : fields[firstField]?.[0]
  const message = detail ?? (nonField.length > 0 ? nonField.join(' ') : null) ?? firstFieldError ?? statusFallbackMessage(status)
  const hasFields = Object.keys(fields).length > 0
  const code =
    typeof body === 'object' && body !== null && typeof (body as { code?: unknown }).code === 'string'
      ? (body as { code: string }).code
      : statusCode(status, hasFields)
  return { code, message, field: firstField, fields, detail }
}

export function readCookie(name: string): string | null {
  if (typeof document === 'undefined' || document.cookie === '') return null
  for (const part of document.cookie.split(';')) {
    const separator = part.indexOf('=')
    if (separator === -1) continue
    if (part.slice(0, separator).trim() === name) {
      const value = part.slice(separator + 1).trim()
      try {
        return decodeURIComponent(value)
      } catch {
        return value
      }
    }
  }
  return null
}

let csrfRequest: Promise<void> | null = null

async function requestCsrfCookie(): Promise<void> {
  // Concurrent unsafe requests share one round trip.
  csrfRequest ??= fetch(CSRF_ENDPOINT, {
    method: 'GET',
    credentials: 'same-origin',
    headers: { Accept: 'application/json' },
  })
    .then((response) => {
      if (!response.ok) throw new ApiError(response.status, parseErrorBody(response.status, null))
    })
    .finally(() => {
      csrfRequest = null
    })
  return csrfRequest
}

/** Return the CSRF token, asking Django to set the cookie first when it is missing. */
export async function ensureCsrfToken({ refresh = false } = {}): Promise<string> {
  let token = refresh ? null : readCookie(CSRF_COOKIE_NAME)
  if (token !== null && token !== '') return token
  try {
    await requestCsrfCookie()
  } catch (error) {
    if (error instanceof ApiError) throw error
    throw new ApiError(0, parseErrorBody(0, null))
  }
  token = readCookie(CSRF_COOKIE_NAME)
  if (token === null || token === '') {
    throw new ApiError(0, {
      ...parseErrorBody(0, null),
      message: 'Could not obtain a security token from the server. Reload the page and try again.',
    })
  }
  return token
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

export interface RequestOptions<T> {
  method?: HttpMethod
  /** Plain values are sent as JSON; FormData is sent as is. */
  body?: unknown
  headers?: Record<string, string>
  signal?: AbortSignal
  /** Non-2xx statuses whose body is still a valid answer (e.g. 503 from the health check). */
  acceptStatuses?: readonly number[]
  /** Validate and type the response body. */
  schema?: z.ZodType<T>
}

async function readBody(response: Response): Promise<unknown> {
  if (response.status === 204 || response.status === 205) return undefined
  const text = await response.text()
  if (text === '') return undefined
  const contentType = response.headers.get('content-type') ?? ''
  if (contentType.includes('json')) {
    try {
      return JSON.parse(text) as unknown
    } catch {
      return text
    }
  }
  return text
}

function isCsrfFailure(status: number, body: unknown): boolean {
  if (status !== 403 || typeof body !== 'object' || body === null) return false
  const { detail, message } = body as { detail?: unknown; message?: unknown }
  const text = typeof message === 'string' ? message : detail
  return typeof text === 'string' && text.toLowerCase().includes('csrf')
}

async function send<T>(path: string, options: RequestOptions<T>, retryCsrf: boolean): Promise<T> {
  const method = options.method ?? 'GET'
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers }
  let body: BodyInit | undefined
  if (options.body instanceof FormData) {
    body = options.body
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body)
    headers['Content-Type'] = 'application/json'
  }
  if (UNSAFE_METHODS.has(method)) {
    headers[CSRF_HEADER_NAME] = await ensureCsrfToken({ refresh: !retryCsrf })
  }

  let response: Response
  try {
    response = await fetch(path, { method, headers, body, credentials: 'same-origin', signal: options.signal })
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error
    throw new ApiError(0, parseErrorBody(0, null))
  }

  const payload = await readBody(response)
  if (!response.ok && !(options.acceptStatuses ?? []).includes(response.status)) {
    // A rotated or expired token: fetch a fresh one once and repeat the request.
    if (retryCsrf && UNSAFE_METHODS.has(method) && isCsrfFailure(response.status, payload)) {
      return send(path, options, false)
    }
    throw new ApiError(response.status, parseErrorBody(response.status, payload), payload)
  }

  if (options.schema === undefined) return payload as T
  const parsed = options.schema.safeParse(payload)
  if (!parsed.success) {
    throw new ApiError(
      response.status,
      { ...parseErrorBody(response.status, null), code: 'bad_response', message: 'The server sent a response this app does not understand.' },
      payload,
    )
  }
  return parsed.data
}

/** Send a same-origin request to the Django API with session cookies and CSRF protection. */
export function apiRequest<T = unknown>(path: string, options: RequestOptions<T> = {}): Promise<T> {
  return send(path, options, true)
}

type WithoutMethod<T> = Omit<RequestOptions<T>, 'method' | 'body'>

export const api = {
  get: <T = unknown>(path: string, options?: WithoutMethod<T>) => apiRequest<T>(path, { ...options, method: 'GET' }),
  post: <T = unknown>(path: string, body?: unknown, options?: WithoutMethod<T>) =>
    apiRequest<T>(path, { ...options, method: 'POST', body }),
  put: <T = unknown>(path: string, body?: unknown, options?: WithoutMethod<T>) =>
    apiRequest<T>(path, { ...options, method: 'PUT', body }),
  patch: <T = unknown>(path: string, body?: unknown, options?: WithoutMethod<T>) =>
    apiRequest<T>(path, { ...options, method: 'PATCH', body }),
  delete: <T = unknown>(path: string, options?: WithoutMethod<T>) => apiRequest<T>(path, { ...options, method: 'DELETE' }),
}

/** A short, human-readable message for any thrown value. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message
  if (error instanceof Error && error.message !== '') return error.message
  return 'Something went wrong.'
}
