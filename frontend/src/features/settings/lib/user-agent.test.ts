import { describe, expect, it } from 'vitest'
import { describeUserAgent } from '@/features/settings/lib/user-agent'

describe('describeUserAgent', () => {
  it.each([
    ['Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0', 'Firefox on Linux'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0', 'Edge on Windows'],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15', 'Safari on macOS'],
    ['Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36', 'Chrome on Android'],
    ['python-requests/2.32.3', 'Python script'],
    ['curl/8.5.0', 'curl'],
    ['', 'Unknown device'],
    ['SomeBot/1.0', 'SomeBot/1.0'],
  ])('test_%s_is_named_%s', (userAgent, name) => {
    expect(describeUserAgent(userAgent)).toBe(name)
  })

  it('test_an_unknown_long_agent_is_shortened', () => {
    expect(describeUserAgent('x'.repeat(100))).toBe(`${'x'.repeat(40)}…`)
  })
})
