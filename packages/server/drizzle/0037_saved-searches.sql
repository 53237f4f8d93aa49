CREATE TABLE "saved_searches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"query" jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "saved_searches_kind_check" CHECK ("saved_searches"."kind" in ('search', 'calendar'))
);
--> statement-breakpoint
ALTER TABLE "watches" DROP CONSTRAINT "watches_target_check";--> statement-breakpoint
DROP INDEX "watches_user_target_key";--> statement-breakpoint
ALTER TABLE "calendar_feed_tokens" ADD COLUMN "saved_search_id" uuid;--> statement-breakpoint
ALTER TABLE "watches" ADD COLUMN "saved_search_id" uuid;--> statement-breakpoint
ALTER TABLE "saved_searches" ADD CONSTRAINT "saved_searches_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "saved_searches_user_idx" ON "saved_searches" USING btree ("user_id","kind");--> statement-breakpoint
ALTER TABLE "calendar_feed_tokens" ADD CONSTRAINT "calendar_feed_tokens_saved_search_id_saved_searches_id_fk" FOREIGN KEY ("saved_search_id") REFERENCES "public"."saved_searches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "watches" ADD CONSTRAINT "watches_saved_search_id_saved_searches_id_fk" FOREIGN KEY ("saved_search_id") REFERENCES "public"."saved_searches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "watches_saved_search_idx" ON "watches" USING btree ("saved_search_id");--> statement-breakpoint
CREATE UNIQUE INDEX "watches_user_target_key" ON "watches" USING btree ("user_id","target",coalesce("matter_id", "jurisdiction_id", "provision_id", "saved_search_id"),coalesce("keywords", ''));--> statement-breakpoint
ALTER TABLE "watches" ADD CONSTRAINT "watches_target_check" CHECK (("watches"."target" = 'matter' and "watches"."matter_id" is not null) or ("watches"."target" = 'jurisdiction' and "watches"."jurisdiction_id" is not null) or ("watches"."target" = 'provision' and "watches"."provision_id" is not null) or ("watches"."target" = 'keywords' and "watches"."keywords" is not null) or ("watches"."target" = 'saved_search' and "watches"."saved_search_id" is not null));