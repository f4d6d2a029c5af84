import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { ApiError, api, apiRequest, parseErrorBody, readCookie } from '@/lib/api-client'
import { jsonResponse, mockFetch } from '@/test/render'

function setCookie(name: string, value: string) {
  document.cookie = `${name}=${value}; path=/`
}

async function caught(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise
  } catch (error) {
    if (error instanceof ApiError) return error
    throw error
  }
  throw new Error('expected the request to fail')
}

describe('api-client CSRF handling', () => {
  it('test_post_with_csrf_cookie_sends_token_header_json_and_same_origin_credentials', async () => {
    // given
    setCookie('csrftoken', 'token-from-cookie')
    const { requests } = mockFetch({ 'POST /api/things/': () => jsonResponse({ id: 1 }, 201) })

    // when
    const result = await api.post('/api/things/', { name: 'grid' })

    // then
    expect(result).toEqual({ id: 1 })
    expect(requests).toHaveLength(1)
    const [request] = requests
    expect(request?.headers.get('X-CSRFToken')).toBe('token-from-cookie')
    expect(request?.headers.get('Content-Type')).toBe('application/json')
    expect(request?.credentials).toBe('same-origin')
    expect(request?.body).toEqual({ name: 'grid' })
  })

  it('test_unsafe_request_without_cookie_fetches_csrf_endpoint_first', async () => {
    // given: no cookie; the CSRF endpoint sets one, as Django does
    const { requests } = mockFetch({
      'GET /api/auth/csrf/': () => {
        setCookie('csrftoken', 'fresh-token')
        return new Response(null, { status: 204 })
      },
      'DELETE /api/things/7/': () => new Response(null, { status: 204 }),
    })

    // when
    const result = await api.delete('/api/things/7/')

    // then
    expect(result).toBeUndefined()
    expect(requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      'GET /api/auth/csrf/',
      'DELETE /api/things/7/',
    ])
    expect(requests[1]?.headers.get('X-CSRFToken')).toBe('fresh-token')
  })

  it('test_concurrent_unsafe_requests_without_cookie_share_one_csrf_request', async () => {
    const { requests } = mockFetch({
      'GET /api/auth/csrf/': async () => {
        await new Promise((resolve) => setTimeout(resolve, 5))
        setCookie('csrftoken', 'shared')
        return new Response(null, { status: 204 })
      },
      'PATCH /api/things/1/': () => jsonResponse({ ok: true }),
    })

    await Promise.all([api.patch('/api/things/1/', { a: 1 }), api.patch('/api/things/1/', { a: 2 })])

    expect(requests.filter((request) => request.url === '/api/auth/csrf/')).toHaveLength(1)
    expect(requests.filter((request) => request.method === 'PATCH').map((request) => request.headers.get('X-CSRFToken'))).toEqual([
      'shared',
      'shared',
    ])
  })

  it('test_get_request_sends_no_csrf_header_and_never_asks_for_a_token', async () => {
    const { requests } = mockFetch({ 'GET /api/things/': () => jsonResponse([]) })

    await api.get('/api/things/')

    expect(requests).toHaveLength(1)
    expect(requests[0]?.headers.has('X-CSRFToken')).toBe(false)
    expect(requests[0]?.credentials).toBe('same-origin')
  })

  it('test_csrf_rejection_refreshes_token_and_retries_once', async () => {
    // given: a stale cookie that the server rejects, then a rotated one
    setCookie('csrftoken', 'stale')
    let posts = 0
    const { requests } = mockFetch({
      'GET /api/auth/csrf/': () => {
        setCookie('csrftoken', 'rotated')
        return new Response(null, { status: 204 })
      },
      'POST /api/things/': (request) => {
        posts += 1
        if (request.headers.get('X-CSRFToken') === 'stale') {
          return jsonResponse({ detail: 'CSRF Failed: CSRF token incorrect.' }, 403)
        }
        return jsonResponse({ id: 2 }, 201)
      },
    })

    const result = await api.post('/api/things/', {})

    expect(result).toEqual({ id: 2 })
    expect(posts).toBe(2)
    expect(requests.at(-1)?.headers.get('X-CSRFToken')).toBe('rotated')
  })

  it('test_persistent_csrf_rejection_is_reported_without_looping', async () => {
    setCookie('csrftoken', 'bad')
    const { requests } = mockFetch({
      'GET /api/auth/csrf/': () => new Response(null, { status: 204 }),
      'POST /api/things/': () => jsonResponse({ detail: 'CSRF Failed: Origin checking failed.' }, 403),
    })

    const error = await caught(api.post('/api/things/', {}))

    expect(error.status).toBe(403)
    expect(error.message).toBe('CSRF Failed: Origin checking failed.')
    expect(requests.filter((request) => request.method === 'POST')).toHaveLength(2)
  })

  it('test_read_cookie_decodes_value_and_ignores_similar_names', () => {
    setCookie('xcsrftoken', 'nope')
    setCookie('csrftoken', 'a%20b')
    expect(readCookie('csrftoken')).toBe('a b')
    expect(readCookie('missing')).toBeNull()
  })
})

