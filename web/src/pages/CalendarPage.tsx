import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, serviceNow } from '../api.ts';
import { useWords } from '../i18n.ts';
import type { CalendarDays } from '../types.ts';
import { ErrorNote, Head, Loading } from '../ui.tsx';

/** The month as deadlines count it: working days, holidays, make-up working days, and estimates. */
export function CalendarPage() {
  const { t, language, timeZone } = useWords();
  const [month, setMonth] = useState(() =>
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' }).format(serviceNow()),
  );
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(year, monthNumber, 0)).getUTCDate();
  const calendar = useQuery({
    queryKey: ['calendar', month],
    queryFn: () =>
      api<CalendarDays>('GET', `/v1/calendar?from=${month}-01&to=${month}-${String(last).padStart(2, '0')}`),
  });
  const shift = (by: number) => {
    const d = new Date(Date.UTC(year, monthNumber - 1 + by, 1));
    setMonth(`${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`);
  };
  const label = new Intl.DateTimeFormat(language, { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(
    Date.UTC(year, monthNumber - 1, 1),
  );
  const kindWord: Record<string, string> = {
    working_day: t.working,
    public_holiday: t.holiday,
    weekend: t.weekend,
    make_up_working_day: t.makeUp,
    closure: t.closure,
    extra_working_day: t.extraWorking,
  };
  // Monday first, as Chinese calendars (and the working week) run.
  const lead = (new Date(Date.UTC(year, monthNumber - 1, 1)).getUTCDay() + 6) % 7;
  const weekdays = [...Array(7).keys()].map((i) =>
    new Intl.DateTimeFormat(language, { weekday: 'short', timeZone: 'UTC' }).format(Date.UTC(2024, 0, 1 + i)),
  );
  const weeks = [...Array(Math.ceil((lead + last) / 7)).keys()];
  return (
    <section>
      <h1>
        {t.calendar}: {label}
      </h1>
      <p>
        <button type="button" onClick={() => shift(-1)}>
          ← {t.previous}
        </button>{' '}
        <button type="button" onClick={() => shift(1)}>
          {t.next} →
        </button>
      </p>
      <ErrorNote error={calendar.error} />
      {calendar.isPending ? (
        <Loading />
      ) : (
        calendar.data && (
          <table className="calendar">
            <caption className="visually-hidden">{label}</caption>
            <Head columns={weekdays} />
            <tbody>
              {weeks.map((week) => (
                <tr key={week}>
                  {[...Array(7).keys()].map((i) => {
                    const day = calendar.data.days[week * 7 + i - lead];
                    if (!day) return <td key={i} className="day empty" />;
                    return (
                      <td
                        key={day.date}
                        className={`day ${day.working ? 'working' : 'rest'} ${day.kind}`}
                        data-date={day.date}
                        data-kind={day.kind}
                      >
                        <strong>{Number(day.date.slice(8))}</strong>
                        <small>
                          {kindWord[day.kind] ?? day.kind}
                          {day.estimated ? ` (${t.estimated})` : ''}
                        </small>
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        )
      )}
      <p className="muted">{timeZone}</p>
    </section>
  );
}
