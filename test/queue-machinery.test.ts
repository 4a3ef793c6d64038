import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisOptionsFromUrl } from '../queues/redis-connection.js';
import { machineryOverhead, queueMachineryRounds } from './bench/queue-machinery.js';
import { startTestRedis, type TestRedis } from './support/redis-server.js';

describe("the queue bench's own-work measurement", () => {
  let redis: TestRedis;
  let client: Redis;
  beforeAll(async () => {
    redis = await startTestRedis();
    client = new Redis(redisOptionsFromUrl(redis.url));
  });
  afterAll(async () => {
    client.disconnect();
    await redis.stop();
  });

  it('passes every seed result through both queues, measures each round, and leaves no key behind', async () => {
    const rounds = await queueMachineryRounds({ url: redis.url, client }, 12, 2);
    expect(rounds).toHaveLength(2);
    for (const round of rounds) {
      for (const figure of [round.bullmq, round.redis, round.inProcess, machineryOverhead(round)]) expect(Number.isFinite(figure)).toBe(true);
      expect(round.bullmq).toBeGreaterThan(0);
    }
    expect(await client.keys('ntm-bench-machinery-*')).toEqual([]);
  }, 60_000);
});
