import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm'],
  dts: true,
  clean: true,
  sourcemap: true,
  // Plain functions over @angular/core's public API: no decorators, so no Angular compiler or ng-packagr.
  external: [/^@angular\//, /^rxjs/, '@offgrid/core'],
});
