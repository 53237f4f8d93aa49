CREATE INDEX "matters_status_idx" ON "matters" USING btree ("status","slug");--> statement-breakpoint
CREATE INDEX "matters_updated_idx" ON "matters" USING btree ("updated_at","slug");--> statement-breakpoint
CREATE INDEX "matters_agreement_idx" ON "matters" USING btree ("agreement_on","slug");--> statement-breakpoint
CREATE INDEX "matters_agreement_desc_idx" ON "matters" USING btree ("agreement_on" DESC NULLS LAST,"slug");--> statement-breakpoint
CREATE INDEX "matters_entered_idx" ON "matters" USING btree ("entered_on","slug");--> statement-breakpoint
CREATE INDEX "matters_entered_desc_idx" ON "matters" USING btree ("entered_on" DESC NULLS LAST,"slug");--> statement-breakpoint
CREATE INDEX "matters_ended_idx" ON "matters" USING btree ("ended_on","slug");--> statement-breakpoint
CREATE INDEX "matters_ended_desc_idx" ON "matters" USING btree ("ended_on" DESC NULLS LAST,"slug");