describe('api-client error parsing', () => {
  it('test_drf_field_errors_become_api_error_field_errors', async () => {
    setCookie('csrftoken', 't')
    mockFetch({
      'POST /api/auth/login/': () => jsonResponse({ username: ['This field may not be blank.'], password: ['Too short.', 'Too common.'] }, 400),
    })

    const error = await caught(api.post('/api/auth/login/', { username: '', password: 'x' }))

    expect(error).toBeInstanceOf(ApiError)
    expect(error.status).toBe(400)
    expect(error.fieldErrors).toEqual({ username: ['This field may not be blank.'], password: ['Too short.', 'Too common.'] })
    expect(error.nonFieldErrors).toEqual([])
    expect(error.hasFieldErrors).toBe(true)
    expect(error.message).toBe('This field may not be blank.')
  })

  it('test_non_field_errors_become_the_message', async () => {
    setCookie('csrftoken', 't')
    mockFetch({
      'POST /api/auth/login/': () =>
        jsonResponse({ non_field_errors: ['Unable to log in with provided credentials.'] }, 400),
    })

    const error = await caught(api.post('/api/auth/login/', { username: 'a', password: 'b' }))

    expect(error.nonFieldErrors).toEqual(['Unable to log in with provided credentials.'])
    expect(error.fieldErrors).toEqual({})
    expect(error.message).toBe('Unable to log in with provided credentials.')
  })

  it('test_detail_body_on_throttle_is_kept_with_status', async () => {
    setCookie('csrftoken', 't')
    mockFetch({
      'POST /api/auth/login/': () => jsonResponse({ detail: 'Request was throttled. Expected available in 42 seconds.' }, 429),
    })

    const error = await caught(api.post('/api/auth/login/', {}))

    expect(error.status).toBe(429)
    expect(error.detail).toBe('Request was throttled. Expected available in 42 seconds.')
    expect(error.message).toBe('Request was throttled. Expected available in 42 seconds.')
  })

  it('test_nested_and_list_serializer_errors_are_flattened_to_dotted_paths', () => {
    const parsed = parseErrorBody(400, {
      risk: { max_position: ['Must be positive.'] },
      legs: [{}, { price: ['A valid number is required.'] }],
      code: 'invalid',
    })
    expect(parsed.fieldErrors).toEqual({
      'risk.max_position': ['Must be positive.'],
      'legs.1.price': ['A valid number is required.'],
    })
  })

  it('test_bare_list_and_html_bodies_get_readable_messages', () => {
    expect(parseErrorBody(400, ['Something is off.']).nonFieldErrors).toEqual(['Something is off.'])
    const html = parseErrorBody(502, '<html><body>Bad gateway</body></html>')
    expect(html.detail).toBeNull()
    expect(html.message).toMatch(/server had a problem/i)
  })

  it('test_network_failure_becomes_status_zero_api_error', async () => {
    mockFetch({
      'GET /api/things/': () => {
        throw new TypeError('Failed to fetch')
      },
    })

    const error = await caught(api.get('/api/things/'))

    expect(error.status).toBe(0)
    expect(error.isNetworkError).toBe(true)
    expect(error.message).toMatch(/could not reach the server/i)
  })

  it('test_accepted_error_status_returns_its_body', async () => {
    mockFetch({ 'GET /api/health/': () => jsonResponse({ status: 'degraded' }, 503) })

    await expect(apiRequest('/api/health/', { acceptStatuses: [503] })).resolves.toEqual({ status: 'degraded' })
    await expect(apiRequest('/api/health/')).rejects.toMatchObject({ status: 503 })
  })

  it('test_schema_mismatch_is_reported_as_api_error', async () => {
    mockFetch({ 'GET /api/auth/me/': () => jsonResponse({ id: 'not-a-number' }) })

    const error = await caught(api.get('/api/auth/me/', { schema: z.object({ id: z.number() }) }))

    expect(error.status).toBe(200)
    expect(error.message).toMatch(/does not understand/i)
  })
})
