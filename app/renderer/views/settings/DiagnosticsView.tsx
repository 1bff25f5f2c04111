/** Diagnostics: versions, the model pack with its checksums, workers, recent errors, and where logs and the store are. */
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { Diagnostics } from '../../../common/api/resources.ts';
import { useApp } from '../../context.tsx';
import { formatBytes, formatTime } from '../../i18n/i18n.ts';
import { gpuText, workerStateText } from './gpu-text.ts';

export function DiagnosticsView(): ReactNode {
  const { client, t, transport, language, attempt } = useApp();
  const [d, setD] = useState<Diagnostics | null>(null);
  const load = useCallback(() => void attempt(() => client.getDiagnostics()).then((r) => r && setD(r)), [attempt, client]);
  useEffect(load, [load]);
  if (!d) return <p className="empty">{t('loading')}</p>;
  const rows: [string, string][] = [
    [t('diagApp'), d.version],
    [t('diagApi'), String(d.apiVersion)],
    [t('diagNode'), d.runtime.node],
    [t('diagOrt'), d.runtime.onnxruntime],
    [t('diagElectron'), d.runtime.electron ?? t('none')],
    [t('diagPlatform'), `${d.runtime.platform} ${d.runtime.arch}`],
    [t('diagTransport'), t(`transport_${transport}`)],
    [t('diagGpu'), gpuText(d.gpu, t)],
  ];
  return (
    <div className="stack diagnostics">
      <div className="page-head row between">
        <h2>{t('tab_diagnostics')}</h2>
        <button type="button" className="button small" onClick={load}>
          {t('refresh')}
        </button>
      </div>
      <section className="card" aria-labelledby="diag-versions">
        <h3 id="diag-versions">{t('diagVersions')}</h3>
        <dl className="pairs">
          {rows.map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
      </section>
      <section className="card" aria-labelledby="diag-models">
        <h3 id="diag-models">
          {t('diagModels')}: {d.models.name}
        </h3>
        <p className="hint mono">{d.models.dir}</p>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('diagFile')}</th>
                <th scope="col">{t('diagSha')}</th>
              </tr>
            </thead>
            <tbody>
              {d.models.files.map((f) => (
                <tr key={f.name}>
                  <td className="mono">{f.name}</td>
                  <td className="mono hash">{f.sha256}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section className="card" aria-labelledby="diag-workers">
        <h3 id="diag-workers">{t('diagWorkers')}</h3>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('diagWorker')}</th>
                <th scope="col">{t('diagPid')}</th>
                <th scope="col">{t('diagState')}</th>
                <th scope="col">{t('diagPagesDone')}</th>
                <th scope="col">{t('diagMemory')}</th>
              </tr>
            </thead>
            <tbody>
              {d.workers.map((w) => (
                <tr key={w.id}>
                  <td>{w.id}</td>
                  <td className="mono">{w.pid ?? '—'}</td>
                  <td>{workerStateText(w.state, t)}</td>
                  <td>{w.pagesDone}</td>
                  <td>{formatBytes(w.rssBytes, language)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section className="card" aria-labelledby="diag-errors">
        <h3 id="diag-errors">{t('diagErrors')}</h3>
        {d.recentErrors.length === 0 ? (
          <p className="muted">{t('diagNoErrors')}</p>
        ) : (
          <ul className="errors">
            {d.recentErrors.map((e, i) => (
              <li key={i}>
                <div className="row">
                  <span className="tag">{e.kind}</span>
                  <time dateTime={e.at} className="muted">
                    {formatTime(e.at, language)}
                  </time>
                </div>
                <p>{e.message}</p>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="card" aria-labelledby="diag-storage">
        <h3 id="diag-storage">{t('diagStorage')}</h3>
        <dl className="pairs">
          <div>
            <dt>{t('diagLogFile')}</dt>
            <dd className={d.logFile ? 'mono' : ''}>{d.logFile ?? t('diagNoLogFile')}</dd>
          </div>
          <div>
            <dt>{t('diagStore')}</dt>
            <dd className="mono">{d.storeFile}</dd>
          </div>
          <div>
            <dt>{t('diagDataDir')}</dt>
            <dd className="mono">{d.dataDir}</dd>
          </div>
        </dl>
      </section>
    </div>
  );
}
