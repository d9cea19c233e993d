/** cloud.database() through the REAL wx-server-sdk against the emulator: reads, writes, errors, aggregate, transactions. */
import { failure, useDatabase } from './database-support';
import { T0 } from './support';

const h = useDatabase();
const users = () => h.db.collection('users');

async function seedUsers(): Promise<void> {
  h.emu.database.seed('users', [
    { _id: 'u1', name: 'Ann', age: 31, city: 'Shanghai', tags: ['a'] },
    { _id: 'u2', name: 'bob', age: 25, city: 'Beijing', tags: ['b'] },
    { _id: 'u3', name: 'Cid', age: 40, city: 'Shanghai', tags: ['a', 'b'] },
    { _id: 'u4', name: 'Dee', age: 25, city: 'Shenzhen', tags: [] },
  ]);
}

describe('collections', () => {
  it('createCollection makes an empty collection; a second one fails with "Table exist"', async () => {
    await expect(h.db.createCollection('users')).resolves.toMatchObject({ errMsg: 'createCollection:ok' });
    expect(h.emu.database.collection('users')).toEqual([]);
    const second = await failure(h.db.createCollection('users'));
    // The SDK reports a failed createCollection as errCode -1 with the service's message.
    expect(second).toMatchObject({ errCode: -1, errMsg: expect.stringContaining('Table exist') });
    expect(h.emu.databaseCalls.map((c) => [c.action, c.code])).toEqual([
      ['database.addCollection', null],
      ['database.addCollection', 'DATABASE_COLLECTION_ALREADY_EXIST'],
    ]);
  });

  it.each([
    ['add', () => users().add({ data: { a: 1 } })],
    ['doc get', () => users().doc('x').get()],
    ['where get', () => users().where({ a: 1 }).get()],
    ['count', () => users().count()],
    [
      'update',
      () =>
        users()
          .doc('x')
          .update({ data: { a: 1 } }),
    ],
    [
      'where update',
      () =>
        users()
          .where({ a: 1 })
          .update({ data: { a: 2 } }),
    ],
    [
      'set',
      () =>
        users()
          .doc('x')
          .set({ data: { a: 1 } }),
    ],
    ['remove', () => users().doc('x').remove()],
  ])('%s on a missing collection: -502005, and the collection is not created', async (_label, call) => {
    expect(await failure(call())).toMatchObject({ errCode: -502005, errMsg: expect.stringContaining('database collection not exists') });
    expect(h.emu.database.collections()).toEqual([]);
    expect(h.emu.databaseCalls[0]).toMatchObject({ collection: 'users', code: 'DATABASE_COLLECTION_NOT_EXIST' });
  });

  it('aggregate on a missing collection: the same answer, which the SDK reports as errCode -1', async () => {
    expect(await failure(users().aggregate().match({ a: 1 }).end())).toMatchObject({
      errCode: -1,
      errMsg: 'collection.aggregate:fail Db or Table not exist: users',
    });
    expect(h.emu.database.collections()).toEqual([]);
    expect(h.emu.databaseCalls[0]).toMatchObject({ collection: 'users', code: 'DATABASE_COLLECTION_NOT_EXIST' });
  });
});

