-- CreateEnum
CREATE TYPE "WhatIfStatus" AS ENUM ('running', 'completed', 'cancelled', 'failed');

-- CreateTable
CREATE TABLE "WhatIfRun" (
    "id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "candidate" JSONB NOT NULL,
    "days" INTEGER NOT NULL,
    "periodStart" TIMESTAMP(3) NOT NULL,
    "periodEnd" TIMESTAMP(3) NOT NULL,
    "status" "WhatIfStatus" NOT NULL DEFAULT 'running',
    "total" INTEGER NOT NULL DEFAULT 0,
    "processed" INTEGER NOT NULL DEFAULT 0,
    "cursorCreatedAt" TIMESTAMP(3),
    "cursorId" UUID,
    "tally" JSONB,
    "result" JSONB,
    "error" TEXT,
    "createdById" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "WhatIfRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "WhatIfRun_createdAt_idx" ON "WhatIfRun"("createdAt");
