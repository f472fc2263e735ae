-- The application's own database beside Temporal's on the same Postgres server.
CREATE DATABASE huurincasso;