describe('add and read', () => {
  it('add returns the _id; doc().get() returns the document with its types', async () => {
    await h.db.createCollection('users');
    const at = new Date('2026-01-02T03:04:05.678Z');
    const { _id } = await users().add({ data: { name: 'Ann', age: 31, score: 1.5, at, nested: { deep: [1, { x: 'y' }] } } });
    expect(_id).toMatch(/^[0-9a-f]{32}$/);
    const { data } = await users().doc(_id).get();
    expect(data).toEqual({ _id, name: 'Ann', age: 31, score: 1.5, at, nested: { deep: [1, { x: 'y' }] } });
    expect(data.at).toBeInstanceOf(Date);
    expect(h.emu.database.collection('users')).toEqual([data]);
  });

  it('a chosen _id that exists: DATABASE_REQUEST_FAILED (-502001) with E11000, and nothing changes', async () => {
    h.emu.database.seed('users', [{ _id: 'k', n: 1 }]);
    expect(await failure(users().add({ data: { _id: 'k', n: 2 } }))).toMatchObject({
      errCode: -502001,
      errMsg: expect.stringContaining('E11000 duplicate key'),
    });
    expect(h.emu.database.collection('users')).toEqual([{ _id: 'k', n: 1 }]);
  });

  it('doc().get() of a missing document: the SDK throws "does not exist"', async () => {
    await h.db.createCollection('users');
    expect(await failure(users().doc('nope').get())).toMatchObject({ errCode: -1, errMsg: expect.stringContaining('document with _id nope does not exist') });
  });

  it('where / orderBy / skip / limit / field, and count', async () => {
    await seedUsers();
    const _ = h._;
    const names = async (q: { get(): Promise<{ data: Array<{ name: string }> }> }) => (await q.get()).data.map((d) => d.name);
    expect(await names(users().where({ city: 'Shanghai' }))).toEqual(['Ann', 'Cid']);
    expect(
      await names(
        users()
          .where({ age: _.gte(25).and(_.lt(40)) })
          .orderBy('age', 'desc')
          .orderBy('name', 'asc'),
      ),
    ).toEqual(['Ann', 'Dee', 'bob']);
    expect(await names(users().orderBy('age', 'asc').orderBy('name', 'asc').skip(1).limit(2))).toEqual(['bob', 'Ann']); // binary order: 'Dee' < 'bob'
    expect(await names(users().where(_.or([{ age: 40 }, { name: 'bob' }])))).toEqual(['bob', 'Cid']);
    expect(await names(users().where({ city: _.in(['Beijing', 'Shenzhen']), tags: _.size(0) }))).toEqual(['Dee']);
    expect((await users().where({ _id: 'u1' }).field({ name: true }).get()).data).toEqual([{ _id: 'u1', name: 'Ann' }]);
    expect((await users().limit(1000).get()).data).toHaveLength(4);
    await expect(users().where({ age: 25 }).count()).resolves.toMatchObject({ total: 2 });
    await expect(users().count()).resolves.toMatchObject({ total: 4 });
    const get = h.emu.databaseCalls.find((c) => c.action === 'database.getDocument' && c.request.offset === 1);
    expect(get?.request).toMatchObject({ queryType: 'WHERE', limit: 2, order: expect.any(String) });
  });

  it('a nested where object matches by dotted path', async () => {
    h.emu.database.seed('users', [
      { _id: 'a', profile: { city: 'Shanghai', zip: '200000' } },
      { _id: 'b', profile: { city: 'Beijing' } },
    ]);
    expect(
      (
        await users()
          .where({ profile: { city: 'Shanghai' } })
          .get()
      ).data.map((d: { _id: string }) => d._id),
    ).toEqual(['a']);
  });

  it('regexp queries: db.RegExp and a JS RegExp, with options', async () => {
    await seedUsers();
    const ids = async (where: object) => (await users().where(where).get()).data.map((d: { _id: string }) => d._id);
    expect(await ids({ name: h.db.RegExp({ regexp: '^b', options: 'i' }) })).toEqual(['u2']);
    expect(await ids({ name: /^[A-C]/ })).toEqual(['u1', 'u3']);
    expect(await ids({ city: h.db.RegExp({ regexp: '^sh', options: 'i' }) })).toEqual(['u1', 'u3', 'u4']);
  });

  it('dates compare as dates in queries (EJSON $date both ways)', async () => {
    h.emu.database.seed('users', [
      { _id: 'old', at: new Date('2020-01-01T00:00:00Z') },
      { _id: 'new', at: new Date('2026-06-01T00:00:00Z') },
    ]);
    const { data } = await users()
      .where({ at: h._.gt(new Date('2025-01-01T00:00:00Z')) })
      .get();
    expect(data).toEqual([{ _id: 'new', at: new Date('2026-06-01T00:00:00Z') }]);
  });
});

