/**
 * The comparison app of `npm run bench`: what a user would build without the broker. One NestJS +
 * Fastify process that imports DomainModule (TypeORM, the same Postgres pool settings as the worker)
 * and serves the same two routes by calling ConversationListService / ConversationCreateService
 * directly, with the same validation DTOs and the same query-string parsing. Not part of the product
 * (it lives under bench/, built by bench/tsconfig.json).
 */
import 'reflect-metadata';
import {
  Body,
  Catch,
  Controller,
  Get,
  Headers,
  HttpCode,
  Module,
  Param,
  ParseIntPipe,
  Post,
  Query,
  type ArgumentsHost,
  type ExceptionFilter,
  type PipeTransform,
} from '@nestjs/common';
import { APP_FILTER, NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  CreateConversationBody,
  ErrorReplies,
  ListConversationsQuery,
  validatePayload,
  type ConversationJson,
  type ConversationListReply,
  type ErrorReply,
} from '#app/contracts';
import { ConversationCreateService, ConversationListService, DatabaseConnection, DomainModule, errorReplyFor } from '#app/domain';
import type { ClassConstructor } from 'class-transformer';
import type { FastifyReply } from 'fastify';
import qs from 'qs';

class ReplyError extends Error {
  constructor(readonly reply: ErrorReply) {
    super(reply.error);
  }
}

class Dto<T extends object> implements PipeTransform<unknown, T> {
  constructor(private readonly dto: ClassConstructor<T>) {}
  transform(value: unknown): T {
    const result = validatePayload(this.dto, value);
    if (!result.ok) throw new ReplyError(ErrorReplies.badRequest(result.errors));
    return result.value;
  }
}

@Catch()
class ErrorFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = exception instanceof ReplyError ? exception.reply : errorReplyFor(exception);
    void host.switchToHttp().getResponse<FastifyReply>().status(reply.status).send({ error: reply.error, errors: reply.errors });
  }
}

@Controller('api/v1/accounts/:account_id/conversations')
class ConversationsController {
  constructor(
    private readonly lists: ConversationListService,
    private readonly creates: ConversationCreateService,
  ) {}

  @Get()
  list(
    @Headers('api_access_token') token: string,
    @Param('account_id', ParseIntPipe) accountId: number,
    @Query(new Dto(ListConversationsQuery)) query: ListConversationsQuery,
  ): Promise<ConversationListReply> {
    return this.lists.list(token ?? '', accountId, query);
  }

  @Post()
  @HttpCode(200)
  create(
    @Headers('api_access_token') token: string,
    @Param('account_id', ParseIntPipe) accountId: number,
    @Body(new Dto(CreateConversationBody)) body: CreateConversationBody,
  ): Promise<ConversationJson> {
    return this.creates.create({ token: token ?? '', accountId, body });
  }
}

const env = process.env;
const databaseUrl = env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/conversations';

@Module({
  imports: [DomainModule.forRoot({ url: databaseUrl, poolSize: Number(env.DB_POOL_SIZE ?? 10), applicationName: 'conversations-bench-in-process' })],
  controllers: [ConversationsController],
  providers: [{ provide: APP_FILTER, useClass: ErrorFilter }],
})
class InProcessModule {}

const adapter = new FastifyAdapter({
  routerOptions: { querystringParser: (query: string) => qs.parse(query, { arrayLimit: 1000, parameterLimit: 1000, depth: 2 }) },
});
const app = await NestFactory.create<NestFastifyApplication>(InProcessModule, adapter, { logger: ['error', 'warn'] });
// Exit 0 after closing (not by the signal), so a --cpu-prof profile is written.
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void app.close().then(() => process.exit(0)));
await app.get(DatabaseConnection).connect();
await app.listen(Number(env.PORT ?? 3100), '127.0.0.1');
console.log(`in-process app listening on http://127.0.0.1:${env.PORT ?? 3100}`);
