import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { api, serviceNow } from '../api.ts';
import { Chart } from '../Chart.tsx';
import { useWords } from '../i18n.ts';
import { signedIn } from '../session.ts';
import type { SatisfactionReport } from '../types.ts';
import { ErrorNote, Field, Loading } from '../ui.tsx';

const isoDay = (timeZone: string, at: number) =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    at,
  );

/** The CSV is behind the API's authentication: fetched with the token, then saved as a file. */
async function downloadCsv(from: string, to: string, table: 'rows' | 'promises') {
  const response = await fetch(`/v1/reports/satisfaction?from=${from}&to=${to}&format=csv&table=${table}`, {
    headers: { authorization: `Bearer ${signedIn()?.idToken ?? ''}` },
  });
  const url = URL.createObjectURL(await response.blob());
  const link = Object.assign(document.createElement('a'), {
    href: url,
    download: `${table === 'rows' ? 'satisfaction' : 'promises'}-${from}-${to}.csv`,
  });
  link.click();
  URL.revokeObjectURL(url);
}

/** 7.2.2 and the promises: satisfaction, on-time rates, breaches and feedback, month by month. */
export default function ReportsPage() {
  const { t, timeZone } = useWords();
  const [range, setRange] = useState(() => {
    const today = isoDay(timeZone, serviceNow());
    return { from: `${Number(today.slice(0, 4)) - 1}${today.slice(4, 7)}-01`, to: today };
  });
  const report = useQuery({
    queryKey: ['report', range],
    queryFn: () =>
      api<SatisfactionReport>('GET', `/v1/reports/satisfaction?from=${range.from}&to=${range.to}`),
  });
  const charts = useMemo(() => {
    if (!report.data) return undefined;
    const all = report.data.rows.filter((r) => r.kind === 'all');
    const promises = report.data.promises;
    return {
      satisfaction: {
        periods: all.map((r) => r.period),
        series: [
          { name: 'CSAT', type: 'line' as const, data: all.map((r) => r.csatService) },
          { name: 'NPS', type: 'line' as const, data: all.map((r) => r.nps) },
        ],
      },
      onTime: {
        periods: promises.map((p) => p.period),
        series: [
          { name: t.response, type: 'line' as const, data: promises.map((p) => p.responseOnTimePercent) },
          { name: t.completion, type: 'line' as const, data: promises.map((p) => p.completionOnTimePercent) },
        ],
      },
      breaches: {
        periods: promises.map((p) => p.period),
        series: [
          {
            name: t.response,
            type: 'bar' as const,
            stack: 'b',
            data: promises.map((p) => p.responseBreaches),
          },
          {
            name: t.completion,
            type: 'bar' as const,
            stack: 'b',
            data: promises.map((p) => p.completionBreaches),
          },
          {
            name: t.feedback,
            type: 'bar' as const,
            stack: 'b',
            data: promises.map((p) => p.feedbackBreaches),
          },
        ],
      },
      feedback: {
        periods: all.map((r) => r.period),
        series: [
          { name: t.onTime, type: 'bar' as const, stack: 'f', data: all.map((r) => r.feedbackOnTime) },
          {
            name: t.late,
            type: 'bar' as const,
            stack: 'f',
            data: all.map((r) => r.feedbackLate + r.feedbackOverdue),
          },
        ],
      },
    };
  }, [report.data, t]);
  return (
    <section>
      <h1>{t.reports}</h1>
      <form
        className="filters"
        onSubmit={(event) => {
          event.preventDefault();
          const data = new FormData(event.currentTarget);
          setRange({ from: String(data.get('from')), to: String(data.get('to')) });
        }}
      >
        <Field label={t.from}>
          <input type="date" name="from" defaultValue={range.from} required />
        </Field>
        <Field label={t.to}>
          <input type="date" name="to" defaultValue={range.to} required />
        </Field>
        <button type="submit">{t.find}</button>
        <button type="button" onClick={() => void downloadCsv(range.from, range.to, 'rows')}>
          {t.downloadCsv}: {t.survey}
        </button>
        <button type="button" onClick={() => void downloadCsv(range.from, range.to, 'promises')}>
          {t.downloadCsv}: {t.deadlines}
        </button>
      </form>
      <ErrorNote error={report.error} />
      {report.isPending ? (
        <Loading />
      ) : (
        charts && (
          <div className="charts">
            <Chart title={t.csatNps} {...charts.satisfaction} />
            <Chart title={t.onTimeRates} {...charts.onTime} />
            <Chart title={t.breachesByMonth} {...charts.breaches} />
            <Chart title={t.feedbackOnTime} {...charts.feedback} />
          </div>
        )
      )}
      <p className="muted">{timeZone}</p>
    </section>
  );
}
