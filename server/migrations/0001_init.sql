-- Scenes and their append-only event logs. Runs unchanged on PostgreSQL and PGlite.

create table scenes (
  id text primary key check (id <> ''),
  title text not null,
  definition jsonb not null,
  status text not null check (status in ('live', 'closed')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- No foreign key to scenes: the log is written in buffered batches that must never be
-- refused because a scene row is missing or late.
create table scene_events (
  scene_id text not null check (scene_id <> ''),
  seq bigint not null check (seq > 0),
  at timestamptz not null default now(),
  kind text not null check (kind <> ''),
  payload jsonb not null,
  primary key (scene_id, seq)
);

-- Reading one scene's log in seq order is served by the primary key's (scene_id, seq)
-- index; a second index on the same columns would only slow appends. This one serves
-- "the latest event of a kind" (e.g. the last snapshot to restore from) without a scan.
create index scene_events_kind_seq_idx on scene_events (scene_id, kind, seq desc);

-- Events are history: refuse to change or remove them.
create function scene_events_append_only() returns trigger
language plpgsql as $$
begin
  raise exception 'scene_events is append-only: % is not allowed', tg_op
    using errcode = 'restrict_violation';
end;
$$;

create trigger scene_events_append_only
  before update or delete on scene_events
  for each row execute function scene_events_append_only();
