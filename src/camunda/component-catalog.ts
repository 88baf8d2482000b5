import type { ChartLine, ComponentId, WorkloadKind } from './camunda-component.js';

/**
 * The components each chart line deploys, with what identifies their workloads and how their
 * applications are configured. Container names and `app.kubernetes.io/component` labels are the
 * ones the templates write (charts/camunda-platform-8.x/templates/<component>/deployment.yaml,
 * statefulset.yaml, _helpers.tpl); identity and console name their container after the chart.
 */

/** How an application reads its database and OpenSearch settings. */
export type AppKind =
  | 'spring-datasource'
  | 'keycloak'
  | 'optimize'
  | 'zeebe-broker'
  | 'operate'
  | 'tasklist'
  | 'orchestration'
  | 'none';

export interface ComponentSpec {
  readonly id: ComponentId;
  readonly kind: WorkloadKind;
  readonly container: string;
  /** The `app.kubernetes.io/component` label on the workload and its pods. */
  readonly componentLabel: string;
  readonly app: AppKind;
}

const spec = (
  id: ComponentId,
  kind: WorkloadKind,
  container: string,
  componentLabel: string,
  app: AppKind,
): ComponentSpec => ({ id, kind, container, componentLabel, app });

const ZEEBE = spec('zeebe', 'StatefulSet', 'zeebe', 'zeebe-broker', 'zeebe-broker');
const GATEWAY = spec('zeebe-gateway', 'Deployment', 'zeebe-gateway', 'zeebe-gateway', 'none');
const OPERATE = spec('operate', 'Deployment', 'operate', 'operate', 'operate');
const TASKLIST = spec('tasklist', 'Deployment', 'tasklist', 'tasklist', 'tasklist');
// 8.8 kept the 8.7 label value for the broker (orchestration.brokerName = zeebe-broker).
const ORCHESTRATION = spec('orchestration', 'StatefulSet', 'orchestration', 'zeebe-broker', 'orchestration');
const OPTIMIZE = spec('optimize', 'Deployment', 'optimize', 'optimize', 'optimize');
const IDENTITY = spec('identity', 'Deployment', 'camunda-platform', 'identity', 'spring-datasource');
const KEYCLOAK = spec('keycloak', 'StatefulSet', 'keycloak', 'keycloak', 'keycloak');
const RESTAPI = spec(
  'web-modeler-restapi',
  'Deployment',
  'web-modeler-restapi',
  'restapi',
  'spring-datasource',
);
const WEBAPP = spec('web-modeler-webapp', 'Deployment', 'web-modeler-webapp', 'webapp', 'none');
const WEBSOCKETS = spec(
  'web-modeler-websockets',
  'Deployment',
  'web-modeler-websockets',
  'websockets',
  'none',
);
const CONNECTORS = spec('connectors', 'Deployment', 'connectors', 'connectors', 'none');
const CONSOLE = spec('console', 'Deployment', 'camunda-platform', 'console', 'none');

const BY_LINE: Readonly<Record<ChartLine, readonly ComponentSpec[]>> = {
  '8.7': [
    ZEEBE,
    GATEWAY,
    OPERATE,
    TASKLIST,
    OPTIMIZE,
    IDENTITY,
    KEYCLOAK,
    RESTAPI,
    WEBAPP,
    WEBSOCKETS,
    CONNECTORS,
    CONSOLE,
  ],
  '8.8': [ORCHESTRATION, OPTIMIZE, IDENTITY, KEYCLOAK, RESTAPI, WEBAPP, WEBSOCKETS, CONNECTORS, CONSOLE],
  // 8.9 dropped the Web Modeler webapp Deployment.
  '8.9': [ORCHESTRATION, OPTIMIZE, IDENTITY, KEYCLOAK, RESTAPI, WEBSOCKETS, CONNECTORS, CONSOLE],
  // 8.10 removed the Keycloak subchart; Console is a Web Modeler (Camunda Hub) feature, not a workload.
  '8.10': [ORCHESTRATION, OPTIMIZE, IDENTITY, RESTAPI, WEBSOCKETS, CONNECTORS],
};

export function componentSpecs(line: ChartLine): readonly ComponentSpec[] {
  return BY_LINE[line];
}

/**
 * Every component any line deploys, for recognising workloads when the line is unknown: each once, in
 * the order the lines list them (8.7's zeebe before 8.8's orchestration: recognition takes the first
 * spec a workload's container matches).
 */
export const ALL_COMPONENT_SPECS: readonly ComponentSpec[] = [...new Set(Object.values(BY_LINE).flat())];
