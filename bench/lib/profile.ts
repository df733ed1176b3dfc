/** Summaries of V8 CPU profiles (node --cpu-prof): where a process spent its busy time, by package. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  process: string;
  /** Seconds of samples that were not idle. */
  busySeconds: number;
  /** Share of busy time by package (node_modules/<pkg>, "our code", "node internals", "(garbage collector)", ...). */
  byPackage: { name: string; share: number }[];
  /** Functions with the most self time. */
  topFunctions: { name: string; share: number }[];
}

function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native / V8)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1];
  if (url.startsWith('node:')) return 'node internals';
  if (/\/dist\/(apps|libs|bench)\//.test(url)) return 'our code (apps, libs)';
  return url;
}

export function summarizeProfiles(dir: string, processName: string): ProfileSummary | null {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  } catch {
    return null;
  }
  if (!files.length) return null;
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let busy = 0;
  for (const file of files) {
    const profile = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as CpuProfile;
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    for (let i = 0; i < profile.samples.length; i++) {
      const node = nodes.get(profile.samples[i]);
      const dt = profile.timeDeltas[i + 1] ?? 0;
      if (!node) continue;
      const fn = node.callFrame.functionName || '(anonymous)';
      if (fn === '(idle)' || fn === '(program)') continue;
      busy += dt;
      const pkg = packageOf(node.callFrame.url, fn);
      byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + dt);
      const key = `${fn} (${pkg}${node.callFrame.url && !node.callFrame.url.includes('node_modules') ? `: ${path.basename(node.callFrame.url)}:${node.callFrame.lineNumber + 1}` : ''})`;
      byFunction.set(key, (byFunction.get(key) ?? 0) + dt);
    }
  }
  const top = (m: Map<string, number>, n: number) =>
    [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, n).map(([name, us]) => ({ name, share: us / busy }));
  return { process: processName, busySeconds: busy / 1e6, byPackage: top(byPackage, 12), topFunctions: top(byFunction, 12) };
}
