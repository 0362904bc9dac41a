-- AlterTable
ALTER TABLE "LoginThrottle" DROP CONSTRAINT "LoginThrottle_pkey",
ADD COLUMN     "source" TEXT NOT NULL DEFAULT '*',
ADD COLUMN     "trustedUntil" TIMESTAMP(3),
ADD CONSTRAINT "LoginThrottle_pkey" PRIMARY KEY ("email", "source");
