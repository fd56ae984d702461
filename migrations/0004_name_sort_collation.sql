DROP INDEX "person_name_sort_idx";--> statement-breakpoint
CREATE INDEX "person_name_sort_idx" ON "person" USING btree ("org_id","full_name" COLLATE "C","id");