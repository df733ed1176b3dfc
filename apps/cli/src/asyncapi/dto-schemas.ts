import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { CreateConversationMessage, ListConversationsMessage, type JsonSchema } from '#app/contracts';

/** Nothing to route: the app exists only for @nestjs/swagger to read the DTOs' decorators. */
@Module({})
class NoRoutesModule {}

/**
 * The JSON schemas of the message DTOs and of every DTO they contain (the list query, the create body,
 * its message), made by @nestjs/swagger from the decorators the gateway's OpenAPI document is made from,
 * so that the two documents give every field the same type. Swagger reads them only through an
 * application, hence the throwaway one.
 */
export async function dtoSchemas(): Promise<Record<string, JsonSchema>> {
  const app = await NestFactory.create(NoRoutesModule, new FastifyAdapter(), { logger: false });
  try {
    const config = new DocumentBuilder().setOpenAPIVersion('3.1.0').build();
    const document = SwaggerModule.createDocument(app, config, { extraModels: [ListConversationsMessage, CreateConversationMessage] });
    return document.components?.schemas as Record<string, JsonSchema>;
  } finally {
    await app.close();
  }
}
