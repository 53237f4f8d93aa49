CREATE INDEX "jurisdictions_state_desc_idx" ON "jurisdictions" USING btree ("state_code" DESC NULLS LAST,"id");--> statement-breakpoint
CREATE INDEX "jurisdictions_name_idx" ON "jurisdictions" USING btree ("name","id");--> statement-breakpoint
CREATE INDEX "jurisdictions_name_desc_idx" ON "jurisdictions" USING btree ("name" DESC NULLS LAST,"id");--> statement-breakpoint
CREATE INDEX "matters_title_desc_idx" ON "matters" USING btree ("title" DESC NULLS LAST,"slug");--> statement-breakpoint
CREATE INDEX "matters_updated_desc_idx" ON "matters" USING btree ("updated_at" DESC NULLS LAST,"slug");--> statement-breakpoint
CREATE INDEX "matters_status_desc_idx" ON "matters" USING btree ("status" DESC NULLS LAST,"slug");--> statement-breakpoint
CREATE INDEX "matters_kind_idx" ON "matters" USING btree ("kind","slug");--> statement-breakpoint
CREATE INDEX "matters_kind_desc_idx" ON "matters" USING btree ("kind" DESC NULLS LAST,"slug");