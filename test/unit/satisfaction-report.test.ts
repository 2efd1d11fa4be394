import { describe, expect, it } from 'vitest';
import { reportCsv, satisfactionReport } from '#domain/satisfaction-report.ts';

const answer = (serviceScore: number, recommendScore: number) => ({
  serviceScore,
  goodsScore: 4,
  recommendScore,
  serviceOpinion: undefined,
  goodsOpinion: undefined,
});

describe('satisfaction report (7.2.2)', () => {
  const surveys = [
    { kind: 'repair', invitedAt: '2026-03-01T02:00:00Z', answer: answer(5, 10) },
    { kind: 'repair', invitedAt: '2026-03-10T02:00:00Z', answer: answer(2, 3) },
    { kind: 'return', invitedAt: '2026-03-12T02:00:00Z' },
    { kind: 'repair', invitedAt: '2026-03-31T17:00:00Z', answer: answer(4, 8) }, // 1 April in Shanghai
  ];
  const feedback = [
    {
      feedbackId: 'f1',
      receivedAt: '2026-03-02T02:00:00Z',
      dueAt: '2026-03-09T16:00:00Z',
      resolvedAt: '2026-03-05T02:00:00Z',
      changes: 'Call back within a day',
    },
    {
      feedbackId: 'f2',
      kind: 'repair',
      receivedAt: '2026-03-03T02:00:00Z',
      dueAt: '2026-03-10T16:00:00Z',
      resolvedAt: '2026-03-12T02:00:00Z',
    },
    {
      feedbackId: 'f3',
      kind: 'complaint',
      receivedAt: '2026-03-20T02:00:00Z',
      dueAt: '2026-03-27T16:00:00Z',
    },
  ];

  it('computes CSAT, NPS, response rate and feedback timeliness per month in the tenant’s time zone', () => {
    const { rows, changes } = satisfactionReport(
      surveys,
      feedback,
      'Asia/Shanghai',
      new Date('2026-04-02T00:00:00Z'),
    );
    const march = rows.find((r) => r.period === '2026-03' && r.kind === 'all')!;
    expect(march).toMatchObject({
      surveysSent: 3,
      answered: 2,
      responseRate: 66.7,
      csatService: 3.5,
      satisfiedPercent: 50,
      nps: 0,
      feedbackOpened: 3,
      feedbackOnTime: 1,
      feedbackLate: 1,
      feedbackOverdue: 1,
    });
    expect(rows.find((r) => r.period === '2026-03' && r.kind === 'return')).toMatchObject({
      surveysSent: 1,
      answered: 0,
      responseRate: 0,
      csatService: null,
    });
    // Feedback counts under the kind of request it is about; f1 is about none, so only under `all`.
    expect(rows.find((r) => r.period === '2026-03' && r.kind === 'repair')).toMatchObject({
      surveysSent: 2,
      feedbackOpened: 1,
      feedbackLate: 1,
    });
    expect(rows.find((r) => r.period === '2026-03' && r.kind === 'complaint')).toMatchObject({
      surveysSent: 0,
      responseRate: null,
      feedbackOpened: 1,
      feedbackOverdue: 1,
    });
    expect(rows.find((r) => r.period === '2026-04' && r.kind === 'all')).toMatchObject({
      surveysSent: 1,
      nps: 0,
    });
    expect(changes).toEqual([
      { feedbackId: 'f1', resolvedAt: '2026-03-05T02:00:00Z', changes: 'Call back within a day' },
    ]);
  });

  it('writes CSV with a header and quoted fields', () => {
    const csv = reportCsv([
      { ...satisfactionReport(surveys, [], 'Asia/Shanghai', new Date()).rows[0]!, kind: 'a, "b"' },
    ]);
    const [header, line] = csv.split('\r\n');
    expect(header).toBe(
      'period,kind,surveysSent,answered,responseRate,csatService,csatGoods,satisfiedPercent,nps,feedbackOpened,feedbackOnTime,feedbackLate,feedbackOverdue',
    );
    expect(line).toContain('"a, ""b"""');
  });
});