describe('serverDate', () => {
  it('is the emulator clock plus offset, in data and in queries', async () => {
    await h.db.createCollection('users');
    h.clock.now = T0;
    await users().add({ data: { _id: 'a', at: h.db.serverDate(), later: h.db.serverDate({ offset: 60_000 }) } });
    expect(h.emu.database.collection('users')).toEqual([{ _id: 'a', at: new Date(T0), later: new Date(T0 + 60_000) }]);
    h.clock.now = T0 + 30_000;
    const due = async () =>
      (
        await users()
          .where({ later: h._.lte(h.db.serverDate()) })
          .get()
      ).data.length;
    expect(await due()).toBe(0);
    h.clock.now = T0 + 60_000;
    expect(await due()).toBe(1);
    await users()
      .doc('a')
      .update({ data: { touched: h.db.serverDate({ offset: -1000 }) } });
    expect(h.emu.database.collection('users')?.[0].touched).toEqual(new Date(T0 + 59_000));
  });
});

describe('update', () => {
  const doc = () => users().doc('k');
  const stored = () => h.emu.database.collection('users')?.find((d) => d._id === 'k');

  it.each<[string, Record<string, unknown>, (_: ReturnType<typeof Object>) => Record<string, unknown>, Record<string, unknown>]>([
    [
      'plain fields ($set, dotted)',
      { n: 1, list: [1, 2, 3] },
      () => ({ profile: { city: 'Beijing' }, flag: true }),
      { profile: { city: 'Beijing', zip: '200000' }, flag: true },
    ],
    ['_.set replaces a sub-object', { n: 1, list: [1, 2, 3] }, (_) => ({ profile: _.set({ city: 'X' }) }), { profile: { city: 'X' } }],
    ['_.inc', { n: 1, list: [1, 2, 3] }, (_) => ({ n: _.inc(2), fresh: _.inc(5) }), { n: 3, fresh: 5 }],
    ['_.mul', { n: 1, list: [1, 2, 3] }, (_) => ({ n: _.mul(10) }), { n: 10 }],
    ['_.min and _.max', { n: 1, list: [1, 2, 3] }, (_) => ({ n: _.max(7), m: _.min(4) }), { n: 7, m: 4 }],
    ['_.remove', { n: 1, list: [1, 2, 3] }, (_) => ({ n: _.remove() }), { n: undefined }],
    ['_.rename', { n: 1, list: [1, 2, 3] }, (_) => ({ n: _.rename('count') }), { n: undefined, count: 1 }],
    ['_.push a value', { n: 1, list: [1, 2, 3] }, (_) => ({ list: _.push(4) }), { list: [1, 2, 3, 4] }],
    ['_.push each + slice -N keeps the last N', { n: 1, list: [1, 2, 3] }, (_) => ({ list: _.push({ each: [4, 5], slice: -3 }) }), { list: [3, 4, 5] }],
    ['_.push each + position + sort', { n: 1, list: [1, 2, 3] }, (_) => ({ list: _.push({ each: [0, 9], sort: -1 }) }), { list: [9, 3, 2, 1, 0] }],
    ['_.pop', { n: 1, list: [1, 2, 3] }, (_) => ({ list: _.pop() }), { list: [1, 2] }],
    ['_.shift', { n: 1, list: [1, 2, 3] }, (_) => ({ list: _.shift() }), { list: [2, 3] }],
    ['_.unshift', { n: 1, list: [1, 2, 3] }, (_) => ({ list: _.unshift([0]) }), { list: [0, 1, 2, 3] }],
    ['_.addToSet (new and existing)', { n: 1, list: [1, 2, 3] }, (_) => ({ list: _.addToSet(3), other: _.addToSet('x') }), { list: [1, 2, 3], other: ['x'] }],
    ['_.pull', { n: 1, list: [1, 2, 3, 2] }, (_) => ({ list: _.pull(2) }), { list: [1, 3] }],
    ['_.pull with a condition', { n: 1, list: [1, 2, 3] }, (_) => ({ list: _.pull(_.gte(2)) }), { list: [1] }],
    ['_.pullAll', { n: 1, list: [1, 2, 3] }, (_) => ({ list: _.pullAll([1, 3]) }), { list: [2] }],
  ])('%s', async (_label, start, change, expected) => {
    h.emu.database.seed('users', [{ _id: 'k', profile: { city: 'Shanghai', zip: '200000' }, ...start }]);
    await expect(doc().update({ data: change(h._) })).resolves.toMatchObject({ stats: { updated: 1 } });
    const after = stored() as Record<string, unknown>;
    for (const [field, value] of Object.entries(expected)) expect(after[field]).toEqual(value);
  });

  it('updated counts only documents that changed', async () => {
    h.emu.database.seed('users', [{ _id: 'k', n: 1, list: [1] }]);
    await expect(doc().update({ data: { n: 1 } })).resolves.toMatchObject({ stats: { updated: 0 } });
    await expect(doc().update({ data: { list: h._.addToSet(1) } })).resolves.toMatchObject({ stats: { updated: 0 } });
    await expect(doc().update({ data: { n: h._.max(0) } })).resolves.toMatchObject({ stats: { updated: 0 } });
    await expect(
      users()
        .doc('missing')
        .update({ data: { n: 2 } }),
    ).resolves.toMatchObject({ stats: { updated: 0 } });
    expect(h.emu.database.collection('users')).toEqual([{ _id: 'k', n: 1, list: [1] }]);
  });

  it('where().update() changes every match; a conditional update admits under the limit only', async () => {
    await seedUsers();
    await expect(
      users()
        .where({ city: 'Shanghai' })
        .update({ data: { vip: true } }),
    ).resolves.toMatchObject({ stats: { updated: 2 } });
    expect(
      h.emu.database
        .collection('users')
        ?.filter((d) => d.vip)
        .map((d) => d._id),
    ).toEqual(['u1', 'u3']);
    h.emu.database.seed('quota', [{ _id: 'q', n: 0 }]);
    const admit = () =>
      h.db
        .collection('quota')
        .where({ _id: 'q', n: h._.lt(2) })
        .update({ data: { n: h._.inc(1) } });
    const outcomes = [];
    for (let i = 0; i < 4; i++) outcomes.push((await admit()).stats.updated);
    expect(outcomes).toEqual([1, 1, 0, 0]);
    expect(h.emu.database.collection('quota')).toEqual([{ _id: 'q', n: 2 }]);
  });

  it('an operator that does not fit the stored value fails (-502001) and leaves the documents as they were', async () => {
    h.emu.database.seed('users', [
      { _id: 'j', n: 1 },
      { _id: 'k', n: 'text', list: 5 },
    ]);
    expect(await failure(doc().update({ data: { n: h._.inc(1) } }))).toMatchObject({ errCode: -502001, errMsg: expect.stringContaining('Cannot apply $inc') });
    expect(await failure(doc().update({ data: { list: h._.push(1) } }))).toMatchObject({
      errCode: -502001,
      errMsg: expect.stringContaining('Cannot apply $push'),
    });
    // A multi update is all or nothing: 'j' (first) could take the $inc, 'k' cannot.
    expect(
      await failure(
        users()
          .where({})
          .update({ data: { n: h._.inc(1) } }),
      ),
    ).toMatchObject({ errCode: -502001 });
    expect(h.emu.database.collection('users')).toEqual([
      { _id: 'j', n: 1 },
      { _id: 'k', n: 'text', list: 5 },
    ]);
  });
});

