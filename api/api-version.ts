// API versioning: the REST API is version 1, served at /api/... and, for clients that want to pin
// it, at /api/v1/... (the same routes: the prefix is dropped before routing). A change that would
// break a client comes as /api/v2 beside it; /api/v1 then stays for at least six months, answering
// with `Deprecation` and `Sunset` headers in that time (api/README.md, "Versioning").
import type { NextFunction, Request, Response } from 'express';

export const currentApiVersion = 'v1';
const versionedPrefix = /^\/api\/v1(?=\/|$|\?)/;

export function versionedPaths() {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (versionedPrefix.test(req.url)) req.url = req.url.replace(versionedPrefix, '/api');
    next();
  };
}
