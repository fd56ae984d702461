-- "Certification valid on a date" without a semi-join against every person: for each person and
-- certificate code, the spans of days on which they hold a valid certificate of that code, with a
-- copy of the person's search columns (the same names as on `person`, so the search's WHERE applies
-- unchanged). Certificates of one code that overlap or touch merge into one span, so a date falls
-- in at most one row per person and code and the search needs no DISTINCT. Derived data: triggers
-- keep it in step with `certification` (statement-level, set-based, so bulk loads stay cheap) and
-- with `person` (row-level, only when a copied column changes). `valid_to` = 'infinity' when open.
CREATE TABLE "certification_holding" (
	"org_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"code" text NOT NULL,
	"valid_from" date NOT NULL,
	"valid_to" date NOT NULL,
	"unit_id" uuid NOT NULL,
	"home_unit_id" uuid NOT NULL,
	"person_no" text NOT NULL,
	"sort_name" text COLLATE "C",
	"position_id" uuid,
	"birth_date" date,
	"post_since" date,
	"education_level" text,
	"title_level" text NOT NULL,
	"echelon" text,
	"status" text NOT NULL,
	"gender" text NOT NULL,
	"specialty_mask" integer,
	CONSTRAINT "certification_holding_person_id_code_valid_from_pk" PRIMARY KEY("person_id","code","valid_from")
);
--> statement-breakpoint
ALTER TABLE "certification_holding" ADD CONSTRAINT "certification_holding_person_id_person_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."person"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "certification_holding_search_idx" ON "certification_holding" USING btree ("org_id", "code", "valid_from")
  INCLUDE ("valid_to", "person_id", "unit_id", "home_unit_id", "person_no", "sort_name", "position_id", "birth_date", "post_since", "education_level", "title_level", "echelon", "status", "gender", "specialty_mask");
--> statement-breakpoint
-- Recomputes the spans of the given (person, code) pairs from `certification`: delete, then insert
-- the merged spans (gaps and islands: a certificate starts a new span when it begins after every
-- earlier one has ended, the day after counting as touching). Certificates that expire before they
-- are issued are never valid and give no span.
CREATE FUNCTION muster_refresh_certification_holding(p_person uuid[], p_code text[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM certification_holding h
    USING unnest(p_person, p_code) AS k(person_id, code)
    WHERE h.person_id = k.person_id AND h.code = k.code;
  INSERT INTO certification_holding (org_id, person_id, code, valid_from, valid_to, unit_id, home_unit_id,
      person_no, sort_name, position_id, birth_date, post_since, education_level, title_level, echelon,
      status, gender, specialty_mask)
  SELECT p.org_id, p.id, s.code, s.valid_from, s.valid_to, p.unit_id, p.home_unit_id, p.person_no,
      p.sort_name, p.position_id, p.birth_date, p.post_since, p.education_level, p.title_level, p.echelon,
      p.status, p.gender, p.specialty_mask
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
CREATE FUNCTION muster_certification_holding_sync() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  persons uuid[];
  codes text[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(person_id), array_agg(code) INTO persons, codes FROM (SELECT DISTINCT person_id, code FROM new_rows) k;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(person_id), array_agg(code) INTO persons, codes FROM (SELECT DISTINCT person_id, code FROM old_rows) k;
  ELSE
    SELECT array_agg(person_id), array_agg(code) INTO persons, codes FROM (
      SELECT person_id, code FROM new_rows UNION SELECT person_id, code FROM old_rows) k;
  END IF;
  IF persons IS NOT NULL THEN
    PERFORM muster_refresh_certification_holding(persons, codes);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER certification_holding_after_insert AFTER INSERT ON certification
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION muster_certification_holding_sync();
--> statement-breakpoint
CREATE TRIGGER certification_holding_after_update AFTER UPDATE ON certification
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION muster_certification_holding_sync();
--> statement-breakpoint
CREATE TRIGGER certification_holding_after_delete AFTER DELETE ON certification
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION muster_certification_holding_sync();
--> statement-breakpoint
-- The copy of the person's search columns follows the person. Row-level with a WHEN clause, so an
-- update that changes none of them (most imports) costs nothing, and a person without certificates
-- costs one index probe.
CREATE FUNCTION muster_certification_holding_person() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE certification_holding SET org_id = NEW.org_id, unit_id = NEW.unit_id, home_unit_id = NEW.home_unit_id,
      person_no = NEW.person_no, sort_name = NEW.sort_name, position_id = NEW.position_id,
      birth_date = NEW.birth_date, post_since = NEW.post_since, education_level = NEW.education_level,
      title_level = NEW.title_level, echelon = NEW.echelon, status = NEW.status, gender = NEW.gender,
      specialty_mask = NEW.specialty_mask
    WHERE person_id = NEW.id;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER certification_holding_person_after_update AFTER UPDATE ON person FOR EACH ROW
  WHEN ((OLD.org_id, OLD.unit_id, OLD.home_unit_id, OLD.person_no, OLD.sort_name, OLD.position_id, OLD.birth_date,
         OLD.post_since, OLD.education_level, OLD.title_level, OLD.echelon, OLD.status, OLD.gender, OLD.specialty_mask)
    IS DISTINCT FROM (NEW.org_id, NEW.unit_id, NEW.home_unit_id, NEW.person_no, NEW.sort_name, NEW.position_id,
         NEW.birth_date, NEW.post_since, NEW.education_level, NEW.title_level, NEW.echelon, NEW.status, NEW.gender,
         NEW.specialty_mask))
  EXECUTE FUNCTION muster_certification_holding_person();
--> statement-breakpoint
-- Every span from scratch: for existing certificates here, and after bulk loads that load
-- `certification` with its triggers disabled (the demo seeder).
CREATE FUNCTION muster_rebuild_certification_holding() RETURNS void
LANGUAGE sql AS $$
  SELECT muster_refresh_certification_holding(array_agg(person_id), array_agg(code))
  FROM (SELECT DISTINCT person_id, code FROM certification) k
$$;
--> statement-breakpoint
SELECT muster_rebuild_certification_holding();
