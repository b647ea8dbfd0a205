import { resolve } from 'node:path'
import { defineConfig, type ViteUserConfig } from 'vitest/config'

const root = resolve(import.meta.dirname, '../..')

type TestOptions = NonNullable<ViteUserConfig['test']>

/**
 * The vitest configuration of one benchmark, run alone (never part of `npm test`): the app's
 * path aliases, Node, and timeouts sized for 200,000-case databases.
 */
export function benchConfig(include: string[], test: TestOptions = {}): ViteUserConfig {
  return defineConfig({
    root,
    resolve: {
      alias: {
        '@shared': resolve(root, 'src-shared'),
        '@main': resolve(root, 'src-main'),
        '@renderer': resolve(root, 'src-renderer/src')
      }
    },
    test: { include, environment: 'node', testTimeout: 1_800_000, hookTimeout: 1_800_000, ...test }
  })
}
