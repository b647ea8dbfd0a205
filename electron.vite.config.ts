import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import react from '@vitejs/plugin-react'
import type { Plugin } from 'vite'
import { CONTENT_SECURITY_POLICY, DEV_CONTENT_SECURITY_POLICY } from './src-shared/security/csp'

/** Writes the one CSP (src-shared/security/csp.ts) into index.html; the dev server needs HMR. */
function contentSecurityPolicy(): Plugin {
  let policy = CONTENT_SECURITY_POLICY
  return {
    name: 'recouvra-csp',
    configResolved(config) {
      if (config.command === 'serve') policy = DEV_CONTENT_SECURITY_POLICY.replace(/; frame-ancestors[^;]*/, '')
    },
    transformIndexHtml: (html) => html.replace('%RECOUVRA_CSP%', policy)
  }
}

const sharedAlias = { '@shared': resolve(__dirname, 'src-shared') }

// RECOUVRA_BUILD_OUT lets a test run build into its own folder (it must stay inside the
// repository so that the externalized node_modules still resolve).
const outRoot = process.env.RECOUVRA_BUILD_OUT ? resolve(process.env.RECOUVRA_BUILD_OUT) : resolve(__dirname, 'out')

export default defineConfig({
  main: {
    resolve: { alias: { ...sharedAlias, '@main': resolve(__dirname, 'src-main') } },
    build: {
      outDir: resolve(outRoot, 'main'),
      rollupOptions: {
        // index: the Electron main process; serve and cli run the same services under plain
        // Node, so neither may import 'electron'.
        input: {
          index: resolve(__dirname, 'src-main/index.ts'),
          serve: resolve(__dirname, 'src-main/serve.ts'),
          cli: resolve(__dirname, 'src-main/cli.ts'),
          // PDF rendering worker thread (src-main/modules/documents/pdf-pool.ts finds it beside the bundles).
          'pdf-worker': resolve(__dirname, 'src-main/modules/documents/pdf-worker.ts')
        }
      }
    }
  },
  preload: {
    resolve: { alias: sharedAlias },
    build: {
      outDir: resolve(outRoot, 'preload'),
      // A sandboxed preload can only require 'electron': bundle everything else into it.
      externalizeDeps: false,
      rollupOptions: { input: { index: resolve(__dirname, 'src-main/preload/index.ts') } }
    }
  },
  renderer: {
    root: resolve(__dirname, 'src-renderer'),
    resolve: { alias: { ...sharedAlias, '@renderer': resolve(__dirname, 'src-renderer/src') } },
    plugins: [react(), contentSecurityPolicy()],
    build: {
      outDir: resolve(outRoot, 'renderer'),
      rollupOptions: { input: { index: resolve(__dirname, 'src-renderer/index.html') } }
    }
  }
})
