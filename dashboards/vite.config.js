// Vite builds the console (console/) into dist/console, which fastify serves. No plugins: plain ES modules and CSS.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('./console', import.meta.url)),
  base: '/',
  logLevel: 'warn',
  // ECharts (its core, line charts and canvas renderer): about 550 kB, 180 kB compressed, for the lift page's charts; the statistics page loads its own chunk.
  build: { outDir: fileURLToPath(new URL('./dist/console', import.meta.url)), emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 800 },
});
