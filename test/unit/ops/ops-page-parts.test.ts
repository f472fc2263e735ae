import { describe, expect, it } from 'vitest';
import { actions } from '../../../services/api/ops/actions.js';
import { readInstalments } from '../../../services/api/ops/arrangement-review.js';
import { html } from '../../../services/api/ops/html.js';
import { lastEightQuarters } from '../../../services/api/ops/kpi-figures.js';
import { trackInUi } from '../../../services/api/ops/layout.js';

describe('the operations page, piece by piece', () => {
  it('escapes every value it puts into HTML, a tenant name or an API message alike', () => {
    const name = `<script>alert("x")</script> & 'Jansen'`;
    expect(html`<td>${name}</td><input value="${name}">`.text).toBe(
      '<td>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Jansen&#39;</td><input value="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Jansen&#39;">',
    );
    expect(html`<p>${html`<b>${'<i>'}</b>`}</p>`.text).toBe('<p><b>&lt;i&gt;</b></p>');
  });

  it('names the eight quarters up to the one holding today, oldest first', () => {
    const quarters = lastEightQuarters('2026-12-02');
    expect(quarters.map((q) => q.label)).toEqual(['2025 Q1', '2025 Q2', '2025 Q3', '2025 Q4', '2026 Q1', '2026 Q2', '2026 Q3', '2026 Q4']);
    expect(quarters[0]).toEqual({ label: '2025 Q1', from: '2025-01-01', to: '2025-03-31' });
    expect(quarters[7]).toEqual({ label: '2026 Q4', from: '2026-10-01', to: '2026-12-31' });
    expect(lastEightQuarters('2026-01-01')[7]).toEqual({ label: '2026 Q1', from: '2026-01-01', to: '2026-03-31' });
  });

  it('reads instalments as typed and reports the lines it cannot read instead of guessing', () => {
    expect(readInstalments('2026-12-15 450.00\n2027-01-15;487,76\n\n15-01-2027 10\n2027-02-15 € 12')).toEqual({
      instalments: [
        { dueDate: '2026-12-15', amount: '450.00' },
        { dueDate: '2027-01-15', amount: '487.76' },
        { dueDate: '2027-02-15', amount: '12' },
      ],
      unreadable: ['15-01-2027 10'],
    });
  });

  it('turns a form into its JSON API call, ids as one path segment each, empty fields left out', () => {
    expect(actions['task-outcome']!({ taskId: 'track/corp/HC-1/call/1', outcome: 'reached', promisedOn: '2026-12-05', note: ' ' })).toMatchObject({
      method: 'POST',
      path: '/v1/tasks/track%2Fcorp%2FHC-1%2Fcall%2F1/outcome',
      body: { outcome: 'reached' },
    });
    // A '..' cannot climb to another route.
    expect(actions.approve!({ caseId: '..', decision: 'handover', proposalId: 'p1' }).path).toBe('/v1/cases/.../approvals');
    expect(actions['resolve-exception']!({ caseId: 'c1', kind: 'dispute', outcome: 'write_off' })).toMatchObject({ method: 'DELETE', path: '/v1/cases/c1/exceptions/dispute?outcome=write_off' });
    expect(actions['bank-entry']!({ entryId: 'e1', caseId: 'c1', action: 'refund' }).body).toEqual({ action: 'refund' });
  });

  it('links a track to the Temporal UI under its namespace, the id as one segment', () => {
    expect(trackInUi({ url: 'http://localhost:8233/', namespace: 'default' }, 'track/woonstad-zuid/HC-1')).toBe(
      'http://localhost:8233/namespaces/default/workflows/track%2Fwoonstad-zuid%2FHC-1',
    );
  });
});
