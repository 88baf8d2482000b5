import type { ReportFormat } from '../report/render/render-report.js';

/** What the user asked the agent to do: flags merged over IRSA_DOCTOR_* environment variables. */
export interface AgentOptions {
  output: ReportFormat;
  timeoutMs: number;
  /** Check ids to run; empty means all. */
  only: string[];
  region?: string;
  /** Audience the token must carry instead of sts.amazonaws.com (custom audience setups). */
  audience?: string;
  debug: boolean;
  postgres: string[];
  postgresUser?: string;
  postgresDatabase?: string;
  postgresCa?: string;
  opensearch: string[];
  opensearchService?: 'es' | 'aoss';
}

export const DEFAULT_TIMEOUT_SECONDS = 20;