describe('set and remove', () => {
  it('set creates a missing document, then replaces it whole', async () => {
    await h.db.createCollection('users');
    await expect(
      users()
        .doc('k')
        .set({ data: { a: 1, b: 2 } }),
    ).resolves.toMatchObject({ _id: 'k', stats: { updated: 0, created: 1 } });
    await expect(
      users()
        .doc('k')
        .set({ data: { c: 3 } }),
    ).resolves.toMatchObject({ _id: 'k', stats: { updated: 1, created: 0 } });
    expect(h.emu.database.collection('users')).toEqual([{ _id: 'k', c: 3 }]);
    await expect(
      users()
        .doc('k')
        .set({ data: { c: 3 } }),
    ).resolves.toMatchObject({ stats: { updated: 0, created: 0 } });
  });

  it('remove by doc and by where', async () => {
    await seedUsers();
    await expect(users().doc('u1').remove()).resolves.toMatchObject({ stats: { removed: 1 } });
    await expect(users().doc('u1').remove()).resolves.toMatchObject({ stats: { removed: 0 } });
    await expect(users().where({ age: 25 }).remove()).resolves.toMatchObject({ stats: { removed: 2 } });
    expect(h.emu.database.collection('users')?.map((d) => d._id)).toEqual(['u3']);
  });
});

