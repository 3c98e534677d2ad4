/* The live dashboard: polls the agent's JSON API (relative URLs, so any path prefix works) and
 * redraws the tiles and charts in place. chart.js is served by the agent as assets/chart.umd.min.js. */
/* global Chart */
(function () {
  'use strict';

  // Okabe-Ito, as the server-side chart: distinguishable with the common colour-vision deficiencies.
  const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#999999'];
  const STYLES = { solid: [], dashed: [6, 4], dotted: [2, 3] };
  const CHARTS = {
    latency: [
      { field: 'avgLatency', label: 'avg', style: 'solid' },
      { field: 'minLatency', label: 'min', style: 'dashed' },
      { field: 'maxLatency', label: 'max', style: 'dotted' },
    ],
    traffic: [
      { field: 'accessAmount', label: 'access', style: 'solid' },
      { field: 'failAmount', label: 'failed', style: 'dashed' },
    ],
    failratio: [{ field: 'failRatio', label: '', style: 'solid', percent: true }],
    concurrency: [{ field: 'maxConcurrent', label: '', style: 'solid' }],
  };
  const TILE_FIELDS = [
    ['avgLatency', 'avg latency', 'ms'],
    ['minLatency', 'min latency', 'ms'],
    ['maxLatency', 'max latency', 'ms'],
    ['maxConcurrent', 'concurrent', ''],
    ['accessAmount', 'requests', ''],
    ['failAmount', 'failed', ''],
    ['failRatio', 'fail ratio', '%'],
  ];

  const charts = {};
  let pollMs = 2000;
  let updates = 0;
  let timer;
  /**
   * The history the page holds, kept up to date with `?since=` (only what is new) instead of the
   * whole window on every poll; a full fetch once a minute resynchronises (an agent restart, say).
   */
  const held = { series: new Map(), gaps: [], last: undefined, limit: 300, fullAt: 0 };
  const RESYNC_MS = 60000;
  /** A host keeps its colour for the life of the page: colours follow first appearance, not sorting. */
  const colourIndex = new Map();
  /** Hosts hidden by a click on the legend, per chart (redraws replace the datasets). */
  const hidden = {};

  function $(id) {
    return document.getElementById(id);
  }

  function clock(ms) {
    return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
  }

  function age(ms) {
    if (ms < 1000) return 'just now';
    if (ms < 60000) return Math.round(ms / 1000) + ' s ago';
    return Math.round(ms / 60000) + ' min ago';
  }

  function value(field, raw) {
    return field === 'failRatio' ? Math.round(raw * 1000) / 10 : raw;
  }

  /** Pod names are long; the legend keeps the part that tells replicas apart. */
  function shortHost(host) {
    const parts = host.split('-');
    return host.length > 22 && parts.length > 2 ? '\u2026' + parts.slice(-2).join('-') : host;
  }

  function makeChart(id) {
    return new Chart($('chart-' + id), {
      type: 'line',
      data: { datasets: [] },
      options: {
        animation: false,
        maintainAspectRatio: false,
        parsing: false,
        normalized: true,
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        plugins: {
          // One legend entry per host (its solid line); the caption explains dashed and dotted lines.
          // A click hides or shows every line of that host.
          legend: {
            position: 'bottom',
            labels: {
              boxWidth: 18,
              boxHeight: 2,
              font: { size: 11 },
              filter: function (item, data) {
                return data.datasets[item.datasetIndex].legend;
              },
            },
            onClick: function (_event, item, legend) {
              const host = legend.chart.data.datasets[item.datasetIndex].host;
              if (hidden[id].has(host)) hidden[id].delete(host);
              else hidden[id].add(host);
              legend.chart.data.datasets.forEach(function (dataset) {
                dataset.hidden = hidden[id].has(dataset.host);
              });
              legend.chart.update('none');
            },
          },
          tooltip: {
            callbacks: {
              title: function (items) {
                return items.length ? clock(items[0].parsed.x) : '';
              },
              label: function (context) {
                const dataset = context.dataset;
                return dataset.label + (dataset.stat ? ' ' + dataset.stat : '') + ': ' + context.parsed.y;
              },
            },
          },
        },
        scales: {
          x: { type: 'linear', ticks: { maxTicksLimit: 7, maxRotation: 0, includeBounds: false, callback: function (v) { return clock(v); } } },
          // From 0, so heights compare honestly; the top follows the data (fail ratios of a few % stay readable).
          y: { min: 0, suggestedMax: id === 'failratio' ? 10 : 20, ticks: { maxTicksLimit: 6 } },
        },
      },
    });
  }

  async function getJson(path) {
    const res = await fetch(path, { cache: 'no-store', headers: { accept: 'application/json' } });
    if (!res.ok) throw new Error(path + ' answered ' + res.status);
    return res.json();
  }

  function renderSource(upstream) {
    let text = 'Polling ' + upstream.metricsUrl + ' every ' + upstream.pollIntervalMs / 1000 + ' s';
    if (upstream.lastSuccessAt) text += ' \u00b7 last sample ' + age(Date.now() - Date.parse(upstream.lastSuccessAt));
    $('source').textContent = text;
  }

  function renderBanner(upstream, agentError) {
    const banner = $('banner');
    if (agentError) {
      banner.textContent = 'The agent does not answer (' + agentError + '). Retrying\u2026';
      banner.hidden = false;
    } else if (upstream.state === 'down' && upstream.lastError) {
      const since = upstream.lastSuccessAt ? 'last answer at ' + clock(Date.parse(upstream.lastSuccessAt)) : 'no answer yet';
      banner.textContent =
        'monitor-test is unreachable (' + since + ', ' + upstream.consecutiveFailures + ' failed polls since). Last error: ' +
        upstream.lastError.message + '. The dashboard recovers by itself once it answers again.';
      banner.hidden = false;
    } else {
      banner.hidden = true;
      banner.textContent = '';
    }
  }

  function renderTiles(latest, colourOf) {
    const tiles = $('tiles');
    $('no-data').hidden = latest.hosts.length > 0;
    const stale = Math.max(10000, pollMs * 5 * Math.max(1, latest.hosts.length));
    tiles.replaceChildren(
      ...latest.hosts.map(function (entry) {
        const tile = document.createElement('article');
        tile.className = 'tile' + (entry.ageMs > stale ? ' stale' : '');
        tile.dataset.host = entry.host;
        tile.style.setProperty('--host-colour', colourOf(entry.host));
        const title = document.createElement('h3');
        title.textContent = entry.host + ' ';
        const when = document.createElement('span');
        when.className = 'age';
        when.textContent = age(entry.ageMs);
        title.appendChild(when);
        const list = document.createElement('dl');
        TILE_FIELDS.forEach(function (spec) {
          const pair = document.createElement('div');
          pair.className = 'pair';
          const dd = document.createElement('dd');
          dd.dataset.field = spec[0];
          dd.textContent = value(spec[0], entry.performance_index[spec[0]]) + (spec[2] ? '\u2009' + spec[2] : '');
          const dt = document.createElement('dt');
          dt.textContent = spec[1];
          pair.append(dt, dd);
          list.appendChild(pair);
        });
        tile.append(title, list);
        return tile;
      }),
    );
  }

  function renderCharts(history, colourOf) {
    const gaps = history.gaps.map(function (gap) {
      return Date.parse(gap.time);
    });
    const times = gaps.slice();
    history.series.forEach(function (series) {
      series.points.forEach(function (point) {
        times.push(Date.parse(point.time));
      });
    });
    const range = times.length ? { min: Math.min(...times), max: Math.max(...times) } : {};
    Object.keys(CHARTS).forEach(function (id) {
      const chart = charts[id];
      const datasets = [];
      CHARTS[id].forEach(function (line) {
        history.series.forEach(function (series) {
          const points = series.points.map(function (point) {
            return { x: Date.parse(point.time), y: value(line.field, point[line.field]) };
          });
          // A failed poll breaks the line instead of bridging the outage.
          gaps.forEach(function (at) {
            points.push({ x: at, y: null });
          });
          points.sort(function (a, b) {
            return a.x - b.x;
          });
          const colour = colourOf(series.host);
          datasets.push({
            label: shortHost(series.host),
            stat: line.label,
            host: series.host,
            field: line.field,
            legend: line.style === 'solid',
            hidden: hidden[id].has(series.host),
            data: points,
            borderColor: colour,
            backgroundColor: colour,
            borderDash: STYLES[line.style],
            borderWidth: line.style === 'solid' ? 2 : 1.5,
            pointRadius: 0,
            spanGaps: false,
          });
        });
      });
      chart.data.datasets = datasets;
      // The time axis spans exactly the data, instead of rounding out to "nice" empty margins.
      chart.options.scales.x.min = range.min;
      chart.options.scales.x.max = range.max;
      chart.update('none');
    });
  }

  function historyUrl() {
    if (held.last === undefined || Date.now() - held.fullAt > RESYNC_MS) return 'api/metrics/history';
    return 'api/metrics/history?since=' + encodeURIComponent(held.last);
  }

  function mergeHistory(body, full) {
    if (full) {
      held.series = new Map();
      held.gaps = [];
      held.fullAt = Date.now();
    }
    held.limit = body.limit;
    body.series.forEach(function (series) {
      const points = (held.series.get(series.host) || []).concat(series.points);
      held.series.set(series.host, points.slice(-held.limit));
    });
    held.gaps = held.gaps.concat(body.gaps).slice(-held.limit);
    body.series.forEach(function (series) {
      series.points.forEach(function (point) {
        if (held.last === undefined || Date.parse(point.time) > Date.parse(held.last)) held.last = point.time;
      });
    });
    body.gaps.forEach(function (gap) {
      if (held.last === undefined || Date.parse(gap.time) > Date.parse(held.last)) held.last = gap.time;
    });
    // A pod gone for a whole window is dropped, as the agent drops it.
    const horizon = Date.parse(held.last) - held.limit * pollMs;
    held.series.forEach(function (points, host) {
      if (Date.parse(points[points.length - 1].time) < horizon) held.series.delete(host);
    });
    const series = Array.from(held.series.keys())
      .sort()
      .map(function (host) {
        return { host: host, points: held.series.get(host) };
      });
    const oldest = Math.min(...series.map(function (entry) {
      return Date.parse(entry.points[0].time);
    }));
    const gaps = held.gaps.filter(function (gap) {
      return !(Date.parse(gap.time) < oldest);
    });
    return { series: series, gaps: gaps };
  }

  async function refresh() {
    try {
      const url = historyUrl();
      const results = await Promise.all([getJson('api/upstream'), getJson('api/metrics/latest'), getJson(url)]);
      const upstream = results[0];
      pollMs = upstream.pollIntervalMs;
      results[2] = mergeHistory(results[2], url.indexOf('since=') < 0);
      results[2].series.forEach(function (s) {
        if (!colourIndex.has(s.host)) colourIndex.set(s.host, colourIndex.size);
      });
      const colourOf = function (host) {
        if (!colourIndex.has(host)) colourIndex.set(host, colourIndex.size);
        return COLOURS[colourIndex.get(host) % COLOURS.length];
      };
      renderSource(upstream);
      renderBanner(upstream);
      renderTiles(results[1], colourOf);
      renderCharts(results[2], colourOf);
      updates += 1;
      document.body.dataset.updates = String(updates);
    } catch (error) {
      renderBanner(null, error && error.message ? error.message : String(error));
    } finally {
      clearTimeout(timer);
      timer = setTimeout(refresh, Math.min(5000, Math.max(500, pollMs)));
    }
  }

  Object.keys(CHARTS).forEach(function (id) {
    hidden[id] = new Set();
    charts[id] = makeChart(id);
  });
  refresh();
})();
