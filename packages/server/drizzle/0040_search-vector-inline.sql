-- A page's search vector (some 2 kB for a page of 350 words, and it hardly compresses) was
-- stored out of line, in the TOAST table, as the page's row is over 2 kB with its text: every
-- search read it from there again, for each candidate page (its match, phrase and rank), an
-- index probe and a page more each. Kept in the row (MAIN), it is read with the row; the text,
-- which a search reads only for the snippets of the page shown, goes out of line instead. On the
-- 200,000-page bench corpus: a third to a quarter of the buffers a search touches.
-- Rows written from now on; existing pages move when rewritten (VACUUM FULL document_pages).
ALTER TABLE "document_pages" ALTER COLUMN "search" SET STORAGE MAIN;
