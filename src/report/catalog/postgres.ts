import { defineCodes } from './define.js';

const CLUSTER_CMD =
  "aws rds describe-db-clusters --db-cluster-identifier {{clusterId}} --query 'DBClusters[0].[DbClusterResourceId,IAMDatabaseAuthenticationEnabled]'";
const RDS_BUNDLE = 'https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem';

/** Aurora / RDS PostgreSQL IAM login (REFERENCE section 8). */
export const POSTGRES_CODES = defineCodes({
  'PG-LOGIN-OK': {
    check: 'postgres',
    status: 'pass',
    title: 'IAM login to PostgreSQL works',
    cause: 'A token signed with the pod credentials for this endpoint and user was accepted over TLS.',
    confirm: 'details: server version, user, database, who signed the token, TLS verification, privileges.',
  },
  'PG-NOT-CONFIGURED': {
    check: ['postgres-reachability', 'postgres'],
    status: 'skip',
    title: 'No PostgreSQL endpoint to check',
    cause: 'No --postgres HOST[:PORT] (or IRSA_DOCTOR_POSTGRES) was given.',
    confirm: 'irsa-doctor check --help',
  },
  'PG-TARGET-INVALID': {
    check: ['postgres-reachability', 'postgres'],
    status: {
      fail: 'the login check cannot run with it',
      skip: 'the reachability check did not probe it (the login check fails on it)',
    },
    title: 'PostgreSQL target cannot be parsed',
    cause: 'The --postgres value is not HOST[:PORT] (bad port, stray characters, another URL scheme).',
    confirm: 'The value in details.raw.',
    fix: 'Pass the cluster endpoint as HOST or HOST:PORT, e.g. mycluster.cluster-abc.eu-west-1.rds.amazonaws.com:5432.',
  },
  'PG-USER-MISSING': {
    check: 'postgres',
    status: 'fail',
    title: 'No database user given',
    cause: 'A --postgres target was given without --postgres-user; the token is signed for one user.',
    confirm: 'The user the application logs in as (e.g. SPRING_DATASOURCE_USERNAME, KEYCLOAK_DATABASE_USER).',
    fix: 'Add --postgres-user USER (env IRSA_DOCTOR_POSTGRES_USER): the user the application logs in as.',
  },
  'PG-REGION-UNKNOWN': {
    check: 'postgres',
    status: 'fail',
    title: 'Region for the token unknown',
    cause: 'The host is not an *.rds.amazonaws.com name and neither --region nor AWS_REGION is set.',
    confirm: 'echo $AWS_REGION in the pod.',
    fix: 'Pass --region REGION (the cluster region) or set AWS_REGION in the pod.',
  },
  'PG-CA-UNREADABLE': {
    check: 'postgres',
    status: 'fail',
    title: 'CA bundle cannot be read',
    cause: 'The --postgres-ca file does not exist, is not readable, or holds no PEM certificate.',
    confirm: 'ls -l {{file}}; grep -c "BEGIN CERTIFICATE" {{file}}',
    fix: `curl -o global-bundle.pem ${RDS_BUNDLE} and pass --postgres-ca global-bundle.pem.`,
  },
  'PG-LOGIN-SKIPPED': {
    check: 'postgres',
    status: 'skip',
    title: 'PostgreSQL login not attempted',
    cause: 'No AWS credentials came out of the default chain, so no token could be signed.',
    confirm: 'The CHAIN-*, STS-* and ENV-* findings of the same report.',
  },
  'PG-TLS-UNVERIFIED': {
    check: 'postgres',
    status: 'info',
    title: 'TLS used but the server certificate not verified',
    cause:
      'No --postgres-ca was given and the bundled AWS RDS CA does not apply (details.tlsCa.why): the host is not an *.rds.amazonaws.com name (a CNAME, an IP), or its region has no root in the bundle (China, GovCloud, regions newer than the bundle). The connection is encrypted but the server is not authenticated (sslmode=require).',
    confirm: 'details.tlsCa; details.tls of the NET-OK finding (issuer, expiry).',
    fix: `To verify chain and host name (verify-full), download ${RDS_BUNDLE} (China: https://rds-truststore.s3.cn-north-1.amazonaws.com.cn/global/global-bundle.pem; GovCloud: the region's bundle from the RDS user guide) and pass --postgres-ca global-bundle.pem.`,
  },
  'PG-SIGNED-BY-NODE-ROLE': {
    check: 'postgres',
    status: 'warn',
    title: 'Login works, but with the node role',
    cause:
      'The pod fell back to the node role through IMDS (IRSA/Pod Identity not in effect), and the node role may rds-db:connect.',
    confirm: 'details.signedBy; the CHAIN-IMDS-FALLBACK finding.',
    fix: 'Fix the pod identity (see CHAIN-IMDS-FALLBACK), grant rds-db:connect to the pod role, remove it from the node role, and set the node launch template http_put_response_hop_limit = 1.',
  },
  'PG-RDS-IAM-MISSING': {
    check: 'postgres',
    status: 'warn',
    title: 'Logged-in user is not an rds_iam member',
    cause:
      'A token login succeeded although the user lacks rds_iam: the endpoint is not an RDS cluster endpoint (RDS Proxy logs in with its own secret; a self-managed server or pooler accepted the token as a password), or the grant was revoked after login. A direct login to the cluster would be refused.',
    confirm: "psql as master: SELECT pg_has_role('{{user}}', 'rds_iam', 'member');",
    fix: 'As the master user: GRANT rds_iam TO {{quotedUser}};',
  },
  'PG-DB-PRIVILEGES': {
    check: 'postgres',
    status: 'warn',
    title: 'User lacks privileges on the database',
    cause:
      'The user may not CONNECT to or CREATE in the database (the grant was never given, or was given on another database); Camunda components create their tables on start.',
    confirm:
      "psql: SELECT has_database_privilege('{{user}}','{{database}}','CONNECT'), has_database_privilege('{{user}}','{{database}}','CREATE');",
    fix: 'As the database owner or master user: GRANT ALL PRIVILEGES ON DATABASE {{quotedDatabase}} TO {{quotedUser}};',
  },
  'PG-SCHEMA-PRIVILEGES': {
    check: 'postgres',
    status: 'info',
    title: 'User may not create in schema public',
    cause:
      'Since PostgreSQL 15 PUBLIC may no longer CREATE in schema public, and GRANT ALL ON DATABASE does not cover schemas. Only components that create their tables in public (rather than in a schema of their own) are affected.',
    confirm: "psql -d {{database}}: SELECT has_schema_privilege('{{user}}','public','CREATE');",
    fix: 'If tables are created in schema public: as the database owner or master user, connected to {{database}}: GRANT ALL ON SCHEMA public TO {{quotedUser}};',
  },
  'PG-IAM-AUTH-FAILED': {
    check: 'postgres',
    status: 'fail',
    steps: { style: 'lines' },
    title: 'IAM token refused (PAM authentication failed)',
    cause:
      'RDS answers FATAL 28000 "PAM authentication failed for user" for all of: IAM database authentication disabled on the cluster; the role policy lacks rds-db:connect; the policy Resource names the cluster name instead of its resource id cluster-XXXX; the dbuser in the Resource differs from the user; the user lacks rds_iam; the token was signed for another host, port or region (a CNAME, proxy or IP instead of the endpoint); the token is older than 15 minutes.',
    confirm: `${CLUSTER_CMD}; aws iam list-attached-role-policies --role-name {{roleName}}; psql as master: SELECT pg_has_role('{{user}}','rds_iam','member');`,
    fix: {
      enableIamAuth:
        'Enable IAM database authentication: aws rds modify-db-cluster --db-cluster-identifier {{clusterId}} --enable-iam-database-authentication --apply-immediately',
      checkCluster:
        'Check the cluster: {{describeCommand}} (IAMDatabaseAuthenticationEnabled must be true; the resource id is the value to put in the policy).',
      allowConnect: 'Give role {{roleName|the pod role}} this statement: {{statement}}',
      allowConnectUnknownResource:
        'Give role {{roleName|the pod role}} this statement: {{statement}} (RESOURCE_ID is the cluster resource id cluster-XXXX, not the cluster name)',
      grantRdsIam: 'In the database, as the master user: GRANT rds_iam TO {{quotedUser}};',
      signForEndpoint:
        'Sign the token for the cluster endpoint itself ({{endpoint|the Endpoint AWS shows}}:{{port}}) in region {{region|of the cluster}}, and connect to that same name.',
      nodeRole:
        'The token was signed with the node role (IMDS fallback, see CHAIN-IMDS-FALLBACK): fix the pod identity first.',
    },
  },
  'PG-SSL-REQUIRED': {
    check: 'postgres',
    status: 'fail',
    title: 'Connection not encrypted',
    cause:
      'The server refused an unencrypted session (pg_hba: "no pg_hba.conf entry ... no encryption" / "SSL off"), or offered no TLS at all; RDS IAM authentication requires SSL. Something between pod and cluster (a pooler, a proxy) does not speak TLS.',
    confirm: 'openssl s_client -connect {{host}}:{{port}} -starttls postgres',
    fix: 'Connect straight to the cluster endpoint with SSL (sslmode=require or verify-full; JDBC ssl=true&sslmode=verify-full), or enable TLS on the proxy/pooler in between.',
  },
  'PG-HBA-REJECTED': {
    check: 'postgres',
    status: 'fail',
    title: 'pg_hba.conf admits no such connection',
    cause:
      'The server has no pg_hba.conf entry for this client address, user and database over an encrypted connection (self-managed server or a restrictive proxy).',
    confirm: 'The server log line for the connection; SELECT * FROM pg_hba_file_rules; (as superuser).',
    fix: 'Add a hostssl line for user {{user}} and database {{database}} from the pod CIDR (self-managed server), or connect to the Aurora cluster endpoint.',
  },
  'PG-NOT-IAM-USER': {
    check: 'postgres',
    status: 'fail',
    title: 'Server asked for a password: not an IAM user',
    cause:
      'SQLSTATE 28P01: the server checked the token as a password (SCRAM/MD5), which it only does for users without rds_iam.',
    confirm: "psql as master: SELECT pg_has_role('{{user}}','rds_iam','member');",
    fix: 'As the master user: GRANT rds_iam TO {{quotedUser}}; (the user then logs in only with IAM tokens), or pass the IAM user the application uses with --postgres-user.',
  },
  'PG-DATABASE-MISSING': {
    check: 'postgres',
    status: 'fail',
    title: 'Database does not exist',
    cause: 'SQLSTATE 3D000: the database name is wrong (it defaults to the user name) or was never created.',
    confirm: 'psql: \\l',
    fix: 'As the master user: CREATE DATABASE {{quotedDatabase}}; GRANT ALL PRIVILEGES ON DATABASE {{quotedDatabase}} TO {{quotedUser}}; or pass the existing database with --postgres-database.',
  },
  'PG-ROLE-MISSING': {
    check: 'postgres',
    status: 'fail',
    title: 'Database user does not exist',
    cause: 'The server says the role does not exist (RDS hides this behind the PAM failure).',
    confirm: "psql as master: SELECT rolname FROM pg_roles WHERE rolname = '{{user}}';",
    fix: 'As the master user: CREATE USER {{quotedUser}}; GRANT rds_iam TO {{quotedUser}};',
  },
  'PG-SERVER-BUSY': {
    check: 'postgres',
    status: 'fail',
    title: 'Server refuses new connections',
    cause:
      'SQLSTATE 53300 too many connections, 57P03 starting up / shutting down / in recovery, or another 53xxx resource limit.',
    confirm:
      'aws rds describe-db-clusters --query "DBClusters[].Status"; SELECT count(*) FROM pg_stat_activity;',
    fix: 'Wait until the cluster status is available, or raise max_connections / close idle sessions.',
  },
  'PG-NOT-POSTGRES': {
    check: 'postgres',
    status: 'fail',
    title: 'Something other than PostgreSQL answers at the endpoint',
    cause:
      'The TCP connection (and the TLS handshake) worked, but what came back is not the PostgreSQL protocol: bytes that make no PostgreSQL message, or far more than a login ever takes. Another service listens on that port (an HTTP or TLS service, a proxy that terminates TLS and forwards elsewhere), or the host is not the database endpoint.',
    confirm:
      'openssl s_client -connect {{host}}:{{port}} -starttls postgres -servername {{host}} (then type nothing: a server answers only after a startup message); aws rds describe-db-clusters --query "DBClusters[].[Endpoint,Port]"',
    fix: 'Something other than PostgreSQL answers at {{host}}:{{port}}: check the port (Aurora PostgreSQL listens on 5432 unless the cluster was created with another one), that {{host}} is the cluster endpoint itself (aws rds describe-db-clusters --query "DBClusters[].Endpoint"), and what any proxy or sidecar in between forwards the connection to.',
  },
  'PG-LOGIN-FAILED': {
    check: 'postgres',
    status: 'fail',
    title: 'PostgreSQL login failed for another reason',
    cause:
      'An error that none of the known causes explains; details.sqlstate and details.serverMessage carry what the server said.',
    confirm: 'Look up the SQLSTATE in the PostgreSQL errcodes appendix.',
    fix: 'Act on the server message (details.sqlstate, details.serverMessage).',
  },
});
