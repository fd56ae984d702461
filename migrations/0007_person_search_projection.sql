-- People search reads narrow projections of `person` from covering indexes instead of its wide heap
-- rows (~575 bytes, half of them national-ID ciphertext, contacts and names): every filter, facet and
-- sort column of the list is in these indexes, so searches are index-only scans.
--  * by serving unit: a unit subtree (an officer's scope, or the unit filter) is one probe per unit;
--  * seconded people by home unit (partial: only rows whose home differs from the serving unit), so
--    dual management costs a few rows, not a second pass over the subtree;
--  * organisation-wide by time in post: tenure filters are a range, anything else a full index scan.
-- The name order and the specialty bits are stored generated columns so the indexes can carry them.
DROP INDEX "person_unit_idx";--> statement-breakpoint
DROP INDEX "person_post_since_idx";--> statement-breakpoint
DROP INDEX "person_specialties_idx";--> statement-breakpoint
ALTER TABLE "person" ADD COLUMN "sort_name" text COLLATE "C" GENERATED ALWAYS AS (lower(COALESCE(name_latin, full_name))) STORED;--> statement-breakpoint
ALTER TABLE "person" ADD COLUMN "specialty_mask" integer GENERATED ALWAYS AS (muster_specialty_mask(specialties)) STORED;--> statement-breakpoint
CREATE INDEX "person_unit_cover_idx" ON "person" USING btree ("unit_id")
  INCLUDE ("org_id", "id", "home_unit_id", "person_no", "sort_name", "position_id", "birth_date", "post_since", "education_level", "title_level", "echelon", "status", "gender", "specialty_mask");--> statement-breakpoint
CREATE INDEX "person_seconded_cover_idx" ON "person" USING btree ("home_unit_id")
  INCLUDE ("org_id", "id", "unit_id", "person_no", "sort_name", "position_id", "birth_date", "post_since", "education_level", "title_level", "echelon", "status", "gender", "specialty_mask")
  WHERE "home_unit_id" <> "unit_id";--> statement-breakpoint
CREATE INDEX "person_org_cover_idx" ON "person" USING btree ("org_id", "post_since")
  INCLUDE ("id", "unit_id", "home_unit_id", "person_no", "sort_name", "position_id", "birth_date", "education_level", "title_level", "echelon", "status", "gender", "specialty_mask");
