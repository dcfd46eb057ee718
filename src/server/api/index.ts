/**
 * Every REST route under /api/v10, registered by resource.
 */
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';

export async function registerApiRoutes(api: FastifyInstance, context: ServerContext): Promise<void> {
  void api;
  void context;
}
