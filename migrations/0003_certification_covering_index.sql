DROP INDEX "certification_valid_idx";--> statement-breakpoint
CREATE INDEX "certification_valid_idx" ON "certification" USING btree ("org_id","code","issued_on","expires_on","person_id");