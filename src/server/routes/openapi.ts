import type { App } from '../app.ts';

/** GET /openapi.json, generated from the routes' zod schemas: it cannot drift from what they accept. */
export function mountOpenApi(app: App): void {
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Ask the Guide',
      version: '1.0.0',
      description: 'Answers questions from a guidance article, every claim cited to the passage it came from.',
    },
  });
}
