-- CreateTable
CREATE TABLE "BotAction" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "method" TEXT NOT NULL,
    "urlTemplate" TEXT NOT NULL,
    "bodyTemplate" TEXT,
    "authHeaderName" TEXT,
    "sealedAuth" BYTEA,
    "inputs" JSONB NOT NULL,
    "responseFields" JSONB NOT NULL,
    "answerTemplate" TEXT NOT NULL,
    "timeoutMs" INTEGER NOT NULL DEFAULT 5000,
    "questions" TEXT[],
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "BotAction_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "BotAction_name_key" ON "BotAction"("name");
