// The console's calls to the report endpoints (api/README.md, "Endpoints"). The CSV is fetched
// with the session's token (a plain link would carry none) and handed to the browser as a file.
import type { OverviewReport } from '../../../domain/report-overview';
import { session, sessionRequest } from '../auth/session';
import type { Locale } from '../i18n/locale';
import { ApiError, toApiError } from '../shared/http';
import { overviewQueryString, type OverviewRequest } from './report-period';

export const reportApi = {
  overview: (query: OverviewRequest, signal?: AbortSignal) =>
    sessionRequest<OverviewReport>('GET', `/api/reports/overview?${overviewQueryString(query)}`, { signal }),

  /** The CSV as a Blob and the file name the server gave it. */
  async overviewCsv(query: OverviewRequest, locale: Locale): Promise<{ blob: Blob; fileName: string }> {
    let response: Response;
    try {
      response = await fetch(`/api/reports/overview.csv?${overviewQueryString(query, { locale })}`, {
        headers: session.token ? { Authorization: `Bearer ${session.token}` } : {},
      });
    } catch {
      throw new ApiError(0, 'network', 'Network error');
    }
    if (!response.ok) throw toApiError(response.status, await response.json().catch(() => null));
    const disposition = response.headers.get('content-disposition') ?? '';
    const fileName = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? 'seamless-overview.csv';
    return { blob: await response.blob(), fileName };
  },
};

/** Saves a Blob through a temporary link (no new window; the object URL is released after). */
export function saveFile(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
