import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const r = (p: string) => fileURLToPath(new URL(p, import.meta.url));

const alias = [
  { find: /^@mk8s\/shared\/testing$/, replacement: r('./shared/src/testing/index.ts') },
  { find: /^@mk8s\/shared\/metrics$/, replacement: r('./shared/src/metrics.ts') },
  { find: /^@mk8s\/shared$/, replacement: r('./shared/src/index.ts') },
];

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: { name: 'unit', include: ['*/src/**/*.test.ts'], environment: 'node' },
      },
      {
        resolve: { alias },
        test: {
          name: 'e2e',
          include: ['*/test/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
