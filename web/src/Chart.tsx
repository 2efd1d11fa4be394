import { BarChart, LineChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import type { EChartsCoreOption } from 'echarts/core';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

// Only what the reports draw: ECharts' full build is ~350 KB gzipped, this ~150 KB; it loads with
// the reports page only (App.tsx), never with the first page.
echarts.use([
  LineChart,
  BarChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  AriaComponent,
  SVGRenderer,
]);

export interface Series {
  name: string;
  type: 'line' | 'bar';
  data: (number | null)[];
  stack?: string;
}

/**
 * A chart of monthly figures. The figures it draws are also on the element (`data-series`), so a
 * test (or anyone) reads what is drawn without reading pixels; ECharts' aria option describes it
 * to screen readers.
 */
export function Chart({ title, periods, series }: { title: string; periods: string[]; series: Series[] }) {
  const element = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const chart = echarts.init(element.current!, undefined, { renderer: 'svg' });
    const option: EChartsCoreOption = {
      aria: { enabled: true },
      animation: false,
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 40, bottom: 30 },
      xAxis: { type: 'category', data: periods },
      yAxis: { type: 'value' },
      series: series.map((s) => ({ ...s, connectNulls: true })),
    };
    chart.setOption(option);
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [periods, series]);
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <div
        ref={element}
        className="chart-canvas"
        data-periods={JSON.stringify(periods)}
        data-series={JSON.stringify(Object.fromEntries(series.map((s) => [s.name, s.data])))}
      />
    </figure>
  );
}
