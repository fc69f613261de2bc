-- A small schema showing what gen maps and what it notes.
CREATE TABLE person (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email VARCHAR(80) NOT NULL UNIQUE,
    nick TEXT,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    score REAL NOT NULL DEFAULT 0,
    joined DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    avatar BLOB,
    settings JSON,
    mentor_id INTEGER REFERENCES person (id) ON DELETE SET NULL,
    wake_at TIME
);
CREATE INDEX person_nick_idx ON person (nick);
CREATE INDEX person_lower_email_idx ON person (lower(email));
CREATE TABLE profile (
    person_id INTEGER NOT NULL PRIMARY KEY REFERENCES person (id) ON DELETE CASCADE,
    bio TEXT NOT NULL DEFAULT 'nothing yet'
);
CREATE TABLE team (
    team_id INTEGER PRIMARY KEY AUTOINCREMENT,
    name VARCHAR(40) NOT NULL,
    city VARCHAR(40) NOT NULL,
    budget NUMERIC(12,2),
    UNIQUE (name, city)
);
CREATE TABLE team_member (
    team_id INTEGER NOT NULL REFERENCES team (team_id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES person (id) ON DELETE RESTRICT,
    role VARCHAR(20) NOT NULL DEFAULT 'player',
    PRIMARY KEY (team_id, person_id)
);
CREATE INDEX team_member_role_person_idx ON team_member (role, person_id);
CREATE TABLE audit_log (
    at TEXT NOT NULL,
    line TEXT NOT NULL
);
