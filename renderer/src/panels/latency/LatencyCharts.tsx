// The runs drawn: the histogram on a log latency axis with the baseline's p50, p90, p99
// and p99.9 marked; the percentile curve (latency against 1/(1−p)); where each run's time
// goes, as stacked bars. Every run in its own colour, the baseline first.
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

import type { WireProfileRun } from '../../../../native/common/protocol/messages';
import { formatNs } from '../durations';
import { histogramSeries, percentileSeries, percentileTickLabel, percentileTicks, phaseNames, phaseRows, runColors } from './chart_data';

const axis = { stroke: 'currentColor', fontSize: 11 };
const phaseColors = ['#8a8a2e', '#2f9e57', '#3b6fc4', '#c46f1b', '#b8368a'];

export function LatencyCharts({ runs }: { runs: WireProfileRun[] }) {
  const base = runs[0];
  const markers = base
    ? ([
        ['p50', base.profile.summary.p50],
        ['p90', base.profile.summary.p90],
        ['p99', base.profile.summary.p99],
        ['p99.9', base.profile.summary.p99_9],
      ] as const)
    : [];
  const colorOf = (i: number) => runColors[i % runColors.length]!;
  const longest = Math.max(1, ...runs.map((run) => percentileSeries(run).at(-1)?.x ?? 1));

  return (
    <div className="latency-charts">
      <figure aria-label="Latency histogram">
        <figcaption>Calls by latency (% of each run)</figcaption>
        <ResponsiveContainer width="100%" height={180}>
          <LineChart margin={{ top: 14, right: 16, bottom: 0, left: 0 }}>
            <CartesianGrid strokeOpacity={0.2} />
            <XAxis type="number" dataKey="x" scale="log" domain={['auto', 'auto']} tickFormatter={formatNs} {...axis} allowDuplicatedCategory={false} />
            <YAxis type="number" tickFormatter={(y: number) => `${Number(y.toFixed(1))}%`} {...axis} width={44} />
            <Tooltip formatter={(y) => `${Number(Number(y).toFixed(2))}% of calls`} labelFormatter={(x) => formatNs(Number(x))} />
            {runs.map((run, i) => (
              <Line
                key={run.id}
                data={histogramSeries(run)}
                dataKey="y"
                name={run.label}
                type="stepAfter"
                dot={false}
                stroke={colorOf(i)}
                isAnimationActive={false}
              />
            ))}
            {markers.map(([label, ns]) => (
              <ReferenceLine
                key={label}
                x={ns}
                stroke={colorOf(0)}
                strokeDasharray="3 3"
                label={{ value: label, position: 'top', fontSize: 10, fill: 'currentColor' }}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </figure>
      <figure aria-label="Percentile curve">
        <figcaption>Latency by percentile</figcaption>
        <ResponsiveContainer width="100%" height={180}>
          <LineChart margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
            <CartesianGrid strokeOpacity={0.2} />
            <XAxis
              type="number"
              dataKey="x"
              scale="log"
              domain={[1, longest]}
              ticks={percentileTicks.filter((t) => t <= longest)}
              tickFormatter={percentileTickLabel}
              {...axis}
              allowDataOverflow
            />
            <YAxis type="number" dataKey="y" scale="log" domain={['auto', 'auto']} tickFormatter={formatNs} {...axis} width={60} />
            <Tooltip formatter={(y) => formatNs(Number(y))} labelFormatter={(x) => percentileTickLabel(Number(x))} />
            <Legend wrapperStyle={{ fontSize: 11 }} />
            {runs.map((run, i) => (
              <Line key={run.id} data={percentileSeries(run)} dataKey="y" name={run.label} dot={false} stroke={colorOf(i)} isAnimationActive={false} />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </figure>
      <figure aria-label="Phases">
        <figcaption>Where a call's time goes (mean, µs)</figcaption>
        <ResponsiveContainer width="100%" height={40 + runs.length * 28}>
          <BarChart data={phaseRows(runs)} layout="vertical" margin={{ top: 4, right: 16, bottom: 0, left: 0 }}>
            <XAxis type="number" {...axis} />
            <YAxis type="category" dataKey="name" width={200} {...axis} />
            <Tooltip formatter={(us) => `${Number(Number(us).toPrecision(3))} µs`} />
            <Legend wrapperStyle={{ fontSize: 11 }} />
            {phaseNames.map((phase, i) => (
              <Bar key={phase} dataKey={phase} stackId="phases" fill={phaseColors[i]} isAnimationActive={false} />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </figure>
    </div>
  );
}