describe('aggregate', () => {
  it('$match, $group, $sort, $project, $limit as the SDK sends them', async () => {
    await seedUsers();
    const $ = h.db.command.aggregate;
    const { list } = await users()
      .aggregate()
      .match({ age: h._.gte(25) })
      .group({ _id: '$city', people: $.sum(1), avgAge: $.avg('$age') })
      .sort({ people: -1, _id: 1 })
      .project({ _id: 0, city: '$_id', people: 1, avgAge: 1 })
      .limit(2)
      .end();
    expect(list).toEqual([
      { city: 'Shanghai', people: 2, avgAge: 35.5 },
      { city: 'Beijing', people: 1, avgAge: 25 },
    ]);
    expect(h.emu.databaseCalls[0].request.stages).toHaveLength(5);
  });

  it('$lookup reads another collection', async () => {
    await seedUsers();
    h.emu.database.seed('orders', [{ _id: 'o1', user: 'u2', total: 9 }]);
    const { list } = await h.db.collection('orders').aggregate().lookup({ from: 'users', localField: 'user', foreignField: '_id', as: 'buyer' }).end();
    expect(list[0].buyer).toEqual([expect.objectContaining({ _id: 'u2', name: 'bob' })]);
  });
});

describe('transactions', () => {
  it('commit keeps every write', async () => {
    h.emu.database.seed('accounts', [
      { _id: 'a', balance: 100 },
      { _id: 'b', balance: 0 },
    ]);
    const result = await h.db.runTransaction(
      async (t: { collection(n: string): { doc(id: string): { update(x: object): Promise<unknown>; get(): Promise<{ data: { balance: number } }> } } }) => {
        const from = await t.collection('accounts').doc('a').get();
        await t
          .collection('accounts')
          .doc('a')
          .update({ data: { balance: h._.inc(-30) } });
        await t
          .collection('accounts')
          .doc('b')
          .update({ data: { balance: h._.inc(30) } });
        return from.data.balance;
      },
    );
    expect(result).toBe(100);
    expect(h.emu.database.collection('accounts')).toEqual([
      { _id: 'a', balance: 70 },
      { _id: 'b', balance: 30 },
    ]);
    const actions = h.emu.databaseCalls.map((c) => c.action);
    expect(actions[0]).toBe('database.startTransaction');
    expect(actions[actions.length - 1]).toBe('database.commitTransaction');
    expect(
      h.emu.databaseCalls.filter((c) => c.action === 'database.modifyDocument').every((c) => c.transactionId === h.emu.databaseCalls[0].reply?.transactionId),
    ).toBe(true);
  });

  it('rollback (and a throw) undo every write of the transaction, and only those', async () => {
    h.emu.database.seed('accounts', [{ _id: 'a', balance: 100 }]);
    type T = {
      collection(n: string): { add(x: object): Promise<unknown>; doc(id: string): { update(x: object): Promise<unknown>; remove(): Promise<unknown> } };
      rollback(r: unknown): Promise<void>;
    };
    const rolledBack = h.db.runTransaction(async (t: T) => {
      await t
        .collection('accounts')
        .doc('a')
        .update({ data: { balance: h._.inc(-100) } });
      await t.collection('accounts').add({ data: { _id: 'new', balance: 1 } });
      await t.rollback('insufficient funds');
    });
    await expect(rolledBack).rejects.toBe('insufficient funds');
    expect(h.emu.database.collection('accounts')).toEqual([{ _id: 'a', balance: 100 }]);

    const thrown = h.db.runTransaction(async (t: T) => {
      await t.collection('accounts').doc('a').remove();
      throw new Error('boom');
    });
    await expect(thrown).rejects.toThrow('boom');
    expect(h.emu.database.collection('accounts')).toEqual([{ _id: 'a', balance: 100 }]);
    expect(h.emu.databaseCalls.filter((c) => c.action === 'database.abortTransaction')).toHaveLength(2);
  });
});

