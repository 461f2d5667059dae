import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * Nest's JSON and form parsers accept at most this much (their default, which we keep); multipart
 * uploads have their own cap on their own route.
 */
export const PARSED_BODY_MAX_BYTES = 100 * 1024;

/**
 * Refuses a body whose declared length is over `maxBytes` from the headers alone. A body parser
 * refuses it too, but only after draining every declared byte (so the connection can be reused):
 * a client claiming megabytes would cost us reading them. Answering with `Connection: close`
 * lets Node drop the unread rest. Bodies sent without a length are capped by the parser as they
 * arrive. `answer` writes the refusal in the caller's protocol (REST or GraphQL).
 */
export function declaredBodyCap(
  maxBytes: number,
  answer: (res: Response, maxBytes: number) => void,
  appliesTo: (req: Request) => boolean = () => true,
): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (Number(req.headers['content-length']) > maxBytes && appliesTo(req)) {
      res.setHeader('connection', 'close');
      answer(res, maxBytes);
      return;
    }
    next();
  };
}
