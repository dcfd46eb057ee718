/**
 * Every REST route under /api/v10, registered by resource.
 */
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';
import type { VoiceService } from '../voice/voice-service.js';
import { registerAuthRoutes } from './auth.js';
import { registerChannelRoutes } from './channels.js';
import { registerGuildRoutes } from './guilds.js';
import { registerInviteRoutes } from './invites.js';
import { installJsonBodyParser } from './json-body.js';
import { registerMemberRoutes } from './members.js';
import { registerMessageRoutes } from './messages.js';
import { installRateLimits } from './rate-limit.js';
import { registerRoleRoutes } from './roles.js';
import { registerSessionRoutes } from './sessions.js';
import { registerUserRoutes } from './users.js';
import { registerGatewayRoutes } from './gateway.js';
import { registerApplicationRoutes } from './applications.js';
import { registerAttachmentRefreshRoute } from './attachment-refresh.js';

/** Registers the routes; `voice` serves moderator voice moves (`PATCH /guilds/:g/members/:u {channel_id}`). */
export async function registerApiRoutes(api: FastifyInstance, context: ServerContext, voice: Pick<VoiceService, 'moveMember'>): Promise<void> {
  installJsonBodyParser(api);
  // Rate limits first: the hook counts every route registered in this scope.
  installRateLimits(api, context.rateLimits);
  registerAuthRoutes(api, context, context.rateLimits);
  registerSessionRoutes(api, context);
  registerUserRoutes(api, context);
  registerGuildRoutes(api, context);
  registerMemberRoutes(api, context, voice);
  registerChannelRoutes(api, context);
  registerRoleRoutes(api, context);
  registerInviteRoutes(api, context);
  registerGatewayRoutes(api, context);
  registerApplicationRoutes(api, context);
  registerAttachmentRefreshRoute(api, context);
  await registerMessageRoutes(api, context);
}
