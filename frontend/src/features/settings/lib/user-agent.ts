const BROWSERS: [RegExp, string][] = [
  [/\bEdg(?:e|A|iOS)?\/[\d.]+/, 'Edge'],
  [/\bOPR\/[\d.]+/, 'Opera'],
  [/\bFirefox\/[\d.]+|\bFxiOS\//, 'Firefox'],
  [/\bChrom(?:e|ium)\/[\d.]+|\bCriOS\//, 'Chrome'],
  [/\bVersion\/[\d.]+.*\bSafari\//, 'Safari'],
  [/^python-requests\/|^python-httpx\/|^aiohttp\/|^Python-urllib\//i, 'Python script'],
  [/^curl\//i, 'curl'],
]

const SYSTEMS: [RegExp, string][] = [
  [/\bAndroid\b/, 'Android'],
  [/\biPhone\b|\biPad\b|\biOS\b/, 'iOS'],
  [/\bWindows\b/, 'Windows'],
  [/\bMac OS X\b|\bMacintosh\b/, 'macOS'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bLinux\b|\bX11\b/, 'Linux'],
]

/** A short name for the device a sign-in came from ("Firefox on Linux"), from its User-Agent. */
export function describeUserAgent(userAgent: string): string {
  const text = userAgent.trim()
  if (text === '') return 'Unknown device'
  const browser = BROWSERS.find(([pattern]) => pattern.test(text))?.[1]
  const system = SYSTEMS.find(([pattern]) => pattern.test(text))?.[1]
  if (browser !== undefined && system !== undefined) return `${browser} on ${system}`
  if (browser !== undefined) return browser
  if (system !== undefined) return `Browser on ${system}`
  return text.length > 40 ? `${text.slice(0, 40)}…` : text
}