describe('recorded calls and control endpoint', () => {
  it('records one database call per SDK round trip, apart from wx.openApi calls', async () => {
    await h.db.createCollection('users');
    await users().add({ data: { _id: 'k' } });
    await users().doc('k').get();
    expect(h.emu.databaseCalls.map((c) => [c.seq, c.action, c.collection, c.code])).toEqual([
      [1, 'database.addCollection', 'users', null],
      [2, 'database.insertDocument', 'users', null],
      [3, 'database.getDocument', 'users', null],
    ]);
    expect(h.emu.databaseCalls[1]).toMatchObject({
      env: 'genscheme-local',
      time: T0,
      request: { data: ['{"_id":"k"}'] },
      reply: { data: { insertedIds: ['k'] } },
    });
    expect(h.emu.calls).toEqual([]);
  });

  it('seeds, reads and drops collections over HTTP (relaxed EJSON), and reset forgets them', async () => {
    const base = h.emu.url.replace(/\/admin$/, '/__emulator/database');
    const put = await fetch(`${base}/collections/users`, { method: 'PUT', body: JSON.stringify([{ _id: 'k', at: { $date: '2026-01-01T00:00:00Z' } }]) });
    expect(put.status).toBe(200);
    await expect(
      users()
        .where({ at: h._.lt(new Date('2026-01-02T00:00:00Z')) })
        .count(),
    ).resolves.toMatchObject({ total: 1 });
    expect(await (await fetch(`${base}/collections/users`)).json()).toEqual([{ _id: 'k', at: { $date: '2026-01-01T00:00:00Z' } }]);
    expect(await (await fetch(base)).json()).toEqual({ collections: { users: 1 }, calls: 1 });
    expect(await (await fetch(`${base}/calls`)).json()).toEqual([expect.objectContaining({ action: 'database.calculateDocument', collection: 'users' })]);
    expect((await fetch(`${base}/collections/missing`)).status).toBe(404);
    expect((await fetch(`${base}/collections/users`, { method: 'PUT', body: '{"not":"an array"}' })).status).toBe(400);
    await fetch(h.emu.url.replace(/\/admin$/, '/__emulator/reset'), { method: 'POST' });
    expect(h.emu.database.collections()).toEqual([]);
    expect(h.emu.databaseCalls).toEqual([]);
    await fetch(`${base}/collections/users`, { method: 'PUT' });
    expect(await (await fetch(`${base}/collections/users`, { method: 'DELETE' })).json()).toEqual({ dropped: true });
    expect(h.emu.database.collections()).toEqual([]);
  });

  it('the programmatic API hands out copies', async () => {
    h.emu.database.seed('users', [{ name: 'no id' }]);
    const [doc] = h.emu.database.collection('users') ?? [];
    expect(doc._id).toMatch(/^[0-9a-f]{32}$/);
    doc.name = 'changed';
    expect(h.emu.database.collection('users')?.[0].name).toBe('no id');
    expect(h.emu.database.drop('users')).toBe(true);
    expect(h.emu.database.drop('users')).toBe(false);
  });
});
