import type { CodeCatalog } from './code-info.js';

const CLUSTER_CMD =
  "aws rds describe-db-clusters --db-cluster-identifier CLUSTER_ID --query 'DBClusters[0].[DbClusterResourceId,IAMDatabaseAuthenticationEnabled]'";

/** Aurora / RDS PostgreSQL IAM login (REFERENCE section 8). */
export const POSTGRES_CODES: CodeCatalog = {
  'PG-LOGIN-OK': {
    title: 'IAM login to PostgreSQL works',
    cause: 'A token signed with the pod credentials for this endpoint and user was accepted over TLS.',
    confirm: 'details: server version, user, database, who signed the token, TLS verification, privileges.',
    fix: 'None.',
  },
  'PG-NOT-CONFIGURED': {
    title: 'No PostgreSQL endpoint to check',
    cause: 'No --postgres HOST[:PORT] (or IRSA_DOCTOR_POSTGRES) was given.',
    confirm: 'irsa-doctor check --help',
    fix: 'Pass --postgres CLUSTER_ENDPOINT --postgres-user USER to check the database login.',
  },
  'PG-TARGET-INVALID': {
    title: 'PostgreSQL target cannot be parsed',
    cause: 'The --postgres value is not HOST[:PORT] (bad port, stray characters, another URL scheme).',
    confirm: 'The value in details.raw.',
    fix: 'Pass the cluster endpoint as HOST or HOST:PORT, e.g. mycluster.cluster-abc.eu-west-1.rds.amazonaws.com:5432.',
  },
  'PG-USER-MISSING': {
    title: 'No database user given',
    cause: 'A --postgres target was given without --postgres-user; the token is signed for one user.',
    confirm: 'The user the application logs in as (e.g. SPRING_DATASOURCE_USERNAME, KEYCLOAK_DATABASE_USER).',
    fix: 'Add --postgres-user USER (env IRSA_DOCTOR_POSTGRES_USER).',
  },
  'PG-REGION-UNKNOWN': {
    title: 'Region for the token unknown',
    cause: 'The host is not an *.rds.amazonaws.com name and neither --region nor AWS_REGION is set.',
    confirm: 'echo $AWS_REGION in the pod.',
    fix: 'Pass --region REGION (the cluster region) or set AWS_REGION in the pod.',
  },
  'PG-CA-UNREADABLE': {
    title: 'CA bundle cannot be read',
    cause: 'The --postgres-ca file does not exist, is not readable, or holds no PEM certificate.',
    confirm: 'ls -l FILE; grep -c "BEGIN CERTIFICATE" FILE',
    fix: 'curl -o global-bundle.pem https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem and pass --postgres-ca global-bundle.pem.',
  },
  'PG-LOGIN-SKIPPED': {
    title: 'PostgreSQL login not attempted',
    cause: 'No AWS credentials came out of the default chain, so no token could be signed.',
    confirm: 'The CHAIN-*, STS-* and ENV-* findings of the same report.',
    fix: 'Fix the credential findings first; the login check runs once the pod has credentials.',
  },
  'PG-TLS-UNVERIFIED': {
    title: 'TLS used but the server certificate not verified',
    cause:
      'No --postgres-ca was given, so the connection is encrypted but the server is not authenticated (sslmode=require).',
    confirm: 'details.tls of the NET-OK finding (issuer, expiry).',
    fix: 'Pass the RDS CA bundle with --postgres-ca (https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem) to verify chain and host name (verify-full).',
  },
  'PG-SIGNED-BY-NODE-ROLE': {
    title: 'Login works, but with the node role',
    cause:
      'The pod fell back to the node role through IMDS (IRSA/Pod Identity not in effect), and the node role may rds-db:connect.',
    confirm: 'details.signedBy; the CHAIN-IMDS-FALLBACK finding.',
    fix: 'Fix the pod identity (ServiceAccount annotation, webhook injection), grant rds-db:connect to the pod role, and remove it from the node role.',
  },
  'PG-RDS-IAM-MISSING': {
    title: 'Logged-in user is not an rds_iam member',
    cause:
      'A token login succeeded although the user lacks rds_iam: the endpoint is not an RDS cluster endpoint (RDS Proxy logs in with its own secret; a self-managed server or pooler accepted the token as a password), or the grant was revoked after login. A direct login to the cluster would be refused.',
    confirm: "psql as master: SELECT pg_has_role('USER', 'rds_iam', 'member');",
    fix: 'GRANT rds_iam TO "USER"; (as the master user), and connect the application to the cluster endpoint.',
  },
  'PG-DB-PRIVILEGES': {
    title: 'User lacks privileges on the database',
    cause:
      'The user may not CONNECT to or CREATE in the database (the grant was never given, or was given on another database); Camunda components create their tables on start.',
    confirm:
      "psql: SELECT has_database_privilege('USER','DB','CONNECT'), has_database_privilege('USER','DB','CREATE');",
    fix: 'GRANT ALL PRIVILEGES ON DATABASE "DB" TO "USER"; (as the database owner or master user).',
  },
  'PG-SCHEMA-PRIVILEGES': {
    title: 'User may not create in schema public',
    cause:
      'Since PostgreSQL 15 PUBLIC may no longer CREATE in schema public, and GRANT ALL ON DATABASE does not cover schemas. Only components that create their tables in public (rather than in a schema of their own) are affected.',
    confirm: "psql -d DB: SELECT has_schema_privilege('USER','public','CREATE');",
    fix: 'Connected to DB, as the database owner or master user: GRANT ALL ON SCHEMA public TO "USER";',
  },
  'PG-IAM-AUTH-FAILED': {
    title: 'IAM token refused (PAM authentication failed)',
    cause:
      'RDS answers FATAL 28000 "PAM authentication failed for user" for all of: IAM database authentication disabled on the cluster; the role policy lacks rds-db:connect; the policy Resource names the cluster name instead of its resource id cluster-XXXX; the dbuser in the Resource differs from the user; the user lacks rds_iam; the token was signed for another host, port or region (a CNAME, proxy or IP instead of the endpoint); the token is older than 15 minutes.',
    confirm: `${CLUSTER_CMD}; aws iam list-attached-role-policies --role-name ROLE; psql as master: SELECT pg_has_role('USER','rds_iam','member');`,
    fix: 'The numbered steps in the remediation: enable IAM auth, allow rds-db:connect on arn:aws:rds-db:REGION:ACCOUNT:dbuser:RESOURCE_ID/USER, GRANT rds_iam TO "USER";, sign for the endpoint itself.',
  },
  'PG-SSL-REQUIRED': {
    title: 'Connection not encrypted',
    cause:
      'The server refused an unencrypted session (pg_hba: "no pg_hba.conf entry ... no encryption" / "SSL off"), or offered no TLS at all; RDS IAM authentication requires SSL. Something between pod and cluster (a pooler, a proxy) does not speak TLS.',
    confirm: 'openssl s_client -connect HOST:PORT -starttls postgres',
    fix: 'Connect straight to the cluster endpoint with sslmode=require or verify-full (JDBC: ssl=true&sslmode=verify-full), or enable TLS on the proxy in between.',
  },
  'PG-HBA-REJECTED': {
    title: 'pg_hba.conf admits no such connection',
    cause:
      'The server has no pg_hba.conf entry for this client address, user and database over an encrypted connection (self-managed server or a restrictive proxy).',
    confirm: 'The server log line for the connection; SELECT * FROM pg_hba_file_rules; (as superuser).',
    fix: 'Add a hostssl entry for the user and database with the pod CIDR, or connect to the Aurora endpoint.',
  },
  'PG-NOT-IAM-USER': {
    title: 'Server asked for a password: not an IAM user',
    cause:
      'SQLSTATE 28P01: the server checked the token as a password (SCRAM/MD5), which it only does for users without rds_iam.',
    confirm: "psql as master: SELECT pg_has_role('USER','rds_iam','member');",
    fix: 'GRANT rds_iam TO "USER"; (the user then logs in only with IAM), or use the IAM user the application is meant to use.',
  },
  'PG-DATABASE-MISSING': {
    title: 'Database does not exist',
    cause: 'SQLSTATE 3D000: the database name is wrong (it defaults to the user name) or was never created.',
    confirm: 'psql: \\l',
    fix: 'CREATE DATABASE "DB"; GRANT ALL PRIVILEGES ON DATABASE "DB" TO "USER"; or pass the right --postgres-database.',
  },
  'PG-ROLE-MISSING': {
    title: 'Database user does not exist',
    cause: 'The server says the role does not exist (RDS hides this behind the PAM failure).',
    confirm: "psql as master: SELECT rolname FROM pg_roles WHERE rolname = 'USER';",
    fix: 'CREATE USER "USER"; GRANT rds_iam TO "USER";',
  },
  'PG-SERVER-BUSY': {
    title: 'Server refuses new connections',
    cause:
      'SQLSTATE 53300 too many connections, 57P03 starting up / shutting down / in recovery, or another 53xxx resource limit.',
    confirm:
      'aws rds describe-db-clusters --query "DBClusters[].Status"; SELECT count(*) FROM pg_stat_activity;',
    fix: 'Wait for the cluster to be available, or raise max_connections / close idle connections.',
  },
  'PG-LOGIN-FAILED': {
    title: 'PostgreSQL login failed for another reason',
    cause:
      'An error that none of the known causes explains; details.sqlstate and details.serverMessage carry what the server said.',
    confirm: 'Look up the SQLSTATE in the PostgreSQL errcodes appendix.',
    fix: 'Act on the server message in details.',
  },
};
