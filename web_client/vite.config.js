// One self-contained script, dist/widget.js: the embeddable widget and the full page (index.html
// loads the same file). The size report (dist/bundle-report.json) splits the bundle into three.js
// and everything else, gzip-compressed, for the benchmark.
import { defineConfig } from 'vite';
import { gzipSync } from 'node:zlib';

function bundleReport() {
  return {
    name: 'bundle-report',
    generateBundle(_options, bundle) {
      const groups = { three: '', 'three-addons': '', 'three-vrm': '', client: '' };
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk') continue;
        for (const [id, info] of Object.entries(chunk.modules)) {
          const group = id.includes('node_modules/three/examples') ? 'three-addons'
            : id.includes('node_modules/three/') ? 'three'
              : id.includes('@pixiv') ? 'three-vrm' : 'client';
          groups[group] += info.code || '';
        }
      }
      const report = Object.fromEntries(Object.entries(groups).map(([name, code]) => [name, {
        bytes: Buffer.byteLength(code), gzip: gzipSync(code, { level: 9 }).length,
      }]));
      this.emitFile({ type: 'asset', fileName: 'bundle-report.json', source: JSON.stringify(report, null, 2) });
    },
  };
}

export default defineConfig({
  publicDir: 'public',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    lib: {
      entry: 'src/widget.js',
      name: 'AvatarAssistant',
      formats: ['iife'],
      fileName: () => 'widget.js',
    },
  },
  plugins: [bundleReport()],
  test: {
    environment: 'happy-dom',
    include: ['test/**/*.test.js'],
  },
});
