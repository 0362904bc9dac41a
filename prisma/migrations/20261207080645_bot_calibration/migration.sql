-- CreateTable
CREATE TABLE "BotCalibration" (
    "id" UUID NOT NULL,
    "locale" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "fittedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "trigger" TEXT NOT NULL,
    "samples" JSONB NOT NULL,
    "model" JSONB,
    "estimate" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "BotCalibration_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "BotCalibration_locale_version_key" ON "BotCalibration"("locale", "version");
