import Type from 'typebox';
import { auditActions } from '../../domain/audit-action.ts';
import type { AuditFilterRequest } from '../../use-cases/audit-log/audit-filter.ts';

// The audit log pages' filter form is a GET form typed by a person: its fields are read as text, so that a bad value
// gets its message beside its field (the use case checks them, src/use-cases/audit-log/audit-filter.ts), and a field
// left empty filters nothing.
const typed = Type.Optional(Type.String({ maxLength: 100 }));
const filterProperties = {
  before: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,14}$' })),
  action: typed,
  actor: typed,
  from: typed,
  to: typed,
};

/** The query of an organisation's audit log page and its CSV link. */
export const AuditFilterPageQuery = Type.Object(filterProperties, { additionalProperties: false });

/** The query of the operators' audit log page and its CSV link: one organisation too. */
export const WholeAuditFilterPageQuery = Type.Object({ ...filterProperties, organisation: typed }, { additionalProperties: false });

const filterNames = ['organisation', 'action', 'actor', 'from', 'to'] as const;

/** The filters as a query string (`?action=…&from=…`, or "" for none), to keep them on the next page's and the CSV's links. */
function auditFilterSearch(filter: AuditFilterRequest): string {
  const search = new URLSearchParams();
  for (const name of filterNames) {
    const value = filter[name];
    if (value !== undefined && value !== '') search.set(name, value);
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

/**
 * The links of an audit log page: its older entries and its CSV, both with the filters kept. A page whose filter was
 * refused has neither: it shows no entries, and a CSV link carrying the refused filter would only answer 400.
 */
export function auditPageLinks(path: string, filter: AuditFilterRequest, page: { readonly nextBefore: number | null } | 'refused') {
  if (page === 'refused') return { olderHref: null, csvHref: null };
  const search = auditFilterSearch(filter);
  return {
    olderHref: page.nextBefore === null ? null : `${path}?before=${page.nextBefore}${search.replace('?', '&')}`,
    csvHref: `${path}.csv${search}`,
  };
}

/** What the filter form (views/partials/audit-filter.eta) shows: the values chosen, and the actions to choose from. */
export function auditFilterForm(filter: AuditFilterRequest) {
  return {
    organisation: filter.organisation ?? '',
    actor: filter.actor ?? '',
    from: filter.from ?? '',
    to: filter.to ?? '',
    actions: auditActions.map((action) => ({ value: action, selected: action === filter.action })),
    active: auditFilterSearch(filter) !== '',
  };
}
