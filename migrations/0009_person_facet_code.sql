-- Facet counts read one integer per matching person: `facet_code`, the specialty bits (0-11, as
-- `specialty_mask`) with education (bits 15-17), title (18-20) and echelon (21-23) coded beside them:
-- 0 = not recorded, n = the n-th value of the vocabulary in src/contracts/vocab.ts, 7 = a value outside
-- it. The search adds the age band (bits 12-14), which depends on the day, and the service unpacks the
-- codes (CODE_BITS in person-search.repository.ts; a test counts facets by definition against it).
-- Stored, so a search compares no text per row: coding the three text columns in the query cost about
-- a quarter of a 20,000-match count. Vocabularies are appended to, never reordered, as for 0006.
-- The specialty bits of 0006 as one expression, which the planner inlines into the generated columns:
-- 0006's aggregate over unnest() ran as a sub-query per row (about 8 us a row on PGlite, 0.8 s of a
-- 100,000-person import, and facet_code calls it again); this form costs about a fifth of that. The
-- bits are the same: SPECIALTIES order, unknown codes set none. No longer STRICT, which would stop the
-- inlining; `specialties` is NOT NULL.
CREATE OR REPLACE FUNCTION muster_specialty_mask(specialties text[]) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  SELECT (CASE WHEN 'animal_quarantine' = ANY(specialties) THEN 1 ELSE 0 END)
    | (CASE WHEN 'plant_quarantine' = ANY(specialties) THEN 2 ELSE 0 END)
    | (CASE WHEN 'health_quarantine' = ANY(specialties) THEN 4 ELSE 0 END)
    | (CASE WHEN 'commodity_inspection' = ANY(specialties) THEN 8 ELSE 0 END)
    | (CASE WHEN 'radiation_safety' = ANY(specialties) THEN 16 ELSE 0 END)
    | (CASE WHEN 'food_safety' = ANY(specialties) THEN 32 ELSE 0 END)
    | (CASE WHEN 'legal_affairs' = ANY(specialties) THEN 64 ELSE 0 END)
    | (CASE WHEN 'customs_clearance' = ANY(specialties) THEN 128 ELSE 0 END)
    | (CASE WHEN 'anti_smuggling' = ANY(specialties) THEN 256 ELSE 0 END)
    | (CASE WHEN 'data_analysis' = ANY(specialties) THEN 512 ELSE 0 END)
    | (CASE WHEN 'logistics' = ANY(specialties) THEN 1024 ELSE 0 END)
    | (CASE WHEN 'finance' = ANY(specialties) THEN 2048 ELSE 0 END)
$$;
--> statement-breakpoint
CREATE FUNCTION muster_facet_code(specialties text[], education_level text, title_level text, echelon text) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  SELECT COALESCE(muster_specialty_mask(specialties), 0)
    | ((CASE WHEN education_level IS NULL THEN 0 ELSE COALESCE(array_position(
        ARRAY['secondary', 'college', 'bachelor', 'master', 'doctorate']::text[], education_level), 7) END) << 15)
    | ((CASE WHEN title_level IS NULL THEN 0 ELSE COALESCE(array_position(
        ARRAY['none', 'junior', 'intermediate', 'associate_senior', 'senior']::text[], title_level), 7) END) << 18)
    | ((CASE WHEN echelon IS NULL THEN 0 ELSE COALESCE(array_position(
        ARRAY['frontline', 'reserve', 'emergency']::text[], echelon), 7) END) << 21)
