#!/usr/bin/env node
/**
 * No hand-written type may repeat a generated one (run by `npm run lint`).
 *
 * Reads the schema names of src/types/api.generated.ts (`components['schemas']`) and fails when a
 * file under src/ (other than the generated one) declares an interface, type, enum or class with one
 * of those names. The one accepted form is a plain alias of that very schema,
 * `type Market = Schemas['Market']` (or `components['schemas']['Market']`), which derives the type
 * instead of repeating it. A class (the API client's `ApiError`) passes when it implements
 * such an alias declared in its file (`class ApiError implements ApiErrorBody`).
 *
 * Usage: node scripts/check-type-names.mjs [--root DIR]   (DIR holds src/; default: this package)
 */
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

const GENERATED = 'src/types/api.generated.ts'

export function schemaNames(generatedText) {
  const start = generatedText.search(/^ {2}schemas: \{$/m)
  if (start === -1) throw new Error(`${GENERATED} has no components.schemas block`)
  const names = new Set()
  for (const line of generatedText.slice(start).split('\n').slice(1)) {
    if (/^ {2}\};?$/.test(line)) break
    const match = /^ {4}([A-Za-z_$][\w$]*)\??: /.exec(line)
    if (match !== null) names.add(match[1])
  }
  return names
}

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? walk(path) : /\.(?:ts|tsx|mts)$/.test(name) ? [path] : []
  })
}

const DECLARATION = /^[ \t]*(?:export\s+)?(?:declare\s+)?(?:(interface|enum|class)|(type))\s+([A-Za-z_$][\w$]*)(\s*<[^=]*>)?\s*(=\s*([^\n;]*))?/gm

function isPlainAlias(name, rhs) {
  if (rhs === undefined) return false
  const target = rhs.trim().replace(/"/g, "'")
  return target === `Schemas['${name}']` || target === `components['schemas']['${name}']`
}

/**
 * A class that implements the schema: `type ApiErrorBody = Schemas['ApiError']` in the same file and
 * `class ApiError ... implements ApiErrorBody`, so the compiler checks it against the schema.
 */
function implementsSchema(name, head, text) {
  const aliases = [...text.matchAll(/^[ \t]*(?:export\s+)?type\s+([A-Za-z_$][\w$]*)\s*=\s*([^\n;]*)/gm)]
    .filter(([, , rhs]) => isPlainAlias(name, rhs))
    .map(([, alias]) => alias)
  const implemented = /\bimplements\s+([^{]*)/.exec(head)?.[1] ?? ''
  return aliases.some((alias) => new RegExp(`(^|[\\s,])${alias}([\\s,<]|$)`).test(implemented))
}

export function findDuplicates(root) {
  const names = schemaNames(readFileSync(join(root, GENERATED), 'utf8'))
  const duplicates = []
  for (const file of walk(join(root, 'src'))) {
    const fromRoot = relative(root, file).split(sep).join('/')
    if (fromRoot === GENERATED) continue
    const text = readFileSync(file, 'utf8')
    for (const match of text.matchAll(DECLARATION)) {
      const [, otherKind, typeKind, name, generics, , rhs] = match
      if (!names.has(name)) continue
      if (typeKind !== undefined && generics === undefined && isPlainAlias(name, rhs)) continue
      if (otherKind === 'class' && implementsSchema(name, text.slice(match.index, text.indexOf('{', match.index)), text)) continue
      const line = text.slice(0, match.index).split('\n').length
      duplicates.push(`${fromRoot}:${line}: ${otherKind ?? typeKind} ${name} repeats the generated schema ${name}; use Schemas['${name}'] (src/types/api.ts)`)
    }
  }
  return duplicates
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)
if (isMain) {
  const rootFlag = process.argv.indexOf('--root')
  const root = rootFlag === -1 ? join(dirname(fileURLToPath(import.meta.url)), '..') : resolve(process.argv[rootFlag + 1] ?? '.')
  const duplicates = findDuplicates(root)
  for (const duplicate of duplicates) console.error(duplicate)
  if (duplicates.length > 0) {
    console.error(`check-type-names: ${duplicates.length} hand-written type(s) repeat generated ones`)
    process.exit(1)
  }
  console.log('check-type-names: no hand-written type repeats a generated one')
}
