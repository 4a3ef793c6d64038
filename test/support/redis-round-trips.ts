import { connect } from 'node:net';

export interface RoundTripCounter {
  /** Commands counted so far. */
  readonly count: number;
  stop(): void;
}

/**
 * Counts the commands clients send Redis naming a key under `prefix`, through MONITOR on a plain
 * socket. Written by hand because ioredis' own monitor() can take a monitor line for a reply
 * ("Command queue state error") when the first lines arrive with MONITOR's OK; here every line
 * after that OK is one command. Commands a script runs inside Redis ("[0 lua]") are not round trips.
 */
export async function countRoundTrips(redisUrl: string, prefix: string): Promise<RoundTripCounter> {
  const { hostname, port } = new URL(redisUrl);
  const socket = connect({ host: hostname || '127.0.0.1', port: port ? Number(port) : 6379 });
  let count = 0;
  let pending = '';
  let monitoring = false;
  const keyMark = `"${prefix}:`;
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.on('data', (chunk: Buffer) => {
      const lines = (pending + chunk.toString('utf8')).split('\r\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (!monitoring) {
          if (line !== '+OK') reject(new Error(`Redis refused MONITOR: ${line}`));
          monitoring = true;
          resolve();
        } else if (!line.includes(' lua] ') && line.includes(keyMark)) count += 1;
      }
    });
    socket.write('MONITOR\r\n');
  });
  return {
    get count() {
      return count;
    },
    stop: () => socket.destroy(),
  };
}
