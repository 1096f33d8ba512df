// The deployment files say what the pool reads: every setting they pass is one the pool knows,
// every command they run is a bundle the build makes, and the GPU workers are the ones scaled.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../helpers/media';

const deploy = path.join(projectRoot, 'cloud/deploy');
const read = (file: string) => readFileSync(path.join(projectRoot, file), 'utf8');
/** Every VERBATIM_* name the pool's processes read. */
const known = new Set(
  ['cloud/config.ts', 'cloud/gateway/main.ts', 'cloud/runtime.ts'].flatMap((file) => [...read(file).matchAll(/\b(VERBATIM_[A-Z_]+)\b/g)].map((match) => match[1]!)),
);

function settingsIn(text: string): string[] {
  return [...text.matchAll(/\b(VERBATIM_[A-Z_]+)\b/g)].map((match) => match[1]!).filter((name) => name !== 'VERBATIM_DB_PASSWORD');
}

describe('cloud deployment files', () => {
  it('pass only settings the pool reads', () => {
    for (const file of ['compose.yaml', 'kubernetes/pool.yaml', 'Dockerfile']) {
      const unknown = settingsIn(readFileSync(path.join(deploy, file), 'utf8')).filter((name) => !known.has(name));
      expect(unknown, file).toEqual([]);
    }
  });

  it('run bundles the build makes, with roles the worker accepts', () => {
    const build = read('scripts/build.mjs');
    const dockerfile = readFileSync(path.join(deploy, 'Dockerfile'), 'utf8');
    for (const bundle of dockerfile.matchAll(/"dist\/(cloud\/[a-z-]+)\.cjs"/g)) expect(build).toContain(`'${bundle[1]}'`);
    const roles = [...dockerfile.matchAll(/"--role", "([a-z]+)"/g), ...read('cloud/deploy/kubernetes/pool.yaml').matchAll(/args: \[--role, ([a-z]+)\]/g)].map((match) => match[1]);
    expect(roles.length).toBeGreaterThan(2);
    for (const role of roles) expect(['transcribe', 'light', 'all']).toContain(role);
  });

  it('give GPU workers a GPU each and time to hand their job back, and scale them on the queue metric', () => {
    const compose = yaml.load(readFileSync(path.join(deploy, 'compose.yaml'), 'utf8')) as { services: Record<string, { command?: string[]; stop_grace_period?: string; deploy?: unknown }> };
    expect(compose.services.redis!.command).toEqual(expect.arrayContaining(['--appendonly', 'yes', '--maxmemory-policy', 'noeviction']));
    expect(JSON.stringify(compose.services.worker!.deploy)).toContain('gpu');
    interface Container {
      resources: { limits: Record<string, unknown> };
      readinessProbe?: { httpGet: { path: string } };
    }
    type Manifest = { kind: string; metadata: { name: string }; spec: { template: { spec: { containers: Container[]; terminationGracePeriodSeconds?: number } } } };
    const documents = yaml.loadAll(readFileSync(path.join(deploy, 'kubernetes/pool.yaml'), 'utf8')).filter(Boolean) as Manifest[];
    const worker = documents.find((document) => document.kind === 'Deployment' && document.metadata.name === 'verbatim-worker')!;
    const pod = worker.spec.template.spec;
    expect(pod.containers[0]!.resources.limits['nvidia.com/gpu']).toBe(1);
    // Longer than the worker's own grace (25 s): it can hand the job back before it is killed.
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(25);
    const gateway = documents.find((document) => document.kind === 'Deployment' && document.metadata.name === 'verbatim-gateway')!;
    expect(gateway.spec.template.spec.containers[0]!.readinessProbe?.httpGet.path).toBe('/readyz');
    const [scaler] = yaml.loadAll(readFileSync(path.join(deploy, 'kubernetes/autoscaler.yaml'), 'utf8')) as Array<{ spec: { scaleTargetRef: { name: string }; triggers: Array<{ type: string; metadata: { query: string } }> } }>;
    expect(scaler!.spec.scaleTargetRef.name).toBe('verbatim-worker');
    expect(scaler!.spec.triggers[0]!.type).toBe('prometheus');
    // The metric the gateway exports (tests/cloud/gateway.test.ts reads it off /metrics).
    expect(scaler!.spec.triggers[0]!.metadata.query).toContain('verbatim_queue_jobs{queue="transcribe-default"');
  });
});
