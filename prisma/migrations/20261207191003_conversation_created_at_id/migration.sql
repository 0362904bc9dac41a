-- CreateIndex
CREATE INDEX "Conversation_createdAt_id_idx" ON "Conversation"("createdAt", "id");
