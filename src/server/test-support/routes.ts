/**
 * The routes a built server has registered, read from Fastify's own route tree, so a test that
 * must cover every route of a kind cannot miss one added later.
 */
import type { FastifyInstance } from 'fastify';

/** One registered route: `GET /api/v10/channels/:channelId`. HEAD routes Fastify adds for GET are left out. */
export interface RegisteredRoute {
  method: string;
  url: string;
}

/**
 * Parses `printRoutes({commonPrefix: false})`: one line per node, indented four characters per
 * level, each naming its part of the path and the methods registered there.
 */
export function registeredRoutes(app: FastifyInstance): RegisteredRoute[] {
  const routes: RegisteredRoute[] = [];
  const parts: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^([│ ]*)[├└]── (.+?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    parts.length = depth;
    parts.push(match[2]!);
    const url = parts.join('');
    for (const method of match[3]?.split(', ') ?? []) if (method !== 'HEAD') routes.push({ method, url });
  }
  return routes;
}
