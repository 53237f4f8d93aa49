CREATE TABLE "review_criteria" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"cycle_id" uuid NOT NULL,
	"code" text NOT NULL,
	"title" text NOT NULL,
	"guidance" text,
	"position" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "review_cycles" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"name" text NOT NULL,
	"mandate" text,
	"mandate_url" text,
	"scope" jsonb NOT NULL,
	"due_on" text,
	"status" text DEFAULT 'draft' NOT NULL,
	"rating_scale" jsonb NOT NULL,
	"copied_from_id" uuid,
	"started_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "reviews" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"cycle_id" uuid NOT NULL,
	"matter_id" uuid NOT NULL,
	"assignee_id" uuid,
	"status" text DEFAULT 'not_started' NOT NULL,
	"findings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"recommendation" text,
	"recommendation_rationale" text,
	"submitted_at" timestamp with time zone,
	"submitted_by_id" uuid,
	"approved_at" timestamp with time zone,
	"approved_by_id" uuid,
	"return_comment" text,
	"reopen_reason" text,
	"snapshot" jsonb,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "review_criteria" ADD CONSTRAINT "review_criteria_cycle_id_review_cycles_id_fk" FOREIGN KEY ("cycle_id") REFERENCES "public"."review_cycles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_cycle_id_review_cycles_id_fk" FOREIGN KEY ("cycle_id") REFERENCES "public"."review_cycles"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_matter_id_matters_id_fk" FOREIGN KEY ("matter_id") REFERENCES "public"."matters"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_assignee_id_users_id_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_submitted_by_id_users_id_fk" FOREIGN KEY ("submitted_by_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_approved_by_id_users_id_fk" FOREIGN KEY ("approved_by_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "review_criteria_code_key" ON "review_criteria" USING btree ("cycle_id","code");--> statement-breakpoint
CREATE UNIQUE INDEX "review_cycles_slug_key" ON "review_cycles" USING btree ("slug");--> statement-breakpoint
CREATE UNIQUE INDEX "reviews_cycle_matter_key" ON "reviews" USING btree ("cycle_id","matter_id");--> statement-breakpoint
CREATE INDEX "reviews_assignee_idx" ON "reviews" USING btree ("assignee_id");--> statement-breakpoint
CREATE INDEX "reviews_matter_idx" ON "reviews" USING btree ("matter_id");