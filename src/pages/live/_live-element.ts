// <ctm-live data-live="{…GET /api/v1/live}">: keeps the server-rendered live page current. It listens to
// /api/v1/stream, re-reads /api/v1/live after each commit (one request in flight at most) and redraws the
// bound fields, the gauge, the tables and the block chart. EventSource reconnects by itself; when the
// server answered with an error (a restart behind a proxy) the element opens a new one after a pause.
// The block chart is a <ctm-chart> element, defined by the site's client bundle that every page loads (Layout):
// importing it here would put a second copy of uPlot into this page's own script.
import type { LiveSnapshot } from '../../server/live-snapshot.ts';
import { liveView } from '../../server/live-view.ts';

const RETRY_MS = 2000;
const TICK_MS = 30_000;

class CtmLive extends HTMLElement {
  private source: EventSource | null = null;
  private inFlight = false;
  private again = false;
  private chartKeys: Record<string, string> = {};
  private timers: number[] = [];

  connectedCallback(): void {
    try {
      const view = liveView(JSON.parse(this.dataset.live ?? '') as LiveSnapshot);
      this.chartKeys = { block: JSON.stringify(view.chart), limits: JSON.stringify(view.limitsChart) };
    } catch {
      // rendered without data (no index yet): the first reload fills everything
    }
    this.connect();
    this.timers.push(window.setInterval(() => void this.reload(), TICK_MS));
  }

  disconnectedCallback(): void {
    this.source?.close();
    for (const t of this.timers) clearInterval(t);
  }

  private setState(state: string): void {
    this.dataset.state = state;
    const el = this.querySelector('[data-bind="conn"]');
    if (el) el.textContent = state === 'live' ? 'Live' : 'Reconnecting…';
  }

  private connect(): void {
    this.source?.close();
    const source = new EventSource('/api/v1/stream');
    this.source = source;
    source.addEventListener('open', () => this.setState('live'));
    source.addEventListener('hello', () => void this.reload());
    source.addEventListener('commit', () => void this.reload());
    source.addEventListener('error', () => {
      this.setState('reconnecting');
      if (source.readyState === EventSource.CLOSED) {
        window.setTimeout(() => this.source === source && this.connect(), RETRY_MS);
      }
    });
  }

  private async reload(): Promise<void> {
    if (this.inFlight) {
      this.again = true;
      return;
    }
    this.inFlight = true;
    try {
      const res = await fetch('/api/v1/live', { cache: 'no-store' });
      if (res.ok) this.render((await res.json()) as LiveSnapshot);
    } catch {
      // offline for a moment; the stream's reconnect triggers the next reload
    } finally {
      this.inFlight = false;
      if (this.again) {
        this.again = false;
        void this.reload();
      }
    }
  }

  private render(snapshot: LiveSnapshot): void {
    const view = liveView(snapshot);
    for (const el of this.querySelectorAll<HTMLElement>('[data-bind]')) {
      const value = view.fields[el.dataset.bind!];
      if (value !== undefined && el.textContent !== value) el.textContent = value;
    }
    const meter = this.querySelector<HTMLMeterElement>('meter[data-gauge]');
    if (meter) {
      meter.hidden = view.gauge === null;
      if (view.gauge) {
        meter.max = view.gauge.max;
        meter.value = view.gauge.value;
        meter.high = view.gauge.max * 0.8;
      }
    }
    this.fillTable('recent', view.recent);
    this.fillTable('sessions', view.sessions);
    this.swapChart('block', view.chart);
    this.swapChart('limits', view.limitsChart);
    this.dataset.generated = snapshot.generatedAt;
  }

  /** Replaces a chart only when its figures changed (a redraw loses the reader's cursor). */
  private swapChart(name: string, spec: unknown): void {
    const key = JSON.stringify(spec);
    if (key === this.chartKeys[name]) return;
    this.chartKeys[name] = key;
    const slot = this.querySelector<HTMLElement>(`[data-chart-slot="${name}"]`);
    if (!slot) return;
    slot.replaceChildren();
    if (!spec) {
      const note = document.createElement('p');
      note.className = 'chart-empty';
      note.textContent = slot.dataset.empty ?? 'No usage in this period.';
      slot.append(note);
      return;
    }
    const chart = document.createElement('ctm-chart');
    chart.dataset.chart = key;
    slot.append(chart);
  }

  private fillTable(name: string, rows: string[][]): void {
    const body = this.querySelector(`tbody[data-rows="${name}"]`);
    if (!body) return;
    body.replaceChildren(
      ...rows.map((cells) => {
        const tr = document.createElement('tr');
        for (const text of cells) {
          const td = document.createElement('td');
          td.textContent = text;
          tr.append(td);
        }
        return tr;
      }),
    );
  }
}

if (!customElements.get('ctm-live')) customElements.define('ctm-live', CtmLive);
