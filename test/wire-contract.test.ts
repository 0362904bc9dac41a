// The services' view mappers against contract/views.ts: the console reads the contract's types,
// so a field a service adds, drops or retypes must change the contract too. Checked by the type
// checker (expectTypeOf); the one runtime assertion keeps vitest honest about the file running.
import type { Request, Response } from 'express';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { errorHandler } from '../api/error-handler.js';
import { badRequest, HttpError } from '../api/http-error.js';
import { errorOf, fieldProblemsOf } from '../contract/errors.js';
import type { toApiKeyView } from '../api/services/api-key-service.js';
import type { toBusinessHoursView } from '../api/services/business-hours-service.js';
import type { toCannedResponseView } from '../api/services/canned-response-service.js';
import type { toChannelView } from '../api/services/channel-service.js';
import type { toArticleSummary, toArticleView, toSuggestedQuestionView, toVersionView } from '../api/services/knowledge-service.js';
import type { toSlaPolicyView } from '../api/services/sla-policy-service.js';
import type { toTeamView } from '../api/services/team-service.js';
import type { toUserView } from '../api/services/user-service.js';
import type {
  ApiKeyView,
  ArticleSummary,
  ArticleVersionView,
  ArticleView,
  BusinessHoursView,
  CannedResponseView,
  ChannelView,
  SlaPolicyView,
  SuggestedQuestionView,
  TeamView,
  UserView,
} from '../contract/views.js';
import { articleLocales } from '../contract/views.js';
import { articleLocales as serverArticleLocales } from '../api/services/knowledge-service.js';

describe("the services' views and the wire contract", () => {
  it('agree field by field', () => {
    expectTypeOf<ReturnType<typeof toUserView>>().toEqualTypeOf<UserView>();
    expectTypeOf<ReturnType<typeof toTeamView>>().toEqualTypeOf<TeamView>();
    expectTypeOf<ReturnType<typeof toChannelView>>().toEqualTypeOf<ChannelView>();
    expectTypeOf<ReturnType<typeof toBusinessHoursView>>().toExtend<BusinessHoursView>();
    expectTypeOf<ReturnType<typeof toSlaPolicyView>>().toEqualTypeOf<SlaPolicyView>();
    expectTypeOf<ReturnType<typeof toCannedResponseView>>().toEqualTypeOf<CannedResponseView>();
    expectTypeOf<ReturnType<typeof toApiKeyView>>().toEqualTypeOf<ApiKeyView>();
    expectTypeOf<ReturnType<typeof toArticleView>>().toEqualTypeOf<ArticleView>();
    expectTypeOf<ReturnType<typeof toArticleSummary>>().toEqualTypeOf<ArticleSummary>();
    expectTypeOf<ReturnType<typeof toVersionView>>().toEqualTypeOf<ArticleVersionView>();
    expectTypeOf<ReturnType<typeof toSuggestedQuestionView>>().toEqualTypeOf<SuggestedQuestionView>();
  });

  it('list the same article locales', () => {
    expect([...articleLocales]).toEqual([...serverArticleLocales]);
  });
});

describe("the API's error handler and the contract's error body", () => {
  /** The body the handler answers `error` with, through JSON as a client reads it. */
  const bodyOf = (error: unknown) => {
    let body: unknown;
    const res = { status: () => res, set: () => res, json: (value: unknown) => ((body = value), res) };
    errorHandler(() => {})(error, {} as Request, res as unknown as Response, () => {});
    return JSON.parse(JSON.stringify(body)) as unknown;
  };

  it('writes what errorOf reads: code, message and the field problems', () => {
    const problems = [{ path: 'subject', message: '太长了' }];
    const read = errorOf(bodyOf(badRequest('invalid_input', 'The request body is not valid.', problems)));
    expect(read).toEqual({ code: 'invalid_input', message: 'The request body is not valid.', details: problems });
    expect(fieldProblemsOf(read?.details)).toEqual(problems);
    expect(errorOf(bodyOf(new HttpError(404, 'not_found', 'Ticket was not found.')))).toEqual({ code: 'not_found', message: 'Ticket was not found.' });
    expect(errorOf(bodyOf(new Error('unexpected')))).toEqual({ code: 'internal', message: 'Something went wrong on our side.' });
  });
});
