import { BadRequestException } from '@nestjs/common';
import { PERFORMANCE_FIELDS, PerformanceField } from '@k8s-app-monitor/metrics-contract';

export type Query = Record<string, unknown>;

/** A 400 whose JSON body names the offending query parameter. */
export class QueryParamError extends BadRequestException {
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super({ statusCode: 400, error: 'Bad Request', message, parameter });
  }
}

/** The raw value of a parameter given at most once; a repeated parameter is a 400. */
export function single(query: Query, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new QueryParamError(name, `${name} must be given once`);
  return value;
}

/** An integer parameter in [min, max]; `fallback` when absent or empty. */
export function integerParam(query: Query, name: string, min: number, max: number, fallback: number): number {
  const raw = single(query, name);
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d{1,9}$/.test(raw) || value < min || value > max) {
    throw new QueryParamError(name, `${name} must be an integer from ${min} to ${max}, got "${truncate(raw)}"`);
  }
  return value;
}

/** One of the metric's performance fields (`avgLatency`, `failRatio`, ...). */
export function metricParam(query: Query, name: string): PerformanceField | undefined;
export function metricParam(query: Query, name: string, fallback: PerformanceField): PerformanceField;
export function metricParam(query: Query, name: string, fallback?: PerformanceField): PerformanceField | undefined {
  const raw = single(query, name);
  if (raw === undefined || raw === '') return fallback;
  if (!(PERFORMANCE_FIELDS as string[]).includes(raw)) {
    throw new QueryParamError(name, `${name} must be one of ${PERFORMANCE_FIELDS.join(', ')}, got "${truncate(raw)}"`);
  }
  return raw as PerformanceField;
}

/** A host name (pod name) filter: 1..253 characters of a DNS name. */
export function hostParam(query: Query, name: string): string | undefined {
  const raw = single(query, name);
  if (raw === undefined || raw === '') return undefined;
  if (raw.length > 253 || !/^[A-Za-z0-9._-]+$/.test(raw)) {
    throw new QueryParamError(name, `${name} must be a host name (a pod name), got "${truncate(raw)}"`);
  }
  return raw;
}

/** A point in time, as an ISO 8601 timestamp (the `time` of a point); undefined when absent. */
export function timeParam(query: Query, name: string): number | undefined {
  const raw = single(query, name);
  if (raw === undefined || raw === '') return undefined;
  const value = Date.parse(raw);
  if (raw.length > 40 || !/^\d{4}-\d\d-\d\dT/.test(raw) || Number.isNaN(value)) {
    throw new QueryParamError(name, `${name} must be an ISO 8601 time such as 2026-01-01T12:00:00.000Z, got "${truncate(raw)}"`);
  }
  return value;
}

/** Keeps error messages short whatever a caller sends. */
function truncate(raw: string): string {
  return raw.length > 40 ? `${raw.slice(0, 40)}...` : raw;
}
