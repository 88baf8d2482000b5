/**
 * What one container's application is configured with, as plain data: its environment after
 * Kubernetes' rules, the Java options and arguments it starts with, and the configuration files it
 * reads. Built from a live pod template (resolve-container-config.ts) or from Helm values
 * (values-app-config.ts), and read the same way (spring-setting.ts), so the two sources can be
 * compared value by value.
 */

/** One setting and where it came from. Never the value of a Secret or of a password. */
export interface ConfigValue {
  /** Absent when the value comes from a Secret, was redacted, or could not be resolved. */
  readonly value?: string;
  readonly source: string;
  /** The value comes from this Secret; only its name and key are kept. */
  readonly secretRef?: { readonly name: string; readonly key: string };
  /** A literal that looked like a password was dropped. */
  readonly redacted?: true;
  /** Why the value is not known (a ConfigMap that does not exist, a fieldRef, a template). */
  readonly unresolved?: string;
}

/** A property from a configuration file or a `-Dkey=value`, keyed by its canonical name. */
export interface PropertyValue extends ConfigValue {
  /** The key as written (`camunda.data.secondary-storage.opensearch.aws-enabled`). */
  readonly key: string;
}

export interface ConfigFile {
  /** The file name the application sees (`application.yaml`, `environment-config.yaml`). */
  readonly name: string;
  /** Where it was mounted from, e.g. `configmap:camunda-zeebe-configuration/application.yaml`. */
  readonly source: string;
  readonly properties: Readonly<Record<string, PropertyValue>>;
  /** The file could not be parsed, or was too large. */
  readonly problem?: string;
}

export interface AppConfig {
  /** The container's environment: env entries over envFrom, the last duplicate winning. */
  readonly env: Readonly<Record<string, ConfigValue>>;
  /** `--key=value` container arguments, which Spring Boot ranks above everything else. */
  readonly commandLine: Readonly<Record<string, PropertyValue>>;
  /** `-Dkey=value` from JAVA_TOOL_OPTIONS, read by the JVM as system properties. */
  readonly systemProperties: Readonly<Record<string, PropertyValue>>;
  /** Spring configuration files, lowest precedence first (application.yaml, then profile files). */
  readonly springFiles: readonly ConfigFile[];
  /** Other mounted configuration files (Optimize's environment-config.yaml, extra files). */
  readonly otherFiles: readonly ConfigFile[];
  readonly notes: readonly string[];
}
