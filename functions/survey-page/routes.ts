import { surveyFormSchema } from '#domain/survey.ts';
import { type RouteSpec, token } from '../http/route-spec.ts';
import { languageQuery } from '../shared/api-schemas.ts';

/** The routes surveyPage serves (functions/http/route-spec.ts). */
export const surveyPageRoutes = [
  {
    operationId: 'showSurvey',
    method: 'GET',
    path: '/s/{token}',
    function: 'surveyPage',
    auth: 'signedLink',
    params: { token },
    query: languageQuery,
  },
  {
    operationId: 'answerSurvey',
    method: 'POST',
    path: '/s/{token}',
    function: 'surveyPage',
    auth: 'signedLink',
    params: { token },
    query: languageQuery,
    body: surveyFormSchema,
    bodyType: 'form',
  },
] as const satisfies readonly RouteSpec[];
