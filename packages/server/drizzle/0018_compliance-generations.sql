CREATE TABLE "compliance_generations" (
	"matter_id" uuid PRIMARY KEY NOT NULL,
	"generation" bigint DEFAULT 0 NOT NULL
);--> statement-breakpoint
-- Statement-level triggers move a matter's compliance generation whenever a table its compliance
-- view is read from changes (see compliance_generations in schema.ts). Tables of compliance data
-- create the counter; the matter's own row and its events only move a counter that exists. The
-- summaries and provision states are derived from these in the same transaction: no trigger, so
-- that the view stored with a summary can carry the generation it was made at.
-- One function for every table: its arguments are the query of the changed rows' matters (%I
-- stands for the transition table) and whether the counter is created.
CREATE FUNCTION compliance_generation_bump() RETURNS trigger LANGUAGE plpgsql AS $$
declare
  rows_table text;
begin
  foreach rows_table in array case TG_OP when 'INSERT' then array['new_rows'] when 'DELETE' then array['old_rows']
      else array['new_rows', 'old_rows'] end loop
    if TG_ARGV[1] = 'create' then
      execute format('insert into compliance_generations (matter_id, generation)
        select m, 1 from (' || TG_ARGV[0] || ') as x(m) where m is not null
        on conflict (matter_id) do update set generation = compliance_generations.generation + 1', rows_table);
    else
      execute format('update compliance_generations set generation = generation + 1
        where matter_id in (' || TG_ARGV[0] || ')', rows_table);
    end if;
  end loop;
  return null;
end $$;
--> statement-breakpoint
CREATE TRIGGER compliance_generation_provisions_insert AFTER INSERT ON provisions REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION compliance_generation_bump('select distinct r.matter_id from %I r', 'create');
--> statement-breakpoint
CREATE TRIGGER compliance_generation_provisions_update AFTER UPDATE ON provisions REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION compliance_generation_bump('select distinct r.matter_id from %I r', 'create');
--> statement-breakpoint
CREATE TRIGGER compliance_generation_provisions_delete AFTER DELETE ON provisions REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION compliance_generation_bump('select distinct r.matter_id from %I r', 'create');
--> statement-breakpoint
CREATE TRIGGER compliance_generation_reporting_periods_insert AFTER INSERT ON reporting_periods REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION compliance_generation_bump('select distinct r.matter_id from %I r', 'create');
--> statement-breakpoint
CREATE TRIGGER compliance_generation_reporting_periods_update AFTER UPDATE ON reporting_periods REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION compliance_generation_bump('select distinct r.matter_id from %I r', 'create');
--> statement-breakpoint
CREATE TRIGGER compliance_generation_reporting_periods_delete AFTER DELETE ON reporting_periods REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION compliance_generation_bump('select distinct r.matter_id from %I r', 'create');
--> statement-breakpoint
CREATE TRIGGER compliance_generation_compliance_scales_insert AFTER INSERT ON compliance_scales REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION compliance_generation_bump('select distinct r.matter_id from %I r', 'create');
--> statement-breakpoint
CREATE TRIGGER compliance_generation_compliance_scales_update AFTER UPDATE ON compliance_scales REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION compliance_generation_bump('select distinct r.matter_id from %I r', 'create');
--> statement-breakpoint
CREATE TRIGGER compliance_generation_compliance_scales_delete AFTER DELETE ON compliance_scales REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION compliance_generation_bump('select distinct r.matter_id from %I r', 'create');
--> statement-breakpoint
CREATE TRIGGER compliance_generation_assessments_insert AFTER INSERT ON assessments REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION compliance_generation_bump('select distinct p.matter_id from %I r join provisions p on p.id = r.provision_id', 'create');
--> statement-breakpoint
CREATE TRIGGER compliance_generation_assessments_update AFTER UPDATE ON assessments REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION compliance_generation_bump('select distinct p.matter_id from %I r join provisions p on p.id = r.provision_id', 'create');
--> statement-breakpoint
CREATE TRIGGER compliance_generation_assessments_delete AFTER DELETE ON assessments REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION compliance_generation_bump('select distinct p.matter_id from %I r join provisions p on p.id = r.provision_id', 'create');
--> statement-breakpoint
CREATE TRIGGER compliance_generation_provision_deadlines_insert AFTER INSERT ON provision_deadlines REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION compliance_generation_bump('select distinct p.matter_id from %I r join provisions p on p.id = r.provision_id', 'create');
--> statement-breakpoint
CREATE TRIGGER compliance_generation_provision_deadlines_update AFTER UPDATE ON provision_deadlines REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION compliance_generation_bump('select distinct p.matter_id from %I r join provisions p on p.id = r.provision_id', 'create');
--> statement-breakpoint
CREATE TRIGGER compliance_generation_provision_deadlines_delete AFTER DELETE ON provision_deadlines REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION compliance_generation_bump('select distinct p.matter_id from %I r join provisions p on p.id = r.provision_id', 'create');
--> statement-breakpoint
CREATE TRIGGER compliance_generation_sustainment_starts_insert AFTER INSERT ON sustainment_starts REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION compliance_generation_bump('select distinct p.matter_id from %I r join provisions p on p.id = r.provision_id', 'create');
--> statement-breakpoint
CREATE TRIGGER compliance_generation_sustainment_starts_update AFTER UPDATE ON sustainment_starts REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION compliance_generation_bump('select distinct p.matter_id from %I r join provisions p on p.id = r.provision_id', 'create');
--> statement-breakpoint
CREATE TRIGGER compliance_generation_sustainment_starts_delete AFTER DELETE ON sustainment_starts REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION compliance_generation_bump('select distinct p.matter_id from %I r join provisions p on p.id = r.provision_id', 'create');
--> statement-breakpoint
CREATE TRIGGER compliance_generation_matters_insert AFTER INSERT ON matters REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION compliance_generation_bump('select distinct r.id from %I r', 'existing');
--> statement-breakpoint
CREATE TRIGGER compliance_generation_matters_update AFTER UPDATE ON matters REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION compliance_generation_bump('select distinct r.id from %I r', 'existing');
--> statement-breakpoint
CREATE TRIGGER compliance_generation_matters_delete AFTER DELETE ON matters REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION compliance_generation_bump('select distinct r.id from %I r', 'existing');
--> statement-breakpoint
CREATE TRIGGER compliance_generation_events_insert AFTER INSERT ON events REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION compliance_generation_bump('select distinct r.matter_id from %I r', 'existing');
--> statement-breakpoint
CREATE TRIGGER compliance_generation_events_update AFTER UPDATE ON events REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION compliance_generation_bump('select distinct r.matter_id from %I r', 'existing');
--> statement-breakpoint
CREATE TRIGGER compliance_generation_events_delete AFTER DELETE ON events REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION compliance_generation_bump('select distinct r.matter_id from %I r', 'existing');
