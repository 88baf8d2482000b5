import type { AppConfig, ConfigValue } from './app-config.js';
import { canonicalEnvName, canonicalProperty } from './spring-property-name.js';

/**
 * The value a Spring Boot application sees for a property, with Spring Boot's precedence (highest
 * first): `--key=value` arguments, Java system properties, environment variables (relaxed:
 * SPRING_DATASOURCE_URL is spring.datasource.url), profile-specific files, application.yaml.
 * `${NAME:default}` placeholders are resolved against the same sources, as Spring does.
 */

export type SettingOrigin = 'command-line' | 'system-property' | 'env' | 'file';

export interface Setting extends ConfigValue {
  readonly origin: SettingOrigin;
}

const MAX_PLACEHOLDER_DEPTH = 8;

export function springSetting(config: AppConfig, property: string): Setting | undefined {
  return lookup(config, property, 0);
}

function lookup(config: AppConfig, property: string, depth: number): Setting | undefined {
  const raw = rawSetting(config, property);
  if (!raw || raw.value === undefined || !raw.value.includes('${')) return raw;
  const { value, source, origin } = raw;
  return { origin, ...resolvePlaceholders(config, value, source, depth) };
}

function rawSetting(config: AppConfig, property: string): Setting | undefined {
  const canon = canonicalProperty(property);
  const cl = config.commandLine[canon];
  if (cl) return { ...cl, origin: 'command-line' };
  const sp = config.systemProperties[canon];
  if (sp) return { ...sp, origin: 'system-property' };
  const envName = envNameFor(config, property, canon);
  if (envName) return { ...config.env[envName]!, origin: 'env' };
  for (let i = config.springFiles.length - 1; i >= 0; i--) {
    const p = config.springFiles[i]!.properties[canon];
    if (p) return { ...p, origin: 'file' };
  }
  return undefined;
}

/**
 * Spring tries the name as written, its upper-case form without dashes (SPRING_DATASOURCE_
 * DRIVERCLASSNAME) and the legacy form with dashes as underscores (SPRING_DATASOURCE_DRIVER_
 * CLASS_NAME, what Camunda's guides use); any other spelling that reduces to the canonical name.
 */
function envNameFor(config: AppConfig, property: string, canon: string): string | undefined {
  if (Object.hasOwn(config.env, property)) return property;
  const upper = property.replace(/\./g, '_').replace(/-/g, '').toUpperCase();
  if (Object.hasOwn(config.env, upper)) return upper;
  const legacy = property.replace(/[.-]/g, '_').toUpperCase();
  if (Object.hasOwn(config.env, legacy)) return legacy;
  return Object.keys(config.env)
    .sort()
    .find((name) => canonicalEnvName(name) === canon);
}

function resolvePlaceholders(
  config: AppConfig,
  text: string,
  source: string,
  depth: number,
): Pick<Setting, 'value' | 'secretRef' | 'unresolved' | 'redacted' | 'source'> {
  if (depth >= MAX_PLACEHOLDER_DEPTH) {
    return { source, unresolved: 'placeholders nest too deep' };
  }
  let out = '';
  let i = 0;
  let via = source;
  while (i < text.length) {
    const start = text.indexOf('${', i);
    if (start < 0) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, start);
    const end = matchingBrace(text, start + 2);
    if (end < 0) {
      out += text.slice(start);
      break;
    }
    const body = text.slice(start + 2, end);
    const colon = body.indexOf(':');
    const name = colon < 0 ? body : body.slice(0, colon);
    const fallback = colon < 0 ? undefined : body.slice(colon + 1);
    const found = lookup(config, name, depth + 1);
    if (found?.secretRef && found.value === undefined) {
      return { source: `${source} <- ${found.source}`, secretRef: found.secretRef };
    }
    if (found && found.value === undefined) {
      const why = found.redacted
        ? { redacted: true as const }
        : { unresolved: found.unresolved ?? 'unknown' };
      return { source: `${source} <- ${found.source}`, ...why };
    }
    if (found) {
      out += found.value;
      via = `${via} <- ${found.source}`;
    } else if (fallback !== undefined) {
      const inner = fallback.includes('${')
        ? resolvePlaceholders(config, fallback, source, depth + 1)
        : { value: fallback };
      if (inner.value === undefined) return { ...inner, source };
      out += inner.value;
    } else {
      return { source, unresolved: `\${${name}} is not set` };
    }
    i = end + 1;
  }
  return { value: out, source: via };
}

function matchingBrace(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    if (text[i] === '{' && text[i - 1] === '$') depth++;
    else if (text[i] === '}' && --depth === 0) return i;
  }
  return -1;
}
