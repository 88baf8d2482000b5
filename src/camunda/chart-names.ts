/**
 * The Camunda chart's naming rules (charts/camunda-platform-8.x/templates/*\/_helpers.tpl), written
 * out so discovery can predict object names from values without running Helm.
 */

export interface NameOverrides {
  readonly fullnameOverride?: unknown;
  readonly nameOverride?: unknown;
}

/** Sprig's `trunc N | trimSuffix "-"`: cut to N characters, then drop one trailing dash. */
export function truncName(s: string, n = 63): string {
  const cut = s.length > n ? s.slice(0, n) : s;
  return cut.endsWith('-') ? cut.slice(0, -1) : cut;
}

function text(v: unknown): string {
  return typeof v === 'string' ? v : v === undefined || v === null || v === false ? '' : String(v);
}

/**
 * `camundaPlatform.componentFullname`: the component's fullnameOverride, else the release name when
 * it already contains the component name (or its nameOverride), else `<release>-<name>`.
 */
export function componentFullname(
  release: string,
  componentName: string,
  values: NameOverrides = {},
): string {
  const full = text(values.fullnameOverride);
  if (full) return truncName(full);
  const name = text(values.nameOverride) || componentName;
  return release.includes(name) ? truncName(release) : truncName(`${release}-${name}`);
}

/** `camundaPlatform.fullname`: the same rule for the chart itself (name `camunda-platform`). */
export function platformFullname(release: string, values: NameOverrides = {}): string {
  return componentFullname(release, 'camunda-platform', values);
}

/**
 * Bitnami's `common.names.fullname` (the Keycloak subchart): like the Camunda rule, but the release
 * name is first lower-cased and runs of characters outside [a-z0-9-] become one dash.
 */
export function bitnamiFullname(release: string, chartName: string, values: NameOverrides = {}): string {
  const full = text(values.fullnameOverride);
  if (full) return truncName(full);
  const name = text(values.nameOverride) || chartName;
  const rel = release.toLowerCase().replace(/(-?[^a-z\d-])+-?/g, '-');
  return rel.includes(name) ? truncName(rel) : truncName(`${rel}-${name}`);
}

export type TemplateResult = { readonly value: string } | { readonly unresolved: string };

/**
 * Renders the only Go templates the chart's defaults put in values (`{{ .Release.Name }}-zeebe`,
 * `{{ .Release.Name }}-elasticsearch`). Anything else is reported unresolved, not guessed.
 */
export function renderReleaseTemplate(
  s: string,
  release: { readonly name: string; readonly namespace?: string },
): TemplateResult {
  if (!s.includes('{{')) return { value: s };
  let unresolved: string | undefined;
  const value = s.replace(
    /\s*\{\{(-?)\s*([^}]*?)\s*(-?)\}\}\s*/g,
    (whole, left: string, expr: string, right: string) => {
      const lead = left ? '' : (/^\s*/.exec(whole)?.[0] ?? '');
      const trail = right ? '' : (/\s*$/.exec(whole)?.[0] ?? '');
      if (expr === '.Release.Name') return `${lead}${release.name}${trail}`;
      if (expr === '.Release.Namespace' && release.namespace !== undefined) {
        return `${lead}${release.namespace}${trail}`;
      }
      unresolved ??= `{{ ${expr} }}`;
      return whole;
    },
  );
  return unresolved ? { unresolved } : { value };
}
