import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { ApiError, api, apiRequest, parseErrorBody, readCookie } from '@/lib/api-client'
import { jsonResponse, mockApi } from '@/test/render'

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
    const { requests } = mockApi({ 'POST /api/things/': () => jsonResponse({ id: 1 }, 201) })

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
    const { requests } = mockApi({
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
    const { requests } = mockApi({
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
    const { requests } = mockApi({ 'GET /api/things/': () => jsonResponse([]) })

    await api.get('/api/things/')

    expect(requests).toHaveLength(1)
    expect(requests[0]?.headers.has('X-CSRFToken')).toBe(false)
    expect(requests[0]?.credentials).toBe('same-origin')
  })

  it('test_csrf_rejection_refreshes_token_and_retries_once', async () => {
    // given: a stale cookie that the server rejects, then a rotated one
    setCookie('csrftoken', 'stale')
    let posts = 0
    const { requests } = mockApi({
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
    const { requests } = mockApi({
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
  it('test_the_documented_error_shape_becomes_a_typed_api_error', async () => {
    setCookie('csrftoken', 't')
    mockApi({
      'POST /api/orders/': () =>
        jsonResponse(
          {
            code: 'validation_error',
            message: 'amount: Ensure this value is greater than 0.',
            field: 'amount',
            fields: { amount: ['Ensure this value is greater than 0.'], 'stops.stop_loss': ['Too large.'], non_field_errors: ['Check the order.'] },
          },
          400,
        ),
    })

    const error = await caught(api.post('/api/orders/', { amount: '0' }))

    expect(error).toBeInstanceOf(ApiError)
    expect(error.status).toBe(400)
    expect(error.code).toBe('validation_error')
    expect(error.message).toBe('amount: Ensure this value is greater than 0.')
    expect(error.field).toBe('amount')
    expect(error.fields).toEqual({ amount: ['Ensure this value is greater than 0.'], 'stops.stop_loss': ['Too large.'], non_field_errors: ['Check the order.'] })
    expect(error.fieldErrors).toEqual({ amount: ['Ensure this value is greater than 0.'], 'stops.stop_loss': ['Too large.'] })
    expect(error.nonFieldErrors).toEqual(['Check the order.'])
    expect(error.messagesFor('amount')).toEqual(['Ensure this value is greater than 0.'])
    expect(error.messagesFor('price')).toEqual([])
  })

  it('test_a_project_error_naming_a_field_without_field_messages_is_kept_on_that_field', () => {
    const parsed = parseErrorBody(403, { code: 'live_trading_disabled', message: 'Live trading is disabled on this server.', field: 'exchange_account', fields: {} })
    const error = new ApiError(403, parsed)

    expect(error.code).toBe('live_trading_disabled')
    expect(error.fields).toEqual({})
    expect(error.fieldErrors).toEqual({ exchange_account: ['Live trading is disabled on this server.'] })
    expect(error.hasFieldErrors).toBe(true)
    expect(error.messagesFor('exchange_account')).toEqual(['Live trading is disabled on this server.'])
  })

  it('test_older_bodies_get_a_code_from_their_status', () => {
    expect(parseErrorBody(400, { amount: ['Too small.'] }).code).toBe('validation_error')
    expect(parseErrorBody(401, { detail: 'Not authenticated.' }).code).toBe('not_authenticated')
    expect(parseErrorBody(404, { detail: 'Not found.' }).code).toBe('not_found')
    expect(parseErrorBody(429, null).code).toBe('throttled')
    expect(parseErrorBody(503, '<html></html>').code).toBe('server_error')
    expect(parseErrorBody(0, null).code).toBe('network_error')
  })

  it('test_drf_field_errors_become_api_error_field_errors', async () => {
    setCookie('csrftoken', 't')
    mockApi({
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
    mockApi({
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
    mockApi({
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
    expect(parsed.code).toBe('invalid')
    expect(parsed.field).toBe('risk.max_position')
    expect(parsed.fields).toEqual({
      'risk.max_position': ['Must be positive.'],
      'legs.1.price': ['A valid number is required.'],
    })
  })

  it('test_bare_list_and_html_bodies_get_readable_messages', () => {
    expect(parseErrorBody(400, ['Something is off.']).fields).toEqual({ non_field_errors: ['Something is off.'] })
    const html = parseErrorBody(502, '<html><body>Bad gateway</body></html>')
    expect(html.detail).toBeNull()
    expect(html.message).toMatch(/server had a problem/i)
  })

  it('test_network_failure_becomes_status_zero_api_error', async () => {
    mockApi({
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
    mockApi({ 'GET /api/health/': () => jsonResponse({ status: 'degraded' }, 503) })

    await expect(apiRequest('/api/health/', { acceptStatuses: [503] })).resolves.toEqual({ status: 'degraded' })
    await expect(apiRequest('/api/health/')).rejects.toMatchObject({ status: 503 })
  })

  it('test_schema_mismatch_is_reported_as_api_error', async () => {
    mockApi({ 'GET /api/auth/me/': () => jsonResponse({ id: 'not-a-number' }) })

    const error = await caught(api.get('/api/auth/me/', { schema: z.object({ id: z.number() }) }))

    expect(error.status).toBe(200)
    expect(error.message).toMatch(/does not understand/i)
  })
})
