-- The xborder database and its two roles.  Run once, as a superuser:
--
--   psql -X -v ON_ERROR_STOP=1 -v db=xborder \
--        -v migrator_role=xborder_migrator -v migrator_password='...' \
--        -v app_role=xborder_app -v app_password='...' -f roles.sql
--
-- * the migration role owns the database, its schema and every table: it
--   alone can CREATE, ALTER, DROP (used only by `xborder db upgrade`);
-- * the application role (API and worker) can read and write rows and
--   nothing else: no DDL, no TRUNCATE, cannot disable the ledger's
--   immutability triggers (only an owner can), cannot create schemas or
--   temporary tables.
-- Privileges on tables the migration role creates later are granted to the
-- application role automatically (ALTER DEFAULT PRIVILEGES).

SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'migrator_role', :'migrator_password')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'migrator_role') \gexec
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'app_role', :'app_password')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'app_role') \gexec

CREATE DATABASE :"db" OWNER :"migrator_role" ENCODING 'UTF8' TEMPLATE template0;
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"db" TO :"app_role";

\connect :"db"
ALTER SCHEMA public OWNER TO :"migrator_role";
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO :"app_role";
ALTER DEFAULT PRIVILEGES FOR ROLE :"migrator_role" IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app_role";
ALTER DEFAULT PRIVILEGES FOR ROLE :"migrator_role" IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO :"app_role";
-- tables already there (re-running on a migrated database is harmless)
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"app_role";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO :"app_role";
-- a statement or an idle transaction of the application never holds locks for long
ALTER ROLE :"app_role" IN DATABASE :"db" SET idle_in_transaction_session_timeout = '60s';
