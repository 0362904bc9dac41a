-- AlterTable
ALTER TABLE "KnowledgeArticle" ADD COLUMN     "questions" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "KnowledgeArticleVersion" ADD COLUMN     "questions" TEXT[] DEFAULT ARRAY[]::TEXT[];
