/**
 * The model of one Camunda 8 component: which workload runs it, as which ServiceAccount, and what it
 * reaches with IAM (Aurora PostgreSQL, Amazon OpenSearch). The same shape is built from two sources
 * that check each other: the Helm release (values) and the live workloads (pods' env and ConfigMaps).
 */

/** The chart lines this model knows; chart majors 12, 13, 14 and 15. */
export type ChartLine = '8.7' | '8.8' | '8.9' | '8.10';

export type ComponentId =
  | 'zeebe'
  | 'zeebe-gateway'
  | 'operate'
  | 'tasklist'
  | 'orchestration'
  | 'optimize'
  | 'identity'
  | 'keycloak'
  | 'web-modeler-restapi'
  | 'web-modeler-webapp'
  | 'web-modeler-websockets'
  | 'connectors'
  | 'console';

export type WorkloadKind = 'Deployment' | 'StatefulSet';

/** The IRSA annotation on a ServiceAccount. */
export const ROLE_ARN_ANNOTATION = 'eks.amazonaws.com/role-arn';

/**
 * A value and where it was read. Sources read like paths:
 * `values:<path>` (the user's values), `chart-default:<path>`, `subchart-default:keycloak:<path>`,
 * `derived:<rule>` (a chart naming or defaulting rule), `env:<NAME>` (a container's env entry),
 * `env:<NAME> <- configmap:<cm>/<key>`, `envFrom:configmap:<cm>/<key>`,
 * `file:configmap:<cm>/<key>#<property>`, `pod:<field>`; `absent:<key>` when the switch is missing.
 */
export interface Fact<T> {
  readonly value: T;
  readonly source: string;
}

/** What a component uses Aurora PostgreSQL for. */
export type PostgresPurpose = 'datasource' | 'keycloak' | 'rdbms';

/** One database connection as the application sees it. Never holds a password. */
export interface PostgresUse {
  readonly purpose: PostgresPurpose;
  /** The JDBC URL with any password parameter redacted. */
  readonly url?: Fact<string>;
  readonly host?: Fact<string>;
  readonly port?: Fact<number>;
  readonly database?: Fact<string>;
  readonly user?: Fact<string>;
  /** The AWS JDBC wrapper's `iam` plugin is on (or, for the RDBMS secondary storage, `aws-enabled`). */
  readonly iam: Fact<boolean>;
  /** The JDBC driver class, when one is set. */
  readonly driver?: Fact<string>;
  /** The URL's query parameters (password-like ones redacted). */
  readonly params: Readonly<Record<string, string>>;
  /** What could not be established, or disagrees (e.g. two different users). */
  readonly notes: readonly string[];
}

/** Which of a component's OpenSearch clients a connection belongs to. */
export type OpenSearchPurpose =
  | 'exporter'
  | 'camunda-exporter'
  | 'secondary-storage'
  | 'operate'
  | 'operate-zeebe'
  | 'tasklist'
  | 'tasklist-zeebe'
  | 'optimize';

/** One OpenSearch client as the application sees it. */
export interface OpenSearchUse {
  readonly purpose: OpenSearchPurpose;
  readonly url?: Fact<string>;
  readonly host?: Fact<string>;
  readonly port?: Fact<number>;
  readonly protocol?: Fact<string>;
  /** The client signs its requests with SigV4 (the AWS switch next to the URL). */
  readonly aws: Fact<boolean>;
  readonly username?: Fact<string>;
  readonly notes: readonly string[];
}

export interface CamundaComponent {
  readonly id: ComponentId;
  readonly workload: {
    readonly kind: WorkloadKind;
    readonly name: Fact<string>;
    /** The main container the chart names for this component. */
    readonly container: string;
  };
  readonly serviceAccount: Fact<string>;
  /** The `eks.amazonaws.com/role-arn` annotation of that ServiceAccount, when known. */
  readonly roleArn?: Fact<string>;
  readonly postgres: readonly PostgresUse[];
  readonly opensearch: readonly OpenSearchUse[];
  /** What could not be established for this component. */
  readonly notes: readonly string[];
}
