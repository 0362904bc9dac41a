// GET /api/openapi.json (the document, api/openapi/document.ts) and the documentation page at
// /api/docs: Swagger UI from the installed swagger-ui-dist, served by this server (offline, no
// CDN). The page has no inline script (the CSP allows none): its initializer is /api/docs/init.js.
import { createRequire } from 'node:module';
import path from 'node:path';
import { Router } from 'express';
import { openApiDocument } from './document.js';

const swaggerUiDir = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

/** The files of swagger-ui-dist the page loads; nothing else of the package is served. */
const assets = new Set(['swagger-ui.css', 'swagger-ui-bundle.js', 'swagger-ui-standalone-preset.js', 'favicon-32x32.png', 'favicon-16x16.png']);

const page = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Seamless REST API</title>
    <link rel="icon" type="image/png" href="/api/docs/assets/favicon-32x32.png" />
    <link rel="stylesheet" href="/api/docs/assets/swagger-ui.css" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="/api/docs/assets/swagger-ui-bundle.js"></script>
    <script src="/api/docs/assets/swagger-ui-standalone-preset.js"></script>
    <script src="/api/docs/init.js"></script>
  </body>
</html>
`;

// validatorUrl null: no call to swagger.io's validator.
const initScript = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: '/api/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: 'StandaloneLayout',
  });
});
`;

export function openApiRoutes(): Router {
  const router = Router();
  router.get('/api/openapi.json', (_req, res) => {
    res.json(openApiDocument());
  });
  router.get('/api/docs', (_req, res) => {
    res.type('html').send(page);
  });
  router.get('/api/docs/init.js', (_req, res) => {
    res.type('text/javascript').send(initScript);
  });
  // Not a route of its own: an unknown file falls through to the API's 404.
  router.use('/api/docs/assets', (req, res, next) => {
    const name = req.path.slice(1);
    if (req.method !== 'GET' || !assets.has(name)) {
      next();
      return;
    }
    res.sendFile(name, { root: swaggerUiDir, maxAge: '1d' });
  });
  return router;
}
