DROP INDEX "matters_opened_idx";--> statement-breakpoint
DROP INDEX "matters_title_idx";--> statement-breakpoint
CREATE INDEX "matters_opened_desc_idx" ON "matters" USING btree ("opened_on" DESC NULLS LAST,"slug");--> statement-breakpoint
CREATE INDEX "matters_opened_idx" ON "matters" USING btree ("opened_on","slug");--> statement-breakpoint
CREATE INDEX "matters_title_idx" ON "matters" USING btree ("title","slug");