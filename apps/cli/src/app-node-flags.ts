import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from './project-root.js';

/**
 * The node flags every app process runs with (`config.nodeFlags` in package.json, the one place they
 * are written; the npm scripts read it as $npm_package_config_nodeFlags, the Dockerfile repeats it in
 * NODE_OPTIONS, checked by test/compose.spec.ts). A bounded heap and young generation keep a gateway or
 * a worker under 150 MB at 64 requests in flight (docs/benchmarks.md).
 */
export function appNodeFlags(): string[] {
  const manifest = JSON.parse(readFileSync(path.join(projectRoot(), 'package.json'), 'utf8')) as { config?: { nodeFlags?: string } };
  return (manifest.config?.nodeFlags ?? '').split(/\s+/).filter(Boolean);
}
