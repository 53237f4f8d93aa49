-- The stored compliance summaries packed a provision's paragraph number unguarded: an outline
-- node (no number) shifted its row's fields. The pack now carries labels and positions too;
-- mark every stored summary stale so that it is counted afresh (and stored again on the next change).
UPDATE "compliance_matter_summaries" SET "provisions_fingerprint" = '', "view" = NULL;
