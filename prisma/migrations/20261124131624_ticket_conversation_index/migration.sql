-- CreateIndex
CREATE INDEX "TicketConversation_conversationId_idx" ON "TicketConversation"("conversationId");
