-- PostgreSQL twin of migrations/0004_sms.sql: same tables, PostgreSQL types (keep the two in step).
-- SMS: the provider's id for each sent reply (delivery reports name it), the provider's
-- last delivery status, and opt-outs. An opted-out number still writes to us and is still
-- read for risk, but nothing is sent to it until it opts back in.
ALTER TABLE outbox ADD COLUMN channel_message_id TEXT;
ALTER TABLE outbox ADD COLUMN channel_status TEXT;
CREATE INDEX outbox_channel_message ON outbox (channel, channel_message_id)
    WHERE channel_message_id IS NOT NULL;
ALTER TABLE addresses ADD COLUMN opted_out_at TEXT;
