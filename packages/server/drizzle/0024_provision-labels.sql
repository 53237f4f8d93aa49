ALTER TABLE "provisions" ALTER COLUMN "number" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "provisions" ADD COLUMN "position" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "provisions" ADD COLUMN "parent_id" uuid;--> statement-breakpoint
ALTER TABLE "provisions" ADD COLUMN "depth" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "provisions" ADD COLUMN "heading" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "provisions" ADD COLUMN "caption" text;--> statement-breakpoint
ALTER TABLE "provisions" ADD CONSTRAINT "provisions_parent_id_provisions_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."provisions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
-- Existing provisions are the "¶ N" paragraphs of one parse: each keeps its id (and so its
-- ratings), is labelled as cited, sits at the top of the outline, in the decree's order.
UPDATE "provisions" SET "label" = '¶ ' || "number", "position" = "number", "depth" = 0;--> statement-breakpoint
CREATE UNIQUE INDEX "provisions_matter_label_key" ON "provisions" USING btree ("matter_id","label") WHERE retired_at is null;--> statement-breakpoint
CREATE INDEX "provisions_parent_idx" ON "provisions" USING btree ("parent_id");