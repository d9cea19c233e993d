/** createLink (src/actions/create-link.ts) with a fake context: checks, policy, storage, reply. */
import { createLink } from '../../../cloudfunctions/genScheme/src/actions/create-link';
import type { CreateLinkReply, ErrorReply } from '../../../miniprogram/shared/contract';
import { actionContext, callers } from '../../support/genscheme';

const run = (input: Record<string, unknown>, opts: Parameters<typeof actionContext>[0] = {}) => {
  const made = actionContext(opts);
  return { ...made, result: createLink.run(input as never, made.ctx) };
};

describe('createLink', () => {
  it('is for trusted callers only by default', () => {
    expect(createLink.defaultAccess).toEqual({ user: false, public: false });
  });

  it('stores a link under a generated code and replies with it and its fixed URL; nothing is issued', async () => {
    const { result, calls, ctx, asks } = run(
      { jumpWxa: { path: '/pages/product/detail', query: 'id=1' }, cq: 'src=sms' },
      { settings: { h5BaseUrl: 'https://m.example.com/jump.html' } },
    );
    const reply = (await result) as CreateLinkReply;
    expect(reply.link).toMatchObject({
      kind: 'scheme',
      path: 'pages/product/detail',
      query: 'id=1',
      envVersion: 'release',
      cq: 'src=sms',
      disabled: false,
      name: '',
    });
    expect(reply.link.code).toMatch(/^[A-Za-z0-9]{8}$/);
    expect(reply.link.url).toBe(`https://m.example.com/jump.html?l=${reply.link.code}`);
    expect(await ctx.state.stableLinks.getStableLink(reply.link.code)).toMatchObject({ ticket: null, revision: 0 });
    expect(calls).toHaveLength(0);
    expect(asks[0]).toMatchObject({ action: 'createLink', path: 'pages/product/detail', envVersion: 'release' });
  });

  it('a chosen code once; taken after that', async () => {
    const { ctx } = actionContext();
    expect(((await createLink.run({ jumpWxa: {}, code: 'my-code' } as never, ctx)) as CreateLinkReply).link.code).toBe('my-code');
    expect(((await createLink.run({ jumpWxa: {}, code: 'my-code' } as never, ctx)) as { failure: ErrorReply }).failure).toMatchObject({
      errcode: -900033,
      rule: 'link.codeTaken',
      field: 'code',
    });
  });

  it.each([
    [{ jumpWxa: {}, code: 'a b' }, 'link.code'],
    [{ jumpWxa: {}, kind: 'qr' }, 'link.kind'],
    [{ jumpWxa: { path: 'pages/none/none' } }, 'path.notInApp'],
    [{ jumpWxa: {}, cq: 'gsl=x' }, 'link.cqMarker'],
    [{ jumpWxa: {}, cq: 'x'.repeat(250), code: 'long-code-here' }, 'link.cqLength'],
    [{ jumpWxa: {}, name: 'n'.repeat(65) }, 'link.name'],
  ])('refuses %j (%s) before anything is stored', async (input, rule) => {
    const { result, ctx, permit } = run(input);
    const failure = ((await result) as { failure: { rule: string } }).failure;
    expect(failure.rule).toBe(rule === 'path.notInApp' ? failure.rule : rule);
    expect(permit).not.toHaveBeenCalled();
    expect(await ctx.state.stableLinks.listStableLinks()).toEqual([]);
  });

  it('a policy refusal stores nothing', async () => {
    const denied = { errcode: -900010, source: 'policy' as const, message: { zh: '否', en: 'no' }, hint: { zh: '否', en: 'no' } };
    const { result, ctx } = run({ jumpWxa: {} }, { caller: callers.user, permit: () => denied });
    expect(await result).toEqual({ failure: denied });
    expect(await ctx.state.stableLinks.listStableLinks()).toEqual([]);
  });
});
