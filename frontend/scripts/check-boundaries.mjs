#!/usr/bin/env node
/**
 * Feature boundaries (run by `npm run lint`; oxlint 1.94 has no import/no-restricted-paths).
 *
 * src/features/<name>/ holds one feature (api, components, lib, pages). Rules:
 *   - a feature imports another feature only through its public entry, `@/features/<name>`
 *     (its index.ts), never a file inside it;
 *   - a feature never imports src/app/ (the router, providers and layout sit above features);
 *   - shared code (src/components, src/hooks, src/lib, src/config, src/types) imports no feature;
 *   - src/app/ and src/test/ use features only through their public entries too, except that the
 *     route tree in src/app/ mounts each feature's pages (`features/<name>/pages/*`) so they load lazily.
 *
 * Usage: node scripts/check-boundaries.mjs [--root DIR]   (DIR holds src/; default: this package)
 * Exits 1 and lists every violation when there is one.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

const SOURCE = /\.(?:ts|tsx|mts|js|jsx|mjs)$/
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\bvi\.mock\(\s*)(['"])([^'"]+)\1/g

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? walk(path) : SOURCE.test(name) ? [path] : []
  })
}

/** Path of `spec` relative to src/ (without extension), or null when it is a package. */
function resolveSpecifier(spec, fileFromSrc) {
  if (spec.startsWith('@/')) return spec.slice(2)
  if (spec.startsWith('./') || spec.startsWith('../')) {
    return relative('/src', resolve('/src', dirname(fileFromSrc), spec)).split(sep).join('/')
  }
  return null
}

function zoneOf(pathFromSrc) {
  const parts = pathFromSrc.replace(/\.(?:ts|tsx|mts|js|jsx|mjs)$/, '').split('/')
  if (parts[0] === 'features') {
    return {
      kind: 'feature',
      name: parts[1] ?? '',
      isEntry: parts.length === 2 || (parts.length === 3 && parts[2] === 'index'),
      isPage: parts[2] === 'pages',
    }
  }
  if (parts[0] === 'app') return { kind: 'app', isApp: true }
  if (parts[0] === 'test' || parts[0] === 'main' || parts[0] === 'setup-tests') return { kind: 'app' }
  return { kind: 'shared' }
}

export function findViolations(root) {
  const src = join(root, 'src')
  const violations = []
  for (const file of walk(src)) {
    const fromSrc = relative(src, file).split(sep).join('/')
    if (fromSrc === 'types/api.generated.ts') continue
    const importer = zoneOf(fromSrc)
    const text = readFileSync(file, 'utf8')
    for (const match of text.matchAll(IMPORT)) {
      const spec = match[2]
      const target = resolveSpecifier(spec, fromSrc)
      if (target === null) continue
      const line = text.slice(0, match.index).split('\n').length
      const where = `src/${fromSrc}:${line}`
      const to = zoneOf(target)
      if (importer.kind === 'feature' && to.kind === 'app' && target.startsWith('app')) {
        violations.push(`${where}: feature "${importer.name}" imports the app layer ('${spec}')`)
      }
      if (to.kind !== 'feature') continue
      if (importer.kind === 'shared') {
        violations.push(`${where}: shared code imports feature "${to.name}" ('${spec}'); move the code into the feature or make it shared`)
      } else if (importer.kind === 'feature' && importer.name === to.name) {
        continue
      } else if (!to.isEntry && !(importer.isApp === true && to.isPage)) {
        const who = importer.kind === 'feature' ? `feature "${importer.name}"` : 'this file'
        violations.push(`${where}: ${who} imports internals of feature "${to.name}" ('${spec}'); import from '@/features/${to.name}'`)
      }
    }
  }
  return violations
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)
if (isMain) {
  const rootFlag = process.argv.indexOf('--root')
  const root = rootFlag === -1 ? join(dirname(fileURLToPath(import.meta.url)), '..') : resolve(process.argv[rootFlag + 1] ?? '.')
  const violations = findViolations(root)
  for (const violation of violations) console.error(violation)
  if (violations.length > 0) {
    console.error(`check-boundaries: ${violations.length} cross-feature import(s) break the layout`)
    process.exit(1)
  }
  console.log('check-boundaries: every feature is used through its public entry')
}
