-- The bundled 2017 cycle's mandate told readers to look in a repository file ("the sources listed
-- in data/SOURCES.md"); it now cites the sources themselves (issue 17 item 10). Only a mandate
-- still holding the bundled wording is changed: one an administrator edited is left alone.
UPDATE "review_cycles" SET "mandate" = replace("mandate",
  'The memorandum''s text is quoted here as published by the sources listed in data/SOURCES.md; the criteria below',
  'The memorandum''s text is quoted here as published by Breitbart on April 4, 2017 (http://www.breitbart.com/big-government/2017/04/04/ag-sessions-orders-review-of-doj-police-conduct-investigations-restore-respect-local-control/); the day it was signed as reported by PuppycideDB (https://blog.puppycidedb.com/sessions-doj-moves-to-dismantle-federal-reforms-of-local-law-enforcement/) and the day it was made public as reported by Talking Points Memo (https://talkingpointsmemo.com/livewire/sessions-review-police-reform-agreements); the criteria below')
WHERE "mandate" LIKE '%the sources listed in data/SOURCES.md%';
