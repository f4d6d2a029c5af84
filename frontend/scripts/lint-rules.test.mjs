// The lint scripts fail on planted violations and pass on the real tree.
import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { findViolations } from './check-boundaries.mjs'
import { findDuplicates } from './check-type-names.mjs'

const PACKAGE = join(dirname(fileURLToPath(import.meta.url)), '..')
const roots = []

function tree(files) {
  const root = mkdtempSync(join(tmpdir(), 'qt-lint-'))
  roots.push(root)
  mkdirSync(join(root, 'src/types'), { recursive: true })
  copyFileSync(join(PACKAGE, 'src/types/api.generated.ts'), join(root, 'src/types/api.generated.ts'))
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true })
    writeFileSync(join(root, path), text)
  }
  return root
}

function run(script, root) {
  return spawnSync(process.execPath, [join(PACKAGE, 'scripts', script), '--root', root], { encoding: 'utf8' })
}

const FEATURE_A = {
  'src/features/alpha/index.ts': "export { helper } from '@/features/alpha/lib/helper'\n",
  'src/features/alpha/lib/helper.ts': 'export const helper = 1\n',
  'src/features/alpha/pages/alpha-page.tsx': "import { helper } from '@/features/alpha/lib/helper'\nexport const AlphaPage = () => helper\n",
}

afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true })
})

describe('check-boundaries', () => {
  it('test_the_real_tree_has_no_cross_feature_internal_import', () => {
    expect(findViolations(PACKAGE)).toEqual([])
  })

  it('test_a_planted_import_of_another_features_internals_fails_the_lint', () => {
    const root = tree({
      ...FEATURE_A,
      'src/features/beta/pages/beta-page.tsx': "import { helper } from '@/features/alpha/lib/helper'\nexport const BetaPage = () => helper\n",
    })

    const result = run('check-boundaries.mjs', root)

    expect(result.status).toBe(1)
    expect(result.stderr).toContain('src/features/beta/pages/beta-page.tsx:1: feature "beta" imports internals of feature "alpha"')
  })

  it('test_relative_paths_and_dynamic_imports_are_caught_too', () => {
    const root = tree({
      ...FEATURE_A,
      'src/features/beta/lib/one.ts': "export { helper } from '../../alpha/lib/helper'\n",
      'src/features/beta/lib/two.ts': "export const load = () => import('@/features/alpha/pages/alpha-page')\n",
    })

    const violations = findViolations(root)

    expect(violations).toHaveLength(2)
    expect(violations[0]).toContain('src/features/beta/lib/one.ts:1')
    expect(violations[1]).toContain('src/features/beta/lib/two.ts:1')
  })

  it('test_shared_code_may_not_import_a_feature_even_through_its_entry', () => {
    const root = tree({ ...FEATURE_A, 'src/lib/util.ts': "import { helper } from '@/features/alpha'\nexport const util = helper\n" })

    expect(findViolations(root)).toEqual([expect.stringContaining('src/lib/util.ts:1: shared code imports feature "alpha"')])
  })

  it('test_the_public_entry_and_the_routers_page_imports_pass', () => {
    const root = tree({
      ...FEATURE_A,
      'src/features/beta/lib/uses-alpha.ts': "import { helper } from '@/features/alpha'\nexport const twice = helper * 2\n",
      'src/app/router.tsx': "export const page = () => import('@/features/alpha/pages/alpha-page')\n",
    })

    const result = run('check-boundaries.mjs', root)

    expect(result.status).toBe(0)
    expect(result.stdout).toContain('every feature is used through its public entry')
  })
})

describe('check-type-names', () => {
  it('test_the_real_tree_declares_no_type_named_like_a_schema', () => {
    expect(findDuplicates(PACKAGE)).toEqual([])
  })

  it('test_a_planted_hand_written_copy_of_a_schema_fails_the_lint', () => {
    const root = tree({
      'src/features/alpha/api/types.ts': 'export interface Market {\n  id: number\n  symbol: string\n}\n',
      'src/features/beta/api/types.ts': "import { z } from 'zod'\nconst user = z.object({ id: z.number() })\nexport type User = z.infer<typeof user>\n",
    })

    const result = run('check-type-names.mjs', root)

    expect(result.status).toBe(1)
    expect(result.stderr).toContain('src/features/alpha/api/types.ts:1: interface Market repeats the generated schema Market')
    expect(result.stderr).toContain('src/features/beta/api/types.ts:3: type User repeats the generated schema User')
  })

  it('test_a_plain_alias_of_the_same_schema_is_accepted', () => {
    const root = tree({
      'src/features/alpha/api/types.ts': "import type { Schemas } from '@/types/api'\nexport type Market = Schemas['Market']\nexport type Exchange = components['schemas']['Exchange']\n",
    })

    expect(run('check-type-names.mjs', root).status).toBe(0)
  })

  it('test_a_class_passes_only_when_it_implements_an_alias_of_its_schema', () => {
    const implementing = tree({
      'src/lib/client.ts': "type MarketBody = Schemas['Market']\nexport class Market extends Error implements MarketBody {\n  id = 1\n}\n",
    })
    expect(run('check-type-names.mjs', implementing).status).toBe(0)

    const plain = tree({
      'src/lib/client.ts': "type MarketBody = Schemas['Exchange']\nexport class Market implements MarketBody {\n  id = 1\n}\n",
    })
    const result = run('check-type-names.mjs', plain)
    expect(result.status).toBe(1)
    expect(result.stderr).toContain('src/lib/client.ts:2: class Market repeats the generated schema Market')
  })

  it('test_an_alias_to_a_different_schema_or_a_widened_one_still_fails', () => {
    const root = tree({
      'src/features/alpha/api/types.ts': "export type Market = Schemas['Exchange']\nexport type Signal = Schemas['Signal'] & { extra: string }\n",
    })

    expect(findDuplicates(root)).toHaveLength(2)
  })
})
