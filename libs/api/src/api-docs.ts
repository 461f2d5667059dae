import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/**
 * OpenAPI at /docs (JSON at /docs-json). @nestjs/swagger serves the Swagger UI assets from the
 * swagger-ui-dist package on disk, so the page works without internet access.
 */
export function setupApiDocs(app: INestApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('TTFD Sync admin API')
      .setDescription('Admin REST routes (bearer ADMIN_TOKEN) and player login. GraphQL: /graphql.')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
