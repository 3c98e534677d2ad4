import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Post,
  Put,
  Req,
  Res,
} from '@nestjs/common';
import {
  hasBearerToken,
  SERVICE_CONFIG,
  sendUnauthorized,
} from '@k8s-app-monitor/service-kit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { MonitorTestConfig } from '../service';
import { FaultsService } from './faults.service';

const FaultChanges = z.strictObject({
  delayMs: z.number().int().min(0).max(60_000).optional(),
  errorRate: z.number().min(0).max(1).optional(),
  ready: z.boolean().optional(),
});

const CpuBurn = z.strictObject({ seconds: z.number().int().min(1).max(600) });

/**
 * The workshop's switches, at runtime: `GET|PUT /admin/faults`, `POST /admin/cpu-burn`. Exists only
 * when ADMIN_TOKEN is set (404 otherwise) and requires `Authorization: Bearer $ADMIN_TOKEN`.
 */
@Controller('admin')
export class AdminController {
  constructor(
    private readonly faults: FaultsService,
    @Inject(SERVICE_CONFIG) private readonly config: MonitorTestConfig,
  ) {}

  @Get('faults')
  get(@Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    if (this.authorized(request, reply)) reply.send(this.faults.state());
  }

  @Put('faults')
  @HttpCode(200)
  put(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() body: unknown,
  ): void {
    if (!this.authorized(request, reply)) return;
    const changes = FaultChanges.safeParse(body);
    if (!changes.success) return this.badRequest(reply, changes.error);
    reply.send(this.faults.update(changes.data));
  }

  @Post('cpu-burn')
  @HttpCode(202)
  burn(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() body: unknown,
  ): void {
    if (!this.authorized(request, reply)) return;
    const burn = CpuBurn.safeParse(body);
    if (!burn.success) return this.badRequest(reply, burn.error);
    reply.status(202).send(this.faults.burnCpu(burn.data.seconds));
  }

  private authorized(request: FastifyRequest, reply: FastifyReply): boolean {
    const token = this.config.ADMIN_TOKEN;
    if (!token) {
      reply
        .status(404)
        .send({
          statusCode: 404,
          error: 'Not Found',
          message: `Cannot ${request.method} ${request.url}`,
        });
      return false;
    }
    if (hasBearerToken(request, token)) return true;
    sendUnauthorized(reply, 'the admin API');
    return false;
  }

  private badRequest(reply: FastifyReply, error: z.ZodError): void {
    const issue = error.issues[0];
    const where = issue.path.length ? issue.path.join('.') : 'body';
    reply
      .status(400)
      .send({
        statusCode: 400,
        error: 'Bad Request',
        message: `${where}: ${issue.message}`,
      });
  }
}
