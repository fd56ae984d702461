-- Trigram search on person names; must exist before the schema's gin_trgm_ops index.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
