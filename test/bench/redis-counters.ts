import type { Redis } from 'ioredis';

export interface RedisCounters {
  /** CPU seconds the server has used (user + system). */
  cpu: number;
  /** Commands it has run, those inside scripts included. */
  commands: number;
}

/** The server's counters from INFO: differences of two readings are a run's. */
export async function redisCounters(client: Redis): Promise<RedisCounters> {
  const info = await client.info();
  const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? Number.NaN);
  return { cpu: field('used_cpu_user') + field('used_cpu_sys'), commands: field('total_commands_processed') };
}
