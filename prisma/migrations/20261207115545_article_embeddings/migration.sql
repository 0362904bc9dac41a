-- CreateTable
CREATE TABLE "ArticleEmbedding" (
    "articleId" UUID NOT NULL,
    "model" TEXT NOT NULL,
    "contentHash" TEXT NOT NULL,
    "vector" REAL[],
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ArticleEmbedding_pkey" PRIMARY KEY ("articleId")
);
