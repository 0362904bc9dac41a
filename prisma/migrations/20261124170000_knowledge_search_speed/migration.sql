-- This is an empty migration.

-- Hand-written below this line (not derived from schema.prisma) --

-- Knowledge search at scale (infra/search/postgres-search.ts). Ranking every article that shares
-- a word with the question read and ranked thousands of stored vectors per query once the base
-- grew, so a query now ranks a bounded set of candidates, chosen through GIN indexes alone: the
-- title index and the word counts below, and the existing "KnowledgeArticle_searchVector_idx".

-- Candidates whose title holds every query word: the words of the title are the first line of
-- "searchText". Queries must repeat this exact expression to use the index.
CREATE INDEX "KnowledgeArticle_titleWords_idx" ON "KnowledgeArticle" USING GIN (to_tsvector('simple', split_part("searchText", E'\n', 1))) WITH (gin_pending_list_limit = 256);

-- A GIN index collects new entries in a pending list, which every search scans in full until
-- (auto)vacuum or a full list merges it into the index; the default list holds 4 MB. A query
-- reads several GIN indexes now, and right after 10,000 articles were loaded the pending lists
-- alone doubled its time. Capped at 256 kB, searches stay as fast as with no list at all
-- (fastupdate = off), while writes keep most of the batching (bulk load: 17-23 s instead of 33 s).
ALTER INDEX "KnowledgeArticle_searchVector_idx" SET (gin_pending_list_limit = 256);
ALTER INDEX "KnowledgeArticle_title_trgm_idx" SET (gin_pending_list_limit = 256);
-- A lower limit does not merge what is pending already.
SELECT gin_clean_pending_list('"KnowledgeArticle_searchVector_idx"'::regclass);
SELECT gin_clean_pending_list('"KnowledgeArticle_title_trgm_idx"'::regclass);

-- In how many articles each word occurs (any locale or status), so that a query can take every
-- article holding one of its rare words as candidates without counting them first. Kept exact by
-- the statement triggers below; Prisma does not know this table and never writes it.
CREATE TABLE "KnowledgeLexeme" (
    "lexeme" TEXT NOT NULL,
    "articles" INTEGER NOT NULL,

    CONSTRAINT "KnowledgeLexeme_pkey" PRIMARY KEY ("lexeme")
);

CREATE FUNCTION seamless_count_knowledge_lexemes() RETURNS trigger AS $$
DECLARE
  added text[] := '{}';
  removed text[] := '{}';
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    SELECT coalesce(array_agg(lexeme), '{}') INTO added FROM new_rows, unnest(tsvector_to_array(new_rows."searchVector")) AS lexeme;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    SELECT coalesce(array_agg(lexeme), '{}') INTO removed FROM old_rows, unnest(tsvector_to_array(old_rows."searchVector")) AS lexeme;
  END IF;
  -- Rows are upserted in lexeme order, so concurrent article writes of one statement each (as the
  -- API makes them) lock shared words in the same order and cannot deadlock on them. An update
  -- that keeps the words changes no count; a word no article holds any more is removed.
  INSERT INTO "KnowledgeLexeme" AS k (lexeme, articles)
    SELECT lexeme, sum(delta)::integer FROM (
      SELECT unnest(added) AS lexeme, 1 AS delta
      UNION ALL
      SELECT unnest(removed), -1
    ) AS changes
    GROUP BY lexeme HAVING sum(delta) <> 0 ORDER BY lexeme
  ON CONFLICT (lexeme) DO UPDATE SET articles = k.articles + excluded.articles;
  DELETE FROM "KnowledgeLexeme" WHERE lexeme = ANY(removed) AND articles <= 0;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "KnowledgeArticle_lexemes_insert" AFTER INSERT ON "KnowledgeArticle"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION seamless_count_knowledge_lexemes();
CREATE TRIGGER "KnowledgeArticle_lexemes_update" AFTER UPDATE ON "KnowledgeArticle"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION seamless_count_knowledge_lexemes();
CREATE TRIGGER "KnowledgeArticle_lexemes_delete" AFTER DELETE ON "KnowledgeArticle"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION seamless_count_knowledge_lexemes();

CREATE FUNCTION seamless_clear_knowledge_lexemes() RETURNS trigger AS $$
BEGIN
  TRUNCATE "KnowledgeLexeme";
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "KnowledgeArticle_lexemes_truncate" AFTER TRUNCATE ON "KnowledgeArticle"
  FOR EACH STATEMENT EXECUTE FUNCTION seamless_clear_knowledge_lexemes();

INSERT INTO "KnowledgeLexeme" (lexeme, articles)
  SELECT lexeme, count(*)::integer FROM "KnowledgeArticle", unnest(tsvector_to_array("searchVector")) AS lexeme GROUP BY lexeme;
