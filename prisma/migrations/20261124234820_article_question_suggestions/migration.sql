-- CreateTable
CREATE TABLE "ArticleQuestionSuggestion" (
    "id" UUID NOT NULL,
    "articleId" UUID NOT NULL,
    "text" TEXT NOT NULL,
    "conversationId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ArticleQuestionSuggestion_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ArticleQuestionSuggestion_articleId_text_key" ON "ArticleQuestionSuggestion"("articleId", "text");

-- AddForeignKey
ALTER TABLE "ArticleQuestionSuggestion" ADD CONSTRAINT "ArticleQuestionSuggestion_articleId_fkey" FOREIGN KEY ("articleId") REFERENCES "KnowledgeArticle"("id") ON DELETE CASCADE ON UPDATE CASCADE;
