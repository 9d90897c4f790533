-- otp-core/guard: the PostgreSQL tables (run once, or let
-- `postgresStore(pool).migrate()` run it; every statement is idempotent).
-- Secrets are stored sealed (`secret_sealed`, an otpseal:1: envelope); no
-- column holds a code, a secret or a key.

CREATE TABLE IF NOT EXISTS otp_core_account (
    account_id text PRIMARY KEY,
    -- Consecutive failures across the device and the backup codes: the budget.
    failures integer NOT NULL DEFAULT 0 CHECK (failures >= 0),
    locked_at_ms bigint,
    -- The backup codes' own back-off.
    backup_failures integer NOT NULL DEFAULT 0 CHECK (backup_failures >= 0),
    backup_last_failure_at_ms bigint
);

CREATE TABLE IF NOT EXISTS otp_core_device (
    account_id text PRIMARY KEY REFERENCES otp_core_account (account_id) ON DELETE CASCADE,
    device_id uuid NOT NULL,
    secret_sealed text NOT NULL,
    algorithm text NOT NULL,
    digits smallint NOT NULL,
    period integer NOT NULL,
    confirmed boolean NOT NULL DEFAULT false,
    -- Replay protection: only steps after this one are accepted.
    last_step bigint,
    drift smallint NOT NULL DEFAULT 0,
    failures integer NOT NULL DEFAULT 0 CHECK (failures >= 0),
    last_failure_at_ms bigint
);

CREATE TABLE IF NOT EXISTS otp_core_backup_code (
    id bigserial PRIMARY KEY,
    account_id text NOT NULL REFERENCES otp_core_account (account_id) ON DELETE CASCADE,
    hash text NOT NULL,
    -- A code is consumed by the one UPDATE ... WHERE used_at_ms IS NULL that sets this.
    used_at_ms bigint
);

CREATE INDEX IF NOT EXISTS otp_core_backup_code_unused ON otp_core_backup_code (account_id) WHERE used_at_ms IS NULL;
