import { describe, expect, expectTypeOf, it } from 'vitest';
import type {
  AddGuildBotRequest, ChannelPositionsRequest, CreateApplicationRequest, CreateChannelRequest, CreateGuildRequest, CreateInviteRequest,
  CreateMessageRequest, CreateRoleRequest, EditOverwriteRequest, LoginRequest, ModifyApplicationRequest, ModifyChannelRequest,
  ModifyCurrentUserRequest, ModifyGuildRequest, ModifyMemberRequest, ModifyRoleRequest, RegisterRequest, RolePositionsRequest,
} from '../shared/protocol/rest.js';
import {
  createChannelSchema, createMessageSchema, editMessageSchema, ackMessageSchema, editOverwriteSchema, rolePositionsSchema,
} from '../shared/protocol/rest.js';
import { HearthApi } from './hearth-api.js';
import { RestClient } from './rest-client.js';

/** The body a HearthApi method takes as its `index`th argument. */
type Body<M extends keyof HearthApi, I extends number> = HearthApi[M] extends (...args: infer A) => unknown ? A[I] : never;

describe('HearthApi request bodies', () => {
  it('are the REST request types, the input types of the schemas the server parses them with', () => {
    expectTypeOf<Body<'register', 0>>().toEqualTypeOf<RegisterRequest>();
    expectTypeOf<Body<'login', 0>>().toEqualTypeOf<LoginRequest>();
    expectTypeOf<Body<'updateCurrentUser', 0>>().toEqualTypeOf<ModifyCurrentUserRequest>();
    expectTypeOf<Body<'createGuild', 0>>().toEqualTypeOf<CreateGuildRequest>();
    expectTypeOf<Body<'updateGuild', 1>>().toEqualTypeOf<ModifyGuildRequest>();
    expectTypeOf<Body<'updateMember', 2>>().toEqualTypeOf<ModifyMemberRequest>();
    expectTypeOf<Body<'createChannel', 1>>().toEqualTypeOf<CreateChannelRequest>();
    expectTypeOf<Body<'updateChannel', 1>>().toEqualTypeOf<ModifyChannelRequest>();
    expectTypeOf<Body<'reorderChannels', 1>>().toEqualTypeOf<ChannelPositionsRequest>();
    expectTypeOf<Body<'putOverwrite', 1>>().toEqualTypeOf<EditOverwriteRequest & { id: string }>();
    expectTypeOf<Body<'createRole', 1>>().toEqualTypeOf<CreateRoleRequest>();
    expectTypeOf<Body<'updateRole', 2>>().toEqualTypeOf<ModifyRoleRequest>();
    expectTypeOf<Body<'reorderRoles', 1>>().toEqualTypeOf<RolePositionsRequest>();
    expectTypeOf<Body<'createInvite', 1>>().toEqualTypeOf<CreateInviteRequest>();
    expectTypeOf<Body<'createApplication', 0>>().toEqualTypeOf<CreateApplicationRequest>();
    expectTypeOf<Body<'updateApplication', 1>>().toEqualTypeOf<ModifyApplicationRequest>();
    expectTypeOf<Body<'addBotToGuild', 1>>().toEqualTypeOf<AddGuildBotRequest>();
    expectTypeOf<Body<'createMessage', 1>>().toExtend<CreateMessageRequest>();
  });

  it('sends bodies that the routes\' schemas accept', async () => {
    const sent: { method: string; path: string; body: unknown }[] = [];
    const fetch: typeof globalThis.fetch = async (input, init) => {
      const url = new URL(String(input));
      sent.push({ method: init?.method ?? 'GET', path: url.pathname, body: init?.body ? JSON.parse(String(init.body)) : undefined });
      return new Response(JSON.stringify({}), { status: 200, headers: { 'Content-Type': 'application/json' } });
    };
    const api = new HearthApi(new RestClient({ baseUrl: 'http://hearth.test', token: 't', fetch }));
    await api.createChannel('1', { name: 'general', type: 0, permission_overwrites: [{ id: '2', type: 0, allow: '1024', deny: '0' }] });
    await api.putOverwrite('3', { id: '2', type: 1, allow: '0', deny: '2048' });
    await api.reorderRoles('1', [{ id: '4', position: 2 }]);
    await api.createMessage('3', { content: 'hi', nonce: '99', enforce_nonce: true, message_reference: { message_id: '5', fail_if_not_exists: false } });
    await api.editMessage('3', '6', 'edited');
    await api.ackMessage('3', '6');

    const schemas = [createChannelSchema, editOverwriteSchema, rolePositionsSchema, createMessageSchema, editMessageSchema, ackMessageSchema];
    expect(sent.map((request) => `${request.method} ${request.path}`)).toEqual([
      'POST /api/v10/guilds/1/channels',
      'PUT /api/v10/channels/3/permissions/2',
      'PATCH /api/v10/guilds/1/roles',
      'POST /api/v10/channels/3/messages',
      'PATCH /api/v10/channels/3/messages/6',
      'POST /api/v10/channels/3/messages/6/ack',
    ]);
    sent.forEach((request, index) => expect(schemas[index]?.safeParse(request.body).success).toBe(true));
    expect(sent[1]?.body).toEqual({ type: 1, allow: '0', deny: '2048' });
  });
});
