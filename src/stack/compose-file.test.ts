// The deployment files as data: docker-compose.yml hardening (every service read-only, no new privileges, no
// capabilities, healthchecked, restarted, limited), the mounts pointing at files that exist, and the alert
// rules and dashboard naming only metrics /metrics really exports. `docker compose config` runs in CI.
import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const repoRoot = join(import.meta.dirname, '..', '..');
const { load } = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };
const read = (rel: string) => readFileSync(join(repoRoot, rel), 'utf8');

interface Service {
  read_only?: boolean;
  security_opt?: string[];
  cap_drop?: string[];
  restart?: string;
  healthcheck?: { test?: string[] };
  deploy?: { resources?: { limits?: { cpus?: string; memory?: string } } };
  depends_on?: Record<string, { condition: string }>;
  profiles?: string[];
  ports?: string[];
  user?: string;
  volumes?: (string | { type: string; source: string; target: string; read_only?: boolean })[];
  environment?: Record<string, string>;
}
const compose = load(read('docker-compose.yml')) as { services: Record<string, Service> };
const services = Object.entries(compose.services);

describe('docker-compose.yml', () => {
  it.each(services)('%s is hardened, healthchecked and limited', (_name, s) => {
    expect(s.read_only).toBe(true);
    expect(s.security_opt).toContain('no-new-privileges:true');
    expect(s.cap_drop).toEqual(['ALL']);
    expect(s.restart).toBe('unless-stopped');
    expect(s.healthcheck?.test?.length).toBeGreaterThan(1);
    expect(s.deploy?.resources?.limits?.memory).toMatch(/^\d+[mg]$/);
    expect(s.deploy?.resources?.limits?.cpus).toMatch(/^\d/);
  });

  it('mounts the Claude dir read-only into app and the data volume read-only into nginx', () => {
    const app = compose.services.app!;
    expect(app.user).toBe('1000:1000');
    expect(app.volumes).toContainEqual({
      type: 'bind',
      source: '${CLAUDE_DIR:-~/.claude}',
      target: '/claude',
      read_only: true,
    });
    expect(app.volumes).toContain('ctm-data:/app/data');
    const nginx = compose.services.nginx!;
    expect(nginx.volumes).toContain('ctm-data:/app/data:ro');
    expect(nginx.depends_on).toEqual({ app: { condition: 'service_healthy' } });
    expect(nginx.ports).toEqual(['${CTM_BIND:-127.0.0.1}:${CTM_PORT:-51888}:8080']);
    expect(nginx.environment?.CTM_UPSTREAM).toBe(`app:${compose.services.app!.environment?.CTM_PORT}`);
    // Only nginx publishes a port; app stays on the compose network.
    expect(app.ports).toBeUndefined();
  });

  it('puts Prometheus and Grafana in the monitoring profile only, on loopback', () => {
    for (const name of ['prometheus', 'grafana']) {
      expect(compose.services[name]!.profiles).toEqual(['monitoring']);
      for (const port of compose.services[name]!.ports ?? []) expect(port).toMatch(/^127\.0\.0\.1:/);
    }
    for (const name of ['app', 'nginx']) expect(compose.services[name]!.profiles).toBeUndefined();
  });

  it('mounts only files that exist in the repository', () => {
    for (const [, s] of services) {
      for (const volume of s.volumes ?? []) {
        if (typeof volume !== 'string' || !volume.startsWith('./')) continue;
        expect(existsSync(join(repoRoot, volume.split(':')[0]!)), volume).toBe(true);
      }
    }
  });
});

describe('monitoring', () => {
  const exported = new Set(
    [...read('src/server/metrics-registry.ts').matchAll(/name: '(ctm_[a-z0-9_]+)'/g)].map((m) => m[1]!),
  );
  const referenced = (text: string) =>
    new Set([...text.matchAll(/\b(ctm_[a-z0-9_]+)/g)].map((m) => m[1]!.replace(/_(bucket|count|sum)$/, '')));

  it('alert rules cover the four conditions and use exported metrics', () => {
    const rules = load(read('docker/monitoring/alerts.yml')) as {
      groups: { rules: { alert: string; expr: string }[] }[];
    };
    const alerts = rules.groups.flatMap((g) => g.rules);
    expect(alerts.map((a) => a.alert)).toEqual(
      expect.arrayContaining([
        'CtmIngestStalled',
        'CtmBuildsFailing',
        'CtmBurnRateHigh',
        'CtmHealthDegraded',
      ]),
    );
    for (const a of alerts) for (const name of referenced(a.expr)) expect(exported, a.alert).toContain(name);
    // Every alert has a promtool unit test that makes it fire (alerts.test.yml, run in CI).
    const tests = load(read('docker/monitoring/alerts.test.yml')) as {
      tests: { alert_rule_test: { alertname: string; exp_alerts: unknown[] }[] }[];
    };
    const fired = new Set(
      tests.tests.flatMap((t) =>
        t.alert_rule_test.filter((r) => r.exp_alerts.length > 0).map((r) => r.alertname),
      ),
    );
    expect([...fired].sort()).toEqual(alerts.map((a) => a.alert).sort());
  });

  it('the dashboard queries exported metrics through the provisioned data source', () => {
    const text = read('docker/monitoring/grafana/dashboards/ctm.json');
    const dashboard = JSON.parse(text) as { uid: string; panels: { datasource?: { uid: string } }[] };
    const datasources = load(read('docker/monitoring/grafana/provisioning/datasources/prometheus.yml')) as {
      datasources: { uid: string }[];
    };
    const uid = datasources.datasources[0]!.uid;
    expect(dashboard.panels.length).toBeGreaterThan(10);
    for (const panel of dashboard.panels) if (panel.datasource) expect(panel.datasource.uid).toBe(uid);
    for (const name of referenced(text)) expect(exported).toContain(name);
    const scrape = load(read('docker/monitoring/prometheus.yml')) as {
      scrape_configs: { static_configs: { targets: string[] }[] }[];
    };
    expect(scrape.scrape_configs[0]!.static_configs[0]!.targets).toEqual([
      compose.services.nginx!.environment!.CTM_UPSTREAM,
    ]);
    // Prometheus addresses the app by its service name: the host check must let that name through.
    const scrapeHost = compose.services.nginx!.environment!.CTM_UPSTREAM!.split(':')[0]!;
    expect(compose.services.app!.environment!.CTM_ALLOWED_HOSTS!.split(/[\s,]+/)).toContain(scrapeHost);
    expect(compose.services.nginx!.environment!.CTM_ALLOWED_HOSTS).toBe('${CTM_ALLOWED_HOSTS:-}');
  });
});
