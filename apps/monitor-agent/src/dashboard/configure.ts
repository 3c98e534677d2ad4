import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { LIVENESS_PATH, READINESS_PATH } from '@k8s-app-monitor/service-kit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ORIGINAL_CHART_PATH } from '../charts/original-chart-path';
import type { MonitorAgentConfig } from '../service';
import { Asset, loadDashboardAssets } from './dashboard-assets';

function sendAsset(request: FastifyRequest, reply: FastifyReply, asset: Asset): void {
  // Revalidated on every load (cheap 304s), so a new version shows up at once after a rollout.
  reply.header('cache-control', 'no-cache').header('etag', asset.etag).header('x-content-type-options', 'nosniff');
  if (request.headers['if-none-match'] === asset.etag) {
    reply.code(304).send();
    return;
  }
  reply.type(asset.contentType).send(asset.body);
}

/**
 * Serves the dashboard page at `<BASE_PATH>/` and its files at `<BASE_PATH>/assets/<name>`, and puts
 * the JSON API and history chart under BASE_PATH too. Probes and the original chart URL
 * (`/k8s-app-monitor-agent`) stay at the root. Every URL in the page is relative, so the page also
 * works behind a proxy that strips the prefix (BASE_PATH empty).
 */
export function configureDashboard(app: NestFastifyApplication, config: Pick<MonitorAgentConfig, 'BASE_PATH'>): void {
  const base = config.BASE_PATH;
  if (base !== '') {
    app.setGlobalPrefix(base, { exclude: [LIVENESS_PATH, READINESS_PATH, ORIGINAL_CHART_PATH] });
  }
  const { page, assets } = loadDashboardAssets();
  const fastify = app.getHttpAdapter().getInstance();

  fastify.get(`${base}/`, (request, reply) => sendAsset(request, reply, page));
  fastify.get<{ Params: { name: string } }>(`${base}/assets/:name`, (request, reply) => {
    const asset = assets.get(request.params.name);
    if (!asset) {
      reply.callNotFound();
      return;
    }
    sendAsset(request, reply, asset);
  });

  if (base !== '') {
    // Someone who opens the agent's root (port-forward, NodePort) still finds the dashboard.
    fastify.get('/', (_request, reply) => {
      reply.redirect(`${base}/`, 302);
    });
    // `<BASE_PATH>` without the slash would break the page's relative URLs; unless it is the
    // original chart's path (which stays the PNG), send the browser to the slashed form.
    if (base !== `/${ORIGINAL_CHART_PATH}`) {
      fastify.get(base, (_request, reply) => {
        reply.redirect(`${base}/`, 308);
      });
    }
  }
}
