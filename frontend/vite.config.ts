/// <reference types="vitest/config" />
import { fileURLToPath } from 'node:url'
import type { IncomingMessage, ServerResponse } from 'node:http'
import tailwindcss from '@tailwindcss/vite'
import react from '@vitejs/plugin-react'
import { defineConfig, type Plugin, type ProxyOptions } from 'vite'

const BASE = '/static/'
const API_TARGET = process.env.API_TARGET ?? 'http://127.0.0.1:8000'

const proxy: Record<string, ProxyOptions> = {
  '/api': { target: API_TARGET },
  '/admin': { target: API_TARGET },
  '/static/admin': { target: API_TARGET },
  '/ws': { target: API_TARGET.replace(/^http/, 'ws'), ws: true },
}

const BACKEND_PREFIXES = ['/api', '/admin', '/ws', BASE]

/**
 * Serve index.html for client-side routes (`/`, `/login`, `/signals`, ...) the way Django does
 * in production, so deep links and reloads work with the `/static/` asset base.
 */
function rewriteAppRoutes(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  const path = (req.url ?? '/').split('?')[0] ?? '/'
  const wantsHtml = (req.headers.accept ?? '').includes('text/html')
  const isBackend = BACKEND_PREFIXES.some((prefix) => path.startsWith(prefix))
  const looksLikeFile = /\.[a-z0-9]+$/i.test(path)
  const isRead = req.method === 'GET' || req.method === 'HEAD'
  // Vite prints the base (/static/) as the address to open; the app itself lives at /.
  if (isRead && wantsHtml && (path === BASE || path === `${BASE}index.html`)) {
    res.statusCode = 302
    res.setHeader('Location', '/')
    res.end()
    return
  }
  if (isRead && wantsHtml && !isBackend && !looksLikeFile) {
    req.url = `${BASE}index.html`
  }
  next()
}

function spaFallback(): Plugin {
  return {
    name: 'quantum-trader-spa-fallback',
    configureServer(server) {
      server.middlewares.use(rewriteAppRoutes)
    },
    configurePreviewServer(server) {
      server.middlewares.use(rewriteAppRoutes)
    },
  }
}

export default defineConfig({
  base: BASE,
  plugins: [spaFallback(), react(), tailwindcss()],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
  },
  server: { proxy },
  preview: { proxy },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/setup-tests.ts'],
    include: ['src/**/*.test.{ts,tsx}', 'scripts/**/*.test.mjs'],
    restoreMocks: true,
    unstubGlobals: true,
  },
})