$$;
--> statement-breakpoint
-- The covering indexes of 0007 carry the code, so counting stays an index-only scan.
DROP INDEX "person_unit_cover_idx";--> statement-breakpoint
DROP INDEX "person_seconded_cover_idx";--> statement-breakpoint
DROP INDEX "person_org_cover_idx";--> statement-breakpoint
ALTER TABLE "person" ADD COLUMN "facet_code" integer GENERATED ALWAYS AS (muster_facet_code(specialties, education_level, title_level, echelon)) STORED;--> statement-breakpoint
-- By unit, then birth date: an age range (the dashboard's bands, "aged 30 to 45") is then a range
-- within each unit of the subtree rather than a filter over all of its people (about a third fewer
-- entries read for the benchmark's subtree + age + education search).
CREATE INDEX "person_unit_cover_idx" ON "person" USING btree ("unit_id", "birth_date")
  INCLUDE ("org_id", "id", "home_unit_id", "person_no", "sort_name", "position_id", "post_since", "education_level", "title_level", "echelon", "status", "gender", "specialty_mask", "facet_code");--> statement-breakpoint
CREATE INDEX "person_seconded_cover_idx" ON "person" USING btree ("home_unit_id")
  INCLUDE ("org_id", "id", "unit_id", "person_no", "sort_name", "position_id", "birth_date", "post_since", "education_level", "title_level", "echelon", "status", "gender", "specialty_mask", "facet_code")
  WHERE "home_unit_id" <> "unit_id";--> statement-breakpoint
CREATE INDEX "person_org_cover_idx" ON "person" USING btree ("org_id", "post_since")
  INCLUDE ("id", "unit_id", "home_unit_id", "person_no", "sort_name", "position_id", "birth_date", "education_level", "title_level", "echelon", "status", "gender", "specialty_mask", "facet_code");--> statement-breakpoint
-- The certificate holders' copy of the search columns (0008) copies the code too.
ALTER TABLE "certification_holding" ADD COLUMN "facet_code" integer;--> statement-breakpoint
UPDATE "certification_holding" h SET "facet_code" = p."facet_code" FROM "person" p WHERE p."id" = h."person_id";--> statement-breakpoint
DROP INDEX "certification_holding_search_idx";--> statement-breakpoint
CREATE INDEX "certification_holding_search_idx" ON "certification_holding" USING btree ("org_id", "code", "valid_from")
  INCLUDE ("valid_to", "person_id", "unit_id", "home_unit_id", "person_no", "sort_name", "position_id", "birth_date", "post_since", "education_level", "title_level", "echelon", "status", "gender", "specialty_mask", "facet_code");--> statement-breakpoint
CREATE OR REPLACE FUNCTION muster_refresh_certification_holding(p_person uuid[], p_code text[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM certification_holding h
    USING unnest(p_person, p_code) AS k(person_id, code)
    WHERE h.person_id = k.person_id AND h.code = k.code;
  INSERT INTO certification_holding (org_id, person_id, code, valid_from, valid_to, unit_id, home_unit_id,
      person_no, sort_name, position_id, birth_date, post_since, education_level, title_level, echelon,
      status, gender, specialty_mask, facet_code)
  SELECT p.org_id, p.id, s.code, s.valid_from, s.valid_to, p.unit_id, p.home_unit_id, p.person_no,
      p.sort_name, p.position_id, p.birth_date, p.post_since, p.education_level, p.title_level, p.echelon,
      p.status, p.gender, p.specialty_mask, p.facet_code
  FROM (
    SELECT person_id, code, min(issued_on) AS valid_from, max(valid_to) AS valid_to
    FROM (
      SELECT person_id, code, issued_on, valid_to,
        sum(starts) OVER (PARTITION BY person_id, code ORDER BY issued_on, valid_to) AS span
      FROM (
        SELECT c.person_id, c.code, c.issued_on, COALESCE(c.expires_on, 'infinity'::date) AS valid_to,
          CASE WHEN c.issued_on <= max(COALESCE(c.expires_on, 'infinity'::date)) OVER (
              PARTITION BY c.person_id, c.code ORDER BY c.issued_on, COALESCE(c.expires_on, 'infinity'::date)
              ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) + 1
            THEN 0 ELSE 1 END AS starts
        FROM certification c
        JOIN (SELECT DISTINCT person_id, code FROM unnest(p_person, p_code) AS k(person_id, code)) k
          ON k.person_id = c.person_id AND k.code = c.code
        WHERE c.expires_on IS NULL OR c.expires_on >= c.issued_on
      ) marked
    ) numbered
    GROUP BY person_id, code, span
  ) s
  JOIN person p ON p.id = s.person_id;
END
$$;
--> statement-breakpoint
-- The person trigger's WHEN already compares every column the code is derived from.
CREATE OR REPLACE FUNCTION muster_certification_holding_person() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE certification_holding SET org_id = NEW.org_id, unit_id = NEW.unit_id, home_unit_id = NEW.home_unit_id,
      person_no = NEW.person_no, sort_name = NEW.sort_name, position_id = NEW.position_id,
      birth_date = NEW.birth_date, post_since = NEW.post_since, education_level = NEW.education_level,
      title_level = NEW.title_level, echelon = NEW.echelon, status = NEW.status, gender = NEW.gender,
      specialty_mask = NEW.specialty_mask, facet_code = NEW.facet_code
    WHERE person_id = NEW.id;
  RETURN NULL;
END
$$;
