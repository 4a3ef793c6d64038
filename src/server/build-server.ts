import fastifyCookie from '@fastify/cookie';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { ApiTokenRepository } from '../../db/api-token.repository.js';
import type { Database } from '../../db/index.js';
import type { Config } from '../config.js';
import type { BlobStore } from '../pipeline/blob-store.js';
import { blobStoreFor } from '../pipeline/embedded-ingestion.js';
import { projectPath } from '../../extractors/util/project-root.js';
import { SessionRepository } from '../../db/session.repository.js';
import { HttpError, SESSION_MS } from './auth.js';
import { ServerIngestion } from './ingestion.js';
import { registerDocumentRoutes } from './document.routes.js';
import { registerPageImageRoutes } from './page-image.routes.js';
import { registerProgressEventRoutes } from './progress-events.routes.js';
import { registerReferenceRoutes } from './reference.routes.js';
import { registerReviewRoutes } from './review.routes.js';
import { registerSessionRoutes } from './session.routes.js';

export interface ServerContext {
  db: Database;
  tokens: ApiTokenRepository;
  sessions: SessionRepository;
  ingestion: ServerIngestion;
  config: Config;
  /** Where uploads and OCR'd page images are (the pipeline's store). */
  blobs: BlobStore;
}

export type Server = FastifyInstance & { ingestion: ServerIngestion };

/** The HTTP API, its OpenAPI document and the review page, over one open database. */
export async function buildServer(options: { db: Database; databasePath: string; config: Config; logger?: boolean }): Promise<Server> {
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: 1024 * 1024 }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const context: ServerContext = {
    db: options.db,
    tokens: new ApiTokenRepository(options.db),
    sessions: new SessionRepository(options.db, SESSION_MS),
    ingestion: await ServerIngestion.start(options.db, options.databasePath, options.config, (error) => app.log.error(error)),
    config: options.config,
    blobs: blobStoreFor(options.config, options.databasePath),
  };

  app.setErrorHandler((error, _request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) return reply.status(400).send({ error: `invalid request: ${error.message}` });
    const status =
      error instanceof HttpError
        ? error.statusCode
        : typeof (error as { statusCode?: unknown }).statusCode === 'number'
          ? (error as { statusCode: number }).statusCode
          : 500;
    if (status >= 500) app.log.error(error);
    return reply.status(status).send({ error: status >= 500 ? 'internal error' : (error as Error).message });
  });

  await app.register(fastifyCookie);
  await app.register(fastifyMultipart, { limits: { fileSize: options.config.maxFileBytes, files: 100, fields: 10 } });
  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'ntm-ingest', description: 'Upload, read and review nông thôn mới documents', version: '1' },
      components: { securitySchemes: { token: { type: 'http', scheme: 'bearer' } } },
      security: [{ token: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  registerSessionRoutes(app, context);
  registerDocumentRoutes(app, context);
  registerPageImageRoutes(app, context);
  registerProgressEventRoutes(app, context);
  registerReviewRoutes(app, context);
  registerReferenceRoutes(app, context);

  await app.register(fastifyStatic, { root: projectPath('src', 'server', 'public'), prefix: '/', index: ['index.html'] });
  app.addHook('onClose', async () => {
    await context.ingestion.close();
  });
  return Object.assign(app, { ingestion: context.ingestion }) as unknown as Server;
}
