-- AlterTable
ALTER TABLE "BotAction" ADD COLUMN     "articleIds" UUID[] DEFAULT ARRAY[]::UUID[];
