// The runs drawn: the histogram on a log latency axis with every run's p50, p90, p99 and
// p99.9 marked in its colour, labels kept apart; the percentile curve (latency against
// 1/(1−p)); where each run's time goes, as stacked bars. Every run in its own colour and
// by its own name, the baseline first; both latency axes span every run shown.
import { useMemo, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

import type { WireProfileRun } from '../../../../native/common/protocol/messages';
import { formatNs } from '../durations';
import { histogramSeries, percentileSeries, percentileTickLabel, phaseNames, phaseRows, runColors, runName } from './chart_data';
import { latencyDomain, latencyTicks, percentileDomain } from './latency_axis';
import { percentileMarkers } from './percentile_markers';

const axis = { stroke: 'currentColor', fontSize: 11 };
const phaseColors = ['#8a8a2e', '#2f9e57', '#3b6fc4', '#c46f1b', '#b8368a'];
/** The histogram's margins and its y axis's width: what is left of its width is the plot the markers' labels are placed across. */
const histogramSide = { left: 0, right: 16, axis: 44 };
/** A level of marker labels above the plot. */
const labelLevel = 12;

export function LatencyCharts({ runs }: { runs: WireProfileRun[] }) {
  const colorOf = (i: number) => runColors[i % runColors.length]!;
  const [width, setWidth] = useState(600);
  const latency = useMemo(() => latencyDomain(runs), [runs]);
  const percentile = useMemo(() => percentileDomain(runs), [runs]);
  const plot = Math.max(1, width - histogramSide.left - histogramSide.right - histogramSide.axis);
  const markers = useMemo(() => percentileMarkers(runs, latency, plot), [runs, latency, plot]);
  const levels = markers.length ? Math.max(...markers.map((m) => m.level)) + 1 : 0;

  return (
    <div className="latency-charts">
      <figure aria-label="Latency histogram">
        <figcaption>Calls by latency (% of each run), each run's percentiles dashed</figcaption>
        <ul className="legend" aria-label="Legend">
          {runs.map((run, i) => (
            <li key={run.id}>
              <span className="swatch" style={{ background: colorOf(i) }} />
              {runName(run)}
              {i === 0 && runs.length > 1 && <span className="muted"> (baseline)</span>}
            </li>
          ))}
        </ul>
        <ResponsiveContainer width="100%" height={166 + levels * labelLevel} onResize={(w) => setWidth(w)}>
          <LineChart margin={{ top: 2 + levels * labelLevel, right: histogramSide.right, bottom: 0, left: histogramSide.left }}>
            <CartesianGrid strokeOpacity={0.2} />
            <XAxis
              type="number"
              dataKey="x"
              scale="log"
              domain={latency}
              ticks={latencyTicks(latency)}
              tickFormatter={formatNs}
              {...axis}
              allowDataOverflow
              allowDuplicatedCategory={false}
            />
            <YAxis type="number" tickFormatter={(y: number) => `${Number(y.toFixed(1))}%`} {...axis} width={histogramSide.axis} />
            <Tooltip formatter={(y) => `${Number(Number(y).toFixed(2))}% of calls`} labelFormatter={(x) => formatNs(Number(x))} />
            {runs.map((run, i) => (
              <Line
                key={run.id}
                data={histogramSeries(run)}
                dataKey="y"
                name={runName(run)}
                type="stepAfter"
                dot={false}
                stroke={colorOf(i)}
                isAnimationActive={false}
              />
            ))}
            {markers.map((marker) => (
              <ReferenceLine
                key={`${runs[marker.run]!.id}:${marker.label}`}
                x={marker.ns}
                stroke={colorOf(marker.run)}
                strokeDasharray="3 3"
                label={{ value: marker.label, position: 'top', offset: 3 + marker.level * labelLevel, fontSize: 10, fill: colorOf(marker.run) }}
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
              domain={percentile.domain}
              ticks={percentile.ticks}
              tickFormatter={percentileTickLabel}
              {...axis}
              allowDataOverflow
            />
            <YAxis
              type="number"
              dataKey="y"
              scale="log"
              domain={latency}
              ticks={latencyTicks(latency, 6)}
              tickFormatter={formatNs}
              {...axis}
              width={60}
              allowDataOverflow
            />
            <Tooltip formatter={(y) => formatNs(Number(y))} labelFormatter={(x) => percentileTickLabel(Number(x))} />
            <Legend wrapperStyle={{ fontSize: 11 }} />
            {runs.map((run, i) => (
              <Line key={run.id} data={percentileSeries(run)} dataKey="y" name={runName(run)} dot={false} stroke={colorOf(i)} isAnimationActive={false} />
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
