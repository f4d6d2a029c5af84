import type { z } from 'zod'

export const CSRF_COOKIE_NAME = 'csrftoken'
export const CSRF_HEADER_NAME = 'X-CSRFToken'
export const CSRF_ENDPOINT = '/api/auth/csrf/'

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

export type FieldErrors = Record<string, string[]>

export interface ParsedErrorBody {
  message: string
  detail: string | null
  fieldErrors: FieldErrors
  nonFieldErrors: string[]
}

/** An HTTP or network failure, with Django REST framework error bodies broken down by field. */
export class ApiError extends Error {
  override readonly name = 'ApiError'
  /** HTTP status, or 0 when the server could not be reached. */
  readonly status: number
  readonly detail: string | null
  readonly fieldErrors: FieldErrors
  readonly nonFieldErrors: string[]
  readonly body: unknown

  constructor(status: number, parsed: ParsedErrorBody, body: unknown = null) {
    super(parsed.message)
    this.status = status
    this.detail = parsed.detail
    this.fieldErrors = parsed.fieldErrors
    this.nonFieldErrors = parsed.nonFieldErrors
    this.body = body
  }

  get isNetworkError(): boolean {
    return this.status === 0
  }

  /** Django answers 401 or 403 to a request without a valid session. */
  get isAuthError(): boolean {
    return this.status === 401 || this.status === 403
  }

  get hasFieldErrors(): boolean {
    return Object.keys(this.fieldErrors).length > 0
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

/**
 * Turn a DRF error body into a message plus field errors.
 *
 * Handles `{"detail": "..."}`, `{"non_field_errors": [...]}`, `{"field": ["..."]}`, nested
 * serializer errors (reported as `parent.child`), a bare list of messages and plain text.
 */
export function parseErrorBody(status: number, body: unknown): ParsedErrorBody {
  let detail: string | null = null
  const nonFieldErrors: string[] = []
  const fieldErrors: FieldErrors = {}

  if (typeof body === 'string') {
    const text = body.trim()
    // HTML error pages are not worth showing to a person.
    if (text !== '' && !text.startsWith('<') && text.length <= 300) detail = text
  } else if (Array.isArray(body)) {
    nonFieldErrors.push(...toMessages(body))
  } else if (typeof body === 'object' && body !== null) {
    for (const [key, value] of Object.entries(body)) {
      if (key === 'detail') {
        detail = toMessages(value).join(' ') || null
      } else if (key === 'non_field_errors') {
        nonFieldErrors.push(...toMessages(value))
      } else if (key !== 'code' && key !== 'status_code') {
        collectFieldErrors(value, key, fieldErrors)
      }
    }
  }

  const firstFieldError = Object.values(fieldErrors)[0]?.[0]
  const message =
    detail ?? (nonFieldErrors.length > 0 ? nonFieldErrors.join(' ') : null) ?? firstFieldError ?? statusFallbackMessage(status)
  return { message, detail, fieldErrors, nonFieldErrors }
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
  const detail = (body as { detail?: unknown }).detail
  return typeof detail === 'string' && detail.toLowerCase().includes('csrf')
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
      { ...parseErrorBody(response.status, null), message: 'The server sent a response this app does not understand.' },
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
