import { describe, expect, it } from 'vitest';
import { chinaCalendarData } from '#domain/china-calendar.generated.ts';
import { chinaCalendarFromPackage } from '#domain/china-calendar-source.ts';
import { OPENAPI_SERVER_PLACEHOLDER, openApiDocument } from '#functions/documents/document.ts';
import { servedOpenApiDocument } from '#functions/documents/openapi.generated.ts';
import { workflowCatalog } from '#workflows/catalog.ts';
import { workflowDiagram } from '#workflows/diagrams.generated.ts';
import { drawWorkflowDiagrams } from '#workflows/flow-chart.ts';

/**
 * Every `*.generated.ts` is what its script writes from the sources today: a change to a source
 * without `npm run <script>` fails here, naming the script.
 */
describe('the generated files', () => {
  it('the OpenAPI document is the one the route table and its documentation make (npm run openapi)', () => {
    expect(servedOpenApiDocument(OPENAPI_SERVER_PLACEHOLDER)).toEqual(
      JSON.parse(JSON.stringify(openApiDocument(OPENAPI_SERVER_PLACEHOLDER))),
    );
    expect(servedOpenApiDocument('https://service.acme.example').servers).toEqual([
      { url: 'https://service.acme.example' },
    ]);
  });

  it('the operators’ workflow diagrams are drawn from each workflow as deployed (npm run workflow-diagrams)', async () => {
    const drawn = await drawWorkflowDiagrams();
    for (const key of Object.keys(workflowCatalog) as (keyof typeof workflowCatalog)[])
      expect(workflowDiagram(key), key).toBe(drawn[key]);
  });

  it('the China calendar is what the installed chinese-days says (npm run china-calendar after upgrading it)', () => {
    expect(chinaCalendarData).toEqual(chinaCalendarFromPackage());
  });
});
