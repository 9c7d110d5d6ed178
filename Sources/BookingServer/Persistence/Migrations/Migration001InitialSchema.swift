extension Migration {
    /// The booking schema: tenants, accounts, clinics, doctors and schedules, appointments, waitlist,
    /// payments and refresh tokens. Instants are stored as BIGINT milliseconds since the Unix epoch (UTC),
    /// ids as lower-case UUID text, lists as JSON text, so that one SQL text serves every driver.
    static let initialSchema = Migration(
        version: 1, name: "initial_schema", kind: .contract,
        up: [
            """
            CREATE TABLE tenants (
                id TEXT PRIMARY KEY, name TEXT NOT NULL, created_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE users (
                id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL REFERENCES tenants(id), role TEXT NOT NULL,
                name TEXT NOT NULL, email TEXT NOT NULL, phone TEXT NOT NULL, password_hash TEXT NOT NULL,
                created_at BIGINT NOT NULL, UNIQUE (tenant_id, email))
            """,
            """
            CREATE TABLE patients (
                id TEXT PRIMARY KEY REFERENCES users(id), tenant_id TEXT NOT NULL REFERENCES tenants(id),
                medical_history TEXT NOT NULL, membership_level INTEGER NOT NULL DEFAULT 0)
            """,
            """
            CREATE TABLE clinics (
                id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL REFERENCES tenants(id), name TEXT NOT NULL,
                slug TEXT NOT NULL, timezone TEXT NOT NULL, address TEXT NOT NULL, city TEXT NOT NULL,
                status TEXT NOT NULL, created_at BIGINT NOT NULL, UNIQUE (tenant_id, slug))
            """,
            """
            CREATE TABLE doctors (
                id TEXT PRIMARY KEY REFERENCES users(id), tenant_id TEXT NOT NULL REFERENCES tenants(id),
                specialization TEXT NOT NULL, fee BIGINT NOT NULL, currency TEXT NOT NULL,
                consultation_modes TEXT NOT NULL, review_status TEXT NOT NULL, review_notes TEXT,
                city TEXT NOT NULL, created_at BIGINT NOT NULL)
            """,
            "CREATE INDEX doctors_by_tenant_status ON doctors (tenant_id, review_status)",
            """
            CREATE TABLE doctor_clinics (
                doctor_id TEXT NOT NULL REFERENCES doctors(id), clinic_id TEXT NOT NULL REFERENCES clinics(id),
                PRIMARY KEY (doctor_id, clinic_id))
            """,
            """
            CREATE TABLE doctor_schedules (
                doctor_id TEXT NOT NULL REFERENCES doctors(id), clinic_id TEXT NOT NULL REFERENCES clinics(id),
                slot_minutes INTEGER NOT NULL, weekly TEXT NOT NULL, time_off TEXT NOT NULL,
                updated_at BIGINT NOT NULL, PRIMARY KEY (doctor_id, clinic_id))
            """,
            """
            CREATE TABLE appointments (
                id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL REFERENCES tenants(id),
                patient_id TEXT NOT NULL REFERENCES users(id), doctor_id TEXT NOT NULL REFERENCES doctors(id),
                clinic_id TEXT NOT NULL REFERENCES clinics(id), scheduled_at BIGINT NOT NULL, ends_at BIGINT NOT NULL,
                mode TEXT NOT NULL, status TEXT NOT NULL, reason_for_visit TEXT, fee BIGINT NOT NULL, notes TEXT,
                created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)
            """,
            // Double booking is impossible by construction: one live appointment per doctor and slot start.
            """
            CREATE UNIQUE INDEX appointments_one_live_booking_per_slot
                ON appointments (doctor_id, scheduled_at) WHERE status <> 'cancelled'
            """,
            "CREATE INDEX appointments_by_doctor_time ON appointments (tenant_id, doctor_id, scheduled_at)",
            "CREATE INDEX appointments_by_patient_time ON appointments (tenant_id, patient_id, scheduled_at)",
            """
            CREATE TABLE waitlist_entries (
                id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL REFERENCES tenants(id),
                patient_id TEXT NOT NULL REFERENCES users(id), doctor_id TEXT NOT NULL REFERENCES doctors(id),
                clinic_id TEXT REFERENCES clinics(id), window_start BIGINT NOT NULL, window_end BIGINT NOT NULL,
                reason TEXT, status TEXT NOT NULL, priority_score DOUBLE PRECISION NOT NULL,
                promoted_appointment_id TEXT REFERENCES appointments(id), audit TEXT NOT NULL,
                created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)
            """,
            "CREATE INDEX waitlist_queue ON waitlist_entries (tenant_id, doctor_id, status, priority_score)",
            """
            CREATE TABLE waitlist_policies (
                tenant_id TEXT NOT NULL REFERENCES tenants(id), clinic_id TEXT NOT NULL,
                max_queue_size INTEGER NOT NULL, auto_expiry_hours INTEGER NOT NULL, priority_weights TEXT NOT NULL,
                PRIMARY KEY (tenant_id, clinic_id))
            """,
            """
            CREATE TABLE payment_orders (
                order_id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL REFERENCES tenants(id),
                appointment_id TEXT NOT NULL REFERENCES appointments(id), amount BIGINT NOT NULL,
                currency TEXT NOT NULL, status TEXT NOT NULL, payment_id TEXT, history TEXT NOT NULL,
                created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)
            """,
            "CREATE INDEX payment_orders_by_appointment ON payment_orders (appointment_id)",
            """
            CREATE TABLE payment_webhook_events (
                event_id TEXT PRIMARY KEY, order_id TEXT, type TEXT NOT NULL, received_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE refresh_tokens (
                token_hash TEXT PRIMARY KEY, tenant_id TEXT NOT NULL REFERENCES tenants(id),
                user_id TEXT NOT NULL REFERENCES users(id), family_id TEXT NOT NULL, expires_at BIGINT NOT NULL,
                revoked_at BIGINT, created_at BIGINT NOT NULL)
            """,
            "CREATE INDEX refresh_tokens_by_family ON refresh_tokens (family_id)",
        ],
        down: [
            "DROP TABLE refresh_tokens",
            "DROP TABLE payment_webhook_events",
            "DROP TABLE payment_orders",
            "DROP TABLE waitlist_policies",
            "DROP TABLE waitlist_entries",
            "DROP TABLE appointments",
            "DROP TABLE doctor_schedules",
            "DROP TABLE doctor_clinics",
            "DROP TABLE doctors",
            "DROP TABLE clinics",
            "DROP TABLE patients",
            "DROP TABLE users",
            "DROP TABLE tenants",
        ])
}
