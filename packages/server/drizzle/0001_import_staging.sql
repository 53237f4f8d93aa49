CREATE TABLE "import_staging" (
	"import_id" uuid NOT NULL,
	"entity" text NOT NULL,
	"seq" integer NOT NULL,
	"slug" text NOT NULL,
	"doc" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "import_staging_import_id_entity_seq_pk" PRIMARY KEY("import_id","entity","seq")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "import_staging_slug_key" ON "import_staging" USING btree ("import_id","entity","slug");