ALTER TABLE "notifications" ADD COLUMN "due_on" text;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD COLUMN "source_key" text;--> statement-breakpoint
CREATE UNIQUE INDEX "notifications_occurrence_key" ON "notifications" USING btree ("user_id","entity_id","due_on","kind") WHERE "notifications"."due_on" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_deliveries_occurrence_key" ON "webhook_deliveries" USING btree ("webhook_id","source_key") WHERE "webhook_deliveries"."source_key" is not null;