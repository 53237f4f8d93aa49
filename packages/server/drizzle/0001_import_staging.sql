CREATE TABLE "import_staging" (
	"import_id" uuid NOT NULL,
	"entity" text NOT NULL,
	"seq" integer NOT NULL,
	"doc" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "import_staging_import_id_entity_seq_pk" PRIMARY KEY("import_id","entity","seq")
);
