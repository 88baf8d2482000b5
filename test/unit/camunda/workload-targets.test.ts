import { describe, expect, it } from 'vitest';
import { workloadTargets } from '../../../src/camunda/workload-targets.js';

const AURORA = 'db.cluster-abc.eu-west-1.rds.amazonaws.com';

describe('workloadTargets (run --workload)', () => {
  it('env over the mounted application.yaml, as Spring reads it; the user from SPRING_DATASOURCE_USERNAME', () => {
    const t = workloadTargets(
      {
        containers: [
          {
            name: 'app',
            env: [
              {
                name: 'SPRING_DATASOURCE_URL',
                value: `jdbc:aws-wrapper:postgresql://${AURORA}:5432/app?wrapperPlugins=iam`,
              },
              { name: 'SPRING_DATASOURCE_USERNAME', value: 'app_irsa' },
            ],
            volumeMounts: [
              { name: 'config', mountPath: '/app/config/application.yaml', subPath: 'application.yaml' },
            ],
          },
        ],
        volumes: [{ name: 'config', configMap: { name: 'app-config' } }],
      },
      [
        {
          metadata: { name: 'app-config' },
          data: {
            'application.yaml': 'spring:\n  datasource:\n    url: jdbc:postgresql://old-host:5432/app\n',
          },
        },
      ],
    );
    expect(t.targets).toEqual({
      postgres: { host: AURORA, port: 5432, database: 'app', user: 'app_irsa' },
      opensearch: [],
    });
    expect(t.container).toBe('app');
  });

  it('a URL from a Secret stays unknown and says so; nothing is targeted', () => {
    const t = workloadTargets(
      {
        containers: [
          {
            name: 'app',
            env: [{ name: 'SPRING_DATASOURCE_URL', valueFrom: { secretKeyRef: { name: 'db', key: 'url' } } }],
          },
        ],
      },
      [],
    );
    expect(t.targets).toEqual({ opensearch: [] });
    expect(t.notes.join(' ')).toContain('Secret db');
  });

  it('a pod template without containers is a note, not a crash', () => {
    expect(workloadTargets({}, [])).toEqual({
      targets: { opensearch: [] },
      notes: ['the pod template has no container'],
    });
  });
});
