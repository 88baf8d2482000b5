/**
 * Spring Boot's relaxed binding, reduced to a comparison key. `spring.datasource.url`,
 * `spring.datasource.URL`, `awsEnabled`/`aws-enabled` and the environment variable
 * `SPRING_DATASOURCE_URL` all reduce to the same canonical name: lower case, dashes dropped,
 * list indices as `[n]`; an environment variable's underscores are dots, and a numeric segment
 * (`_0_`) is an index (Spring Boot's SystemEnvironmentPropertyMapper).
 */

export function canonicalProperty(name: string): string {
  return name
    .toLowerCase()
    .replace(/-/g, '')
    .replace(/\.(\d+)(?=\.|$)/g, '[$1]');
}

export function canonicalEnvName(name: string): string {
  return canonicalProperty(name.replace(/_/g, '.'));
}
