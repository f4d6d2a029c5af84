#!/usr/bin/env node
// Generate src/types/api.generated.ts from the Django API's OpenAPI schema.
//
//   node scripts/api-types.mjs          write the file
//   node scripts/api-types.mjs --check  fail (exit 1) when the committed file is out of date
//
// The schema comes from drf-spectacular (`manage.py spectacular`), run with the project's
// virtualenv (QT_PYTHON overrides the interpreter). openapi-typescript 6.7 turns it into types;
// the resource types in src/types/ are built from them, so a backend change that breaks the
// frontend fails `npm run typecheck`, and a stale file fails `npm run check:api`.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import openapiTS from 'openapi-typescript'

const FRONTEND = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const ROOT = resolve(FRONTEND, '..')
const TARGET = join(FRONTEND, 'src', 'types', 'api.generated.ts')
const PYTHON = process.env.QT_PYTHON ?? join(ROOT, '.venv', 'bin', 'python')
const check = process.argv.includes('--check')

const HEADER = `/**
 * Generated from the Django API's OpenAPI schema by \`npm run api:types\`
 * (scripts/api-types.mjs, openapi-typescript 6.7). Do not edit by hand.
 */

`

function fail(message) {
  console.error(`api-types: ${message}`)
  process.exit(1)
}

if (!existsSync(PYTHON)) fail(`no Python at ${PYTHON}; set QT_PYTHON or create the project's .venv`)

const work = mkdtempSync(join(tmpdir(), 'qt-openapi-'))
try {
  const schemaFile = join(work, 'schema.yaml')
  const env = { ...process.env, DEBUG: 'true', QT_ENV_FILE: '', QT_VAR_DIR: join(work, 'var') }
  // A fixed secret keeps the schema independent of the machine; nothing is served with it.
  env.SECRET_KEY ??= 'openapi-schema-generation-only'
  const result = spawnSync(PYTHON, ['manage.py', 'spectacular', '--file', schemaFile], { cwd: ROOT, env, encoding: 'utf8' })
  if (result.status !== 0) fail(`manage.py spectacular failed:\n${result.stderr || result.stdout}`)

  const generated = HEADER + (await openapiTS(pathToFileURL(schemaFile), { alphabetize: true, silent: true, commentHeader: '' }))
  if (check) {
    const current = existsSync(TARGET) ? readFileSync(TARGET, 'utf8') : ''
    if (current !== generated) {
      fail(`${TARGET} is out of date with the API schema. Run \`npm run api:types\` in frontend/, then \`npm run typecheck\`, and commit the result.`)
    }
    console.log('api-types: src/types/api.generated.ts matches the API schema')
  } else {
    writeFileSync(TARGET, generated)
    console.log(`api-types: wrote ${TARGET}`)
  }
} finally {
  rmSync(work, { recursive: true, force: true })
}
